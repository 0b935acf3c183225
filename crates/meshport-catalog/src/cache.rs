//! The offline cache of a platform: products, contracts, policy packs, quality summaries, incidents
//! and access requests as the platform's change feed said, and the search over them.
//!
//! A feed page is applied in one transaction together with the cursor it ends at, so a crash leaves
//! the cache before or after a page, never between. A full resync (the cursor expired) runs in one
//! transaction too: readers keep the old catalog (WAL) until it commits, then see the new one whole.
//! Search is SQLite FTS5 over names, descriptions, tags, column names and descriptions and owners,
//! ranked by bm25, with prefix matching and facet counts.

use std::collections::BTreeSet;
use std::path::Path;
use std::str::FromStr;

use meshport_model::platform::{Change, ChangeEntity, ChangePage, UserRoles};
use meshport_model::trust::{CheckStatus, QualityCheck, QualityHistory, QualityPoint};
use serde::Serialize;
use serde_json::Value;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, Sqlite, SqliteConnection, SqlitePool, Transaction};

use crate::{Error, Result};

mod bitmaps;
#[cfg(test)]
mod facet_tests;
mod facets;
mod home;
#[cfg(test)]
mod home_tests;
mod notices;
#[cfg(test)]
mod notices_tests;
#[cfg(test)]
mod product_view_tests;
#[cfg(test)]
mod quality_history_tests;
mod rank;
#[cfg(test)]
mod rank_tests;
mod search;

use facets::Counting;
pub use search::{RANKED_MATCHES, fts_query};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./cache_migrations");

/// A platform's offline cache; cheap to clone.
#[derive(Debug, Clone)]
pub struct Cache {
    pool: SqlitePool,
    /// The facet values' bitmaps as last read (`bitmaps`), for searches with words.
    facet_docs: bitmaps::FacetDocsKept,
}

/// Where the cache stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncState {
    /// The feed's sequence number the cache holds everything up to; `None` before the first sync.
    pub cursor: Option<i64>,
    pub last_success_at: Option<String>,
    pub platform: Option<String>,
}

/// What one page changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Applied {
    pub upserted: usize,
    pub deleted: usize,
}

/// The documents [`Cache::impact_documents`] found: ODPS products and the platform's access requests.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImpactDocuments {
    pub products: Vec<Value>,
    pub access_requests: Vec<Value>,
}

pub use meshport_model::offline::{
    AccessList, CheckTrend, FACET_NAMES, FacetCount, FacetSizes, Facets, IncidentFilter, IncidentList,
    LineageEdge, LineageNode, LineageView, ProductLink, ProductView, SearchHit, SearchQuery, SearchResult,
};

impl Cache {
    /// Opens (creating if missing) the cache file at `path`.
    pub async fn open(path: &Path) -> Result<Cache> {
        if let Some(parent) = path.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(std::time::Duration::from_secs(10))
            // Search reads the pages it needs in place (file-backed, shared with the page cache)
            // rather than copying each into a private cache through a system call.
            .pragma("mmap_size", "268435456");
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(|source| Error::Open {
                path: path.display().to_string(),
                source,
            })?;
        Cache::ready(pool).await
    }

    /// Runs the migrations and builds the search bitmaps of a cache written before them.
    async fn ready(pool: SqlitePool) -> Result<Cache> {
        MIGRATOR.run(&pool).await?;
        let built: i64 = sqlx::query_scalar("SELECT built FROM search_bitmaps_state WHERE id = 1")
            .fetch_one(&pool)
            .await?;
        if built == 0 {
            let began = std::time::Instant::now();
            let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
            bitmaps::build(&mut tx).await?;
            tx.commit().await?;
            tracing::info!(took = ?began.elapsed(), "search bitmaps built");
        }
        Ok(Cache {
            pool,
            facet_docs: bitmaps::FacetDocsKept::default(),
        })
    }

    /// A private in-memory cache, for tests.
    pub async fn open_in_memory() -> Result<Cache> {
        let options = SqliteConnectOptions::from_str("sqlite::memory:")?;
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await?;
        Cache::ready(pool).await
    }

    pub async fn state(&self) -> Result<SyncState> {
        let row = sqlx::query("SELECT cursor, last_success_at, platform FROM sync_state WHERE id = 1")
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            None => SyncState {
                cursor: None,
                last_success_at: None,
                platform: None,
            },
            Some(row) => SyncState {
                cursor: Some(row.try_get("cursor")?),
                last_success_at: row.try_get("last_success_at")?,
                platform: Some(row.try_get("platform")?),
            },
        })
    }

    /// Applies one feed page and moves the cursor to its end, in one transaction.
    pub async fn page_apply(&self, platform: &str, page: &ChangePage) -> Result<Applied> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let applied = changes_apply(&mut tx, &page.changes, Counting::Now).await?;
        cursor_set(&mut tx, platform, page.next, None).await?;
        tx.commit().await?;
        Ok(applied)
    }

    /// Records that a sync reached the feed's end at `at` (RFC 3339).
    pub async fn sync_succeeded(&self, at: &str) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE sync_state SET last_success_at = ? WHERE id = 1")
            .bind(at)
            .execute(&mut *tx)
            .await?;
        // The history keeps 90 days, and only of the products whose quality the cache holds.
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DELETE FROM quality_points WHERE at < {HISTORY_START} \
             OR product_id NOT IN (SELECT product_id FROM quality)"
        )))
        .execute(&mut *tx)
        .await?;
        for table in ["quality_checks", "quality_backfilled", "quality_failing"] {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DELETE FROM {table} WHERE product_id NOT IN (SELECT product_id FROM quality)"
            )))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Starts a full resync: everything is replaced in one transaction, committed by
    /// [`Resync::commit`]. Until then readers see the old cache.
    pub async fn resync_begin(&self) -> Result<Resync> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        for table in [
            "products",
            "contracts",
            "policy_packs",
            "quality",
            "quality_failing",
            "incidents",
            "access_requests",
            "product_contracts",
            "product_inputs",
            "products_fts",
            "product_facets",
            "facet_pairs",
            "facet_values",
        ] {
            sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table}")))
                .execute(&mut *tx)
                .await?;
        }
        Ok(Resync { tx })
    }

    /// Keeps `roles`, the user's roles as the platform just answered them, in place of the last.
    pub async fn user_roles_set(&self, roles: &UserRoles) -> Result<()> {
        let document = serde_json::to_string(roles).expect("roles always serialize");
        sqlx::query(
            "INSERT INTO user_roles (id, document, read_at) \
             VALUES (1, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) \
             ON CONFLICT (id) DO UPDATE SET document = excluded.document, read_at = excluded.read_at",
        )
        .bind(document)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The user's roles as last read from the platform, if they ever were.
    pub async fn user_roles(&self) -> Result<Option<UserRoles>> {
        user_roles_in(&mut *self.pool.acquire().await?).await
    }

    /// The cache's size on disk in bytes: its database's pages (the write-ahead log, folded in at
    /// each checkpoint, aside).
    pub async fn size_bytes(&self) -> Result<u64> {
        let n: i64 =
            sqlx::query_scalar("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")
                .fetch_one(&self.pool)
                .await?;
        Ok(n.max(0) as u64)
    }

    /// Products in the cache.
    pub async fn products_count(&self) -> Result<u64> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM products")
            .fetch_one(&self.pool)
            .await?;
        Ok(n as u64)
    }

    /// A cached document: `entity` one of the feed's (`product`, `contract`, `policy-pack`, ...).
    pub async fn document(&self, entity: ChangeEntity, id: &str) -> Result<Option<Value>> {
        let (table, key) = table_of(entity);
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT document FROM {table} WHERE {key} = ?"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| parse(&r.try_get::<String, _>("document")?, id))
            .transpose()
    }

    /// Every cached document of one kind.
    pub async fn documents(&self, entity: ChangeEntity) -> Result<Vec<Value>> {
        let (table, key) = table_of(entity);
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {key} AS id, document FROM {table} ORDER BY {key}"
        )))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                parse(
                    &r.try_get::<String, _>("document")?,
                    &r.try_get::<String, _>("id")?,
                )
            })
            .collect()
    }

    /// What the cache holds about who a change reaches (`meshport diff`'s impact): the products one of
    /// whose output or input ports names one of `contracts` (the ones serving them and the ones
    /// reading them), and the active access requests on the output ports `ports` (product id, port
    /// name) and on those products' ports serving one of `contracts`. Each list is in id order.
    pub async fn impact_documents(
        &self,
        contracts: &[String],
        ports: &[(String, String)],
    ) -> Result<ImpactDocuments> {
        let contracts = serde_json::to_string(contracts).expect("strings always serialize");
        let ports = serde_json::to_string(ports).expect("strings always serialize");
        let mut conn = self.pool.acquire().await?;
        // A port's field is read from the document by the port's full key (`$.outputPorts[0]`), so a
        // port that is not an object reads as NULL rather than failing the statement.
        let products = sqlx::query(
            "SELECT p.id, p.document FROM products p WHERE EXISTS ( \
               SELECT 1 FROM json_each(p.document, '$.outputPorts') port \
               WHERE json_extract(p.document, port.fullkey || '.contractId') IN (SELECT value FROM json_each(?1)) \
               UNION ALL \
               SELECT 1 FROM json_each(p.document, '$.inputPorts') port \
               WHERE json_extract(p.document, port.fullkey || '.contractId') IN (SELECT value FROM json_each(?1))) \
             ORDER BY p.id",
        )
        .bind(&contracts)
        .fetch_all(&mut *conn)
        .await?;
        let access_requests = sqlx::query(
            "SELECT a.id, a.document FROM access_requests a WHERE a.state = 'active' AND ( \
               EXISTS (SELECT 1 FROM json_each(?2) w \
                 WHERE w.value ->> '$[0]' = a.product_id AND w.value ->> '$[1]' = a.output_port) \
               OR EXISTS (SELECT 1 FROM products p, json_each(p.document, '$.outputPorts') port \
                 WHERE p.id = a.product_id \
                   AND json_extract(p.document, port.fullkey || '.name') = a.output_port \
                   AND json_extract(p.document, port.fullkey || '.contractId') IN (SELECT value FROM json_each(?1)))) \
             ORDER BY a.id",
        )
        .bind(&contracts)
        .bind(&ports)
        .fetch_all(&mut *conn)
        .await?;
        let documents = |rows: Vec<sqlx::sqlite::SqliteRow>| -> Result<Vec<Value>> {
            rows.iter()
                .map(|r| {
                    parse(
                        &r.try_get::<String, _>("document")?,
                        &r.try_get::<String, _>("id")?,
                    )
                })
                .collect()
        };
        Ok(ImpactDocuments {
            products: documents(products)?,
            access_requests: documents(access_requests)?,
        })
    }
}

impl Cache {
    /// What the product `id`'s page shows, read in one snapshot of the cache; `None` when the cache
    /// does not hold the product.
    pub async fn product_view(&self, id: &str) -> Result<Option<ProductView>> {
        let mut tx = self.pool.begin().await?;
        let Some(row) = sqlx::query("SELECT domain, document FROM products WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
        else {
            return Ok(None);
        };
        let domain: String = row.try_get("domain")?;
        let product = parse(&row.try_get::<String, _>("document")?, id)?;
        let contract_ids = |ports: &str| -> Vec<String> {
            let mut ids: Vec<String> = Vec::new();
            for port in product[ports].as_array().into_iter().flatten() {
                if let Some(contract) = port["contractId"].as_str()
                    && !ids.iter().any(|known| known == contract)
                {
                    ids.push(contract.to_owned());
                }
            }
            ids
        };
        let outputs = contract_ids("outputPorts");
        let inputs = contract_ids("inputPorts");

        let mut contracts = Vec::with_capacity(outputs.len());
        for contract in &outputs {
            let document: Option<String> = sqlx::query_scalar("SELECT document FROM contracts WHERE id = ?")
                .bind(contract)
                .fetch_optional(&mut *tx)
                .await?;
            if let Some(document) = document {
                contracts.push(parse(&document, contract)?);
            }
        }
        let quality: Option<String> = sqlx::query_scalar("SELECT document FROM quality WHERE product_id = ?")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        let quality = quality.map(|q| typed(&q, id)).transpose()?;
        let incidents: Vec<String> = sqlx::query_scalar(
            "SELECT document FROM incidents WHERE product_id = ? \
             ORDER BY document ->> '$.openedAt' DESC, id",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        let access_requests: Vec<String> = sqlx::query_scalar(
            "SELECT document FROM access_requests WHERE product_id = ? \
             ORDER BY document ->> '$.requestedAt' DESC, id",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;

        // Neighbours: the products whose output ports serve one of this product's input contracts,
        // and the products whose input ports read one of its output contracts.
        let neighbours = |sql: &'static str, contracts: &[String]| {
            let contracts = serde_json::to_string(contracts).expect("strings always serialize");
            sqlx::query(sql).bind(contracts).bind(id.to_owned())
        };
        let upstream = neighbours(
            "SELECT p.id, p.name, p.domain, p.status, p.version, pc.contract_id, \
               (SELECT COUNT(*) FROM incidents i WHERE i.product_id = p.id AND i.state <> 'resolved') AS open_incidents \
             FROM product_contracts pc JOIN products p ON p.id = pc.product_id \
             WHERE pc.contract_id IN (SELECT value FROM json_each(?1)) AND p.id <> ?2 \
             ORDER BY p.name COLLATE NOCASE, p.id, pc.contract_id",
            &inputs,
        )
        .fetch_all(&mut *tx)
        .await?;
        let downstream = neighbours(
            "SELECT p.id, p.name, p.domain, p.status, p.version, pi.contract_id, \
               (SELECT COUNT(*) FROM incidents i WHERE i.product_id = p.id AND i.state <> 'resolved') AS open_incidents \
             FROM product_inputs pi JOIN products p ON p.id = pi.product_id \
             WHERE pi.contract_id IN (SELECT value FROM json_each(?1)) AND p.id <> ?2 \
             ORDER BY p.name COLLATE NOCASE, p.id, pi.contract_id",
            &outputs,
        )
        .fetch_all(&mut *tx)
        .await?;
        let roles = user_roles_in(&mut tx).await?;
        let synced_at: Option<String> =
            sqlx::query_scalar("SELECT last_success_at FROM sync_state WHERE id = 1")
                .fetch_optional(&mut *tx)
                .await?
                .flatten();
        tx.commit().await?;

        let owner = roles.as_ref().is_some_and(|roles| {
            roles
                .owned_domains()
                .iter()
                .any(|owned| owned == "*" || *owned == domain)
        });
        Ok(Some(ProductView {
            product,
            contracts,
            quality,
            incidents: incidents.iter().map(|d| typed(d, id)).collect::<Result<_>>()?,
            access_requests: access_requests
                .iter()
                .map(|d| typed(d, id))
                .collect::<Result<_>>()?,
            upstream: upstream.iter().map(link).collect::<Result<_>>()?,
            downstream: downstream.iter().map(link).collect::<Result<_>>()?,
            user: roles.map(|roles| roles.user),
            owner,
            synced_at,
        }))
    }
}

impl Cache {
    /// The cached incidents `filter` keeps (not resolved first, then the most recently changed), with
    /// the domains and assignees the filters offer, in one snapshot.
    pub async fn incidents(&self, filter: &IncidentFilter) -> Result<IncidentList> {
        let mut tx = self.pool.begin().await?;
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT id, document FROM incidents \
             WHERE (?1 IS NULL OR state = ?1 OR (?1 = 'active' AND state <> 'resolved')) \
               AND (?2 IS NULL OR document ->> '$.domain' = ?2) \
               AND (?3 IS NULL OR coalesce(document ->> '$.assignee', '-') = ?3) \
             ORDER BY state = 'resolved', document ->> '$.updatedAt' DESC, id",
        )
        .bind(filter.state.as_deref())
        .bind(filter.domain.as_deref())
        .bind(filter.assignee.as_deref())
        .fetch_all(&mut *tx)
        .await?;
        let domains: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT document ->> '$.domain' FROM incidents \
             WHERE document ->> '$.domain' IS NOT NULL ORDER BY 1",
        )
        .fetch_all(&mut *tx)
        .await?;
        let assignees: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT document ->> '$.assignee' FROM incidents \
             WHERE document ->> '$.assignee' IS NOT NULL ORDER BY 1",
        )
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(IncidentList {
            incidents: rows.iter().map(|(id, d)| typed(d, id)).collect::<Result<_>>()?,
            domains,
            assignees,
        })
    }

    /// The cached access requests, the newest first, with the user and the domains they own, in one
    /// snapshot.
    pub async fn access_list(&self) -> Result<AccessList> {
        let mut tx = self.pool.begin().await?;
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT id, document FROM access_requests ORDER BY document ->> '$.requestedAt' DESC, id",
        )
        .fetch_all(&mut *tx)
        .await?;
        let roles = user_roles_in(&mut tx).await?;
        tx.commit().await?;
        Ok(AccessList {
            owned_domains: roles.as_ref().map(UserRoles::owned_domains).unwrap_or_default(),
            user: roles.map(|roles| roles.user),
            requests: rows.iter().map(|(id, d)| typed(d, id)).collect::<Result<_>>()?,
            asked: Vec::new(),
        })
    }

    /// Products whose quality the cache holds but whose 90 days of history it has not filled yet,
    /// at most `limit`.
    pub async fn quality_backfill_due(&self, limit: u32) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT product_id FROM quality WHERE product_id NOT IN (SELECT product_id FROM quality_backfilled) \
             ORDER BY product_id LIMIT ?",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?)
    }

    /// Keeps the product's history and its checks' thresholds as the platform reported them, and
    /// records the product as filled, in one transaction.
    pub async fn quality_history_put(
        &self,
        product_id: &str,
        checks: &[QualityCheck],
        history: &[QualityHistory],
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let points: Vec<Value> = history
            .iter()
            .flat_map(|h| {
                h.points.iter().map(move |p| {
                    serde_json::json!({"check": h.check, "at": p.at, "status": p.status.as_str(), "value": p.value})
                })
            })
            .collect();
        sqlx::query(
            "INSERT OR IGNORE INTO quality_points (product_id, check_id, at, status, value) \
             SELECT ?1, p.value ->> '$.check', p.value ->> '$.at', p.value ->> '$.status', p.value ->> '$.value' \
             FROM json_each(?2) p",
        )
        .bind(product_id)
        .bind(Value::Array(points).to_string())
        .execute(&mut *tx)
        .await?;
        let checks: Vec<Value> = checks
            .iter()
            .map(|c| serde_json::json!({"check": c.check, "threshold": c.threshold, "unit": c.unit, "description": c.description}))
            .collect();
        sqlx::query(
            "INSERT INTO quality_checks (product_id, check_id, threshold, unit, description) \
             SELECT ?1, c.value ->> '$.check', c.value ->> '$.threshold', c.value ->> '$.unit', c.value ->> '$.description' \
             FROM json_each(?2) c WHERE true \
             ON CONFLICT (product_id, check_id) DO UPDATE SET threshold = excluded.threshold, unit = excluded.unit, \
             description = excluded.description",
        )
        .bind(product_id)
        .bind(Value::Array(checks).to_string())
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO quality_backfilled (product_id, at) VALUES (?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) \
             ON CONFLICT (product_id) DO UPDATE SET at = excluded.at",
        )
        .bind(product_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Each check's points of the product over the last `days` days (at most 90), oldest first, with
    /// its threshold and unit where the cache knows them; `only` keeps one check.
    pub async fn quality_history(
        &self,
        product_id: &str,
        days: u32,
        only: Option<&str>,
    ) -> Result<Vec<CheckTrend>> {
        let days = days.clamp(1, 90);
        let rows = sqlx::query(
            "SELECT p.check_id, p.at, p.status, p.value, c.threshold, c.unit, c.description \
             FROM quality_points p LEFT JOIN quality_checks c \
               ON c.product_id = p.product_id AND c.check_id = p.check_id \
             WHERE p.product_id = ?1 AND (?2 IS NULL OR p.check_id = ?2) \
               AND p.at >= strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || ?3 || ' days') \
             ORDER BY p.check_id, p.at",
        )
        .bind(product_id)
        .bind(only)
        .bind(i64::from(days))
        .fetch_all(&self.pool)
        .await?;
        let mut trends: Vec<CheckTrend> = Vec::new();
        for row in &rows {
            let check: String = row.try_get("check_id")?;
            if trends.last().is_none_or(|t| t.check != check) {
                trends.push(CheckTrend {
                    check,
                    threshold: row.try_get("threshold")?,
                    unit: row.try_get("unit")?,
                    description: row.try_get("description")?,
                    points: Vec::new(),
                });
            }
            let status =
                CheckStatus::parse(&row.try_get::<String, _>("status")?).unwrap_or(CheckStatus::Error);
            if let Some(trend) = trends.last_mut() {
                trend.points.push(QualityPoint {
                    at: row.try_get("at")?,
                    status,
                    value: row.try_get("value")?,
                });
            }
        }
        Ok(trends)
    }

    /// The cached incident `id`.
    pub async fn incident(&self, id: &str) -> Result<Option<meshport_model::trust::Incident>> {
        let document: Option<String> = sqlx::query_scalar("SELECT document FROM incidents WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        document.map(|d| typed(&d, id)).transpose()
    }
}

/// The columns of a lineage node, from a product `p` (its open incidents counted).
const NODE_COLUMNS: &str = "p.id, p.name, p.domain, p.status, p.version, \
    (SELECT COUNT(*) FROM incidents i WHERE i.product_id = p.id AND i.state <> 'resolved') AS open_incidents";

/// Which way a lineage walk goes.
#[derive(Clone, Copy)]
enum Direction {
    Upstream,
    Downstream,
}

impl Cache {
    /// The products up to `depth` steps upstream and downstream of the product `id`, and the edges
    /// (contract by contract) between them, at most `limit` products, read in one snapshot; `None`
    /// when the cache does not hold the product.
    pub async fn lineage(&self, id: &str, depth: u32, limit: usize) -> Result<Option<LineageView>> {
        let mut tx = self.pool.begin().await?;
        let Some(root) = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {NODE_COLUMNS} FROM products p WHERE p.id = ?"
        )))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Ok(None);
        };
        let mut nodes = vec![lineage_node(&root, 0)?];
        let mut edges = BTreeSet::new();
        let mut truncated = false;
        for direction in [Direction::Upstream, Direction::Downstream] {
            let mut frontier = vec![id.to_owned()];
            for level in 1..=depth as i32 + 1 {
                if frontier.is_empty() {
                    break;
                }
                let rows = lineage_step(&mut tx, direction, &frontier).await?;
                let mut next = Vec::new();
                for row in &rows {
                    let from: String = row.try_get("from_id")?;
                    let to: String = row.try_get("to_id")?;
                    let found = match direction {
                        Direction::Upstream => &from,
                        Direction::Downstream => &to,
                    };
                    let known = nodes.iter().any(|n| &n.id == found);
                    if level > depth as i32 {
                        // One step beyond the depth: only to say whether there is more.
                        truncated |= !known;
                        continue;
                    }
                    if !known {
                        if nodes.len() >= limit {
                            truncated = true;
                            continue;
                        }
                        let signed = match direction {
                            Direction::Upstream => -level,
                            Direction::Downstream => level,
                        };
                        nodes.push(lineage_node(row, signed)?);
                        next.push(found.clone());
                    }
                    edges.insert((from, to, row.try_get::<String, _>("contract_id")?));
                }
                frontier = next;
            }
        }
        tx.commit().await?;
        nodes.sort_by(|a, b| {
            (a.depth, a.name.to_lowercase(), &a.id).cmp(&(b.depth, b.name.to_lowercase(), &b.id))
        });
        Ok(Some(LineageView {
            nodes,
            edges: edges
                .into_iter()
                .map(|(from, to, contract_id)| LineageEdge {
                    from,
                    to,
                    contract_id,
                })
                .collect(),
            truncated,
        }))
    }
}

/// One step of a lineage walk from the products `frontier`: upstream, the products serving one of
/// their input contracts; downstream, the products reading one of their output contracts. Each row
/// is an edge (`from_id` serves `to_id` through `contract_id`) with the found product's columns.
async fn lineage_step(
    conn: &mut SqliteConnection,
    direction: Direction,
    frontier: &[String],
) -> Result<Vec<sqlx::sqlite::SqliteRow>> {
    let sql = match direction {
        Direction::Upstream => format!(
            "SELECT DISTINCT p.id AS from_id, pi.product_id AS to_id, pc.contract_id, {NODE_COLUMNS} \
             FROM product_inputs pi \
             JOIN product_contracts pc ON pc.contract_id = pi.contract_id \
             JOIN products p ON p.id = pc.product_id \
             WHERE pi.product_id IN (SELECT value FROM json_each(?1)) AND p.id <> pi.product_id \
             ORDER BY p.name COLLATE NOCASE, p.id"
        ),
        Direction::Downstream => format!(
            "SELECT DISTINCT pc.product_id AS from_id, p.id AS to_id, pc.contract_id, {NODE_COLUMNS} \
             FROM product_contracts pc \
             JOIN product_inputs pi ON pi.contract_id = pc.contract_id \
             JOIN products p ON p.id = pi.product_id \
             WHERE pc.product_id IN (SELECT value FROM json_each(?1)) AND p.id <> pc.product_id \
             ORDER BY p.name COLLATE NOCASE, p.id"
        ),
    };
    let frontier = serde_json::to_string(frontier).expect("strings always serialize");
    Ok(sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(frontier)
        .fetch_all(&mut *conn)
        .await?)
}

fn lineage_node(row: &sqlx::sqlite::SqliteRow, depth: i32) -> Result<LineageNode> {
    Ok(LineageNode {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        domain: row.try_get("domain")?,
        status: row.try_get("status")?,
        version: row.try_get("version")?,
        open_incidents: row.try_get::<i64, _>("open_incidents")? as u32,
        depth,
    })
}

fn link(row: &sqlx::sqlite::SqliteRow) -> Result<ProductLink> {
    Ok(ProductLink {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        domain: row.try_get("domain")?,
        status: row.try_get("status")?,
        version: row.try_get("version")?,
        contract_id: row.try_get("contract_id")?,
        open_incidents: row.try_get::<i64, _>("open_incidents")? as u32,
    })
}

/// A cached document as the model type it holds.
fn typed<T: serde::de::DeserializeOwned>(text: &str, id: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|source| Error::Corrupt {
        id: id.to_owned(),
        source,
    })
}

async fn user_roles_in(conn: &mut SqliteConnection) -> Result<Option<UserRoles>> {
    let document: Option<String> = sqlx::query_scalar("SELECT document FROM user_roles WHERE id = 1")
        .fetch_optional(&mut *conn)
        .await?;
    document.map(|d| typed(&d, "user_roles")).transpose()
}

/// A full resync in progress: one transaction.
#[derive(Debug)]
pub struct Resync {
    tx: Transaction<'static, Sqlite>,
}

impl Resync {
    pub async fn page_apply(&mut self, page: &ChangePage) -> Result<Applied> {
        changes_apply(&mut self.tx, &page.changes, Counting::AtCommit).await
    }

    /// Swaps the new cache in, at `cursor`.
    pub async fn commit(mut self, platform: &str, cursor: i64, at: &str) -> Result<()> {
        facets::recount(&mut self.tx).await?;
        bitmaps::build(&mut self.tx).await?;
        cursor_set(&mut self.tx, platform, cursor, Some(at)).await?;
        self.tx.commit().await?;
        Ok(())
    }
}

fn parse(text: &str, id: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(|source| Error::Corrupt {
        id: id.to_owned(),
        source,
    })
}

fn table_of(entity: ChangeEntity) -> (&'static str, &'static str) {
    match entity {
        ChangeEntity::Product => ("products", "id"),
        ChangeEntity::Contract => ("contracts", "id"),
        ChangeEntity::PolicyPack => ("policy_packs", "name"),
        ChangeEntity::Quality => ("quality", "product_id"),
        ChangeEntity::Incident => ("incidents", "id"),
        ChangeEntity::AccessRequest => ("access_requests", "id"),
    }
}

async fn cursor_set(
    conn: &mut SqliteConnection,
    platform: &str,
    cursor: i64,
    at: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO sync_state (id, cursor, last_success_at, platform) VALUES (1, ?1, ?2, ?3) \
         ON CONFLICT (id) DO UPDATE SET cursor = ?1, platform = ?3, \
         last_success_at = COALESCE(?2, sync_state.last_success_at)",
    )
    .bind(cursor)
    .bind(at)
    .bind(platform)
    .execute(conn)
    .await?;
    Ok(())
}

fn text(value: &Value, pointer: &str) -> String {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// A quality summary's counts, kept beside it (the stewards' home reads them), from its document.
const QUALITY_COUNTS: &str = "UPDATE quality SET \
     failed = coalesce(document ->> '$.failed', 0), passed = coalesce(document ->> '$.passed', 0), \
     last_run_at = document ->> '$.lastRunAt', \
     slos_met = (SELECT COUNT(*) FROM json_each(document, '$.slos') WHERE value ->> '$.status' = 'met'), \
     slos_at_risk = (SELECT COUNT(*) FROM json_each(document, '$.slos') WHERE value ->> '$.status' = 'at-risk'), \
     slos_breached = (SELECT COUNT(*) FROM json_each(document, '$.slos') WHERE value ->> '$.status' = 'breached'), \
     slos_unknown = (SELECT COUNT(*) FROM json_each(document, '$.slos') \
                     WHERE coalesce(value ->> '$.status', '') NOT IN ('met', 'at-risk', 'breached')) \
     WHERE product_id = ?";

/// The checks a product's summary says fail now, rewritten with it (the stewards' home lists them).
const QUALITY_FAILING_CLEAR: &str = "DELETE FROM quality_failing WHERE product_id = ?";
const QUALITY_FAILING: &str = "INSERT OR REPLACE INTO quality_failing (product_id, check_id, value, at) \
     SELECT q.product_id, q.document ->> ('$.checks[' || l.key || ']'), l.value ->> '$.value', l.value ->> '$.at' \
     FROM quality q, json_each(q.document, '$.latest') l \
     WHERE q.product_id = ? AND q.failed > 0 AND l.value ->> '$.status' = 'failed' \
       AND q.document ->> ('$.checks[' || l.key || ']') IS NOT NULL";

/// The latest point of each check of a quality summary (`?2`, the product `?1`'s), kept.
const QUALITY_POINTS_OF_SUMMARY: &str = "INSERT OR IGNORE INTO quality_points (product_id, check_id, at, status, value) \
     SELECT ?1, c.value, l.value ->> '$.at', l.value ->> '$.status', l.value ->> '$.value' \
     FROM json_each(?2, '$.latest') l JOIN json_each(?2, '$.checks') c ON c.key = l.key";

/// Where the kept history starts: 90 days ago, as the platform writes times.
const HISTORY_START: &str = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-90 days')";

/// Removes a product's search row. The row's rowid is the product's: `id` is not indexed in FTS5, so
/// a delete by it would scan the whole index (quadratic over a full sync).
const FTS_DELETE: &str = "DELETE FROM products_fts WHERE rowid = (SELECT rowid FROM products WHERE id = ?)";

/// Applies changes in order, then re-indexes the products they touched and recounts the facets of
/// the products they wrote, deleted or whose incidents changed.
async fn changes_apply(
    conn: &mut SqliteConnection,
    changes: &[Change],
    counting: Counting,
) -> Result<Applied> {
    let mut applied = Applied::default();
    let mut touched: BTreeSet<String> = BTreeSet::new();
    // The products whose facets may have changed: by key, and (incidents) by id.
    let mut facet_keys: BTreeSet<i64> = BTreeSet::new();
    let mut incident_products: BTreeSet<String> = BTreeSet::new();
    // Consecutive product upserts, written together when something else comes (or the page ends).
    let mut run: Vec<(&str, &Value)> = Vec::new();
    // The search rows the page rewrites, for the words' bitmaps.
    let mut rows = bitmaps::RowsChanged::new(counting == Counting::Now);
    // A feed page after the first sync may bring news for the user (a resync brings none).
    let roles = match counting {
        Counting::Now => notices::roles(conn).await?,
        Counting::AtCommit => None,
    };
    for change in changes {
        let (table, key) = table_of(change.entity);
        if change.entity == ChangeEntity::Product
            && !change.deleted
            && let Some(document) = change.document.as_ref()
        {
            run.push((change.id.as_str(), document));
            applied.upserted += 1;
            continue;
        }
        products_write(conn, &mut run, &mut touched, &mut facet_keys, &mut rows).await?;
        let Some(document) = change.document.as_ref().filter(|_| !change.deleted) else {
            match change.entity {
                ChangeEntity::Product => {
                    // The search row shares the product's rowid: gone before the product, by key.
                    let key: Option<i64> = sqlx::query_scalar("SELECT key FROM products WHERE id = ?")
                        .bind(&change.id)
                        .fetch_optional(&mut *conn)
                        .await?;
                    rows.before(conn, key.as_slice()).await?;
                    sqlx::query(FTS_DELETE)
                        .bind(&change.id)
                        .execute(&mut *conn)
                        .await?;
                    // Its facet rows go by the product's key, whatever takes that key later.
                    let key: Option<i64> =
                        sqlx::query_scalar("DELETE FROM products WHERE id = ? RETURNING key")
                            .bind(&change.id)
                            .fetch_optional(&mut *conn)
                            .await?;
                    facet_keys.extend(key);
                    for table in ["product_contracts", "product_inputs"] {
                        sqlx::query(sqlx::AssertSqlSafe(format!(
                            "DELETE FROM {table} WHERE product_id = ?"
                        )))
                        .bind(&change.id)
                        .execute(&mut *conn)
                        .await?;
                    }
                    touched.remove(&change.id);
                }
                ChangeEntity::Incident => {
                    let product: Option<String> =
                        sqlx::query_scalar("DELETE FROM incidents WHERE id = ? RETURNING product_id")
                            .bind(&change.id)
                            .fetch_optional(&mut *conn)
                            .await?;
                    incident_products.extend(product);
                }
                _ => {
                    sqlx::query(sqlx::AssertSqlSafe(format!(
                        "DELETE FROM {table} WHERE {key} = ?"
                    )))
                    .bind(&change.id)
                    .execute(&mut *conn)
                    .await?;
                    if change.entity == ChangeEntity::Contract {
                        touched.extend(products_of_contract(conn, &change.id).await?);
                    }
                }
            }
            applied.deleted += 1;
            continue;
        };
        let json = document.to_string();
        match change.entity {
            // Upserts go through `run` above.
            ChangeEntity::Product => continue,
            ChangeEntity::Contract => {
                sqlx::query("INSERT INTO contracts (id, document) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET document = excluded.document")
                    .bind(&change.id)
                    .bind(&json)
                    .execute(&mut *conn)
                    .await?;
                touched.extend(products_of_contract(conn, &change.id).await?);
            }
            ChangeEntity::PolicyPack | ChangeEntity::Quality => {
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "INSERT INTO {table} ({key}, document) VALUES (?, ?) ON CONFLICT ({key}) DO UPDATE SET document = excluded.document"
                )))
                .bind(&change.id)
                .bind(&json)
                .execute(&mut *conn)
                .await?;
                if change.entity == ChangeEntity::Quality {
                    for statement in [QUALITY_COUNTS, QUALITY_FAILING_CLEAR, QUALITY_FAILING] {
                        sqlx::query(statement)
                            .bind(&change.id)
                            .execute(&mut *conn)
                            .await?;
                    }
                    // The run's latest point of each check joins the check's history.
                    sqlx::query(QUALITY_POINTS_OF_SUMMARY)
                        .bind(&change.id)
                        .bind(&json)
                        .execute(&mut *conn)
                        .await?;
                }
            }
            ChangeEntity::Incident => {
                // The product it was about, and the one it is about now, may change facet.
                let before: Option<(String, String)> =
                    sqlx::query_as("SELECT product_id, state FROM incidents WHERE id = ?")
                        .bind(&change.id)
                        .fetch_optional(&mut *conn)
                        .await?;
                let (before_product, before_state) = before.unzip();
                incident_products.extend(before_product);
                incident_products.insert(text(document, "/productId"));
                sqlx::query(
                    "INSERT INTO incidents (id, product_id, state, document) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE \
                     SET product_id = excluded.product_id, state = excluded.state, document = excluded.document",
                )
                .bind(&change.id)
                .bind(text(document, "/productId"))
                .bind(text(document, "/state"))
                .bind(&json)
                .execute(&mut *conn)
                .await?;
                if let Some(roles) = &roles {
                    notices::incident_noted(conn, roles, &change.id, before_state.as_deref(), document)
                        .await?;
                }
            }
            ChangeEntity::AccessRequest => {
                let before_state: Option<String> = match &roles {
                    Some(_) => {
                        sqlx::query_scalar("SELECT state FROM access_requests WHERE id = ?")
                            .bind(&change.id)
                            .fetch_optional(&mut *conn)
                            .await?
                    }
                    None => None,
                };
                sqlx::query(
                    "INSERT INTO access_requests (id, product_id, output_port, consumer, state, document) VALUES (?, ?, ?, ?, ?, ?) \
                     ON CONFLICT (id) DO UPDATE SET product_id = excluded.product_id, output_port = excluded.output_port, \
                     consumer = excluded.consumer, state = excluded.state, document = excluded.document",
                )
                .bind(&change.id)
                .bind(text(document, "/productId"))
                .bind(text(document, "/outputPort"))
                .bind(text(document, "/consumer"))
                .bind(text(document, "/state"))
                .bind(&json)
                .execute(&mut *conn)
                .await?;
                if let Some(roles) = &roles {
                    notices::access_noted(conn, roles, &change.id, before_state.as_deref(), document).await?;
                }
            }
        }
        applied.upserted += 1;
    }
    products_write(conn, &mut run, &mut touched, &mut facet_keys, &mut rows).await?;
    for id in &touched {
        fts_index(conn, id, &mut rows).await?;
    }
    rows.apply(conn).await?;
    if !incident_products.is_empty() {
        let ids = serde_json::to_string(&incident_products).expect("strings always serialize");
        let keys: Vec<i64> =
            sqlx::query_scalar("SELECT key FROM products WHERE id IN (SELECT value FROM json_each(?1))")
                .bind(ids)
                .fetch_all(&mut *conn)
                .await?;
        facet_keys.extend(keys);
    }
    facets::refresh(conn, &facet_keys, counting).await?;
    Ok(applied)
}

async fn products_of_contract(conn: &mut SqliteConnection, contract: &str) -> Result<Vec<String>> {
    Ok(
        sqlx::query_scalar("SELECT product_id FROM product_contracts WHERE contract_id = ?")
            .bind(contract)
            .fetch_all(conn)
            .await?,
    )
}

/// The elements of the array at `pointer` in `value`; none when it is missing or not an array.
fn items<'a>(value: &'a Value, pointer: &str) -> impl Iterator<Item = &'a Value> {
    value
        .pointer(pointer)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

/// The product's tags that are strings.
fn tags_of(product: &Value) -> Vec<&str> {
    items(product, "/tags").filter_map(Value::as_str).collect()
}

/// The usernames (or names) of a product's team members whose role is an owner.
fn owners(product: &Value) -> Vec<String> {
    let mut out: Vec<String> = items(product, "/team/members")
        .filter(|m| {
            m.get("role")
                .and_then(Value::as_str)
                .is_some_and(|r| r.to_lowercase().contains("owner"))
        })
        .filter_map(|m| {
            m.get("username")
                .or_else(|| m.get("name"))
                .and_then(Value::as_str)
        })
        .map(str::to_owned)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Rewrites a product's search row from its stored document and its contracts' columns.
async fn fts_index(conn: &mut SqliteConnection, id: &str, rows: &mut bitmaps::RowsChanged) -> Result<()> {
    let Some((key, document)) =
        sqlx::query_as::<_, (i64, String)>("SELECT key, document FROM products WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
    else {
        sqlx::query(FTS_DELETE).bind(id).execute(&mut *conn).await?;
        return Ok(());
    };
    let product = parse(&document, id)?;
    rows.before(conn, &[key]).await?;
    fts_write(conn, key, id, &product, true).await
}

/// What a product's search row holds besides its name and columns: its description, tags and owners.
fn fts_texts(product: &Value) -> (String, String, String) {
    let description: Vec<String> = [
        "/description/purpose",
        "/description/limitations",
        "/description/usage",
    ]
    .iter()
    .map(|p| text(product, p))
    .filter(|t| !t.is_empty())
    .collect();
    let tags = tags_of(product);
    let mut owners_text = owners(product);
    owners_text.push(text(product, "/team/name"));
    (description.join(" "), tags.join(" "), owners_text.join(" "))
}

/// The schema objects' and properties' names and descriptions of a contract (its search text).
fn contract_columns(contract: &str, into: &mut Vec<String>) {
    let Ok(contract) = serde_json::from_str::<Value>(contract) else {
        return;
    };
    for object in items(&contract, "/schema") {
        into.push(text(object, "/name"));
        into.push(text(object, "/description"));
        for property in items(object, "/properties") {
            into.push(text(property, "/name"));
            into.push(text(property, "/description"));
        }
    }
    into.retain(|c| !c.is_empty());
}

/// Writes the search row of the product at rowid `key` (replacing any), from `product` and, when it
/// references any (`has_contracts`), its cached contracts' columns.
async fn fts_write(
    conn: &mut SqliteConnection,
    key: i64,
    id: &str,
    product: &Value,
    has_contracts: bool,
) -> Result<()> {
    let (description, tags, owners_text) = fts_texts(product);
    let contracts: Vec<String> = if has_contracts {
        sqlx::query_scalar(
            "SELECT c.document FROM product_contracts pc JOIN contracts c ON c.id = pc.contract_id WHERE pc.product_id = ?",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?
    } else {
        Vec::new()
    };
    let mut columns = Vec::new();
    for contract in &contracts {
        contract_columns(contract, &mut columns);
    }
    // FTS5 honours OR REPLACE on the rowid: the old row's tokens go, in one statement.
    sqlx::query(
        "INSERT OR REPLACE INTO products_fts (rowid, id, name, description, tags, columns, owners, facets) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, (SELECT tokens FROM product_facet_tokens WHERE key = ?1))",
    )
    .bind(key)
    .bind(id)
    .bind(text(product, "/name"))
    .bind(description)
    .bind(tags)
    .bind(columns.join(" "))
    .bind(owners_text)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Upserts a run of products, and their contract links and search rows, in five statements however
/// long the run: the rows reach SQLite as one JSON array read with `json_each`. (A statement per
/// product costs a hand-off to sqlx's SQLite worker thread each; a full sync is mostly such runs.)
/// A product given twice in the run keeps its last version, as applying them in order would.
async fn products_write(
    conn: &mut SqliteConnection,
    run: &mut Vec<(&str, &Value)>,
    touched: &mut BTreeSet<String>,
    facet_keys: &mut BTreeSet<i64>,
    search_rows: &mut bitmaps::RowsChanged,
) -> Result<()> {
    if run.is_empty() {
        return Ok(());
    }
    let mut last: std::collections::BTreeMap<&str, &Value> = std::collections::BTreeMap::new();
    for (id, document) in run.drain(..) {
        last.insert(id, document);
    }
    let rows: Vec<Value> = last
        .iter()
        .map(|(id, document)| {
            let tags = tags_of(document);
            let contracts: Vec<&str> = items(document, "/outputPorts")
                .filter_map(|port| port.get("contractId").and_then(Value::as_str))
                .collect();
            let inputs: Vec<&str> = items(document, "/inputPorts")
                .filter_map(|port| port.get("contractId").and_then(Value::as_str))
                .collect();
            serde_json::json!({
                "id": id,
                "name": text(document, "/name"),
                "domain": text(document, "/domain"),
                "status": text(document, "/status"),
                "version": text(document, "/version"),
                "purpose": document.pointer("/description/purpose").and_then(Value::as_str),
                "tags": serde_json::to_string(&tags).unwrap_or_else(|_| "[]".into()),
                "owners": serde_json::to_string(&owners(document)).unwrap_or_else(|_| "[]".into()),
                "document": document.to_string(),
                "contracts": contracts,
                "inputs": inputs,
            })
        })
        .collect();
    let rows = Value::Array(rows).to_string();
    let keys: Vec<i64> = sqlx::query_scalar(
        "INSERT INTO products (id, name, domain, status, version, purpose, tags, owners, document) \
         SELECT value ->> '$.id', value ->> '$.name', value ->> '$.domain', value ->> '$.status', \
           value ->> '$.version', value ->> '$.purpose', value ->> '$.tags', value ->> '$.owners', \
           value ->> '$.document' \
         FROM json_each(?1) WHERE true \
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, domain = excluded.domain, status = excluded.status, \
           version = excluded.version, purpose = excluded.purpose, tags = excluded.tags, owners = excluded.owners, \
           document = excluded.document \
         RETURNING key",
    )
    .bind(&rows)
    .fetch_all(&mut *conn)
    .await?;
    search_rows.before(conn, &keys).await?;
    facet_keys.extend(keys);
    // Both sides of the lineage edges, indexed: the contracts its output ports serve and the
    // contracts its input ports read.
    for (table, list) in [("product_contracts", "contracts"), ("product_inputs", "inputs")] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DELETE FROM {table} WHERE product_id IN (SELECT value ->> '$.id' FROM json_each(?1))"
        )))
        .bind(&rows)
        .execute(&mut *conn)
        .await?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT OR IGNORE INTO {table} (contract_id, product_id) \
             SELECT c.value, p.value ->> '$.id' FROM json_each(?1) p, json_each(p.value, '$.{list}') c"
        )))
        .bind(&rows)
        .execute(&mut *conn)
        .await?;
    }
    // The cached contracts' columns of the run's products, for their search rows.
    let mut columns: std::collections::BTreeMap<String, Vec<String>> = std::collections::BTreeMap::new();
    let linked: Vec<(String, String)> = sqlx::query_as(
        "SELECT pc.product_id, c.document FROM product_contracts pc JOIN contracts c ON c.id = pc.contract_id \
         WHERE pc.product_id IN (SELECT value ->> '$.id' FROM json_each(?1))",
    )
    .bind(&rows)
    .fetch_all(&mut *conn)
    .await?;
    for (product, contract) in &linked {
        contract_columns(contract, columns.entry(product.clone()).or_default());
    }
    let search: Vec<Value> = last
        .iter()
        .map(|(id, document)| {
            let (description, tags, owners_text) = fts_texts(document);
            serde_json::json!({
                "id": id,
                "name": text(document, "/name"),
                "description": description,
                "tags": tags,
                "columns": columns.get(*id).map(|c| c.join(" ")).unwrap_or_default(),
                "owners": owners_text,
            })
        })
        .collect();
    // FTS5 honours OR REPLACE on the rowid: a product's old row and its tokens go.
    sqlx::query(
        "INSERT OR REPLACE INTO products_fts (rowid, id, name, description, tags, columns, owners, facets) \
         SELECT p.key, j.value ->> '$.id', j.value ->> '$.name', j.value ->> '$.description', j.value ->> '$.tags', \
           j.value ->> '$.columns', j.value ->> '$.owners', t.tokens \
         FROM json_each(?1) j JOIN products p ON p.id = j.value ->> '$.id' JOIN product_facet_tokens t ON t.key = p.key",
    )
    .bind(Value::Array(search).to_string())
    .execute(&mut *conn)
    .await?;
    // Indexed now; a later change of one of their contracts in this page re-indexes them at the end.
    for id in last.keys() {
        touched.remove(*id);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn change(seq: i64, entity: ChangeEntity, id: &str, document: Option<Value>) -> Change {
        Change {
            seq,
            at: "2026-12-01T00:00:00Z".into(),
            entity,
            id: id.into(),
            deleted: document.is_none(),
            document,
        }
    }

    fn page(changes: Vec<Change>) -> ChangePage {
        let next = changes.last().map(|c| c.seq).unwrap_or(0);
        ChangePage {
            changes,
            next,
            has_more: false,
        }
    }

    #[test]
    fn typed_text_becomes_prefix_words() {
        assert_eq!(fts_query("Cust 360").as_deref(), Some("\"cust\"* \"360\"*"));
        assert_eq!(
            fts_query("a\"b OR c").as_deref(),
            Some("\"a\"* \"b\"* \"or\"* \"c\"*")
        );
        assert_eq!(fts_query("  -- "), None);
    }

    #[tokio::test]
    async fn pages_apply_with_their_cursor_and_search_finds_columns_and_facets() {
        let cache = Cache::open_in_memory().await.unwrap();
        let product = json!({"id": "p1", "name": "Order Lines", "domain": "orders", "status": "active", "version": "1.0.0",
            "description": {"purpose": "Every order line"}, "tags": ["sales", "core"],
            "team": {"name": "Order Platform", "members": [{"username": "li.wei", "role": "owner"}]},
            "outputPorts": [{"name": "lines", "version": "1.0.0", "contractId": "c1"}]});
        let contract = json!({"id": "c1", "schema": [{"name": "order_lines", "properties": [{"name": "unit_price_eur", "description": "Price after discount"}]}]});
        let other = json!({"id": "p2", "name": "Stock", "domain": "inventory", "status": "draft", "version": "0.1.0", "tags": ["core"]});
        cache
            .page_apply(
                "http://p",
                &page(vec![
                    change(1, ChangeEntity::Product, "p1", Some(product)),
                    change(2, ChangeEntity::Product, "p2", Some(other)),
                ]),
            )
            .await
            .unwrap();
        assert_eq!(cache.state().await.unwrap().cursor, Some(2));
        // The contract arrives after its product: the product is re-indexed with its columns.
        cache
            .page_apply(
                "http://p",
                &page(vec![change(3, ChangeEntity::Contract, "c1", Some(contract))]),
            )
            .await
            .unwrap();
        let search = |text: &str| SearchQuery {
            text: text.into(),
            limit: 10,
            ..SearchQuery::default()
        };
        let found = cache.search(&search("discou")).await.unwrap();
        assert_eq!(
            found.hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(),
            ["p1"],
            "a column description, by prefix"
        );
        let all = cache.search(&search("")).await.unwrap();
        assert_eq!(all.total, 2);
        assert_eq!(
            all.facets.tag[0],
            FacetCount {
                value: "core".into(),
                count: 2
            }
        );
        let core_drafts = cache
            .search(&SearchQuery {
                status: Some("draft".into()),
                tag: Some("core".into()),
                ..search("")
            })
            .await
            .unwrap();
        assert_eq!(core_drafts.hits.len(), 1);
        assert_eq!(core_drafts.hits[0].id, "p2");
        let by_owner = cache
            .search(&SearchQuery {
                owner: Some("li.wei".into()),
                ..search("")
            })
            .await
            .unwrap();
        assert_eq!(by_owner.total, 1);
        // An incident, then a tombstone.
        cache
            .page_apply(
                "http://p",
                &page(vec![change(
                    4,
                    ChangeEntity::Incident,
                    "i1",
                    Some(json!({"productId": "p1", "state": "open"})),
                )]),
            )
            .await
            .unwrap();
        let open = cache
            .search(&SearchQuery {
                open_incident: Some(true),
                ..search("")
            })
            .await
            .unwrap();
        assert_eq!(open.hits[0].id, "p1");
        cache
            .page_apply(
                "http://p",
                &page(vec![change(5, ChangeEntity::Product, "p1", None)]),
            )
            .await
            .unwrap();
        assert!(
            cache.search(&search("order")).await.unwrap().hits.is_empty(),
            "tombstones delete"
        );
        assert_eq!(cache.state().await.unwrap().cursor, Some(5));
    }

    /// A page's products are written as runs; the order of the feed still decides: a product given
    /// twice keeps its last version, a tombstone between two runs deletes what came before it, and a
    /// run's products take the columns of contracts already cached.
    #[tokio::test]
    async fn runs_of_products_keep_the_feeds_order() {
        let cache = Cache::open_in_memory().await.unwrap();
        let contract =
            json!({"id": "c9", "schema": [{"name": "parcels", "properties": [{"name": "weight_grams"}]}]});
        let product = |name: &str| {
            json!({"id": "p1", "name": name, "domain": "logistics", "status": "active", "version": "1.0.0",
                "outputPorts": [{"name": "parcels", "version": "1.0.0", "contractId": "c9"}]})
        };
        let other = json!({"id": "p2", "name": "Depots", "domain": "logistics", "status": "active", "version": "1.0.0"});
        cache
            .page_apply(
                "http://p",
                &page(vec![
                    change(1, ChangeEntity::Contract, "c9", Some(contract)),
                    change(2, ChangeEntity::Product, "p1", Some(product("Parcel Scans"))),
                    change(3, ChangeEntity::Product, "p2", Some(other.clone())),
                    change(4, ChangeEntity::Product, "p1", Some(product("Parcel Events"))),
                    change(5, ChangeEntity::Product, "p2", None),
                    change(6, ChangeEntity::Product, "p2", Some(other)),
                ]),
            )
            .await
            .unwrap();
        let names = |text: &'static str| {
            let cache = cache.clone();
            async move {
                let found = cache
                    .search(&SearchQuery {
                        text: text.into(),
                        limit: 10,
                        ..SearchQuery::default()
                    })
                    .await
                    .unwrap();
                found.hits.into_iter().map(|h| h.name).collect::<Vec<_>>()
            }
        };
        assert_eq!(names("parcel").await, ["Parcel Events"], "the last version wins");
        assert!(
            names("scans").await.is_empty(),
            "the first version's words are gone"
        );
        assert_eq!(
            names("weight").await,
            ["Parcel Events"],
            "the cached contract's columns"
        );
        assert_eq!(names("depots").await, ["Depots"], "deleted, then published again");
        assert_eq!(cache.products_count().await.unwrap(), 2);
    }

    /// The product named as typed comes first, whether all the matches are ranked or only the best
    /// candidates (more than [`RANKED_MATCHES`] match); then those with the words in their name.
    #[tokio::test]
    async fn an_exact_name_ranks_first_among_few_and_many_matches() {
        for many in [10, RANKED_MATCHES as usize + 500] {
            let cache = Cache::open_in_memory().await.unwrap();
            let product = |id: String, name: &str, purpose: &str| {
                json!({"id": id, "name": name, "domain": "sales", "status": "active", "version": "1.0.0",
                    "description": {"purpose": purpose}, "tags": ["orders"]})
            };
            let mut changes: Vec<Change> = (0..many)
                .map(|n| {
                    let id = format!("p{n:05}");
                    let document = if n % 2 == 0 {
                        product(id.clone(), &format!("Order Lines {n}"), "Orders and order lines")
                    } else {
                        product(id.clone(), &format!("Shipments {n}"), "The order lines shipped")
                    };
                    change(n as i64 + 1, ChangeEntity::Product, &id, Some(document))
                })
                .collect();
            // Last, so the highest rowid: the tiers, in rowid order, would not reach it.
            changes.push(change(
                many as i64 + 1,
                ChangeEntity::Product,
                "exact",
                Some(product("exact".into(), "Order Lines", "The lines")),
            ));
            cache.page_apply("http://p", &page(changes)).await.unwrap();
            for (text, filter) in [("order lines", None), ("Order Lines", Some("sales"))] {
                let found = cache
                    .search(&SearchQuery {
                        text: text.into(),
                        domain: filter.map(str::to_owned),
                        limit: 20,
                        ..SearchQuery::default()
                    })
                    .await
                    .unwrap();
                assert_eq!(found.total, many as u64 + 1, "{text}");
                assert_eq!(found.hits[0].id, "exact", "{many} matches, {text}");
                let in_name: Vec<bool> = found.hits[1..]
                    .iter()
                    .map(|h| h.name.starts_with("Order Lines"))
                    .collect();
                assert!(
                    in_name[0] && in_name.windows(2).all(|w| w[0] >= w[1]),
                    "then the words in the name: {:?}",
                    found.hits
                );
            }
        }
    }

    /// The impact query finds the products serving or reading the contracts, and the active grants on
    /// the ports named and on the ports serving the contracts; nothing else.
    #[tokio::test]
    async fn impact_documents_are_the_servers_readers_and_active_grants_of_a_contract() {
        let cache = Cache::open_in_memory().await.unwrap();
        let product = |id: &str, output: &str, input: &str| {
            json!({"id": id, "name": id, "domain": "d", "status": "active", "version": "1.0.0",
                "outputPorts": [{"name": "out", "version": "1.0.0", "contractId": output}, "not a port"],
                "inputPorts": [{"name": "in", "version": "1.0.0", "contractId": input}]})
        };
        let access = |id: &str, product: &str, port: &str, state: &str| json!({"id": id, "productId": product, "outputPort": port, "consumer": "dana", "state": state});
        let changes = vec![
            change(
                1,
                ChangeEntity::Product,
                "serves",
                Some(product("serves", "c1", "c0")),
            ),
            change(
                2,
                ChangeEntity::Product,
                "reads",
                Some(product("reads", "c5", "c1")),
            ),
            change(
                3,
                ChangeEntity::Product,
                "other",
                Some(product("other", "c7", "c8")),
            ),
            change(
                4,
                ChangeEntity::Product,
                "named",
                Some(product("named", "c6", "c0")),
            ),
            change(
                5,
                ChangeEntity::AccessRequest,
                "r1",
                Some(access("r1", "serves", "out", "active")),
            ),
            change(
                6,
                ChangeEntity::AccessRequest,
                "r2",
                Some(access("r2", "serves", "out", "revoked")),
            ),
            change(
                7,
                ChangeEntity::AccessRequest,
                "r3",
                Some(access("r3", "serves", "elsewhere", "active")),
            ),
            change(
                8,
                ChangeEntity::AccessRequest,
                "r4",
                Some(access("r4", "named", "out", "active")),
            ),
            change(
                9,
                ChangeEntity::AccessRequest,
                "r5",
                Some(access("r5", "other", "out", "active")),
            ),
        ];
        cache.page_apply("http://p", &page(changes)).await.unwrap();
        let found = cache
            .impact_documents(&["c1".into()], &[("named".into(), "out".into())])
            .await
            .unwrap();
        let ids = |documents: &[Value]| -> Vec<String> {
            documents
                .iter()
                .map(|d| d["id"].as_str().unwrap().to_owned())
                .collect()
        };
        assert_eq!(ids(&found.products), ["reads", "serves"]);
        assert_eq!(ids(&found.access_requests), ["r1", "r4"]);
        let none = cache.impact_documents(&[], &[]).await.unwrap();
        assert_eq!(none, ImpactDocuments::default());
    }
}
