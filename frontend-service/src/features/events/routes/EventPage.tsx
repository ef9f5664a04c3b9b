import type { ReactNode } from 'react'
import { Link, useParams } from 'react-router'

import { ErrorState } from '@/components/ErrorState'
import { PageHeading } from '@/components/PageHeading'
import { Spinner } from '@/components/Spinner'
import { ApiError } from '@/lib/api/errors'
import type { Event } from '@/lib/api/models'

import { useEvent } from '../api/events'
import { EventDetails } from '../components/EventDetails'

type EventPageProps = {
  /** What to show beside the details for booking; the app supplies it. */
  bookingPanel?: (event: Event) => ReactNode
}

export function EventPage({ bookingPanel }: EventPageProps) {
  const { eventId = '' } = useParams()
  const event = useEvent(eventId)

  if (event.isPending) return <Spinner label="Loading the event…" />
  if (event.isError) {
    if (event.error instanceof ApiError && event.error.status === 404) {
      return (
        <section>
          <PageHeading title="Event not found" />
          <p className="text-slate-700">
            There is no event at this address. <Link to="/" className="text-indigo-700 underline">Browse events</Link>
          </p>
        </section>
      )
    }
    return <ErrorState title="The event could not be loaded" error={event.error} onRetry={() => event.refetch()} />
  }

  return (
    <article>
      <p className="mb-2">
        <Link to="/" className="text-sm font-medium text-indigo-700 underline">
          ← All events
        </Link>
      </p>
      <PageHeading title={event.data.title} />
      {/* Each box as tall as its content: the details do not stretch to the booking panel. */}
      <div className="grid items-start gap-6 lg:grid-cols-[1fr_22rem]">
        <div className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
          <EventDetails event={event.data} />
        </div>
        {bookingPanel && <aside aria-label="Book tickets">{bookingPanel(event.data)}</aside>}
      </div>
    </article>
  )
}
