/**
 * Keeping a person signed in across short-lived access tokens.
 *
 * Each refresh token works once (using one twice revokes the whole sign-in), so one renewal runs
 * at a time: within a tab every caller shares the renewal in flight, and tabs take turns through
 * a Web Lock, each first checking whether another tab renewed while it waited.
 */
import createClient from 'openapi-fetch'

import type { paths as UserPaths } from '../api/types/users'
import { apiBaseUrls } from '../config'
import { expireSession, getRefreshToken, getSession, logout, signIn } from './token-store'

const LOCK_NAME = 'event-booking.token-refresh'
/** An access token this close to its expiry is renewed before it is sent. */
const EXPIRY_MARGIN_MS = 3_000

// Looked up per call, so tests can stub the global fetch.
const fetchNow: typeof fetch = (input, init) => globalThis.fetch(input, init)
// Without the session middleware of `../api/client`: these calls carry no access token.
const users = createClient<UserPaths>({ baseUrl: apiBaseUrls.users, fetch: fetchNow })

let inFlight: Promise<string | null> | null = null

function validToken(marginMs = 0): string | null {
  const session = getSession()
  return session && session.expiresAt - Date.now() > marginMs ? session.token : null
}

async function oneAtATime<T>(task: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks
  return locks ? locks.request(LOCK_NAME, task) : task()
}

async function renew(seen: string): Promise<string | null> {
  const current = getRefreshToken()
  if (current === null) return null
  // Another tab renewed while this one waited: its tokens are in storage already.
  if (current !== seen) return validToken()
  let result
  try {
    result = await users.POST('/refresh', { body: { refresh_token: current } })
  } catch {
    return null // unreachable: keep the session, a later call tries again
  }
  const { data, response } = result
  if (data) {
    signIn(data.access_token, data.refresh_token)
    return data.access_token
  }
  if (response.status >= 400 && response.status < 500) expireSession() // used, revoked, expired
  return null
}

/**
 * Renew the tokens; the new access token, or null. A refused refresh token ends the session
 * (pages that need one send the person to log in); an unreachable service leaves it as it is.
 */
export function refreshSession(): Promise<string | null> {
  const seen = getRefreshToken()
  if (seen === null) return Promise.resolve(null)
  inFlight ??= oneAtATime(() => renew(seen)).finally(() => {
    inFlight = null
  })
  return inFlight
}

/** An access token to send: the current one, or a renewed one when it is (about to be) expired. */
export async function freshAccessToken(): Promise<string | null> {
  const token = validToken(EXPIRY_MARGIN_MS)
  if (token !== null || getRefreshToken() === null) return token ?? validToken()
  return (await refreshSession()) ?? validToken()
}

/**
 * A service refused `refused` (401): a renewed access token to retry with once, or null when
 * there is none, in which case the session is over unless the user-service was unreachable.
 */
export async function renewAfterRefusal(refused: string): Promise<string | null> {
  const current = validToken()
  if (current !== null && current !== refused) return current // renewed meanwhile
  if (getRefreshToken() === null) {
    expireSession()
    return null
  }
  return refreshSession()
}

/** Log out here and revoke the sign-in at user-service (the access token runs out by itself). */
export async function endSession(): Promise<void> {
  const refreshToken = getRefreshToken()
  logout()
  if (refreshToken === null) return
  try {
    await users.POST('/logout', { body: { refresh_token: refreshToken } })
  } catch {
    // Signed out here all the same; the refresh token expires by itself.
  }
}
