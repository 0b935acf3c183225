import type { DataProduct } from '../../../bindings';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEmpty(value: unknown): boolean {
  if (value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isPlainObject(value) && Object.keys(value).length === 0;
}

function prune(value: unknown): unknown {
  if (Array.isArray(value)) {
    // Items are kept (even empty ones) so finding paths like /outputPorts/1 still line up.
    return value.map((item) => prune(item));
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      const pruned = prune(child);
      if (!isEmpty(pruned)) out[key] = pruned;
    }
    return out;
  }
  return value;
}

/**
 * The document sent to `product_create`: the form data without the empty
 * containers and undefined members rjsf leaves behind for untouched optional
 * sections. Strings (even empty ones) are sent as typed: Rust decides.
 */
export function toDocument(formData: DataProduct): DataProduct {
  return prune(formData) as DataProduct;
}

/** Whether `value` holds nothing but empty containers (what a form fills in for an untouched part). */
export function isEmptyValue(value: unknown): boolean {
  return isEmpty(prune(value));
}

/**
 * As `toDocument`, but an empty container that `original` (the document as it was opened: an imported
 * file, a resumed draft) already held at the same place is kept: what the form adds is dropped, what
 * the document said is not (`tags: []` in a published file comes back out unchanged).
 */
export function pruneAgainst(value: unknown, original: unknown): unknown {
  if (Array.isArray(value)) {
    const before: unknown[] = Array.isArray(original) ? original : [];
    return value.map((item, i) => pruneAgainst(item, before[i]));
  }
  if (isPlainObject(value)) {
    const before = isPlainObject(original) ? original : {};
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      const pruned = pruneAgainst(child, before[key]);
      const keptEmpty =
        Object.hasOwn(before, key) &&
        before[key] !== undefined &&
        isEmpty(before[key]) &&
        Array.isArray(before[key]) === Array.isArray(pruned);
      if (!isEmpty(pruned) || (keptEmpty && pruned !== undefined)) out[key] = pruned;
    }
    return out;
  }
  return value;
}
