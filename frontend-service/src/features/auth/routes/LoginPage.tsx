import { useLocation, useNavigate, useSearchParams } from 'react-router'

import { Alert } from '@/components/Alert'
import { PageHeading } from '@/components/PageHeading'

import { LoginForm } from '../components/LoginForm'
import { safeNextPath } from '@/lib/auth/next-path'

export function LoginPage() {
  const [params] = useSearchParams()
  const navigate = useNavigate()
  const next = safeNextPath(params.get('next'))
  const location = useLocation()
  const expired = (location.state as { expired?: boolean } | null)?.expired === true
  const registerHref = next === '/' ? '/register' : `/register?next=${encodeURIComponent(next)}`
  return (
    <section className="mx-auto max-w-md">
      <PageHeading title="Log in" />
      {expired && (
        <Alert tone="warning" className="mb-4">
          Your session has expired. Log in again to continue.
        </Alert>
      )}
      <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <LoginForm onSignedIn={() => navigate(next, { replace: true })} registerHref={registerHref} />
      </div>
    </section>
  )
}
