// The window's URLs (the part after `#`, see App.tsx). Features link with these; App.tsx routes them.

export const paths = {
  catalog: '/catalog',
  newProduct: '/products/new',
  /** A published product edited as a new version; build its URL with `editPath`. */
  editProduct: '/products/:productId/edit',
  /** A product's page; build its URL with `productPath`. */
  product: '/products/:productId',
  drafts: '/drafts',
  /** The route of a resumed draft; build its URL with `draftPath`. */
  draft: '/drafts/:draftId',
  quality: '/quality',
  incidents: '/incidents',
  /** An incident's page; build its URL with `incidentPath`. */
  incident: '/incidents/:incidentId',
  jobs: '/jobs',
  access: '/access',
  settings: '/settings',
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

/** The page of the incident `id`. */
export function incidentPath(id: string): string {
  return `/incidents/${encodeURIComponent(id)}`;
}

/** The page of the product `id`. */
export function productPath(id: string): string {
  return `/products/${encodeURIComponent(id)}`;
}

/** The wizard editing the published product `id` as a new version. */
export function editPath(id: string): string {
  return `/products/${encodeURIComponent(id)}/edit`;
}
