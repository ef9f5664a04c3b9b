import { Link } from 'react-router'

import { Button } from '@/components/Button'
import type { Booking } from '@/lib/api/models'
import { eventTimeZone, formatEventDateTime, formatMoney } from '@/lib/format'
import { useNow } from '@/lib/use-now'

import { bookedTickets } from '../utils/ticket-types'
import { BookingStatusBadge } from './BookingStatusBadge'

type Props = { booking: Booking; onCancel: (booking: Booking) => void }

export function BookingCard({ booking, onCancel }: Props) {
  // The booking carries its event's zone once confirmed; without one, the time reads in UTC.
  const timeZone = eventTimeZone({ timezone: booking.event_timezone })
  const title = booking.event_title ?? 'Event'
  const now = useNow()
  const upcoming = booking.event_starts_at ? new Date(booking.event_starts_at).getTime() > now : false
  const cancellable = booking.status === 'confirmed' && upcoming
  return (
    <article className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm" aria-label={`Booking for ${title}`}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <h2 className="text-lg font-semibold text-slate-900">
          <Link to={`/events/${booking.event_id}`} className="underline-offset-2 hover:underline">
            {title}
          </Link>
        </h2>
        <BookingStatusBadge status={booking.status} />
      </div>
      <dl className="mt-3 grid grid-cols-2 gap-x-4 gap-y-2 text-slate-800 sm:grid-cols-4">
        <div className="col-span-2">
          <dt className="text-sm text-slate-600">Date</dt>
          <dd>
            {booking.event_starts_at ? (
              <time dateTime={booking.event_starts_at}>{formatEventDateTime(booking.event_starts_at, timeZone)}</time>
            ) : (
              'To be announced'
            )}
          </dd>
        </div>
        <div>
          <dt className="text-sm text-slate-600">Tickets</dt>
          <dd>{booking.items.length > 1 ? bookedTickets(booking) : booking.tickets}</dd>
        </div>
        <div>
          <dt className="text-sm text-slate-600">Total</dt>
          <dd>{booking.total_price && booking.currency ? formatMoney(booking.total_price, booking.currency) : '—'}</dd>
        </div>
      </dl>
      <div className="mt-4 flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm wrap-anywhere text-slate-600">Reference {booking.id}</p>
        {cancellable && (
          <Button variant="secondary" size="sm" onClick={() => onCancel(booking)}>
            Cancel booking
          </Button>
        )}
      </div>
    </article>
  )
}
