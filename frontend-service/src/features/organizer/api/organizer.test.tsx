import { QueryClientProvider } from '@tanstack/react-query'
import { act, renderHook } from '@testing-library/react'
import type { ReactNode } from 'react'
import { describe, expect, it } from 'vitest'

import { anEvent } from '@/testing/builders'
import { json, problem, stubFetch } from '@/testing/fetch-stub'
import { testQueryClient } from '@/testing/render'

import { useCreateEvent } from './organizer'

const body = {
  title: 'Garden Party',
  description: '',
  venue: 'Botanic Garden',
  city: null,
  category: 'other' as const,
  timezone: 'Europe/Berlin',
  starts_at: '2026-07-15T17:30:00.000Z',
  ends_at: null,
  total_tickets: 120,
  price: '30.00',
  currency: 'EUR',
}

function wrapper({ children }: { children: ReactNode }) {
  return <QueryClientProvider client={testQueryClient()}>{children}</QueryClientProvider>
}

describe('useCreateEvent', () => {
  it('sends the time zone with the event', async () => {
    const { calls } = stubFetch({ method: 'POST', path: '/events', reply: json(anEvent({ timezone: 'Europe/Berlin' }), { status: 201 }) })
    const { result } = renderHook(() => useCreateEvent(), { wrapper })
    await act(() => result.current.mutateAsync(body))
    expect(calls).toHaveLength(1)
    expect(calls[0]?.body).toMatchObject({ timezone: 'Europe/Berlin', starts_at: '2026-07-15T17:30:00.000Z' })
  })

  it('passes a refusal on to the form', async () => {
    stubFetch({
      method: 'POST',
      path: '/events',
      reply: problem(422, { errors: [{ field: 'body.title', message: 'too long', type: 'string_too_long' }] }),
    })
    const { result } = renderHook(() => useCreateEvent(), { wrapper })
    await expect(act(() => result.current.mutateAsync(body))).rejects.toMatchObject({ status: 422 })
  })
})
