import type { ErrorSchema } from '@rjsf/utils';
import type { Finding } from '../../../bindings';

/**
 * Splits an RFC 6901 JSON pointer into its reference tokens.
 * `""` is the whole document (no tokens); `~1` decodes to `/` and `~0` to `~`.
 * A URI-fragment form (`#/a/b`) is accepted too.
 */
export function parsePointer(pointer: string): string[] {
  let p = pointer;
  if (p.startsWith('#')) {
    try {
      p = decodeURIComponent(p.slice(1));
    } catch {
      p = p.slice(1);
    }
  }
  if (p === '') return [];
  if (!p.startsWith('/')) return [p];
  return p
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The rjsf DOM id of the field a pointer designates (rjsf default prefix `root`, separator `_`). */
export function pointerToFieldId(pointer: string): string {
  return ['root', ...parsePointer(pointer)].join('_');
}

type ErrorNode = { __errors?: string[] } & { [key: string]: ErrorNode | string[] | undefined };

/** Adds `message` at `pointer` in an rjsf ErrorSchema (array indices become keys too). */
export function addPointerError(schema: ErrorNode, pointer: string, message: string): void {
  let node = schema;
  for (const token of parsePointer(pointer)) {
    // `__errors` is rjsf's own key; a property with that name cannot be addressed.
    const key = token === '__errors' ? '__errors_' : token;
    const next = node[key];
    if (typeof next === 'object' && !Array.isArray(next)) {
      node = next;
    } else {
      const created: ErrorNode = {};
      node[key] = created;
      node = created;
    }
  }
  node.__errors = [...(node.__errors ?? []), message];
}

/** Builds a JSON pointer from path tokens (the inverse of parsePointer). */
export function toPointer(tokens: readonly (string | number)[]): string {
  return tokens.map((t) => '/' + String(t).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** Normalizes a pointer so `#/a` and `/a` compare equal. */
export function normalizePointer(pointer: string): string {
  return toPointer(parsePointer(pointer));
}

/** Maps findings to rjsf `extraErrors`: `/description/purpose` -> `{description: {purpose: {__errors}}}`. */
export function findingsToErrorSchema<T = unknown>(
  findings: readonly Finding[],
  text: (finding: Finding) => string = (finding) => finding.message,
): ErrorSchema<T> {
  const root: ErrorNode = {};
  for (const finding of findings) addPointerError(root, finding.path, text(finding));
  return root;
}
