import { describe, expect, it } from 'vitest'

import { dateRangeError, filtersFromParams, listQuery, paramsFromFilters } from './filters'

describe('catalogue filters in the URL', () => {
  it('round-trip through the query string, leaving out defaults', () => {
    const params = new URLSearchParams('q=jazz&category=concert&city=Berlin&from=2026-07-01&to=2026-07-31&available=1&page=3')
    const filters = filtersFromParams(params)
    expect(filters).toEqual({
      q: 'jazz',
      category: 'concert',
      city: 'Berlin',
      from: '2026-07-01',
      to: '2026-07-31',
      availableOnly: true,
      page: 3,
    })
    expect(paramsFromFilters(filters).toString()).toBe(params.toString())
    expect(paramsFromFilters(filtersFromParams(new URLSearchParams())).toString()).toBe('')
  })

  it('ignore values the service would refuse', () => {
    const filters = filtersFromParams(new URLSearchParams('category=opera&from=tomorrow&page=-2'))
    expect(filters).toMatchObject({ category: '', from: '', page: 1 })
  })

  it('become GET /events parameters: whole days, pages as offsets', () => {
    const query = listQuery(filtersFromParams(new URLSearchParams('from=2026-07-01&to=2026-07-02&page=2')))
    expect(query.limit).toBe(12)
    expect(query.offset).toBe(12)
    const after = new Date(query.starts_after!)
    const before = new Date(query.starts_before!)
    expect(before.getTime() - after.getTime()).toBe(2 * 86_400_000 + 1)
    expect(query.available_only).toBeUndefined()
  })

  it('explain a date range that ends before it starts', () => {
    expect(dateRangeError({ from: '2026-07-02', to: '2026-07-01' })).toBe('The end date is before the start date.')
    expect(dateRangeError({ from: '2026-07-01', to: '2026-07-01' })).toBeNull()
  })
})
