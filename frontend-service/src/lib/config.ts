/**
 * Where the app finds the services. Every base URL lives here.
 *
 * Two ways to deploy, chosen at build time:
 * - one origin per service (the default): `VITE_USER_API_URL` ... `VITE_NOTIFICATION_API_URL`,
 *   else http://localhost:8000 ... 8003;
 * - behind a gateway at one origin: `VITE_API_GATEWAY_URL` (`/api` or `https://host/api`) gives
 *   `${gateway}/users`, `/events`, `/bookings` and `/notifications`.
 * A per-service URL, when set, wins over the gateway's.
 */
export type ApiEnv = {
  readonly VITE_API_GATEWAY_URL?: string
  readonly VITE_USER_API_URL?: string
  readonly VITE_EVENT_API_URL?: string
  readonly VITE_BOOKING_API_URL?: string
  readonly VITE_NOTIFICATION_API_URL?: string
}

export type ServiceName = 'users' | 'events' | 'bookings' | 'notifications'

const SERVICES: Record<ServiceName, { variable: keyof ApiEnv; port: number }> = {
  users: { variable: 'VITE_USER_API_URL', port: 8000 },
  events: { variable: 'VITE_EVENT_API_URL', port: 8001 },
  bookings: { variable: 'VITE_BOOKING_API_URL', port: 8002 },
  notifications: { variable: 'VITE_NOTIFICATION_API_URL', port: 8003 },
}

const HAS_SCHEME = /^[a-z][a-z\d+.-]*:/i

/**
 * A base URL without trailing slashes; a path is taken from the site's root ("api" is "/api"),
 * never from the page the person is on. Empty when nothing usable was given.
 */
function normalise(value: string | undefined): string {
  const trimmed = value?.trim() ?? ''
  if (!trimmed) return ''
  const rooted = HAS_SCHEME.test(trimmed) || trimmed.startsWith('/') ? trimmed : `/${trimmed}`
  return rooted.replace(/\/+$/, '') || '/'
}

/** Each service's base URL for these settings (absolute, or a path on the app's own origin). */
export function resolveApiBaseUrls(env: ApiEnv): Record<ServiceName, string> {
  const gateway = normalise(env.VITE_API_GATEWAY_URL)
  const entries = Object.entries(SERVICES).map(([service, { variable, port }]) => {
    const own = normalise(env[variable])
    const viaGateway = gateway && `${gateway === '/' ? '' : gateway}/${service}`
    return [service, own || viaGateway || `http://localhost:${port}`]
  })
  return Object.fromEntries(entries) as Record<ServiceName, string>
}

/**
 * An HTTP(S) URL, absolute or relative to the page at `base`, as the WebSocket URL of the same
 * place: http becomes ws, https becomes wss.
 */
export function toWebSocketUrl(url: string, base: string): string {
  const resolved = new URL(url, base)
  if (resolved.protocol === 'http:') resolved.protocol = 'ws:'
  else if (resolved.protocol === 'https:') resolved.protocol = 'wss:'
  return resolved.href
}

const env = import.meta.env

export const apiBaseUrls = resolveApiBaseUrls(env)

/** The live notification feed, resolved against the page's address when the base is a path. */
export function liveNotificationsUrl(base: string = window.location.href): string {
  return toWebSocketUrl(`${apiBaseUrls.notifications}/ws/notifications`, base)
}

/** booking-service's MAX_TICKETS_PER_BOOKING (10 unless the deployment changed it). */
export const maxTicketsPerBooking = Math.max(1, Number(env.VITE_MAX_TICKETS_PER_BOOKING ?? 10) || 10)
