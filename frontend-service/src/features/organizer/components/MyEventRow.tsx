import { Link } from 'react-router'

import { AvailabilityBadge } from '@/components/AvailabilityBadge'
import { Badge } from '@/components/Badge'
import { Button, ButtonLink } from '@/components/Button'
import type { Event } from '@/lib/api/models'
import { useNow } from '@/lib/use-now'
import { eventTimeZone, formatEventDateTime } from '@/lib/format'

type Props = { event: Event; onCancel: (event: Event) => void }

export function MyEventRow({ event, onCancel }: Props) {
  const sold = event.total_tickets - event.available_tickets
  const now = useNow()
  const past = new Date(event.starts_at).getTime() <= now
  const editable = event.status === 'scheduled' && !past
  return (
    <article className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm" aria-label={event.title}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 className="text-lg font-semibold text-slate-900">
            <Link to={`/events/${event.id}`} className="underline-offset-2 hover:underline">
              {event.title}
            </Link>
          </h2>
          <p className="text-slate-700">
            <time dateTime={event.starts_at}>{formatEventDateTime(event.starts_at, eventTimeZone(event))}</time>
            {' · '}
            {event.venue}
            {event.city ? `, ${event.city}` : ''}
          </p>
        </div>
        {event.status === 'cancelled' ? (
          <Badge tone="danger">Cancelled</Badge>
        ) : past ? (
          <Badge>Past</Badge>
        ) : (
          <AvailabilityBadge available={event.available_tickets} total={event.total_tickets} />
        )}
      </div>
      <dl className="mt-3 flex flex-wrap gap-x-8 gap-y-2 text-slate-800">
        <div>
          <dt className="text-sm text-slate-600">Tickets sold</dt>
          <dd className="text-lg font-semibold">{sold}</dd>
        </div>
        <div>
          <dt className="text-sm text-slate-600">Tickets left</dt>
          <dd className="text-lg font-semibold">{event.available_tickets}</dd>
        </div>
        <div>
          <dt className="text-sm text-slate-600">Capacity</dt>
          <dd className="text-lg font-semibold">{event.total_tickets}</dd>
        </div>
      </dl>
      {editable && (
        <div className="mt-4 flex flex-wrap gap-3">
          <ButtonLink to={`/organizer/events/${event.id}/edit`} variant="secondary" size="sm" aria-label={`Edit ${event.title}`}>
            Edit
          </ButtonLink>
          <Button variant="ghost-danger" size="sm" onClick={() => onCancel(event)} aria-label={`Cancel ${event.title}`}>
            Cancel event
          </Button>
        </div>
      )}
    </article>
  )
}
