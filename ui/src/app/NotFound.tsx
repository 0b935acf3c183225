import { Link, useLocation } from 'react-router';
import { paths } from '../lib/paths';

/** A URL the window has no view for (an old link, a typo in a deep link). */
export function NotFound() {
  const { pathname } = useLocation();
  return (
    <div className="page">
      <section className="side-section" aria-labelledby="not-found-heading" data-testid="not-found">
        <h2 id="not-found-heading" className="side-heading">
          Nothing here
        </h2>
        <div className="empty">
          <p>
            The window has no view at <code>{pathname}</code>.
          </p>
          <Link to={paths.catalog} className="btn btn-small">
            Go to the catalog
          </Link>
        </div>
      </section>
    </div>
  );
}
