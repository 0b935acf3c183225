import { describe, expect, it } from 'vitest';
import { getDefaultFormState, retrieveSchema } from '@rjsf/utils';
import ajvValidator from '@rjsf/validator-ajv8';
import type { RJSFSchema } from '@rjsf/utils';
import { dataProductSchema } from './schema';
import { conforms, noEvalValidator } from './validator';
import { newDataProductDefaults } from './dataProductUi';

const root = dataProductSchema;

describe('noEvalValidator', () => {
  it('reports no errors: Rust is the validator', () => {
    const result = noEvalValidator.validateFormData({ id: 'not-a-uuid' }, root);
    expect(result.errors).toEqual([]);
    expect(result.errorSchema).toEqual({});
  });

  it('matches structure for option selection', () => {
    const status: RJSFSchema = { $ref: '#/definitions/ProductStatus' };
    expect(conforms(status, 'draft', root)).toBe(true);
    expect(conforms(status, 'nope', root)).toBe(false);
    const port: RJSFSchema = { $ref: '#/definitions/OutputPort' };
    expect(conforms(port, { name: 'a', version: '1' }, root)).toBe(true);
    expect(conforms(port, { name: 'a' }, root)).toBe(false);
    expect(conforms(port, { name: 'a', version: '1', extra: 1 }, root)).toBe(false);
    expect(conforms({ oneOf: [{ type: 'string' }, { type: 'integer' }] }, 3, root)).toBe(true);
    expect(conforms({ oneOf: [{ type: 'number' }, { type: 'integer' }] }, 3, root)).toBe(false);
    expect(conforms({ type: 'array', items: { type: 'string' } }, ['a', 1], root)).toBe(false);
  });

  it('lets rjsf resolve the data product schema without ajv', () => {
    const resolved = retrieveSchema(noEvalValidator, root, root, newDataProductDefaults());
    expect(resolved.properties?.name).toBeDefined();
    const state = getDefaultFormState(noEvalValidator, root, newDataProductDefaults(), root, false, {
      allOf: 'populateDefaults',
    }) as Record<
      string,
      unknown
    >;
    expect(state.kind).toBe('DataProduct');
    expect(state.status).toBe('draft');
  });

  it('agrees with @rjsf/validator-ajv8 on structure (ajv runs here only: it needs eval)', () => {
    const cases: [RJSFSchema, unknown][] = [
      [{ $ref: '#/definitions/ProductStatus' }, 'draft'],
      [{ $ref: '#/definitions/ProductStatus' }, 'gone'],
      [{ $ref: '#/definitions/OutputPort' }, { name: 'p', version: '1' }],
      [{ $ref: '#/definitions/OutputPort' }, { name: 'p' }],
      [{ $ref: '#/definitions/OutputPort' }, { name: 'p', version: '1', other: true }],
      [{ $ref: '#/definitions/Team' }, { name: 't', members: [{ username: 'u' }] }],
      [{ $ref: '#/definitions/Team' }, { name: 't', members: [{ role: 'owner' }] }],
      [{ $ref: '#/definitions/CustomProperty' }, { property: 'a', value: [1, { b: null }] }],
      [{ $ref: '#/definitions/CustomProperty' }, { property: 'a' }],
      [{ anyOf: [{ type: 'string' }, { type: 'null' }] }, null],
      [{ oneOf: [{ const: 'a' }, { const: 'b' }] }, 'c'],
    ];
    for (const [schema, value] of cases) {
      const withDefs = { ...schema, definitions: root.definitions };
      expect(conforms(schema, value, root), JSON.stringify([schema, value])).toBe(
        ajvValidator.isValid(withDefs, value, withDefs),
      );
    }
  });
});

