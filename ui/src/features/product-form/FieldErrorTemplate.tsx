import { errorId } from '@rjsf/utils';
import type { FieldErrorProps } from '@rjsf/utils';
import type { Finding } from '../../bindings';
import { normalizePointer, toPointer } from './rjsf/pointer';

export interface FormContext {
  findings: readonly Finding[];
}

/**
 * rjsf's field error list (same id and `error-detail` class as the default), with the
 * finding's hint under its message.
 */
export function FieldErrorTemplate({ errors = [], fieldPathId, registry }: FieldErrorProps) {
  const shown = errors.filter(Boolean);
  if (shown.length === 0) return null;
  const context = registry.formContext as Partial<FormContext> | undefined;
  const pointer = toPointer(fieldPathId.path);
  const here = (context?.findings ?? []).filter((f) => normalizePointer(f.path) === pointer);
  return (
    <div className="field-errors">
      <ul id={errorId(fieldPathId)} className="error-detail">
        {shown.map((error, index) => {
          const finding =
            typeof error === 'string' ? here.find((f) => f.message === error) : undefined;
          return (
            <li key={index} className={`text-danger severity-${finding?.severity ?? 'error'}`}>
              <span className="field-error-message">{error}</span>
              {finding?.hint ? <span className="field-error-hint">{finding.hint}</span> : null}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
