import { describe, expect, it } from 'vitest'

import { aBooking, aTicketType } from '@/testing/builders'

import { bookedTickets, itemsTotal, quantityChoices, saleState } from './ticket-types'

const NOW = Date.parse('2026-06-01T12:00:00Z')

describe('saleState', () => {
  it('reads the window against now, then what is left', () => {
    expect(saleState(aTicketType({ sales_start: '2026-06-02T00:00:00Z' }), NOW)).toBe('not-yet-on-sale')
    expect(saleState(aTicketType({ sales_end: '2026-06-01T12:00:00Z' }), NOW)).toBe('sale-ended')
    expect(saleState(aTicketType({ available: 0 }), NOW)).toBe('sold-out')
    expect(saleState(aTicketType({ sales_start: '2026-05-01T00:00:00Z' }), NOW)).toBe('on-sale')
  })
})

describe('quantityChoices', () => {
  it('offers none, then the minimum up to the lowest bound', () => {
    expect(quantityChoices(aTicketType({ min_per_order: 2, max_per_order: 4, available: 10 }), 10)).toEqual([0, 2, 3, 4])
    expect(quantityChoices(aTicketType({ available: 3 }), 10)).toEqual([0, 1, 2, 3])
    expect(quantityChoices(aTicketType({ available: 50 }), 2)).toEqual([0, 1, 2])
    expect(quantityChoices(aTicketType({ min_per_order: 4, available: 3 }), 10)).toEqual([0])
  })
})

describe('itemsTotal', () => {
  it('adds each type at its price without floating-point drift', () => {
    const types = [aTicketType({ id: 'a', price: '0.10' }), aTicketType({ id: 'b', price: '18.50' })]
    expect(itemsTotal(types, { a: 3, b: 2 })).toBe('37.30')
    expect(itemsTotal(types, {})).toBe('0.00')
  })
})

describe('bookedTickets', () => {
  it('names the types of a booking of several, and counts the others', () => {
    const items = [
      { ticket_type_id: 'default', name: 'Standard', quantity: 2, unit_price: '20.00' },
      { ticket_type_id: 'b', name: 'Balcony', quantity: 1, unit_price: '15.00' },
    ]
    expect(bookedTickets(aBooking({ tickets: 3, items }))).toBe('2 Standard, 1 Balcony')
    expect(bookedTickets(aBooking({ tickets: 1 }))).toBe('1 ticket')
    expect(bookedTickets(aBooking({ tickets: 4, items: [] }))).toBe('4 tickets')
  })
})
