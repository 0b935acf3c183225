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
    /// How many values of each facet to list, the most frequent first (a selected value is always
    /// listed); 0 lists every value. `facetSizes` of the answer tells how many each facet has.
    pub facet_limit: u32,
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

/// The facets' names, as a search's filters and the cache spell them, in [`Facets`]'s order.
pub const FACET_NAMES: [&str; 5] = ["domain", "status", "tag", "owner", "openIncident"];

impl Facets {
    /// Each facet's name (one of [`FACET_NAMES`]) with its values.
    pub fn named_mut(&mut self) -> [(&'static str, &mut Vec<FacetCount>); 5] {
        [
            ("domain", &mut self.domain),
            ("status", &mut self.status),
            ("tag", &mut self.tag),
            ("owner", &mut self.owner),
            ("openIncident", &mut self.open_incident),
        ]
    }

    /// The values of the facet named `facet` (one of [`FACET_NAMES`]).
    pub fn named(&mut self, facet: &str) -> Option<&mut Vec<FacetCount>> {
        self.named_mut()
            .into_iter()
            .find(|(name, _)| *name == facet)
            .map(|(_, list)| list)
    }

    /// How many values each facet lists.
    pub fn sizes(&self) -> FacetSizes {
        FacetSizes {
            domain: self.domain.len() as u64,
            status: self.status.len() as u64,
            tag: self.tag.len() as u64,
            owner: self.owner.len() as u64,
            open_incident: self.open_incident.len() as u64,
        }
    }

    /// Keeps the first `limit` values of each facet (0 keeps them all), and beyond them the value
    /// `selected` names for that facet (given the facet's name), wherever it is.
    pub fn truncate(&mut self, limit: usize, selected: impl Fn(&str) -> Option<String>) {
        if limit == 0 {
            return;
        }
        for (facet, list) in self.named_mut() {
            if list.len() <= limit {
                continue;
            }
            let kept = selected(facet)
                .and_then(|value| list[limit..].iter().position(|c| c.value == value))
                .map(|at| list.swap_remove(limit + at));
            list.truncate(limit);
            list.extend(kept);
        }
    }
}

/// How many values each facet has among the results, listed or not.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct FacetSizes {
    pub domain: u64,
    pub status: u64,
    pub tag: u64,
    pub owner: u64,
    pub open_incident: u64,
}

impl FacetSizes {
    /// The number of values of the facet named `facet` (one of [`FACET_NAMES`]).
    pub fn named(&mut self, facet: &str) -> Option<&mut u64> {
        let sizes = [
            ("domain", &mut self.domain),
            ("status", &mut self.status),
            ("tag", &mut self.tag),
            ("owner", &mut self.owner),
            ("openIncident", &mut self.open_incident),
        ];
        sizes.into_iter().find(|(name, _)| *name == facet).map(|(_, n)| n)
    }
}

/// What a search found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SearchResult {
    /// How many products match, beyond the `limit` shown.
    pub total: u64,
    pub hits: Vec<SearchHit>,
    /// Each facet's values, most frequent first: `facetLimit` of them at most, and a selected one.
    pub facets: Facets,
    /// How many values each facet has, beyond the `facetLimit` listed.
    #[serde(default)]
    pub facet_sizes: FacetSizes,
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

/// A product next to this one in the lineage: it reads one of this product's output ports (downstream)
/// or serves one of its input ports (upstream), through the contract `contract_id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProductLink {
    pub id: String,
    pub name: String,
    pub domain: String,
    pub status: String,
    pub version: String,
    pub contract_id: String,
    /// Open incidents of that product, for its health.
    pub open_incidents: u32,
}

/// Everything a product's page shows, read from the offline cache in one snapshot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProductView {
    /// The ODPS document as the platform published it.
    #[schemars(with = "crate::DataProduct")]
    pub product: Value,
    /// The ODCS contracts its output ports name, in port order, each once; a contract the cache
    /// does not hold is missing here.
    #[schemars(with = "Vec<crate::DataContract>")]
    pub contracts: Vec<Value>,
    /// The latest quality run's summary; absent before the first run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality: Option<crate::trust::QualitySummary>,
    /// Its incidents, the newest first.
    pub incidents: Vec<crate::trust::Incident>,
    /// The access requests on its ports the platform showed this user, the newest first.
    pub access_requests: Vec<crate::trust::AccessRequest>,
    pub upstream: Vec<ProductLink>,
    pub downstream: Vec<ProductLink>,
    /// The signed-in user, if the cache knows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Whether that user owns the product's domain.
    pub owner: bool,
    /// When the cache last synced with the platform.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub synced_at: Option<String>,
}

/// A filter of the cached incidents; every field set must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct IncidentFilter {
    /// A state (`open`, `acknowledged`, `assigned`, `resolved`, `reopened`), or `active` for every
    /// state but `resolved`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// A user, or `-` for the incidents nobody is assigned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assignee: Option<String>,
}

/// The cached incidents a filter keeps, and the values each filter may take.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct IncidentList {
    /// Not resolved first, then the most recently changed first.
    pub incidents: Vec<crate::trust::Incident>,
    /// Every domain and assignee among the cached incidents, sorted.
    pub domains: Vec<String>,
    pub assignees: Vec<String>,
}

/// A product in a lineage graph read from the offline cache.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct LineageNode {
    pub id: String,
    pub name: String,
    pub domain: String,
    pub status: String,
    pub version: String,
    /// Open incidents of that product, for its health.
    pub open_incidents: u32,
    /// Steps from the product the graph is about: negative upstream, positive downstream, 0 itself.
    pub depth: i32,
}

/// Data flowing from one product's output port to another's input port, through a contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct LineageEdge {
    pub from: String,
    pub to: String,
    pub contract_id: String,
}

/// The products upstream and downstream of one product, up to a depth, from the offline cache.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct LineageView {
    pub nodes: Vec<LineageNode>,
    pub edges: Vec<LineageEdge>,
    /// Whether the walk stopped at the depth or the node limit with more beyond.
    pub truncated: bool,
}

/// Where an action on the platform is, in the desktop's outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ActionState {
    /// Waiting for the platform to be reachable.
    Queued,
    /// Carried out by the platform.
    Delivered,
    /// The platform found the incident changed (409): `currentState` says how it is now, and the
    /// action is kept, with what was typed, for the user to look at again.
    Conflict,
    /// The platform refused it (a problem other than unreachability); `message` says why.
    Refused,
}

impl ActionState {
    pub fn as_str(self) -> &'static str {
        match self {
            ActionState::Queued => "queued",
            ActionState::Delivered => "delivered",
            ActionState::Conflict => "conflict",
            ActionState::Refused => "refused",
        }
    }

    pub fn parse(text: &str) -> Option<ActionState> {
        [
            ActionState::Queued,
            ActionState::Delivered,
            ActionState::Conflict,
            ActionState::Refused,
        ]
        .into_iter()
        .find(|state| state.as_str() == text)
    }
}

/// An action on an incident, queued in the outbox with its own idempotency key (fixed when the user
/// took it, so a send repeated after a crash is carried out once).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActionItem {
    pub id: String,
    /// The profile (platform) it goes to.
    pub profile: String,
    pub incident_id: String,
    pub action: crate::trust::IncidentAction,
    pub idempotency_key: String,
    pub state: ActionState,
    /// Sends tried so far.
    pub attempts: u32,
    pub queued_at: String,
    pub updated_at: String,
    /// Why it was refused or met a conflict, or why the last send did not get through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The incident's state the platform reported with a conflict.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_state: Option<crate::trust::IncidentState>,
}

/// A profile as the window lists it: never its token, only whether the keyring holds one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProfileInfo {
    pub name: String,
    pub url: String,
    pub user: String,
    /// Whether it is the profile in use.
    pub active: bool,
    /// Whether the OS keyring holds its token (false: sign in again); absent when the keyring could
    /// not be asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_in: Option<bool>,
}

/// The profiles, and which platform the window works with now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProfileList {
    pub profiles: Vec<ProfileInfo>,
    /// The profile of the session the window works with now (`demo`, `demo-<user>`: the embedded
    /// demo platform as one of its users).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<String>,
    /// The embedded demo platform's users the window may act as (with a token it makes and keeps in
    /// memory); empty when the desktop app does not embed one.
    #[serde(default)]
    pub demo_users: Vec<String>,
}

/// The cached access requests the platform showed the user (their own; their domains' as owner),
/// the newest first, with who the user is and which domains they own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AccessList {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// `*`: every domain.
    pub owned_domains: Vec<String>,
    pub requests: Vec<crate::trust::AccessRequest>,
    /// The user's requests the platform has not taken yet: asked while it was out of reach (sent
    /// by the sync when it answers), or refused when they were sent; the newest first.
    pub asked: Vec<AccessAsk>,
}

/// An access request kept in the desktop's outbox with its own idempotency key (fixed when the user
/// asked, so a send repeated after a crash or a lost answer asks once): queued while the platform is
/// out of reach, or refused when it was sent. One the platform took leaves the outbox; the synced
/// cache holds it from then on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AccessAsk {
    pub id: String,
    /// The profile (platform) it goes to.
    pub profile: String,
    pub product_id: String,
    /// The product's name in the cache when the user asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_name: Option<String>,
    pub output_port: String,
    pub purpose: String,
    /// When the access should end (RFC 3339), as the platform takes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    pub idempotency_key: String,
    /// `queued` or `refused`.
    pub state: ActionState,
    /// Sends tried so far.
    pub attempts: u32,
    pub queued_at: String,
    pub updated_at: String,
    /// Why it was refused, or why the last send did not get through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// What asking for access did: sent and taken by the platform, or queued until it answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum AccessAsked {
    Sent { request: crate::trust::AccessRequest },
    Queued { ask: AccessAsk },
}

/// A check's measured values over a window, oldest first, from the offline cache: a trend chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CheckTrend {
    pub check: String,
    /// The rule's comparison, e.g. `mustBeLessThan 1` (absent until the cache has the report).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<String>,
    /// `rows` or `percent`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub points: Vec<crate::trust::QualityPoint>,
}

/// How many products are healthy (their last run failed nothing), failing, or never measured.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct HealthCounts {
    pub total: u64,
    pub healthy: u64,
    pub failing: u64,
    pub unmeasured: u64,
}

/// A product whose last run failed checks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProductHealth {
    pub id: String,
    pub name: String,
    pub domain: String,
    pub failed: u64,
    pub passed: u64,
    pub last_run_at: String,
    pub open_incidents: u64,
}

/// A check whose latest run failed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct FailingCheck {
    pub product_id: String,
    pub product_name: String,
    pub domain: String,
    pub check: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    pub at: String,
}

/// How the measured SLOs stand.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SloCounts {
    pub met: u64,
    pub at_risk: u64,
    pub breached: u64,
    pub unknown: u64,
}

/// The stewards' home ("Quality"), from the offline cache, across the domains the user stewards
/// (the whole mesh when they steward none, or every domain).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct QualityHome {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// The domains shown; `*` for every domain.
    pub domains: Vec<String>,
    /// Whether the user stewards the domains shown (false: none, so the whole mesh is shown).
    pub stewarded: bool,
    pub products: HealthCounts,
    /// The failing products, the most failed checks first (at most 50).
    pub failing_products: Vec<ProductHealth>,
    /// The checks failing now, the latest first (at most 100 of `failingChecksTotal`).
    pub failing_checks: Vec<FailingCheck>,
    pub failing_checks_total: u64,
    pub slos: SloCounts,
    /// The open incidents, the most recently changed first (at most 50 of `openIncidentsTotal`).
    pub open_incidents: Vec<crate::trust::Incident>,
    pub open_incidents_total: u64,
}

/// Something a sync brought that the user should hear of (a desktop notification, a badge).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Notice {
    pub id: i64,
    /// `incident`, `access-decision` or `access-request`.
    pub kind: String,
    pub entity_id: String,
    /// The view it belongs to: `incidents` or `access`.
    pub view: String,
    pub title: String,
    pub body: String,
    pub at: String,
}

/// How many notices of each view the user has not seen: the navigation's badges.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct NoticeCounts {
    pub incidents: u64,
    pub access: u64,
}
