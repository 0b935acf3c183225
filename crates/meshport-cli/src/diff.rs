//! `meshport diff OLD NEW`: the changes between two versions of a data product or a data contract,
//! which of them break consumers, and who downstream they reach (from the offline cache).
//!
//! Exits 0 when no change breaks (or the major version went up, with a note), 1 when one does and the
//! major version did not go up, 2 on a usage or read error.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::bail;
use clap::Args;
use meshport_core::diff::{self, DiffCache, DiffReport, DiffSides, diff_run};

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

/// `meshport diff`: the arguments to core's [`diff_run`], and the report printed.
pub async fn diff(args: DiffArgs, db: Option<&Path>) -> anyhow::Result<ExitCode> {
    let cache = match &args.cache {
        Some(path) => DiffCache::Given(path.clone()),
        // No profile in use is not an error; a profile named that does not exist is.
        None => match target(&args.target) {
            Ok(target) => DiffCache::Target(target.cache_path()?),
            Err(error) if args.target.profile.is_some() => return Err(error),
            Err(_) => DiffCache::None,
        },
    };
    let sides = match (args.draft, args.old, args.new) {
        (Some(id), _, _) => DiffSides::Draft(id),
        (None, Some(old), Some(new)) => DiffSides::Files { old, new },
        _ => bail!("give OLD and NEW files, or --draft ID"),
    };
    let report = diff_run(&sides, &args.contracts, db, &cache).await?;
    if args.target.format == OutputFormat::Json {
        print_json(&report)?;
    } else {
        text(&mut std::io::stdout().lock(), &report)?;
    }
    Ok(ExitCode::from(report.exit_code()))
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
