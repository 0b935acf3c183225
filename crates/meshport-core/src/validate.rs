//! Validating files as `meshport validate` does: find the documents, read them, and run every check
//! with the shipped policy packs and the ones the user names.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use meshport_governance::document::{self, Format, Positions};
use meshport_governance::policy::{PolicyPack, Source};
use meshport_governance::{Context, DocumentKind, PolicySet, document_kind, document_validate, packs};
use meshport_model::Finding;
use meshport_model::finding::FileReport;
use serde_json::Value;

use crate::{Error, Result};

/// One validated document with where its values stood in the file, for line and column output.
#[derive(Debug, Clone)]
pub struct DocumentReport {
    pub report: FileReport,
    pub positions: Positions,
}

/// Loads the policy packs: the shipped ones (unless `shipped` is false) and each folder in `dirs`,
/// which is a pack (it holds `pack.yaml`) or a folder of packs.
pub fn policies_load(dirs: &[PathBuf], shipped: bool) -> Result<PolicySet> {
    let mut packs = if shipped { packs::shipped() } else { Vec::new() };
    for dir in dirs {
        if dir.join("pack.yaml").is_file() {
            packs.push(pack_read(dir)?);
        } else {
            let mut found = false;
            for sub in read_dir_sorted(dir)? {
                if sub.join("pack.yaml").is_file() {
                    packs.push(pack_read(&sub)?);
                    found = true;
                }
            }
            if !found {
                return Err(Error::NoPack(dir.display().to_string()));
            }
        }
    }
    Ok(PolicySet::new(packs)?)
}

/// Reads one pack folder.
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
            Ok(docs) => read_docs.extend(docs.into_iter().map(|d| (shown.clone(), Read::Document(d)))),
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
    };
    Ok(read_docs
        .into_iter()
        .map(|(path, read)| match read {
            Read::Document(doc) => {
                let validated = document_validate(&doc.value, policies, &context);
                let report = FileReport {
                    path,
                    kind: validated.kind.map_or("unknown", DocumentKind::as_str).to_owned(),
                    valid: validated.valid(),
                    findings: validated.findings,
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
                },
                positions,
            },
        })
        .collect())
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
        let contracts: Vec<&Value> = match document_kind(doc) {
            Ok(DocumentKind::DataContract) => vec![doc],
            Ok(DocumentKind::ProvisioningRequest) => doc
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
    let text = read(path)?;
    let shown = path.display().to_string();
    let docs = document::parse(&text).map_err(|e| Error::Document {
        path: shown.clone(),
        message: e.to_string(),
    })?;
    let [doc] = docs.as_slice() else {
        return Err(Error::Document {
            path: shown,
            message: format!("holds {} documents; convert reads exactly one", docs.len()),
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
    Ok(document::write(&value, to))
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
