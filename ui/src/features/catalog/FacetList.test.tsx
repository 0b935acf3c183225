import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Facets } from '../../bindings';
import { seriousViolations } from '../../test/axe';
import { FACET_VALUES_SHOWN, FacetList } from './FacetList';
import type { Filters } from './search';

/** A mesh's tags by count, the most frequent first, as an answer lists them. */
function tags(count: number) {
  return Array.from({ length: count }, (_, n) => ({ value: `tag-${n}`, count: 1000 - n }));
}

function facets(tagCount: number): Facets {
  return {
    domain: [{ value: 'orders', count: 3 }],
    status: [],
    tag: tags(tagCount),
    owner: [],
    openIncident: [],
  };
}

const tagButtons = () =>
  within(screen.getByRole('group', { name: 'Tag' }))
    .getAllByRole('button')
    .filter((b) => b.getAttribute('aria-pressed') !== null)
    .map((b) => b.getAttribute('data-testid'));

function list(tagCount: number, filters: Filters = {}, onToggle = vi.fn()) {
  return render(<FacetList facets={facets(tagCount)} filters={filters} onToggle={onToggle} />);
}

describe('the facet values', () => {
  it('lists the most frequent values of a group until all are asked for, and then the first again', async () => {
    const user = userEvent.setup();
    list(300);
    expect(tagButtons()).toEqual(tags(FACET_VALUES_SHOWN).map((t) => `facet-tag-${t.value}`));
    const more = screen.getByRole('button', { name: 'Show all 300 values of Tag' });
    expect(more.getAttribute('aria-expanded')).toBe('false');

    await user.click(more);
    expect(tagButtons()).toHaveLength(300);
    const fewer = screen.getByRole('button', { name: `Show the first ${FACET_VALUES_SHOWN} values of Tag` });
    expect(fewer.getAttribute('aria-expanded')).toBe('true');
    // The other groups are as they were: one value, no button.
    expect(screen.queryByRole('button', { name: /values of Domain/ })).toBeNull();
    expect(await seriousViolations(document.body)).toEqual([]);

    await user.click(fewer);
    expect(tagButtons()).toHaveLength(FACET_VALUES_SHOWN);
  });

  it('keeps a selected value listed wherever it is, so that it can be cleared', async () => {
    const user = userEvent.setup();
    const onToggle = vi.fn();
    list(300, { tag: 'tag-250' }, onToggle);
    expect(tagButtons()).toEqual([...tags(FACET_VALUES_SHOWN).map((t) => `facet-tag-${t.value}`), 'facet-tag-tag-250']);
    const selected = screen.getByTestId('facet-tag-tag-250');
    expect(selected.getAttribute('aria-pressed')).toBe('true');
    await user.click(selected);
    expect(onToggle).toHaveBeenCalledWith('tag', 'tag-250');
  });

  it('lists every value where the button would take the place of the one left out', () => {
    list(FACET_VALUES_SHOWN + 1);
    expect(tagButtons()).toHaveLength(FACET_VALUES_SHOWN + 1);
    expect(screen.queryByRole('button', { name: /Show all/ })).toBeNull();
  });
});
