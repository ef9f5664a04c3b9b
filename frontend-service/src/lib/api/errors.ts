import type { components } from './types/users'

/** An RFC 9457 problem body, as every service answers errors. */
export type Problem = components['schemas']['Problem'] & Record<string, unknown>

/** A failed call: the HTTP status (0 when no answer came), the problem body, and Retry-After. */
export class ApiError extends Error {
  readonly status: number
  readonly problem: Problem | null
  /** Seconds from the Retry-After header, when the service sent one. */
  readonly retryAfter: number | null

  constructor(status: number, problem: Problem | null, retryAfter: number | null, message?: string) {
    super(message ?? problem?.detail ?? problem?.title ?? describeStatus(status))
    this.name = 'ApiError'
    this.status = status
    this.problem = problem
    this.retryAfter = retryAfter
  }

  /** The message of a validation error for one field (`body.email` -> 'email'), if any. */
  fieldError(field: string): string | undefined {
    return this.problem?.errors?.find((error) => error.field.split('.').slice(1).join('.') === field)
      ?.message
  }

  get isUnavailable(): boolean {
    return this.status === 0 || this.status === 502 || this.status === 503 || this.status === 504
  }
}

function describeStatus(status: number): string {
  if (status === 0) return 'The service could not be reached. Check your connection and try again.'
  if (status >= 500) return 'The service had a problem. Please try again.'
  return `The request failed (${status}).`
}

function parseRetryAfter(value: string | null): number | null {
  if (!value) return null
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds))
  const date = Date.parse(value)
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000))
}

function isProblem(body: unknown): body is Problem {
  return typeof body === 'object' && body !== null && 'status' in body && 'title' in body
}

export function apiErrorFrom(error: unknown, response: Response): ApiError {
  return new ApiError(
    response.status,
    isProblem(error) ? error : null,
    parseRetryAfter(response.headers.get('Retry-After')),
  )
}

/** What openapi-fetch returns: data on success, the parsed error body otherwise. */
type FetchResult<T> = { data?: T; error?: unknown; response: Response }

/** The data of a successful call; an `ApiError` otherwise. */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<{ data: T; response: Response }> {
  let result: FetchResult<T>
  try {
    result = await call
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause
    throw new ApiError(0, null, null)
  }
  const { data, error, response } = result
  if (error !== undefined || !response.ok) throw apiErrorFrom(error, response)
  return { data: data as T, response }
}

/** A count header such as `X-Total-Count` (0 when absent). */
export function countHeader(response: Response, name: string): number {
  const value = Number(response.headers.get(name))
  return Number.isFinite(value) ? value : 0
}
