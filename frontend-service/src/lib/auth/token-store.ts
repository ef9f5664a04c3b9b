/**
 * The access token, kept in localStorage so it survives a reload, with what the app reads from
 * its claims. The signature is the services' business; the app only needs who and until when.
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

function readStorage(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY)
  } catch {
    return null
  }
}

function notify(): void {
  for (const listener of listeners) listener()
}

function scheduleExpiry(session: Session | null): void {
  clearTimeout(expiryTimer)
  if (!session) return
  // setTimeout overflows past ~24.8 days; tokens live far shorter, but clamp anyway.
  const wait = Math.min(session.expiresAt - Date.now(), 2 ** 31 - 1)
  expiryTimer = setTimeout(() => expireSession(), Math.max(wait, 0))
}

/** The current session; null when signed out or when the token has expired. */
export function getSession(): Session | null {
  const token = readStorage()
  if (token !== cached.token) {
    cached = { token, session: token ? sessionFromToken(token) : null }
    scheduleExpiry(cached.session)
  }
  const { session } = cached
  if (session && session.expiresAt <= Date.now()) return null
  return session
}

export function getToken(): string | null {
  return getSession()?.token ?? null
}

export function signIn(token: string): Session {
  const session = sessionFromToken(token)
  if (!session) throw new Error('The sign-in answer did not hold a usable access token.')
  window.localStorage.setItem(STORAGE_KEY, token)
  lastSignOut = null
  notify()
  return session
}

function signOut(reason: SignOutReason): void {
  const hadToken = readStorage() !== null
  window.localStorage.removeItem(STORAGE_KEY)
  if (hadToken || reason === 'logout') lastSignOut = reason
  clearTimeout(expiryTimer)
  notify()
}

export function logout(): void {
  signOut('logout')
}

/** The token was refused or ran out: forget it; pages that need a session send people to log in. */
export function expireSession(): void {
  signOut('expired')
}

/** Whether the person was signed in until their token ran out or was refused. */
export function sessionExpired(): boolean {
  if (lastSignOut === 'expired') return true
  const token = readStorage()
  const stored = token ? sessionFromToken(token) : null
  return stored !== null && stored.expiresAt <= Date.now()
}

export function subscribe(listener: Listener): () => void {
  listeners.add(listener)
  const onStorage = (event: StorageEvent) => {
    if (event.key === STORAGE_KEY || event.key === null) listener()
  }
  window.addEventListener('storage', onStorage)
  return () => {
    listeners.delete(listener)
    window.removeEventListener('storage', onStorage)
  }
}
