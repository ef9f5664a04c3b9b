import { Button } from '@/components/Button'
import { formatMoney } from '@/lib/format'

type BookingTotalProps = { total: string; currency: string; count: number; busy: boolean }

/** The total of what is chosen, and the button that books it (closed while nothing is). */
export function BookingTotal({ total, currency, count, busy }: BookingTotalProps) {
  return (
    <>
      <p className="flex items-baseline justify-between text-slate-800">
        <span>Total</span>
        <strong className="text-xl" aria-live="polite">
          {formatMoney(total, currency)}
        </strong>
      </p>
      <Button type="submit" busy={busy} disabled={count === 0}>
        {count === 0 ? 'Choose tickets' : `Book ${count} ticket${count === 1 ? '' : 's'}`}
      </Button>
    </>
  )
}
