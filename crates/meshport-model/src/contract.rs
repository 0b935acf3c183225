//! A data contract as the Open Data Contract Standard (ODCS) v3.1 defines it, every field.
//!
//! Optional fields are `Option` and skipped when absent, so reading then writing a document gives
//! back the same tree: an empty list stays an empty list, a missing one stays missing, and a field
//! whose value may itself be `null` (`mustBe`, `valueExt`) keeps an explicit `null`.
//!
//! The types refuse what a type can refuse: unknown fields, values outside a closed vocabulary,
//! missing required fields. What the official JSON Schema expresses with conditions is left to the
//! semantic checks, and the types read such documents cleanly so those checks can run on them:
//! the fields a server type requires ([`required_fields`]) and allows ([`allowed_fields`]), the
//! fields a quality rule type requires (`metric` for `library`, `query` for `sql`, `engine` and
//! `implementation` for `custom`), at most one comparison operator per rule, two bounds in
//! `mustBeBetween`/`mustNotBeBetween`, no `from` in a property-level relationship, `from` and `to`
//! of the same shape in a schema-level relationship, and the `logicalTypeOptions` keys that fit
//! the property's `logicalType`.

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Number, Value};

/// The ODCS version a document is written against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub enum OdcsApiVersion {
    #[default]
    #[serde(rename = "v3.1.0")]
    V3_1_0,
    #[serde(rename = "v3.0.2")]
    V3_0_2,
    #[serde(rename = "v3.0.1")]
    V3_0_1,
    #[serde(rename = "v3.0.0")]
    V3_0_0,
    #[serde(rename = "v2.2.2")]
    V2_2_2,
    #[serde(rename = "v2.2.1")]
    V2_2_1,
    #[serde(rename = "v2.2.0")]
    V2_2_0,
}

/// The only kind an ODCS document has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub enum DataContractKind {
    #[default]
    DataContract,
}

/// A stable technical identifier (`StableId`): unique within its list, letters, digits, `-`, `_`.
pub const STABLE_ID: &str = r"^[A-Za-z0-9_-]+$";

/// A property reference in a relationship: shorthand `table.column`, or fully qualified by ids
/// `schema/obj_id/properties/prop_id`, optionally prefixed by an external `file.yaml#`.
pub const PROPERTY_REFERENCE: &str = r"^(?:[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*|(?:(?:https?:\/\/)?[A-Za-z0-9._\-\/]+\.yaml#)?\/?[A-Za-z_][A-Za-z0-9_]*\/[A-Za-z0-9_-]+(?:\/[A-Za-z_][A-Za-z0-9_]*\/[A-Za-z0-9_-]+)*)$";

/// Reads a field whose value may itself be `null`: present but `null` is `Some(Value::Null)`, so
/// it is written back; absent is `None` (with `#[serde(default)]`).
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}

/// Open Data Contract Standard (ODCS) v3.1: a data contract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(title = "Data contract (ODCS v3.1)")]
pub struct DataContract {
    /// Version of the standard used to build the data contract.
    pub api_version: OdcsApiVersion,
    /// The kind of document: always `DataContract`.
    pub kind: DataContractKind,
    /// A unique identifier used to reduce the risk of dataset name collisions, such as a UUID.
    pub id: String,
    /// Name of the data contract.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Current version of the data contract.
    pub version: String,
    /// Current status of the dataset, e.g. `proposed`, `draft`, `active`, `deprecated`, `retired`.
    pub status: String,
    /// Indicates the property the data is primarily associated with. Value is case insensitive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    /// Name of the logical data domain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// The name of the data product. Deprecated since v3.1.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("deprecated" = true))]
    pub data_product: Option<String>,
    /// Tags to categorize the contract, such as `finance` or `sensitive`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// High level description of the dataset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Description>,
    /// Servers where the datasets reside.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub servers: Option<Vec<Server>>,
    /// The elements of the schema to be cataloged: tables, topics, files...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<Vec<SchemaObject>>,
    /// Support and communication channels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub support: Option<Vec<SupportChannel>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<Pricing>,
    /// The team owning the contract: an object with members (v3.1.0+) or, deprecated, a list of members.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<ContractTeam>,
    /// Roles that provide user access to the dataset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<Role>>,
    /// Element (in element path notation) the SLA checks apply to. Deprecated since v3.1, removed in ODCS 4.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("deprecated" = true))]
    pub sla_default_element: Option<String>,
    /// Service-level agreement properties: latency, retention, frequency, availability...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sla_properties: Option<Vec<SlaProperty>>,
    /// Links to sources that provide more details on the contract.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authoritative_definitions: Option<Vec<AuthoritativeDefinition>>,
    /// Key/value pairs for custom properties.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_properties: Option<Vec<CustomProperty>>,
    /// When the contract was created, ISO 8601 in UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date-time"))]
    pub contract_created_ts: Option<String>,
}

impl DataContract {
    /// A new draft contract, version `0.1.0`, with only the required fields and a name set.
    pub fn draft(id: impl Into<String>, name: impl Into<String>) -> Self {
        DataContract {
            api_version: OdcsApiVersion::V3_1_0,
            kind: DataContractKind::DataContract,
            id: id.into(),
            name: Some(name.into()),
            version: "0.1.0".into(),
            status: "draft".into(),
            tenant: None,
            domain: None,
            data_product: None,
            tags: None,
            description: None,
            servers: None,
            schema: None,
            support: None,
            price: None,
            team: None,
            roles: None,
            sla_default_element: None,
            sla_properties: None,
            authoritative_definitions: None,
            custom_properties: None,
            contract_created_ts: None,
        }
    }
}

/// What the dataset is for, its limitations and how to use it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(rename = "ContractDescription")]
pub struct Description {
    /// Purpose of the dataset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    /// Limitations of the dataset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limitations: Option<String>,
    /// Intended usage of the dataset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authoritative_definitions: Option<Vec<AuthoritativeDefinition>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_properties: Option<Vec<CustomProperty>>,
}

/// A key/value pair for custom properties.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(rename = "ContractCustomProperty")]
pub struct CustomProperty {
    /// Stable technical identifier, unique within its list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = STABLE_ID))]
    pub id: Option<String>,
    /// The name of the key, in camel case, as if it were a permanent property of the contract.
    pub property: String,
    /// The value of the key: any JSON value, `null` included.
    pub value: Value,
    /// Description of the custom property.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A link to a source that gives more details: a business definition, a tutorial, an implementation...
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(rename = "ContractAuthoritativeDefinition")]
pub struct AuthoritativeDefinition {
    /// Stable technical identifier, unique within its list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = STABLE_ID))]
    pub id: Option<String>,
    /// Type of definition, e.g. `businessDefinition`, `transformationImplementation`,
    /// `videoTutorial`, `tutorial`, `implementation`.
    #[serde(rename = "type")]
    pub kind: String,
    /// URL to the authority.
    pub url: String,
    /// Description of the authoritative definition for humans.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Servers
// ---------------------------------------------------------------------------------------------

/// The type of a server: which platform holds the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ServerType {
    Api,
    Athena,
    Azure,
    BigQuery,
    ClickHouse,
    Databricks,
    Denodo,
    Dremio,
    DuckDb,
    Glue,
    CloudSql,
    Db2,
    Hive,
    Impala,
    Informix,
    Kafka,
    Kinesis,
    Local,
    MySql,
    Oracle,
    PostgreSql,
    Postgres,
    Presto,
    PubSub,
    Redshift,
    S3,
    Sftp,
    Snowflake,
    SqlServer,
    Synapse,
    Trino,
    Vertica,
    Zen,
    Custom,
}

impl ServerType {
    /// Every server type, in the order of the official schema.
    pub const ALL: [ServerType; 34] = [
        ServerType::Api,
        ServerType::Athena,
        ServerType::Azure,
        ServerType::BigQuery,
        ServerType::ClickHouse,
        ServerType::Databricks,
        ServerType::Denodo,
        ServerType::Dremio,
        ServerType::DuckDb,
        ServerType::Glue,
        ServerType::CloudSql,
        ServerType::Db2,
        ServerType::Hive,
        ServerType::Impala,
        ServerType::Informix,
        ServerType::Kafka,
        ServerType::Kinesis,
        ServerType::Local,
        ServerType::MySql,
        ServerType::Oracle,
        ServerType::PostgreSql,
        ServerType::Postgres,
        ServerType::Presto,
        ServerType::PubSub,
        ServerType::Redshift,
        ServerType::S3,
        ServerType::Sftp,
        ServerType::Snowflake,
        ServerType::SqlServer,
        ServerType::Synapse,
        ServerType::Trino,
        ServerType::Vertica,
        ServerType::Zen,
        ServerType::Custom,
    ];

    /// The value of `type` in a document.
    pub fn as_str(self) -> &'static str {
        match self {
            ServerType::Api => "api",
            ServerType::Athena => "athena",
            ServerType::Azure => "azure",
            ServerType::BigQuery => "bigquery",
            ServerType::ClickHouse => "clickhouse",
            ServerType::Databricks => "databricks",
            ServerType::Denodo => "denodo",
            ServerType::Dremio => "dremio",
            ServerType::DuckDb => "duckdb",
            ServerType::Glue => "glue",
            ServerType::CloudSql => "cloudsql",
            ServerType::Db2 => "db2",
            ServerType::Hive => "hive",
            ServerType::Impala => "impala",
            ServerType::Informix => "informix",
            ServerType::Kafka => "kafka",
            ServerType::Kinesis => "kinesis",
            ServerType::Local => "local",
            ServerType::MySql => "mysql",
            ServerType::Oracle => "oracle",
            ServerType::PostgreSql => "postgresql",
            ServerType::Postgres => "postgres",
            ServerType::Presto => "presto",
            ServerType::PubSub => "pubsub",
            ServerType::Redshift => "redshift",
            ServerType::S3 => "s3",
            ServerType::Sftp => "sftp",
            ServerType::Snowflake => "snowflake",
            ServerType::SqlServer => "sqlserver",
            ServerType::Synapse => "synapse",
            ServerType::Trino => "trino",
            ServerType::Vertica => "vertica",
            ServerType::Zen => "zen",
            ServerType::Custom => "custom",
        }
    }
}

/// The fields (document names) the official schema requires of a server of this type, besides
/// `server` and `type` which every server has. Read from the schema's `if type = ... then
/// ServerSource/...` conditions.
pub fn required_fields(kind: ServerType) -> &'static [&'static str] {
    use ServerType::*;
    match kind {
        Api | S3 | Sftp => &["location"],
        Athena => &["stagingDir", "schema"],
        Azure => &["location", "format"],
        BigQuery => &["project", "dataset"],
        ClickHouse | Db2 | MySql | Synapse => &["host", "port", "database"],
        Databricks => &["catalog", "schema"],
        Denodo | Dremio => &["host", "port"],
        DuckDb => &["database"],
        Glue => &["account", "database"],
        CloudSql | PostgreSql | Postgres | Vertica => &["host", "port", "database", "schema"],
        Hive | Impala | Informix | Zen => &["host", "database"],
        Kafka | Presto => &["host"],
        Kinesis | Custom => &[],
        Local => &["path", "format"],
        Oracle => &["host", "port", "serviceName"],
        PubSub => &["project"],
        Redshift => &["database", "schema"],
        Snowflake => &["account", "database", "schema"],
        SqlServer => &["host", "database", "schema"],
        Trino => &["host", "port", "catalog", "schema"],
    }
}

/// The type-specific fields (document names) the official schema allows on a server of this type,
/// required or not. Every server also allows `id`, `server`, `type`, `description`,
/// `environment`, `roles` and `customProperties`; any other field is refused by the official
/// schema (`unevaluatedProperties: false`) though [`Server`] reads it.
pub fn allowed_fields(kind: ServerType) -> &'static [&'static str] {
    use ServerType::*;
    match kind {
        Api => &["location"],
        Athena => &["stagingDir", "schema", "catalog", "regionName"],
        Azure | Sftp => &["location", "format", "delimiter"],
        BigQuery => &["project", "dataset"],
        ClickHouse | Denodo | Hive | Impala | Informix | Zen | MySql | Synapse => {
            &["host", "port", "database"]
        }
        Databricks => &["host", "catalog", "schema"],
        Dremio => &["host", "port", "schema"],
        DuckDb => &["database", "schema"],
        Glue => &["account", "database", "location", "format"],
        CloudSql | Db2 | PostgreSql | Postgres | SqlServer | Vertica => {
            &["host", "port", "database", "schema"]
        }
        Custom => &[
            "account",
            "catalog",
            "database",
            "dataset",
            "delimiter",
            "endpointUrl",
            "format",
            "host",
            "location",
            "path",
            "port",
            "project",
            "region",
            "regionName",
            "schema",
            "serviceName",
            "stagingDir",
            "warehouse",
            "stream",
        ],
        Kafka => &["host", "format"],
        Kinesis => &["region", "format"],
        Local => &["path", "format"],
        Oracle => &["host", "port", "serviceName"],
        Presto => &["host", "catalog", "schema"],
        PubSub => &["project"],
        Redshift => &["host", "database", "schema", "region", "account"],
        S3 => &["location", "endpointUrl", "format", "delimiter"],
        Snowflake => &["host", "port", "account", "database", "schema", "warehouse"],
        Trino => &["host", "port", "catalog", "schema"],
    }
}

/// Where the data physically resides. One struct for every server type: the fields a type requires
/// and allows are in [`required_fields`] and [`allowed_fields`], checked outside the types.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Server {
    /// Stable technical identifier, unique within its list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = STABLE_ID))]
    pub id: Option<String>,
    /// Identifier of the server.
    pub server: String,
    /// Type of the server.
    #[serde(rename = "type")]
    pub kind: ServerType,
    /// Description of the server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Environment of the server, e.g. `prod`, `preprod`, `dev`, `uat`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    /// Roles that have access to the server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<Role>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_properties: Option<Vec<CustomProperty>>,
    /// Account used by the server (glue: the AWS Glue account; snowflake: the Snowflake account;
    /// redshift, custom).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// Name of the catalog (athena: the data source, default `awsdatacatalog`; databricks: the
    /// Hive or Unity catalog; presto, trino, custom).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalog: Option<String>,
    /// Name of the database (duckdb: path to the database file; glue: the Glue database).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
    /// Name of the dataset (bigquery: the GCP dataset; custom).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataset: Option<String>,
    /// How multiple JSON documents are delimited within one file, e.g. `new_line`, `array`
    /// (azure, s3, sftp: only for format = json; custom).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<String>,
    /// The server endpoint for S3-compatible servers (s3, custom).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "uri"))]
    pub endpoint_url: Option<String>,
    /// Format of the files or messages, e.g. `parquet`, `delta`, `json`, `csv`, `avro`,
    /// `protobuf` (kafka: default `json`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// Host name or IP address (kafka: the bootstrap server).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// A URL to the data: the API url (api), the Azure Blob Storage or ADLS path (azure), the S3 path
    /// (glue, s3), the SFTP URL starting with `sftp://` (sftp); globs allowed where files are read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "uri"))]
    pub location: Option<String>,
    /// Relative or absolute path to the data file(s) (local, custom).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Port of the server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<i64>,
    /// The GCP project name (bigquery, pubsub; custom).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    /// Cloud region (kinesis, redshift: the AWS region; custom).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The region the AWS account uses (athena; custom).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region_name: Option<String>,
    /// Name of the schema in the database.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Name of the service (oracle; custom).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    /// Where query results and metadata are stored: an S3 URL for athena; custom.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staging_dir: Option<String>,
    /// Name of the data stream (custom).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream: Option<String>,
    /// Name of the cluster or virtual warehouse (snowflake; custom).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warehouse: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Schema: objects and properties
// ---------------------------------------------------------------------------------------------

/// The logical type of a schema object: always `object`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ObjectLogicalType {
    Object,
}

/// The logical data type of a property.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LogicalType {
    String,
    Date,
    Timestamp,
    Time,
    Number,
    Integer,
    Object,
    Array,
    Boolean,
}

/// An element of the schema: a table, a view, a topic, a file...
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SchemaObject {
    /// Stable technical identifier, unique within its list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = STABLE_ID))]
    pub id: Option<String>,
    /// Name of the element.
    pub name: String,
    /// The business name of the element.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_name: Option<String>,
    /// Description of the element.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The logical element data type: `object`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logical_type: Option<ObjectLogicalType>,
    /// The physical element data type in the data source, e.g. `table`, `view`, `topic`, `file`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub physical_type: Option<String>,
    /// Physical name, e.g. `table_1_2_0`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub physical_name: Option<String>,
    /// Granular level of the data in the object, e.g. `Aggregation by country`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_granularity_description: Option<String>,
    /// The properties (columns, fields) of the object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub properties: Option<Vec<SchemaProperty>>,
    /// Relationships to other properties, each with `from` and `to`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relationships: Option<Vec<SchemaRelationship>>,
    /// Data quality rules on the object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality: Option<Vec<QualityRule>>,
    /// Links to sources that provide more details on the element.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authoritative_definitions: Option<Vec<AuthoritativeDefinition>>,
    /// Tags to categorize the element, such as `finance` or `sensitive`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_properties: Option<Vec<CustomProperty>>,
}

/// Defines a struct with every field of an ODCS property (`SchemaBaseProperty`): a named property
/// and the unnamed `items` of an array differ only in whether `name` is required.
macro_rules! schema_property {
    ($(#[$meta:meta])* $ty:ident, $(#[$name_meta:meta])* name: $name_ty:ty) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        pub struct $ty {
            /// Stable technical identifier, unique within its list.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            #[schemars(regex(pattern = STABLE_ID))]
            pub id: Option<String>,
            $(#[$name_meta])*
            pub name: $name_ty,
            /// The business name of the element.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub business_name: Option<String>,
            /// Description of the element.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub description: Option<String>,
            /// The logical element data type.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub logical_type: Option<LogicalType>,
            /// Additional metadata on the logical type; which keys apply depends on `logicalType`.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub logical_type_options: Option<LogicalTypeOptions>,
            /// The physical element data type in the data source, e.g. `VARCHAR(2)`, `DOUBLE`, `INT`.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub physical_type: Option<String>,
            /// Physical name, e.g. `col_str_a`.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub physical_name: Option<String>,
            /// Whether the element is part of the primary key. Default false.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub primary_key: Option<bool>,
            /// Position of the element in the primary key, starting from 1. Default -1.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub primary_key_position: Option<i64>,
            /// Whether the element must be present (not null). Default false.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub required: Option<bool>,
            /// Whether the element contains unique values. Default false.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub unique: Option<bool>,
            /// Whether the element is used for partitioning. Default false.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub partitioned: Option<bool>,
            /// Position of the element among the partition keys, starting from 1. Default -1.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub partition_key_position: Option<i64>,
            /// Data classification, e.g. `confidential`, `restricted`, `public`, or a level 1-5.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub classification: Option<String>,
            /// Name of the element holding the encrypted value, e.g. `email_address_encrypt`.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub encrypted_name: Option<String>,
            /// Objects in the data source used in the transformation.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub transform_source_objects: Option<Vec<String>>,
            /// Logic used in the element transformation.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub transform_logic: Option<String>,
            /// Describes the transform logic in very simple terms.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub transform_description: Option<String>,
            /// Sample values of the element: any JSON values.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub examples: Option<Vec<Value>>,
            /// Whether the element is a critical data element (CDE). Default false.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub critical_data_element: Option<bool>,
            /// Relationships to other properties; `from` is this property and is not written.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub relationships: Option<Vec<PropertyRelationship>>,
            /// Data quality rules on the element.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub quality: Option<Vec<QualityRule>>,
            /// The properties of an object (only when `logicalType` is `object`).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub properties: Option<Vec<SchemaProperty>>,
            /// The items of an array (only when `logicalType` is `array`).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub items: Option<Box<SchemaItems>>,
            /// Links to sources that provide more details on the element.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub authoritative_definitions: Option<Vec<AuthoritativeDefinition>>,
            /// Tags to categorize the element, such as `finance` or `sensitive`.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub tags: Option<Vec<String>>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub custom_properties: Option<Vec<CustomProperty>>,
        }
    };
}

schema_property!(
    /// A property of a schema object or of a nested object: a column, a field.
    SchemaProperty,
    /// Name of the element.
    name: String
);

schema_property!(
    /// The items of an array property: a property whose name is optional.
    SchemaItems,
    /// Name of the element.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>
);

/// A bound in `logicalTypeOptions`: a number (integer, number) or a string (date, timestamp, time).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Bound {
    Number(Number),
    Text(String),
}

/// Metadata on a logical type. Every key any logical type allows; which ones apply is set by
/// `logicalType` (string: `minLength`, `maxLength`, `pattern`, `format`; date: `format` and the
/// bounds as strings; timestamp, time: those and `timezone`, `defaultTimezone`; integer, number:
/// `multipleOf`, the bounds as numbers and `format`; object: `maxProperties`, `minProperties`,
/// `required`; array: `maxItems`, `minItems`, `uniqueItems`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LogicalTypeOptions {
    /// Format: for a string what it follows (`email`, `uuid`, `uri`, `ipv4`...); for a date, timestamp
    /// or time a JDK DateTimeFormatter pattern (`yyyy-MM-dd`); for an integer `i8`...`i128`,
    /// `u8`...`u128` (default `i32`); for a number `f32` or `f64`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// Minimum length of the string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u64>,
    /// Maximum length of the string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u64>,
    /// Regular expression (ECMA-262) valid string values match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// All values are greater than or equal to this value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<Bound>,
    /// All values are strictly greater than this value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclusive_minimum: Option<Bound>,
    /// All values are less than or equal to this value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum: Option<Bound>,
    /// All values are strictly less than this value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclusive_maximum: Option<Bound>,
    /// Whether the timestamp or time carries its timezone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<bool>,
    /// The timezone assumed when none is given; default `Etc/UTC`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_timezone: Option<String>,
    /// Values must be multiples of this number (greater than 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multiple_of: Option<Number>,
    /// Maximum number of properties of the object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_properties: Option<u64>,
    /// Minimum number of properties of the object; default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_properties: Option<u64>,
    /// Property names that must exist in the object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1), extend("uniqueItems" = true))]
    pub required: Option<Vec<String>>,
    /// Maximum number of items in the array.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<u64>,
    /// Minimum number of items in the array; default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_items: Option<u64>,
    /// Whether all items of the array are unique; default false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unique_items: Option<bool>,
}

// ---------------------------------------------------------------------------------------------
// Relationships
// ---------------------------------------------------------------------------------------------

/// The type of a relationship: `foreignKey`, the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub enum RelationshipType {
    #[default]
    #[serde(rename = "foreignKey")]
    ForeignKey,
}

/// One end of a relationship: one property, or several for a composite key. Each reference is in
/// shorthand notation (`table.column`) or fully qualified by ids (`schema/obj_id/properties/prop_id`,
/// optionally prefixed by an external `file.yaml#`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum PropertyReference {
    Single(#[schemars(regex(pattern = PROPERTY_REFERENCE))] String),
    Composite(#[schemars(length(min = 1), inner(regex(pattern = PROPERTY_REFERENCE)))] Vec<String>),
}

/// A relationship declared on a schema object: both ends are given, both single or both composite.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SchemaRelationship {
    /// The type of relationship; `foreignKey` when absent.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<RelationshipType>,
    /// Source property or properties.
    pub from: PropertyReference,
    /// Target property or properties.
    pub to: PropertyReference,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_properties: Option<Vec<CustomProperty>>,
}

/// A relationship declared on a property, which is its implicit source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PropertyRelationship {
    /// The type of relationship; `foreignKey` when absent.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<RelationshipType>,
    /// Must not be given: the source is the property the relationship is declared on. Read only so
    /// that a check can report it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<PropertyReference>,
    /// Target property or properties.
    pub to: PropertyReference,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_properties: Option<Vec<CustomProperty>>,
}

// ---------------------------------------------------------------------------------------------
// Data quality
// ---------------------------------------------------------------------------------------------

/// The type of a quality rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum QualityType {
    /// Human-readable text describing the quality of the data.
    Text,
    /// A predefined metric, such as row count or null values.
    #[default]
    Library,
    /// A SQL query returning a value that is compared.
    Sql,
    /// A vendor-specific check, such as Soda or Great Expectations.
    Custom,
}

/// The data quality dimension (KPI) a rule measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum QualityDimension {
    Accuracy,
    Completeness,
    Conformity,
    Consistency,
    Coverage,
    Timeliness,
    Uniqueness,
}

/// A predefined metric of a `library` rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum QualityMetric {
    NullValues,
    MissingValues,
    InvalidValues,
    DuplicateValues,
    RowCount,
}

/// The implementation of a `custom` rule: text in the engine's language, or an object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Implementation {
    Text(String),
    Object(Map<String, Value>),
}

/// A data quality rule with what it takes to set it up and run it. The fields a rule needs depend on
/// its `type`: `library` (the default) needs `metric`, `sql` needs `query`, `custom` needs `engine`
/// and `implementation`; `library` and `sql` rules take exactly one comparison operator (`mustBe`...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct QualityRule {
    /// Stable technical identifier, unique within its list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = STABLE_ID))]
    pub id: Option<String>,
    /// Name of the data quality check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Describes the quality check to be completed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The type of quality check; `library` when absent.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<QualityType>,
    /// The key performance indicator (KPI) or dimension for data quality.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dimension: Option<QualityDimension>,
    /// A predefined metric (`library` rules).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<QualityMetric>,
    /// Deprecated: use `metric` instead (`library` rules).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("deprecated" = true))]
    pub rule: Option<String>,
    /// Additional arguments for the metric, e.g. `validValues` (`library` rules).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arguments: Option<Map<String, Value>>,
    /// Query in the dialect of the server, e.g.
    /// `SELECT COUNT(*) FROM ${table} WHERE ${column} IS NOT NULL` (`sql` rules).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// Name of the engine running the check, e.g. `soda`, `great-expectations`, `monte-carlo`,
    /// `dbt` (`custom` rules).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine: Option<String>,
    /// The check in the engine's own terms (`custom` rules).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub implementation: Option<Implementation>,
    /// Must be equal to the value (`=` for numbers).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub must_be: Option<Value>,
    /// Must not be equal to the value (`!=` for numbers).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub must_not_be: Option<Value>,
    /// Must be greater than the value (`>`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub must_be_greater_than: Option<Number>,
    /// Must be greater than or equal to the value (`>=`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub must_be_greater_or_equal_to: Option<Number>,
    /// Must be less than the value (`<`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub must_be_less_than: Option<Number>,
    /// Must be less than or equal to the value (`<=`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub must_be_less_or_equal_to: Option<Number>,
    /// Must be between the two numbers, smallest first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 2, max = 2), extend("uniqueItems" = true))]
    pub must_be_between: Option<Vec<Number>>,
    /// Must not be between the two numbers, smallest first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 2, max = 2), extend("uniqueItems" = true))]
    pub must_not_be_between: Option<Vec<Number>>,
    /// Unit the rule uses, e.g. `rows` or `percent`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Method of the check, e.g. `reconciliation`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Severity of a failure, e.g. `info`, `warning`, `error`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    /// Consequences of a failure, e.g. `operational`, `regulatory`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_impact: Option<String>,
    /// Name or type of the scheduler starting the check, e.g. `cron`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduler: Option<String>,
    /// Schedule in the scheduler's terms, e.g. `0 20 * * *`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authoritative_definitions: Option<Vec<AuthoritativeDefinition>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// Additional properties required for rule execution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_properties: Option<Vec<CustomProperty>>,
}

impl QualityRule {
    /// The document names of the comparison operators the rule sets; a valid rule sets at most one.
    pub fn operators(&self) -> Vec<&'static str> {
        [
            ("mustBe", self.must_be.is_some()),
            ("mustNotBe", self.must_not_be.is_some()),
            ("mustBeGreaterThan", self.must_be_greater_than.is_some()),
            (
                "mustBeGreaterOrEqualTo",
                self.must_be_greater_or_equal_to.is_some(),
            ),
            ("mustBeLessThan", self.must_be_less_than.is_some()),
            ("mustBeLessOrEqualTo", self.must_be_less_or_equal_to.is_some()),
            ("mustBeBetween", self.must_be_between.is_some()),
            ("mustNotBeBetween", self.must_not_be_between.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, set)| set.then_some(name))
        .collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Support, price, team, roles, SLA
// ---------------------------------------------------------------------------------------------

/// A support or communication channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SupportChannel {
    /// Stable technical identifier, unique within its list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = STABLE_ID))]
    pub id: Option<String>,
    /// Channel name or identifier.
    pub channel: String,
    /// Access URL (https, mailto, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Description of the channel, free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Name of the tool: `email`, `slack`, `teams`, `discord`, `ticket`, `googlechat` or `other`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool: Option<String>,
    /// Scope: `interactive`, `announcements`, `issues` or `notifications`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// URL for requesting access or subscribing, for tools that use one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invitation_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_properties: Option<Vec<CustomProperty>>,
}

/// The price of the data.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Pricing {
    /// Stable technical identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = STABLE_ID))]
    pub id: Option<String>,
    /// Subscription price per unit of measure in `priceUnit`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_amount: Option<Number>,
    /// Currency of the subscription price, e.g. `USD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_currency: Option<String>,
    /// The unit of measure for calculating cost, e.g. `megabyte`, `gigabyte`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_unit: Option<String>,
}

/// The team of a contract: the object of v3.1, or the list of members of v3.0 and earlier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum ContractTeam {
    /// Team information with its members (v3.1.0+).
    Team(Team),
    /// Deprecated: the list of members of v3.0.2 and earlier, to be removed in ODCS 4.0.
    Members(Vec<TeamMember>),
}

impl ContractTeam {
    /// The members, whichever shape the team has.
    pub fn members(&self) -> &[TeamMember] {
        match self {
            ContractTeam::Team(team) => team.members.as_deref().unwrap_or_default(),
            ContractTeam::Members(members) => members,
        }
    }
}

/// The team owning the contract.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(rename = "ContractTeamObject")]
pub struct Team {
    /// Stable technical identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = STABLE_ID))]
    pub id: Option<String>,
    /// Team name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Team description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Members of the team.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members: Option<Vec<TeamMember>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_properties: Option<Vec<CustomProperty>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authoritative_definitions: Option<Vec<AuthoritativeDefinition>>,
}

/// A member of the team, with their role.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(rename = "ContractTeamMember")]
pub struct TeamMember {
    /// Stable technical identifier, unique within its list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = STABLE_ID))]
    pub id: Option<String>,
    /// The user's username or email.
    pub username: String,
    /// The user's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The user's description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The user's job role, e.g. `owner`, `data steward`; there is no fixed list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The date the user joined the team.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub date_in: Option<String>,
    /// The date the user left the team.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub date_out: Option<String>,
    /// The username of the user who replaced this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaced_by_username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_properties: Option<Vec<CustomProperty>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authoritative_definitions: Option<Vec<AuthoritativeDefinition>>,
}

/// An IAM role that gives access to the dataset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Role {
    /// Stable technical identifier, unique within its list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = STABLE_ID))]
    pub id: Option<String>,
    /// Name of the IAM role.
    pub role: String,
    /// Description of the role and its permissions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The type of access the role provides, e.g. `read`, `write`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access: Option<String>,
    /// The name(s) of the first-level approver(s) of the role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_level_approvers: Option<String>,
    /// The name(s) of the second-level approver(s) of the role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub second_level_approvers: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_properties: Option<Vec<CustomProperty>>,
}

/// A service-level agreement property, such as latency, retention or frequency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SlaProperty {
    /// Stable technical identifier, unique within its list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = STABLE_ID))]
    pub id: Option<String>,
    /// The SLA property, e.g. `latency`, `retention`, `frequency`, `generalAvailability`.
    pub property: String,
    /// Agreement value: a string, a number, a boolean or `null`.
    pub value: Value,
    /// Extended agreement value: a string, a number, a boolean or `null`.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub value_ext: Option<Value>,
    /// Unit of the value, ISO style: `d`, `day`, `days`; `y`, `yr`, `years`...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Element(s) to check on, in element path notation, separated by commas if several.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub element: Option<String>,
    /// Why the SLA matters: `regulatory`, `analytics` or `operational`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub driver: Option<String>,
    /// Description of the SLA for humans.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Name of the scheduler, e.g. `cron`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduler: Option<String>,
    /// Configuration of the scheduler, e.g. `0 20 * * *` for cron.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<String>,
}
