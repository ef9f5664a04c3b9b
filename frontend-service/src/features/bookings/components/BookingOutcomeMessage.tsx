import { Link } from 'react-router'

import { Alert } from '@/components/Alert'
import { Button } from '@/components/Button'
import { formatMoney } from '@/lib/format'

import type { BookingOutcome } from '../utils/outcome'
import { bookedTickets } from '../utils/ticket-types'

type Props = { outcome: BookingOutcome; onRetry: () => void; retrying: boolean; loginHref: string }

export function BookingOutcomeMessage({ outcome, onRetry, retrying, loginHref }: Props) {
  switch (outcome.kind) {
    case 'confirmed': {
      const { booking } = outcome
      return (
        <Alert tone="success" title="Booking confirmed">
          <p>
            {bookedTickets(booking)}
            {booking.total_price && booking.currency ? `, ${formatMoney(booking.total_price, booking.currency)}` : ''}.
          </p>
          <p className="mt-1 wrap-anywhere">
            Booking reference: <strong>{booking.id}</strong>
          </p>
          <p className="mt-2">
            <Link to="/bookings" className="font-medium underline">
              See my bookings
            </Link>
          </p>
        </Alert>
      )
    }
    case 'sold-out':
      return (
        <Alert tone="error" title="Sold out">
          The last tickets have just been booked by someone else.
        </Alert>
      )
    case 'not-enough':
      return (
        <Alert tone="error" title="Not enough tickets left">
          Only {outcome.available} ticket{outcome.available === 1 ? ' is' : 's are'} left. Choose fewer and book again.
        </Alert>
      )
    case 'event-closed':
      return (
        <Alert tone="error" title="This event is not taking bookings">
          {outcome.reason === 'cancelled'
            ? 'The event has been cancelled.'
            : outcome.reason === 'started'
              ? 'The event has already started.'
              : 'The event no longer exists.'}
        </Alert>
      )
    case 'too-many':
      return <Alert tone="error" title="Too many tickets">{outcome.message}</Alert>
    case 'unavailable':
      return (
        <Alert tone="warning" title="Booking is unavailable right now">
          <p>
            A service the booking needs is not answering
            {outcome.retryAfter ? `; try again in ${outcome.retryAfter} seconds` : ''}. Trying again is safe: you
            will never be booked twice.
          </p>
          <Button variant="secondary" size="sm" className="mt-3" onClick={onRetry} busy={retrying}>
            Try again
          </Button>
        </Alert>
      )
    case 'signed-out':
      return (
        <Alert tone="warning" title="Please log in again">
          <Link to={loginHref} className="font-medium underline">
            Log in
          </Link>{' '}
          to book.
        </Alert>
      )
    case 'error':
      return <Alert tone="error" title="The booking failed">{outcome.message}</Alert>
  }
}
