//! Validation of one document: its kind, then schema, semantic and policy checks, each reporting
//! findings of the same shape.

use meshport_model::{Finding, Severity};
use serde_json::Value;

use crate::policy::{Exempted, PolicySet};
use crate::schema_check::{DocumentKind, schema_findings};
use crate::semantic::{self, Context};
use crate::standards::Standard;

/// What validating one document found.
#[derive(Debug, Clone)]
pub struct Validated {
    /// The standard the document was read as; `None` when it claims none (a Kubernetes manifest, a
    /// compose file) or when its kind could not be told (then a finding says why).
    pub kind: Option<DocumentKind>,
    pub findings: Vec<Finding>,
    /// Failure rules that a conftest `exception` rule exempted for this document.
    pub exceptions: Vec<Exempted>,
    /// The labels of the policy packs that applied to the document.
    pub packs: Vec<String>,
}

impl Validated {
    pub fn valid(&self) -> bool {
        !self.findings.iter().any(Finding::is_error)
    }
}

const EXPECTED: &str = "DataProduct (ODPS), DataContract (ODCS) or ProvisioningRequest";

/// Tells the kind of a document from its `kind`, or from its `apiVersion` when `kind` is missing;
/// a document that is none of Meshport's kinds is refused with a finding.
pub fn document_kind(doc: &Value) -> Result<DocumentKind, Finding> {
    document_standard(doc)?.ok_or_else(|| match doc.get("kind") {
        Some(Value::String(kind)) => Finding::error(
            "document-kind",
            "/kind",
            format!("`kind` is `{kind}`, which Meshport does not read"),
            format!("Set `kind` to {EXPECTED}."),
        ),
        _ => Finding::error(
            "document-kind",
            "",
            "the document has no `kind`, and its `apiVersion` does not tell one",
            format!("Add `kind`: {EXPECTED}."),
        ),
    })
}

/// The standard a document claims, through its `kind` or its `apiVersion`; `None` when it claims
/// none, as a Kubernetes manifest or a dbt `schema.yml` does. A document whose `apiVersion` names a
/// standard (`v3.1.0` for ODCS) but whose `kind` is not one of Meshport's is refused with a finding.
pub fn document_standard(doc: &Value) -> Result<Option<DocumentKind>, Finding> {
    let kind = doc.get("kind");
    if let Some(kind) = kind.and_then(Value::as_str).and_then(DocumentKind::from_kind) {
        return Ok(Some(kind));
    }
    let Some(claimed) = doc
        .get("apiVersion")
        .and_then(Value::as_str)
        .and_then(DocumentKind::from_api_version)
    else {
        return Ok(None);
    };
    match kind {
        None => Ok(Some(claimed)),
        Some(Value::String(kind)) => Err(Finding::error(
            "document-kind",
            "/kind",
            format!("`kind` is `{kind}`, which Meshport does not read"),
            format!("Set `kind` to {EXPECTED}."),
        )),
        Some(_) => Err(Finding::error(
            "document-kind",
            "/kind",
            "`kind` is not a string",
            format!("Set `kind` to {EXPECTED}."),
        )),
    }
}

/// Runs every check on `doc`: schema and semantic checks of the standard it claims, then the policies
/// that apply to its kind and domain. A document of no standard gets the policies alone, as conftest
/// would run them, and an info finding that says so. Never fails: whatever is wrong is a finding.
pub fn document_validate(doc: &Value, policies: &PolicySet, context: &Context) -> Validated {
    document_validate_with(doc, None, policies, context)
}

/// [`document_validate`] with `doc`'s Rego form for the policies made beforehand (see
/// [`PolicySet::evaluate_with`]), or made here when `None`.
pub fn document_validate_with(
    doc: &Value,
    rego_input: Option<regorus::Value>,
    policies: &PolicySet,
    context: &Context,
) -> Validated {
    let kind = match document_standard(doc) {
        Ok(kind) => kind,
        Err(finding) => {
            return Validated {
                kind: None,
                findings: vec![finding],
                exceptions: Vec::new(),
                packs: Vec::new(),
            };
        }
    };
    let mut findings = Vec::new();
    let domain = match kind {
        Some(kind) => {
            // ODCS and ODPS documents are judged by the official schema of their declared version,
            // provisioning requests (Meshport's own format) by the schema generated from its types.
            findings = match Standard::of(kind, doc) {
                Ok(Some(standard)) => standard.findings(doc),
                Ok(None) => schema_findings(kind, doc),
                Err(unknown) => vec![unknown],
            };
            let schema_errors = findings.len();
            let domain = match kind {
                DocumentKind::DataProduct => {
                    semantic::product(doc, "", context, &mut findings);
                    doc.get("domain")
                }
                DocumentKind::DataContract => {
                    semantic::contract(doc, "", &mut findings);
                    doc.get("domain")
                }
                DocumentKind::ProvisioningRequest => {
                    semantic::provisioning_request(doc, context, &mut findings);
                    doc.pointer("/product/domain")
                }
            };
            drop_said_twice(&mut findings, schema_errors);
            policies.standard_severities(&mut findings, Some(kind), domain.and_then(Value::as_str));
            domain
        }
        None => {
            findings.push(Finding::new(
                "no-standard",
                Severity::Info,
                "",
                "the document is not an ODPS product, an ODCS contract or a provisioning request, so no \
                 standard applied; only the policies checked it",
                format!("To check it against a standard, set `kind` to {EXPECTED}."),
            ));
            doc.get("domain")
        }
    };
    let evaluation = policies.evaluate_with(doc, rego_input, kind, domain.and_then(Value::as_str));
    findings.extend(evaluation.findings);
    Validated {
        kind,
        findings,
        exceptions: evaluation.exceptions,
        packs: evaluation.applied,
    }
}

/// Says each thing once where the official schema and a semantic check both see it. A semantic
/// warning that a server field is unused goes when the schema refused that server (ODCS v3.1.0 refuses
/// such fields itself). A schema error goes when a semantic error at or below it says the same more
/// precisely: several comparison operators (a `oneOf` that more than one branch matched), `from` on a
/// property-level relationship (a `not`). `schema_errors` is how many of `findings`, at the front,
/// came from the schema.
fn drop_said_twice(findings: &mut Vec<Finding>, schema_errors: usize) {
    const PRECISE: [&str; 2] = ["quality-operators", "relationship-from-on-property"];
    let (schema, semantic) = findings.split_at(schema_errors);
    let within =
        |path: &str, at: &str| path == at || path.strip_prefix(at).is_some_and(|r| r.starts_with('/'));
    let drop: Vec<bool> = schema
        .iter()
        .map(|f| {
            semantic
                .iter()
                .any(|s| s.is_error() && PRECISE.contains(&s.rule.as_str()) && within(&s.path, &f.path))
        })
        .chain(semantic.iter().map(|f| {
            f.rule == "server-unknown-field"
                && f.path
                    .rsplit_once('/')
                    .is_some_and(|(server, _)| schema.iter().any(|s| s.path == server))
        }))
        .collect();
    if drop.contains(&true) {
        let mut keep = drop.into_iter().map(|d| !d);
        findings.retain(|_| keep.next().unwrap_or(true));
    }
}
