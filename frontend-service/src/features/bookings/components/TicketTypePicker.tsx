import type { TicketType } from '@/lib/api/models'
import { formatEventDateTime, formatPrice } from '@/lib/format'

import { quantityChoices, type SaleState, saleState } from '../utils/ticket-types'

type TicketTypePickerProps = {
  types: TicketType[]
  currency: string
  timeZone: string
  now: number
  /** The most tickets one booking may hold in all. */
  cap: number
  quantities: Record<string, number>
  onChange: (typeId: string, quantity: number) => void
}

function saleNote(type: TicketType, state: SaleState, timeZone: string): string {
  switch (state) {
    case 'not-yet-on-sale':
      return `On sale from ${formatEventDateTime(type.sales_start ?? '', timeZone)}`
    case 'sale-ended':
      return 'Sale ended'
    case 'sold-out':
      return 'Sold out'
    case 'on-sale':
      return type.sales_end
        ? `${type.available} left · until ${formatEventDateTime(type.sales_end, timeZone)}`
        : `${type.available} left`
  }
}

/** Each ticket type with its price, what is left and its sale window, and how many to book;
 * a type outside its window or sold out cannot be chosen. */
export function TicketTypePicker({ types, currency, timeZone, now, cap, quantities, onChange }: TicketTypePickerProps) {
  const chosen = Object.values(quantities).reduce((sum, count) => sum + count, 0)
  return (
    <ul className="flex flex-col divide-y divide-slate-200">
      {types.map((type) => {
        const state = saleState(type, now)
        // What the booking's cap leaves for this type once the others are counted.
        const room = cap - chosen + (quantities[type.id] ?? 0)
        const choices = state === 'on-sale' ? quantityChoices(type, room) : [0]
        const limits =
          type.min_per_order > 1 || type.max_per_order < cap
            ? `${type.min_per_order}-${Math.min(type.max_per_order, cap)} per booking`
            : null
        return (
          <li key={type.id} className="flex items-start justify-between gap-3 py-3">
            <div className="min-w-0">
              <p className="font-medium text-slate-900">
                {type.name} <span className="text-slate-700">· {formatPrice(type.price, currency)}</span>
              </p>
              {type.description && <p className="text-sm text-slate-600">{type.description}</p>}
              <p className={`text-sm ${state === 'on-sale' ? 'text-slate-600' : 'font-medium text-red-800'}`}>
                {saleNote(type, state, timeZone)}
                {limits && state === 'on-sale' ? ` · ${limits}` : ''}
              </p>
            </div>
            <select
              aria-label={`${type.name} tickets`}
              className="rounded-md border border-slate-300 bg-white px-2 py-1 text-slate-900 disabled:bg-slate-100"
              value={quantities[type.id] ?? 0}
              disabled={choices.length < 2}
              onChange={(change) => onChange(type.id, Number(change.target.value))}
            >
              {choices.map((count) => (
                <option key={count} value={count}>
                  {count}
                </option>
              ))}
            </select>
          </li>
        )
      })}
    </ul>
  )
}
