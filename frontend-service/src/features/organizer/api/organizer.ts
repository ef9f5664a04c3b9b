import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'

import { eventsApi } from '@/lib/api/client'
import { countHeader, unwrap } from '@/lib/api/errors'
import { fetchEvent } from '@/lib/api/events'
import type { Event, EventCreate, EventUpdate } from '@/lib/api/models'
import { queryKeys } from '@/lib/api/query-keys'

export const MY_EVENTS_PAGE_SIZE = 20

type MyEventsQuery = { organizerId: string; status: 'scheduled' | 'cancelled'; page: number }

export function useMyEvents({ organizerId, status, page }: MyEventsQuery) {
  return useQuery({
    queryKey: [...queryKeys.eventLists(), 'organizer', { organizerId, status, page }],
    queryFn: async ({ signal }) => {
      const { data, response } = await unwrap(
        eventsApi.GET('/events', {
          params: {
            query: {
              organizer_id: organizerId,
              include_past: true,
              status,
              limit: MY_EVENTS_PAGE_SIZE,
              offset: (page - 1) * MY_EVENTS_PAGE_SIZE,
            },
          },
          signal,
        }),
      )
      return { events: data, total: countHeader(response, 'X-Total-Count') }
    },
    placeholderData: keepPreviousData,
  })
}

export function useOrganizerEvent(eventId: string) {
  return useQuery({
    queryKey: queryKeys.event(eventId),
    queryFn: ({ signal }) => fetchEvent(eventId, signal),
  })
}

function useInvalidateEvents() {
  const queryClient = useQueryClient()
  return (event: Event) => {
    queryClient.setQueryData(queryKeys.event(event.id), event)
    return queryClient.invalidateQueries({ queryKey: queryKeys.eventLists() })
  }
}

export function useCreateEvent() {
  const invalidate = useInvalidateEvents()
  return useMutation({
    mutationFn: async (body: EventCreate) => (await unwrap(eventsApi.POST('/events', { body }))).data,
    onSuccess: invalidate,
  })
}

export function useUpdateEvent(eventId: string) {
  const invalidate = useInvalidateEvents()
  return useMutation({
    mutationFn: async (body: EventUpdate) =>
      (await unwrap(eventsApi.PATCH('/events/{event_id}', { params: { path: { event_id: eventId } }, body }))).data,
    onSuccess: invalidate,
  })
}

export function useCancelEvent() {
  const invalidate = useInvalidateEvents()
  return useMutation({
    mutationFn: async (event: Event) =>
      (await unwrap(eventsApi.POST('/events/{event_id}/cancel', { params: { path: { event_id: event.id } } }))).data,
    onSuccess: invalidate,
  })
}
