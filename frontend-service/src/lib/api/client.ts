import createClient, { type Middleware } from 'openapi-fetch'

import { freshAccessToken, renewAfterRefusal } from '../auth/refresh'
import { expireSession } from '../auth/token-store'
import { apiBaseUrls } from '../config'
import type { paths as BookingPaths } from './types/bookings'
import type { paths as EventPaths } from './types/events'
import type { paths as NotificationPaths } from './types/notifications'
import type { paths as UserPaths } from './types/users'

const ANONYMOUS_PATHS = new Set(['/login', '/register', '/refresh', '/logout'])

// Looked up per call, so tests can stub the global fetch.
const fetchNow: typeof fetch = (input, init) => globalThis.fetch(input, init)

/** Each sent request's untouched copy, to send once more after a renewal. */
const spares = new WeakMap<Request, Request>()

function withToken(request: Request, token: string): Request {
  const authorized = new Request(request)
  authorized.headers.set('Authorization', `Bearer ${token}`)
  return authorized
}

function bearerOf(request: Request): string | null {
  const header = request.headers.get('Authorization')
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : null
}

/**
 * Sends a fresh access token (renewed first when it is about to expire). A 401 to a call that
 * carried one renews the tokens and sends the call once more; if no renewal can be had, the
 * session is over and pages that need one send the person to log in.
 */
const sessionAuth: Middleware = {
  async onRequest({ request, schemaPath }) {
    if (ANONYMOUS_PATHS.has(schemaPath)) return request
    const token = await freshAccessToken()
    if (token === null) return request
    const authorized = withToken(request, token)
    spares.set(authorized, authorized.clone())
    return authorized
  },
  async onResponse({ request, response }) {
    const sent = bearerOf(request)
    const spare = spares.get(request)
    spares.delete(request)
    if (response.status !== 401 || sent === null || spare === undefined) return response
    const renewed = await renewAfterRefusal(sent)
    if (renewed === null) return response
    const retried = await fetchNow(withToken(spare, renewed))
    if (retried.status === 401) expireSession()
    return retried
  },
}

function serviceClient<Paths extends object>(baseUrl: string) {
  const client = createClient<Paths>({ baseUrl, fetch: fetchNow })
  client.use(sessionAuth)
  return client
}

export const usersApi = serviceClient<UserPaths>(apiBaseUrls.users)
export const eventsApi = serviceClient<EventPaths>(apiBaseUrls.events)
export const bookingsApi = serviceClient<BookingPaths>(apiBaseUrls.bookings)
export const notificationsApi = serviceClient<NotificationPaths>(apiBaseUrls.notifications)
