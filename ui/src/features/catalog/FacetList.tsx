import { useState } from 'react';
import type { FacetCount, Facets } from '../../bindings';
import { FACET_GROUPS, selectedValue } from './search';
import type { FacetGroup, Filters } from './search';

/**
 * The values a group shows until the user asks for all of them: its most frequent. A realistic
 * catalog has thousands of tags and owners, and a toggle each would be thousands of elements in every
 * answer's frame.
 */
export const FACET_VALUES_SHOWN = 8;

function label(group: FacetGroup, value: string): string {
  if (group === 'openIncident') return value === 'true' ? 'Yes' : value === 'false' ? 'No' : value;
  return value || '(none)';
}

/**
 * The facet counts of the latest search, one toggle per value: the {@link FACET_VALUES_SHOWN} most
 * frequent of each group, all of them once its "Show all" is pressed. A selected value stays listed
 * (with its count, or 0 when the other criteria leave nothing) so it can always be cleared.
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
  const [expanded, setExpanded] = useState<ReadonlySet<FacetGroup>>(new Set());
  const groups = FACET_GROUPS.map(({ group, label: title }) => {
    const selected = selectedValue(filters, group);
    const values: FacetCount[] = [...(facets?.[group] ?? [])];
    if (selected !== undefined && !values.some((v) => v.value === selected)) {
      values.unshift({ value: selected, count: 0 });
    }
    const all = expanded.has(group) || values.length <= FACET_VALUES_SHOWN;
    const shown = all
      ? values
      : values.filter((v, i) => i < FACET_VALUES_SHOWN || v.value === selected);
    return { group, title, selected, values, shown };
  }).filter((g) => g.values.length > 0);
  const toggleAll = (group: FacetGroup) =>
    setExpanded((before) => {
      const after = new Set(before);
      if (!after.delete(group)) after.add(group);
      return after;
    });

  return (
    <aside className="facets" data-testid="facets" aria-label="Filters">
      {groups.length === 0 ? <p className="facets-empty">No filters to offer.</p> : null}
      {groups.map(({ group, title, selected, values, shown }) => (
        <div key={group} className="facet-group" role="group" aria-labelledby={`facet-${group}-title`}>
          <h3 className="facet-title" id={`facet-${group}-title`}>
            {title}
          </h3>
          <ul className="facet-values">
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
          {values.length > FACET_VALUES_SHOWN ? (
            <button
              type="button"
              className="facet-more"
              aria-expanded={expanded.has(group)}
              aria-label={
                expanded.has(group)
                  ? `Show fewer ${title.toLowerCase()} values`
                  : `Show all ${values.length} ${title.toLowerCase()} values`
              }
              onClick={() => toggleAll(group)}
            >
              {expanded.has(group) ? 'Show fewer' : `Show all ${values.length}`}
            </button>
          ) : null}
        </div>
      ))}
    </aside>
  );
}
