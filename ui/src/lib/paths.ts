// The window's URLs (the part after `#`, see App.tsx). Features link with these; App.tsx routes them.

export const paths = {
  catalog: '/catalog',
  newProduct: '/products/new',
  drafts: '/drafts',
  /** The route of a resumed draft; build its URL with `draftPath`. */
  draft: '/drafts/:draftId',
  jobs: '/jobs',
  /** A provisioning job's page; build its URL with `jobPath`. */
  job: '/jobs/:jobId',
} as const;

/** The page of the platform's job `id`. */
export function jobPath(id: string): string {
  return `${paths.jobs}/${encodeURIComponent(id)}`;
}

/** The URL of the form editing the draft `id`. */
export function draftPath(id: string): string {
  return `${paths.drafts}/${encodeURIComponent(id)}`;
}
