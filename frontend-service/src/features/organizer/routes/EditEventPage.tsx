import { useNavigate, useParams } from 'react-router'

import { Alert } from '@/components/Alert'
import { ErrorState } from '@/components/ErrorState'
import { PageHeading } from '@/components/PageHeading'
import { Spinner } from '@/components/Spinner'
import type { Event } from '@/lib/api/models'

import { useOrganizerEvent, useUpdateEvent } from '../api/organizer'
import { EventForm } from '../components/EventForm'
import { TicketTypesEditor } from '../components/TicketTypesEditor'
import { changedFields, eventBody, eventFormFrom } from '../utils/event-form'

function EditEvent({ event }: { event: Event }) {
  const update = useUpdateEvent(event.id)
  const navigate = useNavigate()
  const initial = eventFormFrom(event)
  // Several types (hidden ones are not listed here, but count in the total).
  const listed = event.ticket_types.reduce((sum, type) => sum + type.capacity, 0)
  const perType = event.ticket_types.length > 1 || listed !== event.total_tickets
  if (event.status === 'cancelled') {
    return <Alert tone="warning">This event is cancelled and can no longer be edited.</Alert>
  }
  return (
    <div className="flex flex-col gap-6">
      <EventForm
        initial={initial}
        perType={perType}
        soldTickets={event.total_tickets - event.available_tickets}
        submitLabel="Save changes"
        busy={update.isPending}
        error={update.error}
        onSubmit={(values) => {
          const changes = changedFields(eventBody(initial), eventBody(values))
          if (perType) {
            // Tickets and price belong to the types (the form shows them, it does not set them).
            delete changes.total_tickets
            delete changes.price
          }
          if (Object.keys(changes).length === 0) {
            navigate('/organizer/events')
            return
          }
          update.mutate(changes, { onSuccess: () => navigate('/organizer/events') })
        }}
      />
      <TicketTypesEditor event={event} />
    </div>
  )
}

export function EditEventPage() {
  const { eventId = '' } = useParams()
  const event = useOrganizerEvent(eventId)
  return (
    <section className="mx-auto max-w-3xl">
      <PageHeading title="Edit event" />
      {event.isPending ? (
        <Spinner label="Loading the event…" />
      ) : event.isError ? (
        <ErrorState title="The event could not be loaded" error={event.error} onRetry={() => event.refetch()} />
      ) : (
        <EditEvent event={event.data} />
      )}
    </section>
  )
}
