import { useMemo } from 'react'
import { useSearchParams } from 'react-router'

import { EmptyState } from '@/components/EmptyState'
import { ErrorState } from '@/components/ErrorState'
import { PageHeading } from '@/components/PageHeading'
import { Pagination } from '@/components/Pagination'
import { Spinner } from '@/components/Spinner'

import { useEvents } from '../api/events'
import { EventCard } from '../components/EventCard'
import { EventFilters } from '../components/EventFilters'
import { type EventFilters as Filters, filtersFromParams, PAGE_SIZE, paramsFromFilters } from '../utils/filters'

export function EventsPage() {
  const [params, setParams] = useSearchParams()
  const search = params.toString()
  const filters = useMemo(() => filtersFromParams(new URLSearchParams(search)), [search])
  const events = useEvents(filters)
  const setFilters = (next: Filters) => setParams(paramsFromFilters(next))

  return (
    <section>
      <PageHeading title="Upcoming events" />
      <EventFilters filters={filters} onChange={setFilters} />
      <div className="mt-6" aria-busy={events.isFetching}>
        {events.isPending && events.fetchStatus !== 'idle' ? (
          <Spinner label="Loading events…" />
        ) : events.isError ? (
          <ErrorState title="Events could not be loaded" error={events.error} onRetry={() => events.refetch()} />
        ) : !events.data ? null : events.data.events.length === 0 ? (
          <EmptyState title="No events match">Try other words, another date or fewer filters.</EmptyState>
        ) : (
          <>
            <p className="mb-3 text-sm text-slate-700" role="status">
              {events.data.total} event{events.data.total === 1 ? '' : 's'} found
            </p>
            <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
              {events.data.events.map((event) => (
                <li key={event.id}>
                  <EventCard event={event} />
                </li>
              ))}
            </ul>
            <Pagination
              page={filters.page}
              pageSize={PAGE_SIZE}
              total={events.data.total}
              onPageChange={(page) => {
                setFilters({ ...filters, page })
                window.scrollTo({ top: 0 })
              }}
              label="Event pages"
            />
          </>
        )}
      </div>
    </section>
  )
}
