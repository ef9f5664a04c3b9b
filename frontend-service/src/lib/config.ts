/**
 * Where the app finds the services. Every base URL lives here, so a single-origin gateway
 * (one URL with a path per service) is a change to this module only.
 */
const env = import.meta.env

function baseUrl(value: string | undefined, fallback: string): string {
  return (value?.trim() || fallback).replace(/\/+$/, '')
}

export const apiBaseUrls = {
  users: baseUrl(env.VITE_USER_API_URL, 'http://localhost:8000'),
  events: baseUrl(env.VITE_EVENT_API_URL, 'http://localhost:8001'),
  bookings: baseUrl(env.VITE_BOOKING_API_URL, 'http://localhost:8002'),
  notifications: baseUrl(env.VITE_NOTIFICATION_API_URL, 'http://localhost:8003'),
} as const

export type ServiceName = keyof typeof apiBaseUrls

/** The live notification feed: the notification service's URL with a WebSocket scheme. */
export const liveNotificationsUrl = `${apiBaseUrls.notifications.replace(/^http/, 'ws')}/ws/notifications`

/** booking-service's MAX_TICKETS_PER_BOOKING (10 unless the deployment changed it). */
export const maxTicketsPerBooking = Math.max(1, Number(env.VITE_MAX_TICKETS_PER_BOOKING ?? 10) || 10)
