import { EVENT_CATEGORIES, type EventCategory } from '@/lib/api/models'

/** The catalogue's filters, as the URL holds them (so a search can be shared and gone back to). */
export type EventFilters = {
  q: string
  category: EventCategory | ''
  city: string
  /** YYYY-MM-DD, the viewer's own calendar day. */
  from: string
  to: string
  availableOnly: boolean
  page: number
}

export const PAGE_SIZE = 12
const DATE = /^\d{4}-\d{2}-\d{2}$/

export function filtersFromParams(params: URLSearchParams): EventFilters {
  const category = params.get('category') ?? ''
  const page = Number.parseInt(params.get('page') ?? '1', 10)
  const date = (name: string) => {
    const value = params.get(name) ?? ''
    return DATE.test(value) ? value : ''
  }
  return {
    q: params.get('q') ?? '',
    category: (EVENT_CATEGORIES as readonly string[]).includes(category) ? (category as EventCategory) : '',
    city: params.get('city') ?? '',
    from: date('from'),
    to: date('to'),
    availableOnly: params.get('available') === '1',
    page: Number.isFinite(page) && page > 0 ? page : 1,
  }
}

export function paramsFromFilters(filters: EventFilters): URLSearchParams {
  const params = new URLSearchParams()
  if (filters.q.trim()) params.set('q', filters.q.trim())
  if (filters.category) params.set('category', filters.category)
  if (filters.city.trim()) params.set('city', filters.city.trim())
  if (filters.from) params.set('from', filters.from)
  if (filters.to) params.set('to', filters.to)
  if (filters.availableOnly) params.set('available', '1')
  if (filters.page > 1) params.set('page', String(filters.page))
  return params
}

/** Local midnight of a YYYY-MM-DD day, plus `days`. */
function localDay(value: string, days = 0): Date {
  const [year, month, day] = value.split('-').map(Number) as [number, number, number]
  return new Date(year, month - 1, day + days)
}

/** A date range that ends before it starts cannot match anything: say so instead. */
export function dateRangeError(filters: Pick<EventFilters, 'from' | 'to'>): string | null {
  if (filters.from && filters.to && localDay(filters.to) < localDay(filters.from)) {
    return 'The end date is before the start date.'
  }
  return null
}

/** The query parameters of GET /events for these filters. */
export function listQuery(filters: EventFilters) {
  return {
    q: filters.q.trim() || undefined,
    category: filters.category || undefined,
    city: filters.city.trim() || undefined,
    // "From the 12th" includes the whole of the 12th; "to the 14th" too.
    starts_after: filters.from ? new Date(localDay(filters.from).getTime() - 1).toISOString() : undefined,
    starts_before: filters.to ? localDay(filters.to, 1).toISOString() : undefined,
    available_only: filters.availableOnly || undefined,
    limit: PAGE_SIZE,
    offset: (filters.page - 1) * PAGE_SIZE,
  }
}
