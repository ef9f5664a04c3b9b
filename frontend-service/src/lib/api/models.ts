/** Response shapes by name, straight from the generated OpenAPI types. */
import type { components as BookingComponents } from './types/bookings'
import type { components as EventComponents } from './types/events'
import type { components as NotificationComponents } from './types/notifications'
import type { components as UserComponents } from './types/users'

/**
 * An event. `timezone` (IANA) is optional here until every event-service in use sends it;
 * read it through `eventTimeZone()`.
 */
export type Event = EventComponents['schemas']['EventPublic'] & { timezone?: string | null }
export type EventCategory = EventComponents['schemas']['EventCategory']
export type EventCreate = EventComponents['schemas']['EventCreate']
export type EventUpdate = EventComponents['schemas']['EventUpdate']
/** A booking; `event_timezone` as for `Event.timezone` (older booking-services do not send it). */
export type Booking = BookingComponents['schemas']['BookingPublic'] & { event_timezone?: string | null }
export type BookingStatus = Booking['status']
export type Notification = NotificationComponents['schemas']['NotificationPublic']
export type User = UserComponents['schemas']['UserPublic']

export const EVENT_CATEGORIES: readonly EventCategory[] = [
  'concert',
  'conference',
  'sports',
  'theatre',
  'workshop',
  'other',
]
