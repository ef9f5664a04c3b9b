/** Response shapes by name, straight from the generated OpenAPI types. */
import type { components as BookingComponents } from './types/bookings'
import type { components as EventComponents } from './types/events'
import type { components as NotificationComponents } from './types/notifications'
import type { components as UserComponents } from './types/users'

/** An event; read its IANA `timezone` through `eventTimeZone()`. */
export type Event = EventComponents['schemas']['EventPublic']
export type EventCategory = EventComponents['schemas']['EventCategory']
export type EventCreate = EventComponents['schemas']['EventCreate']
export type EventUpdate = EventComponents['schemas']['EventUpdate']
/** One kind of ticket an event sells; `sale_status` says whether it can be booked now. */
export type TicketType = EventComponents['schemas']['TicketTypePublic']
export type TicketTypeCreate = EventComponents['schemas']['TicketTypeCreate']
export type TicketTypeUpdate = EventComponents['schemas']['TicketTypeUpdate']
/** Tickets of one type asked for in a booking. */
export type BookingItem = BookingComponents['schemas']['BookingItemCreate']
/** A booking; `event_timezone` is null until the booking has its event's details (pending, failed). */
export type Booking = BookingComponents['schemas']['BookingPublic']
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
