import { invoke } from '@tauri-apps/api/core';
import { describe, expect, it, vi } from 'vitest';
import type { ProvisioningRequest } from '../../bindings';
import { CONTRACTS_HEADER, checkRequest, jsonBody } from './index';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));

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

describe('a request checked as it is typed', () => {
  const request = (name: string, contracts: unknown[]): ProvisioningRequest =>
    ({
      apiVersion: 'meshport/v1',
      kind: 'ProvisioningRequest',
      product: { apiVersion: 'v1.0.0', kind: 'DataProduct', id: 'p-1', name, status: 'draft' },
      contracts,
      infrastructure: {},
    }) as unknown as ProvisioningRequest;
  /** What each call sent: its body read back, and the contracts' key. */
  const sent = () =>
    vi.mocked(invoke).mock.calls.map(([command, body, options]) => ({
      command,
      body: read(body as Uint8Array) as Record<string, unknown>,
      key: (options?.headers as Record<string, string> | undefined)?.[CONTRACTS_HEADER],
    }));

  it('sends the contracts once, then the rest alone under their key, and again when the shell lost them', async () => {
    vi.mocked(invoke).mockReset();
    vi.mocked(invoke).mockResolvedValue([]);
    const contracts = [{ id: 'c-1' }];
    await checkRequest(request('R', contracts));
    await checkRequest(request('Re', contracts));
    let calls = sent();
    expect(calls.map((c) => c.command)).toEqual(['request_check', 'request_check']);
    expect(calls[0]?.body).toEqual(request('R', contracts));
    expect(calls[1]?.body).toEqual({ ...request('Re', contracts), contracts: undefined });
    expect(calls[1]?.body).not.toHaveProperty('contracts');
    expect(calls[0]?.key).toBeTruthy();
    expect(calls[1]?.key).toBe(calls[0]?.key);
    const first = calls[0]?.key;

    // The shell started again: it refuses, and the contracts go again.
    vi.mocked(invoke).mockReset();
    vi.mocked(invoke)
      .mockRejectedValueOnce({ code: 'contracts-not-kept', message: 'send them' })
      .mockResolvedValueOnce([{ rule: 'r', severity: 'error', path: '/contracts/0', message: 'm', hint: 'h' }]);
    expect(await checkRequest(request('Ret', contracts))).toHaveLength(1);
    calls = sent();
    expect(calls.map((c) => 'contracts' in c.body)).toEqual([false, true]);
    expect(calls.map((c) => c.key)).toEqual([first, first]);

    // New contracts: a new key, sent with them.
    vi.mocked(invoke).mockReset();
    vi.mocked(invoke).mockResolvedValue([]);
    const changed = [{ id: 'c-1', name: 'orders' }];
    await checkRequest(request('Ret', changed));
    calls = sent();
    expect(calls[0]?.body.contracts).toEqual(changed);
    expect(calls[0]?.key).toBeTruthy();
    expect(calls[0]?.key).not.toBe(first);
  });

  it('keeps other failures, and a failed send of the contracts is not taken as kept', async () => {
    vi.mocked(invoke).mockReset();
    vi.mocked(invoke).mockRejectedValueOnce({ code: 'profile', message: 'no profile' });
    const contracts = [{ id: 'c-2' }];
    await expect(checkRequest(request('A', contracts))).rejects.toMatchObject({ code: 'profile' });
    vi.mocked(invoke).mockResolvedValue([]);
    await checkRequest(request('B', contracts));
    expect(sent().map((c) => 'contracts' in c.body)).toEqual([true, true]);
  });
});
