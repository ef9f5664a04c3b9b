import { useNavigate } from 'react-router'

import { PageHeading } from '@/components/PageHeading'

import { useCreateEvent } from '../api/organizer'
import { EventForm } from '../components/EventForm'
import { browserTimeZone, emptyEventForm, eventBody } from '../utils/event-form'

export function NewEventPage() {
  const create = useCreateEvent()
  const navigate = useNavigate()
  return (
    <section className="mx-auto max-w-3xl">
      <PageHeading title="New event" />
      <EventForm
        initial={emptyEventForm(browserTimeZone())}
        submitLabel="Create event"
        busy={create.isPending}
        error={create.error}
        onSubmit={(values) =>
          create.mutate(eventBody(values), {
            onSuccess: (event) => navigate('/organizer/events', { state: { created: event.title } }),
          })
        }
      />
    </section>
  )
}
