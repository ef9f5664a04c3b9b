import { type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes, useId } from 'react'

const control =
  'block w-full rounded-md border bg-white px-3 py-2 text-base text-slate-900 shadow-sm placeholder:text-slate-500 disabled:bg-slate-100'

function controlClasses(error?: ReactNode): string {
  return `${control} ${error ? 'border-red-600' : 'border-slate-400'}`
}

type FieldFrameProps = {
  id: string
  label: ReactNode
  hint?: ReactNode
  error?: ReactNode
  className?: string
  children: ReactNode
}

function FieldFrame({ id, label, hint, error, className = '', children }: FieldFrameProps) {
  return (
    <div className={`flex flex-col gap-1 ${className}`}>
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        {label}
      </label>
      {children}
      {hint && !error && (
        <p id={`${id}-hint`} className="text-sm text-slate-600">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="text-sm font-medium text-red-700">
          {error}
        </p>
      )}
    </div>
  )
}

function describedBy(id: string, hint: ReactNode, error?: ReactNode): string | undefined {
  if (error) return `${id}-error`
  return hint ? `${id}-hint` : undefined
}

type Common = { label: ReactNode; hint?: ReactNode; error?: ReactNode; containerClassName?: string }

export function TextField({ label, hint, error, containerClassName, id: givenId, ...input }: Common & InputHTMLAttributes<HTMLInputElement>) {
  const generated = useId()
  const id = givenId ?? generated
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} className={containerClassName}>
      <input
        id={id}
        className={controlClasses(error)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...input}
      />
    </FieldFrame>
  )
}

export function TextAreaField({ label, hint, error, containerClassName, id: givenId, ...textarea }: Common & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const generated = useId()
  const id = givenId ?? generated
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} className={containerClassName}>
      <textarea
        id={id}
        className={controlClasses(error)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...textarea}
      />
    </FieldFrame>
  )
}

export function SelectField({ label, hint, error, containerClassName, id: givenId, children, ...select }: Common & SelectHTMLAttributes<HTMLSelectElement>) {
  const generated = useId()
  const id = givenId ?? generated
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} className={containerClassName}>
      <select
        id={id}
        className={controlClasses(error)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...select}
      >
        {children}
      </select>
    </FieldFrame>
  )
}

export function CheckboxField({ label, id: givenId, ...input }: { label: ReactNode } & InputHTMLAttributes<HTMLInputElement>) {
  const generated = useId()
  const id = givenId ?? generated
  return (
    <div className="flex min-h-11 items-center gap-2">
      <input id={id} type="checkbox" className="size-5 rounded border-slate-400 accent-indigo-700" {...input} />
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        {label}
      </label>
    </div>
  )
}
