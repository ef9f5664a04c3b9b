import type { Event, EventCategory, EventCreate, EventUpdate } from '@/lib/api/models'
import { EVENT_CATEGORIES } from '@/lib/api/models'
import { eventTimeZone, isValidTimeZone, utcToZonedInput, zonedTimeToUtc } from '@/lib/format'

/** The form's values, as typed. Times are wall-clock times at the venue, in `timezone`. */
export type EventFormValues = {
  title: string
  description: string
  venue: string
  city: string
  category: EventCategory
  timezone: string
  startsAt: string
  endsAt: string
  totalTickets: string
  price: string
  currency: string
}

export type EventFormErrors = Partial<Record<keyof EventFormValues, string>>

// event-service's rules (event_service/schemas.py), checked here before a round trip.
export const LIMITS = {
  title: 200,
  description: 5000,
  venue: 200,
  city: 100,
  maxTickets: 1_000_000,
} as const
const PRICE = /^\d{1,10}(\.\d{1,2})?$/
const CURRENCY = /^[A-Za-z]{3}$/
const WHOLE = /^\d+$/

export function emptyEventForm(timezone: string): EventFormValues {
  return {
    title: '',
    description: '',
    venue: '',
    city: '',
    category: 'other',
    timezone,
    startsAt: '',
    endsAt: '',
    totalTickets: '100',
    price: '0.00',
    currency: 'EUR',
  }
}

export function eventFormFrom(event: Event): EventFormValues {
  const timezone = eventTimeZone(event)
  return {
    title: event.title,
    description: event.description,
    venue: event.venue,
    city: event.city ?? '',
    category: event.category,
    timezone,
    startsAt: utcToZonedInput(event.starts_at, timezone),
    endsAt: event.ends_at ? utcToZonedInput(event.ends_at, timezone) : '',
    totalTickets: String(event.total_tickets),
    price: event.price,
    currency: event.currency,
  }
}

type Context = { now: Date; soldTickets: number; startsAtChanged: boolean }

export function validateEventForm(values: EventFormValues, { now, soldTickets, startsAtChanged }: Context): EventFormErrors {
  const errors: EventFormErrors = {}
  const title = values.title.trim()
  const venue = values.venue.trim()
  if (!title) errors.title = 'Give the event a title.'
  else if (title.length > LIMITS.title) errors.title = `Use at most ${LIMITS.title} characters.`
  if (values.description.trim().length > LIMITS.description)
    errors.description = `Use at most ${LIMITS.description} characters.`
  if (!venue) errors.venue = 'Say where the event takes place.'
  else if (venue.length > LIMITS.venue) errors.venue = `Use at most ${LIMITS.venue} characters.`
  if (values.city.trim().length > LIMITS.city) errors.city = `Use at most ${LIMITS.city} characters.`
  if (!EVENT_CATEGORIES.includes(values.category)) errors.category = 'Choose a category.'
  const zoneOk = isValidTimeZone(values.timezone)
  if (!zoneOk) errors.timezone = 'Choose a time zone from the list, e.g. Europe/Berlin.'

  const startsAt = values.startsAt && zoneOk ? zonedTimeToUtc(values.startsAt, values.timezone) : null
  if (!values.startsAt) errors.startsAt = 'Choose when the event starts.'
  else if (startsAt && Number.isNaN(startsAt.getTime())) errors.startsAt = 'Enter a date and time.'
  else if (startsAt && startsAtChanged && startsAt <= now) errors.startsAt = 'The start must be in the future.'
  if (values.endsAt && zoneOk) {
    const endsAt = zonedTimeToUtc(values.endsAt, values.timezone)
    if (Number.isNaN(endsAt.getTime())) errors.endsAt = 'Enter a date and time, or leave it empty.'
    else if (startsAt && endsAt <= startsAt) errors.endsAt = 'The end must be after the start.'
  }

  const total = values.totalTickets.trim()
  if (!WHOLE.test(total)) errors.totalTickets = 'Enter a whole number of tickets.'
  else if (Number(total) < 1 || Number(total) > LIMITS.maxTickets)
    errors.totalTickets = `Between 1 and ${LIMITS.maxTickets.toLocaleString('en-GB')} tickets.`
  else if (Number(total) < soldTickets)
    errors.totalTickets = `${soldTickets} tickets are already sold; the total cannot be lower.`

  if (!PRICE.test(values.price.trim())) errors.price = 'Enter a price such as 25 or 25.50 (0 for free).'
  if (!CURRENCY.test(values.currency.trim())) errors.currency = 'Use a three-letter code such as EUR.'
  return errors
}

/** The request body for these (valid) values; `timezone` travels beside the UTC times. */
export function eventBody(values: EventFormValues): EventCreate {
  return {
    title: values.title.trim(),
    description: values.description.trim(),
    venue: values.venue.trim(),
    city: values.city.trim() || null,
    category: values.category,
    timezone: values.timezone,
    starts_at: zonedTimeToUtc(values.startsAt, values.timezone).toISOString(),
    ends_at: values.endsAt ? zonedTimeToUtc(values.endsAt, values.timezone).toISOString() : null,
    total_tickets: Number(values.totalTickets.trim()),
    price: Number(values.price.trim()).toFixed(2),
    currency: values.currency.trim().toUpperCase(),
  }
}

/** Server field names (`body.total_tickets`) to the form's. */
export const SERVER_FIELDS: Record<string, keyof EventFormValues> = {
  title: 'title',
  description: 'description',
  venue: 'venue',
  city: 'city',
  category: 'category',
  timezone: 'timezone',
  starts_at: 'startsAt',
  ends_at: 'endsAt',
  total_tickets: 'totalTickets',
  price: 'price',
  currency: 'currency',
}

/** IANA zones the browser knows, UTC first. */
export function timeZoneOptions(): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []
  return ['UTC', ...zones.filter((zone) => zone !== 'UTC')]
}

/** The browser's own zone, a sensible default for a new event. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
}

/** The fields of `next` that differ from `original`: what an edit sends. */
export function changedFields(
  original: EventCreate,
  next: EventCreate,
): EventUpdate {
  const changes: Record<string, unknown> = {}
  for (const key of Object.keys(next) as (keyof typeof next)[]) {
    if (next[key] !== original[key]) changes[key] = next[key]
  }
  return changes as EventUpdate
}
