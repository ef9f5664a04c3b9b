import { type FormEvent, useState } from 'react'
import { useLocation } from 'react-router'

import { Button, ButtonLink } from '@/components/Button'
import { SelectField } from '@/components/Field'
import type { Event } from '@/lib/api/models'
import { loginPath } from '@/lib/auth/next-path'
import { useSession } from '@/lib/auth/use-session'
import { maxTicketsPerBooking } from '@/lib/config'
import { formatMoney, multiplyPrice } from '@/lib/format'
import { newIdempotencyKey } from '@/lib/idempotency'
import { useNow } from '@/lib/use-now'

import { useBookTickets } from '../api/bookings'
import { type BookingOutcome, isRetryable, outcomeOfError } from '../utils/outcome'
import { BookingOutcomeMessage } from './BookingOutcomeMessage'

type Attempt = { key: string; tickets: number }

/**
 * Choose how many tickets and book. Each attempt gets its own Idempotency-Key; a retry of an
 * attempt whose outcome is unknown sends the same key, so it can never book twice.
 */
export function BookTicketsPanel({ event }: { event: Event }) {
  const session = useSession()
  const location = useLocation()
  const book = useBookTickets(event.id)
  const [tickets, setTickets] = useState(1)
  const [attempt, setAttempt] = useState<Attempt | null>(null)
  const [outcome, setOutcome] = useState<BookingOutcome | null>(null)
  const loginHref = loginPath(location.pathname)

  const now = useNow(5000)
  const started = new Date(event.starts_at).getTime() <= now
  const closed = event.status === 'cancelled' || started
  const available = event.available_tickets
  const most = Math.min(maxTicketsPerBooking, Math.max(available, 0))
  const chosen = Math.min(tickets, Math.max(most, 1))

  const send = (current: Attempt) => {
    setAttempt(current)
    book.mutate(
      { tickets: current.tickets, idempotencyKey: current.key },
      {
        onSuccess: (booking) => {
          setOutcome({ kind: 'confirmed', booking })
          setAttempt(null)
        },
        onError: (error) => {
          const result = outcomeOfError(error)
          setOutcome(result)
          if (!isRetryable(result)) setAttempt(null)
        },
      },
    )
  }

  const onSubmit = (formEvent: FormEvent) => {
    formEvent.preventDefault()
    if (book.isPending) return
    // The same attempt (same count, outcome unknown) keeps its key; anything else is a new one.
    send(attempt && attempt.tickets === chosen ? attempt : { key: newIdempotencyKey(), tickets: chosen })
  }

  return (
    <div className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
      <h2 className="text-lg font-semibold text-slate-900">Book tickets</h2>
      {outcome && (
        <div className="mt-4">
          <BookingOutcomeMessage
            outcome={outcome}
            loginHref={loginHref}
            retrying={book.isPending}
            onRetry={() => attempt && send(attempt)}
          />
        </div>
      )}
      {!session ? (
        <div className="mt-4">
          <p className="text-slate-700">Log in to book tickets for this event.</p>
          <ButtonLink to={loginHref} className="mt-3 w-full">
            Log in to book
          </ButtonLink>
        </div>
      ) : closed ? (
        outcome?.kind !== 'event-closed' && (
          <p className="mt-4 text-slate-700">
            {event.status === 'cancelled' ? 'This event has been cancelled.' : 'This event has already started.'}
          </p>
        )
      ) : available <= 0 ? (
        // After a sold-out answer, the message above already says so.
        outcome?.kind !== 'sold-out' && <p className="mt-4 font-medium text-red-800">Sold out: no tickets are left.</p>
      ) : (
        <form onSubmit={onSubmit} className="mt-4 flex flex-col gap-4">
          <SelectField
            label="Tickets"
            name="tickets"
            value={chosen}
            hint={`Up to ${most} per booking.`}
            onChange={(change) => {
              setTickets(Number(change.target.value))
              if (outcome?.kind !== 'unavailable') setOutcome(null)
            }}
          >
            {Array.from({ length: most }, (_, index) => index + 1).map((count) => (
              <option key={count} value={count}>
                {count}
              </option>
            ))}
          </SelectField>
          <p className="flex items-baseline justify-between text-slate-800">
            <span>Total</span>
            <strong className="text-xl" aria-live="polite">
              {formatMoney(multiplyPrice(event.price, chosen), event.currency)}
            </strong>
          </p>
          <Button type="submit" busy={book.isPending}>
            Book {chosen} ticket{chosen === 1 ? '' : 's'}
          </Button>
        </form>
      )}
    </div>
  )
}
