import { Link } from 'react-router'

import { AvailabilityBadge } from '@/components/AvailabilityBadge'
import { Badge } from '@/components/Badge'
import type { Event } from '@/lib/api/models'
import { categoryLabels, eventTimeZone, formatEventDateTime } from '@/lib/format'

import { priceLabel } from '../utils/price'

export function EventCard({ event }: { event: Event }) {
  const timeZone = eventTimeZone(event)
  return (
    <article className="flex h-full flex-col rounded-lg border border-slate-200 bg-white p-5 shadow-sm" aria-labelledby={`event-${event.id}`}>
      <div className="flex items-start justify-between gap-3">
        <Badge tone="info">{categoryLabels[event.category]}</Badge>
        <AvailabilityBadge available={event.available_tickets} total={event.total_tickets} />
      </div>
      <h2 id={`event-${event.id}`} className="mt-3 text-lg font-semibold text-slate-900">
        <Link to={`/events/${event.id}`} className="underline-offset-2 hover:underline">
          {event.title}
        </Link>
      </h2>
      <dl className="mt-2 flex flex-1 flex-col gap-1 text-slate-700">
        <div>
          <dt className="sr-only">When</dt>
          <dd>
            <time dateTime={event.starts_at}>{formatEventDateTime(event.starts_at, timeZone)}</time>
          </dd>
        </div>
        <div>
          <dt className="sr-only">Where</dt>
          <dd>
            {event.venue}
            {event.city ? `, ${event.city}` : ''}
          </dd>
        </div>
      </dl>
      <p className="mt-4 text-lg font-semibold text-slate-900">
        <span className="sr-only">Price: </span>
        {priceLabel(event)}
      </p>
    </article>
  )
}
