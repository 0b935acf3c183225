//! Checks a document against the JSON Schema generated from its Rust type, turning every violation
//! into a finding on the field it concerns. Provisioning requests, Meshport's own format, are judged
//! this way; ODCS and ODPS documents by their standard's official schema (`standards.rs`).

use std::sync::OnceLock;

use jsonschema::Validator;
use meshport_model::Finding;
use serde_json::Value;

/// The kinds of document Meshport reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocumentKind {
    DataProduct,
    DataContract,
    ProvisioningRequest,
}

impl DocumentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::DataProduct => "DataProduct",
            DocumentKind::DataContract => "DataContract",
            DocumentKind::ProvisioningRequest => "ProvisioningRequest",
        }
    }

    /// As a person says it: `data product`, `data contract`, `provisioning request`.
    pub fn label(self) -> &'static str {
        match self {
            DocumentKind::DataProduct => "data product",
            DocumentKind::DataContract => "data contract",
            DocumentKind::ProvisioningRequest => "provisioning request",
        }
    }

    /// The kind a document's `kind` names.
    pub fn from_kind(kind: &str) -> Option<DocumentKind> {
        [
            DocumentKind::DataProduct,
            DocumentKind::DataContract,
            DocumentKind::ProvisioningRequest,
        ]
        .into_iter()
        .find(|k| k.as_str() == kind)
    }

    /// The kind an `apiVersion` belongs to, for documents whose `kind` is missing.
    pub fn from_api_version(api_version: &str) -> Option<DocumentKind> {
        if api_version.starts_with("v3.") {
            Some(DocumentKind::DataContract)
        } else if matches!(api_version, "v0.9.0" | "v1.0.0") {
            Some(DocumentKind::DataProduct)
        } else if api_version.starts_with("meshport/") {
            Some(DocumentKind::ProvisioningRequest)
        } else {
            None
        }
    }

    /// The kind's validator, built once per process from the schema committed in `schemas/` (which
    /// a test keeps equal to what the Rust types generate): reading it is cheaper than generating it.
    fn validator(self) -> &'static Validator {
        static PRODUCT: OnceLock<Validator> = OnceLock::new();
        static CONTRACT: OnceLock<Validator> = OnceLock::new();
        static REQUEST: OnceLock<Validator> = OnceLock::new();
        match self {
            DocumentKind::DataProduct => {
                PRODUCT.get_or_init(|| build(include_str!("../../../schemas/data-product.schema.json")))
            }
            DocumentKind::DataContract => {
                CONTRACT.get_or_init(|| build(include_str!("../../../schemas/data-contract.schema.json")))
            }
            DocumentKind::ProvisioningRequest => REQUEST
                .get_or_init(|| build(include_str!("../../../schemas/provisioning-request.schema.json"))),
        }
    }
}

impl std::fmt::Display for DocumentKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

fn build(schema: &str) -> Validator {
    let schema: Value = serde_json::from_str(schema).expect("the committed schemas are JSON");
    jsonschema::options()
        .should_validate_formats(true)
        // `uuid` is a format of drafts 2019-09 and later; the draft-7 schemas use it too.
        .with_format("uuid", |value: &str| uuid::Uuid::try_parse(value).is_ok())
        .build(&schema)
        .expect("generated schemas are valid draft-7 schemas")
}

/// Every schema violation of `doc` as an error finding with rule `schema`.
pub fn schema_findings(kind: DocumentKind, doc: &Value) -> Vec<Finding> {
    kind.validator()
        .iter_errors(doc)
        .map(|error| {
            let path = error.instance_path().to_string();
            let field = path
                .rsplit('/')
                .next()
                .filter(|s| !s.is_empty())
                .unwrap_or("the document");
            // `\S` is how the schemas say "not blank"; say it in words.
            let message = match error.to_string() {
                m if m.ends_with(r#"does not match "\S""#) => format!("`{field}` must not be empty or blank"),
                m => m,
            };
            let hint = hint_for(&path, &message);
            Finding::error("schema", path, message, hint)
        })
        .collect()
}

pub(crate) fn hint_for(path: &str, message: &str) -> String {
    let field = path
        .rsplit('/')
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or("the document");
    if message.contains("is not a \"uuid\"") {
        format!("Set `{field}` to a UUID such as 2f1c7a52-5d0e-4a4b-9a57-0b9a4ad7c3e1.")
    } else if message.contains("is not one of") || message.contains("is not valid under any of the schemas") {
        format!("Set `{field}` to one of the allowed values the standard lists.")
    } else if message.contains("is a required property") {
        "Add the missing property named in the message.".to_owned()
    } else if message.contains("Additional properties are not allowed")
        || message.contains("Unevaluated properties are not allowed")
    {
        "Remove the unknown property, or move it under `customProperties`.".to_owned()
    } else if message.contains("shorter than") || message.contains("must not be empty or blank") {
        format!("Fill in `{field}`; it must not be empty.")
    } else if message.contains("has less than") || message.contains("has more than") {
        format!("Give `{field}` the number of items the standard requires.")
    } else {
        format!("Correct `{field}` so that it matches the standard's schema.")
    }
}
