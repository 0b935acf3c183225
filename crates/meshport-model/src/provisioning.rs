//! A provisioning request: what a domain team files to get a data product built on the platform.
//!
//! It bundles the product (ODPS), the contracts of its output ports (ODCS) and the infrastructure
//! the platform must provision: storage, processing, orchestration, quality, discovery and security,
//! the sections of the self-serve infrastructure request in the data mesh literature Meshport
//! started from.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{DataContract, DataProduct};

/// The version of the provisioning request format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub enum ProvisioningApiVersion {
    #[default]
    #[serde(rename = "meshport/v1")]
    MeshportV1,
}

/// The only kind a provisioning request has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub enum ProvisioningRequestKind {
    #[default]
    ProvisioningRequest,
}

/// A request to provision a data product: the product, its contracts and its infrastructure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(title = "Provisioning request")]
pub struct ProvisioningRequest {
    /// Version of the request format: `meshport/v1`.
    pub api_version: ProvisioningApiVersion,
    /// The kind of document: always `ProvisioningRequest`.
    pub kind: ProvisioningRequestKind,
    /// The data product to provision (ODPS v1.0).
    pub product: DataProduct,
    /// The data contracts (ODCS v3.1) of the product's output ports.
    pub contracts: Vec<DataContract>,
    /// The infrastructure the platform provisions for the product.
    pub infrastructure: InfrastructureSpec,
}

/// The infrastructure of a data product, section by section; a section left out is not provisioned.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InfrastructureSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage: Option<StorageSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processing: Option<ProcessingSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub orchestration: Option<OrchestrationSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality: Option<QualitySpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discovery: Option<DiscoverySpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security: Option<SecuritySpec>,
}

/// Where and how the product's data is stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StorageSpec {
    /// Kind of storage, e.g. `data-lake`, `data-warehouse`, `object-store`, `database`, `stream`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Data format, e.g. `delta-lake`, `iceberg`, `parquet`, `avro`, `json`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// Where the data lives, e.g. `s3://company-datalake/marketing/`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// How long data is kept, e.g. `90 days`, `7 years`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention: Option<String>,
    /// Encryption of the stored data, e.g. `AES-256`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption: Option<String>,
}

/// The compute that builds the product.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProcessingSpec {
    /// Processing engine, e.g. `spark`, `flink`, `dbt`.
    pub engine: String,
    /// Version of the engine, e.g. `3.4`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Whether the cluster scales between `minWorkers` and `maxWorkers`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_scaling: Option<bool>,
    /// Fewest workers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_workers: Option<u32>,
    /// Most workers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_workers: Option<u32>,
}

/// How and when the product's pipelines run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OrchestrationSpec {
    /// Orchestration tool, e.g. `airflow`, `dagster`, `prefect`.
    pub tool: String,
    /// When the pipeline runs: a cron expression, e.g. `0 */6 * * *` (every 6 hours).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<String>,
    /// How long a run may take before it is stopped, e.g. `4 hours`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<String>,
}

/// The quality checks the platform runs on every build.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct QualitySpec {
    /// Quality framework, e.g. `great-expectations`, `soda`, `dbt`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub framework: Option<String>,
    pub checks: Vec<QualityCheck>,
}

/// One quality check and the threshold it must meet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct QualityCheck {
    /// Name of the check, e.g. `row_count`, `null_percentage`, `freshness`.
    pub name: String,
    /// Kind of check when the name does not say it, e.g. `volume`, `completeness`, `freshness`,
    /// `uniqueness`, `validity`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Column the check applies to; absent for checks on the whole dataset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// The condition the measure must meet, e.g. `> 1000`, `< 1%`, `< 24 hours`.
    pub threshold: String,
}

/// How the product is made discoverable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DiscoverySpec {
    /// Data catalog the product is registered in, e.g. `amundsen`, `datahub`, `collibra`.
    pub catalog: String,
    /// Whether the output schemas are published to the catalog.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publish_schema: Option<bool>,
    /// Whether documentation is generated from the product and its contracts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generate_docs: Option<bool>,
}

/// How access to the product is controlled and audited.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SecuritySpec {
    /// Access control model, e.g. `rbac`, `abac`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_control: Option<String>,
    /// Whether data is encrypted at rest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption_at_rest: Option<bool>,
    /// Whether access is written to an audit log.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_logging: Option<bool>,
}
