import { describe, expect, it } from 'vitest'

import { anEvent, aTicketType } from '@/testing/builders'

import { priceLabel } from './price'

describe('priceLabel', () => {
  it('shows the one price, or the lowest of several', () => {
    expect(priceLabel(anEvent({ price: '12.50' }))).toBe('€12.50')
    const typed = anEvent({
      price: '30.00',
      ticket_types: [aTicketType({ price: '30.00' }), aTicketType({ id: 'b', price: '18.50' })],
    })
    expect(priceLabel(typed)).toBe('From €18.50')
    expect(priceLabel(anEvent({ price: '0.00', ticket_types: [aTicketType({ price: '0.00' })] }))).toBe('Free')
  })
})
