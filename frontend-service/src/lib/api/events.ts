import { eventsApi } from './client'
import { unwrap } from './errors'
import type { Event } from './models'

/** One event by id (shared by every feature that shows an event). */
export async function fetchEvent(eventId: string, signal?: AbortSignal): Promise<Event> {
  const { data } = await unwrap(
    eventsApi.GET('/events/{event_id}', { params: { path: { event_id: eventId } }, signal }),
  )
  return data
}
