import { describe, expect, it } from 'vitest'

import {
  eventTimeZone,
  formatEventDateTime,
  formatMoney,
  formatPrice,
  multiplyPrice,
  timeZoneAbbreviation,
  utcToZonedInput,
  zonedTimeToUtc,
} from './format'

describe('event times', () => {
  it('reads an event in its own time zone, with the zone abbreviation', () => {
    expect(formatEventDateTime('2026-07-15T17:30:00Z', 'Europe/Berlin')).toBe('Wed 15 Jul 2026, 19:30 CEST')
    expect(formatEventDateTime('2026-12-15T18:30:00Z', 'Europe/Berlin')).toBe('Tue 15 Dec 2026, 19:30 CET')
    expect(formatEventDateTime('2026-07-15T23:30:00Z', 'America/New_York')).toBe('Wed 15 Jul 2026, 19:30 EDT')
    expect(formatEventDateTime('2026-07-15T17:30:00Z', 'UTC')).toBe('Wed 15 Jul 2026, 17:30 UTC')
  })

  it('falls back to an offset where no abbreviation is known', () => {
    expect(timeZoneAbbreviation(new Date('2026-07-15T00:00:00Z'), 'Asia/Tokyo')).toBe('GMT+9')
  })

  it('treats events without a (valid) time zone as UTC', () => {
    expect(eventTimeZone({})).toBe('UTC')
    expect(eventTimeZone({ timezone: null })).toBe('UTC')
    expect(eventTimeZone({ timezone: 'Mars/Olympus' })).toBe('UTC')
    expect(eventTimeZone({ timezone: 'Asia/Tokyo' })).toBe('Asia/Tokyo')
  })

  it('turns a wall-clock time at the venue into the instant it names, across DST', () => {
    expect(zonedTimeToUtc('2026-07-15T19:30', 'Europe/Berlin').toISOString()).toBe('2026-07-15T17:30:00.000Z')
    expect(zonedTimeToUtc('2026-01-15T19:30', 'Europe/Berlin').toISOString()).toBe('2026-01-15T18:30:00.000Z')
    // The morning after the clocks go forward (29 March 2026 in the EU).
    expect(zonedTimeToUtc('2026-03-29T03:30', 'Europe/Berlin').toISOString()).toBe('2026-03-29T01:30:00.000Z')
    expect(zonedTimeToUtc('2026-07-15T19:30', 'UTC').toISOString()).toBe('2026-07-15T19:30:00.000Z')
    expect(Number.isNaN(zonedTimeToUtc('not a time', 'UTC').getTime())).toBe(true)
  })

  it('shows a stored instant as the wall-clock time an input edits', () => {
    expect(utcToZonedInput('2026-07-15T17:30:00Z', 'Europe/Berlin')).toBe('2026-07-15T19:30')
    expect(utcToZonedInput('2026-07-15T23:30:00Z', 'America/New_York')).toBe('2026-07-15T19:30')
  })
})

describe('money', () => {
  it('multiplies prices in cents, without floating-point drift', () => {
    expect(multiplyPrice('0.10', 3)).toBe('0.30')
    expect(multiplyPrice('19.99', 10)).toBe('199.90')
  })

  it('formats amounts in their currency, and zero as free', () => {
    expect(formatMoney('50.00', 'EUR')).toBe('€50.00')
    expect(formatMoney('12.5', 'USD')).toBe('US$12.50')
    expect(formatPrice('0.00', 'EUR')).toBe('Free')
  })
})
