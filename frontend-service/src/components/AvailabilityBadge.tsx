import { Badge } from './Badge'

/** "Few left": at most this many, or at most a tenth of the tickets. */
export const FEW_LEFT = 10

export function isFewLeft(available: number, total: number): boolean {
  return available > 0 && (available <= FEW_LEFT || available <= total / 10)
}

export function AvailabilityBadge({ available, total }: { available: number; total: number }) {
  if (available <= 0) return <Badge tone="danger">Sold out</Badge>
  if (isFewLeft(available, total)) return <Badge tone="warning">Few left: {available}</Badge>
  return <Badge tone="success">{available} available</Badge>
}
