import { useState } from 'react'
import { useSearchParams } from 'react-router'

import { Alert } from '@/components/Alert'
import { ButtonLink } from '@/components/Button'
import { EmptyState } from '@/components/EmptyState'
import { ErrorState } from '@/components/ErrorState'
import { SelectField } from '@/components/Field'
import { PageHeading } from '@/components/PageHeading'
import { Pagination } from '@/components/Pagination'
import { Spinner } from '@/components/Spinner'
import type { Booking } from '@/lib/api/models'
import { useSession } from '@/lib/auth/use-session'

import { BOOKINGS_PAGE_SIZE, type ShownStatus, useBookings } from '../api/bookings'
import { BookingCard } from '../components/BookingCard'
import { CancelBookingDialog } from '../components/CancelBookingDialog'

const STATUSES: { value: ShownStatus | ''; label: string }[] = [
  { value: '', label: 'All bookings' },
  { value: 'confirmed', label: 'Confirmed' },
  { value: 'pending', label: 'Pending' },
  { value: 'cancelled', label: 'Cancelled' },
]

export function MyBookingsPage() {
  const [params, setParams] = useSearchParams()
  const status = (STATUSES.find((option) => option.value === params.get('status'))?.value ?? '') as ShownStatus | ''
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1)
  const session = useSession()
  const bookings = useBookings({ userId: session?.userId ?? '', status, page })
  const [cancelling, setCancelling] = useState<Booking | null>(null)
  const [cancelled, setCancelled] = useState<Booking | null>(null)

  const update = (next: { status?: string; page?: number }) => {
    const search = new URLSearchParams()
    const nextStatus = next.status ?? status
    const nextPage = next.page ?? 1
    if (nextStatus) search.set('status', nextStatus)
    if (nextPage > 1) search.set('page', String(nextPage))
    setParams(search)
  }

  return (
    <section>
      <PageHeading title="My bookings">
        <SelectField
          label="Show"
          value={status}
          onChange={(event) => update({ status: event.target.value })}
          containerClassName="w-48"
        >
          {STATUSES.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </SelectField>
      </PageHeading>
      {cancelled && (
        <Alert tone="success" className="mb-4" title="Booking cancelled">
          Your tickets for {cancelled.event_title ?? 'the event'} have been released.
        </Alert>
      )}
      {bookings.isPending ? (
        <Spinner label="Loading your bookings…" />
      ) : bookings.isError ? (
        <ErrorState title="Your bookings could not be loaded" error={bookings.error} onRetry={() => bookings.refetch()} />
      ) : bookings.data.bookings.length === 0 ? (
        <EmptyState title={status ? 'No bookings with this status' : 'You have no bookings yet'}>
          <ButtonLink to="/" variant="secondary" className="mt-3">
            Browse events
          </ButtonLink>
        </EmptyState>
      ) : (
        <>
          <ul className="flex flex-col gap-4">
            {bookings.data.bookings.map((booking) => (
              <li key={booking.id}>
                <BookingCard booking={booking} onCancel={setCancelling} />
              </li>
            ))}
          </ul>
          <Pagination
            page={page}
            pageSize={BOOKINGS_PAGE_SIZE}
            total={bookings.data.total}
            onPageChange={(next) => update({ page: next })}
            label="Booking pages"
          />
        </>
      )}
      <CancelBookingDialog
        booking={cancelling}
        onClose={() => setCancelling(null)}
        onCancelled={(booking) => {
          setCancelling(null)
          setCancelled(booking)
        }}
      />
    </section>
  )
}
