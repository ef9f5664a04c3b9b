import type { TicketType, TicketTypeCreate } from '@/lib/api/models'
import { utcToZonedInput, zonedTimeToUtc } from '@/lib/format'

/** A ticket type as its form holds it: text, times in the event's zone. */
export type TicketTypeFormValues = {
  name: string
  description: string
  price: string
  capacity: string
  minPerOrder: string
  maxPerOrder: string
  salesStart: string
  salesEnd: string
  hidden: boolean
}

export const EMPTY_TICKET_TYPE: TicketTypeFormValues = {
  name: '',
  description: '',
  price: '0.00',
  capacity: '',
  minPerOrder: '1',
  maxPerOrder: '',
  salesStart: '',
  salesEnd: '',
  hidden: false,
}

export function ticketTypeFormFrom(type: TicketType, timeZone: string): TicketTypeFormValues {
  return {
    name: type.name,
    description: type.description,
    price: type.price,
    capacity: String(type.capacity),
    minPerOrder: String(type.min_per_order),
    maxPerOrder: type.max_per_order >= 1000 ? '' : String(type.max_per_order),
    salesStart: type.sales_start ? utcToZonedInput(type.sales_start, timeZone) : '',
    salesEnd: type.sales_end ? utcToZonedInput(type.sales_end, timeZone) : '',
    hidden: type.hidden,
  }
}

const PRICE = /^\d{1,10}(\.\d{1,2})?$/
const COUNT = /^\d{1,7}$/

/** What is wrong with the values, by field; empty when they can be sent. */
export function validateTicketType(values: TicketTypeFormValues): Partial<Record<keyof TicketTypeFormValues, string>> {
  const errors: Partial<Record<keyof TicketTypeFormValues, string>> = {}
  if (!values.name.trim()) errors.name = 'Give the type a name.'
  if (!PRICE.test(values.price.trim())) errors.price = 'Enter a price such as 25 or 25.50 (0 for free).'
  if (!COUNT.test(values.capacity.trim())) errors.capacity = 'Enter how many tickets of this type there are.'
  if (!COUNT.test(values.minPerOrder.trim()) || Number(values.minPerOrder) < 1) {
    errors.minPerOrder = 'Enter a number of at least 1.'
  }
  if (values.maxPerOrder.trim()) {
    if (!COUNT.test(values.maxPerOrder.trim()) || Number(values.maxPerOrder) < 1) {
      errors.maxPerOrder = 'Enter a number of at least 1, or leave it empty.'
    } else if (Number(values.maxPerOrder) < Number(values.minPerOrder)) {
      errors.maxPerOrder = 'The most per booking cannot be below the fewest.'
    }
  }
  if (values.salesStart && values.salesEnd && values.salesEnd <= values.salesStart) {
    errors.salesEnd = 'The sale must end after it starts.'
  }
  return errors
}

/** The body event-service takes; an empty limit or window side means none. */
export function ticketTypeBody(values: TicketTypeFormValues, timeZone: string): TicketTypeCreate {
  return {
    name: values.name.trim(),
    description: values.description.trim(),
    price: Number(values.price.trim()).toFixed(2),
    capacity: Number(values.capacity.trim()),
    min_per_order: Number(values.minPerOrder.trim()),
    max_per_order: values.maxPerOrder.trim() ? Number(values.maxPerOrder.trim()) : 1000,
    sales_start: values.salesStart ? zonedTimeToUtc(values.salesStart, timeZone).toISOString() : null,
    sales_end: values.salesEnd ? zonedTimeToUtc(values.salesEnd, timeZone).toISOString() : null,
    hidden: values.hidden,
  }
}
