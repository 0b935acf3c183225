import { render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { SearchHit } from '../../bindings';
import { Catalog, firstRows } from './Catalog';

function hits(count: number, prefix: string): SearchHit[] {
  return Array.from({ length: count }, (_, n) => ({
    id: `${prefix}-${n}`,
    name: `${prefix} ${n}`,
    domain: 'orders',
    status: 'active',
    version: '1.0.0',
    tags: [],
    rank: 0,
  }));
}

function catalog(rows: SearchHit[]) {
  return (
    <MemoryRouter>
      <Catalog
        hits={rows}
        total={rows.length}
        loaded
        loading={false}
        text=""
        filtered={false}
        facets={null}
        onTextChange={() => undefined}
        onClear={() => undefined}
      />
    </MemoryRouter>
  );
}

const names = () => screen.queryAllByTestId('product-name').map((el) => el.textContent);

describe('the catalog list', () => {
  it('shows the first rows of an answer in its first frame and all of them from the next', async () => {
    const FIRST_ROWS = firstRows();
    const first = hits(FIRST_ROWS + 6, 'Alpha');
    const view = render(catalog(first));
    expect(names()).toEqual(first.slice(0, FIRST_ROWS).map((h) => h.name));
    await waitFor(() => expect(names()).toHaveLength(first.length));
    expect(names()).toEqual(first.map((h) => h.name));

    // A new answer starts again from its own first rows: never rows of the previous one.
    const next = hits(FIRST_ROWS + 2, 'Beta');
    view.rerender(catalog(next));
    expect(names()).toEqual(next.slice(0, FIRST_ROWS).map((h) => h.name));
    await waitFor(() => expect(names()).toHaveLength(next.length));
  });

  it('shows as many rows first as the window is tall', () => {
    expect(firstRows(800)).toBe(9);
    expect(firstRows(1440)).toBe(16);
    expect(firstRows(100)).toBe(4);
  });

  it('shows a short answer whole at once', () => {
    const few = hits(3, 'Gamma');
    render(catalog(few));
    expect(names()).toEqual(few.map((h) => h.name));
  });
});
