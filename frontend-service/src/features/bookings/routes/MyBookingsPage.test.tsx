import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'

import { aBooking } from '@/testing/builders'
import { json, stubFetch } from '@/testing/fetch-stub'
import { renderWithApp } from '@/testing/render'

import { MyBookingsPage } from './MyBookingsPage'

describe('MyBookingsPage', () => {
  it('lists bookings with status, event, local date, tickets and total; failed attempts are left out', async () => {
    const { calls } = stubFetch(
      {
        method: 'GET',
        path: '/bookings',
        reply: json(
          [
            aBooking({ id: 'b1', event_title: 'Jazz Night', status: 'confirmed', event_timezone: 'Europe/Berlin' }),
            aBooking({ id: 'b2', event_title: 'Old Show', status: 'cancelled' }),
            aBooking({ id: 'b3', event_title: 'Never Was', status: 'failed' }),
          ],
          { headers: { 'X-Total-Count': '3' } },
        ),
      },
    )
    renderWithApp(<MyBookingsPage />, { signedInAs: {} })
    const jazz = await screen.findByRole('article', { name: 'Booking for Jazz Night' })
    expect(within(jazz).getByText('Confirmed')).toBeInTheDocument()
    expect(within(jazz).getByText('€50.00')).toBeInTheDocument()
    expect(await within(jazz).findByText('Wed 15 Jul 2099, 19:30 CEST')).toBeInTheDocument()
    expect(screen.getByRole('article', { name: 'Booking for Old Show' })).toBeInTheDocument()
    expect(screen.queryByText('Never Was')).not.toBeInTheDocument()
    // The person's own bookings, even for an admin.
    expect(calls[0]?.url.searchParams.get('user_id')).toBe('6f1c1c2e-0000-4000-8000-000000000001')
  })

  it('uses the time zone a booking carries, without asking event-service', async () => {
    const { calls } = stubFetch({
      method: 'GET',
      path: '/bookings',
      reply: json([aBooking({ event_title: 'Tokyo Jazz', event_timezone: 'Asia/Tokyo' })]),
    })
    renderWithApp(<MyBookingsPage />, { signedInAs: {} })
    expect(await screen.findByText('Thu 16 Jul 2099, 02:30 GMT+9')).toBeInTheDocument()
    expect(calls.map((call) => call.url.pathname)).toEqual(['/bookings'])
  })

  it('reads a date in UTC when the booking has no time zone, without asking event-service', async () => {
    const { calls } = stubFetch({
      method: 'GET',
      path: '/bookings',
      reply: json([aBooking({ event_title: 'Jazz Night', event_timezone: null })]),
    })
    renderWithApp(<MyBookingsPage />, { signedInAs: {} })
    expect(await screen.findByText('Wed 15 Jul 2099, 17:30 UTC')).toBeInTheDocument()
    expect(calls.map((call) => call.url.pathname)).toEqual(['/bookings'])
  })

  it('cancels only after the person confirms', async () => {
    const { calls } = stubFetch(
      { method: 'GET', path: '/bookings', reply: json([aBooking({ id: 'b1', event_title: 'Jazz Night' })]) },
      { method: 'POST', path: '/bookings/b1/cancel', reply: json(aBooking({ id: 'b1', status: 'cancelled' })) },
    )
    renderWithApp(<MyBookingsPage />, { signedInAs: {} })
    const user = userEvent.setup()
    await user.click(await screen.findByRole('button', { name: 'Cancel booking' }))
    const dialog = screen.getByRole('alertdialog', { name: 'Cancel this booking?' })
    expect(within(dialog).getByRole('button', { name: 'Keep booking' })).toHaveFocus()
    await user.keyboard('{Escape}')
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument()
    expect(calls.some((call) => call.method === 'POST')).toBe(false)

    await user.click(screen.getByRole('button', { name: 'Cancel booking' }))
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Cancel booking' }))
    expect(await screen.findByText('Booking cancelled')).toBeInTheDocument()
    expect(calls.filter((call) => call.method === 'POST').map((call) => call.url.pathname)).toEqual(['/bookings/b1/cancel'])
  })

  it('says so when there are no bookings', async () => {
    stubFetch({ method: 'GET', path: '/bookings', reply: json([], { headers: { 'X-Total-Count': '0' } }) })
    renderWithApp(<MyBookingsPage />, { signedInAs: {} })
    expect(await screen.findByText('You have no bookings yet')).toBeInTheDocument()
  })

  it('explains a failed load and offers to try again', async () => {
    stubFetch({ method: 'GET', path: '/bookings', reply: json({ status: 500, title: 'Internal Server Error' }, { status: 500 }) })
    renderWithApp(<MyBookingsPage />, { signedInAs: {} })
    expect(await screen.findByText('Your bookings could not be loaded')).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument()
  })
})
