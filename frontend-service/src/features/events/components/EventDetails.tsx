import { AvailabilityBadge } from '@/components/AvailabilityBadge'
import { Badge } from '@/components/Badge'
import type { Event } from '@/lib/api/models'
import { categoryLabels, eventTimeZone, formatEventDateTime, formatEventTime } from '@/lib/format'

import { descriptionParagraphs } from '../utils/description'
import { priceLabel } from '../utils/price'

function sameLocalDay(a: string, b: string, timeZone: string): boolean {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone, dateStyle: 'short' })
  return day.format(new Date(a)) === day.format(new Date(b))
}

export function EventDetails({ event }: { event: Event }) {
  const timeZone = eventTimeZone(event)
  const endsAt = event.ends_at
  const paragraphs = descriptionParagraphs(event.description)
  return (
    <div>
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone="info">{categoryLabels[event.category]}</Badge>
        {event.status === 'cancelled' ? (
          <Badge tone="danger">Cancelled</Badge>
        ) : (
          <AvailabilityBadge available={event.available_tickets} total={event.total_tickets} />
        )}
      </div>
      <dl className="mt-4 grid gap-3 text-slate-800 sm:grid-cols-2">
        <div>
          <dt className="text-sm font-medium text-slate-600">When</dt>
          <dd>
            <time dateTime={event.starts_at}>{formatEventDateTime(event.starts_at, timeZone)}</time>
            {endsAt && (
              <>
                {' – '}
                <time dateTime={endsAt}>
                  {sameLocalDay(event.starts_at, endsAt, timeZone)
                    ? formatEventTime(endsAt, timeZone)
                    : formatEventDateTime(endsAt, timeZone)}
                </time>
              </>
            )}
          </dd>
          {timeZone !== 'UTC' && <dd className="text-sm text-slate-600">Local time at the venue ({timeZone})</dd>}
        </div>
        <div>
          <dt className="text-sm font-medium text-slate-600">Where</dt>
          <dd>
            {event.venue}
            {event.city ? `, ${event.city}` : ''}
          </dd>
        </div>
        <div>
          <dt className="text-sm font-medium text-slate-600">Price</dt>
          <dd>{priceLabel(event)}</dd>
        </div>
        <div>
          <dt className="text-sm font-medium text-slate-600">Tickets left</dt>
          <dd aria-live="polite">
            {event.available_tickets} of {event.total_tickets}
          </dd>
        </div>
      </dl>
      {paragraphs.length > 0 && (
        <section aria-labelledby="event-description" className="mt-5 border-t border-slate-200 pt-4">
          <h2 id="event-description" className="text-base font-semibold text-slate-900">
            About this event
          </h2>
          {paragraphs.map((paragraph, index) => (
            <p key={index} className="mt-2 whitespace-pre-line text-slate-800 wrap-break-word">
              {paragraph}
            </p>
          ))}
        </section>
      )}
    </div>
  )
}
