import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { useState } from 'react'
import { describe, expect, it, vi } from 'vitest'

import { aBooking, anEvent, aTicketType } from '@/testing/builders'
import { json, problem, stubFetch } from '@/testing/fetch-stub'
import { renderWithApp } from '@/testing/render'

import { BookTicketsPanel } from './BookTicketsPanel'

const signedIn = { signedInAs: { email: 'ada@example.com' } }

function bookingKeys(calls: { method: string; url: URL; headers: Headers }[]) {
  return calls.filter((call) => call.method === 'POST' && call.url.pathname === '/bookings').map((call) => call.headers.get('Idempotency-Key'))
}

describe('BookTicketsPanel', () => {
  it('asks a signed-out person to log in first, and brings them back', () => {
    renderWithApp(<BookTicketsPanel event={anEvent()} />, { route: '/events/e1', path: '/events/:eventId' })
    expect(screen.getByRole('link', { name: 'Log in to book' })).toHaveAttribute('href', '/login?next=%2Fevents%2Fe1')
  })

  it('offers 1 to the per-booking maximum, or fewer when fewer are left, with the total', async () => {
    renderWithApp(<BookTicketsPanel event={anEvent({ available_tickets: 4, price: '12.50' })} />, signedIn)
    const select = screen.getByLabelText('Tickets')
    expect(within(select).getAllByRole('option').map((option) => option.textContent)).toEqual(['1', '2', '3', '4'])
    await userEvent.setup().selectOptions(select, '3')
    expect(screen.getByText('€37.50')).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Book 3 tickets' })).toBeEnabled()
  })

  it('caps the choice at the per-booking maximum', () => {
    renderWithApp(<BookTicketsPanel event={anEvent({ available_tickets: 500 })} />, signedIn)
    expect(within(screen.getByLabelText('Tickets')).getAllByRole('option')).toHaveLength(10)
  })

  it('books with an Idempotency-Key and shows the confirmation with its reference', async () => {
    const { calls } = stubFetch(
      { method: 'POST', path: '/bookings', reply: json(aBooking({ id: 'b-123', tickets: 2, total_price: '50.00' }), { status: 201 }) },
      { method: 'GET', path: /^\/events\//, reply: json(anEvent()) },
    )
    renderWithApp(<BookTicketsPanel event={anEvent()} />, signedIn)
    const user = userEvent.setup()
    await user.selectOptions(screen.getByLabelText('Tickets'), '2')
    await user.click(screen.getByRole('button', { name: 'Book 2 tickets' }))
    expect(await screen.findByText('Booking confirmed')).toBeInTheDocument()
    expect(screen.getByText('b-123')).toBeInTheDocument()
    const [booking] = calls
    expect(booking?.body).toEqual({ event_id: '65f0c0ffee0000000000a001', tickets: 2 })
    expect(booking?.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{32,36}$/)
  })

  it('retries an unanswered booking with the same key, and a new booking with a new one', async () => {
    const { calls } = stubFetch(
      { method: 'POST', path: '/bookings', reply: problem(503, { dependency: 'event-service' }, { 'Retry-After': '5' }), times: 1 },
      { method: 'POST', path: '/bookings', reply: json(aBooking(), { status: 201 }) },
      { method: 'GET', path: /^\/events\//, reply: json(anEvent()) },
    )
    renderWithApp(<BookTicketsPanel event={anEvent()} />, signedIn)
    const user = userEvent.setup()
    await user.click(screen.getByRole('button', { name: 'Book 1 ticket' }))
    expect(await screen.findByText('Booking is unavailable right now')).toBeInTheDocument()
    expect(screen.getByText(/try again in 5 seconds/)).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Try again' }))
    expect(await screen.findByText('Booking confirmed')).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Book 1 ticket' }))
    await vi.waitFor(() => expect(bookingKeys(calls)).toHaveLength(3))
    const [first, retry, next] = bookingKeys(calls)
    expect(retry).toBe(first)
    expect(next).not.toBe(first)
  })

  it('says how many are left when there are not enough', async () => {
    stubFetch(
      { method: 'POST', path: '/bookings', reply: problem(409, { reason: 'insufficient', available_tickets: 1 }) },
      { method: 'GET', path: /^\/events\//, reply: json(anEvent()) },
    )
    renderWithApp(<BookTicketsPanel event={anEvent()} />, signedIn)
    const user = userEvent.setup()
    await user.selectOptions(screen.getByLabelText('Tickets'), '3')
    await user.click(screen.getByRole('button', { name: 'Book 3 tickets' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('Only 1 ticket is left.')
  })

  it('says sold out when someone else got the last ticket', async () => {
    stubFetch(
      { method: 'POST', path: '/bookings', reply: problem(409, { reason: 'insufficient', available_tickets: 0 }) },
      { method: 'GET', path: /^\/events\//, reply: json(anEvent()) },
    )
    renderWithApp(<BookTicketsPanel event={anEvent()} />, signedIn)
    await userEvent.setup().click(screen.getByRole('button', { name: 'Book 1 ticket' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('Sold out')
  })

  it('says sold out once when the event catches up after losing the last ticket', async () => {
    stubFetch({ method: 'POST', path: '/bookings', reply: problem(409, { reason: 'insufficient', available_tickets: 0 }) })
    function Refreshing() {
      const [event, setEvent] = useState(anEvent({ available_tickets: 1 }))
      return (
        <>
          <button onClick={() => setEvent(anEvent({ available_tickets: 0 }))}>Refresh</button>
          <BookTicketsPanel event={event} />
        </>
      )
    }
    renderWithApp(<Refreshing />, signedIn)
    const user = userEvent.setup()
    await user.click(screen.getByRole('button', { name: 'Book 1 ticket' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('Sold out')
    await user.click(screen.getByRole('button', { name: 'Refresh' }))
    expect(screen.queryByRole('button', { name: /^Book/ })).not.toBeInTheDocument()
    expect(screen.getAllByText(/sold out/i)).toHaveLength(1)
  })

  it('offers no form for a sold-out, cancelled or started event', () => {
    const { unmount } = renderWithApp(<BookTicketsPanel event={anEvent({ available_tickets: 0 })} />, signedIn)
    expect(screen.getByText('Sold out: no tickets are left.')).toBeInTheDocument()
    unmount()
    renderWithApp(<BookTicketsPanel event={anEvent({ status: 'cancelled' })} />, signedIn)
    expect(screen.getByText('This event has been cancelled.')).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: /Book/ })).not.toBeInTheDocument()
  })

  describe('with several ticket types', () => {
    const festival = anEvent({
      ticket_types: [
        aTicketType({ id: 'default', name: 'Standard', price: '20.00', available: 50 }),
        aTicketType({ id: 'vip', name: 'VIP', price: '75.50', available: 0, sale_status: 'sold-out' }),
        aTicketType({ id: 'late', name: 'Late', available: 10, sales_start: '2099-01-01T10:00:00Z' }),
        aTicketType({ id: 'group', name: 'Group', price: '15.00', available: 40, min_per_order: 4, max_per_order: 6 }),
      ],
    })

    it('lists each type with its price and what is left, and closes the ones not on sale', () => {
      renderWithApp(<BookTicketsPanel event={festival} />, signedIn)
      expect(screen.getByText('50 left')).toBeInTheDocument()
      expect(screen.getByText('Sold out')).toBeInTheDocument()
      expect(screen.getByText(/^On sale from/)).toBeInTheDocument()
      expect(screen.getByLabelText('VIP tickets')).toBeDisabled()
      expect(screen.getByLabelText('Late tickets')).toBeDisabled()
      const group = within(screen.getByLabelText('Group tickets')).getAllByRole('option')
      expect(group.map((option) => option.textContent)).toEqual(['0', '4', '5', '6'])
      expect(screen.getByRole('button', { name: 'Choose tickets' })).toBeDisabled()
    })

    it('books two types in one booking with their total', async () => {
      const { calls } = stubFetch(
        { method: 'POST', path: '/bookings', reply: json(aBooking({ tickets: 6, total_price: '100.00' }), { status: 201 }) },
        { method: 'GET', path: /^\/events\//, reply: json(festival) },
      )
      renderWithApp(<BookTicketsPanel event={festival} />, signedIn)
      const user = userEvent.setup()
      await user.selectOptions(screen.getByLabelText('Standard tickets'), '2')
      await user.selectOptions(screen.getByLabelText('Group tickets'), '4')
      expect(screen.getByText('€100.00')).toBeInTheDocument()
      await user.click(screen.getByRole('button', { name: 'Book 6 tickets' }))
      expect(await screen.findByText('Booking confirmed')).toBeInTheDocument()
      expect(calls[0]?.body).toEqual({
        event_id: festival.id,
        items: [
          { ticket_type_id: 'default', quantity: 2 },
          { ticket_type_id: 'group', quantity: 4 },
        ],
      })
    })

    it('keeps the booking within the per-booking maximum across types', async () => {
      renderWithApp(<BookTicketsPanel event={festival} />, signedIn)
      await userEvent.setup().selectOptions(screen.getByLabelText('Group tickets'), '6')
      const standard = within(screen.getByLabelText('Standard tickets')).getAllByRole('option')
      expect(standard.map((option) => option.textContent)).toEqual(['0', '1', '2', '3', '4'])
    })
  })
})
