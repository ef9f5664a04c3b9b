import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'

import { getSession } from '@/lib/auth/token-store'
import { makeToken } from '@/testing/builders'
import { json, problem, stubFetch } from '@/testing/fetch-stub'
import { renderWithApp } from '@/testing/render'

import { LoginForm } from './LoginForm'

async function submit(email: string, password: string) {
  const user = userEvent.setup()
  await user.type(screen.getByLabelText('Email'), email)
  await user.type(screen.getByLabelText('Password'), password)
  await user.click(screen.getByRole('button', { name: 'Log in' }))
}

describe('LoginForm', () => {
  it('asks for what is missing, beside the fields', async () => {
    renderWithApp(<LoginForm onSignedIn={vi.fn()} registerHref="/register" />)
    await userEvent.setup().click(screen.getByRole('button', { name: 'Log in' }))
    expect(screen.getByLabelText('Email')).toHaveAccessibleDescription('Enter your email address.')
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription('Enter your password.')
  })

  it('signs in and keeps the token', async () => {
    const token = makeToken({ email: 'ada@example.com' })
    stubFetch({ method: 'POST', path: '/login', reply: json({ access_token: token, token_type: 'bearer', expires_in: 3600 }) })
    const onSignedIn = vi.fn()
    renderWithApp(<LoginForm onSignedIn={onSignedIn} registerHref="/register" />)
    await submit('ada@example.com', 'a long password')
    expect(onSignedIn).toHaveBeenCalled()
    expect(getSession()?.email).toBe('ada@example.com')
  })

  it('says plainly when the email and password do not match', async () => {
    stubFetch({ method: 'POST', path: '/login', reply: problem(401, { detail: 'Incorrect email or password.' }) })
    renderWithApp(<LoginForm onSignedIn={vi.fn()} registerHref="/register" />)
    await submit('ada@example.com', 'wrong')
    expect(await screen.findByRole('alert')).toHaveTextContent('That email and password do not match an account.')
  })

  it('shows the lockout with its wait from Retry-After, and holds the button until then', async () => {
    stubFetch({ method: 'POST', path: '/login', reply: problem(429, { detail: 'Locked' }, { 'Retry-After': '90' }) })
    renderWithApp(<LoginForm onSignedIn={vi.fn()} registerHref="/register" />)
    await submit('ada@example.com', 'wrong')
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many failed sign-in attempts. Try again in 2 minutes.')
    expect(screen.getByRole('button', { name: 'Log in' })).toBeDisabled()
  })
})
