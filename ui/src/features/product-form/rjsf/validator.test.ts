import { describe, expect, it } from 'vitest';
import {
  getClosestMatchingOption,
  getDefaultFormState,
  getFirstMatchingOption,
  retrieveSchema,
} from '@rjsf/utils';
import type { RJSFSchema } from '@rjsf/utils';
// The eval-based reference: fine in Node, never shipped (this file is a test).
import ajvValidator from '@rjsf/validator-ajv8';
import { sampleRequest } from '../../../test/provisioningRequest';
import { newDataProductDefaults } from './dataProductUi';
import { dataProductSchema, provisioningRequestSchema } from './schema';
import {
  noEvalValidator,
  requestValidator,
  validateDocument,
  validateProduct,
  validateRequest,
  validateRequestInParts,
} from './validator';

const product = dataProductSchema;
const request = provisioningRequestSchema;
const defs = request.definitions ?? {};

function def(name: string): RJSFSchema {
  const schema = defs[name];
  if (typeof schema !== 'object') throw new Error(`no definition ${name}`);
  return schema;
}

/** A valid product document with `patch` applied at the top level. */
function productWith(patch: Record<string, unknown>): Record<string, unknown> {
  return {
    ...newDataProductDefaults(),
    id: '0b7c3f7e-4c1a-4d55-9a53-0d9f1a2b3c4d',
    name: 'orders',
    ...patch,
  };
}

describe('precompiled validators', () => {
  it('accept valid documents', () => {
    expect(validateProduct(productWith({ name: 'orders' }))).toEqual([]);
    expect(validateRequest(sampleRequest(3, 10))).toEqual([]);
    const form = noEvalValidator.validateFormData(productWith({}), product);
    expect(form.errors).toEqual([]);
  });

  it('report a missing required field at its pointer', () => {
    const doc = sampleRequest(2, 4) as { contracts: Record<string, unknown>[] };
    delete doc.contracts[1]!.version;
    expect(validateRequest(doc)).toEqual([
      { path: '/contracts/1/version', message: "must have required property 'version'", keyword: 'required' },
    ]);
  });

  it('report a wrong enum value at its pointer', () => {
    expect(validateProduct(productWith({ status: 'gone' }))).toEqual([
      { path: '/status', message: 'must be equal to one of the allowed values', keyword: 'enum' },
    ]);
    const doc = sampleRequest(1, 3);
    (doc.product as Record<string, unknown>).status = 'gone';
    expect(validateRequest(doc)).toEqual([
      { path: '/product/status', message: 'must be equal to one of the allowed values', keyword: 'enum' },
    ]);
  });

  it('report a bad type deep in a contract column at its pointer', () => {
    const doc = sampleRequest(3, 9) as {
      contracts: { schema: { properties: Record<string, unknown>[] }[] }[];
    };
    doc.contracts[2]!.schema[0]!.properties[1]!.name = 42;
    expect(validateRequest(doc)).toEqual([
      { path: '/contracts/2/schema/0/properties/1/name', message: 'must be string', keyword: 'type' },
    ]);
    // Nested columns (a column's own properties) too.
    const nested = sampleRequest(1, 2) as typeof doc;
    nested.contracts[0]!.schema[0]!.properties[0]!.properties = [{ name: 'inner', primaryKey: 'yes' }];
    expect(validateRequest(nested)).toEqual([
      {
        path: '/contracts/0/schema/0/properties/0/properties/0/primaryKey',
        message: 'must be boolean',
        keyword: 'type',
      },
    ]);
  });

  it('name the member for additionalProperties, escaping the pointer', () => {
    expect(validateProduct(productWith({ 'a/b~c': 1 }))).toEqual([
      { path: '/a~1b~0c', message: 'must NOT have additional properties', keyword: 'additionalProperties' },
    ]);
  });

  it('give rjsf real errors (the form keeps noValidate for now)', () => {
    const result = noEvalValidator.validateFormData(productWith({ id: 'not-a-uuid' }), product);
    expect(result.errors.map((e) => [e.property, e.name])).toEqual([['.id', 'format']]);
    expect(result.errorSchema).toEqual({ id: { __errors: ['must match format "uuid"'] } });
    const raw = requestValidator.rawValidation<{ instancePath: string }>(request, {});
    expect(raw.errors?.length).toBe(5);
    expect(validateDocument('provisioningRequest', {}).map((e) => e.path)).toEqual([
      '/apiVersion',
      '/kind',
      '/product',
      '/contracts',
      '/infrastructure',
    ]);
  });

  it('agree with @rjsf/validator-ajv8 on whole documents (ajv runs here only: it needs eval)', () => {
    const docs: unknown[] = [
      sampleRequest(2, 6),
      { ...sampleRequest(1, 1), kind: 'Other' },
      { ...sampleRequest(1, 1), contracts: [{ apiVersion: 'v9' }] },
      { ...sampleRequest(1, 1), infrastructure: { processing: { minWorkers: -1 } } },
      {},
      null,
    ];
    for (const doc of docs) {
      const expected = (ajvValidator.rawValidation<{ instancePath: string; keyword: string }>(request, doc)
        .errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`);
      const actual = (requestValidator.rawValidation<{ instancePath: string; keyword: string }>(request, doc)
        .errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`);
      expect(actual, JSON.stringify(doc)).toEqual(expected);
    }
  });
});

describe('option matching (anyOf/oneOf) with precompiled validators', () => {
  it('picks the option a value matches, as @rjsf/validator-ajv8 does', () => {
    // [definition, values]: every anyOf/oneOf in the request schema.
    const cases: [string, unknown[]][] = [
      ['Bound', [3, '2024-01-01', true]],
      ['QualityType', ['sql', 'custom', 'nope']],
      ['Implementation', ['select 1', { tool: 'soda' }, 4]],
      ['PropertyReference', ['orders.id', ['orders.id', 'orders.ts'], 'not a ref!']],
      ['ContractTeam', [{ name: 't', members: [{ username: 'u' }] }, [{ username: 'u' }], 'x']],
    ];
    for (const [name, values] of cases) {
      const schema = retrieveSchema(requestValidator, def(name), request);
      const raw = (schema.anyOf ?? schema.oneOf ?? []) as RJSFSchema[];
      expect(raw.length, name).toBeGreaterThan(1);
      for (const value of values) {
        const label = `${name} ${JSON.stringify(value)}`;
        // What MultiSchemaField does before matching: resolve each option with the value.
        const options = raw.map((o) => retrieveSchema(requestValidator, o, request, value));
        expect(getFirstMatchingOption(requestValidator, value, options, request), label).toBe(
          getFirstMatchingOption(ajvValidator, value, options, request),
        );
        expect(getClosestMatchingOption(requestValidator, request, value, options), label).toBe(
          getClosestMatchingOption(ajvValidator, request, value, options),
        );
      }
    }
  });

  it('lets rjsf resolve the data product schema', () => {
    const resolved = retrieveSchema(noEvalValidator, product, product, newDataProductDefaults());
    expect(resolved.properties?.name).toBeDefined();
    const state = getDefaultFormState(noEvalValidator, product, newDataProductDefaults(), product, false, {
      allOf: 'populateDefaults',
    }) as Record<string, unknown>;
    expect(state.kind).toBe('DataProduct');
    expect(state.status).toBe('draft');
  });

  it('lets rjsf resolve the whole request, anyOf members included', () => {
    const doc = sampleRequest(2, 4);
    const resolved = retrieveSchema(requestValidator, request, request, doc);
    expect(Object.keys(resolved.properties ?? {})).toEqual([
      'apiVersion',
      'kind',
      'product',
      'contracts',
      'infrastructure',
    ]);
    const state = getDefaultFormState(requestValidator, request, doc, request, false, {
      allOf: 'populateDefaults',
    }) as Record<string, unknown>;
    expect(state.kind).toBe('ProvisioningRequest');
  });
});

describe('a request validated in parts', () => {
  const sorted = (errors: ReturnType<typeof validateRequest>) =>
    [...errors].sort((a, b) => `${a.path} ${a.keyword}`.localeCompare(`${b.path} ${b.keyword}`));

  it('finds what the whole request’s validation finds, product and contracts', () => {
    const doc = sampleRequest(3, 6) as Record<string, unknown> & {
      product: Record<string, unknown>;
      contracts: { version?: string; schema: { properties: Record<string, unknown>[] }[] }[];
      infrastructure: Record<string, unknown>;
    };
    expect(validateRequestInParts(sampleRequest(3, 6))).toEqual([]);
    doc.product.status = 'gone';
    doc.product.tags = [1];
    delete doc.product.id;
    delete doc.contracts[1]!.version;
    doc.contracts[2]!.schema[0]!.properties[1]!.name = 42;
    doc.infrastructure = { ...doc.infrastructure, storage: 'big' };
    const whole = validateRequest(doc);
    expect(whole.length).toBeGreaterThanOrEqual(6);
    expect(sorted(validateRequestInParts(doc))).toEqual(sorted(whole));
    // A member of the request that is not an object: as the whole request's validation.
    expect(validateRequestInParts({ ...doc, product: 'none' })).toEqual(validateRequest({ ...doc, product: 'none' }));
  });

  it('validates the other members again only when they are other objects', () => {
    const doc = sampleRequest(2, 4) as Record<string, unknown> & { contracts: Record<string, unknown>[] };
    delete doc.contracts[0]!.version;
    expect(validateRequestInParts(doc).map((e) => e.path)).toEqual(['/contracts/0/version']);
    // The same contracts array, changed in place, is the same member: what was found stands.
    doc.contracts[0]!.version = '1.0.0';
    expect(validateRequestInParts(doc).map((e) => e.path)).toEqual(['/contracts/0/version']);
    // A new array (as every edit in the wizard makes one), or another infrastructure: found again.
    expect(validateRequestInParts({ ...doc, contracts: [...doc.contracts] })).toEqual([]);
    delete doc.contracts[0]!.version;
    expect(validateRequestInParts({ ...doc, infrastructure: {} }).map((e) => e.path)).toEqual(['/contracts/0/version']);
  });
});
