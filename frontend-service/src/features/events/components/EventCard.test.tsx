import { screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'

import { anEvent } from '@/testing/builders'
import { renderWithApp } from '@/testing/render'

import { EventCard } from './EventCard'

describe('EventCard', () => {
  it('shows the title, the time at the venue with its zone, the place and the price', () => {
    renderWithApp(
      <EventCard event={anEvent({ title: 'Jazz Night', starts_at: '2026-07-15T17:30:00Z', timezone: 'Europe/Berlin', city: 'Berlin' })} />,
    )
    const card = screen.getByRole('article', { name: 'Jazz Night' })
    expect(within(card).getByRole('link', { name: 'Jazz Night' })).toHaveAttribute('href', '/events/65f0c0ffee0000000000a001')
    expect(within(card).getByText('Wed 15 Jul 2026, 19:30 CEST')).toBeInTheDocument()
    expect(within(card).getByText('Town Hall, Berlin')).toBeInTheDocument()
    expect(within(card).getByText('€25.00')).toBeInTheDocument()
  })

  it('reads an event without a time zone as UTC', () => {
    renderWithApp(<EventCard event={anEvent({ starts_at: '2026-07-15T17:30:00Z' })} />)
    expect(screen.getByText('Wed 15 Jul 2026, 17:30 UTC')).toBeInTheDocument()
  })

  it.each([
    [0, 100, 'Sold out'],
    [3, 100, 'Few left: 3'],
    [40, 1000, 'Few left: 40'],
    [80, 100, '80 available'],
  ])('marks %i of %i tickets left as "%s"', (available, total, label) => {
    renderWithApp(<EventCard event={anEvent({ available_tickets: available, total_tickets: total })} />)
    expect(screen.getByText(label)).toBeInTheDocument()
  })
})
