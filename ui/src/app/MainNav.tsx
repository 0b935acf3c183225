import { NavLink } from 'react-router';
import { useNotice } from '../components/ui/notice';
import { useNoticeCounts } from '../features/notices/notices';
import { NAV_ENTRIES } from './navigation';

/**
 * The main navigation: one link per view; the current one has `aria-current="page"`. A badge beside
 * a link counts what the sync brought for that view and the user has not seen (outside the link, so
 * that its name stays the view's).
 */
export function MainNav() {
  const { dismiss } = useNotice();
  const counts = useNoticeCounts();
  return (
    <nav className="app-nav" aria-label="Main">
      <ul className="app-nav-list">
        {NAV_ENTRIES.map((entry) => (
          <li key={entry.to}>
            <NavLink
              to={entry.to}
              className="app-nav-link"
              data-testid={entry.testId}
              onClick={entry.dismissesNotice ? dismiss : undefined}
            >
              {entry.label}
            </NavLink>
            {entry.badge && counts && counts[entry.badge] > 0 ? (
              <span className="nav-badge" data-testid={`badge-${entry.badge}`}>
                {counts[entry.badge]}
                <span className="visually-hidden"> new in {entry.label}</span>
              </span>
            ) : null}
          </li>
        ))}
      </ul>
    </nav>
  );
}
