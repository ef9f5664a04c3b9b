import type { Booking, TicketType } from '@/lib/api/models'
import { cents } from '@/lib/format'

/** Where a type's sale stands at `now` (the server's `sale_status` was right when fetched). */
export type SaleState = 'on-sale' | 'not-yet-on-sale' | 'sale-ended' | 'sold-out'

export function saleState(type: TicketType, now: number): SaleState {
  if (type.sales_start && new Date(type.sales_start).getTime() > now) return 'not-yet-on-sale'
  if (type.sales_end && new Date(type.sales_end).getTime() <= now) return 'sale-ended'
  if (type.available <= 0) return 'sold-out'
  return 'on-sale'
}

/** The counts a buyer may choose of `type` in one booking: none, or its minimum up to what
 * is left, its per-order maximum and the booking's cap, whichever is lowest. */
export function quantityChoices(type: TicketType, cap: number): number[] {
  const most = Math.min(type.max_per_order, type.available, cap)
  const counts = [0]
  for (let count = type.min_per_order; count <= most; count += 1) counts.push(count)
  return counts
}

/** The total of the chosen counts, in cents-exact two-decimal form. */
export function itemsTotal(types: TicketType[], quantities: Record<string, number>): string {
  const total = types.reduce((sum, type) => sum + cents(type.price) * (quantities[type.id] ?? 0), 0)
  return (total / 100).toFixed(2)
}

/** "3 tickets", or "2 Standard, 1 Balcony" for a booking of several types. */
export function bookedTickets(booking: Pick<Booking, 'tickets' | 'items'>): string {
  if (booking.items.length > 1) {
    return booking.items.map((item) => `${item.quantity} ${item.name ?? item.ticket_type_id}`).join(', ')
  }
  return `${booking.tickets} ticket${booking.tickets === 1 ? '' : 's'}`
}
