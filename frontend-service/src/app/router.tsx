import { createBrowserRouter, type RouteObject } from 'react-router'

import { RequireAuth } from '@/features/auth/components/RequireAuth'
import { LoginPage } from '@/features/auth/routes/LoginPage'
import { RegisterPage } from '@/features/auth/routes/RegisterPage'
import { BookTicketsPanel } from '@/features/bookings/components/BookTicketsPanel'
import { MyBookingsPage } from '@/features/bookings/routes/MyBookingsPage'
import { EventPage } from '@/features/events/routes/EventPage'
import { EventsPage } from '@/features/events/routes/EventsPage'
import { NotificationsPage } from '@/features/notifications/routes/NotificationsPage'

import { AppLayout } from './layout/AppLayout'
import { NotFoundPage } from './routes/NotFoundPage'
import { RouteError } from './routes/RouteError'

const pages: RouteObject[] = [
  { index: true, element: <EventsPage /> },
  { path: 'events/:eventId', element: <EventPage bookingPanel={(event) => <BookTicketsPanel event={event} />} /> },
  { path: 'login', element: <LoginPage /> },
  { path: 'register', element: <RegisterPage /> },
  {
    element: <RequireAuth />,
    children: [
      { path: 'bookings', element: <MyBookingsPage /> },
      { path: 'notifications', element: <NotificationsPage /> },
    ],
  },
  {
    // Organizer and admin pages load in chunks of their own, only for those who open them.
    element: <RequireAuth roles={['organizer', 'admin']} />,
    children: [
      {
        path: 'organizer/events',
        lazy: async () => ({ Component: (await import('@/features/organizer/routes/MyEventsPage')).MyEventsPage }),
      },
      {
        path: 'organizer/events/new',
        lazy: async () => ({ Component: (await import('@/features/organizer/routes/NewEventPage')).NewEventPage }),
      },
      {
        path: 'organizer/events/:eventId/edit',
        lazy: async () => ({ Component: (await import('@/features/organizer/routes/EditEventPage')).EditEventPage }),
      },
    ],
  },
  {
    element: <RequireAuth roles={['admin']} />,
    children: [
      {
        path: 'admin/users',
        lazy: async () => ({ Component: (await import('@/features/admin/routes/UsersPage')).UsersPage }),
      },
    ],
  },
  { path: '*', element: <NotFoundPage /> },
]

export const routes: RouteObject[] = [
  {
    element: <AppLayout />,
    errorElement: <RouteError />,
    // A page that fails keeps the header, so the person can still go elsewhere.
    children: [{ errorElement: <RouteError />, children: pages }],
  },
]

export function createRouter() {
  return createBrowserRouter(routes)
}
