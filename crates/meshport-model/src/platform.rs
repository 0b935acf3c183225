//! The platform API's own nouns: what `meshport-platform` answers and what `meshport-client` reads.
//!
//! Documents (products, contracts, provisioning requests) are the standards' types; these are the
//! envelopes around them: jobs and their step logs, the change feed, policy packs as the platform
//! publishes them, the audit log, and RFC 9457 problems. Times are RFC 3339 strings in UTC.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::Finding;

/// `GET /v1/health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Health {
    /// `ok` when the platform answers and its database does.
    pub status: String,
    /// The platform's version.
    pub version: String,
    /// `sqlite` or `postgres`.
    pub database: String,
}

/// An RFC 9457 problem: every error the platform answers, as `application/problem+json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    /// A stable URI per kind of error, `urn:meshport:problem:<slug>`: clients branch on it.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind of error; the same for every occurrence of one `type`.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong this time, and how to fix it.
    pub detail: String,
    /// The request path the problem arose on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// The id of the request (header `X-Request-Id`), to find it in logs and the audit log.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// The findings that refused a document (`validation-failed`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Finding>,
    /// The state a resource is in when a transition it does not allow was asked (`invalid-state`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_state: Option<String>,
}

impl Problem {
    /// The `type` URI of a problem slug, e.g. `validation-failed`.
    pub fn type_uri(slug: &str) -> String {
        format!("urn:meshport:problem:{slug}")
    }

    /// The slug of this problem's `type`, e.g. `validation-failed`; the whole `type` if it is not one
    /// of Meshport's.
    pub fn slug(&self) -> &str {
        self.kind
            .strip_prefix("urn:meshport:problem:")
            .unwrap_or(&self.kind)
    }
}

/// What a job does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum JobKind {
    /// Build the product's output ports and register it in the catalog.
    Provision,
    /// Destroy what provisioning created and remove the product from the catalog.
    Unprovision,
}

/// Where a job is: `queued → running → succeeded | failed`, `cancelled` from queued or running.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum JobState {
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

impl JobState {
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Succeeded => "succeeded",
            JobState::Failed => "failed",
            JobState::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<JobState> {
        Some(match text {
            "queued" => JobState::Queued,
            "running" => JobState::Running,
            "succeeded" => JobState::Succeeded,
            "failed" => JobState::Failed,
            "cancelled" => JobState::Cancelled,
            _ => return None,
        })
    }

    /// Whether the job has finished: it will not change any more (until a retry, for `failed`).
    pub fn is_finished(self) -> bool {
        matches!(self, JobState::Succeeded | JobState::Failed | JobState::Cancelled)
    }
}

impl std::fmt::Display for JobState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where one step of a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum StepStatus {
    Pending,
    Running,
    Succeeded,
    Failed,
    /// Not run: the job was cancelled or failed before it.
    Skipped,
}

impl StepStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            StepStatus::Pending => "pending",
            StepStatus::Running => "running",
            StepStatus::Succeeded => "succeeded",
            StepStatus::Failed => "failed",
            StepStatus::Skipped => "skipped",
        }
    }
}

/// One step of a job's log: `validate`, `plan`, `port:<name>` per output port, `register`, `publish`
/// (provisioning); `destroy:<name>` per port and `deregister` (unprovisioning).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct JobStep {
    pub name: String,
    pub status: StepStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<String>,
    /// What the step did or why it failed, in order.
    #[serde(default)]
    pub messages: Vec<String>,
}

/// A provisioning request as the platform runs it: `GET /v1/provisioning-requests/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProvisioningJob {
    /// The request's id, e.g. `pr_0b1c…`.
    pub id: String,
    pub kind: JobKind,
    pub product_id: String,
    pub product_name: String,
    pub domain: String,
    pub state: JobState,
    /// The user who submitted it.
    pub submitted_by: String,
    pub created_at: String,
    pub updated_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<String>,
    /// 1 for the first run, one more for each retry.
    pub attempt: u32,
    /// A cancel was asked while the job ran; it stops at the next step.
    pub cancel_requested: bool,
    pub steps: Vec<JobStep>,
    /// Warnings and infos of the checks that accepted the request.
    #[serde(default)]
    pub findings: Vec<Finding>,
    /// Why the job failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A role a user holds in a domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DomainRole {
    /// `owner` (submits and unprovisions the domain's products), `steward`, `consumer` or `admin`.
    pub role: String,
    /// The domain, or `*` for every domain.
    pub domain: String,
}

/// Who the caller is and the roles they hold: `GET /v1/me`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UserRoles {
    pub user: String,
    pub roles: Vec<DomainRole>,
}

impl UserRoles {
    /// The domains the user may own products in, sorted, each once (`*`: every domain).
    pub fn owned_domains(&self) -> Vec<String> {
        let mut domains: Vec<String> = self
            .roles
            .iter()
            .filter(|r| r.role == "owner")
            .map(|r| r.domain.clone())
            .collect();
        domains.sort();
        domains.dedup();
        domains
    }
}

/// One product in a list: `GET /v1/products`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProductEntry {
    pub id: String,
    pub name: String,
    pub domain: String,
    pub status: String,
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub updated_at: String,
}

/// A page of a list, with the cursor of the next page (`cursor=`), absent on the last page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(rename = "{T}Page")]
pub struct Page<T> {
    pub items: Vec<T>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// A version of a product the platform has registered: `GET /v1/products/{id}/versions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProductVersion {
    pub version: String,
    pub registered_at: String,
    /// The provisioning request that registered it; absent for imported products.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// The ODPS document of this version.
    pub product: Value,
}

/// What a change is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeEntity {
    Product,
    Contract,
    PolicyPack,
    /// A product's quality summary (`QualitySummary`), after each run; id the product's.
    Quality,
    /// A quality incident (`Incident`).
    Incident,
    /// An access request (`AccessRequest`).
    AccessRequest,
}

impl ChangeEntity {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeEntity::Product => "product",
            ChangeEntity::Contract => "contract",
            ChangeEntity::PolicyPack => "policy-pack",
            ChangeEntity::Quality => "quality",
            ChangeEntity::Incident => "incident",
            ChangeEntity::AccessRequest => "access-request",
        }
    }

    pub fn parse(text: &str) -> Option<ChangeEntity> {
        Some(match text {
            "product" => ChangeEntity::Product,
            "contract" => ChangeEntity::Contract,
            "policy-pack" => ChangeEntity::PolicyPack,
            "quality" => ChangeEntity::Quality,
            "incident" => ChangeEntity::Incident,
            "access-request" => ChangeEntity::AccessRequest,
            _ => return None,
        })
    }
}

/// One entry of the change feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Change {
    /// Strictly increasing; a reader continues with `after=<seq of the last change read>`.
    pub seq: i64,
    pub at: String,
    pub entity: ChangeEntity,
    /// The product's or contract's id, the pack's name, the product's id (quality), the incident's or
    /// the access request's id.
    pub id: String,
    /// `true` for a tombstone: the entity is gone and `document` is absent. Also `true` for an earlier
    /// change of a product or a contract removed since (its tombstone follows in the feed).
    pub deleted: bool,
    /// The entity as it is after the change: an ODPS product, an ODCS contract, a `PolicyPack`, a
    /// `QualitySummary`, an `Incident` or an `AccessRequest`. A product or a contract is read from the
    /// catalog as it is now, as in a compacted log: an earlier change carries the newest document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<Value>,
}

/// `GET /v1/changes?after=SEQ&limit=N`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChangePage {
    pub changes: Vec<Change>,
    /// The cursor to ask for next: the last change's `seq`, or `after` when there was none.
    pub next: i64,
    /// Whether more changes follow `next` right now.
    pub has_more: bool,
}

/// How strictly a pack's rule is enforced: `required` → error, `recommended` → warning,
/// `optional` → info.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Enforcement {
    Required,
    Recommended,
    Optional,
}

/// A policy pack as the platform publishes it: its manifest and its Rego files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PolicyPack {
    pub name: String,
    /// Semantic version; every publication must raise it.
    pub version: String,
    /// `global`, or `domain:<name>` for a domain's own pack.
    pub scope: String,
    /// The document kinds the pack checks; all when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kinds: Vec<String>,
    /// Enforcement per rule name; a rule not listed is `required`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub rules: BTreeMap<String, Enforcement>,
    /// File name (`*.rego`) → Rego source.
    pub files: BTreeMap<String, String>,
    /// Who published this version (set by the platform; ignored on `PUT`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_by: Option<String>,
    /// When this version was published (set by the platform; ignored on `PUT`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_at: Option<String>,
}

/// One entry of the append-only audit log: `GET /v1/audit`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AuditEntry {
    /// Time-ordered (UUID v7): pages follow it.
    pub id: String,
    pub at: String,
    /// The user who asked.
    pub actor: String,
    /// What was asked, e.g. `provisioning-request.submit`, `policy-pack.publish`.
    pub action: String,
    /// What it was asked of, e.g. a request id, a product id, a pack name.
    pub target: String,
    pub request_id: String,
    /// `accepted`, `succeeded`, `refused`, `forbidden`, `failed`.
    pub outcome: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}
