//! The one shape every check reports: schema, semantic and policy findings alike, so the desktop form
//! can put each on its field and the CLI can print it with a line and column.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How much a finding matters. Policy enforcement levels map onto it: `required` → error,
/// `recommended` → warning, `optional` → info.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One thing a check found wrong (or worth knowing) about a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    /// Stable identifier of the rule, e.g. `schema`, `odcs-duplicate-name`, `global/encryption-at-rest`.
    pub rule: String,
    pub severity: Severity,
    /// JSON pointer (RFC 6901) to the offending value, `""` for the whole document.
    pub path: String,
    /// What is wrong, in a sentence.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

impl Finding {
    pub fn new(
        rule: impl Into<String>,
        severity: Severity,
        path: impl Into<String>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Finding {
            rule: rule.into(),
            severity,
            path: path.into(),
            message: message.into(),
            hint: hint.into(),
        }
    }

    pub fn error(
        rule: impl Into<String>,
        path: impl Into<String>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Finding::new(rule, Severity::Error, path, message, hint)
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Escapes one reference token of a JSON pointer (RFC 6901 §3).
pub fn pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// What `meshport validate` found in a set of files: the shape of its `--format json` output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ValidationReport {
    pub files: Vec<FileReport>,
}

/// The findings of one document. A file holding several YAML documents has one entry for each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FileReport {
    pub path: String,
    /// `DataProduct`, `DataContract`, `ProvisioningRequest`; `other` for a document of no standard
    /// (checked by the policies alone); `unknown` when the kind could not be told.
    pub kind: String,
    /// Whether no finding is an error.
    pub valid: bool,
    pub findings: Vec<Finding>,
    /// Failure rules that a conftest `exception` rule exempted for this document.
    #[serde(default)]
    pub exceptions: Vec<PolicyException>,
    /// The policy packs that checked the document, e.g. `global 1.0.0`, `policy (conftest folder)`.
    #[serde(default)]
    pub packs: Vec<String>,
}

/// A policy rule not applied to a document because an `exception` rule exempted it, as conftest
/// reports exceptions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyException {
    /// The finding id the rule's failures would have had, e.g. `policy/deny_run_as_root`.
    pub rule: String,
    /// The query that exempted it, e.g. `data.main.exception[_][_] == "run_as_root"`.
    pub query: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_tokens_escape_tilde_before_slash() {
        assert_eq!(pointer_token("a/b~c"), "a~1b~0c");
        assert_eq!(pointer_token("~1"), "~01", "a literal ~1 must not read back as /");
    }

    #[test]
    fn severities_order_from_info_to_error_and_serialize_lowercase() {
        assert!(Severity::Error > Severity::Warning && Severity::Warning > Severity::Info);
        assert_eq!(serde_json::to_string(&Severity::Warning).unwrap(), "\"warning\"");
        assert!(Finding::error("r", "/a", "m", "h").is_error());
    }
}
