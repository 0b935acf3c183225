import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Facets } from '../../bindings';
import { FACET_VALUES_SHOWN, FacetList } from './FacetList';

/** Facets with `tags` tag values (tag-0 the most frequent) and three domains. */
function facets(tags: number): Facets {
  return {
    domain: [
      { value: 'orders', count: 30 },
      { value: 'stock', count: 20 },
      { value: 'risk', count: 10 },
    ],
    status: [],
    tag: Array.from({ length: tags }, (_, n) => ({ value: `tag-${n}`, count: 1000 - n })),
    owner: [],
    openIncident: [],
  };
}

/** The tag values listed, by test id (role queries over hundreds of buttons are slow in jsdom). */
const tagValues = () =>
  Array.from(document.querySelectorAll('[data-testid^="facet-tag-"]')).map((b) => b.getAttribute('data-testid'));

describe('the facet list', () => {
  it('shows the most frequent values of a long group until all are asked for, and fewer again', async () => {
    const user = userEvent.setup();
    render(<FacetList facets={facets(300)} filters={{}} onToggle={() => undefined} />);
    expect(tagValues()).toEqual(Array.from({ length: FACET_VALUES_SHOWN }, (_, n) => `facet-tag-tag-${n}`));
    // A short group shows every value and offers nothing more.
    expect(within(screen.getByRole('group', { name: 'Domain' })).getAllByRole('button')).toHaveLength(3);

    const all = screen.getByRole('button', { name: 'Show all 300 tag values' });
    expect(all.getAttribute('aria-expanded')).toBe('false');
    await user.click(all);
    expect(tagValues()).toHaveLength(300);
    const fewer = screen.getByRole('button', { name: 'Show fewer tag values' });
    expect(fewer.getAttribute('aria-expanded')).toBe('true');
    await user.click(fewer);
    expect(tagValues()).toHaveLength(FACET_VALUES_SHOWN);
  });

  it('keeps a selected value beyond the first ones listed, so it can be cleared', async () => {
    const user = userEvent.setup();
    const onToggle = vi.fn();
    render(<FacetList facets={facets(50)} filters={{ tag: 'tag-42' }} onToggle={onToggle} />);
    expect(tagValues()).toHaveLength(FACET_VALUES_SHOWN + 1);
    const selected = screen.getByTestId('facet-tag-tag-42');
    expect(selected.getAttribute('aria-pressed')).toBe('true');
    await user.click(selected);
    expect(onToggle).toHaveBeenCalledWith('tag', 'tag-42');
  });
});
