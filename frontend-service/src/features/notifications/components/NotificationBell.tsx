import { Link } from 'react-router'

import { useSession } from '@/lib/auth/use-session'

import { useLiveNotifications } from '../api/live'
import { useUnreadCount } from '../api/notifications'

function BellIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" className="size-6" fill="none" stroke="currentColor" strokeWidth="2">
      <path strokeLinecap="round" strokeLinejoin="round" d="M15 17h5l-1.4-1.4A2 2 0 0 1 18 14.2V11a6 6 0 0 0-4-5.7V5a2 2 0 1 0-4 0v.3A6 6 0 0 0 6 11v3.2c0 .5-.2 1-.6 1.4L4 17h5m6 0v1a3 3 0 1 1-6 0v-1m6 0H9" />
    </svg>
  )
}

/** The header's bell: unread count, live; announces each new notification to screen readers. */
export function NotificationBell() {
  const session = useSession()
  const live = useLiveNotifications()
  const unread = useUnreadCount({ email: session?.email ?? '', poll: live.status !== 'open' })
  if (!session) return null
  const count = unread.data ?? 0
  const label = count > 0 ? `Notifications, ${count} unread` : 'Notifications'
  return (
    <>
      <Link
        to="/notifications"
        aria-label={label}
        title={label}
        className="relative inline-flex size-11 items-center justify-center rounded-md text-slate-800 hover:bg-slate-100"
      >
        <BellIcon />
        {count > 0 && (
          <span
            data-testid="unread-count"
            className="absolute top-0.5 right-0.5 min-w-5 rounded-full bg-red-700 px-1.5 text-center text-xs leading-5 font-bold text-white"
          >
            {count > 99 ? '99+' : count}
          </span>
        )}
      </Link>
      <span className="sr-only" role="status">
        {live.latest ? `New notification: ${live.latest.subject}` : ''}
      </span>
    </>
  )
}
