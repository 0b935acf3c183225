import type { FacetCount, FacetSizes, Facets } from '../../bindings';
import { FACET_GROUPS, FACET_VALUES_SHOWN, selectedValue } from './search';
import type { FacetGroup, Filters } from './search';

function label(group: FacetGroup, value: string): string {
  if (group === 'openIncident') return value === 'true' ? 'Yes' : value === 'false' ? 'No' : value;
  return value || '(none)';
}

/**
 * The values of `values` to list, of a group that has `size` values in all (an answer may list only
 * the most frequent): all those listed when `expanded` or when the group has one more than
 * `FACET_VALUES_SHOWN` (the button would take a value's place), else the first `FACET_VALUES_SHOWN`
 * and the `selected` value wherever it is, so that it can always be cleared.
 */
export function shownValues(
  values: readonly FacetCount[],
  selected: string | undefined,
  expanded: boolean,
  size: number = values.length,
): FacetCount[] {
  if (expanded || size <= FACET_VALUES_SHOWN + 1) return [...values];
  const first = values.slice(0, FACET_VALUES_SHOWN);
  const chosen = selected === undefined || first.some((v) => v.value === selected) ? undefined : values.find((v) => v.value === selected);
  return chosen ? [...first, chosen] : first;
}

/**
 * The facet counts of the latest search, one toggle per value. A selected value stays listed (with
 * its count, or 0 when the other criteria leave nothing) so it can always be cleared. A group lists
 * its `FACET_VALUES_SHOWN` most frequent values until "Show all" opens it (`expanded`, asking the
 * search for every value: `sizes` tells how many each group has beyond those the answer lists).
 */
export function FacetList({
  facets,
  sizes,
  filters,
  expanded,
  onToggle,
  onToggleExpanded,
}: {
  facets: Facets | null;
  sizes: FacetSizes | null;
  filters: Filters;
  expanded: ReadonlySet<FacetGroup>;
  onToggle: (group: FacetGroup, value: string) => void;
  onToggleExpanded: (group: FacetGroup) => void;
}) {
  const groups = FACET_GROUPS.map(({ group, label: title }) => {
    const selected = selectedValue(filters, group);
    const values: FacetCount[] = [...(facets?.[group] ?? [])];
    let size = Math.max(sizes?.[group] ?? 0, values.length);
    if (selected !== undefined && !values.some((v) => v.value === selected)) {
      values.unshift({ value: selected, count: 0 });
      size += 1;
    }
    return { group, title, selected, values, size };
  }).filter((g) => g.values.length > 0);

  return (
    <aside className="facets" data-testid="facets" aria-label="Filters">
      {groups.length === 0 ? <p className="facets-empty">No filters to offer.</p> : null}
      {groups.map(({ group, title, selected, values, size }) => {
        const open = expanded.has(group);
        const shown = shownValues(values, selected, open, size);
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
            {open || shown.length < size ? (
              <button
                type="button"
                className="facet-more"
                data-testid={`facet-${group}-more`}
                aria-expanded={open}
                aria-controls={listId}
                onClick={() => onToggleExpanded(group)}
              >
                {open ? `Show the first ${FACET_VALUES_SHOWN}` : `Show all ${size}`}{' '}
                <span className="visually-hidden">values of {title}</span>
              </button>
            ) : null}
          </div>
        );
      })}
    </aside>
  );
}
