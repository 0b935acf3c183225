import { useState } from 'react';
import type { ChangeEvent, ReactNode } from 'react';
import type { Finding } from '../../bindings';
import { fieldId } from './model';
import type { FindingIndex } from './model';

/** The findings of one field, under it (`<id>__error`, as rjsf's own fields have them). */
export function FieldMessages({ path, findings }: { path: string; findings: readonly Finding[] }) {
  if (findings.length === 0) return null;
  return (
    <ul id={`${fieldId(path)}__error`} className="error-detail field-messages">
      {findings.map((f, i) => (
        <li key={i} className={`text-danger severity-${f.severity}`}>
          <span className="field-error-message">{f.message}</span>
          {f.hint ? (
            <>
              {' '}
              <span className="field-error-hint">{f.hint}</span>
            </>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function describedBy(path: string, findings: readonly Finding[]): string | undefined {
  return findings.length > 0 ? `${fieldId(path)}__error` : undefined;
}

function invalid(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}

interface FieldProps {
  /** The pointer into the request of the value this field edits. */
  path: string;
  /** The accessible name. */
  label: string;
  index: FindingIndex;
  /** Shows the label above the control (forms) rather than only to assistive technology (grids). */
  visibleLabel?: boolean;
  /** The findings are shown elsewhere (a grid shows a row's findings under the row). */
  quiet?: boolean;
  className?: string;
}

function Labelled({
  path,
  label,
  visibleLabel,
  children,
  findings,
  quiet,
  className,
}: {
  path: string;
  label: string;
  visibleLabel?: boolean;
  children: ReactNode;
  findings: readonly Finding[];
  quiet?: boolean;
  className?: string;
}) {
  if (!visibleLabel) {
    return (
      <div className={className}>
        {children}
        {quiet ? null : <FieldMessages path={path} findings={findings} />}
      </div>
    );
  }
  return (
    <div className={`wizard-field ${className ?? ''}`}>
      <label htmlFor={fieldId(path)}>{label}</label>
      {children}
      {quiet ? null : <FieldMessages path={path} findings={findings} />}
    </div>
  );
}

export function TextField({
  path,
  label,
  index,
  value,
  onChange,
  placeholder,
  visibleLabel,
  quiet,
  className,
  multiline,
  type = 'text',
}: FieldProps & {
  value: string | undefined;
  onChange: (value: string) => void;
  placeholder?: string;
  multiline?: boolean;
  type?: 'text' | 'number';
}) {
  const findings = index.at(path);
  const common = {
    id: fieldId(path),
    'aria-label': visibleLabel ? undefined : label,
    'aria-invalid': invalid(findings) || undefined,
    'aria-describedby': describedBy(path, findings),
    placeholder,
    value: value ?? '',
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => onChange(e.target.value),
  };
  return (
    <Labelled {...{ path, label, visibleLabel, findings, quiet, className }}>
      {multiline ? (
        <textarea className="form-control" rows={2} {...common} />
      ) : (
        <input className="form-control" type={type} {...common} />
      )}
    </Labelled>
  );
}

export function SelectField({
  path,
  label,
  index,
  value,
  onChange,
  options,
  visibleLabel,
  quiet,
  className,
}: FieldProps & {
  value: string | undefined;
  onChange: (value: string) => void;
  /** `[value, text]` pairs; an empty value means "not set". */
  options: readonly (readonly [string, string])[];
}) {
  const findings = index.at(path);
  return (
    <Labelled {...{ path, label, visibleLabel, findings, quiet, className }}>
      <select
        id={fieldId(path)}
        className="form-control"
        aria-label={visibleLabel ? undefined : label}
        aria-invalid={invalid(findings) || undefined}
        aria-describedby={describedBy(path, findings)}
        value={value ?? ''}
        onChange={(e) => onChange(e.target.value)}
      >
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </Labelled>
  );
}

export function CheckField({
  path,
  label,
  index,
  checked,
  onChange,
  quiet,
  className,
}: FieldProps & { checked: boolean | undefined; onChange: (checked: boolean) => void }) {
  const findings = index.at(path);
  return (
    <Labelled {...{ path, label, findings, quiet, className }}>
      <input
        id={fieldId(path)}
        type="checkbox"
        aria-label={label}
        aria-invalid={invalid(findings) || undefined}
        aria-describedby={describedBy(path, findings)}
        checked={checked ?? false}
        onChange={(e) => onChange(e.target.checked)}
      />
    </Labelled>
  );
}

/** Keys of `value` set to `undefined` are dropped: an emptied optional field leaves no member behind. */
export function compact<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v !== undefined) out[k] = v;
  }
  return out as T;
}

/** An optional text: empty is "not set". */
export function optional(value: string): string | undefined {
  return value.trim() === '' ? undefined : value;
}

/**
 * A text field over a value that is not text (a number, a list): what is typed stays on screen as
 * typed (`1.` on the way to `1.5`, `a,` on the way to `a, b`) while the value it reads as is what
 * the document holds; a change from elsewhere (a row moved) shows the value's own text.
 */
export function ParsedField<T>({
  value,
  format,
  parse,
  onChange,
  ...rest
}: FieldProps & {
  value: T;
  format: (value: T) => string;
  parse: (text: string) => T;
  onChange: (value: T) => void;
  placeholder?: string;
}) {
  const [typed, setTyped] = useState(() => format(value));
  const shown = JSON.stringify(parse(typed)) === JSON.stringify(value) ? typed : format(value);
  return (
    <TextField
      {...rest}
      value={shown}
      onChange={(text) => {
        setTyped(text);
        onChange(parse(text));
      }}
    />
  );
}
