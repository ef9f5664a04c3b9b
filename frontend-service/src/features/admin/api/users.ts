import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'

import { usersApi } from '@/lib/api/client'
import { countHeader, unwrap } from '@/lib/api/errors'
import type { User } from '@/lib/api/models'
import { queryKeys } from '@/lib/api/query-keys'
import type { Role } from '@/lib/auth/token-store'

export const USERS_PAGE_SIZE = 20

/** `q`: part of a name or email address, matched by user-service case-insensitively. */
export type UsersFilter = { q: string; role: Role | ''; page: number }

export function useUsers({ q, role, page }: UsersFilter) {
  return useQuery({
    queryKey: [...queryKeys.users, 'list', { q, role, page }],
    queryFn: async ({ signal }) => {
      const query = {
        q: q.trim() || undefined,
        role: role || undefined,
        limit: USERS_PAGE_SIZE,
        offset: (page - 1) * USERS_PAGE_SIZE,
      }
      const { data, response } = await unwrap(usersApi.GET('/users', { params: { query }, signal }))
      return { users: data, total: countHeader(response, 'X-Total-Count') }
    },
    placeholderData: keepPreviousData,
  })
}

export function useChangeRole() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async ({ user, role }: { user: User; role: Role }) =>
      (await unwrap(usersApi.PATCH('/users/{user_id}/role', { params: { path: { user_id: user.id } }, body: { role } })))
        .data,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.users }),
  })
}
