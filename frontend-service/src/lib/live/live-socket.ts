/**
 * A WebSocket that stays connected: the token travels as the `bearer` subprotocol (never in the
 * URL), and a dropped connection is retried with jittered exponential backoff. A refused token
 * (4401) or a service token (4403) stops it: reconnecting would be refused again.
 */
export type LiveStatus = 'connecting' | 'open' | 'offline' | 'stopped'

export type LiveSocketOptions = {
  url: string
  token: string
  onMessage: (message: unknown) => void
  onStatus?: (status: LiveStatus) => void
  /** The server refused the token (expired or invalid). */
  onUnauthorized?: () => void
  initialDelayMs?: number
  maxDelayMs?: number
  random?: () => number
  WebSocketImpl?: typeof WebSocket
}

export const CLOSE_UNAUTHORIZED = 4401
export const CLOSE_FORBIDDEN = 4403

export class LiveSocket {
  private socket: WebSocket | null = null
  private retryTimer: ReturnType<typeof setTimeout> | undefined
  private failures = 0
  private stopped = true
  private readonly options: Required<Omit<LiveSocketOptions, 'onStatus' | 'onUnauthorized'>> &
    Pick<LiveSocketOptions, 'onStatus' | 'onUnauthorized'>

  constructor(options: LiveSocketOptions) {
    this.options = {
      initialDelayMs: 1000,
      maxDelayMs: 30_000,
      random: Math.random,
      WebSocketImpl: globalThis.WebSocket,
      ...options,
    }
  }

  start(): void {
    if (!this.stopped) return
    this.stopped = false
    window.addEventListener('online', this.reconnectNow)
    this.connect()
  }

  stop(): void {
    this.stopped = true
    clearTimeout(this.retryTimer)
    window.removeEventListener('online', this.reconnectNow)
    const socket = this.socket
    this.socket = null
    if (socket && socket.readyState <= 1) socket.close(1000, 'done')
    this.options.onStatus?.('stopped')
  }

  /** The delay before reconnect attempt number `failures` (1-based), with jitter. */
  nextDelay(failures: number): number {
    const { initialDelayMs, maxDelayMs, random } = this.options
    const ceiling = Math.min(maxDelayMs, initialDelayMs * 2 ** Math.max(0, failures - 1))
    return Math.round(ceiling / 2 + (random() * ceiling) / 2)
  }

  private readonly reconnectNow = () => {
    if (this.stopped || this.socket) return
    clearTimeout(this.retryTimer)
    this.connect()
  }

  private connect(): void {
    const { url, token, WebSocketImpl } = this.options
    this.options.onStatus?.('connecting')
    let socket: WebSocket
    try {
      socket = new WebSocketImpl(url, ['bearer', token])
    } catch {
      this.scheduleReconnect()
      return
    }
    this.socket = socket
    socket.onmessage = (event) => {
      let message: unknown
      try {
        message = JSON.parse(String(event.data))
      } catch {
        return
      }
      if (isSubscribed(message)) {
        this.failures = 0
        this.options.onStatus?.('open')
      }
      this.options.onMessage(message)
    }
    socket.onclose = (event) => {
      if (this.socket !== socket) return
      this.socket = null
      if (this.stopped) return
      if (event.code === CLOSE_UNAUTHORIZED || event.code === CLOSE_FORBIDDEN) {
        this.stopped = true
        this.options.onStatus?.('stopped')
        if (event.code === CLOSE_UNAUTHORIZED) this.options.onUnauthorized?.()
        return
      }
      this.scheduleReconnect()
    }
  }

  private scheduleReconnect(): void {
    this.failures += 1
    this.options.onStatus?.('offline')
    this.retryTimer = setTimeout(() => {
      if (!this.stopped) this.connect()
    }, this.nextDelay(this.failures))
  }
}

function isSubscribed(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'subscribed'
}
