//! Validation of one document: its kind, then schema, semantic and policy checks, each reporting
//! findings of the same shape.

use meshport_model::Finding;
use serde_json::Value;

use crate::policy::PolicySet;
use crate::schema_check::{DocumentKind, schema_findings};
use crate::semantic::{self, Context};

/// What validating one document found.
#[derive(Debug, Clone)]
pub struct Validated {
    /// The kind the document was read as, if it could be told.
    pub kind: Option<DocumentKind>,
    pub findings: Vec<Finding>,
}

impl Validated {
    pub fn valid(&self) -> bool {
        !self.findings.iter().any(Finding::is_error)
    }
}

/// Tells the kind of a document from its `kind`, or from its `apiVersion` when `kind` is missing.
pub fn document_kind(doc: &Value) -> Result<DocumentKind, Finding> {
    const EXPECTED: &str = "DataProduct (ODPS), DataContract (ODCS) or ProvisioningRequest";
    if !doc.is_object() {
        return Err(Finding::error(
            "document-kind",
            "",
            "the document is not a mapping of fields",
            format!("Write a YAML or JSON object whose `kind` is {EXPECTED}."),
        ));
    }
    match doc.get("kind") {
        Some(Value::String(kind)) => DocumentKind::from_kind(kind).ok_or_else(|| {
            Finding::error(
                "document-kind",
                "/kind",
                format!("`kind` is `{kind}`, which Meshport does not read"),
                format!("Set `kind` to {EXPECTED}."),
            )
        }),
        Some(_) => Err(Finding::error(
            "document-kind",
            "/kind",
            "`kind` is not a string",
            format!("Set `kind` to {EXPECTED}."),
        )),
        None => doc
            .get("apiVersion")
            .and_then(Value::as_str)
            .and_then(DocumentKind::from_api_version)
            .ok_or_else(|| {
                Finding::error(
                    "document-kind",
                    "",
                    "the document has no `kind`, and its `apiVersion` does not tell one",
                    format!("Add `kind`: {EXPECTED}."),
                )
            }),
    }
}

/// Runs every check on `doc`: schema, semantic, then the policies whose scope covers its domain.
/// Never fails: whatever is wrong is a finding.
pub fn document_validate(doc: &Value, policies: &PolicySet, context: &Context) -> Validated {
    let kind = match document_kind(doc) {
        Ok(kind) => kind,
        Err(finding) => {
            return Validated {
                kind: None,
                findings: vec![finding],
            };
        }
    };
    let mut findings = schema_findings(kind, doc);
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
    findings.extend(policies.evaluate(doc, domain.and_then(Value::as_str)));
    Validated {
        kind: Some(kind),
        findings,
    }
}
