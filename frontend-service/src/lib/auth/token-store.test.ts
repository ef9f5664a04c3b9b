import { afterEach, describe, expect, it, vi } from 'vitest'

import { makeToken } from '@/testing/builders'

import { expireSession, getSession, getToken, logout, sessionExpired, sessionFromToken, signIn, subscribe } from './token-store'

afterEach(() => {
  logout()
  vi.useRealTimers()
})

describe('the token store', () => {
  it('reads who is signed in from the token, and keeps it across reloads (localStorage)', () => {
    const token = makeToken({ email: 'ada@example.com', role: 'organizer' })
    signIn(token)
    expect(getSession()).toMatchObject({ email: 'ada@example.com', role: 'organizer', token })
    expect(window.localStorage.getItem('event-booking.access-token')).toBe(token)
  })

  it('refuses a token that is not a person’s JWT', () => {
    expect(sessionFromToken('garbage')).toBeNull()
    expect(sessionFromToken(makeToken({ role: 'service' as never }))).toBeNull()
    expect(() => signIn('a.b.c')).toThrow()
  })

  it('ends the session when the token runs out, telling subscribers', () => {
    vi.useFakeTimers()
    const listener = vi.fn()
    const unsubscribe = subscribe(listener)
    signIn(makeToken({ expiresInSeconds: 60 }))
    expect(getToken()).not.toBeNull()
    vi.advanceTimersByTime(61_000)
    expect(getSession()).toBeNull()
    expect(sessionExpired()).toBe(true)
    expect(listener).toHaveBeenCalled()
    unsubscribe()
  })

  it('treats a stored token that has already expired as no session', () => {
    window.localStorage.setItem('event-booking.access-token', makeToken({ expiresInSeconds: -10 }))
    expect(getSession()).toBeNull()
    expect(sessionExpired()).toBe(true)
  })

  it('tells a refused token from a log-out', () => {
    signIn(makeToken())
    expireSession()
    expect(sessionExpired()).toBe(true)
    signIn(makeToken())
    logout()
    expect(sessionExpired()).toBe(false)
  })
})
