// The portal's building blocks: buttons, badges, cards, form fields, tables and notices. Plain elements with
// classes from styles.css, so every control is a real button, input or link that works with the keyboard.
import { ProblemError } from '@portico/sdk';
import type { ButtonHTMLAttributes, ReactNode, SelectHTMLAttributes, InputHTMLAttributes } from 'react';
import { useId } from 'react';

type Tone = 'primary' | 'secondary' | 'danger' | 'ghost';

export function Button({
  tone = 'secondary',
  busy,
  children,
  className,
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { tone?: Tone; busy?: boolean }) {
  return (
    <button
      type="button"
      className={`btn btn-${tone}${className ? ` ${className}` : ''}`}
      aria-busy={busy || undefined}
      disabled={busy || rest.disabled}
      {...rest}
    >
      {busy ? <span className="spinner" aria-hidden="true" /> : null}
      {children}
    </button>
  );
}

const BADGE_TONES: Record<string, string> = {
  active: 'green',
  live: 'indigo',
  test: 'amber',
  pending_approval: 'amber',
  invited: 'amber',
  expired: 'grey',
  revoked: 'red',
  rejected: 'red',
  suspended: 'red',
};

export function Badge({ value, label }: { value: string; label?: string }) {
  return (
    <span className={`badge badge-${BADGE_TONES[value] ?? 'grey'}`}>{label ?? value.replace(/_/g, ' ')}</span>
  );
}

export function Card({
  title,
  actions,
  children,
}: {
  title?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className="card">
      {title || actions ? (
        <header className="card-header">
          {title ? <h2>{title}</h2> : <span />}
          {actions ? <div className="card-actions">{actions}</div> : null}
        </header>
      ) : null}
      <div className="card-body">{children}</div>
    </section>
  );
}

export function PageHeader({
  title,
  subtitle,
  actions,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        {subtitle ? <p className="muted">{subtitle}</p> : null}
      </div>
      {actions ? <div className="page-actions">{actions}</div> : null}
    </header>
  );
}

export function Field({
  label,
  hint,
  children,
}: {
  label: string;
  hint?: ReactNode;
  children: (id: string, hintId: string | undefined) => ReactNode;
}) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(id, hintId)}
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export function TextField({
  label,
  hint,
  ...input
}: InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: ReactNode }) {
  return (
    <Field label={label} hint={hint}>
      {(id, hintId) => <input id={id} aria-describedby={hintId} className="input" {...input} />}
    </Field>
  );
}

export function SelectField({
  label,
  hint,
  options,
  ...select
}: SelectHTMLAttributes<HTMLSelectElement> & {
  label: string;
  hint?: ReactNode;
  options: ReadonlyArray<{ value: string; label: string }>;
}) {
  return (
    <Field label={label} hint={hint}>
      {(id, hintId) => (
        <select id={id} aria-describedby={hintId} className="input" {...select}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function Checkboxes({
  legend,
  options,
  value,
  onChange,
}: {
  legend: string;
  options: readonly string[];
  value: readonly string[];
  onChange(next: string[]): void;
}) {
  return (
    <fieldset className="field checkboxes">
      <legend>{legend}</legend>
      {options.map((option) => (
        <label key={option} className="checkbox">
          <input
            type="checkbox"
            checked={value.includes(option)}
            onChange={(e) =>
              onChange(e.target.checked ? [...value, option] : value.filter((v) => v !== option))
            }
          />
          <code>{option}</code>
        </label>
      ))}
    </fieldset>
  );
}

/** A failed call, in words: the problem's detail and request id (quote it to support), or what went wrong. */
export function ErrorNotice({ error }: { error: Error | undefined }) {
  if (!error) return null;
  const problem = error instanceof ProblemError ? error.problem : undefined;
  const details = problem && 'errors' in problem && Array.isArray(problem.errors) ? problem.errors : [];
  return (
    <div className="notice notice-error" role="alert">
      <strong>{problem?.title ?? 'Something went wrong'}</strong>
      <p>{problem?.detail ?? error.message}</p>
      {details.length > 0 ? (
        <ul>
          {details.map((d: { pointer?: string; detail?: string }, i: number) => (
            <li key={i}>
              {d.pointer ? <code>{d.pointer}</code> : null} {d.detail}
            </li>
          ))}
        </ul>
      ) : null}
      {error instanceof ProblemError && error.requestId ? (
        <p className="muted small">
          Request id <code>{error.requestId}</code>
        </p>
      ) : null}
    </div>
  );
}

export function Notice({
  tone = 'info',
  children,
}: {
  tone?: 'info' | 'warning' | 'success';
  children: ReactNode;
}) {
  return (
    <div className={`notice notice-${tone}`} role="status">
      {children}
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" /> {label}
    </p>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children}
    </div>
  );
}

export function Stat({ label, value, hint }: { label: string; value: ReactNode; hint?: ReactNode }) {
  return (
    <div className="stat">
      <span className="stat-label">{label}</span>
      <span className="stat-value">{value}</span>
      {hint ? <span className="stat-hint">{hint}</span> : null}
    </div>
  );
}
