import { paths } from '../lib/paths';

/** An entry of the main navigation: one view, named by its label (the link's accessible name). */
export interface NavEntry {
  to: string;
  label: string;
  testId?: string;
  /** The notice about the last action goes once this view opens (it starts a new action). */
  dismissesNotice?: boolean;
  /** The view whose unseen notices (from the sync) the entry counts in a badge. */
  badge?: 'incidents' | 'access';
}

/**
 * The main navigation, in order. Each view of the window takes one entry, with its route in App.tsx;
 * the labels are contracts (checks outside the repo click them).
 */
export const NAV_ENTRIES: readonly NavEntry[] = [
  { to: paths.catalog, label: 'Catalog', testId: 'nav-catalog' },
  { to: paths.newProduct, label: 'New data product', testId: 'new-product', dismissesNotice: true },
  { to: paths.drafts, label: 'Drafts', testId: 'nav-drafts' },
  { to: paths.jobs, label: 'Jobs', testId: 'nav-jobs' },
  { to: paths.quality, label: 'Quality', testId: 'nav-quality' },
  { to: paths.incidents, label: 'Incidents', testId: 'nav-incidents', badge: 'incidents' },
  { to: paths.access, label: 'Access', testId: 'nav-access', badge: 'access' },
  { to: paths.settings, label: 'Settings', testId: 'nav-settings' },
];
