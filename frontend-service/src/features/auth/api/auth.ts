import { useMutation, useQueryClient } from '@tanstack/react-query'

import { usersApi } from '@/lib/api/client'
import { unwrap } from '@/lib/api/errors'
import { endSession } from '@/lib/auth/refresh'
import { type Session, signIn } from '@/lib/auth/token-store'

export type Credentials = { email: string; password: string }
export type Registration = Credentials & { fullName: string }

async function login({ email, password }: Credentials): Promise<Session> {
  const { data } = await unwrap(usersApi.POST('/login', { body: { email, password } }))
  return signIn(data.access_token, data.refresh_token)
}

export function useLogin() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: login,
    // Whatever the previous person saw is not this person's.
    onSuccess: () => queryClient.clear(),
  })
}

export function useRegister() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async ({ email, password, fullName }: Registration) => {
      await unwrap(usersApi.POST('/register', { body: { email, password, full_name: fullName } }))
      return login({ email, password })
    },
    onSuccess: () => queryClient.clear(),
  })
}

export function useLogout() {
  const queryClient = useQueryClient()
  return () => {
    // Signed out here at once; the sign-in is revoked at user-service in the background.
    void endSession()
    queryClient.clear()
  }
}
