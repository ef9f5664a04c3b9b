import { ButtonLink } from '@/components/Button'
import { PageHeading } from '@/components/PageHeading'

export function NotFoundPage() {
  return (
    <section>
      <PageHeading title="Page not found" />
      <p className="text-slate-700">There is nothing at this address. It may have moved, or the link may be mistyped.</p>
      <ButtonLink to="/" variant="secondary" className="mt-6">
        Browse events
      </ButtonLink>
    </section>
  )
}
