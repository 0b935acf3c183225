//! A data product as the Open Data Product Standard (ODPS) v1.0 defines it, every field.
//!
//! Optional fields are `Option` and skipped when absent, so reading then writing a document gives
//! back the same tree: an empty list stays an empty list, a missing one stays missing.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The ODPS version a document is written against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub enum OdpsApiVersion {
    #[serde(rename = "v0.9.0")]
    V0_9_0,
    #[default]
    #[serde(rename = "v1.0.0")]
    V1_0_0,
}

/// The only kind an ODPS document has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub enum DataProductKind {
    #[default]
    DataProduct,
}

/// Where a data product is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ProductStatus {
    Proposed,
    Draft,
    Active,
    Deprecated,
    Retired,
}

impl ProductStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ProductStatus::Proposed => "proposed",
            ProductStatus::Draft => "draft",
            ProductStatus::Active => "active",
            ProductStatus::Deprecated => "deprecated",
            ProductStatus::Retired => "retired",
        }
    }
}

/// Open Data Product Standard (ODPS) v1.0: a data product descriptor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(title = "Data product (ODPS v1.0)")]
pub struct DataProduct {
    /// Version of the standard used to build the data product.
    pub api_version: OdpsApiVersion,
    /// The kind of document: always `DataProduct`.
    pub kind: DataProductKind,
    /// A unique identifier: a UUID.
    #[schemars(extend("format" = "uuid"))]
    pub id: String,
    /// Name of the data product.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"\S"))]
    pub name: Option<String>,
    /// Current version of the data product, in semantic versioning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Current status of the data product.
    pub status: ProductStatus,
    /// Business domain that owns the product.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// Organization identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    /// Links to sources that provide more details on the data product.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authoritative_definitions: Option<Vec<AuthoritativeDefinition>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Description>,
    /// Key/value pairs for custom properties.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_properties: Option<Vec<CustomProperty>>,
    /// Tags to categorize the product, such as `finance` or `sensitive`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// Where the product gets its data: one port per upstream contract and version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_ports: Option<Vec<InputPort>>,
    /// What the product promises: one port per name and version, each with its data contract.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_ports: Option<Vec<OutputPort>>,
    /// Access points for managing the data product.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub management_ports: Option<Vec<ManagementPort>>,
    /// Support and communication channels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub support: Option<Vec<Support>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<Team>,
    /// When the product was created, ISO 8601 in UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date-time"))]
    pub product_created_ts: Option<String>,
}

/// What the product is for, what it must not be used for, and how to use it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Description {
    /// Intended purpose for the provided data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    /// Technical, compliance, and legal limitations for data use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limitations: Option<String>,
    /// Recommended usage of the data.
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
pub struct CustomProperty {
    /// The name of the key, in camel case.
    pub property: String,
    /// The value of the key: any JSON value.
    pub value: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A type/link pair pointing at an authority, such as a business definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AuthoritativeDefinition {
    /// Type of definition, e.g. `businessDefinition`, `tutorial`, `implementation`.
    #[serde(rename = "type")]
    pub kind: String,
    #[schemars(extend("format" = "uri"))]
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// An input port: the expectation on one upstream contract version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InputPort {
    pub name: String,
    pub version: String,
    pub contract_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_properties: Option<Vec<CustomProperty>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authoritative_definitions: Option<Vec<AuthoritativeDefinition>>,
}

/// An output port: a promise, keyed by name and version, usually backed by a data contract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OutputPort {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The kind of port, e.g. `tables`, `topic`, `api`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    pub version: String,
    /// Id of the ODCS data contract this port serves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sbom: Option<Vec<Sbom>>,
    /// Contracts this port depends on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_contracts: Option<Vec<InputContract>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_properties: Option<Vec<CustomProperty>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authoritative_definitions: Option<Vec<AuthoritativeDefinition>>,
}

/// A software bill of materials for an output port version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Sbom {
    /// Type of SBOM; `external` when absent.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[schemars(extend("format" = "uri"))]
    pub url: String,
}

/// A contract an output port depends on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InputContract {
    pub id: String,
    pub version: String,
}

/// An access point for managing the product: discoverability, observability, control, dictionary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ManagementPort {
    pub name: String,
    /// Content type, e.g. `discoverability`, `observability`, `control`, `dictionary`.
    pub content: String,
    /// `rest` (the default) or `topic`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "uri"))]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_properties: Option<Vec<CustomProperty>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authoritative_definitions: Option<Vec<AuthoritativeDefinition>>,
}

/// A support or communication channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Support {
    pub channel: String,
    #[schemars(extend("format" = "uri"))]
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// e.g. `email`, `slack`, `teams`, `discord`, `ticket`, `other`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool: Option<String>,
    /// `interactive`, `announcements` or `issues`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "uri"))]
    pub invitation_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_properties: Option<Vec<CustomProperty>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authoritative_definitions: Option<Vec<AuthoritativeDefinition>>,
}

/// The team that owns the product.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Team {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members: Option<Vec<TeamMember>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_properties: Option<Vec<CustomProperty>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authoritative_definitions: Option<Vec<AuthoritativeDefinition>>,
}

/// A member of the owning team, with their role (`owner`, `data steward`, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TeamMember {
    /// The user's username or email.
    pub username: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The user's role, e.g. `owner` or `data steward`; there is no fixed list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub date_in: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub date_out: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaced_by_username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_properties: Option<Vec<CustomProperty>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authoritative_definitions: Option<Vec<AuthoritativeDefinition>>,
}

impl DataProduct {
    /// A new draft product with only the required fields set.
    pub fn draft(id: impl Into<String>, name: impl Into<String>) -> Self {
        DataProduct {
            api_version: OdpsApiVersion::V1_0_0,
            kind: DataProductKind::DataProduct,
            id: id.into(),
            name: Some(name.into()),
            version: None,
            status: ProductStatus::Draft,
            domain: None,
            tenant: None,
            authoritative_definitions: None,
            description: None,
            custom_properties: None,
            tags: None,
            input_ports: None,
            output_ports: None,
            management_ports: None,
            support: None,
            team: None,
            product_created_ts: None,
        }
    }
}

/// What saving a document did: stored it, or refused it with the findings that say why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SaveOutcome {
    /// Whether the document was written. It is written only when no finding is an error.
    pub saved: bool,
    pub findings: Vec<crate::Finding>,
}

/// One line of the catalog list: what a person scans before opening a product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProductSummary {
    pub id: String,
    pub name: String,
    pub version: Option<String>,
    pub status: String,
    pub domain: Option<String>,
    /// The product's stated purpose.
    pub purpose: Option<String>,
    /// How many output ports the product has.
    pub output_ports: u32,
    /// When the catalog last wrote the product, RFC 3339 in UTC.
    pub updated_at: String,
}
