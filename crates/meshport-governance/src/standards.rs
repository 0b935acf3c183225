//! The standards' own verdict: each ODCS and ODPS document is checked against the official JSON
//! Schema of the version its `apiVersion` declares, vendored unchanged in `schemas/standards/`.
//!
//! Meshport's generated schemas (`schemas/*.schema.json`) describe what Meshport writes and drive
//! the forms; they are stricter than the standards in places (a product `id` that must be a UUID) and
//! know one version only. Whether a file someone else wrote is valid is the standard's call, so files
//! are judged here. Each version's validator is compiled the first time a document of that version is
//! seen, once per process; an ODCS schema's servers (a third of it, one branch per server type) are
//! checked apart, by a validator per server type compiled the first time a server of that type is
//! seen, so that a run compiles the server types its documents use rather than all of them.

use std::sync::OnceLock;

use jsonschema::{ValidationError, Validator};
use meshport_model::Finding;
use serde_json::Value;

use crate::schema_check::{DocumentKind, hint_for};

/// A version of a standard whose official schema Meshport holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Standard {
    OdcsV3_0_0,
    OdcsV3_0_1,
    OdcsV3_0_2,
    OdcsV3_1_0,
    OdpsV1_0_0,
}

/// The ODCS versions, oldest first.
const ODCS: [Standard; 4] = [
    Standard::OdcsV3_0_0,
    Standard::OdcsV3_0_1,
    Standard::OdcsV3_0_2,
    Standard::OdcsV3_1_0,
];

impl Standard {
    /// Every version Meshport reads.
    pub const ALL: [Standard; 5] = [
        Standard::OdcsV3_0_0,
        Standard::OdcsV3_0_1,
        Standard::OdcsV3_0_2,
        Standard::OdcsV3_1_0,
        Standard::OdpsV1_0_0,
    ];

    /// The newest ODCS version, which `meshport upgrade` writes.
    pub const ODCS_LATEST: Standard = Standard::OdcsV3_1_0;

    /// The `apiVersion` that declares this version.
    pub fn api_version(self) -> &'static str {
        match self {
            Standard::OdcsV3_0_0 => "v3.0.0",
            Standard::OdcsV3_0_1 => "v3.0.1",
            Standard::OdcsV3_0_2 => "v3.0.2",
            Standard::OdcsV3_1_0 => "v3.1.0",
            Standard::OdpsV1_0_0 => "v1.0.0",
        }
    }

    /// `ODCS v3.0.2`, `ODPS v1.0.0`.
    pub fn name(self) -> String {
        let family = match self {
            Standard::OdpsV1_0_0 => "ODPS",
            _ => "ODCS",
        };
        format!("{family} {}", self.api_version())
    }

    /// The official schema's file name in `schemas/standards/`.
    pub fn file_name(self) -> &'static str {
        match self {
            Standard::OdcsV3_0_0 => "odcs-json-schema-v3.0.0.json",
            Standard::OdcsV3_0_1 => "odcs-json-schema-v3.0.1.json",
            Standard::OdcsV3_0_2 => "odcs-json-schema-v3.0.2.json",
            Standard::OdcsV3_1_0 => "odcs-json-schema-v3.1.0.json",
            Standard::OdpsV1_0_0 => "odps-json-schema-v1.0.0.json",
        }
    }

    /// The official schema without its annotations (descriptions, examples, titles) and, for ODCS,
    /// without its servers, which are checked by server type (see [`Standard::server_validator`]), as
    /// `build.rs` writes it: what is compiled.
    fn compact_text(self) -> &'static str {
        match self {
            Standard::OdcsV3_0_0 => include_str!(concat!(env!("OUT_DIR"), "/odcs-json-schema-v3.0.0.json")),
            Standard::OdcsV3_0_1 => include_str!(concat!(env!("OUT_DIR"), "/odcs-json-schema-v3.0.1.json")),
            Standard::OdcsV3_0_2 => include_str!(concat!(env!("OUT_DIR"), "/odcs-json-schema-v3.0.2.json")),
            Standard::OdcsV3_1_0 => include_str!(concat!(env!("OUT_DIR"), "/odcs-json-schema-v3.1.0.json")),
            Standard::OdpsV1_0_0 => include_str!(concat!(env!("OUT_DIR"), "/odps-json-schema-v1.0.0.json")),
        }
    }

    /// The whole official schema without its annotations, servers included: what the split above
    /// must be equivalent to.
    #[cfg(test)]
    fn full_compact_text(self) -> &'static str {
        match self {
            Standard::OdcsV3_0_0 => {
                include_str!(concat!(env!("OUT_DIR"), "/full-odcs-json-schema-v3.0.0.json"))
            }
            Standard::OdcsV3_0_1 => {
                include_str!(concat!(env!("OUT_DIR"), "/full-odcs-json-schema-v3.0.1.json"))
            }
            Standard::OdcsV3_0_2 => {
                include_str!(concat!(env!("OUT_DIR"), "/full-odcs-json-schema-v3.0.2.json"))
            }
            Standard::OdcsV3_1_0 => {
                include_str!(concat!(env!("OUT_DIR"), "/full-odcs-json-schema-v3.1.0.json"))
            }
            Standard::OdpsV1_0_0 => {
                include_str!(concat!(env!("OUT_DIR"), "/full-odps-json-schema-v1.0.0.json"))
            }
        }
    }

    /// The official schema's text, as vendored.
    pub fn schema_text(self) -> &'static str {
        match self {
            Standard::OdcsV3_0_0 => include_str!("../../../schemas/standards/odcs-json-schema-v3.0.0.json"),
            Standard::OdcsV3_0_1 => include_str!("../../../schemas/standards/odcs-json-schema-v3.0.1.json"),
            Standard::OdcsV3_0_2 => include_str!("../../../schemas/standards/odcs-json-schema-v3.0.2.json"),
            Standard::OdcsV3_1_0 => include_str!("../../../schemas/standards/odcs-json-schema-v3.1.0.json"),
            Standard::OdpsV1_0_0 => include_str!("../../../schemas/standards/odps-json-schema-v1.0.0.json"),
        }
    }

    /// The standard a document of `kind` declares with its `apiVersion`.
    ///
    /// `Ok(None)` for Meshport's own kind, the provisioning request, which its generated schema
    /// judges. A missing or non-string `apiVersion` is judged by the newest version, whose schema then
    /// says what is wrong with it. ODPS `v0.9.0` is judged by the ODPS v1.0.0 schema, which lists it
    /// among its versions (the standard's own examples declare it). Any other version is refused with
    /// a finding that lists the versions Meshport knows.
    pub fn of(kind: DocumentKind, doc: &Value) -> Result<Option<Standard>, Finding> {
        let declared = doc.get("apiVersion").and_then(Value::as_str);
        match kind {
            DocumentKind::ProvisioningRequest => Ok(None),
            DocumentKind::DataContract => match declared {
                None => Ok(Some(Standard::ODCS_LATEST)),
                Some(version) => ODCS
                    .into_iter()
                    .find(|s| s.api_version() == version)
                    .map(Some)
                    .ok_or_else(|| unknown_version("ODCS", version, &ODCS.map(Standard::api_version))),
            },
            DocumentKind::DataProduct => match declared {
                None | Some("v1.0.0" | "v0.9.0") => Ok(Some(Standard::OdpsV1_0_0)),
                Some(version) => Err(unknown_version("ODPS", version, &["v1.0.0", "v0.9.0"])),
            },
        }
    }

    /// The version's validator, compiled the first time it is needed; for ODCS it leaves `servers`
    /// items to [`Standard::server_validator`].
    fn validator(self) -> &'static Validator {
        static VALIDATORS: [OnceLock<Validator>; 5] = [const { OnceLock::new() }; 5];
        let index = Standard::ALL
            .iter()
            .position(|s| *s == self)
            .expect("every standard is in ALL");
        VALIDATORS[index].get_or_init(|| compile(self.file_name(), self.compact_text()))
    }

    /// The validator of one server of this version, for the server's `type`: the schema's `Server`
    /// with that type's branch alone (a type the standard does not list gets none), compiled the first
    /// time a server of that type is seen. `None` when this version's servers are not checked apart
    /// (ODPS), which the version's own validator then does.
    fn server_validator(self, server: &Value) -> Option<&'static Validator> {
        use servers::SERVER_SCHEMAS;
        static SERVERS: OnceLock<Vec<OnceLock<Validator>>> = OnceLock::new();
        let server_type = server.get("type").and_then(Value::as_str).unwrap_or_default();
        let of_self = |(_, (file, ..)): &(usize, &(&str, &str, &str))| *file == self.file_name();
        let (index, (_, listed, text)) = SERVER_SCHEMAS
            .iter()
            .enumerate()
            .filter(of_self)
            .find(|(_, (_, listed, _))| *listed == server_type)
            .or_else(|| {
                SERVER_SCHEMAS
                    .iter()
                    .enumerate()
                    .filter(of_self)
                    .find(|(_, (_, listed, _))| listed.is_empty())
            })?;
        let cells = SERVERS.get_or_init(|| SERVER_SCHEMAS.iter().map(|_| OnceLock::new()).collect());
        Some(cells[index].get_or_init(|| compile(&format!("{}/servers/{listed}", self.file_name()), text)))
    }

    /// Every violation of this version's schema: the document's, then each server's.
    fn violations(self, doc: &Value) -> Vec<Violation> {
        let mut found = precise(self.validator().iter_errors(doc), "");
        if let Some(servers) = doc.get("servers").and_then(Value::as_array) {
            for (i, server) in servers.iter().enumerate() {
                if let Some(validator) = self.server_validator(server) {
                    found.extend(precise(validator.iter_errors(server), &format!("/servers/{i}")));
                }
            }
        }
        found
    }

    /// Whether `doc` passes this version's schema.
    pub fn accepts(self, doc: &Value) -> bool {
        self.validator().is_valid(doc)
            && doc
                .get("servers")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .all(|server| self.server_validator(server).is_none_or(|v| v.is_valid(server)))
    }

    /// Every violation of this version's schema as an error finding with rule `schema`. Where an
    /// ODCS v3.0.x document breaks its own schema in a way v3.1.0 allows (a `timestamp` logical type,
    /// a `metric` rule, `team` as an object, a server type added later), the rule is
    /// `schema-version` and the hint points at declaring v3.1.0, so that it can be told apart and its
    /// severity set on its own.
    pub fn findings(self, doc: &Value) -> Vec<Finding> {
        let errors = self.violations(doc);
        if errors.is_empty() {
            return Vec::new();
        }
        // What the newest version says, computed only for an older document that has errors.
        let newer: Option<Vec<(String, Vec<String>)>> =
            (ODCS.contains(&self) && self != Standard::ODCS_LATEST).then(|| {
                Standard::ODCS_LATEST
                    .violations(doc)
                    .into_iter()
                    .map(|v| (v.path, v.unexpected))
                    .collect()
            });
        errors
            .into_iter()
            .map(|Violation { path, message, unexpected, .. }| {
                match &newer {
                    Some(newer) if !newer_refuses(newer, &path, &unexpected) => Finding::error(
                        "schema-version",
                        path,
                        format!(
                            "{message}: {} does not allow this, {} does",
                            self.name(),
                            Standard::ODCS_LATEST.name()
                        ),
                        format!(
                            "Declare `apiVersion: {}` (`meshport upgrade FILE` rewrites the rest), or write it \
                             as {} allows.",
                            Standard::ODCS_LATEST.api_version(),
                            self.name()
                        ),
                    ),
                    _ => {
                        let hint = hint_for(&path, &message);
                        Finding::error("schema", path, message, hint)
                    }
                }
            })
            .collect()
    }
}

/// The server types' schemas `build.rs` split off the ODCS schemas.
mod servers {
    include!(concat!(env!("OUT_DIR"), "/standards_servers.rs"));
}

/// Compiles one of the schemas `build.rs` writes, named `name`.
fn compile(name: &str, text: &str) -> Validator {
    let schema: Value = serde_json::from_str(text).expect("the vendored schemas are JSON");
    // The schema is a resource that a one-line draft-07 schema refers to, rather than the schema
    // compiled: it is still evaluated as the draft 2019-09 it declares, but only the one-line root is
    // checked against its meta-schema, and compiling the draft 2019-09 meta-schema for that check
    // costs 11 ms a process (draft-07's, a fraction of one). Draft 2019-09 makes `format` an
    // annotation, not an assertion, so formats are not checked: `s3://bucket/{model}/*.json` is a
    // valid `location` though not a URI.
    let uri = format!("urn:meshport:standard:{name}");
    let registry = jsonschema::Registry::new()
        .add(&uri, schema)
        .and_then(|builder| builder.prepare())
        .expect("the vendored schemas are resources");
    let root = serde_json::json!({"$schema": "http://json-schema.org/draft-07/schema#", "$ref": uri});
    jsonschema::options()
        .with_registry(&registry)
        .should_validate_formats(false)
        .build(&root)
        .expect("the vendored schemas compile")
}

impl std::fmt::Display for Standard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name())
    }
}

fn unknown_version(family: &str, version: &str, known: &[&str]) -> Finding {
    Finding::error(
        "api-version",
        "/apiVersion",
        format!(
            "`apiVersion` is `{version}`, which is not a version of {family} Meshport knows ({})",
            known.join(", ")
        ),
        format!(
            "Set `apiVersion` to one of {}{}.",
            known.join(", "),
            if family == "ODCS" {
                "; `meshport upgrade` rewrites v3.0.x contracts to v3.1.0"
            } else {
                ""
            }
        ),
    )
}

/// One schema violation, as reported.
#[derive(Debug)]
struct Violation {
    path: String,
    message: String,
    /// The properties an additional- or unevaluated-properties error refuses.
    unexpected: Vec<String>,
    unevaluated: bool,
}

/// The violations worth reporting, in order. An `anyOf`/`oneOf` none of whose branches matched is
/// replaced by the errors of the branch that came closest (see below), recursively, so that a
/// finding points at the field at fault (`mustBeBetween` with one item) rather than at the object. An
/// object's "unevaluated properties" error beside another error at or below the object is dropped:
/// the properties went unevaluated because a branch failed, which the other error says. A violation
/// reached through two subschemas is said once.
fn precise<'a>(errors: impl Iterator<Item = ValidationError<'a>>, prefix: &str) -> Vec<Violation> {
    use jsonschema::error::ValidationErrorKind as Kind;
    fn flatten(error: ValidationError<'_>, prefix: &str, out: &mut Vec<Violation>) {
        let has_branches = matches!(
            error.kind(),
            Kind::AnyOf { context } | Kind::OneOfNotValid { context } if context.iter().any(|b| !b.is_empty())
        );
        if !has_branches {
            out.push(Violation {
                path: format!("{prefix}{}", error.instance_path()),
                message: message_for(&error),
                unexpected: unexpected(&error),
                unevaluated: matches!(error.kind(), Kind::UnevaluatedProperties { .. }),
            });
            return;
        }
        if let Kind::AnyOf { context } | Kind::OneOfNotValid { context } = error.into_parts().kind
            && let Some(best) = context
                .into_iter()
                .filter(|b| !b.is_empty())
                .min_by_key(|branch| {
                    // Fewest errors; then fewest missing properties, as a branch that misses a property
                    // is usually one the author did not mean; then the deepest error, the most precise.
                    let missing = branch
                        .iter()
                        .filter(|e| matches!(e.kind(), Kind::Required { .. }))
                        .count();
                    let depth = branch
                        .iter()
                        .map(|e| e.instance_path().to_string().matches('/').count())
                        .max();
                    (branch.len(), missing, std::cmp::Reverse(depth))
                })
        {
            for inner in best {
                flatten(inner, prefix, out);
            }
        }
    }
    let mut flat = Vec::new();
    for error in errors {
        flatten(error, prefix, &mut flat);
    }
    let explained = |at: &str| {
        flat.iter().any(|v| {
            !v.unevaluated
                && (v.path == at || v.path.strip_prefix(at).is_some_and(|rest| rest.starts_with('/')))
        })
    };
    let keep: Vec<bool> = flat
        .iter()
        .map(|v| !(v.unevaluated && explained(&v.path)))
        .collect();
    let mut seen = std::collections::HashSet::new();
    flat.into_iter()
        .zip(keep)
        .filter(|(v, keep)| *keep && seen.insert((v.path.clone(), v.message.clone())))
        .map(|(v, _)| v)
        .collect()
}

/// The property names an additional- or unevaluated-properties error refuses.
fn unexpected(error: &ValidationError<'_>) -> Vec<String> {
    use jsonschema::error::ValidationErrorKind as Kind;
    match error.kind() {
        Kind::AdditionalProperties { unexpected } | Kind::UnevaluatedProperties { unexpected } => {
            unexpected.clone()
        }
        _ => Vec::new(),
    }
}

/// Whether the newer schema also refuses what an older one refused at `path`: an error at `path` or
/// below it, or its parent refusing `path`'s own property (or, for a refused property, the same one).
fn newer_refuses(newer: &[(String, Vec<String>)], path: &str, refused: &[String]) -> bool {
    let (parent, key) = path.rsplit_once('/').unwrap_or(("", ""));
    newer.iter().any(|(at, names)| {
        let below = at == path || at.strip_prefix(path).is_some_and(|rest| rest.starts_with('/'));
        let parent_refuses_it = at == parent && names.iter().any(|n| n == key);
        let same_refused = at == path && names.iter().any(|n| refused.contains(n));
        below || parent_refuses_it || same_refused
    })
}

/// The error's message, with a long object or list it quotes cut down to its first characters.
fn message_for(error: &ValidationError<'_>) -> String {
    let message = error.to_string();
    let instance = error.instance();
    if !(instance.is_object() || instance.is_array()) {
        return message;
    }
    let quoted = instance.to_string();
    if quoted.len() <= 60 {
        return message;
    }
    let what = if instance.is_object() {
        "the object"
    } else {
        "the list"
    };
    message.replacen(&quoted, what, 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_vendored_schema_compiles() {
        for standard in Standard::ALL {
            assert!(!standard.validator().is_valid(&json!(42)), "{standard}");
        }
    }

    /// The compact schema is the vendored one less its annotations.
    #[test]
    fn the_compact_schemas_keep_every_assertion() {
        for standard in Standard::ALL {
            let full = standard.schema_text();
            let compact = standard.full_compact_text();
            assert!(
                compact.len() < full.len() * 3 / 4,
                "{standard}: {} of {}",
                compact.len(),
                full.len()
            );
            for keyword in [
                "\"required\"",
                "\"enum\"",
                "\"unevaluatedProperties\"",
                "\"pattern\"",
                "\"$ref\"",
            ] {
                assert_eq!(
                    compact.matches(keyword).count(),
                    full.matches(keyword).count(),
                    "{standard}: {keyword}"
                );
            }
        }
    }

    /// Every document at hand (the official examples and invalid examples, the wild corpus) and a
    /// server of every type, with and without the fields it needs, has the same violations under the
    /// split schemas (the document without its servers, each server by its type) as under the whole
    /// schema compiled at once.
    #[test]
    fn checking_servers_by_type_is_checking_the_whole_schema() {
        fn yaml_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).into_iter().flatten() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    yaml_files(&path, out);
                } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                    out.push(path);
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut files = Vec::new();
        for dir in [
            "tests/standards/official",
            "tests/standards/wild",
            "../shared/standards",
        ] {
            yaml_files(&root.join(dir), &mut files);
        }
        assert!(files.len() > 150, "{} files", files.len());
        let mut docs: Vec<(String, Value)> = files
            .iter()
            .flat_map(|file| {
                let text = std::fs::read_to_string(file).unwrap();
                let docs = crate::document::parse(&text).unwrap_or_default();
                docs.into_iter()
                    .map(move |d| (file.display().to_string(), d.value))
            })
            .collect();
        let mut servers = 0;
        for standard in ODCS {
            let whole: Value = serde_json::from_str(standard.full_compact_text()).unwrap();
            let types = whole
                .pointer("/$defs/Server/properties/type/enum")
                .and_then(Value::as_array)
                .unwrap()
                .clone();
            let server = |server: Value| {
                json!({"apiVersion": standard.api_version(), "kind": "DataContract", "id": "c", "version": "1.0.0",
                       "status": "active", "servers": [server]})
            };
            for server_type in types.iter().chain([&json!("hive"), &json!("nosuch"), &json!(7)]) {
                let bare = server(json!({"server": "s", "type": server_type}));
                let full = server(
                    json!({"server": "s", "type": server_type, "host": "h", "port": 5432,
                    "database": "d", "schema": "s", "location": "s3://b/k", "format": "csv", "project": "p",
                    "dataset": "d", "account": "a", "catalog": "c", "topic": "t", "path": "p", "stream": "s",
                    "region": "r", "warehouse": "w", "serviceName": "n", "delimiter": "comma"}),
                );
                docs.push((format!("{standard} server {server_type}"), bare));
                docs.push((format!("{standard} server {server_type}, every field"), full));
                servers += 2;
            }
            docs.push((
                format!("{standard} untyped server"),
                server(json!({"server": "s"})),
            ));
            docs.push((format!("{standard} server not an object"), server(json!("s"))));
        }
        assert!(servers > 200);
        let mut compared = 0;
        for standard in ODCS {
            let whole = compile("test-whole", standard.full_compact_text());
            for (name, doc) in &docs {
                let key = |v: Vec<Violation>| {
                    let mut v: Vec<(String, String)> = v.into_iter().map(|v| (v.path, v.message)).collect();
                    v.sort();
                    v
                };
                let split = key(standard.violations(doc));
                assert_eq!(
                    split,
                    key(precise(whole.iter_errors(doc), "")),
                    "{standard}: {name}"
                );
                assert_eq!(standard.accepts(doc), whole.is_valid(doc), "{standard}: {name}");
                compared += 1;
            }
        }
        assert!(compared > 1000);
    }

    #[test]
    fn versions_are_read_from_api_version() {
        let contract = |v: &str| json!({"apiVersion": v});
        assert_eq!(
            Standard::of(DocumentKind::DataContract, &contract("v3.0.1")),
            Ok(Some(Standard::OdcsV3_0_1))
        );
        assert_eq!(
            Standard::of(DocumentKind::DataProduct, &contract("v0.9.0")),
            Ok(Some(Standard::OdpsV1_0_0))
        );
        assert_eq!(
            Standard::of(DocumentKind::DataContract, &json!({})),
            Ok(Some(Standard::OdcsV3_1_0))
        );
        let refused = Standard::of(DocumentKind::DataContract, &contract("v2.2.2")).unwrap_err();
        assert_eq!(
            (refused.rule.as_str(), refused.path.as_str()),
            ("api-version", "/apiVersion")
        );
        assert!(
            refused.message.contains("v3.0.0, v3.0.1, v3.0.2, v3.1.0"),
            "{}",
            refused.message
        );
    }
}
