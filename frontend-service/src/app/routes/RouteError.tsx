import { isRouteErrorResponse, useRouteError } from 'react-router'

import { Alert } from '@/components/Alert'
import { Button } from '@/components/Button'

import { NotFoundPage } from './NotFoundPage'

/** What a page that crashed (or whose code failed to load) shows instead of a blank screen. */
export function RouteError() {
  const error = useRouteError()
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFoundPage />
  const chunkFailed = error instanceof Error && /dynamically imported module|Loading chunk/i.test(error.message)
  return (
    <div className="mx-auto max-w-xl px-4 py-10">
      <Alert tone="error" title="Something went wrong on this page">
        <p>{chunkFailed ? 'A new version of the app may be available.' : 'Please reload the page and try again.'}</p>
        <Button variant="secondary" size="sm" className="mt-3" onClick={() => window.location.reload()}>
          Reload
        </Button>
      </Alert>
    </div>
  )
}
