//! Validating files as `meshport validate` does: find the documents, read them, and run the checks of
//! their standard with the policy packs the user opted into (the project's `.meshport/policies`, the
//! folders and pack sets named with `--policies`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use meshport_governance::document::{self, Format, Positions};
use meshport_governance::policy::{Namespaces, Options, PolicyPack, Source};
use meshport_governance::{
    Context, DocumentKind, PolicySet, document_kind, document_standard, document_validate, packs, semantic,
};
use meshport_model::finding::{FileReport, PolicyException};
use meshport_model::{Finding, Severity};
use serde::Deserialize;
use serde_json::Value;

use crate::{Error, Result};

/// One validated document with where its values stood in the file, for line and column output.
#[derive(Debug, Clone)]
pub struct DocumentReport {
    pub report: FileReport,
    pub positions: Positions,
}

/// Which policies `meshport validate` applies, beside the standard's own checks.
#[derive(Debug, Clone, Default)]
pub struct PolicyOptions {
    /// `--policies` values: a folder (a Meshport pack, a folder of packs, or a conftest folder of
    /// `.rego` files), or the name of a pack set Meshport ships (see [`packs::SETS`]).
    pub sources: Vec<String>,
    /// Whether to apply the project's packs: the nearest `.meshport/policies` folder from the working
    /// directory upwards.
    pub project: bool,
    /// Conftest's `--namespace`: the packages of conftest folders to evaluate (`main` when empty).
    pub namespaces: Vec<String>,
    /// Conftest's `--all-namespaces`.
    pub all_namespaces: bool,
    /// Conftest's `--data`: YAML or JSON files (or folders of them) merged under `data`.
    pub data: Vec<PathBuf>,
    /// Packs synced from the active profile's platform ([`packs_synced`]).
    pub synced: Vec<PolicyPack>,
}

/// The folder of a project's own policies, looked up from the working directory upwards as conftest
/// looks for `policy/` and editors for `.editorconfig`.
pub const PROJECT_POLICIES: &str = ".meshport/policies";

/// The nearest `.meshport/policies` folder at `from` or above it.
pub fn project_policies_find(from: &Path) -> Option<PathBuf> {
    from.ancestors()
        .map(|dir| dir.join(PROJECT_POLICIES))
        .find(|dir| dir.is_dir())
}

/// Loads the policies `options` name, looking for the project's folder from `cwd`.
pub fn policies_load(options: &PolicyOptions, cwd: &Path) -> Result<PolicySet> {
    let mut loaded = options.synced.clone();
    if options.project
        && let Some(dir) = project_policies_find(cwd)
    {
        loaded.extend(packs_read(&dir)?);
    }
    for source in &options.sources {
        let path = Path::new(source);
        if path.exists() {
            loaded.extend(packs_read(path)?);
        } else if let Some(set) = packs::set(source) {
            loaded.extend(set);
        } else {
            return Err(Error::NoPolicies(format!(
                "`{source}` is neither a folder nor a pack set Meshport ships ({})",
                packs::SETS
                    .iter()
                    .map(|(name, _)| format!("`{name}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    let namespaces = if options.all_namespaces {
        Namespaces::All
    } else if options.namespaces.is_empty() {
        Namespaces::default()
    } else {
        Namespaces::Named(options.namespaces.clone())
    };
    let data = data_load(&options.data)?;
    Ok(PolicySet::with_options(loaded, Options { namespaces, data })?)
}

/// The documents in `paths` (YAML or JSON files, or folders of them), to merge under `data` as
/// conftest's `--data` does.
pub fn data_load(paths: &[PathBuf]) -> Result<Vec<Value>> {
    let mut data = Vec::new();
    for path in paths {
        let mut files = Vec::new();
        collect(path, &mut files)?;
        for file in files {
            let text = read(&file)?;
            let docs = document::parse(&text).map_err(|e| Error::Document {
                path: file.display().to_string(),
                message: e.to_string(),
            })?;
            // As OPA's loader (and so conftest) does, a file in a sub-folder of a data folder is
            // placed under the sub-folders' names: `data/k8s/limits.yaml` under `data.k8s`.
            let nesting: Vec<String> = file
                .parent()
                .and_then(|parent| parent.strip_prefix(path).ok())
                .map(|relative| {
                    relative
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect()
                })
                .unwrap_or_default();
            data.extend(docs.into_iter().map(|d| {
                nesting
                    .iter()
                    .rev()
                    .fold(d.value, |value, key| serde_json::json!({ key: value }))
            }));
        }
    }
    Ok(data)
}

/// The demo mesh's governance, which the desktop app applies while it runs against the demo platform.
pub fn policies_demo() -> Result<PolicySet> {
    let packs =
        packs::set("demo").ok_or_else(|| Error::NoPolicies("Meshport ships no `demo` pack set".into()))?;
    Ok(PolicySet::new(packs)?)
}

/// The policy packs synced from a platform into its offline cache: what that platform will apply, so
/// a user offline is checked by the same rules. Empty when the cache holds none (never synced).
pub async fn packs_synced(cache: &meshport_catalog::cache::Cache) -> Result<Vec<PolicyPack>> {
    packs_of(&pack_documents_synced(cache).await?)
}

/// The synced policy packs' documents, as the offline cache holds them.
pub async fn pack_documents_synced(cache: &meshport_catalog::cache::Cache) -> Result<Vec<Value>> {
    Ok(cache
        .documents(meshport_model::platform::ChangeEntity::PolicyPack)
        .await?)
}

/// The packs of published policy pack documents (as [`pack_documents_synced`] reads them).
pub fn packs_of(documents: &[Value]) -> Result<Vec<PolicyPack>> {
    documents
        .iter()
        .map(|document| -> Result<PolicyPack> {
            let published = meshport_model::platform::PolicyPack::deserialize(document).map_err(|e| {
                Error::NoPolicies(format!(
                    "a synced policy pack cannot be read ({e}): run `meshport catalog sync`"
                ))
            })?;
            Ok(PolicyPack::from_published(&published)?)
        })
        .collect()
}

/// The packs in a folder: the folder itself when it holds `pack.yaml`; otherwise each sub-folder
/// holding one, and the folder's own `.rego` files (recursively, outside those packs) as a conftest
/// folder named after the folder.
pub fn packs_read(dir: &Path) -> Result<Vec<PolicyPack>> {
    if !dir.is_dir() {
        return Err(Error::NoPolicies(format!("{} is not a folder", dir.display())));
    }
    if is_manifest_pack(dir) {
        return Ok(vec![pack_read(dir)?]);
    }
    let mut packs = Vec::new();
    let mut loose = Vec::new();
    rego_files(dir, dir, &mut packs, &mut loose)?;
    if !loose.is_empty() {
        let name = dir
            .canonicalize()
            .ok()
            .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| dir.display().to_string());
        packs.insert(0, PolicyPack::from_sources(&name, loose)?);
    }
    if packs.is_empty() {
        return Err(Error::NoPolicies(format!(
            "{} holds no .rego files and no pack (a folder with a pack.yaml)",
            dir.display()
        )));
    }
    Ok(packs)
}

fn is_manifest_pack(dir: &Path) -> bool {
    dir.join("pack.yaml").is_file() || dir.join("pack.yml").is_file()
}

/// Gathers the `.rego` files under `dir` (paths relative to `root`) into `loose`, and reads each
/// sub-folder that is a Meshport pack into `packs`.
fn rego_files(root: &Path, dir: &Path, packs: &mut Vec<PolicyPack>, loose: &mut Vec<Source>) -> Result<()> {
    for path in read_dir_sorted(dir)? {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            if is_manifest_pack(&path) {
                packs.push(pack_read(&path)?);
            } else {
                rego_files(root, &path, packs, loose)?;
            }
        } else if name.ends_with(".rego") {
            let relative = path.strip_prefix(root).unwrap_or(&path);
            loose.push(Source {
                path: relative.to_string_lossy().replace('\\', "/"),
                text: read(&path)?,
            });
        }
    }
    Ok(())
}

/// Reads one Meshport pack folder: its `pack.yaml` and `.rego` files.
pub fn pack_read(dir: &Path) -> Result<PolicyPack> {
    let mut sources = Vec::new();
    for path in read_dir_sorted(dir)? {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if path.is_file() && (name.ends_with(".rego") || name == "pack.yaml" || name == "pack.yml") {
            sources.push(Source {
                path: name,
                text: read(&path)?,
            });
        }
    }
    Ok(PolicyPack::from_sources(&dir.display().to_string(), sources)?)
}

/// Validates every document in `paths` (folders are searched recursively for .yaml, .yml and .json).
/// Output ports are checked against the contracts among all the documents given.
pub fn documents_validate(paths: &[PathBuf], policies: &PolicySet) -> Result<Vec<DocumentReport>> {
    let mut files = Vec::new();
    for path in paths {
        collect(path, &mut files)?;
    }
    // Every document of every file, or the reason a file holds none.
    let mut read_docs: Vec<(String, Read)> = Vec::new();
    for file in &files {
        let text = read(file)?;
        let shown = file.display().to_string();
        match document::parse(&text) {
            Ok(docs) if docs.is_empty() => {
                let finding = Finding::error(
                    "syntax",
                    "",
                    "the file holds no document",
                    "Write a YAML or JSON document.",
                );
                read_docs.push((shown, Read::Broken(finding, Positions::default())));
            }
            Ok(docs) => {
                for doc in docs {
                    match doc.value {
                        // As conftest does, a document that is a list of documents (a JSON array)
                        // is checked item by item.
                        Value::Array(items) if !items.is_empty() => {
                            read_docs.extend(items.into_iter().enumerate().map(|(i, value)| {
                                let positions = doc.positions.within(&format!("/{i}"));
                                (
                                    shown.clone(),
                                    Read::Document(document::Parsed { value, positions }),
                                )
                            }));
                        }
                        _ => read_docs.push((shown.clone(), Read::Document(doc))),
                    }
                }
            }
            Err(e) => {
                let format = if Format::from_path(file) == Format::Json {
                    "JSON"
                } else {
                    "YAML"
                };
                let finding = Finding::error(
                    "syntax",
                    "",
                    format!("not valid {format}: {}", e.message),
                    format!("Fix the syntax at line {}, column {}.", e.line, e.column),
                );
                read_docs.push((shown, Read::Broken(finding, Positions::at(e.line, e.column))));
            }
        }
    }
    let values = read_docs.iter().filter_map(|(_, read)| match read {
        Read::Document(doc) => Some(&doc.value),
        Read::Broken(..) => None,
    });
    let context = Context {
        contract_ids: contract_ids(values),
        complete: false,
    };
    Ok(read_docs
        .into_iter()
        .map(|(path, read)| match read {
            Read::Document(doc) => {
                let validated = document_validate(&doc.value, policies, &context);
                let kind = match (&validated.kind, validated.findings.first()) {
                    (Some(kind), _) => kind.as_str(),
                    (None, Some(first)) if first.rule == "document-kind" => "unknown",
                    (None, _) => "other",
                };
                let report = FileReport {
                    path,
                    kind: kind.to_owned(),
                    valid: validated.valid(),
                    findings: validated.findings,
                    exceptions: validated
                        .exceptions
                        .into_iter()
                        .map(|e| PolicyException {
                            rule: e.rule,
                            query: e.query,
                        })
                        .collect(),
                    packs: validated.packs,
                };
                DocumentReport {
                    report,
                    positions: doc.positions,
                }
            }
            Read::Broken(finding, positions) => DocumentReport {
                report: FileReport {
                    path,
                    kind: "unknown".to_owned(),
                    valid: false,
                    findings: vec![finding],
                    exceptions: Vec::new(),
                    packs: Vec::new(),
                },
                positions,
            },
        })
        .collect())
}

/// Sets the severity of every finding of the rules named (`meshport validate --severity RULE=LEVEL`,
/// read with [`crate::standards::severity_parse`]; the last naming a rule wins), after the packs' own
/// settings, then says again whether each document is valid.
pub fn severities_apply(docs: &mut [DocumentReport], severities: &[(String, Severity)]) {
    if severities.is_empty() {
        return;
    }
    for doc in docs {
        semantic::severities_override(&mut doc.report.findings, severities);
        doc.report.valid = !doc.report.findings.iter().any(Finding::is_error);
    }
}

/// One document read from a file, or why none could be.
#[derive(Debug)]
enum Read {
    Document(document::Parsed),
    Broken(Finding, Positions),
}

/// The ids of every contract given, standalone or inside a provisioning request; `None` if none is.
fn contract_ids<'a>(docs: impl Iterator<Item = &'a Value>) -> Option<BTreeSet<String>> {
    let mut ids = BTreeSet::new();
    let mut any = false;
    for doc in docs {
        let contracts: Vec<&Value> = match document_standard(doc) {
            Ok(Some(DocumentKind::DataContract)) => vec![doc],
            Ok(Some(DocumentKind::ProvisioningRequest)) => doc
                .get("contracts")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .collect(),
            _ => continue,
        };
        for contract in contracts {
            any = true;
            ids.extend(contract.get("id").and_then(Value::as_str).map(str::to_owned));
        }
    }
    any.then_some(ids)
}

fn collect(path: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let meta = std::fs::metadata(path).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })?;
    if meta.is_file() {
        out.push(path.to_owned());
        return Ok(());
    }
    for entry in read_dir_sorted(path)? {
        let name = entry
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.starts_with('.') || name == "node_modules" || name == "target" {
            continue;
        }
        if entry.is_dir() {
            collect(&entry, out)?;
        } else if [".yaml", ".yml", ".json"].iter().any(|ext| name.ends_with(ext)) {
            out.push(entry);
        }
    }
    Ok(())
}

fn read_dir_sorted(dir: &Path) -> Result<Vec<PathBuf>> {
    let io = |source| Error::Io {
        path: dir.display().to_string(),
        source,
    };
    let mut entries = std::fs::read_dir(dir)
        .map_err(io)?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<Vec<_>>>()
        .map_err(io)?;
    entries.sort();
    Ok(entries)
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })
}

/// Reads the document in `path` into the model and writes it back in `to`: what Meshport reads is
/// exactly what it writes. Fails, naming the field, when the document does not fit the model.
pub fn document_convert(path: &Path, to: Format) -> Result<String> {
    let (_, value) = document_read(path)?;
    Ok(document::write(&value, to))
}

/// Reads the one product, contract or provisioning request in `path` (YAML or JSON) through the
/// model, as `meshport convert` does: the value is what writing it back gives, and a document that
/// does not fit the model is an error naming the file, the line and the field.
pub fn document_read(path: &Path) -> Result<(DocumentKind, Value)> {
    let text = read(path)?;
    let shown = path.display().to_string();
    let docs = document::parse(&text).map_err(|e| Error::Document {
        path: shown.clone(),
        message: e.to_string(),
    })?;
    let [doc] = docs.as_slice() else {
        return Err(Error::Document {
            path: shown,
            message: format!(
                "holds {} documents; Meshport reads exactly one per file",
                docs.len()
            ),
        });
    };
    let kind = document_kind(&doc.value).map_err(|f| Error::Document {
        path: shown.clone(),
        message: f.message,
    })?;
    let typed = |e: serde_path_to_error::Error<serde_json::Error>| {
        let at = doc.positions.locate(&pointer_of(e.path()));
        let at = at
            .map(|p| format!("line {}, column {}: ", p.line, p.column))
            .unwrap_or_default();
        Error::Document {
            path: shown.clone(),
            message: format!("{at}{} at `{}`", e.inner(), e.path()),
        }
    };
    let value = match kind {
        DocumentKind::DataProduct => round_trip::<meshport_model::DataProduct>(&doc.value).map_err(typed)?,
        DocumentKind::DataContract => {
            round_trip::<meshport_model::DataContract>(&doc.value).map_err(typed)?
        }
        DocumentKind::ProvisioningRequest => {
            round_trip::<meshport_model::ProvisioningRequest>(&doc.value).map_err(typed)?
        }
    };
    Ok((kind, value))
}

fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(
    value: &Value,
) -> std::result::Result<Value, serde_path_to_error::Error<serde_json::Error>> {
    let typed: T = serde_path_to_error::deserialize(value)?;
    Ok(serde_json::to_value(typed).expect("model types always serialize"))
}

/// The JSON pointer of a serde path such as `schema[0].properties[2].logicalType`.
fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    path.iter()
        .map(|segment| match segment {
            Segment::Seq { index } => format!("/{index}"),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                format!("/{}", meshport_model::finding::pointer_token(key))
            }
            Segment::Unknown => String::new(),
        })
        .collect()
}
