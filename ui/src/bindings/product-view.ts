/* eslint-disable */
/**
 * Generated, do not edit; run `npm --prefix ui run gen:types`.
 * Source: schemas/product-view.schema.json
 */

/**
 * The ODPS version a document is written against.
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "OdpsApiVersion".
 */
export type OdpsApiVersion = 'v0.9.0' | 'v1.0.0';
/**
 * The only kind an ODPS document has.
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "DataProductKind".
 */
export type DataProductKind = 'DataProduct';
/**
 * Where a data product is in its life.
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "ProductStatus".
 */
export type ProductStatus = 'proposed' | 'draft' | 'active' | 'deprecated' | 'retired';
/**
 * The ODCS version a document is written against.
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "OdcsApiVersion".
 */
export type OdcsApiVersion =
  'v3.1.0' | 'v3.0.2' | 'v3.0.1' | 'v3.0.0' | 'v2.2.2' | 'v2.2.1' | 'v2.2.0';
/**
 * The only kind an ODCS document has.
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "DataContractKind".
 */
export type DataContractKind = 'DataContract';
/**
 * The type of a server: which platform holds the data.
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "ServerType".
 */
export type ServerType =
  | 'api'
  | 'athena'
  | 'azure'
  | 'bigquery'
  | 'clickhouse'
  | 'databricks'
  | 'denodo'
  | 'dremio'
  | 'duckdb'
  | 'glue'
  | 'cloudsql'
  | 'db2'
  | 'hive'
  | 'impala'
  | 'informix'
  | 'kafka'
  | 'kinesis'
  | 'local'
  | 'mysql'
  | 'oracle'
  | 'postgresql'
  | 'postgres'
  | 'presto'
  | 'pubsub'
  | 'redshift'
  | 's3'
  | 'sftp'
  | 'snowflake'
  | 'sqlserver'
  | 'synapse'
  | 'trino'
  | 'vertica'
  | 'zen'
  | 'custom';
/**
 * The logical type of a schema object: always `object`.
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "ObjectLogicalType".
 */
export type ObjectLogicalType = 'object';
/**
 * The logical data type of a property.
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "LogicalType".
 */
export type LogicalType =
  'string' | 'date' | 'timestamp' | 'time' | 'number' | 'integer' | 'object' | 'array' | 'boolean';
/**
 * A bound in `logicalTypeOptions`: a number (integer, number) or a string (date, timestamp, time).
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "Bound".
 */
export type Bound = number | string;
/**
 * The type of a relationship: `foreignKey`, the default.
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "RelationshipType".
 */
export type RelationshipType = 'foreignKey';
/**
 * One end of a relationship: one property, or several for a composite key. Each reference is in
 * shorthand notation (`table.column`) or fully qualified by ids (`schema/obj_id/properties/prop_id`,
 * optionally prefixed by an external `file.yaml#`).
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "PropertyReference".
 */
export type PropertyReference = string | [string, ...string[]];
/**
 * The type of a quality rule.
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "QualityType".
 */
export type QualityType = 'text' | 'library' | 'sql' | 'custom';
/**
 * The data quality dimension (KPI) a rule measures.
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "QualityDimension".
 */
export type QualityDimension =
  | 'accuracy'
  | 'completeness'
  | 'conformity'
  | 'consistency'
  | 'coverage'
  | 'timeliness'
  | 'uniqueness';
/**
 * A predefined metric of a `library` rule.
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "QualityMetric".
 */
export type QualityMetric =
  'nullValues' | 'missingValues' | 'invalidValues' | 'duplicateValues' | 'rowCount';
/**
 * The implementation of a `custom` rule: text in the engine's language, or an object.
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "Implementation".
 */
export type Implementation =
  | string
  | {
      [k: string]: unknown | undefined;
    };
/**
 * The team of a contract: the object of v3.1, or the list of members of v3.0 and earlier.
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "ContractTeam".
 */
export type ContractTeam = ContractTeamObject | ContractTeamMember[];
/**
 * The outcome of one check: `passed`; `failed` (a rule of severity `error`, the default, broken);
 * `warning` (a rule of severity `warning` or `info` broken); `error` (the check could not be
 * measured: its SQL failed, with the database's message).
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "CheckStatus".
 */
export type CheckStatus = 'passed' | 'failed' | 'warning' | 'error';
/**
 * Where an SLO stands: `met`; `at-risk` (met, within 20% of its target); `breached`; `unknown`
 * (nothing to measure yet).
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "SloStatus".
 */
export type SloStatus = 'met' | 'at-risk' | 'breached' | 'unknown';
/**
 * Where an incident is: `open → acknowledged → assigned → resolved`, and `reopened` when its
 * check fails again after it was resolved (a reopened incident is acknowledged, assigned and
 * resolved as an open one is). Assigning also works straight from `open` or `reopened`.
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "IncidentState".
 */
export type IncidentState = 'open' | 'acknowledged' | 'assigned' | 'resolved' | 'reopened';
/**
 * Where an access request is: `requested → approved → active → revoked | expired`, or
 * `requested → rejected`. `approved` is the moment between the decision and the grant; the
 * platform grants in the same step, so a request is seen `approved` only if granting failed.
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "AccessState".
 */
export type AccessState = 'requested' | 'approved' | 'active' | 'revoked' | 'expired' | 'rejected';

/**
 * Everything a product's page shows, read from the offline cache in one snapshot.
 */
export interface ProductView {
  /**
   * The ODPS document as the platform published it.
   */
  product: DataProduct;
  /**
   * The ODCS contracts its output ports name, in port order, each once; a contract the cache
   * does not hold is missing here.
   */
  contracts: DataContract[];
  /**
   * The latest quality run's summary; absent before the first run.
   */
  quality?: QualitySummary;
  /**
   * Its incidents, the newest first.
   */
  incidents: Incident[];
  /**
   * The access requests on its ports the platform showed this user, the newest first.
   */
  accessRequests: AccessRequest[];
  upstream: ProductLink[];
  downstream: ProductLink[];
  /**
   * The signed-in user, if the cache knows it.
   */
  user?: string;
  /**
   * Whether that user owns the product's domain.
   */
  owner: boolean;
  /**
   * When the cache last synced with the platform.
   */
  syncedAt?: string;
}
/**
 * Open Data Product Standard (ODPS) v1.0: a data product descriptor.
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "DataProduct".
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
 * This interface was referenced by `ProductView`'s JSON-Schema
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
 * This interface was referenced by `ProductView`'s JSON-Schema
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
 * This interface was referenced by `ProductView`'s JSON-Schema
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
 * This interface was referenced by `ProductView`'s JSON-Schema
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
 * This interface was referenced by `ProductView`'s JSON-Schema
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
 * This interface was referenced by `ProductView`'s JSON-Schema
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
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "InputContract".
 */
export interface InputContract {
  id: string;
  version: string;
}
/**
 * An access point for managing the product: discoverability, observability, control, dictionary.
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
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
 * This interface was referenced by `ProductView`'s JSON-Schema
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
 * This interface was referenced by `ProductView`'s JSON-Schema
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
 * This interface was referenced by `ProductView`'s JSON-Schema
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
/**
 * Open Data Contract Standard (ODCS) v3.1: a data contract.
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "DataContract".
 */
export interface DataContract {
  /**
   * Version of the standard used to build the data contract.
   */
  apiVersion: OdcsApiVersion;
  /**
   * The kind of document: always `DataContract`.
   */
  kind: DataContractKind;
  /**
   * A unique identifier used to reduce the risk of dataset name collisions, such as a UUID.
   */
  id: string;
  /**
   * Name of the data contract.
   */
  name?: string;
  /**
   * Current version of the data contract.
   */
  version: string;
  /**
   * Current status of the dataset, e.g. `proposed`, `draft`, `active`, `deprecated`, `retired`.
   */
  status: string;
  /**
   * Indicates the property the data is primarily associated with. Value is case insensitive.
   */
  tenant?: string;
  /**
   * Name of the logical data domain.
   */
  domain?: string;
  /**
   * @deprecated
   * The name of the data product. Deprecated since v3.1.0.
   */
  dataProduct?: string;
  /**
   * Tags to categorize the contract, such as `finance` or `sensitive`.
   */
  tags?: string[];
  /**
   * High level description of the dataset.
   */
  description?: ContractDescription;
  /**
   * Servers where the datasets reside.
   */
  servers?: Server[];
  /**
   * The elements of the schema to be cataloged: tables, topics, files...
   */
  schema?: SchemaObject[];
  /**
   * Support and communication channels.
   */
  support?: SupportChannel[];
  price?: Pricing;
  /**
   * The team owning the contract: an object with members (v3.1.0+) or, deprecated, a list of members.
   */
  team?: ContractTeam;
  /**
   * Roles that provide user access to the dataset.
   */
  roles?: Role[];
  /**
   * @deprecated
   * Element (in element path notation) the SLA checks apply to. Deprecated since v3.1, removed in ODCS 4.0.
   */
  slaDefaultElement?: string;
  /**
   * Service-level agreement properties: latency, retention, frequency, availability...
   */
  slaProperties?: SlaProperty[];
  /**
   * Links to sources that provide more details on the contract.
   */
  authoritativeDefinitions?: ContractAuthoritativeDefinition[];
  /**
   * Key/value pairs for custom properties.
   */
  customProperties?: ContractCustomProperty[];
  /**
   * When the contract was created, ISO 8601 in UTC.
   */
  contractCreatedTs?: string;
}
/**
 * What the dataset is for, its limitations and how to use it.
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "ContractDescription".
 */
export interface ContractDescription {
  /**
   * Purpose of the dataset.
   */
  purpose?: string;
  /**
   * Limitations of the dataset.
   */
  limitations?: string;
  /**
   * Intended usage of the dataset.
   */
  usage?: string;
  authoritativeDefinitions?: ContractAuthoritativeDefinition[];
  customProperties?: ContractCustomProperty[];
}
/**
 * A link to a source that gives more details: a business definition, a tutorial, an implementation...
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "ContractAuthoritativeDefinition".
 */
export interface ContractAuthoritativeDefinition {
  /**
   * Stable technical identifier, unique within its list.
   */
  id?: string;
  /**
   * Type of definition, e.g. `businessDefinition`, `transformationImplementation`,
   * `videoTutorial`, `tutorial`, `implementation`.
   */
  type: string;
  /**
   * URL to the authority.
   */
  url: string;
  /**
   * Description of the authoritative definition for humans.
   */
  description?: string;
}
/**
 * A key/value pair for custom properties.
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "ContractCustomProperty".
 */
export interface ContractCustomProperty {
  /**
   * Stable technical identifier, unique within its list.
   */
  id?: string;
  /**
   * The name of the key, in camel case, as if it were a permanent property of the contract.
   */
  property: string;
  /**
   * The value of the key: any JSON value, `null` included.
   */
  value: {
    [k: string]: unknown | undefined;
  };
  /**
   * Description of the custom property.
   */
  description?: string;
}
/**
 * Where the data physically resides. One struct for every server type: the fields a type requires
 * and allows are in [`required_fields`] and [`allowed_fields`], checked outside the types.
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "Server".
 */
export interface Server {
  /**
   * Stable technical identifier, unique within its list.
   */
  id?: string;
  /**
   * Identifier of the server.
   */
  server: string;
  /**
   * Type of the server.
   */
  type: ServerType;
  /**
   * Description of the server.
   */
  description?: string;
  /**
   * Environment of the server, e.g. `prod`, `preprod`, `dev`, `uat`.
   */
  environment?: string;
  /**
   * Roles that have access to the server.
   */
  roles?: Role[];
  customProperties?: ContractCustomProperty[];
  /**
   * Account used by the server (glue: the AWS Glue account; snowflake: the Snowflake account;
   * redshift, custom).
   */
  account?: string;
  /**
   * Name of the catalog (athena: the data source, default `awsdatacatalog`; databricks: the
   * Hive or Unity catalog; presto, trino, custom).
   */
  catalog?: string;
  /**
   * Name of the database (duckdb: path to the database file; glue: the Glue database).
   */
  database?: string;
  /**
   * Name of the dataset (bigquery: the GCP dataset; custom).
   */
  dataset?: string;
  /**
   * How multiple JSON documents are delimited within one file, e.g. `new_line`, `array`
   * (azure, s3, sftp: only for format = json; custom).
   */
  delimiter?: string;
  /**
   * The server endpoint for S3-compatible servers (s3, custom).
   */
  endpointUrl?: string;
  /**
   * Format of the files or messages, e.g. `parquet`, `delta`, `json`, `csv`, `avro`,
   * `protobuf` (kafka: default `json`).
   */
  format?: string;
  /**
   * Host name or IP address (kafka: the bootstrap server).
   */
  host?: string;
  /**
   * A URL to the data: the API url (api), the Azure Blob Storage or ADLS path (azure), the S3 path
   * (glue, s3), the SFTP URL starting with `sftp://` (sftp); globs allowed where files are read.
   */
  location?: string;
  /**
   * Relative or absolute path to the data file(s) (local, custom).
   */
  path?: string;
  /**
   * Port of the server.
   */
  port?: number;
  /**
   * The GCP project name (bigquery, pubsub; custom).
   */
  project?: string;
  /**
   * Cloud region (kinesis, redshift: the AWS region; custom).
   */
  region?: string;
  /**
   * The region the AWS account uses (athena; custom).
   */
  regionName?: string;
  /**
   * Name of the schema in the database.
   */
  schema?: string;
  /**
   * Name of the service (oracle; custom).
   */
  serviceName?: string;
  /**
   * Where query results and metadata are stored: an S3 URL for athena; custom.
   */
  stagingDir?: string;
  /**
   * Name of the data stream (custom).
   */
  stream?: string;
  /**
   * Name of the cluster or virtual warehouse (snowflake; custom).
   */
  warehouse?: string;
}
/**
 * An IAM role that gives access to the dataset.
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "Role".
 */
export interface Role {
  /**
   * Stable technical identifier, unique within its list.
   */
  id?: string;
  /**
   * Name of the IAM role.
   */
  role: string;
  /**
   * Description of the role and its permissions.
   */
  description?: string;
  /**
   * The type of access the role provides, e.g. `read`, `write`.
   */
  access?: string;
  /**
   * The name(s) of the first-level approver(s) of the role.
   */
  firstLevelApprovers?: string;
  /**
   * The name(s) of the second-level approver(s) of the role.
   */
  secondLevelApprovers?: string;
  customProperties?: ContractCustomProperty[];
}
/**
 * An element of the schema: a table, a view, a topic, a file...
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "SchemaObject".
 */
export interface SchemaObject {
  /**
   * Stable technical identifier, unique within its list.
   */
  id?: string;
  /**
   * Name of the element.
   */
  name: string;
  /**
   * The business name of the element.
   */
  businessName?: string;
  /**
   * Description of the element.
   */
  description?: string;
  /**
   * The logical element data type: `object`.
   */
  logicalType?: ObjectLogicalType;
  /**
   * The physical element data type in the data source, e.g. `table`, `view`, `topic`, `file`.
   */
  physicalType?: string;
  /**
   * Physical name, e.g. `table_1_2_0`.
   */
  physicalName?: string;
  /**
   * Granular level of the data in the object, e.g. `Aggregation by country`.
   */
  dataGranularityDescription?: string;
  /**
   * The properties (columns, fields) of the object.
   */
  properties?: SchemaProperty[];
  /**
   * Relationships to other properties, each with `from` and `to`.
   */
  relationships?: SchemaRelationship[];
  /**
   * Data quality rules on the object.
   */
  quality?: QualityRule[];
  /**
   * Links to sources that provide more details on the element.
   */
  authoritativeDefinitions?: ContractAuthoritativeDefinition[];
  /**
   * Tags to categorize the element, such as `finance` or `sensitive`.
   */
  tags?: string[];
  customProperties?: ContractCustomProperty[];
}
/**
 * A property of a schema object or of a nested object: a column, a field.
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "SchemaProperty".
 */
export interface SchemaProperty {
  /**
   * Stable technical identifier, unique within its list.
   */
  id?: string;
  /**
   * Name of the element.
   */
  name: string;
  /**
   * The business name of the element.
   */
  businessName?: string;
  /**
   * Description of the element.
   */
  description?: string;
  /**
   * The logical element data type.
   */
  logicalType?: LogicalType;
  /**
   * Additional metadata on the logical type; which keys apply depends on `logicalType`.
   */
  logicalTypeOptions?: LogicalTypeOptions;
  /**
   * The physical element data type in the data source, e.g. `VARCHAR(2)`, `DOUBLE`, `INT`.
   */
  physicalType?: string;
  /**
   * Physical name, e.g. `col_str_a`.
   */
  physicalName?: string;
  /**
   * Whether the element is part of the primary key. Default false.
   */
  primaryKey?: boolean;
  /**
   * Position of the element in the primary key, starting from 1. Default -1.
   */
  primaryKeyPosition?: number;
  /**
   * Whether the element must be present (not null). Default false.
   */
  required?: boolean;
  /**
   * Whether the element contains unique values. Default false.
   */
  unique?: boolean;
  /**
   * Whether the element is used for partitioning. Default false.
   */
  partitioned?: boolean;
  /**
   * Position of the element among the partition keys, starting from 1. Default -1.
   */
  partitionKeyPosition?: number;
  /**
   * Data classification, e.g. `confidential`, `restricted`, `public`, or a level 1-5.
   */
  classification?: string;
  /**
   * Name of the element holding the encrypted value, e.g. `email_address_encrypt`.
   */
  encryptedName?: string;
  /**
   * Objects in the data source used in the transformation.
   */
  transformSourceObjects?: string[];
  /**
   * Logic used in the element transformation.
   */
  transformLogic?: string;
  /**
   * Describes the transform logic in very simple terms.
   */
  transformDescription?: string;
  /**
   * Sample values of the element: any JSON values.
   */
  examples?: unknown[];
  /**
   * Whether the element is a critical data element (CDE). Default false.
   */
  criticalDataElement?: boolean;
  /**
   * Relationships to other properties; `from` is this property and is not written.
   */
  relationships?: PropertyRelationship[];
  /**
   * Data quality rules on the element.
   */
  quality?: QualityRule[];
  /**
   * The properties of an object (only when `logicalType` is `object`).
   */
  properties?: SchemaProperty[];
  /**
   * The items of an array (only when `logicalType` is `array`).
   */
  items?: SchemaItems;
  /**
   * Links to sources that provide more details on the element.
   */
  authoritativeDefinitions?: ContractAuthoritativeDefinition[];
  /**
   * Tags to categorize the element, such as `finance` or `sensitive`.
   */
  tags?: string[];
  customProperties?: ContractCustomProperty[];
}
/**
 * Metadata on a logical type. Every key any logical type allows; which ones apply is set by
 * `logicalType` (string: `minLength`, `maxLength`, `pattern`, `format`; date: `format` and the
 * bounds as strings; timestamp, time: those and `timezone`, `defaultTimezone`; integer, number:
 * `multipleOf`, the bounds as numbers and `format`; object: `maxProperties`, `minProperties`,
 * `required`; array: `maxItems`, `minItems`, `uniqueItems`).
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "LogicalTypeOptions".
 */
export interface LogicalTypeOptions {
  /**
   * Format: for a string what it follows (`email`, `uuid`, `uri`, `ipv4`...); for a date, timestamp
   * or time a JDK DateTimeFormatter pattern (`yyyy-MM-dd`); for an integer `i8`...`i128`,
   * `u8`...`u128` (default `i32`); for a number `f32` or `f64`.
   */
  format?: string;
  /**
   * Minimum length of the string.
   */
  minLength?: number;
  /**
   * Maximum length of the string.
   */
  maxLength?: number;
  /**
   * Regular expression (ECMA-262) valid string values match.
   */
  pattern?: string;
  /**
   * All values are greater than or equal to this value.
   */
  minimum?: Bound;
  /**
   * All values are strictly greater than this value.
   */
  exclusiveMinimum?: Bound;
  /**
   * All values are less than or equal to this value.
   */
  maximum?: Bound;
  /**
   * All values are strictly less than this value.
   */
  exclusiveMaximum?: Bound;
  /**
   * Whether the timestamp or time carries its timezone.
   */
  timezone?: boolean;
  /**
   * The timezone assumed when none is given; default `Etc/UTC`.
   */
  defaultTimezone?: string;
  /**
   * Values must be multiples of this number (greater than 0).
   */
  multipleOf?: number;
  /**
   * Maximum number of properties of the object.
   */
  maxProperties?: number;
  /**
   * Minimum number of properties of the object; default 0.
   */
  minProperties?: number;
  /**
   * Property names that must exist in the object.
   *
   * @minItems 1
   */
  required?: [string, ...string[]];
  /**
   * Maximum number of items in the array.
   */
  maxItems?: number;
  /**
   * Minimum number of items in the array; default 0.
   */
  minItems?: number;
  /**
   * Whether all items of the array are unique; default false.
   */
  uniqueItems?: boolean;
}
/**
 * A relationship declared on a property, which is its implicit source.
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "PropertyRelationship".
 */
export interface PropertyRelationship {
  /**
   * The type of relationship; `foreignKey` when absent.
   */
  type?: RelationshipType;
  /**
   * Must not be given: the source is the property the relationship is declared on. Read only so
   * that a check can report it.
   */
  from?: PropertyReference;
  /**
   * Target property or properties.
   */
  to: PropertyReference;
  customProperties?: ContractCustomProperty[];
}
/**
 * A data quality rule with what it takes to set it up and run it. The fields a rule needs depend on
 * its `type`: `library` (the default) needs `metric`, `sql` needs `query`, `custom` needs `engine`
 * and `implementation`; `library` and `sql` rules take exactly one comparison operator (`mustBe`...).
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "QualityRule".
 */
export interface QualityRule {
  /**
   * Stable technical identifier, unique within its list.
   */
  id?: string;
  /**
   * Name of the data quality check.
   */
  name?: string;
  /**
   * Describes the quality check to be completed.
   */
  description?: string;
  /**
   * The type of quality check; `library` when absent.
   */
  type?: QualityType;
  /**
   * The key performance indicator (KPI) or dimension for data quality.
   */
  dimension?: QualityDimension;
  /**
   * A predefined metric (`library` rules).
   */
  metric?: QualityMetric;
  /**
   * @deprecated
   * Deprecated: use `metric` instead (`library` rules).
   */
  rule?: string;
  /**
   * Additional arguments for the metric, e.g. `validValues` (`library` rules).
   */
  arguments?: {
    [k: string]: unknown | undefined;
  };
  /**
   * Query in the dialect of the server, e.g.
   * `SELECT COUNT(*) FROM ${table} WHERE ${column} IS NOT NULL` (`sql` rules).
   */
  query?: string;
  /**
   * Name of the engine running the check, e.g. `soda`, `great-expectations`, `monte-carlo`,
   * `dbt` (`custom` rules).
   */
  engine?: string;
  /**
   * The check in the engine's own terms (`custom` rules).
   */
  implementation?: Implementation;
  /**
   * Must be equal to the value (`=` for numbers).
   */
  mustBe?: {
    [k: string]: unknown | undefined;
  };
  /**
   * Must not be equal to the value (`!=` for numbers).
   */
  mustNotBe?: {
    [k: string]: unknown | undefined;
  };
  /**
   * Must be greater than the value (`>`).
   */
  mustBeGreaterThan?: number;
  /**
   * Must be greater than or equal to the value (`>=`).
   */
  mustBeGreaterOrEqualTo?: number;
  /**
   * Must be less than the value (`<`).
   */
  mustBeLessThan?: number;
  /**
   * Must be less than or equal to the value (`<=`).
   */
  mustBeLessOrEqualTo?: number;
  /**
   * Must be between the two numbers, smallest first.
   *
   * @minItems 2
   * @maxItems 2
   */
  mustBeBetween?: [number, number];
  /**
   * Must not be between the two numbers, smallest first.
   *
   * @minItems 2
   * @maxItems 2
   */
  mustNotBeBetween?: [number, number];
  /**
   * Unit the rule uses, e.g. `rows` or `percent`.
   */
  unit?: string;
  /**
   * Method of the check, e.g. `reconciliation`.
   */
  method?: string;
  /**
   * Severity of a failure, e.g. `info`, `warning`, `error`.
   */
  severity?: string;
  /**
   * Consequences of a failure, e.g. `operational`, `regulatory`.
   */
  businessImpact?: string;
  /**
   * Name or type of the scheduler starting the check, e.g. `cron`.
   */
  scheduler?: string;
  /**
   * Schedule in the scheduler's terms, e.g. `0 20 * * *`.
   */
  schedule?: string;
  authoritativeDefinitions?: ContractAuthoritativeDefinition[];
  tags?: string[];
  /**
   * Additional properties required for rule execution.
   */
  customProperties?: ContractCustomProperty[];
}
/**
 * The items of an array property: a property whose name is optional.
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "SchemaItems".
 */
export interface SchemaItems {
  /**
   * Stable technical identifier, unique within its list.
   */
  id?: string;
  /**
   * Name of the element.
   */
  name?: string;
  /**
   * The business name of the element.
   */
  businessName?: string;
  /**
   * Description of the element.
   */
  description?: string;
  /**
   * The logical element data type.
   */
  logicalType?: LogicalType;
  /**
   * Additional metadata on the logical type; which keys apply depends on `logicalType`.
   */
  logicalTypeOptions?: LogicalTypeOptions;
  /**
   * The physical element data type in the data source, e.g. `VARCHAR(2)`, `DOUBLE`, `INT`.
   */
  physicalType?: string;
  /**
   * Physical name, e.g. `col_str_a`.
   */
  physicalName?: string;
  /**
   * Whether the element is part of the primary key. Default false.
   */
  primaryKey?: boolean;
  /**
   * Position of the element in the primary key, starting from 1. Default -1.
   */
  primaryKeyPosition?: number;
  /**
   * Whether the element must be present (not null). Default false.
   */
  required?: boolean;
  /**
   * Whether the element contains unique values. Default false.
   */
  unique?: boolean;
  /**
   * Whether the element is used for partitioning. Default false.
   */
  partitioned?: boolean;
  /**
   * Position of the element among the partition keys, starting from 1. Default -1.
   */
  partitionKeyPosition?: number;
  /**
   * Data classification, e.g. `confidential`, `restricted`, `public`, or a level 1-5.
   */
  classification?: string;
  /**
   * Name of the element holding the encrypted value, e.g. `email_address_encrypt`.
   */
  encryptedName?: string;
  /**
   * Objects in the data source used in the transformation.
   */
  transformSourceObjects?: string[];
  /**
   * Logic used in the element transformation.
   */
  transformLogic?: string;
  /**
   * Describes the transform logic in very simple terms.
   */
  transformDescription?: string;
  /**
   * Sample values of the element: any JSON values.
   */
  examples?: unknown[];
  /**
   * Whether the element is a critical data element (CDE). Default false.
   */
  criticalDataElement?: boolean;
  /**
   * Relationships to other properties; `from` is this property and is not written.
   */
  relationships?: PropertyRelationship[];
  /**
   * Data quality rules on the element.
   */
  quality?: QualityRule[];
  /**
   * The properties of an object (only when `logicalType` is `object`).
   */
  properties?: SchemaProperty[];
  /**
   * The items of an array (only when `logicalType` is `array`).
   */
  items?: SchemaItems;
  /**
   * Links to sources that provide more details on the element.
   */
  authoritativeDefinitions?: ContractAuthoritativeDefinition[];
  /**
   * Tags to categorize the element, such as `finance` or `sensitive`.
   */
  tags?: string[];
  customProperties?: ContractCustomProperty[];
}
/**
 * A relationship declared on a schema object: both ends are given, both single or both composite.
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "SchemaRelationship".
 */
export interface SchemaRelationship {
  /**
   * The type of relationship; `foreignKey` when absent.
   */
  type?: RelationshipType;
  /**
   * Source property or properties.
   */
  from: PropertyReference;
  /**
   * Target property or properties.
   */
  to: PropertyReference;
  customProperties?: ContractCustomProperty[];
}
/**
 * A support or communication channel.
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "SupportChannel".
 */
export interface SupportChannel {
  /**
   * Stable technical identifier, unique within its list.
   */
  id?: string;
  /**
   * Channel name or identifier.
   */
  channel: string;
  /**
   * Access URL (https, mailto, ...).
   */
  url?: string;
  /**
   * Description of the channel, free text.
   */
  description?: string;
  /**
   * Name of the tool: `email`, `slack`, `teams`, `discord`, `ticket`, `googlechat` or `other`.
   */
  tool?: string;
  /**
   * Scope: `interactive`, `announcements`, `issues` or `notifications`.
   */
  scope?: string;
  /**
   * URL for requesting access or subscribing, for tools that use one.
   */
  invitationUrl?: string;
  customProperties?: ContractCustomProperty[];
}
/**
 * The price of the data.
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "Pricing".
 */
export interface Pricing {
  /**
   * Stable technical identifier.
   */
  id?: string;
  /**
   * Subscription price per unit of measure in `priceUnit`.
   */
  priceAmount?: number;
  /**
   * Currency of the subscription price, e.g. `USD`.
   */
  priceCurrency?: string;
  /**
   * The unit of measure for calculating cost, e.g. `megabyte`, `gigabyte`.
   */
  priceUnit?: string;
}
/**
 * The team owning the contract.
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "ContractTeamObject".
 */
export interface ContractTeamObject {
  /**
   * Stable technical identifier.
   */
  id?: string;
  /**
   * Team name.
   */
  name?: string;
  /**
   * Team description.
   */
  description?: string;
  /**
   * Members of the team.
   */
  members?: ContractTeamMember[];
  tags?: string[];
  customProperties?: ContractCustomProperty[];
  authoritativeDefinitions?: ContractAuthoritativeDefinition[];
}
/**
 * A member of the team, with their role.
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "ContractTeamMember".
 */
export interface ContractTeamMember {
  /**
   * Stable technical identifier, unique within its list.
   */
  id?: string;
  /**
   * The user's username or email.
   */
  username: string;
  /**
   * The user's name.
   */
  name?: string;
  /**
   * The user's description.
   */
  description?: string;
  /**
   * The user's job role, e.g. `owner`, `data steward`; there is no fixed list.
   */
  role?: string;
  /**
   * The date the user joined the team.
   */
  dateIn?: string;
  /**
   * The date the user left the team.
   */
  dateOut?: string;
  /**
   * The username of the user who replaced this one.
   */
  replacedByUsername?: string;
  tags?: string[];
  customProperties?: ContractCustomProperty[];
  authoritativeDefinitions?: ContractAuthoritativeDefinition[];
}
/**
 * A service-level agreement property, such as latency, retention or frequency.
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "SlaProperty".
 */
export interface SlaProperty {
  /**
   * Stable technical identifier, unique within its list.
   */
  id?: string;
  /**
   * The SLA property, e.g. `latency`, `retention`, `frequency`, `generalAvailability`.
   */
  property: string;
  /**
   * Agreement value: a string, a number, a boolean or `null`.
   */
  value: {
    [k: string]: unknown | undefined;
  };
  /**
   * Extended agreement value: a string, a number, a boolean or `null`.
   */
  valueExt?: {
    [k: string]: unknown | undefined;
  };
  /**
   * Unit of the value, ISO style: `d`, `day`, `days`; `y`, `yr`, `years`...
   */
  unit?: string;
  /**
   * Element(s) to check on, in element path notation, separated by commas if several.
   */
  element?: string;
  /**
   * Why the SLA matters: `regulatory`, `analytics` or `operational`.
   */
  driver?: string;
  /**
   * Description of the SLA for humans.
   */
  description?: string;
  /**
   * Name of the scheduler, e.g. `cron`.
   */
  scheduler?: string;
  /**
   * Configuration of the scheduler, e.g. `0 20 * * *` for cron.
   */
  schedule?: string;
}
/**
 * What the change feed carries for a product's quality (entity `quality`, id the product's): the
 * latest status of each check and the SLOs, without history.
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "QualitySummary".
 */
export interface QualitySummary {
  productId: string;
  lastRunAt: string;
  passed: number;
  failed: number;
  warnings: number;
  errors: number;
  latest: QualityPoint[];
  /**
   * The check of each point in `latest`, in the same order.
   */
  checks: string[];
  slos: SloReport[];
}
/**
 * One point of a check's history: a run's measured value.
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "QualityPoint".
 */
export interface QualityPoint {
  at: string;
  status: CheckStatus;
  value?: number;
}
/**
 * An SLO of a port's contract, measured: freshness from `latency`/`frequency` against the newest
 * value of the element it names, completeness, or the check pass rate over a window.
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "SloReport".
 */
export interface SloReport {
  /**
   * `freshness`, `completeness` or `passRate`.
   */
  slo: string;
  port: string;
  /**
   * The contract's SLA property it comes from (`latency`, `frequency`, `completeness`), or
   * `quality` for the pass rate.
   */
  property: string;
  /**
   * The element measured (`table.column`), where there is one.
   */
  element?: string;
  status: SloStatus;
  /**
   * The target, in `unit`.
   */
  target: number;
  /**
   * The measured value, in `unit`.
   */
  measured?: number;
  /**
   * `hours` (freshness) or `percent`.
   */
  unit: string;
  /**
   * The numbers in a sentence.
   */
  detail: string;
}
/**
 * A quality incident: one per failing check while it is not resolved.
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "Incident".
 */
export interface Incident {
  id: string;
  productId: string;
  productName: string;
  domain: string;
  /**
   * The check that failed.
   */
  check: string;
  port: string;
  state: IncidentState;
  /**
   * The check's severity: `error`, `warning` or `info`.
   */
  severity: string;
  assignee?: string;
  /**
   * A line for lists, e.g. `rowCount of order_lines is 812; mustBeGreaterThan 1000`.
   */
  title: string;
  /**
   * How many runs failed the check while this incident was not resolved.
   */
  failures: number;
  openedAt: string;
  updatedAt: string;
  resolvedAt?: string;
  /**
   * Every transition and comment, oldest first.
   */
  events: IncidentEvent[];
}
/**
 * One entry of an incident's timeline: a transition or a comment.
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "IncidentEvent".
 */
export interface IncidentEvent {
  at: string;
  /**
   * The user, or `platform` for what a check run did.
   */
  actor: string;
  /**
   * `opened`, `failed-again`, `acknowledged`, `assigned`, `commented`, `resolved`, `reopened`.
   */
  action: string;
  from?: IncidentState;
  to?: IncidentState;
  comment?: string;
}
/**
 * A consumer's request for access to an output port, and the grant it became.
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "AccessRequest".
 */
export interface AccessRequest {
  id: string;
  productId: string;
  productName: string;
  domain: string;
  outputPort: string;
  /**
   * The user who asked, and who gets the access.
   */
  consumer: string;
  purpose: string;
  /**
   * When the access ends by itself (RFC 3339).
   */
  until?: string;
  state: AccessState;
  requestedAt: string;
  updatedAt: string;
  /**
   * Who approved, rejected or revoked it.
   */
  decidedBy?: string;
  /**
   * The reason given with the last decision.
   */
  reason?: string;
  /**
   * How the grant reaches the data: for PostgreSQL the consumer's role and the schema; for SQLite
   * the rows endpoint.
   */
  grant?: AccessGrant;
}
/**
 * What an active grant gives.
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "AccessGrant".
 */
export interface AccessGrant {
  /**
   * `postgres-role` or `rows-endpoint`.
   */
  kind: string;
  /**
   * The PostgreSQL role (`mesh_<user>`) holding `USAGE` and `SELECT`.
   */
  role?: string;
  /**
   * The PostgreSQL schema of the port.
   */
  schema?: string;
  /**
   * The path to read rows from (SQLite ports).
   */
  path?: string;
}
/**
 * A product next to this one in the lineage: it reads one of this product's output ports (downstream)
 * or serves one of its input ports (upstream), through the contract `contract_id`.
 *
 * This interface was referenced by `ProductView`'s JSON-Schema
 * via the `definition` "ProductLink".
 */
export interface ProductLink {
  id: string;
  name: string;
  domain: string;
  status: string;
  version: string;
  contractId: string;
  /**
   * Open incidents of that product, for its health.
   */
  openIncidents: number;
}
