import { useState } from 'react'
import { useLocation, useSearchParams } from 'react-router'

import { Alert } from '@/components/Alert'
import { ButtonLink } from '@/components/Button'
import { ConfirmDialog } from '@/components/ConfirmDialog'
import { EmptyState } from '@/components/EmptyState'
import { ErrorState } from '@/components/ErrorState'
import { SelectField } from '@/components/Field'
import { PageHeading } from '@/components/PageHeading'
import { Pagination } from '@/components/Pagination'
import { Spinner } from '@/components/Spinner'
import type { Event } from '@/lib/api/models'
import { useSession } from '@/lib/auth/use-session'

import { MY_EVENTS_PAGE_SIZE, useCancelEvent, useMyEvents } from '../api/organizer'
import { MyEventRow } from '../components/MyEventRow'

export function MyEventsPage() {
  const session = useSession()
  const [params, setParams] = useSearchParams()
  const status = params.get('status') === 'cancelled' ? 'cancelled' : 'scheduled'
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1)
  const events = useMyEvents({ organizerId: session?.userId ?? '', status, page })
  const cancel = useCancelEvent()
  const [cancelling, setCancelling] = useState<Event | null>(null)
  const location = useLocation()
  const created = (location.state as { created?: string } | null)?.created
  const [notice, setNotice] = useState<string | null>(created ? `${created} is created and open for booking.` : null)

  const update = (next: { status?: string; page?: number }) => {
    const search = new URLSearchParams()
    if ((next.status ?? status) === 'cancelled') search.set('status', 'cancelled')
    if ((next.page ?? 1) > 1) search.set('page', String(next.page))
    setParams(search)
  }

  return (
    <section>
      <PageHeading title="My events">
        <ButtonLink to="/organizer/events/new">New event</ButtonLink>
      </PageHeading>
      <SelectField
        label="Show"
        value={status}
        onChange={(event) => update({ status: event.target.value })}
        containerClassName="mb-4 w-56"
      >
        <option value="scheduled">Scheduled events</option>
        <option value="cancelled">Cancelled events</option>
      </SelectField>
      {notice && (
        <Alert tone="success" className="mb-4">
          {notice}
        </Alert>
      )}
      {events.isPending ? (
        <Spinner label="Loading your events…" />
      ) : events.isError ? (
        <ErrorState title="Your events could not be loaded" error={events.error} onRetry={() => events.refetch()} />
      ) : events.data.events.length === 0 ? (
        <EmptyState title={status === 'cancelled' ? 'No cancelled events' : 'You have no events yet'}>
          {status === 'scheduled' && (
            <ButtonLink to="/organizer/events/new" variant="secondary" className="mt-3">
              Create your first event
            </ButtonLink>
          )}
        </EmptyState>
      ) : (
        <>
          <ul className="flex flex-col gap-4">
            {events.data.events.map((event) => (
              <li key={event.id}>
                <MyEventRow event={event} onCancel={setCancelling} />
              </li>
            ))}
          </ul>
          <Pagination
            page={page}
            pageSize={MY_EVENTS_PAGE_SIZE}
            total={events.data.total}
            onPageChange={(next) => update({ page: next })}
            label="Event pages"
          />
        </>
      )}
      <ConfirmDialog
        open={cancelling !== null}
        title="Cancel this event?"
        confirmLabel="Cancel event"
        cancelLabel="Keep event"
        busy={cancel.isPending}
        error={cancel.error?.message ?? null}
        onCancel={() => {
          cancel.reset()
          setCancelling(null)
        }}
        onConfirm={() =>
          cancelling &&
          cancel.mutate(cancelling, {
            onSuccess: (event) => {
              cancel.reset()
              setCancelling(null)
              setNotice(`${event.title} is cancelled. It takes no new bookings.`)
            },
          })
        }
      >
        {cancelling && (
          <p>
            <strong>{cancelling.title}</strong> will take no new bookings. People who already booked keep their
            bookings until they cancel them.
          </p>
        )}
      </ConfirmDialog>
    </section>
  )
}
