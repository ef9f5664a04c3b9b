import { screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'

import { renderWithApp } from '@/testing/render'

import { RequireAuth } from './RequireAuth'

const routes = [
  { path: '/login', element: <p>Login page</p> },
  {
    element: <RequireAuth roles={['admin']} />,
    children: [{ path: '/admin/users', element: <p>Users</p> }],
  },
]

describe('RequireAuth', () => {
  it('sends a signed-out person to log in, remembering where they were going', async () => {
    const { router } = renderWithApp(<p>home</p>, { route: '/admin/users?page=2', routes })
    expect(await screen.findByText('Login page')).toBeInTheDocument()
    expect(router.state.location.search).toBe(`?next=${encodeURIComponent('/admin/users?page=2')}`)
  })

  it('tells a person without the role that the page is not for them', async () => {
    renderWithApp(<p>home</p>, { route: '/admin/users', routes, signedInAs: { role: 'user' } })
    expect(await screen.findByRole('heading', { name: 'Not available to your account' })).toBeInTheDocument()
  })

  it('lets the right role in', async () => {
    renderWithApp(<p>home</p>, { route: '/admin/users', routes, signedInAs: { role: 'admin' } })
    expect(await screen.findByText('Users')).toBeInTheDocument()
  })
})
