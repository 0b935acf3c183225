// The only module that talks to the Tauri shell. Tests replace it with vi.mock('…/lib/ipc').
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import type {
  AccessAsked,
  AccessList,
  CheckTrend,
  QualityHome,
  NoticeCounts,
  AccessRequest,
  ActionItem,
  IncidentAction,
  PortRows,
  ProfileList,
  DataContract,
  DataProduct,
  Incident,
  IncidentFilter,
  IncidentList,
  LineageView,
  ProductView,
  Draft,
  Finding,
  ProvisioningJob,
  ProvisioningRequest,
  DraftSummary,
  OutboxItem,
  SearchQuery,
  SearchResult,
  SubmitOutcome,
  SyncStatus,
} from '../../bindings';

/** What a command rejects with for real failures (database, I/O, ...). */
export interface IpcErrorPayload {
  code: string;
  message: string;
}

/** A failed command. Branch on `code` only; `message` is for people. */
export class IpcError extends Error implements IpcErrorPayload {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'IpcError';
    this.code = code;
  }
}

export function isIpcError(value: unknown): value is IpcErrorPayload {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Record<string, unknown>).code === 'string' &&
    typeof (value as Record<string, unknown>).message === 'string'
  );
}

/** Normalizes whatever a rejected invoke produced into an IpcError. */
export function toIpcError(error: unknown): IpcError {
  if (error instanceof IpcError) return error;
  if (isIpcError(error)) return new IpcError(error.code, error.message);
  if (typeof error === 'string') return new IpcError('unknown', error);
  // E.g. outside the desktop shell (plain browser) the Tauri internals are missing.
  if (error instanceof Error) return new IpcError('unknown', error.message);
  return new IpcError('unknown', 'The desktop shell did not answer.');
}

async function call<T>(
  command: string,
  args?: Record<string, unknown> | Uint8Array,
  headers?: Record<string, string>,
): Promise<T> {
  try {
    return await (headers ? invoke<T>(command, args, { headers }) : invoke<T>(command, args));
  } catch (error) {
    throw toIpcError(error);
  }
}

/** `catalog_search`: the FTS query over the active profile's synced cache, with facet counts. Offline too. */
export function searchCatalog(query: SearchQuery): Promise<SearchResult> {
  return call<SearchResult>('catalog_search', { query });
}

/** `sync_status`: where the background sync of the active profile is. */
export function syncStatus(): Promise<SyncStatus> {
  return call<SyncStatus>('sync_status');
}

/** `sync_now`: starts a sync at once (or joins the one under way); answers with the status. */
export function syncNow(): Promise<SyncStatus> {
  return call<SyncStatus>('sync_now');
}

/** The shell emits `sync-status` on every change of the sync's status (each page, success, offline). */
export async function onSyncStatus(handler: (status: SyncStatus) => void): Promise<() => void> {
  return listen<SyncStatus>('sync-status', (event) => handler(event.payload));
}

/**
 * `draft_save`: saves the document as typed so far (any JSON) and the wizard's step the user is on;
 * a null id starts a new draft.
 */
export function saveDraft(id: string | null, document: unknown, step?: string): Promise<DraftSummary> {
  return call<DraftSummary>('draft_save', { id, document, step: step ?? null });
}

/** `drafts_list`: the drafts, most recently saved first. */
export function listDrafts(): Promise<DraftSummary[]> {
  return call<DraftSummary[]>('drafts_list');
}

/** `draft_get`: one draft, with its document. */
export function getDraft(id: string): Promise<Draft> {
  return call<Draft>('draft_get', { id });
}

/** `draft_remove`: deletes a draft. */
export function removeDraft(id: string): Promise<void> {
  return call<void>('draft_remove', { id });
}

/**
 * `product_submit`: validates with the active profile's policies; when no finding is an error, queues
 * the provisioning request in the outbox (its idempotency key fixed now), tries to send it, and
 * removes the draft. Offline, the item stays queued and the shell sends it when the platform is back.
 */
export function submitProduct(
  draftId: string | null,
  document: DataProduct | ProvisioningRequest,
): Promise<SubmitOutcome> {
  return call<SubmitOutcome>('product_submit', { draftId, document });
}

/** `outbox_list`: submissions, newest first, with their delivery and job state. */
export function listOutbox(): Promise<OutboxItem[]> {
  return call<OutboxItem[]>('outbox_list');
}

/**
 * `view_painted`: tells the shell that a view painted its first answer, `tookMs` after the view
 * opened (logged, for the desktop benchmark and for diagnosis), with the page's `stages` on the way
 * (milliseconds since the page began, by name: see `pageStages`). Never fails: outside the shell, or
 * if the shell is busy, it is dropped.
 */
export function reportViewPainted(
  view: string,
  total: number,
  tookMs?: number,
  stages?: Record<string, number>,
): void {
  const sinceLoadMs = performance.now();
  invoke('view_painted', { view, total, sinceLoadMs, tookMs: tookMs ?? null, stages: stages ?? null }).catch(
    () => undefined,
  );
}

/** `request_new`: a new provisioning request (a fresh product id, the platform's standard infrastructure). */
export function newRequest(): Promise<ProvisioningRequest> {
  return call<ProvisioningRequest>('request_new');
}

/**
 * `request_check`: the checks a submit runs (schema, semantic, the synced policy packs), without
 * queueing anything; findings point into the request (`/contracts/0/schema/1/properties/2/name`).
 */
export async function checkRequest(document: ProvisioningRequest): Promise<Finding[]> {
  const { contracts } = document;
  if (!Array.isArray(contracts)) return call<Finding[]>('request_check', jsonBody(document));
  // The shell keeps the contracts last sent: a keystroke elsewhere sends the rest of the request
  // alone (most of a big request's text is its contracts), under the key of the contracts it means.
  let key = contractsKeys.get(contracts);
  if (key === undefined) {
    key = `${PAGE_KEY}-${++contractsSent}`;
    contractsKeys.set(contracts, key);
  }
  const headers = { [CONTRACTS_HEADER]: key };
  if (keptContracts === key) {
    try {
      return await call<Finding[]>('request_check', jsonBody(document, false), headers);
    } catch (error) {
      // The shell keeps others (it started again, or other contracts were checked meanwhile).
      if (toIpcError(error).code !== 'contracts-not-kept') throw error;
    }
  }
  const found = await call<Finding[]>('request_check', jsonBody(document), headers);
  keptContracts = key;
  return found;
}

/** The header naming a request's contracts for `request_check` (the shell's `CONTRACTS_KEY`). */
export const CONTRACTS_HEADER = 'meshport-contracts';
/** This page's part of the contracts' keys: the shell outlives a reload of the page. */
const PAGE_KEY = Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, '0')).join('');
/** The key of each contracts array sent to `request_check` (an array is never changed in place). */
const contractsKeys = new WeakMap<object, string>();
let contractsSent = 0;
/** The key of the contracts the shell kept at the last check that sent them. */
let keptContracts: string | null = null;

/**
 * `document`'s JSON text as a call's raw body, for the calls made as the user types: the shell parses
 * it once, off the window's main thread (a JSON argument is parsed on that thread, then copied).
 * Without its contracts when `withContracts` is false.
 */
export function jsonBody(document: ProvisioningRequest, withContracts = true): Uint8Array {
  const { contracts, ...rest } = document;
  const encoder = new TextEncoder();
  if (!withContracts) return encoder.encode(JSON.stringify(rest));
  if (!Array.isArray(contracts)) return encoder.encode(JSON.stringify(document));
  // The contracts (most of a big request's text) are the same array from keystroke to keystroke
  // in the product's or the infrastructure's fields: written out once.
  let text = contractsText.get(contracts);
  if (text === undefined) {
    text = encoder.encode(JSON.stringify(contracts));
    contractsText.set(contracts, text);
  }
  const head = JSON.stringify(rest);
  const start = encoder.encode(`${head.slice(0, -1)}${head === '{}' ? '' : ','}"contracts":`);
  const body = new Uint8Array(start.length + text.length + 1);
  body.set(start);
  body.set(text, start.length);
  body[body.length - 1] = 0x7d; // }
  return body;
}

/** The JSON text of contracts already sent, by array. */
const contractsText = new WeakMap<object, Uint8Array>();

/** `owned_domains`: the domains the profile's user may create products in (last known, offline). */
export function ownedDomains(): Promise<string[]> {
  return call<string[]>('owned_domains');
}

export type { JobStep, ProvisioningJob } from '../../bindings';

/** `job_get`: a job with its steps, read from the platform. */
export function getJob(id: string): Promise<ProvisioningJob> {
  return call<ProvisioningJob>('job_get', { id });
}

/** `job_cancel`: cancels a job that has not finished. */
export function cancelJob(id: string): Promise<ProvisioningJob> {
  return call<ProvisioningJob>('job_cancel', { id });
}

/** `job_retry`: runs a failed job again. */
export function retryJob(id: string): Promise<ProvisioningJob> {
  return call<ProvisioningJob>('job_retry', { id });
}

/** `documents_import`: ODPS and ODCS files (YAML or JSON) read into one provisioning request. */
export function importDocuments(paths: string[]): Promise<ProvisioningRequest> {
  return call<ProvisioningRequest>('documents_import', { paths });
}

/** `request_export`: writes the product and each contract as YAML files into `dir`; answers their paths. */
export function exportRequest(document: ProvisioningRequest, dir: string): Promise<string[]> {
  return call<string[]>('request_export', { document, dir });
}

/** A request as the YAML files export writes: the product, and each contract. */
export interface RequestYaml {
  product: string;
  contracts: { id: string; yaml: string }[];
}

/** `request_yaml`: the product and each contract of a request as YAML, exactly as `request_export` writes them. */
export function requestYaml(document: ProvisioningRequest): Promise<RequestYaml> {
  return call<RequestYaml>('request_yaml', { document });
}

/** `request_edit`: a published product (from the offline catalog) as a request for its next version. */
export function editProduct(productId: string): Promise<ProvisioningRequest> {
  return call<ProvisioningRequest>('request_edit', { productId });
}

/** A change between the published version and the request (`meshport diff`'s). */
export interface ReviewChange {
  kind: string;
  breaking: boolean;
  /** Where, for people: `port/table.column`. */
  path: string;
  port?: string;
  table?: string;
  column?: string;
  side: 'old' | 'new';
  contractId?: string;
  pointer: string;
  message: string;
}

/** What submitting a request changes against the catalog's version of its product. */
export interface RequestReview {
  verdict: 'compatible' | 'breaking' | 'breaking-major-bumped';
  oldVersion?: string;
  newVersion?: string;
  majorBumped: boolean;
  breaking: number;
  changes: ReviewChange[];
  downstream: {
    productId: string;
    name?: string;
    domain?: string;
    inputPort: string;
    upstreamProductId: string;
    upstreamPort: string;
    contractId: string;
  }[];
  consumers: { consumer: string; productId: string; port: string; requestId: string }[];
  impactComputed: boolean;
  notes: string[];
  /** The verdict in a sentence, with the version a breaking change requires. */
  summary: string;
}

/** `request_review`: the review of a request against the published version; null for a new product. */
export function reviewRequest(document: ProvisioningRequest): Promise<RequestReview | null> {
  return call<RequestReview | null>('request_review', jsonBody(document));
}

/** `product_view`: what a product's page shows, from the offline cache; null when not cached. */
export function productView(id: string): Promise<ProductView | null> {
  return call<ProductView | null>('product_view', { id });
}

/** A published product's documents as YAML (`request_yaml` over the product and `contracts`). */
export function publishedYaml(product: DataProduct, contracts: DataContract[]): Promise<RequestYaml> {
  return call<RequestYaml>('request_yaml', { document: { kind: 'ProvisioningRequest', product, contracts } });
}

/** `product_lineage`: the products up to `depth` steps each way of a product (at most `limit`). */
export function productLineage(id: string, depth: number, limit: number): Promise<LineageView | null> {
  return call<LineageView | null>('product_lineage', { id, depth, limit });
}

/** `cache_size`: the offline cache's size on disk, in bytes. */
export function cacheSize(): Promise<number> {
  return call<number>('cache_size');
}

/** `incidents_list`: the cached incidents `filter` keeps, with the values the filters offer. */
export function listIncidents(filter: IncidentFilter): Promise<IncidentList> {
  return call<IncidentList>('incidents_list', { filter });
}

/** `incident_get`: a cached incident with its timeline; null when not cached. */
export function getIncident(id: string): Promise<Incident | null> {
  return call<Incident | null>('incident_get', { id });
}

/** `catalog_product`: a product of the offline catalog (its ODPS document); null when not cached. */
export function catalogProduct(id: string): Promise<DataProduct | null> {
  return call<DataProduct | null>('catalog_product', { id });
}

/**
 * `product_unprovision`: starts destroying a product's ports and removing it from the catalog; the
 * job. The same key sent again starts nothing new.
 */
export function unprovisionProduct(productId: string, idempotencyKey: string): Promise<ProvisioningJob> {
  return call<ProvisioningJob>('product_unprovision', { productId, idempotencyKey });
}

/**
 * `incident_act`: queues an action on an incident in the outbox, with its own idempotency key; the
 * background sync delivers it (at once when the platform answers). Rejects with `invalid` naming the
 * empty field.
 */
export function actOnIncident(id: string, action: IncidentAction): Promise<ActionItem> {
  return call<ActionItem>('incident_act', { id, action });
}

/** `incident_actions`: the actions taken on the incident `id` (all with null), oldest first. */
export function incidentActions(id: string | null): Promise<ActionItem[]> {
  return call<ActionItem[]>('incident_actions', { id });
}

/** `action_dismiss`: forgets an answered action (a conflict or a refusal the user has read). */
export function dismissAction(id: string): Promise<void> {
  return call<void>('action_dismiss', { id });
}

/** `access_list`: the cached access requests the platform showed the user, with who they are. */
export function listAccess(): Promise<AccessList> {
  return call<AccessList>('access_list');
}

/**
 * `access_request`: asks for access to an output port: sent at once when the platform answers, else
 * queued in the outbox and sent by the sync.
 */
export function requestAccess(
  productId: string,
  outputPort: string,
  purpose: string,
  until: string | null,
): Promise<AccessAsked> {
  return call<AccessAsked>('access_request', { productId, outputPort, purpose, until });
}

/** `access_ask_dismiss`: forgets a refused access request the user has read. */
export function dismissAccessAsk(id: string): Promise<void> {
  return call<void>('access_ask_dismiss', { id });
}

export type Verdict = 'approve' | 'reject' | 'revoke';

/** `access_decide`: approves, rejects or revokes a request (owners of its domain). */
export function decideAccess(id: string, verdict: Verdict, reason: string | null): Promise<AccessRequest> {
  return call<AccessRequest>('access_decide', { id, verdict, reason });
}

/** `port_rows`: the first 100 rows of a SQLite port's table, those whose columns equal `filters`. */
export function portRows(
  productId: string,
  port: string,
  table: string | null,
  filters: [string, string][],
): Promise<PortRows> {
  return call<PortRows>('port_rows', { productId, port, table, filters });
}

/** `profiles_list`: the profiles (never a token), the one in use, and the demo users. */
export function listProfiles(): Promise<ProfileList> {
  return call<ProfileList>('profiles_list');
}

/**
 * `profile_sign_in`: adds a profile (or signs it in again); the token is checked with the platform
 * and kept in the OS keyring only. The window then works with it.
 */
export function signIn(name: string, url: string, user: string, token: string): Promise<ProfileList> {
  return call<ProfileList>('profile_sign_in', { name, url, user, token });
}

/** `profile_use`: works with the profile `name`, or with the demo platform as `demoUser`. */
export function switchProfile(name: string | null, demoUser: string | null = null): Promise<ProfileList> {
  return call<ProfileList>('profile_use', { name, demoUser });
}

/** `profile_remove`: removes a profile and its token. */
export function removeProfile(name: string): Promise<ProfileList> {
  return call<ProfileList>('profile_remove', { name });
}

/** `quality_history`: each check's values over the last `days` days from the offline cache (`check`: one). */
export function qualityHistory(productId: string, days: number, check: string | null): Promise<CheckTrend[]> {
  return call<CheckTrend[]>('quality_history', { productId, days, check });
}

/** `quality_home`: the stewards' home from the offline cache, across the domains the user stewards. */
export function qualityHome(): Promise<QualityHome> {
  return call<QualityHome>('quality_home');
}

/** `notice_counts`: the notices of each view the user has not seen (the navigation's badges). */
export function noticeCounts(): Promise<NoticeCounts> {
  return call<NoticeCounts>('notice_counts');
}

/** `notices_seen`: the user opened `view`; its notices are seen. */
export function noticesSeen(view: 'incidents' | 'access'): Promise<void> {
  return call<void>('notices_seen', { view });
}

/** The shell emits `notices` when a sync brought news (it told of each by a desktop notification). */
export async function onNotices(handler: () => void): Promise<() => void> {
  return listen('notices', () => handler());
}
