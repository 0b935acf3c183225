import { paths } from '../lib/paths';

/** An entry of the main navigation: one view, named by its label (the link's accessible name). */
export interface NavEntry {
  to: string;
  label: string;
  testId?: string;
  /** The notice about the last action goes once this view opens (it starts a new action). */
  dismissesNotice?: boolean;
}

/**
 * The main navigation, in order. Each view of the window takes one entry: Quality and Access come
 * here when they exist (`{ to: '/quality', label: 'Quality' }`, …), with their routes in App.tsx.
 */
export const NAV_ENTRIES: readonly NavEntry[] = [
  { to: paths.catalog, label: 'Catalog', testId: 'nav-catalog' },
  { to: paths.newProduct, label: 'New data product', testId: 'new-product', dismissesNotice: true },
  { to: paths.drafts, label: 'Drafts', testId: 'nav-drafts' },
  { to: paths.jobs, label: 'Jobs', testId: 'nav-jobs' },
  { to: paths.incidents, label: 'Incidents', testId: 'nav-incidents' },
  { to: paths.settings, label: 'Settings', testId: 'nav-settings' },
];
