import { type FormEvent, useState } from 'react'

import { Alert } from '@/components/Alert'
import { Button } from '@/components/Button'
import { CheckboxField, TextField } from '@/components/Field'

import { type TicketTypeFormValues, validateTicketType } from '../utils/ticket-type-form'

type TicketTypeFormProps = {
  initial: TicketTypeFormValues
  /** Tickets of this type already sold: the capacity cannot go below them. */
  sold?: number
  submitLabel: string
  busy: boolean
  error: Error | null
  onSubmit: (values: TicketTypeFormValues) => void
  onCancel: () => void
}

/** One ticket type's name, price, capacity, per-booking limits, sale window and visibility. */
export function TicketTypeForm({ initial, sold = 0, submitLabel, busy, error, onSubmit, onCancel }: TicketTypeFormProps) {
  const [values, setValues] = useState(initial)
  const [errors, setErrors] = useState<Partial<Record<keyof TicketTypeFormValues, string>>>({})
  const field = <K extends Exclude<keyof TicketTypeFormValues, 'hidden'>>(name: K) => ({
    name,
    value: values[name],
    error: errors[name],
    onChange: (event: { target: { value: string } }) => setValues({ ...values, [name]: event.target.value }),
  })
  const submit = (event: FormEvent) => {
    event.preventDefault()
    const found = validateTicketType(values)
    setErrors(found)
    if (Object.keys(found).length === 0) onSubmit(values)
  }
  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-3 rounded-md bg-slate-50 p-4">
      {error && <Alert tone="error">{error.message}</Alert>}
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField label="Name" required maxLength={100} {...field('name')} />
        <TextField label="Price" inputMode="decimal" required {...field('price')} />
        <TextField
          label="Capacity"
          inputMode="numeric"
          required
          hint={sold > 0 ? `${sold} already sold.` : undefined}
          {...field('capacity')}
        />
        <div className="grid grid-cols-2 gap-3">
          <TextField label="Fewest per booking" inputMode="numeric" {...field('minPerOrder')} />
          <TextField label="Most per booking" inputMode="numeric" hint="Empty: no limit." {...field('maxPerOrder')} />
        </div>
        <TextField label="Sale starts (optional)" type="datetime-local" {...field('salesStart')} />
        <TextField label="Sale ends (optional)" type="datetime-local" {...field('salesEnd')} />
      </div>
      <TextField label="Description (optional)" maxLength={1000} {...field('description')} />
      <CheckboxField
        label="Hidden: sold only through an access code"
        checked={values.hidden}
        onChange={(event) => setValues({ ...values, hidden: event.target.checked })}
      />
      <div className="flex justify-end gap-3">
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" busy={busy}>
          {submitLabel}
        </Button>
      </div>
    </form>
  )
}
