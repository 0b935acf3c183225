import { describe, expect, it } from 'vitest';
import type { ProvisioningRequest } from '../../bindings';
import { jsonBody } from './index';

const read = (body: Uint8Array): unknown => JSON.parse(new TextDecoder().decode(body));

describe('a request as a call’s raw body', () => {
  const contracts = [
    { apiVersion: 'v3.1.0', kind: 'DataContract', id: 'c-1', name: 'Zoë’s “lines”', version: '1.0.0', status: 'draft' },
  ] as unknown as ProvisioningRequest['contracts'];
  const request = (name: string): ProvisioningRequest => ({
    apiVersion: 'meshport/v1',
    kind: 'ProvisioningRequest',
    product: { apiVersion: 'v1.0.0', kind: 'DataProduct', id: 'p-1', name, status: 'draft' },
    contracts,
    infrastructure: { storage: { type: 'managed' } },
  });

  it('is the request’s JSON, keystroke after keystroke over the same contracts', () => {
    const first = request('Returns');
    expect(read(jsonBody(first))).toEqual(first);
    // The contracts' text is reused: the product's change is there all the same.
    const second = request('Returns\n"quoted" é');
    expect(read(jsonBody(second))).toEqual(second);
  });

  it('holds the contracts alone, and a request without them', () => {
    expect(read(jsonBody({ contracts } as ProvisioningRequest))).toEqual({ contracts });
    const without = { ...request('x'), contracts: undefined } as unknown as ProvisioningRequest;
    expect(read(jsonBody(without))).toEqual({ ...request('x'), contracts: undefined });
  });
});
