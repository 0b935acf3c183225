/* eslint-disable */
/**
 * Generated, do not edit; run `npm --prefix ui run gen:types`.
 * Source: schemas/data-product.schema.json
 */

/**
 * The ODPS version a document is written against.
 *
 * This interface was referenced by `DataProduct`'s JSON-Schema
 * via the `definition` "OdpsApiVersion".
 */
export type OdpsApiVersion = 'v0.9.0' | 'v1.0.0';
/**
 * The only kind an ODPS document has.
 *
 * This interface was referenced by `DataProduct`'s JSON-Schema
 * via the `definition` "DataProductKind".
 */
export type DataProductKind = 'DataProduct';
/**
 * Where a data product is in its life.
 *
 * This interface was referenced by `DataProduct`'s JSON-Schema
 * via the `definition` "ProductStatus".
 */
export type ProductStatus = 'proposed' | 'draft' | 'active' | 'deprecated' | 'retired';

/**
 * Data product (ODPS v1.0). Open Data Product Standard (ODPS) v1.0: a data product descriptor.
 */
export interface DataProduct {
  /**
   * Version of the standard used to build the data product.
   */
  apiVersion: OdpsApiVersion;
  /**
   * The kind of document: always `DataProduct`.
   */
  kind: DataProductKind;
  /**
   * A unique identifier: a UUID.
   */
  id: string;
  /**
   * Name of the data product.
   */
  name?: string;
  /**
   * Current version of the data product, in semantic versioning.
   */
  version?: string;
  /**
   * Current status of the data product.
   */
  status: ProductStatus;
  /**
   * Business domain that owns the product.
   */
  domain?: string;
  /**
   * Organization identifier.
   */
  tenant?: string;
  /**
   * Links to sources that provide more details on the data product.
   */
  authoritativeDefinitions?: AuthoritativeDefinition[];
  description?: Description;
  /**
   * Key/value pairs for custom properties.
   */
  customProperties?: CustomProperty[];
  /**
   * Tags to categorize the product, such as `finance` or `sensitive`.
   */
  tags?: string[];
  /**
   * Where the product gets its data: one port per upstream contract and version.
   */
  inputPorts?: InputPort[];
  /**
   * What the product promises: one port per name and version, each with its data contract.
   */
  outputPorts?: OutputPort[];
  /**
   * Access points for managing the data product.
   */
  managementPorts?: ManagementPort[];
  /**
   * Support and communication channels.
   */
  support?: Support[];
  team?: Team;
  /**
   * When the product was created, ISO 8601 in UTC.
   */
  productCreatedTs?: string;
}
/**
 * A type/link pair pointing at an authority, such as a business definition.
 *
 * This interface was referenced by `DataProduct`'s JSON-Schema
 * via the `definition` "AuthoritativeDefinition".
 */
export interface AuthoritativeDefinition {
  /**
   * Type of definition, e.g. `businessDefinition`, `tutorial`, `implementation`.
   */
  type: string;
  url: string;
  description?: string;
}
/**
 * What the product is for, what it must not be used for, and how to use it.
 *
 * This interface was referenced by `DataProduct`'s JSON-Schema
 * via the `definition` "Description".
 */
export interface Description {
  /**
   * Intended purpose for the provided data.
   */
  purpose?: string;
  /**
   * Technical, compliance, and legal limitations for data use.
   */
  limitations?: string;
  /**
   * Recommended usage of the data.
   */
  usage?: string;
  authoritativeDefinitions?: AuthoritativeDefinition[];
  customProperties?: CustomProperty[];
}
/**
 * A key/value pair for custom properties.
 *
 * This interface was referenced by `DataProduct`'s JSON-Schema
 * via the `definition` "CustomProperty".
 */
export interface CustomProperty {
  /**
   * The name of the key, in camel case.
   */
  property: string;
  /**
   * The value of the key: any JSON value.
   */
  value: {
    [k: string]: unknown | undefined;
  };
  description?: string;
}
/**
 * An input port: the expectation on one upstream contract version.
 *
 * This interface was referenced by `DataProduct`'s JSON-Schema
 * via the `definition` "InputPort".
 */
export interface InputPort {
  name: string;
  version: string;
  contractId: string;
  tags?: string[];
  customProperties?: CustomProperty[];
  authoritativeDefinitions?: AuthoritativeDefinition[];
}
/**
 * An output port: a promise, keyed by name and version, usually backed by a data contract.
 *
 * This interface was referenced by `DataProduct`'s JSON-Schema
 * via the `definition` "OutputPort".
 */
export interface OutputPort {
  name: string;
  description?: string;
  /**
   * The kind of port, e.g. `tables`, `topic`, `api`.
   */
  type?: string;
  version: string;
  /**
   * Id of the ODCS data contract this port serves.
   */
  contractId?: string;
  sbom?: Sbom[];
  /**
   * Contracts this port depends on.
   */
  inputContracts?: InputContract[];
  tags?: string[];
  customProperties?: CustomProperty[];
  authoritativeDefinitions?: AuthoritativeDefinition[];
}
/**
 * A software bill of materials for an output port version.
 *
 * This interface was referenced by `DataProduct`'s JSON-Schema
 * via the `definition` "Sbom".
 */
export interface Sbom {
  /**
   * Type of SBOM; `external` when absent.
   */
  type?: string;
  url: string;
}
/**
 * A contract an output port depends on.
 *
 * This interface was referenced by `DataProduct`'s JSON-Schema
 * via the `definition` "InputContract".
 */
export interface InputContract {
  id: string;
  version: string;
}
/**
 * An access point for managing the product: discoverability, observability, control, dictionary.
 *
 * This interface was referenced by `DataProduct`'s JSON-Schema
 * via the `definition` "ManagementPort".
 */
export interface ManagementPort {
  name: string;
  /**
   * Content type, e.g. `discoverability`, `observability`, `control`, `dictionary`.
   */
  content: string;
  /**
   * `rest` (the default) or `topic`.
   */
  type?: string;
  url?: string;
  channel?: string;
  description?: string;
  tags?: string[];
  customProperties?: CustomProperty[];
  authoritativeDefinitions?: AuthoritativeDefinition[];
}
/**
 * A support or communication channel.
 *
 * This interface was referenced by `DataProduct`'s JSON-Schema
 * via the `definition` "Support".
 */
export interface Support {
  channel: string;
  url: string;
  description?: string;
  /**
   * e.g. `email`, `slack`, `teams`, `discord`, `ticket`, `other`.
   */
  tool?: string;
  /**
   * `interactive`, `announcements` or `issues`.
   */
  scope?: string;
  invitationUrl?: string;
  tags?: string[];
  customProperties?: CustomProperty[];
  authoritativeDefinitions?: AuthoritativeDefinition[];
}
/**
 * The team that owns the product.
 *
 * This interface was referenced by `DataProduct`'s JSON-Schema
 * via the `definition` "Team".
 */
export interface Team {
  name?: string;
  description?: string;
  members?: TeamMember[];
  tags?: string[];
  customProperties?: CustomProperty[];
  authoritativeDefinitions?: AuthoritativeDefinition[];
}
/**
 * A member of the owning team, with their role (`owner`, `data steward`, ...).
 *
 * This interface was referenced by `DataProduct`'s JSON-Schema
 * via the `definition` "TeamMember".
 */
export interface TeamMember {
  /**
   * The user's username or email.
   */
  username: string;
  name?: string;
  description?: string;
  /**
   * The user's role, e.g. `owner` or `data steward`; there is no fixed list.
   */
  role?: string;
  dateIn?: string;
  dateOut?: string;
  replacedByUsername?: string;
  tags?: string[];
  customProperties?: CustomProperty[];
  authoritativeDefinitions?: AuthoritativeDefinition[];
}
