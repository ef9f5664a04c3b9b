/**
 * Query keys of resources more than one feature reads, so that a change made in one place
 * (a booking, a cancelled booking) refreshes what another shows (an event's availability).
 */
export const queryKeys = {
  events: ['events'] as const,
  eventLists: () => ['events', 'list'] as const,
  event: (eventId: string) => ['events', 'detail', eventId] as const,
  bookings: ['bookings'] as const,
  notifications: (email: string) => ['notifications', email.toLowerCase()] as const,
  users: ['users'] as const,
}
