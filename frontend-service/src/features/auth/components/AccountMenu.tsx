import { Link, useNavigate } from 'react-router'

import { Button } from '@/components/Button'
import { useSession } from '@/lib/auth/use-session'

import { useLogout } from '../api/auth'

/** Who is signed in, and the way out; or the ways in. */
export function AccountMenu() {
  const session = useSession()
  const logout = useLogout()
  const navigate = useNavigate()
  if (!session) {
    return (
      <div className="flex items-center gap-2">
        <Link to="/login" className="rounded-md px-3 py-2 font-medium text-slate-800 hover:bg-slate-100">
          Log in
        </Link>
        <Link to="/register" className="rounded-md bg-indigo-700 px-3 py-2 font-medium text-white hover:bg-indigo-800">
          Sign up
        </Link>
      </div>
    )
  }
  return (
    <div className="flex items-center gap-2">
      <span className="hidden max-w-48 truncate text-sm text-slate-700 lg:inline" title={session.email}>
        {session.email}
      </span>
      <Button
        variant="secondary"
        size="sm"
        onClick={() => {
          logout()
          navigate('/login', { replace: true })
        }}
      >
        Log out
      </Button>
    </div>
  )
}
