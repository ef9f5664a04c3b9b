import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'

import { notificationsApi } from '@/lib/api/client'
import { countHeader, unwrap } from '@/lib/api/errors'
import type { Notification } from '@/lib/api/models'
import { queryKeys } from '@/lib/api/query-keys'

export const NOTIFICATIONS_PAGE_SIZE = 20
/** How often to look for news while the live feed is down. */
export const POLL_MS = 15_000

type ListOptions = { email: string; page: number; unreadOnly: boolean; poll: boolean }

export function useNotifications({ email, page, unreadOnly, poll }: ListOptions) {
  return useQuery({
    queryKey: [...queryKeys.notifications(email), 'list', { page, unreadOnly }],
    queryFn: async ({ signal }) => {
      const { data, response } = await unwrap(
        notificationsApi.GET('/notifications/{user_email}', {
          params: {
            path: { user_email: email },
            query: { unread_only: unreadOnly, limit: NOTIFICATIONS_PAGE_SIZE, offset: (page - 1) * NOTIFICATIONS_PAGE_SIZE },
          },
          signal,
        }),
      )
      return {
        notifications: data,
        total: countHeader(response, 'X-Total-Count'),
        unread: countHeader(response, 'X-Unread-Count'),
      }
    },
    placeholderData: keepPreviousData,
    enabled: Boolean(email),
    refetchInterval: poll ? POLL_MS : false,
  })
}

/** The person's unread count, from `X-Unread-Count` of a one-item page. */
export function useUnreadCount({ email, poll }: { email: string; poll: boolean }) {
  return useQuery({
    queryKey: [...queryKeys.notifications(email), 'unread'],
    queryFn: async ({ signal }) => {
      const { response } = await unwrap(
        notificationsApi.GET('/notifications/{user_email}', {
          params: { path: { user_email: email }, query: { limit: 1 } },
          signal,
        }),
      )
      return countHeader(response, 'X-Unread-Count')
    },
    enabled: Boolean(email),
    refetchInterval: poll ? POLL_MS : false,
  })
}

export function useMarkRead(email: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async (notification: Notification) => {
      const { data } = await unwrap(
        notificationsApi.POST('/notifications/{notification_id}/read', {
          params: { path: { notification_id: notification.id } },
        }),
      )
      return data
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.notifications(email) }),
  })
}

export function useMarkAllRead(email: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async () => {
      const { data } = await unwrap(
        notificationsApi.POST('/notifications/{user_email}/read-all', { params: { path: { user_email: email } } }),
      )
      return data
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.notifications(email) }),
  })
}
