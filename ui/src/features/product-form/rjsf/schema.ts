import type { RJSFSchema } from '@rjsf/utils';
// Owned by the Rust side (generated from the model types); never copy them into ui/.
// These very objects are what scripts/gen-validators.mjs precompiles: the precompiled validators
// find their functions by a hash of the schema, so the forms must get them unchanged.
import dataProductJson from '../../../../../schemas/data-product.schema.json';
import provisioningRequestJson from '../../../../../schemas/provisioning-request.schema.json';

export const dataProductSchema = dataProductJson as RJSFSchema;
/** The whole provisioning request: the data product, its ODCS contracts and the infrastructure. */
export const provisioningRequestSchema = provisioningRequestJson as RJSFSchema;

/**
 * `schema` with every `$ref` into its `definitions` replaced by the definition, and every
 * one-element `allOf` (how schemars adds a description to a `$ref`) by its element, the local
 * keywords winning, as rjsf reads them. For a form: rjsf resolves the references of its whole
 * schema again at each change (its defaults are derived anew), which was most of a keystroke's
 * work in the product's form. Throws on a reference that is not into `definitions`, or on a
 * recursive one (they cannot be inlined): the schemas it is used on have neither.
 */
export function inlineDefinitions(schema: RJSFSchema): RJSFSchema {
  const definitions = (schema.definitions ?? {}) as Record<string, RJSFSchema>;
  const inline = (node: unknown, within: readonly string[]): unknown => {
    if (Array.isArray(node)) return node.map((n) => inline(n, within));
    if (typeof node !== 'object' || node === null) return node;
    const { $ref, allOf, ...rest } = node as RJSFSchema;
    const local: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(rest)) local[key] = inline(value, within);
    let base: Record<string, unknown> = {};
    if (typeof $ref === 'string') {
      const name = /^#\/definitions\/([^/]+)$/.exec($ref)?.[1];
      const target = name === undefined ? undefined : definitions[name];
      if (name === undefined || target === undefined) throw new Error(`cannot inline ${$ref}`);
      if (within.includes(name)) throw new Error(`cannot inline the recursive ${$ref}`);
      base = inline(target, [...within, name]) as Record<string, unknown>;
    }
    if (Array.isArray(allOf)) {
      if (allOf.length !== 1) return { ...base, ...local, allOf: inline(allOf, within) };
      base = { ...base, ...(inline(allOf[0], within) as Record<string, unknown>) };
    }
    return { ...base, ...local };
  };
  const root: RJSFSchema = { ...schema };
  delete root.definitions;
  return inline(root, []) as RJSFSchema;
}

/** The product's schema for its form, references inlined (see `inlineDefinitions`). */
export const dataProductFormSchema = inlineDefinitions(dataProductSchema);
