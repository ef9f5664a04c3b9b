import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'

import { eventsApi } from '@/lib/api/client'
import { unwrap } from '@/lib/api/errors'
import type { Event, TicketTypeCreate, TicketTypeUpdate } from '@/lib/api/models'
import { queryKeys } from '@/lib/api/query-keys'

const typesKey = (eventId: string) => [...queryKeys.event(eventId), 'ticket-types'] as const

/** Every type of the event, hidden ones too (only its organizer and admins may ask). */
export function useTicketTypes(eventId: string) {
  return useQuery({
    queryKey: typesKey(eventId),
    queryFn: async ({ signal }) =>
      (
        await unwrap(
          eventsApi.GET('/events/{event_id}/ticket_types', { params: { path: { event_id: eventId } }, signal }),
        )
      ).data,
  })
}

function useRefreshEvent(eventId: string) {
  const queryClient = useQueryClient()
  return (event: Event) => {
    queryClient.setQueryData(queryKeys.event(eventId), event)
    return Promise.all([
      queryClient.invalidateQueries({ queryKey: typesKey(eventId) }),
      queryClient.invalidateQueries({ queryKey: queryKeys.eventLists() }),
    ])
  }
}

export function useAddTicketType(eventId: string) {
  const refresh = useRefreshEvent(eventId)
  return useMutation({
    mutationFn: async (body: TicketTypeCreate) =>
      (await unwrap(eventsApi.POST('/events/{event_id}/ticket_types', { params: { path: { event_id: eventId } }, body })))
        .data,
    onSuccess: refresh,
  })
}

export function useUpdateTicketType(eventId: string) {
  const refresh = useRefreshEvent(eventId)
  return useMutation({
    mutationFn: async ({ typeId, body }: { typeId: string; body: TicketTypeUpdate }) =>
      (
        await unwrap(
          eventsApi.PATCH('/events/{event_id}/ticket_types/{type_id}', {
            params: { path: { event_id: eventId, type_id: typeId } },
            body,
          }),
        )
      ).data,
    onSuccess: refresh,
  })
}
