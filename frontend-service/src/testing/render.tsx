import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { render } from '@testing-library/react'
import type { ReactNode } from 'react'
import { createMemoryRouter, RouterProvider, type RouteObject } from 'react-router'

import { signIn } from '@/lib/auth/token-store'

import { makeToken } from './builders'

export function testQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: false, gcTime: Infinity }, mutations: { retry: false } } })
}

type Options = {
  /** The URL the test starts at. */
  route?: string
  /** The route pattern `ui` is rendered at (e.g. `/events/:eventId`). */
  path?: string
  /** Other routes, for pages navigated to. */
  routes?: RouteObject[]
  signedInAs?: Parameters<typeof makeToken>[0] | false
}

/** Render `ui` inside the app's providers and a router, as a person would reach it. */
export function renderWithApp(ui: ReactNode, { route = '/', path = '/', routes = [], signedInAs = false }: Options = {}) {
  if (signedInAs) signIn(makeToken(signedInAs))
  const queryClient = testQueryClient()
  const router = createMemoryRouter([{ path, element: ui }, ...routes], { initialEntries: [route] })
  const result = render(
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  )
  return { ...result, router, queryClient }
}
