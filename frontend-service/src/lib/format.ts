import type { EventCategory } from './api/models'

export const categoryLabels: Record<EventCategory, string> = {
  concert: 'Concert',
  conference: 'Conference',
  sports: 'Sports',
  theatre: 'Theatre',
  workshop: 'Workshop',
  other: 'Other',
}

const DATE_LOCALE = 'en-GB'
// A zone's short name differs by locale ("CEST" in en-GB, "EDT" in en-US, "AEST" in en-AU);
// the first locale that knows a name wins over a bare "GMT+2".
const ZONE_NAME_LOCALES = ['en-GB', 'en-US', 'en-AU', 'en-IN', 'en-NZ', 'en-ZA', 'en-CA']

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`
  let found = formatters.get(key)
  if (!found) {
    found = new Intl.DateTimeFormat(locale, options)
    formatters.set(key, found)
  }
  return found
}

export function isValidTimeZone(zone: string): boolean {
  try {
    formatter('en', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

/** The event's IANA time zone; a missing zone, or one this browser does not know, reads as UTC. */
export function eventTimeZone(event: { timezone?: string | null }): string {
  const zone = event.timezone
  return zone && isValidTimeZone(zone) ? zone : 'UTC'
}

/** The short name of `timeZone` at `date`, e.g. "CEST", "EDT", "UTC", else "GMT+9". */
export function timeZoneAbbreviation(date: Date, timeZone: string): string {
  let fallback = ''
  for (const locale of ZONE_NAME_LOCALES) {
    const name =
      formatter(locale, { timeZone, timeZoneName: 'short' })
        .formatToParts(date)
        .find((part) => part.type === 'timeZoneName')?.value ?? ''
    if (/^[A-Z]{2,5}$/.test(name)) return name
    fallback ||= name
  }
  return fallback || timeZone
}

/** "Fri 12 Jun 2026, 19:30 CEST": the time as people at the venue read it. */
export function formatEventDateTime(iso: string, timeZone: string): string {
  const date = new Date(iso)
  const local = formatter(DATE_LOCALE, {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(date)
  return `${local.replace(/^(\w{3}),/, '$1')} ${timeZoneAbbreviation(date, timeZone)}`
}

/** "19:30 CEST" (for an end time on the same day). */
export function formatEventTime(iso: string, timeZone: string): string {
  const date = new Date(iso)
  const time = formatter(DATE_LOCALE, { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
  return `${time.format(date)} ${timeZoneAbbreviation(date, timeZone)}`
}

/** A moment in the viewer's own time zone, e.g. for when a notification arrived. */
export function formatLocalDateTime(iso: string): string {
  return formatter(DATE_LOCALE, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso))
}

/** A decimal amount in whole cents, so sums and products stay exact. */
export function cents(amount: string | number): number {
  return Math.round(Number(amount) * 100)
}

export function formatMoney(amount: string | number, currency: string): string {
  const value = cents(amount) / 100
  try {
    return new Intl.NumberFormat(DATE_LOCALE, { style: 'currency', currency }).format(value)
  } catch {
    return `${value.toFixed(2)} ${currency}`
  }
}

/** unit × count without floating-point drift, as a two-decimal string. */
export function multiplyPrice(unit: string, count: number): string {
  return ((cents(unit) * count) / 100).toFixed(2)
}

export function formatPrice(amount: string, currency: string): string {
  return cents(amount) === 0 ? 'Free' : formatMoney(amount, currency)
}

/** A wall-clock time in `timeZone` ("2026-06-12T19:30") as the UTC instant it names. */
export function zonedTimeToUtc(local: string, timeZone: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local)
  if (!match) return new Date(Number.NaN)
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number]
  const asUtc = Date.UTC(y, mo - 1, d, h, mi)
  // The zone's offset at the guess, then again at the corrected instant (DST edges).
  let instant = asUtc - zoneOffset(new Date(asUtc), timeZone)
  instant = asUtc - zoneOffset(new Date(instant), timeZone)
  return new Date(instant)
}

/** The UTC instant as a wall-clock time in `timeZone`, for a datetime-local input. */
export function utcToZonedInput(iso: string, timeZone: string): string {
  const parts = zonedParts(new Date(iso), timeZone)
  const pad = (value: number) => String(value).padStart(2, '0')
  return `${parts.year}-${pad(parts.month)}-${pad(parts.day)}T${pad(parts.hour)}:${pad(parts.minute)}`
}

function zonedParts(date: Date, timeZone: string) {
  const parts = formatter('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(date)
  const get = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((part) => part.type === type)?.value ?? 0)
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
  }
}

/** Milliseconds `timeZone` is ahead of UTC at `date`. */
function zoneOffset(date: Date, timeZone: string): number {
  const p = zonedParts(date, timeZone)
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second)
  return wall - (date.getTime() - date.getUTCMilliseconds())
}
