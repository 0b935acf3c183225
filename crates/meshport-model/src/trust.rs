//! The platform's trust and access nouns: quality checks run on a port's data and their history, SLO
//! status, steward incidents, lineage, and consumers' access requests. Times are RFC 3339 strings in
//! UTC; every state machine names its states here, and the platform refuses (409) every transition
//! it does not list.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(text: &str) -> Option<$name> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }

            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

text_enum! {
    /// The outcome of one check: `passed`; `failed` (a rule of severity `error`, the default, broken);
    /// `warning` (a rule of severity `warning` or `info` broken); `error` (the check could not be
    /// measured: its SQL failed, with the database's message).
    CheckStatus {
        Passed = "passed",
        Failed = "failed",
        Warning = "warning",
        Error = "error",
    }
}

/// One executable quality rule of a port's contract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct QualityCheck {
    /// Stable per rule: `<port>:<object>[.<property>]:<rule id, or its position in the list>`.
    pub check: String,
    /// The output port whose data it runs on.
    pub port: String,
    /// The contract's schema object (table) the rule belongs to.
    pub object: String,
    /// The property (column), for a property-level rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub property: Option<String>,
    /// The rule's position in its `quality` list.
    pub index: usize,
    /// `library` or `sql`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The library metric (`rowCount`, `nullValues`, ...), for `library` rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<String>,
    /// The rule's name or description, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dimension: Option<String>,
    /// `error` (the default), `warning` or `info`.
    pub severity: String,
    /// The comparison, e.g. `mustBeGreaterThan 1000` or `mustBeBetween [0, 5]`.
    pub threshold: String,
    /// `rows` (the default) or `percent`.
    pub unit: String,
}

/// One check's result in one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct QualityResult {
    #[serde(flatten)]
    pub check: QualityCheck,
    pub status: CheckStatus,
    /// The measured value, in `unit`; absent when the check could not be measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// Why it failed or could not run (the database's message for `error`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    pub at: String,
}

/// A rule the platform lists but does not run, with the reason (`text` rules, `custom` engines).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NotExecutable {
    pub check: String,
    pub port: String,
    pub object: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub property: Option<String>,
    pub index: usize,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub reason: String,
}

/// One run of a product's checks: `POST /v1/products/{id}/quality-runs`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct QualityRun {
    pub id: String,
    pub product_id: String,
    /// `manual` (asked for), `schedule` (the platform's schedule) or `seed` (the demo's history).
    pub trigger: String,
    /// The user who asked, or `platform` for scheduled runs.
    pub requested_by: String,
    pub started_at: String,
    pub finished_at: String,
    /// How many results are `passed`, `failed`, `warning`, `error`.
    pub passed: usize,
    pub failed: usize,
    pub warnings: usize,
    pub errors: usize,
    pub results: Vec<QualityResult>,
    #[serde(default)]
    pub not_executable: Vec<NotExecutable>,
}

/// One point of a check's history: a run's measured value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct QualityPoint {
    pub at: String,
    pub status: CheckStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
}

/// A check's history, oldest first: the time series of a trend chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct QualityHistory {
    pub check: String,
    pub points: Vec<QualityPoint>,
}

text_enum! {
    /// Where an SLO stands: `met`; `at-risk` (met, within 20% of its target); `breached`; `unknown`
    /// (nothing to measure yet).
    SloStatus {
        Met = "met",
        AtRisk = "at-risk",
        Breached = "breached",
        Unknown = "unknown",
    }
}

/// An SLO of a port's contract, measured: freshness from `latency`/`frequency` against the newest
/// value of the element it names, completeness, or the check pass rate over a window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SloReport {
    /// `freshness`, `completeness` or `passRate`.
    pub slo: String,
    pub port: String,
    /// The contract's SLA property it comes from (`latency`, `frequency`, `completeness`), or
    /// `quality` for the pass rate.
    pub property: String,
    /// The element measured (`table.column`), where there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub element: Option<String>,
    pub status: SloStatus,
    /// The target, in `unit`.
    pub target: f64,
    /// The measured value, in `unit`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measured: Option<f64>,
    /// `hours` (freshness) or `percent`.
    pub unit: String,
    /// The numbers in a sentence.
    pub detail: String,
}

/// `GET /v1/products/{id}/quality`: the latest result per check, each check's history, the SLOs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct QualityReport {
    pub product_id: String,
    pub domain: String,
    /// The newest run's time, if any ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_run_at: Option<String>,
    /// The latest result of each check, in the contract's order.
    pub latest: Vec<QualityResult>,
    /// Each check's points over a page of the window's runs: the newest `limit` runs, or the runs
    /// before the `cursor` of the previous page.
    pub history: Vec<QualityHistory>,
    pub slos: Vec<SloReport>,
    #[serde(default)]
    pub not_executable: Vec<NotExecutable>,
    /// The `cursor` of the page of older history, absent when the window holds no older run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// What the change feed carries for a product's quality (entity `quality`, id the product's): the
/// latest status of each check and the SLOs, without history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct QualitySummary {
    pub product_id: String,
    pub last_run_at: String,
    pub passed: usize,
    pub failed: usize,
    pub warnings: usize,
    pub errors: usize,
    pub latest: Vec<QualityPoint>,
    /// The check of each point in `latest`, in the same order.
    pub checks: Vec<String>,
    pub slos: Vec<SloReport>,
}

text_enum! {
    /// Where an incident is: `open → acknowledged → assigned → resolved`, and `reopened` when its
    /// check fails again after it was resolved (a reopened incident is acknowledged, assigned and
    /// resolved as an open one is). Assigning also works straight from `open` or `reopened`.
    IncidentState {
        Open = "open",
        Acknowledged = "acknowledged",
        Assigned = "assigned",
        Resolved = "resolved",
        Reopened = "reopened",
    }
}

/// One entry of an incident's timeline: a transition or a comment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IncidentEvent {
    pub at: String,
    /// The user, or `platform` for what a check run did.
    pub actor: String,
    /// `opened`, `failed-again`, `acknowledged`, `assigned`, `commented`, `resolved`, `reopened`.
    pub action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<IncidentState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<IncidentState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// A quality incident: one per failing check while it is not resolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Incident {
    pub id: String,
    pub product_id: String,
    pub product_name: String,
    pub domain: String,
    /// The check that failed.
    pub check: String,
    pub port: String,
    pub state: IncidentState,
    /// The check's severity: `error`, `warning` or `info`.
    pub severity: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<String>,
    /// A line for lists, e.g. `rowCount of order_lines is 812; mustBeGreaterThan 1000`.
    pub title: String,
    /// How many runs failed the check while this incident was not resolved.
    pub failures: u32,
    pub opened_at: String,
    pub updated_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_at: Option<String>,
    /// Every transition and comment, oldest first.
    pub events: Vec<IncidentEvent>,
}

/// What a user does to an incident: the platform's actions, as the desktop's outbox keeps them until
/// they are delivered. Stewards of the incident's domain acknowledge, assign, resolve and reopen; they
/// and the domain's owners comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "action", rename_all = "kebab-case", deny_unknown_fields)]
pub enum IncidentAction {
    Acknowledge {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        comment: Option<String>,
    },
    /// To a steward or owner of the incident's domain.
    Assign {
        assignee: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        comment: Option<String>,
    },
    Comment {
        text: String,
    },
    /// With what was found and done.
    Resolve {
        comment: String,
    },
    /// With why it is not over.
    Reopen {
        comment: String,
    },
}

impl IncidentAction {
    /// The action's name, as in its path (`/v1/incidents/{id}/acknowledge`).
    pub fn name(&self) -> &'static str {
        match self {
            IncidentAction::Acknowledge { .. } => "acknowledge",
            IncidentAction::Assign { .. } => "assign",
            IncidentAction::Comment { .. } => "comment",
            IncidentAction::Resolve { .. } => "resolve",
            IncidentAction::Reopen { .. } => "reopen",
        }
    }

    /// The body the platform takes: the action's fields without its name.
    pub fn body(&self) -> Value {
        let mut body = serde_json::to_value(self).expect("an action always serializes");
        if let Some(object) = body.as_object_mut() {
            object.remove("action");
        }
        body
    }

    /// What a user must say with it: the field that must not be empty, if any.
    pub fn required_text(&self) -> Option<(&'static str, &str)> {
        match self {
            IncidentAction::Acknowledge { .. } => None,
            IncidentAction::Assign { assignee, .. } => Some(("assignee", assignee)),
            IncidentAction::Comment { text } => Some(("text", text)),
            IncidentAction::Resolve { comment } | IncidentAction::Reopen { comment } => {
                Some(("comment", comment))
            }
        }
    }
}

/// An output port in the lineage graph, with the consumers granted access to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LineagePort {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_id: Option<String>,
    /// Users holding an active access grant on the port.
    pub consumers: Vec<String>,
}

/// A product in the lineage graph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LineageNode {
    pub product_id: String,
    pub name: String,
    pub domain: String,
    /// Steps from the product asked for: negative upstream, positive downstream, 0 itself.
    pub distance: i32,
    pub output_ports: Vec<LineagePort>,
}

/// An edge: the input port `to_port` of `to` reads the output port `from_port` of `from`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LineageEdge {
    pub from: String,
    pub from_port: String,
    pub to: String,
    pub to_port: String,
    /// The contract both ports name.
    pub contract_id: String,
}

/// `GET /v1/lineage?product=ID&depth=N`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LineageGraph {
    pub product_id: String,
    pub depth: u32,
    pub nodes: Vec<LineageNode>,
    pub edges: Vec<LineageEdge>,
}

text_enum! {
    /// Where an access request is: `requested → approved → active → revoked | expired`, or
    /// `requested → rejected`. `approved` is the moment between the decision and the grant; the
    /// platform grants in the same step, so a request is seen `approved` only if granting failed.
    AccessState {
        Requested = "requested",
        Approved = "approved",
        Active = "active",
        Revoked = "revoked",
        Expired = "expired",
        Rejected = "rejected",
    }
}

/// A consumer's request for access to an output port, and the grant it became.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccessRequest {
    pub id: String,
    pub product_id: String,
    pub product_name: String,
    pub domain: String,
    pub output_port: String,
    /// The user who asked, and who gets the access.
    pub consumer: String,
    pub purpose: String,
    /// When the access ends by itself (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    pub state: AccessState,
    pub requested_at: String,
    pub updated_at: String,
    /// Who approved, rejected or revoked it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
    /// The reason given with the last decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// How the grant reaches the data: for PostgreSQL the consumer's role and the schema; for SQLite
    /// the rows endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grant: Option<AccessGrant>,
}

/// What an active grant gives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccessGrant {
    /// `postgres-role` or `rows-endpoint`.
    pub kind: String,
    /// The PostgreSQL role (`mesh_<user>`) holding `USAGE` and `SELECT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The PostgreSQL schema of the port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// The path to read rows from (SQLite ports).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

/// `GET /v1/products/{id}/ports/{port}/rows`: a page of a port table's rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PortRows {
    pub table: String,
    pub columns: Vec<String>,
    /// Each row, a value per column in `columns`' order.
    pub rows: Vec<Vec<Value>>,
    /// The `cursor` of the next page, absent on the last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}
