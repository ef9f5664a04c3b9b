import { keepPreviousData, useQuery } from '@tanstack/react-query'

import { eventsApi } from '@/lib/api/client'
import { countHeader, unwrap } from '@/lib/api/errors'
import { fetchEvent } from '@/lib/api/events'
import { queryKeys } from '@/lib/api/query-keys'

import { dateRangeError, type EventFilters, listQuery } from '../utils/filters'

/** How often an open event page refreshes its availability. */
export const EVENT_REFRESH_MS = 5000

export function useEvents(filters: EventFilters) {
  return useQuery({
    queryKey: [...queryKeys.eventLists(), filters],
    queryFn: async ({ signal }) => {
      const { data, response } = await unwrap(
        eventsApi.GET('/events', { params: { query: listQuery(filters) }, signal }),
      )
      return { events: data, total: countHeader(response, 'X-Total-Count') }
    },
    enabled: dateRangeError(filters) === null,
    placeholderData: keepPreviousData,
  })
}

export function useEvent(eventId: string) {
  return useQuery({
    queryKey: queryKeys.event(eventId),
    queryFn: ({ signal }) => fetchEvent(eventId, signal),
    refetchInterval: EVENT_REFRESH_MS,
    refetchOnWindowFocus: 'always',
  })
}
