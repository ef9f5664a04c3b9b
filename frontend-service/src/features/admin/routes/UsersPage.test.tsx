import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'

import { aUser } from '@/testing/builders'
import { json, stubFetch } from '@/testing/fetch-stub'
import { renderWithApp } from '@/testing/render'

import { UsersPage } from './UsersPage'

const admin = { role: 'admin' as const }

function listed(...users: ReturnType<typeof aUser>[]) {
  return json(users, { headers: { 'X-Total-Count': String(users.length) } })
}

describe('UsersPage', () => {
  it('searches by part of a name or email and keeps the search in the URL', async () => {
    const { calls } = stubFetch({ method: 'GET', path: '/users', reply: listed(aUser()) })
    const { router } = renderWithApp(<UsersPage />, { route: '/admin/users', path: '/admin/users', signedInAs: admin })
    await screen.findByRole('article', { name: 'grace@example.com' })
    expect(calls[0]?.url.searchParams.has('q')).toBe(false)

    const user = userEvent.setup()
    await user.type(screen.getByLabelText('Name or email'), '  hopp ')
    await user.click(screen.getByRole('button', { name: 'Search' }))

    expect(router.state.location.search).toBe('?q=hopp')
    await screen.findByRole('article', { name: 'grace@example.com' })
    expect(calls.at(-1)?.url.searchParams.get('q')).toBe('hopp')
    expect(calls.at(-1)?.url.searchParams.has('email')).toBe(false)
  })

  it('starts from the search in the URL and keeps it when the role changes', async () => {
    const { calls } = stubFetch({ method: 'GET', path: '/users', reply: listed(aUser({ role: 'organizer' })) })
    const { router } = renderWithApp(<UsersPage />, {
      route: '/admin/users?q=grace&page=2',
      path: '/admin/users',
      signedInAs: admin,
    })
    await screen.findByRole('article', { name: 'grace@example.com' })
    expect(screen.getByLabelText('Name or email')).toHaveValue('grace')
    expect(Object.fromEntries(calls[0]!.url.searchParams)).toMatchObject({ q: 'grace', offset: '20' })

    await userEvent.setup().selectOptions(screen.getByLabelText('Role'), 'organizer')

    expect(router.state.location.search).toBe('?q=grace&role=organizer')
    expect(calls.at(-1)?.url.searchParams.get('role')).toBe('organizer')
    expect(calls.at(-1)?.url.searchParams.get('q')).toBe('grace')
  })

  it('shows the search the URL holds after going back', async () => {
    stubFetch({ method: 'GET', path: '/users', reply: listed(aUser()) })
    const { router } = renderWithApp(<UsersPage />, { route: '/admin/users?q=ada', path: '/admin/users', signedInAs: admin })
    const box = await screen.findByLabelText('Name or email')
    const user = userEvent.setup()
    await user.clear(box)
    await user.type(box, 'grace{Enter}')
    expect(router.state.location.search).toBe('?q=grace')

    await router.navigate(-1)

    expect(await screen.findByDisplayValue('ada')).toBe(box)
  })

  it('says so when nobody matches', async () => {
    stubFetch({ method: 'GET', path: '/users', reply: listed() })
    renderWithApp(<UsersPage />, { route: '/admin/users?q=nobody', path: '/admin/users', signedInAs: admin })
    expect(await screen.findByText('No users match')).toBeInTheDocument()
  })
})
