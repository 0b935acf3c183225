import { describe, expect, it } from 'vitest';
import { dataProductUi, humanize, newDataProductDefaults } from './dataProductUi';

type Node = Record<string, Record<string, unknown> | undefined>;

describe('dataProductUi', () => {
  it('humanizes keys', () => {
    expect(humanize('outputPorts')).toBe('Output ports');
    expect(humanize('invitationUrl')).toBe('Invitation URL');
    expect(humanize('replacedByUsername')).toBe('Replaced by username');
    expect(humanize('sbom')).toBe('SBOM');
  });

  it('orders, hides and titles fields', () => {
    const ui = dataProductUi as unknown as Node;
    expect(dataProductUi['ui:order']).toEqual([
      'name', 'id', 'version', 'status', 'domain', 'tenant', 'description', 'tags', '*',
    ]);
    expect(ui.apiVersion?.['ui:widget']).toBe('hidden');
    expect(ui.kind?.['ui:widget']).toBe('hidden');
    expect(ui.name?.['ui:placeholder']).toBeTruthy();
    expect(ui.outputPorts?.['ui:title']).toBe('Output ports');
    const items = ui.outputPorts?.items as Node;
    expect(items.contractId?.['ui:title']).toBe('Contract id');
    expect(ui.support?.['ui:title']).toBe('Support channels');
  });

  it('starts a new product as a v1.0.0 draft with a fresh UUID', () => {
    const a = newDataProductDefaults();
    const b = newDataProductDefaults();
    expect(a).toMatchObject({ apiVersion: 'v1.0.0', kind: 'DataProduct', status: 'draft' });
    expect(a.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.id).not.toBe(b.id);
  });
});
