import type { Event } from '@/lib/api/models'
import { cents, formatPrice } from '@/lib/format'

/** "€25.00", or "From €18.50" when the event's ticket types differ in price. */
export function priceLabel(event: Pick<Event, 'price' | 'currency' | 'ticket_types'>): string {
  const prices = [...new Set(event.ticket_types.map((type) => cents(type.price)))]
  if (prices.length < 2) return formatPrice(event.price, event.currency)
  return `From ${formatPrice((Math.min(...prices) / 100).toFixed(2), event.currency)}`
}
