import { Suspense, useEffect, useRef, useState } from 'react'
import { Link, NavLink, Outlet, useLocation } from 'react-router'

import { Spinner } from '@/components/Spinner'
import { AccountMenu } from '@/features/auth/components/AccountMenu'
import { NotificationBell } from '@/features/notifications/components/NotificationBell'
import { useSession } from '@/lib/auth/use-session'

type NavItem = { to: string; label: string; end?: boolean }

function navItems(role: string | undefined): NavItem[] {
  const items: NavItem[] = [{ to: '/', label: 'Events', end: true }]
  if (role) items.push({ to: '/bookings', label: 'My bookings' })
  if (role === 'organizer' || role === 'admin') items.push({ to: '/organizer/events', label: 'My events' })
  if (role === 'admin') items.push({ to: '/admin/users', label: 'Users' })
  return items
}

const linkClasses = ({ isActive }: { isActive: boolean }) =>
  `block rounded-md px-3 py-2 font-medium ${isActive ? 'bg-indigo-50 text-indigo-800' : 'text-slate-700 hover:bg-slate-100'}`

function NavLinks({ items }: { items: NavItem[] }) {
  return items.map((item) => (
    <li key={item.to}>
      <NavLink to={item.to} end={item.end} className={linkClasses}>
        {item.label}
      </NavLink>
    </li>
  ))
}

export function AppLayout() {
  const session = useSession()
  const location = useLocation()
  // The phone menu stays open on the page it was opened on; a new page closes it.
  const [menuOpenOn, setMenuOpenOn] = useState<string | null>(null)
  const menuOpen = menuOpenOn === location.pathname
  const items = navItems(session?.role)

  // After moving to another page, screen readers and the keyboard start at its content.
  const firstPath = useRef(location.pathname)
  useEffect(() => {
    if (location.pathname === firstPath.current) return
    firstPath.current = ''
    document.getElementById('main')?.focus({ preventScroll: true })
  }, [location.pathname])

  return (
    <div className="flex min-h-screen flex-col">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded-md focus:bg-white focus:px-4 focus:py-2"
      >
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl items-center gap-3 px-4 py-2">
          <Link to="/" className="mr-2 flex items-center gap-2 text-lg font-bold text-indigo-800">
            <svg aria-hidden="true" viewBox="0 0 32 32" className="size-7">
              <rect width="32" height="32" rx="6" fill="#4338ca" />
              <path d="M8 11h16v3a2 2 0 0 0 0 4v3H8v-3a2 2 0 0 0 0-4z" fill="#fff" />
            </svg>
            Event Booking
          </Link>
          <nav aria-label="Main" className="hidden flex-1 md:block">
            <ul className="flex items-center gap-1">
              <NavLinks items={items} />
            </ul>
          </nav>
          <div className="ml-auto flex items-center gap-1">
            <NotificationBell />
            <div className="hidden md:block">
              <AccountMenu />
            </div>
            <button
              type="button"
              className="inline-flex size-11 items-center justify-center rounded-md text-slate-800 hover:bg-slate-100 md:hidden"
              aria-expanded={menuOpen}
              aria-controls="phone-menu"
              onClick={() => setMenuOpenOn(menuOpen ? null : location.pathname)}
            >
              <span className="sr-only">Menu</span>
              <svg aria-hidden="true" viewBox="0 0 24 24" className="size-6" fill="none" stroke="currentColor" strokeWidth="2">
                <path strokeLinecap="round" d={menuOpen ? 'M6 6l12 12M18 6L6 18' : 'M4 7h16M4 12h16M4 17h16'} />
              </svg>
            </button>
          </div>
        </div>
        {menuOpen && (
          <div id="phone-menu" className="border-t border-slate-200 px-4 py-3 md:hidden">
            <nav aria-label="Main menu">
              <ul className="flex flex-col gap-1">
                <NavLinks items={items} />
              </ul>
            </nav>
            <div className="mt-3 border-t border-slate-200 pt-3">
              <AccountMenu />
            </div>
          </div>
        )}
      </header>
      <main id="main" tabIndex={-1} className="mx-auto w-full max-w-6xl flex-1 px-4 py-6 focus:outline-none">
        <Suspense fallback={<Spinner />}>
          <Outlet />
        </Suspense>
      </main>
      <footer className="border-t border-slate-200 bg-white py-4 text-center text-sm text-slate-600">
        Event Booking · times are shown in each event&apos;s own time zone
      </footer>
    </div>
  )
}
