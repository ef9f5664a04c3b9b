import { ApiError } from '@/lib/api/errors'
import type { Booking } from '@/lib/api/models'

/** What became of a booking attempt, in the terms the page shows it. */
export type BookingOutcome =
  | { kind: 'confirmed'; booking: Booking }
  | { kind: 'sold-out' }
  | { kind: 'not-enough'; available: number }
  | { kind: 'event-closed'; reason: 'cancelled' | 'started' | 'gone' }
  | { kind: 'too-many'; message: string }
  | { kind: 'unavailable'; retryAfter: number | null }
  | { kind: 'signed-out' }
  | { kind: 'error'; message: string }

export function outcomeOfError(error: unknown): BookingOutcome {
  if (!(error instanceof ApiError)) return { kind: 'error', message: 'The booking could not be made.' }
  if (error.isUnavailable) return { kind: 'unavailable', retryAfter: error.retryAfter }
  const problem: Record<string, unknown> = error.problem ?? {}
  if (error.status === 401) return { kind: 'signed-out' }
  if (error.status === 404) return { kind: 'event-closed', reason: 'gone' }
  if (error.status === 409) {
    const reason = problem.reason
    if (reason === 'cancelled' || reason === 'started') return { kind: 'event-closed', reason }
    const available = typeof problem.available_tickets === 'number' ? problem.available_tickets : null
    if (available === 0) return { kind: 'sold-out' }
    if (available !== null) return { kind: 'not-enough', available }
  }
  if (error.status === 422 && error.fieldError('tickets')) {
    return { kind: 'too-many', message: error.fieldError('tickets') ?? error.message }
  }
  return { kind: 'error', message: error.message }
}

/** Whether trying again with the same Idempotency-Key can help. */
export function isRetryable(outcome: BookingOutcome): boolean {
  return outcome.kind === 'unavailable'
}
