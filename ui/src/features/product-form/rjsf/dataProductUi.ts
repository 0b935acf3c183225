import type { RJSFSchema, UiSchema } from '@rjsf/utils';
import type { DataProduct } from '../../../bindings';
import { dataProductSchema } from './schema';

type UiNode = Record<string, unknown>;

/** `outputPorts` -> `Output ports`, `contractId` -> `Contract id`, `sbom` -> `SBOM`. */
export function humanize(key: string): string {
  if (key === 'sbom') return 'SBOM';
  if (key === 'url') return 'URL';
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/Url\b/g, 'URL')
    .toLowerCase()
    .replace(/\burl\b/g, 'URL');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function resolve(schema: RJSFSchema, root: RJSFSchema): RJSFSchema {
  let current = schema;
  for (let i = 0; i < 8; i++) {
    if (current.$ref?.startsWith('#/definitions/')) {
      const target = root.definitions?.[current.$ref.slice('#/definitions/'.length)];
      if (typeof target !== 'object') break;
      current = target;
    } else if (current.allOf?.length === 1 && typeof current.allOf[0] === 'object') {
      current = current.allOf[0];
    } else {
      break;
    }
  }
  return current;
}

/** Readable titles for every property the schema leaves untitled (rjsf shows the raw key). */
export function titlesFor(schema: RJSFSchema, root: RJSFSchema, depth = 0): UiNode {
  const node: UiNode = {};
  if (depth > 6) return node;
  const resolved = resolve(schema, root);
  for (const [key, child] of Object.entries(resolved.properties ?? {})) {
    if (typeof child !== 'object') continue;
    const childUi = titlesFor(child, root, depth + 1);
    if (!resolve(child, root).title) childUi['ui:title'] = humanize(key);
    node[key] = childUi;
  }
  if (typeof resolved.items === 'object' && !Array.isArray(resolved.items)) {
    const itemsUi = titlesFor(resolved.items, root, depth + 1);
    if (Object.keys(itemsUi).length > 0) node.items = itemsUi;
  }
  return node;
}

function isNode(value: unknown): value is UiNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep merge where `override` wins. */
function merge(base: UiNode, override: UiNode): UiNode {
  const out: UiNode = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = out[key];
    out[key] = isNode(current) && isNode(value) ? merge(current, value) : value;
  }
  return out;
}

/** Hand-written hints; merged over the generated titles below. */
const hints: UiSchema<DataProduct, RJSFSchema> = {
  'ui:order': ['name', 'id', 'version', 'status', 'domain', 'tenant', 'description', 'tags', '*'],
  'ui:title': 'Data product',
  'ui:description': 'Describe the product as the Open Data Product Standard (ODPS v1.0) expects it.',
  'ui:submitButtonOptions': { norender: true },
  apiVersion: { 'ui:widget': 'hidden' },
  kind: { 'ui:widget': 'hidden' },
  name: {
    'ui:title': 'Name',
    'ui:placeholder': 'e.g. Customer 360',
    'ui:help': 'The name people search for in the catalog.',
    'ui:emptyValue': '',
    'ui:autofocus': true,
  },
  id: {
    'ui:title': 'Id',
    'ui:help': 'A UUID, generated for you. Keep it unless you are registering an existing product.',
    'ui:emptyValue': '',
    'ui:classNames': 'field-mono',
  },
  version: {
    'ui:title': 'Version',
    'ui:placeholder': '1.0.0',
  },
  status: {
    'ui:title': 'Status',
    'ui:help': 'New products usually start as a draft.',
    // Render <option value="draft"> rather than rjsf's index-based option values.
    'ui:options': { optionValueFormat: 'realValue' },
  },
  domain: {
    'ui:title': 'Domain',
    'ui:placeholder': 'e.g. orders',
  },
  tenant: {
    'ui:title': 'Tenant',
    'ui:help': 'Only needed when the mesh serves several organizations.',
  },
  description: {
    'ui:title': 'Description',
    purpose: {
      'ui:title': 'Purpose',
      'ui:widget': 'textarea',
      'ui:options': { rows: 3 },
      'ui:help': 'Shown in the catalog list.',
    },
    limitations: {
      'ui:title': 'Limitations',
      'ui:widget': 'textarea',
      'ui:options': { rows: 2 },
    },
    usage: {
      'ui:title': 'Usage',
      'ui:widget': 'textarea',
      'ui:options': { rows: 2 },
    },
  },
  tags: {
    'ui:title': 'Tags',
    items: { 'ui:placeholder': 'e.g. finance' },
  },
  productCreatedTs: { 'ui:title': 'Created at' },
  support: { 'ui:title': 'Support channels' },
};

/** Presentation hints for the data product form (the schema itself stays untouched). */
export const dataProductUi = merge(
  titlesFor(dataProductSchema, dataProductSchema),
  hints as UiNode,
) as UiSchema<DataProduct, RJSFSchema>;

/** A UUID v4; falls back to getRandomValues where randomUUID is unavailable (non-secure context). */
export function newUuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The form data a new product starts from. */
export function newDataProductDefaults(): DataProduct {
  return {
    apiVersion: 'v1.0.0',
    kind: 'DataProduct',
    id: newUuid(),
    name: '',
    status: 'draft',
  };
}
