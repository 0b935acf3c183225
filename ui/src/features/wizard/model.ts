import type {
  DataContract,
  DataProduct,
  Finding,
  OutputPort,
  ProvisioningRequest,
  QualityRule,
  SchemaObject,
  SchemaProperty,
} from '../../bindings';
import { parsePointer } from '../product-form/rjsf/pointer';
import { newUuid } from '../product-form/rjsf/dataProductUi';

/** The wizard's steps, in order; each `label` is the step's accessible name (a contract). */
export const STEPS = [
  { id: 'product', label: 'Product' },
  { id: 'ports', label: 'Output ports' },
  { id: 'contract', label: 'Contract' },
  { id: 'quality', label: 'Quality' },
  { id: 'sla', label: 'SLA' },
  { id: 'infrastructure', label: 'Infrastructure' },
  { id: 'review', label: 'Review' },
] as const;

export type StepId = (typeof STEPS)[number]['id'];

/** A change of the request: the new request, or how to make it from the latest one. */
export type RequestUpdate = ProvisioningRequest | ((latest: ProvisioningRequest) => ProvisioningRequest);

export function isStepId(value: unknown): value is StepId {
  return typeof value === 'string' && STEPS.some((s) => s.id === value);
}

/** The step holding the field a finding's pointer (into the request) designates. */
export function stepOf(path: string): StepId {
  const t = parsePointer(path);
  if (t[0] === 'product') return t[1] === 'outputPorts' ? 'ports' : 'product';
  if (t[0] === 'infrastructure') return 'infrastructure';
  if (t[0] === 'contracts') {
    if (t[2] === 'slaProperties' || t[2] === 'slaDefaultElement') return 'sla';
    if (t[2] === 'schema' && (t[4] === 'quality' || (t[4] === 'properties' && t[6] === 'quality'))) {
      return 'quality';
    }
    return 'contract';
  }
  return 'review';
}

/**
 * The DOM id of the field a pointer into the request designates. The product's fields keep rjsf's
 * ids (`/product/name` is `root_name`); everything else is `root_` and the pointer's tokens
 * (`/contracts/0/schema/1/properties/2/name` is `root_contracts_0_schema_1_properties_2_name`).
 */
export function fieldId(path: string): string {
  const t = parsePointer(path);
  const tokens = t[0] === 'product' ? t.slice(1) : t;
  return ['root', ...tokens].join('_');
}

/** Focuses the field of `path`, or failing that its nearest enclosing field that is on screen. */
export function focusPath(path: string): boolean {
  const t = parsePointer(path);
  for (let n = t.length; n >= 1; n--) {
    const id = fieldId('/' + t.slice(0, n).join('/'));
    const el = document.getElementById(id);
    if (el) {
      el.scrollIntoView?.({ block: 'center' });
      el.focus();
      return true;
    }
  }
  return false;
}

/** Findings indexed by their normalized pointer. */
export class FindingIndex {
  private readonly byPath = new Map<string, Finding[]>();
  readonly all: readonly Finding[];

  constructor(findings: readonly Finding[]) {
    this.all = findings;
    for (const f of findings) {
      const key = '/' + parsePointer(f.path).join('/');
      const list = this.byPath.get(key) ?? [];
      list.push(f);
      this.byPath.set(key, list);
    }
  }

  at(path: string): readonly Finding[] {
    return this.byPath.get(path) ?? [];
  }

  /** Findings at `path` or below it. */
  under(path: string): Finding[] {
    const out: Finding[] = [];
    for (const [key, list] of this.byPath) {
      if (key === path || key.startsWith(path + '/')) out.push(...list);
    }
    return out;
  }

  errorsIn(step: StepId): number {
    return this.all.filter((f) => f.severity === 'error' && stepOf(f.path) === step).length;
  }

  get hasErrors(): boolean {
    return this.all.some((f) => f.severity === 'error');
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a draft's document is a whole request (a bare product is an older draft). */
export function isRequest(value: unknown): value is ProvisioningRequest {
  return isPlainObject(value) && value.kind === 'ProvisioningRequest' && isPlainObject(value.product);
}

/** A draft's document as a request: a bare product (older drafts) goes into `template`. */
export function asRequest(document: unknown, template: ProvisioningRequest): ProvisioningRequest {
  if (isRequest(document)) {
    return {
      ...template,
      ...document,
      contracts: Array.isArray(document.contracts) ? document.contracts : [],
    };
  }
  if (isPlainObject(document)) return { ...template, product: document as unknown as DataProduct };
  return template;
}

/** The contract an output port refers to, with its index in the request. */
export function contractOf(
  request: ProvisioningRequest,
  port: OutputPort,
): { contract: DataContract; index: number } | null {
  if (!port.contractId) return null;
  const index = request.contracts.findIndex((c) => c.id === port.contractId);
  const contract = request.contracts[index];
  return contract ? { contract, index } : null;
}

/** A new contract for `port` of `product`, as the platform expects one (ODCS v3.1). */
export function newContract(product: DataProduct, port: OutputPort): DataContract {
  return {
    apiVersion: 'v3.1.0',
    kind: 'DataContract',
    id: newUuid(),
    name: port.name || undefined,
    version: port.version || '1.0.0',
    status: 'draft',
    domain: product.domain || undefined,
    dataProduct: product.name || undefined,
    schema: [],
  };
}

/** Adds an output port with its own contract. */
export function addPort(request: ProvisioningRequest): ProvisioningRequest {
  const ports = request.product.outputPorts ?? [];
  const port: OutputPort = { name: '', version: '1.0.0', type: 'tables' };
  const contract = newContract(request.product, port);
  port.contractId = contract.id;
  return {
    ...request,
    product: { ...request.product, outputPorts: [...ports, port] },
    contracts: [...request.contracts, contract],
  };
}

/** Removes the output port `index` and the contract only it refers to. */
export function removePort(request: ProvisioningRequest, index: number): ProvisioningRequest {
  const ports = request.product.outputPorts ?? [];
  const port = ports[index];
  if (!port) return request;
  const rest = ports.filter((_, i) => i !== index);
  const shared = rest.some((p) => p.contractId === port.contractId);
  return {
    ...request,
    product: { ...request.product, outputPorts: rest },
    contracts: shared ? request.contracts : request.contracts.filter((c) => c.id !== port.contractId),
  };
}

/** Changes output port `index` with `update`; its contract's name and version follow it. */
export function updatePort(
  request: ProvisioningRequest,
  index: number,
  update: (port: OutputPort) => OutputPort,
): ProvisioningRequest {
  const ports = [...(request.product.outputPorts ?? [])];
  const current = ports[index];
  if (!current) return request;
  const port = update(current);
  ports[index] = port;
  const contracts = request.contracts.map((c) =>
    c.id === port.contractId ? { ...c, name: port.name || undefined, version: port.version || c.version } : c,
  );
  return { ...request, product: { ...request.product, outputPorts: ports }, contracts };
}

/** Replaces contract `index`. */
export function updateContract(
  request: ProvisioningRequest,
  index: number,
  update: (contract: DataContract) => DataContract,
): ProvisioningRequest {
  const contract = request.contracts[index];
  if (!contract) return request;
  const contracts = [...request.contracts];
  contracts[index] = update(contract);
  return { ...request, contracts };
}

/** Replaces table `table` of a contract. */
export function updateTable(
  contract: DataContract,
  table: number,
  update: (object: SchemaObject) => SchemaObject,
): DataContract {
  const schema = [...(contract.schema ?? [])];
  const object = schema[table];
  if (!object) return contract;
  schema[table] = update(object);
  return { ...contract, schema };
}

export function newTable(existing: readonly SchemaObject[]): SchemaObject {
  let n = existing.length + 1;
  const names = new Set(existing.map((t) => t.name));
  while (names.has(`table_${n}`)) n++;
  return {
    name: `table_${n}`,
    physicalName: `table_${n}`,
    logicalType: 'object',
    physicalType: 'table',
    properties: [],
  };
}

export function newColumn(name = ''): SchemaProperty {
  return { name, logicalType: 'string', physicalType: 'TEXT' };
}

/** Column names from pasted text: one per line, or separated by commas, tabs or semicolons. */
export function columnNamesFrom(text: string): string[] {
  return text
    .split(/[\n\r,;\t]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Moves item `from` to `to` in a copy of `items`. */
export function move<T>(items: readonly T[], from: number, to: number): T[] {
  const out = [...items];
  if (from < 0 || from >= out.length || to < 0 || to >= out.length) return out;
  const [item] = out.splice(from, 1);
  out.splice(to, 0, item as T);
  return out;
}

/** The ODCS library metrics the quality picker offers, with what each counts. */
export const QUALITY_METRICS = [
  { metric: 'nullValues', label: 'Null values', level: 'column' },
  { metric: 'missingValues', label: 'Missing values', level: 'column' },
  { metric: 'invalidValues', label: 'Invalid values', level: 'column' },
  { metric: 'duplicateValues', label: 'Duplicate values', level: 'both' },
  { metric: 'rowCount', label: 'Row count', level: 'table' },
] as const;

/** ODCS comparison operators of a quality rule. */
export const OPERATORS = [
  { key: 'mustBe', label: 'must be' },
  { key: 'mustNotBe', label: 'must not be' },
  { key: 'mustBeGreaterThan', label: 'must be greater than' },
  { key: 'mustBeGreaterOrEqualTo', label: 'must be at least' },
  { key: 'mustBeLessThan', label: 'must be less than' },
  { key: 'mustBeLessOrEqualTo', label: 'must be at most' },
  { key: 'mustBeBetween', label: 'must be between' },
  { key: 'mustNotBeBetween', label: 'must not be between' },
] as const;

export type OperatorKey = (typeof OPERATORS)[number]['key'];

/** The operator a rule uses and its value (a number, or a pair for the between operators). */
export function operatorOf(rule: QualityRule): { key: OperatorKey; value: unknown } | null {
  for (const { key } of OPERATORS) {
    const value = (rule as Record<string, unknown>)[key];
    if (value !== undefined) return { key, value };
  }
  return null;
}

/** `rule` with its operator set to `key` and `value` (any other operator removed). */
export function withOperator(rule: QualityRule, key: OperatorKey, value: unknown): QualityRule {
  const out: Record<string, unknown> = { ...rule };
  for (const op of OPERATORS) delete out[op.key];
  out[key] = value;
  return out;
}

/** A new rule: a library metric, or SQL with the `${table}`/`${column}` placeholders. */
export function newRule(kind: 'library' | 'sql', level: 'table' | 'column'): QualityRule {
  if (kind === 'sql') {
    return {
      type: 'sql',
      query:
        level === 'column' ? 'SELECT COUNT(*) FROM ${table} WHERE ${column} IS NULL' : 'SELECT COUNT(*) FROM ${table}',
      mustBe: 0,
    } as unknown as QualityRule;
  }
  return level === 'column'
    ? ({
        type: 'library',
        metric: 'nullValues',
        mustBe: 0,
        unit: 'rows',
        dimension: 'completeness',
      } as unknown as QualityRule)
    : { type: 'library', metric: 'rowCount', mustBeGreaterThan: 0, dimension: 'completeness' };
}

/** A custom property's value by name (`dataSensitivity`, `maskingRule`), and where it is. */
export function customProperty(
  holder: { customProperties?: { property: string; value?: unknown }[] },
  name: string,
): { index: number; value: unknown } | null {
  const list = holder.customProperties ?? [];
  const index = list.findIndex((p) => p.property === name);
  return index >= 0 ? { index, value: list[index]?.value } : null;
}

/** `holder` with the custom property `name` set to `value`, or removed when `value` is empty. */
export function withCustomProperty<T extends { customProperties?: { property: string; value?: unknown }[] }>(
  holder: T,
  name: string,
  value: string | undefined,
): T {
  const list = [...(holder.customProperties ?? [])];
  const index = list.findIndex((p) => p.property === name);
  if (value === undefined || value === '') {
    if (index >= 0) list.splice(index, 1);
  } else if (index >= 0) {
    list[index] = { ...list[index], property: name, value };
  } else {
    list.push({ property: name, value });
  }
  const out: Record<string, unknown> = { ...holder, customProperties: list };
  if (list.length === 0) delete out.customProperties;
  return out as T;
}

/** The sensitivity levels the platform's global pack knows. */
export const SENSITIVITY_LEVELS = ['public', 'internal', 'confidential', 'restricted'] as const;
/** The masking rules the platform's global pack knows, for PII columns. */
export const MASKING_RULES = ['hash', 'tokenize', 'redact', 'nullify', 'truncate', 'generalize'] as const;

/** The input types whose value rjsf's text widget reports as typed: a string, `''` as no value. */
const TEXT_INPUTS = new Set(['text', 'search', 'url', 'email', 'tel']);

/**
 * The product as an edit in one of its form's text fields leaves it, told from the field's `input`
 * event, before the form library renders the keystroke and reports the change (rjsf reports it
 * after its render, 7–8 ms later for a big product): the wizard asks for its check meanwhile.
 * `null` when it cannot be told: not a text field of the product's form, or an id (rjsf's,
 * `root_description_purpose`) that does not lead to a string of `product`. A guess: what the form
 * reports is compared with it before its check's findings are taken for the form's.
 */
export function predictProductEdit(product: DataProduct, target: EventTarget | null): DataProduct | null {
  const field =
    target instanceof HTMLTextAreaElement || (target instanceof HTMLInputElement && TEXT_INPUTS.has(target.type))
      ? target
      : null;
  if (!field?.closest('.product-form') || !field.id.startsWith('root_')) return null;
  const tokens = field.id.slice('root_'.length).split('_');
  const value = field.value === '' ? undefined : field.value;
  const set = (container: unknown, at: number): unknown => {
    const token = tokens[at];
    if (token === undefined || typeof container !== 'object' || container === null) return null;
    if (Array.isArray(container) && !/^\d+$/.test(token)) return null;
    let current = (container as Record<string, unknown>)[token];
    // An object the product does not hold yet (its first field typed), never an array's item.
    if (current === undefined && at < tokens.length - 1 && !Array.isArray(container)) current = {};
    let next: unknown;
    if (at === tokens.length - 1) {
      if (current !== undefined && typeof current !== 'string') return null;
      next = value;
    } else {
      next = set(current, at + 1);
      if (next === null) return null;
    }
    if (Array.isArray(container)) {
      const index = Number(token);
      if (index >= container.length) return null;
      const copy: unknown[] = [...(container as unknown[])];
      copy[index] = next;
      return copy;
    }
    return { ...container, [token]: next };
  };
  return set(product, 0) as DataProduct | null;
}
