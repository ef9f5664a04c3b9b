import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'

import { aNotification } from '@/testing/builders'
import { json, stubFetch } from '@/testing/fetch-stub'
import { renderWithApp } from '@/testing/render'

import { NotificationsPage } from './NotificationsPage'

describe('NotificationsPage', () => {
  it('lists notifications, read and unread, and marks one or all read', async () => {
    const { calls } = stubFetch(
      {
        method: 'GET',
        path: '/notifications/ada%40example.com',
        reply: json(
          [aNotification({ id: 'n1', subject: 'Booking confirmed: Jazz' }), aNotification({ id: 'n2', subject: 'Old news', read: true })],
          { headers: { 'X-Total-Count': '2', 'X-Unread-Count': '1' } },
        ),
      },
      { method: 'POST', path: '/notifications/n1/read', reply: json(aNotification({ id: 'n1', read: true })) },
      { method: 'POST', path: '/notifications/ada%40example.com/read-all', reply: json({ marked_read: 0 }) },
    )
    renderWithApp(<NotificationsPage />, { signedInAs: { email: 'ada@example.com' } })
    const unread = await screen.findByRole('article', { name: 'Unread: Booking confirmed: Jazz' })
    expect(screen.getByRole('article', { name: 'Old news' })).toBeInTheDocument()
    expect(within(unread).getByRole('link', { name: 'View event' })).toHaveAttribute('href', '/events/65f0c0ffee0000000000a001')
    const user = userEvent.setup()
    await user.click(within(unread).getByRole('button', { name: 'Mark as read' }))
    await user.click(screen.getByRole('button', { name: 'Mark all as read' }))
    const posts = calls.filter((call) => call.method === 'POST').map((call) => call.url.pathname)
    expect(posts).toEqual(['/notifications/n1/read', '/notifications/ada%40example.com/read-all'])
  })
})
