import type { RJSFSchema } from '@rjsf/utils';
import { describe, expect, it } from 'vitest';
import { dataProductFormSchema, dataProductSchema, inlineDefinitions } from './schema';
import { sampleRequest } from '../../../test/provisioningRequest';
import { noEvalValidator } from './validator';

describe('the schema of a form, references inlined', () => {
  it('holds no reference, no one-element allOf and no definitions', () => {
    const text = JSON.stringify(dataProductFormSchema);
    expect(text).not.toContain('"$ref"');
    expect(text).not.toContain('"allOf"');
    expect(text).not.toContain('"definitions"');
    // Every field of the product is there, with what its definition says and its own description.
    expect(Object.keys(dataProductFormSchema.properties ?? {})).toEqual(Object.keys(dataProductSchema.properties ?? {}));
    const status = dataProductFormSchema.properties?.status as RJSFSchema;
    expect(status.description).toBe('Current status of the data product.');
    expect(status.enum ?? status.oneOf).toBeTruthy();
    const members = (dataProductFormSchema.properties?.team as RJSFSchema).properties?.members as RJSFSchema;
    expect((members.items as RJSFSchema).properties?.username).toBeTruthy();
  });

  it('keeps local keywords over the definition’s, and refuses what it cannot inline', () => {
    const schema: RJSFSchema = {
      type: 'object',
      properties: {
        a: { $ref: '#/definitions/A', description: 'local' },
        b: { allOf: [{ $ref: '#/definitions/A' }], title: 'B' },
        definitions: { $ref: '#/definitions/A' },
      },
      definitions: { A: { type: 'string', description: 'of A', enum: ['x'] } },
    };
    expect(inlineDefinitions(schema)).toEqual({
      type: 'object',
      properties: {
        a: { type: 'string', description: 'local', enum: ['x'] },
        b: { type: 'string', description: 'of A', enum: ['x'], title: 'B' },
        // A property named `definitions` is a property like any other.
        definitions: { type: 'string', description: 'of A', enum: ['x'] },
      },
    });
    expect(() => inlineDefinitions({ properties: { a: { $ref: 'other.json#/A' } } })).toThrow('cannot inline other.json#/A');
    expect(() =>
      inlineDefinitions({ $ref: '#/definitions/N', definitions: { N: { properties: { next: { $ref: '#/definitions/N' } } } } }),
    ).toThrow('recursive');
  });

  it('is judged by the precompiled validators of the schema as generated', () => {
    // A schema it has a function for, with the root the form hands it: its own, inlined.
    const product = sampleRequest().product as Record<string, unknown>;
    expect(noEvalValidator.isValid(dataProductSchema, product, dataProductFormSchema)).toBe(true);
    expect(noEvalValidator.isValid(dataProductSchema, { ...product, name: ' ' }, dataProductFormSchema)).toBe(false);
  });
});
