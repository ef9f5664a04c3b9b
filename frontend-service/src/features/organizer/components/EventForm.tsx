import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react'

import { Alert } from '@/components/Alert'
import { Button, ButtonLink } from '@/components/Button'
import { SelectField, TextAreaField, TextField } from '@/components/Field'
import { ApiError } from '@/lib/api/errors'
import { EVENT_CATEGORIES } from '@/lib/api/models'
import { categoryLabels } from '@/lib/format'

import {
  type EventFormErrors,
  type EventFormValues,
  LIMITS,
  SERVER_FIELDS,
  timeZoneOptions,
  validateEventForm,
} from '../utils/event-form'

type EventFormProps = {
  initial: EventFormValues
  /** Tickets already sold: the total cannot go below them. */
  soldTickets?: number
  /** The event sells several ticket types: tickets and price are set per type instead. */
  perType?: boolean
  submitLabel: string
  busy: boolean
  error: unknown
  onSubmit: (values: EventFormValues) => void
}

function serverErrors(error: unknown): { fields: EventFormErrors; message: string | null } {
  if (!(error instanceof ApiError)) return { fields: {}, message: error instanceof Error ? error.message : null }
  const fields: EventFormErrors = {}
  for (const item of error.problem?.errors ?? []) {
    const name = SERVER_FIELDS[item.field.split('.').slice(1).join('.')]
    if (name) fields[name] = item.message
  }
  if (error.status === 409 && typeof error.problem?.sold_tickets === 'number') {
    fields.totalTickets = error.message
  }
  return { fields, message: Object.keys(fields).length > 0 ? 'Please correct the marked fields.' : error.message }
}

export function EventForm({ initial, soldTickets = 0, perType = false, submitLabel, busy, error, onSubmit }: EventFormProps) {
  const [values, setValues] = useState(initial)
  const [errors, setErrors] = useState<EventFormErrors>({})
  const [attempts, setAttempts] = useState(0)
  const form = useRef<HTMLFormElement>(null)
  const zones = useMemo(() => timeZoneOptions(), [])

  // After a refused submit, take the person to the first field to fix.
  useEffect(() => {
    if (attempts > 0) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus()
  }, [attempts, error])
  const server = serverErrors(error)
  const shown: EventFormErrors = { ...server.fields, ...errors }

  const field = <K extends keyof EventFormValues>(name: K) => ({
    name,
    value: values[name],
    error: shown[name],
    onChange: (event: { target: { value: string } }) => setValues({ ...values, [name]: event.target.value }),
  })

  const submit = (event: FormEvent) => {
    event.preventDefault()
    const found = validateEventForm(values, {
      now: new Date(),
      soldTickets,
      startsAtChanged: values.startsAt !== initial.startsAt || values.timezone !== initial.timezone,
    })
    setErrors(found)
    setAttempts((count) => count + 1)
    if (Object.keys(found).length === 0) onSubmit(values)
  }

  return (
    <form ref={form} noValidate onSubmit={submit} className="flex flex-col gap-5 rounded-lg border border-slate-200 bg-white p-5 shadow-sm" aria-label={submitLabel}>
      {Object.keys(errors).length > 0 && <Alert tone="error">Please correct the marked fields.</Alert>}
      {Object.keys(errors).length === 0 && server.message && <Alert tone="error">{server.message}</Alert>}
      <TextField label="Title" required maxLength={LIMITS.title} {...field('title')} />
      <TextAreaField label="Description" rows={4} maxLength={LIMITS.description} {...field('description')} />
      <div className="grid gap-5 sm:grid-cols-2">
        <TextField label="Venue" required maxLength={LIMITS.venue} {...field('venue')} />
        <TextField label="City" maxLength={LIMITS.city} {...field('city')} />
        <SelectField label="Category" {...field('category')}>
          {EVENT_CATEGORIES.map((category) => (
            <option key={category} value={category}>
              {categoryLabels[category]}
            </option>
          ))}
        </SelectField>
        <SelectField label="Time zone" hint="Times below are local times at the venue." {...field('timezone')}>
          {!zones.includes(values.timezone) && <option value={values.timezone}>{values.timezone}</option>}
          {zones.map((zone) => (
            <option key={zone} value={zone}>
              {zone}
            </option>
          ))}
        </SelectField>
        <TextField label="Starts" type="datetime-local" required {...field('startsAt')} />
        <TextField label="Ends (optional)" type="datetime-local" {...field('endsAt')} />
        <TextField
          label="Total tickets"
          inputMode="numeric"
          required
          disabled={perType}
          hint={
            perType
              ? 'The sum of the ticket types below.'
              : soldTickets > 0
                ? `${soldTickets} already sold.`
                : 'Up to 1,000,000.'
          }
          {...field('totalTickets')}
          // Set per type, it follows the event as its types change.
          value={perType ? initial.totalTickets : values.totalTickets}
        />
        <div className="grid grid-cols-[1fr_6rem] gap-3">
          <TextField
            label="Price per ticket"
            inputMode="decimal"
            required
            disabled={perType}
            hint={perType ? 'Set per ticket type below.' : undefined}
            {...field('price')}
            value={perType ? initial.price : values.price}
          />
          <TextField label="Currency" maxLength={3} required autoCapitalize="characters" {...field('currency')} />
        </div>
      </div>
      <div className="flex flex-col-reverse gap-3 sm:flex-row sm:justify-end">
        <ButtonLink to="/organizer/events" variant="secondary">
          Back to my events
        </ButtonLink>
        <Button type="submit" busy={busy}>
          {submitLabel}
        </Button>
      </div>
    </form>
  )
}
