import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'

import { bookingsApi } from '@/lib/api/client'
import { countHeader, unwrap } from '@/lib/api/errors'
import type { Booking, BookingItem, BookingStatus } from '@/lib/api/models'
import { queryKeys } from '@/lib/api/query-keys'

export const BOOKINGS_PAGE_SIZE = 10

/** The statuses a person's bookings can have; failed attempts are not bookings. */
export type ShownStatus = Exclude<BookingStatus, 'failed'>

export type BookingsFilter = { userId: string; status: ShownStatus | ''; page: number }

export function useBookings({ userId, status, page }: BookingsFilter) {
  return useQuery({
    queryKey: [...queryKeys.bookings, 'list', { userId, status, page }],
    queryFn: async ({ signal }) => {
      const query = {
        // The person's own, admins included (they would otherwise see everyone's).
        user_id: userId,
        status: status || undefined,
        limit: BOOKINGS_PAGE_SIZE,
        offset: (page - 1) * BOOKINGS_PAGE_SIZE,
      }
      const { data, response } = await unwrap(bookingsApi.GET('/bookings', { params: { query }, signal }))
      // booking-service leaves failed attempts out unless asked; older versions did not.
      const bookings: Booking[] = data.filter((booking) => booking.status !== 'failed')
      return { bookings, total: countHeader(response, 'X-Total-Count') }
    },
    placeholderData: keepPreviousData,
  })
}

/** `tickets` of the event's one type, or `items`: several types, all booked or none. */
export type BookTicketsInput = { idempotencyKey: string } & (
  | { tickets: number; items?: undefined }
  | { items: BookingItem[]; tickets?: undefined }
)

export function useBookTickets(eventId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async ({ tickets, items, idempotencyKey }: BookTicketsInput): Promise<Booking> => {
      const body = items ? { event_id: eventId, items } : { event_id: eventId, tickets }
      const { data } = await unwrap(
        bookingsApi.POST('/bookings', {
          body,
          params: { header: { 'Idempotency-Key': idempotencyKey } },
        }),
      )
      return data
    },
    // Win or lose, availability changed: refresh it.
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.event(eventId) }),
        queryClient.invalidateQueries({ queryKey: queryKeys.eventLists() }),
        queryClient.invalidateQueries({ queryKey: queryKeys.bookings }),
      ]),
  })
}

export function useCancelBooking() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async (booking: Booking): Promise<Booking> => {
      const { data } = await unwrap(
        bookingsApi.POST('/bookings/{booking_id}/cancel', { params: { path: { booking_id: booking.id } } }),
      )
      return data
    },
    onSuccess: (_cancelled, booking) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.bookings }),
        queryClient.invalidateQueries({ queryKey: queryKeys.event(booking.event_id) }),
        queryClient.invalidateQueries({ queryKey: queryKeys.eventLists() }),
      ]),
  })
}
