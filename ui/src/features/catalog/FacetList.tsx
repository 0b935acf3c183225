import type { FacetCount, Facets } from '../../bindings';
import { FACET_GROUPS, selectedValue } from './search';
import type { FacetGroup, Filters } from './search';

function label(group: FacetGroup, value: string): string {
  if (group === 'openIncident') return value === 'true' ? 'Yes' : value === 'false' ? 'No' : value;
  return value || '(none)';
}

/**
 * The facet counts of the latest search, one toggle per value. A selected value stays listed (with
 * its count, or 0 when the other criteria leave nothing) so it can always be cleared.
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
  const groups = FACET_GROUPS.map(({ group, label: title }) => {
    const selected = selectedValue(filters, group);
    const values: FacetCount[] = [...(facets?.[group] ?? [])];
    if (selected !== undefined && !values.some((v) => v.value === selected)) {
      values.unshift({ value: selected, count: 0 });
    }
    return { group, title, selected, values };
  }).filter((g) => g.values.length > 0);

  return (
    <aside className="facets" data-testid="facets" aria-label="Filters">
      {groups.length === 0 ? <p className="facets-empty">No filters to offer.</p> : null}
      {groups.map(({ group, title, selected, values }) => (
        <div key={group} className="facet-group" role="group" aria-labelledby={`facet-${group}-title`}>
          <h3 className="facet-title" id={`facet-${group}-title`}>
            {title}
          </h3>
          <ul className="facet-values">
            {values.map(({ value, count }) => {
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
        </div>
      ))}
    </aside>
  );
}
