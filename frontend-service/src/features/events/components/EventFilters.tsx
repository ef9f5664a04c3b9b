import { type FormEvent, useState } from 'react'

import { Button } from '@/components/Button'
import { CheckboxField, SelectField, TextField } from '@/components/Field'
import { EVENT_CATEGORIES } from '@/lib/api/models'
import { categoryLabels } from '@/lib/format'

import { dateRangeError, type EventFilters as Filters, paramsFromFilters } from '../utils/filters'

type EventFiltersProps = { filters: Filters; onChange: (filters: Filters) => void }

/** The search form; applying it starts again from page 1. */
export function EventFilters({ filters, onChange }: EventFiltersProps) {
  const [draft, setDraft] = useState(filters)
  const filtersKey = paramsFromFilters(filters).toString()
  const [syncedKey, setSyncedKey] = useState(filtersKey)
  // The URL changed (back button, a shared link): show what it says.
  if (syncedKey !== filtersKey) {
    setSyncedKey(filtersKey)
    setDraft(filters)
  }
  const rangeError = dateRangeError(draft)

  const apply = (next: Filters) => {
    setDraft(next)
    if (!dateRangeError(next)) onChange({ ...next, page: 1 })
  }
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    apply(draft)
  }

  return (
    <form role="search" aria-label="Find events" onSubmit={onSubmit} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-6">
        <TextField
          label="Search"
          type="search"
          name="q"
          placeholder="Title, venue, description"
          value={draft.q}
          maxLength={200}
          onChange={(event) => setDraft({ ...draft, q: event.target.value })}
          containerClassName="lg:col-span-2"
        />
        <SelectField
          label="Category"
          name="category"
          value={draft.category}
          onChange={(event) => apply({ ...draft, category: event.target.value as Filters['category'] })}
        >
          <option value="">All categories</option>
          {EVENT_CATEGORIES.map((category) => (
            <option key={category} value={category}>
              {categoryLabels[category]}
            </option>
          ))}
        </SelectField>
        <TextField
          label="City"
          name="city"
          value={draft.city}
          maxLength={100}
          onChange={(event) => setDraft({ ...draft, city: event.target.value })}
        />
        <TextField
          label="From"
          type="date"
          name="from"
          value={draft.from}
          onChange={(event) => apply({ ...draft, from: event.target.value })}
        />
        <TextField
          label="To"
          type="date"
          name="to"
          value={draft.to}
          error={rangeError ?? undefined}
          onChange={(event) => apply({ ...draft, to: event.target.value })}
        />
      </div>
      <div className="mt-4 flex flex-wrap items-center justify-between gap-3">
        <CheckboxField
          label="Hide sold out"
          name="available"
          checked={draft.availableOnly}
          onChange={(event) => apply({ ...draft, availableOnly: event.target.checked })}
        />
        <div className="flex gap-2">
          <Button
            variant="ghost"
            onClick={() => apply({ q: '', category: '', city: '', from: '', to: '', availableOnly: false, page: 1 })}
          >
            Clear
          </Button>
          <Button type="submit">Search</Button>
        </div>
      </div>
    </form>
  )
}
