/**
 * A WebSocket that stays connected: the token travels as the `bearer` subprotocol (never in the
 * URL), and a dropped connection is retried with jittered exponential backoff. When the server
 * closes it because the token ran out (4401), it reconnects at once with a renewed one; a token
 * that cannot be renewed, or that is refused again at once, stops it, as does a service token
 * (4403). Too many sockets of one person (4429: the server refuses the newest) are retried at
 * the longest delay, while the inbox polls.
 */
export type LiveStatus = 'connecting' | 'open' | 'offline' | 'stopped'

export type LiveSocketOptions = {
  url: string
  /** The access token to connect with (renewed when it is about to run out), or null. */
  token: () => Promise<string | null>
  /** The server refused `refused`: a renewed token to reconnect with, or null. */
  renewToken?: (refused: string) => Promise<string | null>
  onMessage: (message: unknown) => void
  onStatus?: (status: LiveStatus) => void
  /** The server refused the token and no renewed one could be had. */
  onUnauthorized?: () => void
  initialDelayMs?: number
  maxDelayMs?: number
  random?: () => number
  WebSocketImpl?: typeof WebSocket
}

export const CLOSE_UNAUTHORIZED = 4401
export const CLOSE_FORBIDDEN = 4403
export const CLOSE_TOO_MANY = 4429

export class LiveSocket {
  private socket: WebSocket | null = null
  private retryTimer: ReturnType<typeof setTimeout> | undefined
  private failures = 0
  /** Refusals since the last subscription: a renewed token refused again means stop. */
  private refusals = 0
  private stopped = true
  private readonly options: Required<Omit<LiveSocketOptions, 'onStatus' | 'onUnauthorized' | 'renewToken'>> &
    Pick<LiveSocketOptions, 'onStatus' | 'onUnauthorized' | 'renewToken'>

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
    void this.connect()
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
    void this.connect()
  }

  private async connect(token?: string): Promise<void> {
    this.options.onStatus?.('connecting')
    const bearer = token ?? (await this.options.token().catch(() => null))
    if (this.stopped) return
    // No token now (user-service unreachable): try later; a session that is over stops us.
    if (!bearer) this.scheduleReconnect()
    else this.open(bearer)
  }

  private refuse(): void {
    this.stopped = true
    this.options.onStatus?.('stopped')
    this.options.onUnauthorized?.()
  }

  private async reconnectWithRenewedToken(refused: string): Promise<void> {
    this.refusals += 1
    const { renewToken } = this.options
    if (!renewToken || this.refusals > 1) {
      this.refuse()
      return
    }
    const renewed = await renewToken(refused).catch(() => null)
    if (this.stopped) return
    if (renewed) await this.connect(renewed)
    else this.scheduleReconnect()
  }

  private open(token: string): void {
    const { url, WebSocketImpl } = this.options
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
        this.refusals = 0
        this.options.onStatus?.('open')
      }
      this.options.onMessage(message)
    }
    socket.onclose = (event) => {
      if (this.socket !== socket) return
      this.socket = null
      if (this.stopped) return
      if (event.code === CLOSE_UNAUTHORIZED) {
        this.options.onStatus?.('connecting')
        void this.reconnectWithRenewedToken(token)
        return
      }
      if (event.code === CLOSE_FORBIDDEN) {
        this.stopped = true
        this.options.onStatus?.('stopped')
        return
      }
      this.scheduleReconnect(event.code === CLOSE_TOO_MANY ? this.options.maxDelayMs : undefined)
    }
  }

  private scheduleReconnect(delayMs?: number): void {
    this.failures += 1
    this.options.onStatus?.('offline')
    this.retryTimer = setTimeout(() => {
      if (!this.stopped) void this.connect()
    }, delayMs ?? this.nextDelay(this.failures))
  }
}

function isSubscribed(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'subscribed'
}
