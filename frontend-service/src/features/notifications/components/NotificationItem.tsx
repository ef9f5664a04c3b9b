import { Link } from 'react-router'

import { Button } from '@/components/Button'
import type { Notification } from '@/lib/api/models'
import { formatLocalDateTime } from '@/lib/format'

type Props = { notification: Notification; onMarkRead: (notification: Notification) => void; marking: boolean }

export function NotificationItem({ notification, onMarkRead, marking }: Props) {
  const eventId = typeof notification.data?.event_id === 'string' ? notification.data.event_id : null
  return (
    <article
      aria-label={`${notification.read ? '' : 'Unread: '}${notification.subject}`}
      className={`rounded-lg border p-4 shadow-sm ${notification.read ? 'border-slate-200 bg-white' : 'border-indigo-300 bg-indigo-50'}`}
    >
      <div className="flex flex-wrap items-start justify-between gap-2">
        <h2 className="font-semibold text-slate-900">
          {!notification.read && (
            <span className="mr-2 inline-block size-2.5 rounded-full bg-indigo-700 align-middle" aria-hidden="true" />
          )}
          {notification.subject}
        </h2>
        <time dateTime={notification.created_at} className="text-sm text-slate-600">
          {formatLocalDateTime(notification.created_at)}
        </time>
      </div>
      <p className="mt-2 whitespace-pre-line text-slate-800">{notification.body}</p>
      <div className="mt-3 flex flex-wrap items-center gap-3">
        {eventId && (
          <Link to={`/events/${eventId}`} className="text-sm font-medium text-indigo-700 underline">
            View event
          </Link>
        )}
        {!notification.read && (
          <Button variant="secondary" size="sm" busy={marking} onClick={() => onMarkRead(notification)}>
            Mark as read
          </Button>
        )}
      </div>
    </article>
  )
}
