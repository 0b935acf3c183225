import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { FacetSizes, Facets } from '../../bindings';
import { seriousViolations } from '../../test/axe';
import { FacetList } from './FacetList';
import { FACET_LIMIT, FACET_VALUES_SHOWN } from './search';
import type { FacetGroup, Filters } from './search';

/** A mesh's tags by count, the most frequent first, as an answer lists them. */
function tags(count: number) {
  return Array.from({ length: count }, (_, n) => ({ value: `tag-${n}`, count: 1000 - n }));
}

/** An answer's facets: `listed` of the mesh's `tagCount` tags (all of them by default). */
function answer(tagCount: number, listed = tagCount): { facets: Facets; sizes: FacetSizes } {
  return {
    facets: {
      domain: [{ value: 'orders', count: 3 }],
      status: [],
      tag: tags(tagCount).slice(0, listed),
      owner: [],
      openIncident: [],
    },
    sizes: { domain: 1, status: 0, tag: tagCount, owner: 0, openIncident: 0 },
  };
}

const tagButtons = () =>
  within(screen.getByRole('group', { name: 'Tag' }))
    .getAllByRole('button')
    .filter((b) => b.getAttribute('aria-pressed') !== null)
    .map((b) => b.getAttribute('data-testid'));

/**
 * The list as the catalog holds it: the opened groups kept above it, and the search answering with
 * every value once a group is opened, else with `FACET_LIMIT` of each.
 */
function Searched({ tagCount, filters, onToggle }: { tagCount: number; filters: Filters; onToggle: () => void }) {
  const [expanded, setExpanded] = useState<ReadonlySet<FacetGroup>>(() => new Set());
  const { facets, sizes } = answer(tagCount, expanded.size > 0 ? tagCount : FACET_LIMIT);
  return (
    <FacetList
      facets={facets}
      sizes={sizes}
      filters={filters}
      expanded={expanded}
      onToggle={onToggle}
      onToggleExpanded={(group) =>
        setExpanded((now) => {
          const next = new Set(now);
          if (!next.delete(group)) next.add(group);
          return next;
        })
      }
    />
  );
}

function list(tagCount: number, filters: Filters = {}, onToggle = vi.fn()) {
  return render(<Searched tagCount={tagCount} filters={filters} onToggle={onToggle} />);
}

/** One answer's list, no group opened. */
function listed({ facets, sizes }: { facets: Facets; sizes: FacetSizes }, filters: Filters, onToggle = vi.fn()) {
  return render(
    <FacetList
      facets={facets}
      sizes={sizes}
      filters={filters}
      expanded={new Set()}
      onToggle={onToggle}
      onToggleExpanded={vi.fn()}
    />,
  );
}

describe('the facet values', () => {
  it('lists the most frequent values of a group until all are asked for, and then the first again', async () => {
    const user = userEvent.setup();
    list(300);
    expect(tagButtons()).toEqual(tags(FACET_VALUES_SHOWN).map((t) => `facet-tag-${t.value}`));
    // The answer listed FACET_LIMIT tags; the button counts the group's 300.
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
    listed(answer(300), { tag: 'tag-250' }, onToggle);
    expect(tagButtons()).toEqual([...tags(FACET_VALUES_SHOWN).map((t) => `facet-tag-${t.value}`), 'facet-tag-tag-250']);
    const selected = screen.getByTestId('facet-tag-tag-250');
    expect(selected.getAttribute('aria-pressed')).toBe('true');
    await user.click(selected);
    expect(onToggle).toHaveBeenCalledWith('tag', 'tag-250');
  });

  it('counts a selected value that nothing matches among the values to show', () => {
    listed(answer(FACET_VALUES_SHOWN), { tag: 'gone' });
    // Its own 0 and the group's eight: nine, all listed.
    expect(tagButtons()).toHaveLength(FACET_VALUES_SHOWN + 1);
    expect(tagButtons()[0]).toBe('facet-tag-gone');
    expect(screen.queryByRole('button', { name: /Show all/ })).toBeNull();
  });

  it('lists every value where the button would take the place of the one left out', () => {
    list(FACET_VALUES_SHOWN + 1);
    expect(tagButtons()).toHaveLength(FACET_VALUES_SHOWN + 1);
    expect(screen.queryByRole('button', { name: /Show all/ })).toBeNull();
  });

  it('offers all the values of a group the answer lists only some of', () => {
    list(FACET_VALUES_SHOWN + 2);
    expect(tagButtons()).toHaveLength(FACET_VALUES_SHOWN);
    screen.getByRole('button', { name: `Show all ${FACET_VALUES_SHOWN + 2} values of Tag` });
  });
});
