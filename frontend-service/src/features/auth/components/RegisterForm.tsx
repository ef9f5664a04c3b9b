import { type FormEvent, type ReactNode, useState } from 'react'
import { Link } from 'react-router'

import { Alert } from '@/components/Alert'
import { Button } from '@/components/Button'
import { TextField } from '@/components/Field'
import { ApiError } from '@/lib/api/errors'

import { useRegister } from '../api/auth'

// user-service's rules: a password of 8 to 128 characters, a name of 1 to 100.
export const PASSWORD_MIN = 8
export const PASSWORD_MAX = 128
const NAME_MAX = 100

type FieldErrors = { fullName?: string; email?: string; password?: string }
type ShownErrors = { [Field in keyof FieldErrors]?: ReactNode }

export function validateRegistration(fullName: string, email: string, password: string): FieldErrors {
  const errors: FieldErrors = {}
  if (!fullName) errors.fullName = 'Enter your name.'
  else if (fullName.length > NAME_MAX) errors.fullName = `Use at most ${NAME_MAX} characters.`
  if (!email) errors.email = 'Enter your email address.'
  else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) errors.email = 'Enter an email address like name@example.com.'
  if (password.length < PASSWORD_MIN) errors.password = `Use at least ${PASSWORD_MIN} characters.`
  else if (password.length > PASSWORD_MAX) errors.password = `Use at most ${PASSWORD_MAX} characters.`
  return errors
}

function serverErrors(error: unknown, loginHref: string): { fields: ShownErrors; message: string | null } {
  if (!(error instanceof ApiError)) return { fields: {}, message: error ? String((error as Error).message) : null }
  if (error.status === 409) {
    const email = (
      <>
        An account with this email already exists.{' '}
        <Link to={loginHref} className="underline">
          Log in instead?
        </Link>
      </>
    )
    return { fields: { email }, message: null }
  }
  if (error.status === 422) {
    const fields: FieldErrors = {
      email: error.fieldError('email') && 'This email address is not valid.',
      password: error.fieldError('password') && `Use ${PASSWORD_MIN} to ${PASSWORD_MAX} characters.`,
      fullName: error.fieldError('full_name') && 'Enter your name (at most 100 characters).',
    }
    return { fields, message: fields.email || fields.password || fields.fullName ? null : error.message }
  }
  return { fields: {}, message: error.message }
}

type RegisterFormProps = { onRegistered: () => void; loginHref: string }

export function RegisterForm({ onRegistered, loginHref }: RegisterFormProps) {
  const register = useRegister()
  const [errors, setErrors] = useState<FieldErrors>({})

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const fullName = String(form.get('fullName') ?? '').trim()
    const email = String(form.get('email') ?? '').trim()
    const password = String(form.get('password') ?? '')
    const found = validateRegistration(fullName, email, password)
    setErrors(found)
    if (Object.keys(found).length > 0) return
    register.mutate({ fullName, email, password }, { onSuccess: onRegistered })
  }

  const server = serverErrors(register.error, loginHref)
  const shown: ShownErrors = { ...server.fields, ...errors }
  return (
    <form noValidate onSubmit={onSubmit} className="flex flex-col gap-4" aria-label="Sign up">
      {server.message && <Alert tone="error">{server.message}</Alert>}
      <TextField label="Full name" name="fullName" autoComplete="name" required error={shown.fullName} />
      <TextField label="Email" name="email" type="email" autoComplete="email" required error={shown.email} />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        hint={`At least ${PASSWORD_MIN} characters.`}
        error={shown.password}
      />
      <Button type="submit" busy={register.isPending}>
        Create account
      </Button>
      <p className="text-sm text-slate-700">
        Already have an account?{' '}
        <Link to={loginHref} className="font-medium text-indigo-700 underline">
          Log in
        </Link>
      </p>
    </form>
  )
}
