export function Spinner({ label = 'Loading…' }: { label?: string }) {
  return (
    <div role="status" className="flex items-center justify-center gap-3 py-10 text-slate-700">
      <span
        aria-hidden="true"
        className="size-6 animate-spin rounded-full border-[3px] border-indigo-700 border-t-transparent"
      />
      <span>{label}</span>
    </div>
  )
}
