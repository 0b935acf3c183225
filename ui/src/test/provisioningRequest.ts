/** A valid provisioning request for tests and benchmarks: `contracts` contracts sharing `columns` columns. */
export function sampleRequest(contracts = 1, columns = 2): Record<string, unknown> {
  const perContract = Array.from({ length: contracts }, (_, i) =>
    Math.floor(columns / contracts) + (i < columns % contracts ? 1 : 0),
  );
  return {
    apiVersion: 'meshport/v1',
    kind: 'ProvisioningRequest',
    product: {
      apiVersion: 'v1.0.0',
      kind: 'DataProduct',
      id: '0b7c3f7e-4c1a-4d55-9a53-0d9f1a2b3c4d',
      name: 'orders',
      status: 'draft',
    },
    contracts: perContract.map((n, c) => ({
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
          properties: Array.from({ length: n }, (_, p) => ({
            name: `column_${p}`,
            logicalType: p % 2 === 0 ? 'string' : 'integer',
            required: p === 0,
            primaryKey: p === 0,
            logicalTypeOptions: p % 2 === 0 ? { maxLength: 64 } : { minimum: 0, maximum: '100' },
            tags: ['pii'],
          })),
        },
      ],
    })),
    infrastructure: { processing: { engine: 'spark', autoScaling: true, minWorkers: 1, maxWorkers: 4 } },
  };
}
