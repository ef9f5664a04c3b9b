import { useSearchParams } from 'react-router'

import { Alert } from '@/components/Alert'
import { Button } from '@/components/Button'
import { EmptyState } from '@/components/EmptyState'
import { ErrorState } from '@/components/ErrorState'
import { CheckboxField } from '@/components/Field'
import { PageHeading } from '@/components/PageHeading'
import { Pagination } from '@/components/Pagination'
import { Spinner } from '@/components/Spinner'
import { useSession } from '@/lib/auth/use-session'

import { useLiveNotifications } from '../api/live'
import { NOTIFICATIONS_PAGE_SIZE, useMarkAllRead, useMarkRead, useNotifications } from '../api/notifications'
import { NotificationItem } from '../components/NotificationItem'

export function NotificationsPage() {
  const session = useSession()
  const email = session?.email ?? ''
  const live = useLiveNotifications()
  const [params, setParams] = useSearchParams()
  const unreadOnly = params.get('unread') === '1'
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1)
  const list = useNotifications({ email, page, unreadOnly, poll: live.status !== 'open' })
  const markRead = useMarkRead(email)
  const markAll = useMarkAllRead(email)

  const update = (next: { unreadOnly?: boolean; page?: number }) => {
    const search = new URLSearchParams()
    if (next.unreadOnly ?? unreadOnly) search.set('unread', '1')
    if ((next.page ?? 1) > 1) search.set('page', String(next.page))
    setParams(search)
  }

  const unread = list.data?.unread ?? 0
  return (
    <section>
      <PageHeading title="Notifications">
        <Button variant="secondary" onClick={() => markAll.mutate()} busy={markAll.isPending} disabled={unread === 0}>
          Mark all as read
        </Button>
      </PageHeading>
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <CheckboxField label="Unread only" checked={unreadOnly} onChange={(event) => update({ unreadOnly: event.target.checked })} />
        <p className="text-sm text-slate-700">
          {unread} unread · {live.status === 'open' ? 'Live updates on' : 'Checking for updates periodically'}
        </p>
      </div>
      {(markRead.error || markAll.error) && (
        <Alert tone="error" className="mb-4">
          {(markRead.error ?? markAll.error)?.message}
        </Alert>
      )}
      {list.isPending ? (
        <Spinner label="Loading notifications…" />
      ) : list.isError ? (
        <ErrorState title="Notifications could not be loaded" error={list.error} onRetry={() => list.refetch()} />
      ) : list.data.notifications.length === 0 ? (
        <EmptyState title={unreadOnly ? 'Nothing unread' : 'No notifications yet'}>
          Booking confirmations and cancellations appear here.
        </EmptyState>
      ) : (
        <>
          <ul className="flex flex-col gap-3">
            {list.data.notifications.map((notification) => (
              <li key={notification.id}>
                <NotificationItem
                  notification={notification}
                  marking={markRead.isPending && markRead.variables?.id === notification.id}
                  onMarkRead={(item) => markRead.mutate(item)}
                />
              </li>
            ))}
          </ul>
          <Pagination
            page={page}
            pageSize={NOTIFICATIONS_PAGE_SIZE}
            total={list.data.total}
            onPageChange={(next) => update({ page: next })}
            label="Notification pages"
          />
        </>
      )}
    </section>
  )
}
