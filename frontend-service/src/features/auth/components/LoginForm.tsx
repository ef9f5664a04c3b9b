import { type FormEvent, useState } from 'react'
import { Link } from 'react-router'

import { Alert } from '@/components/Alert'
import { Button } from '@/components/Button'
import { TextField } from '@/components/Field'
import { ApiError } from '@/lib/api/errors'

import { useLogin } from '../api/auth'
import { describeWait, useCountdown } from '../hooks/use-countdown'

type LoginFormProps = { onSignedIn: () => void; registerHref: string }

export function LoginForm({ onSignedIn, registerHref }: LoginFormProps) {
  const login = useLogin()
  const [errors, setErrors] = useState<{ email?: string; password?: string }>({})
  const [lockedUntil, setLockedUntil] = useState<number | null>(null)
  const waitSeconds = useCountdown(lockedUntil)

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const email = String(form.get('email') ?? '').trim()
    const password = String(form.get('password') ?? '')
    const found: typeof errors = {}
    if (!email) found.email = 'Enter your email address.'
    if (!password) found.password = 'Enter your password.'
    setErrors(found)
    if (found.email || found.password) return
    login.mutate(
      { email, password },
      {
        onSuccess: onSignedIn,
        onError: (error) => {
          if (error instanceof ApiError && error.status === 429) {
            setLockedUntil(Date.now() + (error.retryAfter ?? 60) * 1000)
          }
        },
      },
    )
  }

  const error = login.error
  const locked = waitSeconds > 0
  let problem: string | null = null
  let tone: 'error' | 'info' = 'error'
  if (error instanceof ApiError && error.status === 429) {
    tone = locked ? 'error' : 'info'
    problem = locked
      ? `Too many failed sign-in attempts. Try again in ${describeWait(waitSeconds)}.`
      : 'You can try signing in again now.'
  } else if (error instanceof ApiError && error.status === 401) {
    problem = 'That email and password do not match an account.'
  } else if (error) {
    problem = error.message
  }

  return (
    <form noValidate onSubmit={onSubmit} className="flex flex-col gap-4" aria-label="Log in">
      {problem && <Alert tone={tone}>{problem}</Alert>}
      <TextField
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        error={errors.email}
      />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        error={errors.password}
      />
      <Button type="submit" busy={login.isPending} disabled={locked}>
        Log in
      </Button>
      <p className="text-sm text-slate-700">
        No account yet?{' '}
        <Link to={registerHref} className="font-medium text-indigo-700 underline">
          Sign up
        </Link>
      </p>
    </form>
  )
}
