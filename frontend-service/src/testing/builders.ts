import type { Booking, Event, Notification, TicketType, User } from '@/lib/api/models'
import type { Role } from '@/lib/auth/token-store'

/** An unsigned token with the claims the app reads; the services are not involved in unit tests. */
export function makeToken({
  email = 'ada@example.com',
  role = 'user' as Role,
  sub = '6f1c1c2e-0000-4000-8000-000000000001',
  expiresInSeconds = 3600,
} = {}): string {
  const encode = (value: object) =>
    btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
  const exp = Math.floor(Date.now() / 1000) + expiresInSeconds
  return `${encode({ alg: 'EdDSA', typ: 'JWT' })}.${encode({ sub, email, role, exp })}.signature`
}

export function aTicketType(overrides: Partial<TicketType> = {}): TicketType {
  return {
    id: 'default',
    name: 'Admission',
    description: '',
    price: '25.00',
    capacity: 100,
    available: 80,
    sales_start: null,
    sales_end: null,
    min_per_order: 1,
    max_per_order: 1000,
    hidden: false,
    sale_status: 'on-sale',
    ...overrides,
  }
}

export function anEvent(overrides: Partial<Event> = {}): Event {
  const available = overrides.available_tickets ?? 80
  return {
    id: '65f0c0ffee0000000000a001',
    title: 'Summer Concert',
    description: 'An evening of music.',
    venue: 'Town Hall',
    city: 'Springfield',
    category: 'concert',
    starts_at: '2099-07-15T17:30:00Z',
    ends_at: null,
    timezone: 'UTC',
    total_tickets: 100,
    available_tickets: 80,
    price: '25.00',
    currency: 'EUR',
    organizer_id: 'organizer-1',
    status: 'scheduled',
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    ticket_types: [
      aTicketType({
        price: overrides.price ?? '25.00',
        capacity: overrides.total_tickets ?? 100,
        available,
        sale_status: available > 0 ? 'on-sale' : 'sold-out',
      }),
    ],
    ...overrides,
  }
}

export function aBooking(overrides: Partial<Booking> = {}): Booking {
  return {
    id: '0b5c1d1e-0000-4000-8000-00000000b001',
    user_id: '6f1c1c2e-0000-4000-8000-000000000001',
    user_email: 'ada@example.com',
    event_id: '65f0c0ffee0000000000a001',
    event_title: 'Summer Concert',
    event_starts_at: '2099-07-15T17:30:00Z',
    event_timezone: 'UTC',
    unit_price: '25.00',
    currency: 'EUR',
    tickets: 2,
    total_price: '50.00',
    items: [{ ticket_type_id: 'default', name: 'Admission', quantity: 2, unit_price: '25.00' }],
    status: 'confirmed',
    failure_reason: null,
    idempotency_key: null,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    ...overrides,
  }
}

export function aNotification(overrides: Partial<Notification> = {}): Notification {
  return {
    id: '65f0c0ffee0000000000b001',
    user_email: 'ada@example.com',
    kind: 'booking_confirmed',
    subject: 'Booking confirmed: Summer Concert',
    body: 'Your booking is confirmed.',
    data: { event_id: '65f0c0ffee0000000000a001' },
    dedupe_key: null,
    read: false,
    read_at: null,
    email_status: 'sent',
    email_attempts: 1,
    last_error: null,
    created_at: '2026-01-01T10:00:00Z',
    sent_at: null,
    ...overrides,
  }
}

export function aUser(overrides: Partial<User> = {}): User {
  return {
    id: '6f1c1c2e-0000-4000-8000-000000000002',
    email: 'grace@example.com',
    full_name: 'Grace Hopper',
    role: 'user',
    created_at: '2026-01-01T00:00:00Z',
    ...overrides,
  }
}
