import { describe, expect, it } from 'vitest'

import { anEvent } from '@/testing/builders'

import { changedFields, emptyEventForm, eventBody, eventFormFrom, type EventFormValues, validateEventForm } from './event-form'

const now = new Date('2026-06-01T12:00:00Z')
const valid: EventFormValues = {
  ...emptyEventForm('Europe/Berlin'),
  title: 'Garden Party',
  venue: 'Botanic Garden',
  startsAt: '2026-07-15T19:30',
  endsAt: '2026-07-15T22:00',
  totalTickets: '120',
  price: '30',
  currency: 'eur',
}
const check = (values: Partial<EventFormValues>, soldTickets = 0) =>
  validateEventForm({ ...valid, ...values }, { now, soldTickets, startsAtChanged: true })

describe('the event form mirrors event-service’s rules', () => {
  it('accepts a complete event', () => {
    expect(check({})).toEqual({})
  })

  it.each([
    [{ title: '  ' }, 'title'],
    [{ title: 'x'.repeat(201) }, 'title'],
    [{ venue: '' }, 'venue'],
    [{ city: 'x'.repeat(101) }, 'city'],
    [{ description: 'x'.repeat(5001) }, 'description'],
    [{ timezone: 'Mars/Olympus' }, 'timezone'],
    [{ startsAt: '' }, 'startsAt'],
    [{ startsAt: '2026-05-01T10:00', endsAt: '' }, 'startsAt'],
    [{ endsAt: '2026-07-15T19:30' }, 'endsAt'],
    [{ totalTickets: '0' }, 'totalTickets'],
    [{ totalTickets: '1000001' }, 'totalTickets'],
    [{ totalTickets: '2.5' }, 'totalTickets'],
    [{ price: '-1' }, 'price'],
    [{ price: '10.999' }, 'price'],
    [{ currency: 'EURO' }, 'currency'],
  ])('refuses %o', (values, field) => {
    expect(Object.keys(check(values))).toEqual([field])
  })

  it('keeps the capacity at or above the tickets sold', () => {
    expect(check({ totalTickets: '2' }, 3).totalTickets).toBe('3 tickets are already sold; the total cannot be lower.')
    expect(check({ totalTickets: '3' }, 3)).toEqual({})
  })

  it('does not refuse an unchanged start that has passed, when editing', () => {
    const errors = validateEventForm({ ...valid, startsAt: '2026-05-01T10:00', endsAt: '' }, { now, soldTickets: 0, startsAtChanged: false })
    expect(errors).toEqual({})
  })
})

describe('the request body', () => {
  it('sends the venue’s local times as UTC instants, with the zone beside them', () => {
    expect(eventBody(valid)).toEqual({
      title: 'Garden Party',
      description: '',
      venue: 'Botanic Garden',
      city: null,
      category: 'other',
      timezone: 'Europe/Berlin',
      starts_at: '2026-07-15T17:30:00.000Z',
      ends_at: '2026-07-15T20:00:00.000Z',
      total_tickets: 120,
      price: '30.00',
      currency: 'EUR',
    })
  })

  it('sends only what an edit changed', () => {
    const event = anEvent({ timezone: 'Europe/Berlin', starts_at: '2026-07-15T17:30:00Z' })
    const form = eventFormFrom(event)
    expect(form.startsAt).toBe('2026-07-15T19:30')
    expect(changedFields(eventBody(form), eventBody({ ...form, totalTickets: '150', title: 'Renamed' }))).toEqual({
      total_tickets: 150,
      title: 'Renamed',
    })
    expect(changedFields(eventBody(form), eventBody(form))).toEqual({})
  })
})
