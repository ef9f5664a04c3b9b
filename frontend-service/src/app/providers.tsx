import { type QueryClient, QueryClientProvider } from '@tanstack/react-query'
import type { ReactNode } from 'react'

import { LiveNotificationsProvider } from '@/features/notifications/api/live'

export function AppProviders({ queryClient, children }: { queryClient: QueryClient; children: ReactNode }) {
  return (
    <QueryClientProvider client={queryClient}>
      <LiveNotificationsProvider>{children}</LiveNotificationsProvider>
    </QueryClientProvider>
  )
}
