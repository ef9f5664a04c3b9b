import { Alert } from './Alert'
import { Button } from './Button'

type ErrorStateProps = { title?: string; error: unknown; onRetry?: () => void }

/** A failed load, in words, with a way to try again. */
export function ErrorState({ title = 'Something went wrong', error, onRetry }: ErrorStateProps) {
  const message = error instanceof Error ? error.message : 'Please try again.'
  return (
    <Alert tone="error" title={title}>
      <p>{message}</p>
      {onRetry && (
        <Button variant="secondary" size="sm" className="mt-3" onClick={onRetry}>
          Try again
        </Button>
      )}
    </Alert>
  )
}
