//! `meshport diff` from end to end: the two sides read (two files, or a draft and the catalog's
//! version of its product), the contracts their ports reference gathered (files, a draft's own, the
//! offline cache's), the report made, and who it reaches read from the offline cache.

use std::path::{Path, PathBuf};

use meshport_catalog::cache::Cache;
use meshport_model::platform::ChangeEntity;
use serde_json::Value;

use super::{
    Contracts, DiffError, DiffReport, DocumentKind, Side, contract_ids, contracts_cached, diff_impact,
    document_read, documents_diff,
};
use crate::{Error, Result};

/// The two versions compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffSides {
    /// OLD and NEW: a data product (ODPS) or a data contract (ODCS) each, YAML or JSON.
    Files { old: PathBuf, new: PathBuf },
    /// A draft of the local store (its id) against the catalog's current version of its product,
    /// from the offline cache.
    Draft(String),
}

/// The offline cache read for contracts, downstream products and consumers' grants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffCache {
    /// A cache the user named: an error when it does not exist.
    Given(PathBuf),
    /// The cache of the profile or platform in use: a note in the report when it was never synced.
    Target(PathBuf),
    /// No cache (no profile in use).
    None,
}

/// Compares two versions of a data product or a data contract. `contract_files` are contracts the
/// products' output ports reference (the cache's version of each contract is read too; an id found in
/// two versions is compared between them). `local_store` is the local store's database (by default
/// the desktop's), opened only to read a draft. The report's notes say what could not be looked up.
///
/// An error names the input at fault and how to fix it: a file that cannot be read or is not a
/// product or a contract, two documents of different kinds, a port's contract found nowhere, a draft
/// whose product the cache does not hold.
pub async fn diff_run(
    sides: &DiffSides,
    contract_files: &[PathBuf],
    local_store: Option<&Path>,
    cache: &DiffCache,
) -> Result<DiffReport> {
    let (cache, cache_note) = cache_open(cache).await?;
    let mut contracts = Contracts::default();
    let (old_shown, new_shown, old_kind, old, new_kind, new) = match sides {
        DiffSides::Draft(id) => {
            let (new, own) = draft_read(id, local_store).await?;
            for contract in own {
                contracts.insert(contract);
            }
            let product_id = new
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let Some((cache, path)) = &cache else {
                return Err(Error::Invalid(format!(
                    "the draft {id} is compared with the catalog's version of its product, and there is no offline cache: run `meshport catalog sync`"
                )));
            };
            let Some(old) = cache.document(ChangeEntity::Product, &product_id).await? else {
                return Err(Error::Invalid(format!(
                    "the product `{product_id}` of the draft {id} is not in the catalog ({}): a new product breaks nobody; \
                     `meshport catalog sync` if it was published since",
                    path.display()
                )));
            };
            (
                format!("the catalog's {product_id}"),
                format!("the draft {id}"),
                DocumentKind::DataProduct,
                old,
                DocumentKind::DataProduct,
                new,
            )
        }
        DiffSides::Files {
            old: old_path,
            new: new_path,
        } => {
            let (old_kind, old) = read(old_path)?;
            let (new_kind, new) = read(new_path)?;
            (
                old_path.display().to_string(),
                new_path.display().to_string(),
                old_kind,
                old,
                new_kind,
                new,
            )
        }
    };
    if old_kind != new_kind {
        return Err(Error::Invalid(format!(
            "{old_shown} is a {} and {new_shown} a {}: diff compares two versions of one document; give two data products or \
             two data contracts",
            old_kind.label(),
            new_kind.label()
        )));
    }
    let mut notes = Vec::new();
    notes.extend(cache_note);
    for path in contract_files {
        let (kind, contract) = read(path)?;
        if kind != DocumentKind::DataContract {
            return Err(Error::Invalid(format!(
                "{} is a {}; --contract takes data contracts (ODCS, kind: DataContract)",
                path.display(),
                kind.label()
            )));
        }
        contracts.insert(contract);
    }
    if old_kind == DocumentKind::DataContract && !contract_files.is_empty() {
        notes.push("--contract files are only read when comparing data products".to_owned());
    }
    if old_kind == DocumentKind::DataProduct
        && let Some((cache, _)) = &cache
    {
        // The catalog's version of every contract referenced, beside the files' (a file of a contract
        // the cache holds is usually its next version).
        let mut ids: Vec<String> = contract_ids(&old);
        ids.extend(contract_ids(&new));
        ids.sort();
        ids.dedup();
        for (_, contract) in contracts_cached(cache, &ids).await? {
            contracts.insert(contract);
        }
    }
    let resolve = |side: Side, id: &str| contracts.resolve(side, id);
    let mut report = match documents_diff(&old, &new, &resolve) {
        Ok(report) => report,
        Err(DiffError::ContractMissing {
            side,
            port,
            contract_id,
        }) => {
            let file = match side {
                Side::Old => &old_shown,
                Side::New => &new_shown,
            };
            let looked = match &cache {
                Some((_, path)) => format!(" and the offline cache {} does not either", path.display()),
                None => " and no offline cache was found".to_owned(),
            };
            return Err(Error::Invalid(format!(
                "{file}: output port `{port}` references contract `{contract_id}`, which no --contract file \
                 holds{looked}: pass the contract with `--contract FILE`, or run `meshport catalog sync` so \
                 that the cache holds it"
            )));
        }
        Err(error) => return Err(Error::Invalid(error.to_string())),
    };
    match &cache {
        Some((cache, _)) => diff_impact(cache, &mut report).await?,
        None if report.breaking > 0 => notes.push(
            "downstream products and consumers were not looked up: there is no offline cache (run \
             `meshport catalog sync`, or pass --cache PATH)"
                .to_owned(),
        ),
        None => {}
    }
    report.notes.extend(notes);
    Ok(report)
}

/// A draft's product, and the contracts of its own when the draft is a whole provisioning request.
async fn draft_read(id: &str, local_store: Option<&Path>) -> Result<(Value, Vec<Value>)> {
    let db = match local_store {
        Some(db) => db.to_owned(),
        None => crate::paths::default_db_path()?,
    };
    let store = crate::local_store_open(&db).await?;
    let draft = crate::outbox::draft_get(&store, id).await?;
    let document = draft.document;
    if document.get("kind").and_then(Value::as_str) == Some("ProvisioningRequest") {
        let contracts = document
            .get("contracts")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        return Ok((document["product"].clone(), contracts));
    }
    Ok((document, Vec::new()))
}

/// One product or contract, or an error naming the file and how to fix it.
fn read(path: &Path) -> Result<(DocumentKind, Value)> {
    let hint = format!("; `meshport validate {}` lists every problem", path.display());
    document_read(path).map_err(|error| match error {
        Error::Io { .. } => Error::Invalid(format!("{error}: check the path")),
        Error::Document { path, message } => Error::Document {
            path,
            message: message + &hint,
        },
        error => Error::Invalid(format!("{error}{hint}")),
    })
}

/// The offline cache to read, with its path, and why there is none when there is not.
async fn cache_open(cache: &DiffCache) -> Result<(Option<(Cache, PathBuf)>, Option<String>)> {
    let path = match cache {
        DiffCache::Given(path) if !path.exists() => {
            return Err(Error::Invalid(format!(
                "no cache at {}: run `meshport catalog sync` once, online, or leave out --cache",
                path.display()
            )));
        }
        DiffCache::Given(path) | DiffCache::Target(path) => path,
        DiffCache::None => return Ok((None, None)),
    };
    if !path.exists() {
        return Ok((
            None,
            Some(format!(
                "no offline cache at {} (run `meshport catalog sync` once, online)",
                path.display()
            )),
        ));
    }
    let cache = Cache::open(path).await?;
    Ok((Some((cache, path.clone())), None))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::test_support::contract;
    use serde_json::json;

    #[tokio::test]
    async fn a_cache_named_must_exist_and_one_never_synced_is_a_note() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, document: Value| {
            let path = dir.path().join(name);
            std::fs::write(&path, document.to_string()).unwrap();
            path
        };
        let sides = DiffSides::Files {
            old: write(
                "old.json",
                contract("1.0.0", json!([{"name": "id"}, {"name": "amount"}])),
            ),
            new: write("new.json", contract("1.1.0", json!([{"name": "id"}]))),
        };
        let missing = dir.path().join("cache.db");
        let error = diff_run(&sides, &[], None, &DiffCache::Given(missing.clone()))
            .await
            .unwrap_err();
        assert!(error.to_string().starts_with("no cache at"), "{error}");
        let report = diff_run(&sides, &[], None, &DiffCache::Target(missing.clone()))
            .await
            .unwrap();
        assert_eq!((report.breaking, report.impact_computed), (1, false));
        let notes = report.notes.join("\n");
        assert!(notes.contains("no offline cache at"), "{notes}");
        assert!(notes.contains("were not looked up"), "{notes}");
        assert!(!missing.exists(), "a cache never synced is not created");

        let error = diff_run(&sides, &[dir.path().join("nope.json")], None, &DiffCache::None)
            .await
            .unwrap_err();
        assert!(error.to_string().ends_with("check the path"), "{error}");
    }
}
