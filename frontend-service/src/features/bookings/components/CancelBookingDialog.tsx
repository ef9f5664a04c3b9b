import { ConfirmDialog } from '@/components/ConfirmDialog'
import type { Booking } from '@/lib/api/models'

import { useCancelBooking } from '../api/bookings'

type Props = { booking: Booking | null; onClose: () => void; onCancelled: (booking: Booking) => void }

export function CancelBookingDialog({ booking, onClose, onCancelled }: Props) {
  const cancel = useCancelBooking()
  const close = () => {
    cancel.reset()
    onClose()
  }
  return (
    <ConfirmDialog
      open={booking !== null}
      title="Cancel this booking?"
      confirmLabel="Cancel booking"
      cancelLabel="Keep booking"
      busy={cancel.isPending}
      error={cancel.error?.message ?? null}
      onCancel={close}
      onConfirm={() =>
        booking &&
        cancel.mutate(booking, {
          onSuccess: (cancelled) => {
            cancel.reset()
            onCancelled(cancelled)
          },
        })
      }
    >
      {booking && (
        <p>
          Your {booking.tickets} ticket{booking.tickets === 1 ? '' : 's'} for{' '}
          <strong>{booking.event_title ?? 'this event'}</strong> will be released to other people. This cannot be undone.
        </p>
      )}
    </ConfirmDialog>
  )
}
