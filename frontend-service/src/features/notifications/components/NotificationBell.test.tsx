import { screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'

import { json, stubFetch } from '@/testing/fetch-stub'
import { renderWithApp } from '@/testing/render'

import { NotificationBell } from './NotificationBell'

describe('NotificationBell', () => {
  it('shows the unread count from X-Unread-Count', async () => {
    const { calls } = stubFetch({
      method: 'GET',
      path: '/notifications/ada%40example.com',
      reply: json([], { headers: { 'X-Total-Count': '1', 'X-Unread-Count': '3' } }),
    })
    renderWithApp(<NotificationBell />, { signedInAs: { email: 'ada@example.com' } })
    expect(await screen.findByRole('link', { name: 'Notifications, 3 unread' })).toHaveAttribute('href', '/notifications')
    expect(calls[0]?.url.searchParams.get('limit')).toBe('1')
  })

  it('is not there for a signed-out person', () => {
    const { container } = renderWithApp(<NotificationBell />)
    expect(container).toBeEmptyDOMElement()
  })
})
