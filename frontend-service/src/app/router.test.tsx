import { QueryClientProvider } from '@tanstack/react-query'
import { render, screen } from '@testing-library/react'
import { createMemoryRouter, RouterProvider } from 'react-router'
import { describe, expect, it } from 'vitest'

import { json, stubFetch } from '@/testing/fetch-stub'
import { testQueryClient } from '@/testing/render'

import { routes } from './router'

function renderAt(path: string) {
  const router = createMemoryRouter(routes, { initialEntries: [path] })
  render(
    <QueryClientProvider client={testQueryClient()}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  )
  return router
}

describe('the app’s routes', () => {
  it('shows a page of its own for an unknown address', async () => {
    renderAt('/no/such/page')
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument()
    expect(document.title).toBe('Page not found · Event Booking')
  })

  it('opens the catalogue at /, with the filters the URL holds', async () => {
    const { calls } = stubFetch({ method: 'GET', path: '/events', reply: json([], { headers: { 'X-Total-Count': '0' } }) })
    renderAt('/?q=jazz&category=concert')
    expect(await screen.findByText('No events match')).toBeInTheDocument()
    expect(screen.getByLabelText('Search')).toHaveValue('jazz')
    expect(calls[0]?.url.searchParams.get('category')).toBe('concert')
  })

  it('loads the organizer pages only for organizers, sending others to log in', async () => {
    const router = renderAt('/organizer/events')
    expect(await screen.findByRole('heading', { name: 'Log in' })).toBeInTheDocument()
    expect(router.state.location.search).toBe('?next=%2Forganizer%2Fevents')
  })
})
