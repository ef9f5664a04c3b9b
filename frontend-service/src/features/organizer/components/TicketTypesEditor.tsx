import { useState } from 'react'

import { Badge } from '@/components/Badge'
import { Button } from '@/components/Button'
import { ErrorState } from '@/components/ErrorState'
import { Spinner } from '@/components/Spinner'
import type { Event, TicketType } from '@/lib/api/models'
import { eventTimeZone, formatPrice } from '@/lib/format'

import { useAddTicketType, useTicketTypes, useUpdateTicketType } from '../api/ticket-types'
import { EMPTY_TICKET_TYPE, ticketTypeBody, ticketTypeFormFrom } from '../utils/ticket-type-form'
import { TicketTypeForm } from './TicketTypeForm'

const saleLabels: Record<TicketType['sale_status'], string> = {
  'on-sale': 'On sale',
  'not-yet-on-sale': 'Not yet on sale',
  'sale-ended': 'Sale ended',
  'sold-out': 'Sold out',
}

/** The event's ticket types, each editable in place, and a form to add one. */
export function TicketTypesEditor({ event }: { event: Event }) {
  const types = useTicketTypes(event.id)
  const add = useAddTicketType(event.id)
  const update = useUpdateTicketType(event.id)
  // The type being edited, 'new' while adding one, or null.
  const [editing, setEditing] = useState<string | null>(null)
  const timeZone = eventTimeZone(event)

  if (types.isPending) return <Spinner label="Loading the ticket types…" />
  if (types.isError) {
    return <ErrorState title="The ticket types could not be loaded" error={types.error} onRetry={() => types.refetch()} />
  }
  const close = () => {
    setEditing(null)
    add.reset()
    update.reset()
  }
  return (
    <section aria-labelledby="ticket-types-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
      <h2 id="ticket-types-heading" className="text-lg font-semibold text-slate-900">
        Ticket types
      </h2>
      <ul className="mt-3 flex flex-col divide-y divide-slate-200">
        {types.data.map((type) => (
          <li key={type.id} className="py-3">
            {editing === type.id ? (
              <TicketTypeForm
                initial={ticketTypeFormFrom(type, timeZone)}
                sold={type.capacity - type.available}
                submitLabel="Save type"
                busy={update.isPending}
                error={update.error}
                onCancel={close}
                onSubmit={(values) =>
                  update.mutate({ typeId: type.id, body: ticketTypeBody(values, timeZone) }, { onSuccess: close })
                }
              />
            ) : (
              <div className="flex flex-wrap items-center justify-between gap-3">
                <div>
                  <p className="font-medium text-slate-900">
                    {type.name} <span className="text-slate-700">· {formatPrice(type.price, event.currency)}</span>
                  </p>
                  <p className="text-sm text-slate-600">
                    {type.capacity - type.available} of {type.capacity} sold · {saleLabels[type.sale_status]}
                  </p>
                </div>
                <div className="flex items-center gap-2">
                  {type.hidden && <Badge tone="warning">Hidden</Badge>}
                  <Button variant="secondary" size="sm" onClick={() => setEditing(type.id)} aria-label={`Edit ${type.name}`}>
                    Edit
                  </Button>
                </div>
              </div>
            )}
          </li>
        ))}
      </ul>
      {editing === 'new' ? (
        <TicketTypeForm
          initial={EMPTY_TICKET_TYPE}
          submitLabel="Add type"
          busy={add.isPending}
          error={add.error}
          onCancel={close}
          onSubmit={(values) => add.mutate(ticketTypeBody(values, timeZone), { onSuccess: close })}
        />
      ) : (
        <Button variant="secondary" className="mt-3" onClick={() => setEditing('new')}>
          Add a ticket type
        </Button>
      )}
    </section>
  )
}
