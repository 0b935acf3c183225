//! `meshport diff OLD NEW`: the changes between two versions of a data product or a data contract,
//! which of them break consumers, and who downstream they reach (from the offline cache).
//!
//! Exits 0 when no change breaks (or the major version went up, with a note), 1 when one does and the
//! major version did not go up, 2 on a usage or read error.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{anyhow, bail};
use clap::Args;
use meshport_core::cache::Cache;
use meshport_core::diff::{
    self, Contracts, DiffError, DiffReport, DocumentKind, Side, contract_ids, contracts_cached, diff_impact,
    document_read,
};
use serde_json::Value;

use crate::platform::{OutputFormat, PlatformArgs, print_json, target};

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The version before: a data product (ODPS) or a data contract (ODCS), YAML or JSON.
    #[arg(
        value_name = "OLD",
        required_unless_present = "draft",
        conflicts_with = "draft"
    )]
    old: Option<PathBuf>,
    /// The version after, of the same kind.
    #[arg(value_name = "NEW", required_unless_present = "draft")]
    new: Option<PathBuf>,
    /// Compare a local draft (`meshport draft list`) with the catalog's current version of its product
    /// (from the offline cache), instead of two files.
    #[arg(long, value_name = "ID")]
    draft: Option<String>,
    /// A data contract (ODCS) the products' output ports reference by `contractId`; repeatable.
    /// The offline cache's version of each contract is read too. A contract id found in two versions
    /// (two files, or a file and the cache) is compared between them: OLD's ports read the lower
    /// `version`, NEW's the higher.
    #[arg(long = "contract", value_name = "FILE")]
    contracts: Vec<PathBuf>,
    /// The offline cache (`meshport catalog sync`) to read contracts, downstream products and
    /// consumers' grants from; by default the cache of the profile in use (or of --platform).
    #[arg(long, value_name = "PATH")]
    cache: Option<PathBuf>,
    /// Whose cache to read: a profile (default the active one), or a platform address.
    #[command(flatten)]
    target: PlatformArgs,
}

/// `meshport diff`.
pub async fn diff(args: DiffArgs, db: Option<&Path>) -> anyhow::Result<ExitCode> {
    let (cache, cache_note) = cache_open(&args).await?;
    let mut contracts = Contracts::default();
    let (old_shown, new_shown, old_kind, old, new_kind, new) = match (&args.draft, &args.old, &args.new) {
        (Some(id), _, _) => {
            let (new, own) = draft_read(id, db).await?;
            for contract in own {
                contracts.insert(contract);
            }
            let product_id = new
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let Some((cache, path)) = &cache else {
                bail!(
                    "the draft {id} is compared with the catalog's version of its product, and there is no offline cache: run `meshport catalog sync`"
                );
            };
            let Some(old) = cache
                .document(meshport_model::platform::ChangeEntity::Product, &product_id)
                .await?
            else {
                bail!(
                    "the product `{product_id}` of the draft {id} is not in the catalog ({}): a new product breaks nobody; \
                     `meshport catalog sync` if it was published since",
                    path.display()
                );
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
        (None, Some(old_path), Some(new_path)) => {
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
        _ => bail!("give OLD and NEW files, or --draft ID"),
    };
    if old_kind != new_kind {
        bail!(
            "{old_shown} is a {} and {new_shown} a {}: diff compares two versions of one document; give two data products or \
             two data contracts",
            old_kind.label(),
            new_kind.label()
        );
    }
    let mut notes = Vec::new();
    notes.extend(cache_note);
    for path in &args.contracts {
        let (kind, contract) = read(path)?;
        if kind != DocumentKind::DataContract {
            bail!(
                "{} is a {}; --contract takes data contracts (ODCS, kind: DataContract)",
                path.display(),
                kind.label()
            );
        }
        contracts.insert(contract);
    }
    if old_kind == DocumentKind::DataContract && !args.contracts.is_empty() {
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
    let mut report = match diff::documents_diff(&old, &new, &resolve) {
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
            bail!(
                "{file}: output port `{port}` references contract `{contract_id}`, which no --contract file \
                 holds{looked}: pass the contract with `--contract FILE`, or run `meshport catalog sync` so \
                 that the cache holds it"
            );
        }
        Err(error) => bail!("{error}"),
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
    if args.target.format == OutputFormat::Json {
        print_json(&report)?;
    } else {
        text(&mut std::io::stdout().lock(), &report)?;
    }
    Ok(ExitCode::from(report.exit_code()))
}

/// A draft's product, and the contracts of its own when the draft is a whole provisioning request.
async fn draft_read(id: &str, db: Option<&Path>) -> anyhow::Result<(Value, Vec<Value>)> {
    let db = match db {
        Some(db) => db.to_owned(),
        None => meshport_core::paths::default_db_path()?,
    };
    let catalog = meshport_core::catalog_open(&db).await?;
    let draft = meshport_core::outbox::draft_get(&catalog, id).await?;
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
fn read(path: &Path) -> anyhow::Result<(DocumentKind, Value)> {
    document_read(path).map_err(|error| match error {
        meshport_core::Error::Io { .. } => anyhow!("{error}: check the path"),
        error => anyhow!(
            "{error}; `meshport validate {}` lists every problem",
            path.display()
        ),
    })
}

/// The offline cache to read, and why there is none when there is not. A `--cache` that does not
/// exist, or a profile named that does not, is an error; no profile in use is not.
async fn cache_open(args: &DiffArgs) -> anyhow::Result<(Option<(Cache, PathBuf)>, Option<String>)> {
    let path = match &args.cache {
        Some(path) if !path.exists() => bail!(
            "no cache at {}: run `meshport catalog sync` once, online, or leave out --cache",
            path.display()
        ),
        Some(path) => path.clone(),
        None => match target(&args.target) {
            Ok(target) => target.cache_path()?,
            Err(error) if args.target.profile.is_some() => return Err(error),
            Err(_) => return Ok((None, None)),
        },
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
    let cache = Cache::open(&path).await?;
    Ok((Some((cache, path)), None))
}

fn text(out: &mut impl Write, report: &DiffReport) -> std::io::Result<()> {
    let versions = |v: &Option<String>| v.clone().unwrap_or_else(|| "no version".into());
    let name = report
        .name
        .as_deref()
        .map(|n| format!(" ({n})"))
        .unwrap_or_default();
    writeln!(
        out,
        "{} {}{name}: {} → {}",
        report.kind.label(),
        report.id,
        versions(&report.old_version),
        versions(&report.new_version)
    )?;
    if report.changes.is_empty() {
        writeln!(out, "no change")?;
    }
    let path = |p: &str| if p.is_empty() { "(document)" } else { p }.to_owned();
    let width = |f: &dyn Fn(&diff::Change) -> usize| report.changes.iter().map(f).max().unwrap_or(0);
    let path_width = width(&|c| path(&c.path).chars().count());
    let kind_width = width(&|c| c.kind.as_str().len());
    for change in &report.changes {
        let status = if change.breaking { "BREAKING" } else { "ok" };
        writeln!(
            out,
            "{status:<8}  {:<path_width$}  {:<kind_width$}  {}",
            path(&change.path),
            change.kind.as_str(),
            change.message
        )?;
    }
    if !report.products.is_empty() {
        writeln!(out, "Used by:")?;
        for used in &report.products {
            writeln!(
                out,
                "  product {}{}: output port `{}`{}",
                used.product_id,
                used.name
                    .as_deref()
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default(),
                used.port,
                used.port_version
                    .as_deref()
                    .map(|v| format!(" version {v}"))
                    .unwrap_or_default()
            )?;
        }
    }
    if report.breaking > 0 && report.impact_computed {
        writeln!(out, "Downstream:")?;
        if report.downstream.is_empty() && report.consumers.is_empty() {
            writeln!(
                out,
                "  none in the offline cache: no product reads the broken ports, no consumer holds a grant"
            )?;
        }
        for d in &report.downstream {
            writeln!(
                out,
                "  product {}{} reads `{}` of {} through its input port `{}`",
                d.product_id,
                d.name.as_deref().map(|n| format!(" ({n})")).unwrap_or_default(),
                d.upstream_port,
                d.upstream_product_id,
                d.input_port
            )?;
        }
        for c in &report.consumers {
            writeln!(
                out,
                "  consumer {} holds an active grant on `{}` of {} (access request {})",
                c.consumer, c.port, c.product_id, c.request_id
            )?;
        }
    }
    for note in &report.notes {
        writeln!(out, "note: {note}")?;
    }
    writeln!(out, "verdict: {}", report.summary())
}
