import type { RJSFSchema } from '@rjsf/utils';

/**
 * A structural schema matcher (type, enum, const, required, properties, items,
 * allOf/anyOf/oneOf/not, if/then/else, $ref), no code compiled.
 *
 * Only the fallback of the precompiled validators' `isValid` (validator.ts): rjsf sometimes asks
 * about a schema that depends on the form data, so no build step can have compiled it. Option
 * matching on `additionalProperties: true` objects is the case: `retrieveSchema` adds the data's
 * own keys to the option's `properties` (Implementation's `{ type: 'object' }` option with
 * `{ tool: 'soda' }` becomes `{ …, properties: { tool: … } }`). Formats and patterns are not
 * checked here; they play no part in picking an option of these schemas.
 */
type Schema = RJSFSchema;
type Json = unknown;

function resolveRef(ref: string, root: Schema): Schema | undefined {
  if (!ref.startsWith('#')) return undefined;
  const tokens = ref
    .slice(1)
    .split('/')
    .filter((t, i) => !(i === 0 && t === ''))
    .map((t) => decodeURIComponent(t).replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: unknown = root;
  for (const token of tokens) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return typeof node === 'object' && node !== null ? node : undefined;
}

function typeOf(value: Json): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function matchesType(value: Json, type: string): boolean {
  const actual = typeOf(value);
  if (type === 'number') return actual === 'number' || actual === 'integer';
  return actual === type;
}

function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) =>
    deepEqual((a as Record<string, Json>)[k], (b as Record<string, Json>)[k]),
  );
}

export function conforms(schema: Schema | boolean | undefined, value: Json, root: Schema, depth = 0): boolean {
  if (schema === undefined || schema === true) return true;
  if (schema === false) return false;
  if (depth > 64) return true; // recursive schemas: give up optimistically
  const next = (s: Schema | boolean | undefined, v: Json) => conforms(s, v, root, depth + 1);

  if (schema.$ref) {
    const target = resolveRef(schema.$ref, root);
    if (target && !next(target, value)) return false;
  }
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => matchesType(value, t))) return false;
  }
  if (schema.const !== undefined && !deepEqual(schema.const, value)) return false;
  if (schema.enum && !schema.enum.some((e) => deepEqual(e, value))) return false;
  if (schema.allOf && !schema.allOf.every((s) => next(s, value))) return false;
  if (schema.anyOf && !schema.anyOf.some((s) => next(s, value))) return false;
  if (schema.oneOf && schema.oneOf.filter((s) => next(s, value)).length !== 1) return false;
  if (schema.not !== undefined && next(schema.not, value)) return false;
  if (schema.if !== undefined) {
    const branch = next(schema.if, value) ? schema.then : schema.else;
    if (!next(branch, value)) return false;
  }

  if (typeOf(value) === 'object') {
    const obj = value as Record<string, Json>;
    if (schema.required && !schema.required.every((k) => k in obj && obj[k] !== undefined)) {
      return false;
    }
    const props = schema.properties ?? {};
    for (const [key, child] of Object.entries(obj)) {
      if (child === undefined) continue;
      if (key in props) {
        if (!next(props[key], child)) return false;
      } else if (schema.additionalProperties === false) {
        return false;
      } else if (typeof schema.additionalProperties === 'object') {
        if (!next(schema.additionalProperties, child)) return false;
      }
    }
  }
  if (Array.isArray(value) && schema.items !== undefined) {
    if (Array.isArray(schema.items)) {
      const tuple = schema.items;
      if (!value.every((v, i) => i >= tuple.length || next(tuple[i], v))) return false;
    } else {
      const item = schema.items;
      if (!value.every((v) => next(item, v))) return false;
    }
  }
  return true;
}

