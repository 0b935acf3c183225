//! `diff`: what changed between two versions of a data product (ODPS) or of a data contract (ODCS),
//! which changes break the product's consumers, and who downstream they reach.
//!
//! The comparison is pure: functions over the documents as JSON values ([`contract_diff`],
//! [`product_diff`], and the reports [`contract_report`], [`product_report`], [`documents_diff`]).
//! A product's output ports reference their contracts by id (ODPS ports do not embed them); a
//! [`ContractResolver`] supplies each side's contract. The impact (downstream products, consumers
//! with active grants) is read from the offline cache by [`diff_impact`], over the pure [`impact`].
//!
//! A change is breaking when a consumer written against OLD may fail against NEW: a port, table or
//! column gone or renamed, a type narrowed or changed, a value that was optional now required, an
//! allowed value gone, the primary key changed. See [`ChangeKind`] for every kind.
//!
//! By concern: `documents` reads the documents and pairs them (and a product's contracts, by side);
//! `classification` says what changed and whether it breaks; `sql_types` parses physical types and
//! tells how one fits in another; `impact` finds who downstream a break reaches; `run` is `meshport
//! diff` from end to end ([`diff_run`]). This module holds the report they make.

mod classification;
mod documents;
mod impact;
mod run;
mod sql_types;
#[cfg(test)]
mod test_support;

pub use classification::{Change, ChangeKind, contract_diff, product_diff};
pub use documents::{Contracts, contract_ids, document_kind, document_read, documents_diff};
pub use impact::{Consumer, Downstream, Impact, PortUse, contracts_cached, diff_impact, impact};
pub use meshport_governance::DocumentKind;
pub use run::{DiffCache, DiffSides, diff_run};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One of the two versions compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Old,
    New,
}

/// An output port, as it stood in OLD, with a breaking change.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PortRef {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The contract the port served in OLD: what downstream input ports reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_id: Option<String>,
}

/// What the changes mean for the release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// No breaking change.
    Compatible,
    /// Breaking changes, and the major version did not go up.
    Breaking,
    /// Breaking changes announced by a higher major version.
    BreakingMajorBumped,
}

/// Everything `meshport diff` reports: the shape of its `--format json` output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DiffReport {
    /// A data product or a data contract, spelled `product` or `contract`.
    #[serde(with = "report_kind")]
    pub kind: DocumentKind,
    /// NEW's id.
    pub id: String,
    /// OLD's id, when it differs from NEW's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The product's `version` (semantic versioning), or the contract's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_version: Option<String>,
    /// Whether NEW's major version is higher than OLD's.
    pub major_bumped: bool,
    /// How many changes are breaking.
    pub breaking: usize,
    pub changes: Vec<Change>,
    /// Products: the output ports with a breaking change.
    pub breaking_ports: Vec<PortRef>,
    /// Contracts: the cached products whose output ports serve it.
    pub products: Vec<PortUse>,
    /// The cached products reading a port with a breaking change.
    pub downstream: Vec<Downstream>,
    /// The consumers holding an active grant on a port with a breaking change.
    pub consumers: Vec<Consumer>,
    /// Whether the offline cache was read for `products`, `downstream` and `consumers`.
    pub impact_computed: bool,
    pub notes: Vec<String>,
    pub verdict: Verdict,
}

impl DiffReport {
    /// `meshport diff`'s exit code: 1 for breaking changes without a major version bump, else 0.
    pub fn exit_code(&self) -> u8 {
        match self.verdict {
            Verdict::Breaking => 1,
            Verdict::Compatible | Verdict::BreakingMajorBumped => 0,
        }
    }

    /// The verdict in a sentence.
    pub fn summary(&self) -> String {
        let versions = format!(
            "{} → {}",
            self.old_version.as_deref().unwrap_or("no version"),
            self.new_version.as_deref().unwrap_or("no version")
        );
        match self.verdict {
            Verdict::Compatible => format!(
                "compatible: {} change(s), none breaking ({versions})",
                self.changes.len()
            ),
            Verdict::Breaking => {
                let fix = match major_next(self.old_version.as_deref()) {
                    Some(next) => format!("bump the version to {next}"),
                    None => "give both versions a semantic `version` and bump the major one".to_owned(),
                };
                format!(
                    "breaking: {} breaking change(s) and the major version did not go up ({versions}); {fix}, \
                     or make the changes compatible",
                    self.breaking
                )
            }
            Verdict::BreakingMajorBumped => format!(
                "breaking, under a new major version ({versions}): {} breaking change(s) its consumers must \
                 migrate for",
                self.breaking
            ),
        }
    }
}

/// A report's `kind` as `--format json` spells it: `product` or `contract`.
mod report_kind {
    use meshport_governance::DocumentKind;
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(kind: &DocumentKind, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(match kind {
            DocumentKind::DataProduct => "product",
            DocumentKind::DataContract => "contract",
            DocumentKind::ProvisioningRequest => "request",
        })
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DocumentKind, D::Error> {
        match String::deserialize(deserializer)?.as_str() {
            "product" => Ok(DocumentKind::DataProduct),
            "contract" => Ok(DocumentKind::DataContract),
            "request" => Ok(DocumentKind::ProvisioningRequest),
            other => Err(D::Error::unknown_variant(
                other,
                &["product", "contract", "request"],
            )),
        }
    }
}

/// Why two documents cannot be compared.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DiffError {
    /// A document is not a data product or a data contract.
    #[error("{message}")]
    NotADocument { side: Side, message: String },
    #[error("OLD is a {} and NEW a {}: diff compares two versions of one kind of document", old.label(), new.label())]
    KindMismatch { old: DocumentKind, new: DocumentKind },
    /// An output port's contract could not be resolved.
    #[error("output port `{port}` references contract `{contract_id}`, which was not given")]
    ContractMissing {
        side: Side,
        port: String,
        contract_id: String,
    },
}

/// Supplies the contract with an id, as it stands on one side (OLD's and NEW's versions of a contract
/// may share their id).
pub type ContractResolver<'a> = dyn Fn(Side, &str) -> Option<Value> + 'a;

/// The report on two versions of a data contract.
pub fn contract_report(old: &Value, new: &Value) -> DiffReport {
    report(
        DocumentKind::DataContract,
        old,
        new,
        contract_diff(old, new),
        Vec::new(),
    )
}

/// The report on two versions of a data product; `contracts` supplies the contracts its output ports
/// reference. This is what a draft is compared with against the catalog's version.
pub fn product_report(
    old: &Value,
    new: &Value,
    contracts: &ContractResolver,
) -> std::result::Result<DiffReport, DiffError> {
    let (changes, breaking_ports) = classification::product_changes(old, new, contracts)?;
    Ok(report(
        DocumentKind::DataProduct,
        old,
        new,
        changes,
        breaking_ports,
    ))
}

fn report(
    kind: DocumentKind,
    old: &Value,
    new: &Value,
    changes: Vec<Change>,
    breaking_ports: Vec<PortRef>,
) -> DiffReport {
    let owned = |doc: &Value, key: &str| text(doc, key).map(str::to_owned);
    let id = owned(new, "id").unwrap_or_default();
    let old_id = owned(old, "id").filter(|o| *o != id);
    let (old_version, new_version) = (owned(old, "version"), owned(new, "version"));
    let major_bumped = match (major(old_version.as_deref()), major(new_version.as_deref())) {
        (Some(a), Some(b)) => b > a,
        _ => false,
    };
    let breaking = changes.iter().filter(|c| c.breaking).count();
    let mut notes = Vec::new();
    if let Some(old_id) = &old_id {
        notes.push(format!(
            "OLD's id is {old_id} and NEW's {id}: compared as two versions of one {}",
            kind.label()
        ));
    }
    for (side, version) in [("OLD", &old_version), ("NEW", &new_version)] {
        match version {
            None => notes.push(format!(
                "{side} has no `version`: whether the major version went up cannot be told"
            )),
            Some(v) if major(Some(v)).is_none() => notes.push(format!(
                "{side}'s version `{v}` is not semantic versioning (MAJOR.MINOR.PATCH)"
            )),
            Some(_) => {}
        }
    }
    let verdict = match (breaking, major_bumped) {
        (0, _) => Verdict::Compatible,
        (_, false) => Verdict::Breaking,
        (_, true) => Verdict::BreakingMajorBumped,
    };
    if verdict == Verdict::BreakingMajorBumped {
        notes.push(format!(
            "the major version went up ({} → {}), which announces the breaking changes; tell the consumers below",
            old_version.as_deref().unwrap_or_default(),
            new_version.as_deref().unwrap_or_default()
        ));
    }
    DiffReport {
        kind,
        name: owned(new, "name").or_else(|| owned(old, "name")),
        id,
        old_id,
        old_version,
        new_version,
        major_bumped,
        breaking,
        changes,
        breaking_ports,
        products: Vec::new(),
        downstream: Vec::new(),
        consumers: Vec::new(),
        impact_computed: false,
        notes,
        verdict,
    }
}

/// The major number of a semantic version (`1.2.3`, `v1.2.3`).
fn major(version: Option<&str>) -> Option<u64> {
    let version = version?.trim();
    let version = version.strip_prefix(['v', 'V']).unwrap_or(version);
    let mut parts = version.split('.');
    let major = parts.next()?.parse().ok()?;
    parts.next()?;
    Some(major)
}

/// The next major version after `version`, spelled alike (`v1.4.0` → `v2.0.0`).
fn major_next(version: Option<&str>) -> Option<String> {
    let current = major(version)?;
    let prefix = if version?.trim().starts_with(['v', 'V']) {
        "v"
    } else {
        ""
    };
    Some(format!("{prefix}{}.0.0", current + 1))
}

/// The numbers of a version, for ordering (`1.10.0` after `1.9.0`).
fn version_key(version: Option<&str>) -> Vec<u64> {
    let version = version.unwrap_or_default().trim();
    version
        .strip_prefix(['v', 'V'])
        .unwrap_or(version)
        .split(['.', '-', '+'])
        .map(|p| p.parse().unwrap_or(0))
        .collect()
}

fn text<'a>(doc: &'a Value, key: &str) -> Option<&'a str> {
    doc.get(key).and_then(Value::as_str)
}

fn list<'a>(doc: &'a Value, key: &str) -> &'a [Value] {
    doc.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

fn flag(doc: &Value, key: &str) -> bool {
    doc.get(key).and_then(Value::as_bool).unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::test_support::contract;
    use serde_json::json;

    #[test]
    fn a_major_bump_turns_breaking_changes_into_a_passing_verdict_with_a_note() {
        let old = contract("v1.4.2", json!([{"name": "id"}, {"name": "amount"}]));
        let new = contract("v2.0.0", json!([{"name": "id"}]));
        let report = contract_report(&old, &new);
        assert!(report.major_bumped);
        assert_eq!(report.verdict, Verdict::BreakingMajorBumped);
        assert_eq!(report.exit_code(), 0);
        assert!(
            report.notes.iter().any(|n| n.contains("major version went up")),
            "{:?}",
            report.notes
        );
        let minor = contract_report(&old, &contract("v1.5.0", json!([{"name": "id"}])));
        assert_eq!(minor.exit_code(), 1);
        assert!(minor.summary().contains("v2.0.0"), "{}", minor.summary());
        let fine = contract_report(
            &old,
            &contract(
                "v1.5.0",
                json!([{"name": "id"}, {"name": "amount"}, {"name": "note"}]),
            ),
        );
        assert_eq!(
            (fine.verdict, fine.exit_code(), fine.breaking),
            (Verdict::Compatible, 0, 0)
        );
        let json = serde_json::to_value(&report).unwrap();
        for key in [
            "changes",
            "downstream",
            "consumers",
            "oldVersion",
            "newVersion",
            "majorBumped",
            "verdict",
        ] {
            assert!(json.get(key).is_some(), "{key} in {json}");
        }
        assert_eq!(json["verdict"], "breaking-major-bumped");
        assert_eq!(json["changes"][0]["kind"], "column-removed");
    }
}
