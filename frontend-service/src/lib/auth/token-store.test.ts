import { afterEach, describe, expect, it, vi } from 'vitest'

import { makeToken } from '@/testing/builders'

import {
  expireSession,
  getRefreshToken,
  getSession,
  getToken,
  logout,
  sessionExpired,
  sessionFromToken,
  signIn,
  subscribe,
} from './token-store'

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

  it('keeps the session past the access token while a refresh token can renew it', () => {
    vi.useFakeTimers()
    const listener = vi.fn()
    const unsubscribe = subscribe(listener)
    signIn(makeToken({ expiresInSeconds: 60, email: 'ada@example.com' }), 'the-refresh-token')
    vi.advanceTimersByTime(61_000)
    expect(getSession()).toMatchObject({ email: 'ada@example.com' })
    expect(getToken()).toBeNull() // the access token itself is spent: it is renewed before use
    expect(sessionExpired()).toBe(false)
    expect(window.localStorage.getItem('event-booking.refresh-token')).toBe('the-refresh-token')
    unsubscribe()
  })

  it('forgets both tokens on log-out, and an older refresh token on a sign-in without one', () => {
    signIn(makeToken(), 'the-refresh-token')
    signIn(makeToken())
    expect(getRefreshToken()).toBeNull()
    signIn(makeToken(), 'the-refresh-token')
    logout()
    expect(getRefreshToken()).toBeNull()
    expect(getSession()).toBeNull()
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
