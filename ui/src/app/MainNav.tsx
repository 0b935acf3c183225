import { NavLink } from 'react-router';
import { useNotice } from '../components/ui/notice';
import { NAV_ENTRIES } from './navigation';

/** The main navigation: one link per view; the current one has `aria-current="page"`. */
export function MainNav() {
  const { dismiss } = useNotice();
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
          </li>
        ))}
      </ul>
    </nav>
  );
}
