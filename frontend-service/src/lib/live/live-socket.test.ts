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

/** Let the socket's awaited token (a resolved promise) arrive. */
const settle = () => vi.advanceTimersByTimeAsync(0)

async function start(overrides: Partial<ConstructorParameters<typeof LiveSocket>[0]> = {}) {
  const statuses: LiveStatus[] = []
  const messages: unknown[] = []
  const socket = new LiveSocket({
    url: 'ws://localhost:8003/ws/notifications',
    token: async () => 'the.access.token',
    onMessage: (message) => messages.push(message),
    onStatus: (status) => statuses.push(status),
    random: () => 1,
    WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
    ...overrides,
  })
  socket.start()
  await settle()
  return { socket, statuses, messages }
}

beforeEach(() => {
  FakeSocket.made = []
  vi.useFakeTimers()
})
afterEach(() => vi.useRealTimers())

describe('the live notification socket', () => {
  it('carries the token in the bearer subprotocol, not in the URL', async () => {
    await start()
    expect(FakeSocket.made[0]?.protocols).toEqual(['bearer', 'the.access.token'])
    expect(FakeSocket.made[0]?.url).not.toContain('token')
  })

  it('is open once subscribed, and passes messages on', async () => {
    const { statuses, messages } = await start()
    FakeSocket.made[0]!.receive({ type: 'subscribed' })
    FakeSocket.made[0]!.receive({ type: 'notification', notification: { id: 'n1' } })
    expect(statuses).toEqual(['connecting', 'open'])
    expect(messages).toHaveLength(2)
  })

  it('reconnects after a drop, waiting longer after each failure, up to a cap', async () => {
    const { socket, statuses } = await start({ initialDelayMs: 1000, maxDelayMs: 4000 })
    expect([1, 2, 3, 4, 5].map((failures) => socket.nextDelay(failures))).toEqual([1000, 2000, 4000, 4000, 4000])
    FakeSocket.made[0]!.drop(1006)
    expect(statuses.at(-1)).toBe('offline')
    await vi.advanceTimersByTimeAsync(999)
    expect(FakeSocket.made).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(FakeSocket.made).toHaveLength(2)
    FakeSocket.made[1]!.drop(1012)
    await vi.advanceTimersByTimeAsync(1999)
    expect(FakeSocket.made).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(1)
    expect(FakeSocket.made).toHaveLength(3)
    // A successful subscription starts the backoff again from the beginning.
    FakeSocket.made[2]!.receive({ type: 'subscribed' })
    FakeSocket.made[2]!.drop(1013)
    await vi.advanceTimersByTimeAsync(1000)
    expect(FakeSocket.made).toHaveLength(4)
  })

  it('jitters the wait between half and all of it', async () => {
    const { socket } = await start({ initialDelayMs: 1000, random: () => 0 })
    expect(socket.nextDelay(1)).toBe(500)
  })

  it('stops, and says so, when the server refuses the token and none can be renewed', async () => {
    const onUnauthorized = vi.fn()
    const { statuses } = await start({ onUnauthorized })
    FakeSocket.made[0]!.drop(4401)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(FakeSocket.made).toHaveLength(1)
    expect(onUnauthorized).toHaveBeenCalledOnce()
    expect(statuses.at(-1)).toBe('stopped')
  })

  it('closes the connection when stopped and does not come back', async () => {
    const { socket } = await start()
    socket.stop()
    expect(FakeSocket.made[0]!.closed).toBe(true)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(FakeSocket.made).toHaveLength(1)
  })

  it('reconnects at once with a renewed token when its token ran out', async () => {
    const renewToken = vi.fn(async () => 'the.renewed.token')
    const onUnauthorized = vi.fn()
    const { statuses } = await start({ renewToken, onUnauthorized })
    FakeSocket.made[0]!.receive({ type: 'subscribed' })
    FakeSocket.made[0]!.drop(4401)
    await settle()
    expect(renewToken).toHaveBeenCalledWith('the.access.token')
    expect(FakeSocket.made[1]?.protocols).toEqual(['bearer', 'the.renewed.token'])
    FakeSocket.made[1]!.receive({ type: 'subscribed' })
    expect(statuses.at(-1)).toBe('open')
    // Later expiries renew again: each subscription resets the count of refusals.
    FakeSocket.made[1]!.drop(4401)
    await settle()
    expect(FakeSocket.made).toHaveLength(3)
    expect(onUnauthorized).not.toHaveBeenCalled()
  })

  it('stops when even a renewed token is refused at once', async () => {
    const onUnauthorized = vi.fn()
    await start({ renewToken: async () => 'the.renewed.token', onUnauthorized })
    FakeSocket.made[0]!.drop(4401)
    await settle()
    FakeSocket.made[1]!.drop(4401)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(FakeSocket.made).toHaveLength(2)
    expect(onUnauthorized).toHaveBeenCalledOnce()
  })

  it('tries again later when no token can be had for now', async () => {
    let token: string | null = null
    const { statuses } = await start({ token: async () => token, initialDelayMs: 1000 })
    expect(FakeSocket.made).toHaveLength(0)
    expect(statuses.at(-1)).toBe('offline')
    token = 'the.access.token'
    await vi.advanceTimersByTimeAsync(1000)
    expect(FakeSocket.made).toHaveLength(1)
  })

  it('waits the longest delay when the server has too many sockets of this person', async () => {
    await start({ initialDelayMs: 1000, maxDelayMs: 30_000 })
    FakeSocket.made[0]!.drop(4429)
    await vi.advanceTimersByTimeAsync(29_999)
    expect(FakeSocket.made).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(FakeSocket.made).toHaveLength(2)
  })
})
