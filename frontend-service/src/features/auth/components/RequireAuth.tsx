import { Navigate, Outlet, useLocation } from 'react-router'

import { type Role, sessionExpired } from '@/lib/auth/token-store'
import { useSession } from '@/lib/auth/use-session'

import { loginPath } from '@/lib/auth/next-path'
import { AccessDenied } from './AccessDenied'

/** Children render only for a signed-in person (with one of `roles`, when given). */
export function RequireAuth({ roles }: { roles?: readonly Role[] }) {
  const session = useSession()
  const location = useLocation()
  if (!session) {
    return <Navigate to={loginPath(location.pathname + location.search)} replace state={{ expired: sessionExpired() }} />
  }
  if (roles && !roles.includes(session.role)) return <AccessDenied />
  return <Outlet />
}
