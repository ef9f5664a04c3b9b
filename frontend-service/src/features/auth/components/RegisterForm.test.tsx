import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'

import { makeToken } from '@/testing/builders'
import { json, problem, stubFetch } from '@/testing/fetch-stub'
import { renderWithApp } from '@/testing/render'

import { RegisterForm } from './RegisterForm'

async function fill(name: string, email: string, password: string) {
  const user = userEvent.setup()
  await user.type(screen.getByLabelText('Full name'), name)
  await user.type(screen.getByLabelText('Email'), email)
  await user.type(screen.getByLabelText('Password'), password)
  await user.click(screen.getByRole('button', { name: 'Create account' }))
}

describe('RegisterForm', () => {
  it('refuses a weak password before asking the service', async () => {
    const { calls } = stubFetch()
    renderWithApp(<RegisterForm onRegistered={vi.fn()} loginHref="/login" />)
    await fill('Ada', 'ada@example.com', 'short')
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription('Use at least 8 characters.')
    expect(calls).toHaveLength(0)
  })

  it('marks a taken email on the email field', async () => {
    stubFetch({ method: 'POST', path: '/register', reply: problem(409, { detail: 'exists' }) })
    renderWithApp(<RegisterForm onRegistered={vi.fn()} loginHref="/login" />)
    await fill('Ada', 'ada@example.com', 'a long password')
    const email = screen.getByLabelText('Email')
    expect(await screen.findByRole('link', { name: 'Log in instead?' })).toHaveAttribute('href', '/login')
    expect(email).toHaveAccessibleDescription('An account with this email already exists. Log in instead?')
    expect(email).toHaveAttribute('aria-invalid', 'true')
  })

  it('maps the service’s own password rule onto the field', async () => {
    stubFetch({
      method: 'POST',
      path: '/register',
      reply: problem(422, { errors: [{ field: 'body.password', message: 'too short', type: 'string_too_short' }] }),
    })
    renderWithApp(<RegisterForm onRegistered={vi.fn()} loginHref="/login" />)
    await fill('Ada', 'ada@example.com', 'a long password')
    expect(await screen.findByText('Use 8 to 128 characters.')).toBeInTheDocument()
  })

  it('creates the account and signs in', async () => {
    const { calls } = stubFetch(
      { method: 'POST', path: '/register', reply: json({ id: 'u1', email: 'ada@example.com' }, { status: 201 }) },
      { method: 'POST', path: '/login', reply: json({ access_token: makeToken(), token_type: 'bearer', expires_in: 60 }) },
    )
    const onRegistered = vi.fn()
    renderWithApp(<RegisterForm onRegistered={onRegistered} loginHref="/login" />)
    await fill('Ada Lovelace', 'ada@example.com', 'a long password')
    await vi.waitFor(() => expect(onRegistered).toHaveBeenCalled())
    expect(calls[0]?.body).toEqual({ email: 'ada@example.com', password: 'a long password', full_name: 'Ada Lovelace' })
  })
})
