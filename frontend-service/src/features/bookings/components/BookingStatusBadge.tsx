import { Badge } from '@/components/Badge'
import type { BookingStatus } from '@/lib/api/models'

const looks: Record<BookingStatus, { tone: 'success' | 'neutral' | 'warning' | 'danger'; label: string }> = {
  confirmed: { tone: 'success', label: 'Confirmed' },
  pending: { tone: 'warning', label: 'Pending' },
  cancelled: { tone: 'neutral', label: 'Cancelled' },
  failed: { tone: 'danger', label: 'Failed' },
}

export function BookingStatusBadge({ status }: { status: BookingStatus }) {
  const { tone, label } = looks[status]
  return <Badge tone={tone}>{label}</Badge>
}
