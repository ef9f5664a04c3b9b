import { render, screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'

import { anEvent } from '@/testing/builders'

import { EventDetails } from './EventDetails'

describe('EventDetails', () => {
  it('shows the description as the organizer wrote it, paragraph by paragraph', () => {
    const description = 'Doors open at 19:00.\nBring a jumper.\r\n\r\n  Tickets at the door are cash only.  \n \n\n'
    render(<EventDetails event={anEvent({ description })} />)
    const about = screen.getByRole('region', { name: 'About this event' })
    const paragraphs = about.querySelectorAll('p')
    expect([...paragraphs].map((paragraph) => paragraph.textContent)).toEqual([
      'Doors open at 19:00.\nBring a jumper.',
      'Tickets at the door are cash only.',
    ])
    expect(within(about).getByText(/Bring a jumper/)).toHaveClass('whitespace-pre-line')
  })

  it('leaves the section out when there is no description', () => {
    render(<EventDetails event={anEvent({ description: '  \n\n ' })} />)
    expect(screen.queryByRole('region', { name: 'About this event' })).not.toBeInTheDocument()
    expect(screen.getByText('Tickets left')).toBeInTheDocument()
  })
})
