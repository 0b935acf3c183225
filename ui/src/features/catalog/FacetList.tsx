import { useState } from 'react';
import type { FacetCount, Facets } from '../../bindings';
import { FACET_GROUPS, selectedValue } from './search';
import type { FacetGroup, Filters } from './search';

/**
 * How many values of a group are listed until the user asks for all of them: the most frequent (an
 * answer lists them by count). A big mesh has thousands of tags and owners, and a button for each
 * would be rendered and laid out with every answer, the first one included.
 */
export const FACET_VALUES_SHOWN = 8;

function label(group: FacetGroup, value: string): string {
  if (group === 'openIncident') return value === 'true' ? 'Yes' : value === 'false' ? 'No' : value;
  return value || '(none)';
}

/**
 * The values of `values` to list: all of them when `expanded` or when one more than
 * `FACET_VALUES_SHOWN` (the button would take a value's place), else the first `FACET_VALUES_SHOWN`
 * and the `selected` value wherever it is, so that it can always be cleared.
 */
export function shownValues(values: readonly FacetCount[], selected: string | undefined, expanded: boolean): FacetCount[] {
  if (expanded || values.length <= FACET_VALUES_SHOWN + 1) return [...values];
  const first = values.slice(0, FACET_VALUES_SHOWN);
  const chosen = selected === undefined || first.some((v) => v.value === selected) ? undefined : values.find((v) => v.value === selected);
  return chosen ? [...first, chosen] : first;
}

/**
 * The facet counts of the latest search, one toggle per value. A selected value stays listed (with
 * its count, or 0 when the other criteria leave nothing) so it can always be cleared. A group lists
 * its `FACET_VALUES_SHOWN` most frequent values until "Show all" lists every one.
 */
export function FacetList({
  facets,
  filters,
  onToggle,
}: {
  facets: Facets | null;
  filters: Filters;
  onToggle: (group: FacetGroup, value: string) => void;
}) {
  const [expanded, setExpanded] = useState<ReadonlySet<FacetGroup>>(() => new Set());
  const groups = FACET_GROUPS.map(({ group, label: title }) => {
    const selected = selectedValue(filters, group);
    const values: FacetCount[] = [...(facets?.[group] ?? [])];
    if (selected !== undefined && !values.some((v) => v.value === selected)) {
      values.unshift({ value: selected, count: 0 });
    }
    return { group, title, selected, values };
  }).filter((g) => g.values.length > 0);

  const toggleExpanded = (group: FacetGroup) =>
    setExpanded((now) => {
      const next = new Set(now);
      if (!next.delete(group)) next.add(group);
      return next;
    });

  return (
    <aside className="facets" data-testid="facets" aria-label="Filters">
      {groups.length === 0 ? <p className="facets-empty">No filters to offer.</p> : null}
      {groups.map(({ group, title, selected, values }) => {
        const open = expanded.has(group);
        const shown = shownValues(values, selected, open);
        const listId = `facet-${group}-values`;
        return (
          <div key={group} className="facet-group" role="group" aria-labelledby={`facet-${group}-title`}>
            <h3 className="facet-title" id={`facet-${group}-title`}>
              {title}
            </h3>
            <ul className="facet-values" id={listId}>
              {shown.map(({ value, count }) => {
                const pressed = selected === value;
                return (
                  <li key={value}>
                    <button
                      type="button"
                      className={pressed ? 'facet facet-selected' : 'facet'}
                      data-testid={`facet-${group}-${value}`}
                      aria-pressed={pressed}
                      title={pressed ? 'Clear this filter' : undefined}
                      onClick={() => onToggle(group, value)}
                    >
                      <span className="facet-value">{label(group, value)}</span>
                      <span className="facet-count">{count}</span>
                    </button>
                  </li>
                );
              })}
            </ul>
            {open || shown.length < values.length ? (
              <button
                type="button"
                className="facet-more"
                data-testid={`facet-${group}-more`}
                aria-expanded={open}
                aria-controls={listId}
                onClick={() => toggleExpanded(group)}
              >
                {open ? `Show the first ${FACET_VALUES_SHOWN}` : `Show all ${values.length}`}{' '}
                <span className="visually-hidden">values of {title}</span>
              </button>
            ) : null}
          </div>
        );
      })}
    </aside>
  );
}
