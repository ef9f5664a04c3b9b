import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

import { LiveSocket, type LiveStatus } from './live-socket'

class FakeSocket {
  static made: FakeSocket[] = []
  readyState = 0
  onmessage: ((event: { data: string }) => void) | null = null
  onclose: ((event: { code: number }) => void) | null = null
  closed = false
  readonly url: string
  readonly protocols: string[]
  constructor(url: string, protocols: string[]) {
    this.url = url
    this.protocols = protocols
    FakeSocket.made.push(this)
  }
  receive(message: unknown) {
    this.readyState = 1
    this.onmessage?.({ data: JSON.stringify(message) })
  }
  drop(code: number) {
    this.readyState = 3
    this.onclose?.({ code })
  }
  close() {
    this.closed = true
    this.readyState = 3
  }
}

function start(overrides: Partial<ConstructorParameters<typeof LiveSocket>[0]> = {}) {
  const statuses: LiveStatus[] = []
  const messages: unknown[] = []
  const socket = new LiveSocket({
    url: 'ws://localhost:8003/ws/notifications',
    token: 'the.access.token',
    onMessage: (message) => messages.push(message),
    onStatus: (status) => statuses.push(status),
    random: () => 1,
    WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
    ...overrides,
  })
  socket.start()
  return { socket, statuses, messages }
}

beforeEach(() => {
  FakeSocket.made = []
  vi.useFakeTimers()
})
afterEach(() => vi.useRealTimers())

describe('the live notification socket', () => {
  it('carries the token in the bearer subprotocol, not in the URL', () => {
    start()
    expect(FakeSocket.made[0]?.protocols).toEqual(['bearer', 'the.access.token'])
    expect(FakeSocket.made[0]?.url).not.toContain('token')
  })

  it('is open once subscribed, and passes messages on', () => {
    const { statuses, messages } = start()
    FakeSocket.made[0]!.receive({ type: 'subscribed' })
    FakeSocket.made[0]!.receive({ type: 'notification', notification: { id: 'n1' } })
    expect(statuses).toEqual(['connecting', 'open'])
    expect(messages).toHaveLength(2)
  })

  it('reconnects after a drop, waiting longer after each failure, up to a cap', () => {
    const { socket, statuses } = start({ initialDelayMs: 1000, maxDelayMs: 4000 })
    expect([1, 2, 3, 4, 5].map((failures) => socket.nextDelay(failures))).toEqual([1000, 2000, 4000, 4000, 4000])
    FakeSocket.made[0]!.drop(1006)
    expect(statuses.at(-1)).toBe('offline')
    vi.advanceTimersByTime(999)
    expect(FakeSocket.made).toHaveLength(1)
    vi.advanceTimersByTime(1)
    expect(FakeSocket.made).toHaveLength(2)
    FakeSocket.made[1]!.drop(1012)
    vi.advanceTimersByTime(1999)
    expect(FakeSocket.made).toHaveLength(2)
    vi.advanceTimersByTime(1)
    expect(FakeSocket.made).toHaveLength(3)
    // A successful subscription starts the backoff again from the beginning.
    FakeSocket.made[2]!.receive({ type: 'subscribed' })
    FakeSocket.made[2]!.drop(1013)
    vi.advanceTimersByTime(1000)
    expect(FakeSocket.made).toHaveLength(4)
  })

  it('jitters the wait between half and all of it', () => {
    const { socket } = start({ initialDelayMs: 1000, random: () => 0 })
    expect(socket.nextDelay(1)).toBe(500)
  })

  it('stops, and says so, when the server refuses the token', () => {
    const onUnauthorized = vi.fn()
    const { statuses } = start({ onUnauthorized })
    FakeSocket.made[0]!.drop(4401)
    vi.advanceTimersByTime(60_000)
    expect(FakeSocket.made).toHaveLength(1)
    expect(onUnauthorized).toHaveBeenCalledOnce()
    expect(statuses.at(-1)).toBe('stopped')
  })

  it('closes the connection when stopped and does not come back', () => {
    const { socket } = start()
    socket.stop()
    expect(FakeSocket.made[0]!.closed).toBe(true)
    vi.advanceTimersByTime(60_000)
    expect(FakeSocket.made).toHaveLength(1)
  })
})
