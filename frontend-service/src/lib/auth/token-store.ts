/**
 * The access token and the refresh token, kept in localStorage so they survive a reload, with
 * what the app reads from the access token's claims. The signature is the services' business;
 * the app only needs who and until when. Access tokens live minutes: while a refresh token is
 * held, the session outlasts them (`./refresh.ts` renews them); without one, the session ends
 * when the access token does.
 */
export type Role = 'user' | 'organizer' | 'admin'

export type Session = {
  token: string
  userId: string
  email: string
  role: Role
  /** Milliseconds since the epoch. */
  expiresAt: number
}

/** Why the last session ended, so the login page can say so. */
export type SignOutReason = 'logout' | 'expired'

const STORAGE_KEY = 'event-booking.access-token'
const REFRESH_KEY = 'event-booking.refresh-token'
const ROLES: readonly string[] = ['user', 'organizer', 'admin']

type Listener = () => void
const listeners = new Set<Listener>()
let cached: { token: string | null; session: Session | null } = { token: null, session: null }
let lastSignOut: SignOutReason | null = null
let expiryTimer: ReturnType<typeof setTimeout> | undefined

function decodeSegment(segment: string): unknown {
  const base64 = segment.replace(/-/g, '+').replace(/_/g, '/')
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4)
  const bytes = Uint8Array.from(atob(padded), (char) => char.charCodeAt(0))
  return JSON.parse(new TextDecoder().decode(bytes))
}

/** The session a token describes, or null for a token that is not a person's JWT. */
export function sessionFromToken(token: string): Session | null {
  const payload = token.split('.')[1]
  if (!payload) return null
  let claims: unknown
  try {
    claims = decodeSegment(payload)
  } catch {
    return null
  }
  if (typeof claims !== 'object' || claims === null) return null
  const { sub, email, role, exp } = claims as Record<string, unknown>
  if (typeof sub !== 'string' || typeof email !== 'string' || typeof exp !== 'number') return null
  if (typeof role !== 'string' || !ROLES.includes(role)) return null
  return { token, userId: sub, email, role: role as Role, expiresAt: exp * 1000 }
}

function readStorage(key = STORAGE_KEY): string | null {
  try {
    return window.localStorage.getItem(key)
  } catch {
    return null
  }
}

/** The refresh token, while the session has one. */
export function getRefreshToken(): string | null {
  return readStorage(REFRESH_KEY)
}

function notify(): void {
  for (const listener of listeners) listener()
}

function scheduleExpiry(session: Session | null): void {
  clearTimeout(expiryTimer)
  if (!session) return
  // setTimeout overflows past ~24.8 days; tokens live far shorter, but clamp anyway.
  const wait = Math.min(session.expiresAt - Date.now(), 2 ** 31 - 1)
  expiryTimer = setTimeout(() => {
    // With a refresh token the session goes on: the next call renews the access token.
    if (getRefreshToken() === null) expireSession()
  }, Math.max(wait, 0))
}

/** The current session; null when signed out, or when the access token has expired and no
 * refresh token can renew it. */
export function getSession(): Session | null {
  const token = readStorage()
  if (token !== cached.token) {
    cached = { token, session: token ? sessionFromToken(token) : null }
    scheduleExpiry(cached.session)
  }
  const { session } = cached
  if (session && session.expiresAt <= Date.now() && getRefreshToken() === null) return null
  return session
}

/** The access token, if it has not expired (renewing it is `./refresh.ts`'s job). */
export function getToken(): string | null {
  const session = getSession()
  return session && session.expiresAt > Date.now() ? session.token : null
}

/** Keep the tokens of a sign-in (or a renewal); without a refresh token, any older one goes. */
export function signIn(token: string, refreshToken?: string): Session {
  const session = sessionFromToken(token)
  if (!session) throw new Error('The sign-in answer did not hold a usable access token.')
  window.localStorage.setItem(STORAGE_KEY, token)
  if (refreshToken) window.localStorage.setItem(REFRESH_KEY, refreshToken)
  else window.localStorage.removeItem(REFRESH_KEY)
  lastSignOut = null
  notify()
  return session
}

function signOut(reason: SignOutReason): void {
  const hadToken = readStorage() !== null
  window.localStorage.removeItem(STORAGE_KEY)
  window.localStorage.removeItem(REFRESH_KEY)
  if (hadToken || reason === 'logout') lastSignOut = reason
  clearTimeout(expiryTimer)
  notify()
}

export function logout(): void {
  signOut('logout')
}

/** The session was refused or ran out: forget it; pages that need one send people to log in. */
export function expireSession(): void {
  signOut('expired')
}

/** Whether the person was signed in until their token ran out or was refused. */
export function sessionExpired(): boolean {
  if (lastSignOut === 'expired') return true
  const token = readStorage()
  const stored = token ? sessionFromToken(token) : null
  return stored !== null && stored.expiresAt <= Date.now() && getRefreshToken() === null
}

export function subscribe(listener: Listener): () => void {
  listeners.add(listener)
  const onStorage = (event: StorageEvent) => {
    if (event.key === STORAGE_KEY || event.key === REFRESH_KEY || event.key === null) listener()
  }
  window.addEventListener('storage', onStorage)
  return () => {
    listeners.delete(listener)
    window.removeEventListener('storage', onStorage)
  }
}
