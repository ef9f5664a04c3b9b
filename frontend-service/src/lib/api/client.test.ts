import { describe, expect, it } from 'vitest'

import { getSession, signIn } from '@/lib/auth/token-store'
import { makeToken } from '@/testing/builders'
import { json, problem, stubFetch } from '@/testing/fetch-stub'

import { eventsApi, usersApi } from './client'
import { ApiError, countHeader, unwrap } from './errors'

describe('the API layer', () => {
  it('sends the access token to the services, but not to log-in or sign-up', async () => {
    const token = makeToken()
    signIn(token)
    const { calls } = stubFetch(
      { method: 'GET', path: '/users/me', reply: json({}) },
      { method: 'POST', path: '/login', reply: json({ access_token: token, token_type: 'bearer', expires_in: 60 }) },
    )
    await usersApi.GET('/users/me')
    await usersApi.POST('/login', { body: { email: 'a@example.com', password: 'x' } })
    expect(calls[0]?.headers.get('Authorization')).toBe(`Bearer ${token}`)
    expect(calls[1]?.headers.get('Authorization')).toBeNull()
  })

  it('ends the session when a service refuses the token', async () => {
    signIn(makeToken())
    stubFetch({ method: 'GET', path: '/users/me', reply: problem(401, { detail: 'Token expired' }) })
    await expect(unwrap(usersApi.GET('/users/me'))).rejects.toMatchObject({ status: 401 })
    expect(getSession()).toBeNull()
  })

  it('turns problem bodies into errors with their details and Retry-After', async () => {
    stubFetch({
      method: 'POST',
      path: '/login',
      reply: problem(429, { detail: 'Too many failed sign-in attempts.' }, { 'Retry-After': '120' }),
    })
    const error = await unwrap(usersApi.POST('/login', { body: { email: 'a@example.com', password: 'x' } })).catch((e) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ status: 429, retryAfter: 120, message: 'Too many failed sign-in attempts.' })
  })

  it('names the field of a validation error', async () => {
    stubFetch({
      method: 'POST',
      path: '/register',
      reply: problem(422, { errors: [{ field: 'body.password', message: 'too short', type: 'string_too_short' }] }),
    })
    const error = (await unwrap(
      usersApi.POST('/register', { body: { email: 'a@example.com', password: 'x', full_name: 'A' } }),
    ).catch((e) => e)) as ApiError
    expect(error.fieldError('password')).toBe('too short')
    expect(error.fieldError('email')).toBeUndefined()
  })

  it('reports a service that cannot be reached as unavailable', async () => {
    stubFetch()
    const error = (await unwrap(eventsApi.GET('/events')).catch((e) => e)) as ApiError
    expect(error.status).toBe(0)
    expect(error.isUnavailable).toBe(true)
  })

  it('serialises the catalogue filters and reads the total from X-Total-Count', async () => {
    const { calls } = stubFetch({ method: 'GET', path: '/events', reply: json([], { headers: { 'X-Total-Count': '42' } }) })
    const { response } = await unwrap(
      eventsApi.GET('/events', { params: { query: { q: 'jazz', available_only: true, limit: 12, offset: 24 } } }),
    )
    expect(Object.fromEntries(calls[0]!.url.searchParams)).toEqual({ q: 'jazz', available_only: 'true', limit: '12', offset: '24' })
    expect(countHeader(response, 'X-Total-Count')).toBe(42)
  })
})
