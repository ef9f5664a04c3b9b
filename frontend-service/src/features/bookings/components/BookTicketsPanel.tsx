import { type FormEvent, useState } from 'react'
import { useLocation } from 'react-router'

import { ButtonLink } from '@/components/Button'
import { SelectField } from '@/components/Field'
import type { BookingItem, Event } from '@/lib/api/models'
import { loginPath } from '@/lib/auth/next-path'
import { useSession } from '@/lib/auth/use-session'
import { maxTicketsPerBooking } from '@/lib/config'
import { eventTimeZone, formatEventDateTime, multiplyPrice } from '@/lib/format'
import { newIdempotencyKey } from '@/lib/idempotency'
import { useNow } from '@/lib/use-now'

import { useBookTickets } from '../api/bookings'
import { type BookingOutcome, isRetryable, outcomeOfError } from '../utils/outcome'
import { itemsTotal, saleState } from '../utils/ticket-types'
import { BookingOutcomeMessage } from './BookingOutcomeMessage'
import { BookingTotal } from './BookingTotal'
import { TicketTypePicker } from './TicketTypePicker'

/** What one attempt asks for: tickets of the event's one type, or several types at once. */
type Request = { tickets: number } | { items: BookingItem[] }
type Attempt = { key: string; request: Request }

const sameRequest = (a: Request, b: Request) => JSON.stringify(a) === JSON.stringify(b)

/**
 * Choose how many tickets and book. Each attempt gets its own Idempotency-Key; a retry of an
 * attempt whose outcome is unknown sends the same key, so it can never book twice.
 */
export function BookTicketsPanel({ event }: { event: Event }) {
  const session = useSession()
  const location = useLocation()
  const book = useBookTickets(event.id)
  const [tickets, setTickets] = useState(1)
  const [quantities, setQuantities] = useState<Record<string, number>>({})
  const [attempt, setAttempt] = useState<Attempt | null>(null)
  const [outcome, setOutcome] = useState<BookingOutcome | null>(null)
  const loginHref = loginPath(location.pathname)

  const now = useNow(5000)
  const started = new Date(event.starts_at).getTime() <= now
  const closed = event.status === 'cancelled' || started
  const timeZone = eventTimeZone(event)
  const types = event.ticket_types
  const several = types.length > 1
  // One type (or an event listed before types): its window and limits bound the count.
  const only = types.length === 1 ? types[0] : undefined
  const onlyState = only ? saleState(only, now) : null
  const available = only ? Math.min(event.available_tickets, only.available) : event.available_tickets
  const fewest = only?.min_per_order ?? 1
  const most = Math.min(maxTicketsPerBooking, Math.max(available, 0), only?.max_per_order ?? maxTicketsPerBooking)
  const chosen = Math.max(Math.min(tickets, most), fewest)

  const items: BookingItem[] = types
    .map((type) => ({ ticket_type_id: type.id, quantity: quantities[type.id] ?? 0 }))
    .filter((item) => item.quantity > 0)
  const count = several ? items.reduce((sum, item) => sum + item.quantity, 0) : chosen
  const total = several ? itemsTotal(types, quantities) : multiplyPrice(only?.price ?? event.price, chosen)
  const request: Request = several ? { items } : { tickets: chosen }

  const send = (current: Attempt) => {
    setAttempt(current)
    book.mutate(
      { ...current.request, idempotencyKey: current.key },
      {
        onSuccess: (booking) => {
          setOutcome({ kind: 'confirmed', booking })
          setAttempt(null)
          setQuantities({}) // what is left changed: each type is chosen afresh
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
    if (count === 0) return
    // The same attempt (same request, outcome unknown) keeps its key; anything else is new.
    send(attempt && sameRequest(attempt.request, request) ? attempt : { key: newIdempotencyKey(), request })
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
      ) : several ? (
        <form onSubmit={onSubmit} className="mt-4 flex flex-col gap-4">
          <TicketTypePicker
            types={types}
            currency={event.currency}
            timeZone={timeZone}
            now={now}
            cap={maxTicketsPerBooking}
            quantities={quantities}
            onChange={(typeId, quantity) => {
              setQuantities((current) => ({ ...current, [typeId]: quantity }))
              if (outcome?.kind !== 'unavailable') setOutcome(null)
            }}
          />
          <BookingTotal total={total} currency={event.currency} count={count} busy={book.isPending} />
        </form>
      ) : onlyState === 'not-yet-on-sale' || onlyState === 'sale-ended' ? (
        <p className="mt-4 font-medium text-slate-800">
          {onlyState === 'sale-ended'
            ? 'The sale has ended.'
            : `Tickets go on sale ${formatEventDateTime(only?.sales_start ?? '', timeZone)}.`}
        </p>
      ) : available <= 0 || most < fewest ? (
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
            {Array.from({ length: most - fewest + 1 }, (_, index) => fewest + index).map((option) => (
              <option key={option} value={option}>
                {option}
              </option>
            ))}
          </SelectField>
          <BookingTotal total={total} currency={event.currency} count={count} busy={book.isPending} />
        </form>
      )}
    </div>
  )
}
