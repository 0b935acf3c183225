import { useEffect, useRef } from 'react';
import type { Finding, Severity } from '../../bindings';
import { parsePointer, pointerToFieldId } from './rjsf/pointer';

const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

function where(path: string): string {
  const tokens = parsePointer(path);
  return tokens.length === 0 ? 'Whole document' : tokens.join(' › ');
}

function focusField(path: string): void {
  const el = document.getElementById(pointerToFieldId(path));
  if (el) {
    el.scrollIntoView?.({ block: 'center' });
    el.focus();
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function FindingsSummary({ findings, saved }: { findings: readonly Finding[]; saved: boolean }) {
  const ref = useRef<HTMLElement>(null);
  // The save button is at the bottom of a long form: bring the verdict into view when it arrives.
  useEffect(() => {
    if (findings.length > 0) ref.current?.scrollIntoView?.({ block: 'start' });
  }, [findings]);
  if (findings.length === 0) return null;
  const sorted = [...findings].sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
  const errors = findings.filter((f) => f.severity === 'error').length;
  const others = findings.length - errors;
  const title = saved
    ? `Saved, with ${plural(others, 'remark')}`
    : `Not saved: ${plural(errors, 'problem')} to fix` +
      (others > 0 ? `, ${plural(others, 'remark')}` : '');
  return (
    <section
      ref={ref}
      className={`findings ${errors > 0 ? 'findings-error' : 'findings-warning'}`}
      data-testid="findings"
      role={errors > 0 ? 'alert' : 'status'}
    >
      <h3 className="findings-title">{title}</h3>
      <ul className="findings-list">
        {sorted.map((f, i) => (
          <li key={i} className={`finding severity-${f.severity}`}>
            <span className={`severity-badge severity-badge-${f.severity}`}>{f.severity}</span>
            <div className="finding-body">
              <button type="button" className="finding-where" onClick={() => focusField(f.path)}>
                {where(f.path)}
              </button>
              <p className="finding-message">{f.message}</p>
              {f.hint ? <p className="finding-hint">{f.hint}</p> : null}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
