//! The nouns of working offline: a search of the synced cache, the sync's status, the drafts a user
//! writes and the outbox that delivers their submissions when the platform is reachable.
//!
//! The desktop window receives exactly these shapes; the CLI prints them with `--format json`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::Finding;

/// A search: text (prefix-matched as typed) and filters that combine.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct SearchQuery {
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Only products with (true) or without (false) an open quality incident.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open_incident: Option<bool>,
    /// How many hits to return (the total counts them all); 0 means the default, 50.
    pub limit: u32,
}

/// One product found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SearchHit {
    pub id: String,
    pub name: String,
    pub domain: String,
    pub status: String,
    pub version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    pub tags: Vec<String>,
    /// bm25: lower is better; 0 without text.
    pub rank: f64,
}

/// A value of a facet and how many of the results have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// Facet counts over the results (with every filter applied).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Facets {
    pub domain: Vec<FacetCount>,
    pub status: Vec<FacetCount>,
    pub tag: Vec<FacetCount>,
    pub owner: Vec<FacetCount>,
    /// Values `true` and `false`.
    pub open_incident: Vec<FacetCount>,
}

/// What a search found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SearchResult {
    /// How many products match, beyond the `limit` shown.
    pub total: u64,
    pub hits: Vec<SearchHit>,
    pub facets: Facets,
}

/// What the background sync is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum SyncPhase {
    /// Not syncing; the cache is as of `lastSuccessAt`.
    Idle,
    Syncing,
    /// The platform could not be reached: the cache is served as it is.
    Offline,
    /// The platform answered with an error (a refused token, a broken page).
    Failed,
}

/// The sync status of the active profile's cache.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SyncStatus {
    pub phase: SyncPhase,
    /// The active profile's name.
    pub profile: String,
    /// Its platform's address.
    pub platform: String,
    /// When the cache was last brought up to date (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_success_at: Option<String>,
    /// Pages and changes applied by the sync under way (or the last one).
    pub pages: u64,
    pub changes: u64,
    /// Products in the cache.
    pub products: u64,
    /// Why the last sync did not finish.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// A product being written, saved locally as it is typed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Draft {
    pub id: String,
    /// The document as typed so far: any JSON, valid or not.
    pub document: Value,
    /// The wizard's step it was left at; absent for the product form's drafts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
    /// When it was last saved (RFC 3339).
    pub updated_at: String,
}

/// A line of the draft list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DraftSummary {
    pub id: String,
    /// The document's `name`, or empty.
    pub name: String,
    /// The document's `id`, when one is typed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_id: Option<String>,
    /// The wizard's step it was left at; absent for the product form's drafts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
    pub updated_at: String,
}

/// Where a submission in the outbox is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum OutboxState {
    /// Waiting for the platform to be reachable.
    Queued,
    /// The platform accepted it: `jobId` follows the provisioning job.
    Delivered,
    /// The platform refused it (a problem other than unreachability); `lastError` says why.
    Refused,
}

/// A submission waiting for, or delivered to, the platform. Its idempotency key is fixed when the
/// user submits, so sending it again after a crash never provisions twice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OutboxItem {
    pub id: String,
    /// The profile (platform) it goes to.
    pub profile: String,
    pub product_id: String,
    pub name: String,
    pub idempotency_key: String,
    pub state: OutboxState,
    /// Sends tried so far.
    pub attempts: u32,
    pub submitted_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivered_at: Option<String>,
    /// The platform's provisioning job, once delivered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_id: Option<String>,
    /// The job's state when last looked at.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_state: Option<crate::platform::JobState>,
    /// The last failure to send, or the platform's refusal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
}

impl OutboxItem {
    /// Whether the submission still waits on the platform: queued, or delivered with a job that has
    /// not finished.
    pub fn is_waiting(&self) -> bool {
        match self.state {
            OutboxState::Queued => true,
            OutboxState::Delivered => !self.job_state.is_some_and(crate::platform::JobState::is_finished),
            _ => false,
        }
    }

    /// Whether its job ended badly (failed or cancelled).
    pub fn job_failed(&self) -> bool {
        matches!(
            self.job_state,
            Some(crate::platform::JobState::Failed | crate::platform::JobState::Cancelled)
        )
    }
}

/// What a submit did: refused with findings (nothing queued), or queued in the outbox (and maybe
/// already delivered).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SubmitOutcome {
    pub findings: Vec<Finding>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outbox: Option<OutboxItem>,
}
