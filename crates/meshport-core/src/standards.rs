//! The standards' own operations: `meshport upgrade` (ODCS v3.0.x contracts rewritten as v3.1.0,
//! shown as a diff or written), and the rules `meshport validate --severity` and `--rules` name.
//!
//! The rewriting and the diff are `meshport_governance::upgrade`'s, which does no IO; this reads and
//! writes the files.

use std::path::{Path, PathBuf};

pub use meshport_governance::Standard;
pub use meshport_governance::semantic::{RULES, severity_parse};
pub use meshport_governance::upgrade::{DocumentUpgrade, Refusal};
use meshport_governance::upgrade::{UpgradeError, contracts_upgrade, unified_diff};

use crate::{Error, Result};

/// What [`files_upgrade`] did with one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileUpgrade {
    /// The file, as given.
    pub path: String,
    /// How many documents the file holds.
    pub documents: usize,
    pub outcome: UpgradeOutcome,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpgradeOutcome {
    /// Every document of the file upgraded or left as it was (already v3.1.0, or not a contract).
    Done {
        /// What happened to each document, in order.
        upgrades: Vec<DocumentUpgrade>,
        /// The unified diff of the file, when a document changed and the file was not written.
        diff: Option<String>,
        /// Whether the upgraded text was written over the file.
        written: bool,
    },
    /// Left unchanged: what in document `document` (from 0) cannot be mapped, each with its field.
    Refused { document: usize, refusals: Vec<Refusal> },
}

impl FileUpgrade {
    pub fn refused(&self) -> bool {
        matches!(self.outcome, UpgradeOutcome::Refused { .. })
    }
}

/// Rewrites the ODCS v3.0.x contracts in `files` as `to` (the newest ODCS version, the only one
/// upgrades write), keeping comments and key order. Without `write` nothing is written and each
/// changed file comes with its diff; with it, each file upgraded is written in place. A file holding
/// something that cannot be mapped is refused, naming the fields, and left unchanged; the others are
/// still upgraded.
///
/// Fails, before anything is written, when `to` is not the newest version or a file cannot be read
/// or is not YAML or JSON.
pub fn files_upgrade(files: &[PathBuf], to: &str, write: bool) -> Result<Vec<FileUpgrade>> {
    let latest = Standard::ODCS_LATEST.api_version();
    if to != latest {
        return Err(Error::Invalid(format!(
            "`{to}` is not a version upgrade writes: it writes ODCS {latest} only, so leave out --to or pass \
             --to {latest}"
        )));
    }
    let mut texts = Vec::with_capacity(files.len());
    for file in files {
        texts.push(std::fs::read_to_string(file).map_err(|source| Error::Io {
            path: file.display().to_string(),
            source,
        })?);
    }
    let mut upgrades = Vec::with_capacity(files.len());
    let mut rewritten = Vec::new();
    for (file, text) in files.iter().zip(&texts) {
        let path = file.display().to_string();
        let documents = meshport_governance::document::parse(text)
            .map(|docs| docs.len())
            .unwrap_or(0);
        let outcome = match contracts_upgrade(text, to) {
            Ok(upgraded) => {
                let changed = upgraded.changed();
                if changed && write {
                    rewritten.push((file.as_path(), upgraded.text.clone()));
                }
                UpgradeOutcome::Done {
                    diff: (changed && !write).then(|| unified_diff(&path, text, &upgraded.text)),
                    upgrades: upgraded.documents,
                    written: changed && write,
                }
            }
            Err(UpgradeError::Refused { document, refusals }) => {
                UpgradeOutcome::Refused { document, refusals }
            }
            Err(UpgradeError::Syntax(error)) => {
                return Err(Error::Document {
                    path,
                    message: format!(
                        "{error}: not YAML or JSON, so nothing was upgraded; fix it there or leave the file out"
                    ),
                });
            }
            Err(error @ UpgradeError::Target(_)) => return Err(Error::Invalid(error.to_string())),
        };
        upgrades.push(FileUpgrade {
            path,
            documents,
            outcome,
        });
    }
    for (file, text) in rewritten {
        write_file(file, &text)?;
    }
    Ok(upgrades)
}

fn write_file(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).map_err(|source| Error::Write {
        path: path.display().to_string(),
        source,
    })
}
