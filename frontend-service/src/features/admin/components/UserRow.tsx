import { useState } from 'react'

import { Alert } from '@/components/Alert'
import { Badge } from '@/components/Badge'
import { Button } from '@/components/Button'
import { SelectField } from '@/components/Field'
import type { User } from '@/lib/api/models'
import type { Role } from '@/lib/auth/token-store'
import { formatLocalDateTime } from '@/lib/format'

import { useChangeRole } from '../api/users'

export const ROLES: { value: Role; label: string }[] = [
  { value: 'user', label: 'User' },
  { value: 'organizer', label: 'Organizer' },
  { value: 'admin', label: 'Admin' },
]

export function UserRow({ user, isSelf }: { user: User; isSelf: boolean }) {
  const change = useChangeRole()
  const [role, setRole] = useState(user.role as Role)
  const [saved, setSaved] = useState(false)
  const changed = role !== user.role
  return (
    <article className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" aria-label={user.email}>
      <div className="flex flex-wrap items-center justify-between gap-4">
        <div className="min-w-0">
          <h2 className="flex items-center gap-2 font-semibold text-slate-900">
            <span className="truncate">{user.full_name}</span>
            {isSelf && <Badge tone="info">You</Badge>}
          </h2>
          <p className="truncate text-slate-700">{user.email}</p>
          <p className="text-sm text-slate-600">Joined {formatLocalDateTime(user.created_at)}</p>
        </div>
        <form
          className="flex items-end gap-2"
          onSubmit={(event) => {
            event.preventDefault()
            setSaved(false)
            change.mutate({ user, role }, { onSuccess: () => setSaved(true) })
          }}
        >
          <SelectField
            label={
              <>
                Role<span className="sr-only"> of {user.email}</span>
              </>
            }
            value={role}
            disabled={isSelf}
            hint={isSelf ? 'Only another admin can change it.' : undefined}
            onChange={(event) => {
              setRole(event.target.value as Role)
              setSaved(false)
              change.reset()
            }}
            containerClassName="w-40"
          >
            {ROLES.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </SelectField>
          {!isSelf && (
            <Button type="submit" size="md" variant="secondary" disabled={!changed} busy={change.isPending}>
              Save
            </Button>
          )}
        </form>
      </div>
      {change.isError && (
        <Alert tone="error" className="mt-3">
          {change.error.message}
        </Alert>
      )}
      {saved && !changed && (
        <Alert tone="success" className="mt-3">
          {user.email} is now {ROLES.find((option) => option.value === user.role)?.label.toLowerCase()}.
        </Alert>
      )}
    </article>
  )
}
