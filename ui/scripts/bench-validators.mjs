// Times the precompiled request validator on a provisioning request with 10 contracts and 200
// columns in total: p50/p95 over 200 runs (after 20 warm-up runs), in Node.
//   npm --prefix ui run bench:validators
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { hashForSchema } from '@rjsf/utils';
import { createPrecompiledValidator } from '@rjsf/validator-ajv8';
import { schemasDir } from './gen-validators-lib.mjs';
import { provisioningRequest } from '../src/features/product-form/rjsf/generated/validators.js';

const schema = JSON.parse(await readFile(path.join(schemasDir, 'provisioning-request.schema.json'), 'utf8'));
const CONTRACTS = 10;
const COLUMNS = 200;
const RUNS = 200;
const WARMUP = 20;

function request() {
  return {
    apiVersion: 'meshport/v1',
    kind: 'ProvisioningRequest',
    product: { apiVersion: 'v1.0.0', kind: 'DataProduct', id: '0b7c3f7e-4c1a-4d55-9a53-0d9f1a2b3c4d', name: 'orders', status: 'draft' },
    contracts: Array.from({ length: CONTRACTS }, (_, c) => ({
      apiVersion: 'v3.1.0',
      kind: 'DataContract',
      id: `contract-${c}`,
      version: '1.0.0',
      status: 'draft',
      team: { name: 'team', members: [{ username: 'alice' }] },
      schema: [
        {
          name: `table_${c}`,
          logicalType: 'object',
          quality: [{ type: 'sql', query: 'select 1', mustBeGreaterThan: 0 }],
          properties: Array.from({ length: COLUMNS / CONTRACTS }, (_, p) => ({
            name: `column_${p}`,
            logicalType: p % 2 === 0 ? 'string' : 'integer',
            required: p === 0,
            logicalTypeOptions: p % 2 === 0 ? { maxLength: 64 } : { minimum: 0, maximum: '100' },
            relationships: p === 1 ? [{ to: 'other.id' }] : undefined,
            tags: ['pii'],
          })),
        },
      ],
    })),
    infrastructure: { processing: { engine: 'spark', minWorkers: 1, maxWorkers: 4 } },
  };
}

function stats(label, fn) {
  for (let i = 0; i < WARMUP; i += 1) fn();
  const times = [];
  for (let i = 0; i < RUNS; i += 1) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(3);
  console.log(`${label}: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms (${RUNS} runs)`);
}

const valid = JSON.parse(JSON.stringify(request()));
const invalid = JSON.parse(JSON.stringify(request()));
invalid.contracts[9].schema[0].properties[19].name = 42;
delete invalid.contracts[3].version;

const main = provisioningRequest[hashForSchema(schema)];
const rjsf = createPrecompiledValidator(provisioningRequest, schema);
if (!main(valid)) throw new Error(`sample not valid: ${JSON.stringify(main.errors)}`);
console.log(`request: ${CONTRACTS} contracts, ${COLUMNS} columns, ${JSON.stringify(valid).length} bytes of JSON`);
stats('validateDocument path (precompiled function), valid', () => main(valid));
stats('validateDocument path (precompiled function), 2 errors', () => main(invalid));
stats('rjsf validator.rawValidation, valid', () => rjsf.rawValidation(schema, valid));
stats('rjsf validator.validateFormData, 2 errors', () => rjsf.validateFormData(invalid, schema));
