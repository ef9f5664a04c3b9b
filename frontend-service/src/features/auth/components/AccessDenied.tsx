import { ButtonLink } from '@/components/Button'
import { PageHeading } from '@/components/PageHeading'

export function AccessDenied() {
  return (
    <section>
      <PageHeading title="Not available to your account" />
      <p className="text-slate-700">This page is for organizers or administrators.</p>
      <ButtonLink to="/" variant="secondary" className="mt-6">
        Browse events
      </ButtonLink>
    </section>
  )
}
