import { afterEach, describe, expect, it, vi } from 'vitest'

import { bookingsApi, usersApi } from '@/lib/api/client'
import { unwrap } from '@/lib/api/errors'
import { makeToken } from '@/testing/builders'
import { type Call, json, problem, stubFetch } from '@/testing/fetch-stub'

import { endSession, renewAfterRefusal } from './refresh'
import { getRefreshToken, getSession, logout, sessionExpired, signIn } from './token-store'

const renewed = makeToken({ expiresInSeconds: 900 })

function tokens(access = renewed, refresh = 'refresh-2') {
  return json({ access_token: access, token_type: 'bearer', expires_in: 900, refresh_token: refresh, refresh_expires_in: 86400 })
}

const bearer = (call: Call | undefined) => call?.headers.get('Authorization')
const callsTo = (calls: Call[], path: string) => calls.filter((call) => call.url.pathname === path)

afterEach(() => {
  logout()
  vi.unstubAllGlobals()
})

describe('keeping the session across short-lived access tokens', () => {
  it('renews an expired access token before a call, and keeps the new tokens', async () => {
    signIn(makeToken({ expiresInSeconds: -1 }), 'refresh-1')
    expect(getSession()).not.toBeNull() // the refresh token keeps the session
    const { calls } = stubFetch(
      { method: 'POST', path: '/refresh', reply: tokens() },
      { method: 'GET', path: '/users/me', reply: json({}) },
    )

    await unwrap(usersApi.GET('/users/me'))

    expect(calls.map((call) => call.url.pathname)).toEqual(['/refresh', '/users/me'])
    expect(calls[0]?.body).toEqual({ refresh_token: 'refresh-1' })
    expect(bearer(calls[0])).toBeNull()
    expect(bearer(calls[1])).toBe(`Bearer ${renewed}`)
    expect(getRefreshToken()).toBe('refresh-2')
    expect(getSession()?.token).toBe(renewed)
  })

  it('lets calls made together share one renewal', async () => {
    signIn(makeToken({ expiresInSeconds: -1 }), 'refresh-1')
    const { calls } = stubFetch(
      { method: 'POST', path: '/refresh', reply: tokens() },
      { method: 'GET', path: '/users/me', reply: json({}) },
    )

    await Promise.all([1, 2, 3].map(() => unwrap(usersApi.GET('/users/me'))))

    expect(callsTo(calls, '/refresh')).toHaveLength(1)
    expect(callsTo(calls, '/users/me').map(bearer)).toEqual(Array(3).fill(`Bearer ${renewed}`))
  })

  it('renews after a 401 and sends the call once more, body and all', async () => {
    const first = makeToken({ expiresInSeconds: 900, sub: '6f1c1c2e-0000-4000-8000-000000000002' })
    signIn(first, 'refresh-1')
    const { calls } = stubFetch(
      { method: 'POST', path: '/bookings', reply: problem(401, { detail: 'outdated' }), times: 1 },
      { method: 'POST', path: '/refresh', reply: tokens() },
      { method: 'POST', path: '/bookings', reply: json({ id: 'b1' }, { status: 201 }) },
    )

    const { data } = await unwrap(bookingsApi.POST('/bookings', { body: { event_id: 'e1', tickets: 2 } }))

    expect(data).toEqual({ id: 'b1' })
    const bookings = callsTo(calls, '/bookings')
    expect(bookings.map(bearer)).toEqual([`Bearer ${first}`, `Bearer ${renewed}`])
    expect(bookings[1]?.body).toEqual({ event_id: 'e1', tickets: 2 })
  })

  it('ends the session when the refresh token is refused, and tells the login page', async () => {
    signIn(makeToken({ expiresInSeconds: 900 }), 'revoked')
    const { calls } = stubFetch(
      { method: 'GET', path: '/users/me', reply: problem(401) },
      { method: 'POST', path: '/refresh', reply: problem(401, { detail: 'revoked' }) },
    )

    await expect(unwrap(usersApi.GET('/users/me'))).rejects.toMatchObject({ status: 401 })

    expect(callsTo(calls, '/users/me')).toHaveLength(1)
    expect(getSession()).toBeNull()
    expect(sessionExpired()).toBe(true)
  })

  it('gives up after one retry: a renewed token refused again ends the session', async () => {
    signIn(makeToken({ expiresInSeconds: 900 }), 'refresh-1')
    const { calls } = stubFetch(
      { method: 'GET', path: '/users/me', reply: problem(401) },
      { method: 'POST', path: '/refresh', reply: tokens() },
    )

    await expect(unwrap(usersApi.GET('/users/me'))).rejects.toMatchObject({ status: 401 })

    expect(callsTo(calls, '/users/me')).toHaveLength(2)
    expect(callsTo(calls, '/refresh')).toHaveLength(1)
    expect(getSession()).toBeNull()
  })

  it('keeps the session while user-service cannot be reached', async () => {
    const expired = makeToken({ expiresInSeconds: -1 })
    signIn(expired, 'refresh-1')
    stubFetch({ method: 'GET', path: '/users/me', reply: problem(401) }) // /refresh: no answer

    await expect(unwrap(usersApi.GET('/users/me'))).rejects.toMatchObject({ status: 401 })

    expect(getSession()?.token).toBe(expired)
    expect(getRefreshToken()).toBe('refresh-1')
  })

  it('uses the tokens another tab renewed meanwhile instead of renewing again', async () => {
    const refused = makeToken({ expiresInSeconds: 600 })
    signIn(renewed, 'refresh-from-the-other-tab')
    const { calls } = stubFetch()

    expect(await renewAfterRefusal(refused)).toBe(renewed)
    expect(calls).toHaveLength(0)
  })

  it('renews under a Web Lock, so tabs take turns', async () => {
    const request = vi.fn((_name: string, task: () => Promise<unknown>) => task())
    vi.stubGlobal('navigator', { ...navigator, locks: { request } })
    signIn(makeToken({ expiresInSeconds: -1 }), 'refresh-1')
    stubFetch({ method: 'POST', path: '/refresh', reply: tokens() }, { method: 'GET', path: '/users/me', reply: json({}) })

    await unwrap(usersApi.GET('/users/me'))

    expect(request).toHaveBeenCalledOnce()
    expect(request.mock.calls[0]?.[0]).toBe('event-booking.token-refresh')
  })

  it('logs out by revoking the sign-in at user-service', async () => {
    signIn(makeToken(), 'refresh-1')
    const { calls } = stubFetch({ method: 'POST', path: '/logout', reply: new Response(null, { status: 204 }) })

    await endSession()

    expect(calls[0]?.body).toEqual({ refresh_token: 'refresh-1' })
    expect(getSession()).toBeNull()
    expect(sessionExpired()).toBe(false)
  })

  it('logs out here even when user-service cannot be reached', async () => {
    signIn(makeToken(), 'refresh-1')
    stubFetch()

    await endSession()

    expect(getSession()).toBeNull()
    expect(getRefreshToken()).toBeNull()
  })
})
