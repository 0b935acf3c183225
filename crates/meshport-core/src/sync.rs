//! `catalog_sync`: the platform's change feed into the offline cache, from the cursor the cache last
//! committed. Each page is applied in one transaction with its cursor; a first sync, or a cursor the
//! feed no longer keeps (410), is a full resync in one transaction, so a reader never sees a
//! half-synced catalog.

use meshport_catalog::cache::{Cache, SearchQuery, SearchResult};
use meshport_client::Client;
use serde::Serialize;

use crate::Result;

/// Changes asked for per page.
pub const PAGE: u32 = 1000;

/// Where a sync is, reported after each page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncProgress {
    pub pages: usize,
    pub changes: usize,
    /// Whether this sync replaces the whole cache (first sync, or an expired cursor).
    pub full: bool,
}

/// What a sync did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncReport {
    pub pages: usize,
    pub changes: usize,
    pub full: bool,
    /// The feed's sequence number the cache now holds everything up to.
    pub cursor: i64,
    pub products: u64,
    pub finished_at: String,
}

fn now() -> String {
    jiff::Timestamp::now().to_string()
}

/// Brings `cache` up to date with the platform `client` talks to. `progress` hears of every page.
pub async fn catalog_sync(
    client: &Client,
    cache: &Cache,
    mut progress: impl FnMut(SyncProgress),
) -> Result<SyncReport> {
    let platform = client.base_url().to_owned();
    let state = cache.state().await?;
    let mut done = SyncProgress {
        pages: 0,
        changes: 0,
        full: false,
    };
    // A cache of another platform (a profile pointed elsewhere) starts over too.
    let incremental = match (state.cursor, state.platform.as_deref()) {
        (Some(cursor), Some(p)) if p == platform => Some(cursor),
        _ => None,
    };
    let mut cursor = match incremental {
        None => None,
        Some(mut after) => loop {
            match client.changes_list(after, Some(PAGE)).await {
                Ok(page) => {
                    cache.page_apply(&platform, &page).await?;
                    done.pages += 1;
                    done.changes += page.changes.len();
                    after = page.next;
                    progress(done);
                    if !page.has_more {
                        break Some(after);
                    }
                }
                // The feed no longer keeps our cursor: resync from the start.
                Err(e) if e.status() == Some(410) => break None,
                Err(e) => return Err(e.into()),
            }
        },
    };
    if cursor.is_none() {
        done.full = true;
        let mut resync = cache.resync_begin().await?;
        let mut after = 0;
        loop {
            let page = client.changes_list(after, Some(PAGE)).await?;
            resync.page_apply(&page).await?;
            done.pages += 1;
            done.changes += page.changes.len();
            after = page.next;
            progress(done);
            if !page.has_more {
                break;
            }
        }
        resync.commit(&platform, after, &now()).await?;
        cursor = Some(after);
    }
    let finished_at = now();
    cache.sync_succeeded(&finished_at).await?;
    Ok(SyncReport {
        pages: done.pages,
        changes: done.changes,
        full: done.full,
        cursor: cursor.unwrap_or_default(),
        products: cache.products_count().await?,
        finished_at,
    })
}

/// How many products' quality history one sync round fills at most: a first sync of a large catalog
/// fills it over several rounds rather than holding the first one up.
pub const BACKFILL_PER_ROUND: u32 = 25;

/// Fills the 90 days of quality history of up to `limit` products the cache holds a quality summary
/// of but no history yet (a first sync brings only each product's latest run), from the platform's
/// report; how many were filled. A product the platform has no report of is recorded as filled (with
/// nothing), so it is not asked again; an unreachable platform ends the round.
pub async fn quality_backfill(client: &Client, cache: &Cache, limit: u32) -> Result<usize> {
    let mut filled = 0;
    for product in cache.quality_backfill_due(limit).await? {
        match client.quality_report(&product, Some(90)).await {
            Ok(report) => {
                let checks: Vec<_> = report.latest.iter().map(|r| r.check.clone()).collect();
                cache
                    .quality_history_put(&product, &checks, &report.history)
                    .await?;
                filled += 1;
            }
            Err(error) if error.is_unreachable() => return Err(error.into()),
            Err(error) if matches!(error.status(), Some(404 | 409)) => {
                cache.quality_history_put(&product, &[], &[]).await?;
            }
            Err(error) => tracing::warn!(%error, product, "the quality history could not be read"),
        }
    }
    Ok(filled)
}

/// Searches the cache, offline.
pub async fn catalog_search(cache: &Cache, query: &SearchQuery) -> Result<SearchResult> {
    Ok(cache.search(query).await?)
}
