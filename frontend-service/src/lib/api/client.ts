import createClient, { type Middleware } from 'openapi-fetch'

import { expireSession, getToken } from '../auth/token-store'
import { apiBaseUrls } from '../config'
import type { paths as BookingPaths } from './types/bookings'
import type { paths as EventPaths } from './types/events'
import type { paths as NotificationPaths } from './types/notifications'
import type { paths as UserPaths } from './types/users'

const ANONYMOUS_PATHS = new Set(['/login', '/register'])

/** Sends the access token; a 401 to a call that carried it means the session is over. */
const bearerAuth: Middleware = {
  onRequest({ request, schemaPath }) {
    const token = getToken()
    if (token && !ANONYMOUS_PATHS.has(schemaPath)) {
      request.headers.set('Authorization', `Bearer ${token}`)
    }
    return request
  },
  onResponse({ request, response }) {
    if (response.status === 401 && request.headers.has('Authorization')) expireSession()
    return response
  },
}

// Looked up per call, so tests can stub the global fetch.
const fetchNow: typeof fetch = (input, init) => globalThis.fetch(input, init)

function serviceClient<Paths extends object>(baseUrl: string) {
  const client = createClient<Paths>({ baseUrl, fetch: fetchNow })
  client.use(bearerAuth)
  return client
}

export const usersApi = serviceClient<UserPaths>(apiBaseUrls.users)
export const eventsApi = serviceClient<EventPaths>(apiBaseUrls.events)
export const bookingsApi = serviceClient<BookingPaths>(apiBaseUrls.bookings)
export const notificationsApi = serviceClient<NotificationPaths>(apiBaseUrls.notifications)
