import { describe, expect, it } from 'vitest'

import { liveNotificationsUrl, resolveApiBaseUrls, toWebSocketUrl } from './config'

describe('the services’ base URLs', () => {
  it('default to each service on its own localhost port', () => {
    expect(resolveApiBaseUrls({})).toEqual({
      users: 'http://localhost:8000',
      events: 'http://localhost:8001',
      bookings: 'http://localhost:8002',
      notifications: 'http://localhost:8003',
    })
  })

  it('come from the per-service settings, without trailing slashes', () => {
    const urls = resolveApiBaseUrls({
      VITE_USER_API_URL: 'https://users.example.com/',
      VITE_EVENT_API_URL: ' https://events.example.com ',
      VITE_BOOKING_API_URL: 'https://bookings.example.com',
      VITE_NOTIFICATION_API_URL: 'https://notifications.example.com//',
    })
    expect(urls).toEqual({
      users: 'https://users.example.com',
      events: 'https://events.example.com',
      bookings: 'https://bookings.example.com',
      notifications: 'https://notifications.example.com',
    })
  })

  it('share one gateway path when a gateway is set', () => {
    expect(resolveApiBaseUrls({ VITE_API_GATEWAY_URL: '/api/' })).toEqual({
      users: '/api/users',
      events: '/api/events',
      bookings: '/api/bookings',
      notifications: '/api/notifications',
    })
  })

  it('share one absolute gateway URL when a gateway is set', () => {
    expect(resolveApiBaseUrls({ VITE_API_GATEWAY_URL: 'https://tickets.example.com/api' }).bookings).toBe(
      'https://tickets.example.com/api/bookings',
    )
  })

  it('take a gateway path from the site root, not from the page', () => {
    expect(resolveApiBaseUrls({ VITE_API_GATEWAY_URL: 'api' }).users).toBe('/api/users')
    expect(resolveApiBaseUrls({ VITE_API_GATEWAY_URL: '/' }).users).toBe('/users')
  })

  it('let a per-service setting win over the gateway', () => {
    const urls = resolveApiBaseUrls({ VITE_API_GATEWAY_URL: '/api', VITE_EVENT_API_URL: 'http://localhost:9001' })
    expect(urls.events).toBe('http://localhost:9001')
    expect(urls.users).toBe('/api/users')
  })

  it('ignore settings left blank', () => {
    expect(resolveApiBaseUrls({ VITE_API_GATEWAY_URL: '  ', VITE_USER_API_URL: '' }).users).toBe('http://localhost:8000')
  })
})

describe('the live feed’s WebSocket URL', () => {
  it('swaps http for ws on an absolute URL, whatever the page', () => {
    expect(toWebSocketUrl('http://localhost:8003/ws/notifications', 'https://app.example.com/')).toBe(
      'ws://localhost:8003/ws/notifications',
    )
    expect(toWebSocketUrl('https://api.example.com/notifications/ws/notifications', 'http://localhost:5173/')).toBe(
      'wss://api.example.com/notifications/ws/notifications',
    )
  })

  it('resolves a gateway path against the page’s origin and scheme', () => {
    const path = '/api/notifications/ws/notifications'
    expect(toWebSocketUrl(path, 'https://tickets.example.com/events/42?page=2')).toBe(
      'wss://tickets.example.com/api/notifications/ws/notifications',
    )
    expect(toWebSocketUrl(path, 'http://localhost:8080/bookings')).toBe(
      'ws://localhost:8080/api/notifications/ws/notifications',
    )
  })

  it('points at notification-service’s feed', () => {
    // No VITE_* settings in the unit tests: the default ports.
    expect(liveNotificationsUrl()).toBe('ws://localhost:8003/ws/notifications')
  })
})
