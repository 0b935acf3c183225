//! `meshport catalog sync|search`: the platform's catalog in an offline cache, and search over it
//! (which needs no network).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use meshport_core::cache::{Cache, FacetCount, SearchQuery};
use meshport_core::sync::{BACKFILL_PER_ROUND, catalog_search, catalog_sync, quality_backfill};

use crate::platform::{OutputFormat, PlatformArgs, connect, print_json, target};

#[derive(Debug, Subcommand)]
pub enum CatalogCommand {
    /// Pull the platform's change feed into the offline cache, from where the last sync ended.
    Sync {
        #[command(flatten)]
        platform: PlatformArgs,
        #[command(flatten)]
        cache: CacheArgs,
    },
    /// Search the offline cache (no network): names, descriptions, tags, columns, owners, each word
    /// matched as a prefix, ranked, with facet counts.
    Search(SearchArgs),
}

#[derive(Debug, Args)]
pub struct CacheArgs {
    /// The cache file; by default the one of the platform, in the data folder.
    #[arg(long, value_name = "PATH")]
    cache: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The words to find; empty lists everything (with the filters).
    #[arg(default_value = "")]
    text: String,
    #[arg(long)]
    domain: Option<String>,
    #[arg(long)]
    status: Option<String>,
    #[arg(long)]
    tag: Option<String>,
    #[arg(long)]
    owner: Option<String>,
    /// Only products with an open incident.
    #[arg(long)]
    open_incident: bool,
    /// Results shown, 1 to 1000.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=1000))]
    limit: u32,
    /// Values listed per facet, the most frequent first (the selected one always); 0 lists all of
    /// them. The text output shows 8 of them at most and how many more there are.
    #[arg(long, default_value_t = 0)]
    facet_limit: u32,
    /// Whose cache to search: a profile (default the active one), or a platform address.
    #[command(flatten)]
    target: PlatformArgs,
    #[command(flatten)]
    cache: CacheArgs,
}

/// The cache file: `--cache`, else the target's (a profile's, or a platform address's).
fn cache_file(args: &CacheArgs, platform: &PlatformArgs) -> anyhow::Result<PathBuf> {
    match &args.cache {
        Some(path) => Ok(path.clone()),
        None => Ok(target(platform)?.cache_path()?),
    }
}

pub async fn catalog(command: CatalogCommand) -> anyhow::Result<ExitCode> {
    match command {
        CatalogCommand::Sync { platform, cache } => {
            let client = connect(&platform)?;
            let path = cache_file(&cache, &platform)?;
            let cache = Cache::open(&path).await?;
            let text = platform.format == OutputFormat::Text;
            let report = catalog_sync(&client, &cache, |p| {
                if text {
                    eprint!(
                        "\r{} {} page(s), {} change(s)",
                        if p.full { "full sync:" } else { "sync:" },
                        p.pages,
                        p.changes
                    );
                }
            })
            .await;
            if text {
                eprintln!();
            }
            // As the window's sync does: the 90 days of quality history of the products whose
            // latest run the sync brought and whose history the cache does not hold yet.
            let mut filled = 0;
            if report.is_ok() {
                loop {
                    match quality_backfill(&client, &cache, BACKFILL_PER_ROUND).await {
                        Ok(0) => break,
                        Ok(n) => filled += n,
                        Err(error) => {
                            eprintln!("meshport: the quality history waits for the next sync: {error}");
                            break;
                        }
                    }
                }
            }
            match report {
                Ok(report) if text => {
                    println!(
                        "{} {} change(s) in {} page(s); the cache holds {} product(s) up to change {} ({})",
                        if report.full { "full sync:" } else { "synced:" },
                        report.changes,
                        report.pages,
                        report.products,
                        report.cursor,
                        path.display()
                    );
                    if filled > 0 {
                        println!("the quality history of {filled} product(s) filled (90 days)");
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Ok(report) => {
                    let mut answer = serde_json::to_value(&report)?;
                    answer["qualityHistoryFilled"] = filled.into();
                    print_json(&answer)?;
                    Ok(ExitCode::SUCCESS)
                }
                Err(error) => {
                    let state = cache.state().await?;
                    eprintln!("meshport: sync failed: {error}");
                    eprintln!(
                        "meshport: the cache is as the last page left it (change {}; last full success {}); search still works offline",
                        state
                            .cursor
                            .map(|c| c.to_string())
                            .unwrap_or_else(|| "none".into()),
                        state.last_success_at.as_deref().unwrap_or("never")
                    );
                    Ok(ExitCode::from(2))
                }
            }
        }
        CatalogCommand::Search(args) => {
            let path = cache_file(&args.cache, &args.target)?;
            if !path.exists() {
                anyhow::bail!(
                    "no cache at {}: run `meshport catalog sync` once, online",
                    path.display()
                );
            }
            let cache = Cache::open(&path).await?;
            let query = SearchQuery {
                text: args.text.clone(),
                domain: args.domain.clone(),
                status: args.status.clone(),
                tag: args.tag.clone(),
                owner: args.owner.clone(),
                open_incident: args.open_incident.then_some(true),
                limit: args.limit,
                facet_limit: args.facet_limit,
            };
            let result = catalog_search(&cache, &query).await?;
            if args.target.format == OutputFormat::Json {
                print_json(&result)?;
                return Ok(ExitCode::SUCCESS);
            }
            let mut out = std::io::stdout().lock();
            for hit in &result.hits {
                writeln!(
                    out,
                    "{}  {} ({}, {}, {})",
                    hit.id, hit.name, hit.domain, hit.status, hit.version
                )?;
                if let Some(purpose) = &hit.purpose {
                    writeln!(out, "    {purpose}")?;
                }
            }
            writeln!(out, "{} of {} product(s)", result.hits.len(), result.total)?;
            let facet = |name: &str, counts: &[FacetCount], size: u64| {
                let mut list: Vec<String> = counts
                    .iter()
                    .take(8)
                    .map(|c| format!("{} {}", c.value, c.count))
                    .collect();
                let more = size.saturating_sub(list.len() as u64);
                if more > 0 {
                    list.push(format!("and {more} more"));
                }
                format!("  {name:<14} {}", list.join(", "))
            };
            let (facets, sizes) = (&result.facets, &result.facet_sizes);
            writeln!(out, "facets:")?;
            writeln!(out, "{}", facet("domain", &facets.domain, sizes.domain))?;
            writeln!(out, "{}", facet("status", &facets.status, sizes.status))?;
            writeln!(out, "{}", facet("tag", &facets.tag, sizes.tag))?;
            writeln!(out, "{}", facet("owner", &facets.owner, sizes.owner))?;
            writeln!(
                out,
                "{}",
                facet("open incident", &facets.open_incident, sizes.open_incident)
            )?;
            let state = cache.state().await?;
            writeln!(
                out,
                "(offline cache {}, last synced {})",
                path.display(),
                state.last_success_at.as_deref().unwrap_or("never")
            )?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
