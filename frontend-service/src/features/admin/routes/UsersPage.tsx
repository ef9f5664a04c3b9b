import { type FormEvent, useState } from 'react'
import { useSearchParams } from 'react-router'

import { Button } from '@/components/Button'
import { EmptyState } from '@/components/EmptyState'
import { ErrorState } from '@/components/ErrorState'
import { SelectField, TextField } from '@/components/Field'
import { PageHeading } from '@/components/PageHeading'
import { Pagination } from '@/components/Pagination'
import { Spinner } from '@/components/Spinner'
import type { Role } from '@/lib/auth/token-store'
import { useSession } from '@/lib/auth/use-session'

import { USERS_PAGE_SIZE, useUsers } from '../api/users'
import { ROLES, UserRow } from '../components/UserRow'

/** The longest search user-service takes. */
const MAX_QUERY = 200

export function UsersPage() {
  const session = useSession()
  const [params, setParams] = useSearchParams()
  const q = params.get('q') ?? ''
  const roleParam = params.get('role') ?? ''
  const role = (ROLES.some((option) => option.value === roleParam) ? roleParam : '') as Role | ''
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1)
  const users = useUsers({ q, role, page })
  const [draft, setDraft] = useState(q)
  const [syncedQ, setSyncedQ] = useState(q)
  // The URL changed (back button, a shared link): show what it says.
  if (syncedQ !== q) {
    setSyncedQ(q)
    setDraft(q)
  }

  const update = (next: { q?: string; role?: string; page?: number }) => {
    const search = new URLSearchParams()
    const nextQ = (next.q ?? q).trim()
    const nextRole = next.role ?? role
    if (nextQ) search.set('q', nextQ)
    if (nextRole) search.set('role', nextRole)
    if ((next.page ?? 1) > 1) search.set('page', String(next.page))
    setParams(search)
  }
  const onSearch = (event: FormEvent) => {
    event.preventDefault()
    update({ q: draft })
  }

  return (
    <section>
      <PageHeading title="Users" />
      <form role="search" aria-label="Find users" onSubmit={onSearch} className="mb-6 grid gap-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-[1fr_12rem_auto] sm:items-end">
        <TextField
          label="Name or email"
          type="search"
          name="q"
          placeholder="e.g. Ada or @example.com"
          maxLength={MAX_QUERY}
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
        />
        <SelectField label="Role" value={role} onChange={(event) => update({ q: draft, role: event.target.value })}>
          <option value="">All roles</option>
          {ROLES.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </SelectField>
        <Button type="submit">
          Search
        </Button>
      </form>
      {users.isPending ? (
        <Spinner label="Loading users…" />
      ) : users.isError ? (
        <ErrorState title="Users could not be loaded" error={users.error} onRetry={() => users.refetch()} />
      ) : users.data.users.length === 0 ? (
        <EmptyState title="No users match">Try part of a name or address, or clear the filters.</EmptyState>
      ) : (
        <>
          <p className="mb-3 text-sm text-slate-700" role="status">
            {users.data.total} user{users.data.total === 1 ? '' : 's'}
          </p>
          <ul className="flex flex-col gap-3">
            {users.data.users.map((user) => (
              <li key={user.id}>
                <UserRow user={user} isSelf={user.id === session?.userId} />
              </li>
            ))}
          </ul>
          <Pagination
            page={page}
            pageSize={USERS_PAGE_SIZE}
            total={users.data.total}
            onPageChange={(next) => update({ page: next })}
            label="User pages"
          />
        </>
      )}
    </section>
  )
}
