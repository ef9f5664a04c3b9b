import { useQueryClient } from '@tanstack/react-query'
import { createContext, type ReactNode, useContext, useEffect, useState } from 'react'

import type { Notification } from '@/lib/api/models'
import { queryKeys } from '@/lib/api/query-keys'
import { freshAccessToken, renewAfterRefusal } from '@/lib/auth/refresh'
import { expireSession } from '@/lib/auth/token-store'
import { useSession } from '@/lib/auth/use-session'
import { liveNotificationsUrl } from '@/lib/config'
import { LiveSocket, type LiveStatus } from '@/lib/live/live-socket'

type LiveState = { status: LiveStatus; latest: Notification | null }

const LiveContext = createContext<LiveState>({ status: 'stopped', latest: null })

type LiveMessage = { type: 'subscribed' | 'notification' | 'heartbeat'; notification?: Notification }

function isLiveMessage(message: unknown): message is LiveMessage {
  return typeof message === 'object' && message !== null && typeof (message as LiveMessage).type === 'string'
}

/**
 * Keeps one live feed open while someone is signed in: each new notification refreshes the
 * inbox queries at once; while the feed is down, those queries poll instead.
 */
export function LiveNotificationsProvider({ children }: { children: ReactNode }) {
  const session = useSession()
  const queryClient = useQueryClient()
  const [state, setState] = useState<LiveState>({ status: 'stopped', latest: null })
  const email = session?.email

  // One socket per person, kept across renewals of the access token (it asks for one itself).
  useEffect(() => {
    if (!email) return
    const inbox = queryKeys.notifications(email)
    const socket = new LiveSocket({
      url: liveNotificationsUrl(),
      token: freshAccessToken,
      renewToken: renewAfterRefusal,
      onStatus: (status) => setState((current) => ({ ...current, status })),
      onUnauthorized: expireSession,
      onMessage: (message) => {
        if (!isLiveMessage(message)) return
        // On (re)connecting, catch up with whatever arrived while the feed was down.
        if (message.type === 'subscribed') void queryClient.invalidateQueries({ queryKey: inbox })
        if (message.type === 'notification' && message.notification) {
          const notification = message.notification
          setState((current) => ({ ...current, latest: notification }))
          void queryClient.invalidateQueries({ queryKey: inbox })
        }
      },
    })
    socket.start()
    return () => {
      socket.stop()
      setState({ status: 'stopped', latest: null })
    }
  }, [email, queryClient])

  return <LiveContext value={state}>{children}</LiveContext>
}

export function useLiveNotifications(): LiveState {
  return useContext(LiveContext)
}
