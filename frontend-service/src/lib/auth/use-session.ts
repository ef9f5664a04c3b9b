import { useSyncExternalStore } from 'react'

import { getSession, type Session, subscribe } from './token-store'

/** The signed-in person (null when signed out), re-rendering on sign-in, sign-out and expiry. */
export function useSession(): Session | null {
  return useSyncExternalStore(subscribe, getSession, () => null)
}
