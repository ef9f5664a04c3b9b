import { useNavigate, useSearchParams } from 'react-router'

import { PageHeading } from '@/components/PageHeading'

import { RegisterForm } from '../components/RegisterForm'
import { loginPath, safeNextPath } from '@/lib/auth/next-path'

export function RegisterPage() {
  const [params] = useSearchParams()
  const navigate = useNavigate()
  const next = safeNextPath(params.get('next'))
  return (
    <section className="mx-auto max-w-md">
      <PageHeading title="Create your account" />
      <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <RegisterForm onRegistered={() => navigate(next, { replace: true })} loginHref={loginPath(next)} />
      </div>
    </section>
  )
}
