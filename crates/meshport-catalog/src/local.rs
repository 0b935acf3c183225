//! The local store: the user's own work, kept on this machine (`catalog.db` in the data folder, or
//! `$MESHPORT_DB`): drafts saved as they are typed, the outbox of submissions waiting for (or
//! delivered to) a platform, and the products written locally (the demo mesh seeded once).
//!
//! Each operation is one statement or one transaction, on a database opened with `synchronous = FULL`:
//! a draft saved is on disk before the call returns, so killing the app loses nothing saved.

use std::path::Path;
use std::str::FromStr;

use meshport_model::DataProduct;
use meshport_model::offline::{
    AccessAsk, ActionItem, ActionState, Draft, DraftSummary, OutboxItem, OutboxState,
};
use meshport_model::platform::JobState;
use meshport_model::product::ProductSummary;
use meshport_model::trust::{IncidentAction, IncidentState};
use serde_json::Value;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{Row, SqliteConnection, SqlitePool};

use crate::{Error, Result};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// A handle on the local store; cheap to clone.
#[derive(Debug, Clone)]
pub struct LocalStore {
    pool: SqlitePool,
}

impl LocalStore {
    /// Opens (creating if missing) the database file at `path` and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<LocalStore> {
        if let Some(parent) = path.parent() {
            // A missing folder is reported by the connect below with the path; no need to fail here.
            let _ = std::fs::create_dir_all(parent);
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // Drafts are saved as they are typed: each save is on disk when the call returns.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true);
        // Two connections: one person's drafts and outbox, saved and read a few at a time; each
        // connection more would keep its own page cache and prepared statements.
        let pool = SqlitePoolOptions::new()
            .max_connections(2)
            .connect_with(options)
            .await
            .map_err(|source| Error::Open {
                path: path.display().to_string(),
                source,
            })?;
        Self::migrated(pool).await
    }

    /// A private in-memory store, for tests and benchmarks.
    pub async fn open_in_memory() -> Result<LocalStore> {
        let options = SqliteConnectOptions::from_str("sqlite::memory:")?;
        // One connection: every connection to `:memory:` is a database of its own.
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await?;
        Self::migrated(pool).await
    }

    async fn migrated(pool: SqlitePool) -> Result<LocalStore> {
        MIGRATOR.run(&pool).await?;
        Ok(LocalStore { pool })
    }

    /// Inserts new products in one transaction: all are written or none.
    pub async fn products_insert(&self, products: &[DataProduct]) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        for product in products {
            match insert(&mut tx, product, OnConflict::Fail).await {
                Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                    return Err(Error::AlreadyExists(product.id.clone()));
                }
                other => other?,
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Every product, by domain then name.
    pub async fn products_list(&self) -> Result<Vec<ProductSummary>> {
        let rows = sqlx::query(
            "SELECT id, name, version, status, domain, purpose,
                    json_array_length(document, '$.outputPorts') AS output_ports, updated_at
             FROM products ORDER BY domain COLLATE NOCASE, name COLLATE NOCASE",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|row| {
                Ok(ProductSummary {
                    id: row.try_get("id")?,
                    name: row.try_get("name")?,
                    version: row.try_get("version")?,
                    status: row.try_get("status")?,
                    domain: row.try_get("domain")?,
                    purpose: row.try_get("purpose")?,
                    output_ports: row.try_get::<Option<i64>, _>("output_ports")?.unwrap_or(0).max(0) as u32,
                    updated_at: row.try_get("updated_at")?,
                })
            })
            .collect()
    }

    /// The whole document of one product, if the store has it.
    pub async fn product_get(&self, id: &str) -> Result<Option<DataProduct>> {
        let row = sqlx::query("SELECT document FROM products WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| {
            let document: String = row.try_get("document")?;
            serde_json::from_str(&document).map_err(|source| Error::Corrupt {
                id: id.to_owned(),
                source,
            })
        })
        .transpose()
    }

    /// A value of the store's own metadata (the table `catalog_meta`).
    pub async fn meta_get(&self, key: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar("SELECT value FROM catalog_meta WHERE key = ?")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// Seeds `products` once: inserts them and records `key`, in one transaction, unless `key` is set.
    /// Returns whether it seeded.
    pub async fn seed_once(&self, key: &str, products: &[DataProduct]) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        let done: Option<String> = sqlx::query_scalar("SELECT value FROM catalog_meta WHERE key = ?")
            .bind(key)
            .fetch_optional(&mut *tx)
            .await?;
        if done.is_some() {
            return Ok(false);
        }
        for product in products {
            insert(&mut tx, product, OnConflict::Ignore).await?;
        }
        sqlx::query(
            "INSERT INTO catalog_meta (key, value) VALUES (?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
        )
        .bind(key)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        tracing::info!(count = products.len(), "seeded the local store");
        Ok(true)
    }

    /// Closes the pool, checkpointing the write-ahead log.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// How [`insert`] treats a product whose id is already there.
#[derive(Debug, Clone, Copy)]
enum OnConflict {
    Fail,
    Ignore,
}

/// Writes one product row.
async fn insert(
    conn: &mut SqliteConnection,
    product: &DataProduct,
    on_conflict: OnConflict,
) -> Result<(), sqlx::Error> {
    let document = serde_json::to_string(product).expect("a product always serializes");
    let sql = match on_conflict {
        OnConflict::Fail => {
            "INSERT INTO products (id, name, version, status, domain, purpose, document) VALUES (?, ?, ?, ?, ?, ?, ?)"
        }
        OnConflict::Ignore => {
            "INSERT OR IGNORE INTO products (id, name, version, status, domain, purpose, document) \
             VALUES (?, ?, ?, ?, ?, ?, ?)"
        }
    };
    sqlx::query(sql)
        .bind(&product.id)
        .bind(product.name.as_deref().unwrap_or_default())
        .bind(product.version.as_deref())
        .bind(product.status.as_str())
        .bind(product.domain.as_deref())
        .bind(product.description.as_ref().and_then(|d| d.purpose.as_deref()))
        .bind(document)
        .execute(conn)
        .await?;
    Ok(())
}

const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

fn draft_summary(row: &SqliteRow) -> Result<DraftSummary> {
    Ok(DraftSummary {
        id: row.try_get("id")?,
        name: row.try_get::<Option<String>, _>("name")?.unwrap_or_default(),
        product_id: row.try_get("product_id")?,
        step: row.try_get("step")?,
        updated_at: row.try_get("updated_at")?,
    })
}

fn outbox_state(text: &str) -> OutboxState {
    match text {
        "delivered" => OutboxState::Delivered,
        "refused" => OutboxState::Refused,
        _ => OutboxState::Queued,
    }
}

fn outbox_item(row: &SqliteRow) -> Result<OutboxItem> {
    Ok(OutboxItem {
        id: row.try_get("id")?,
        profile: row.try_get("profile")?,
        product_id: row.try_get("product_id")?,
        name: row.try_get("name")?,
        idempotency_key: row.try_get("idempotency_key")?,
        state: outbox_state(&row.try_get::<String, _>("state")?),
        attempts: row.try_get::<i64, _>("attempts")?.max(0) as u32,
        submitted_at: row.try_get("submitted_at")?,
        delivered_at: row.try_get("delivered_at")?,
        job_id: row.try_get("job_id")?,
        job_state: row
            .try_get::<Option<String>, _>("job_state")?
            .as_deref()
            .and_then(JobState::parse),
        last_error: row.try_get("last_error")?,
    })
}

/// A draft is a product, or a whole provisioning request whose product is under `product`.
const DRAFT_COLUMNS: &str = "id, \
     CASE WHEN json_type(document, '$.name') = 'text' THEN json_extract(document, '$.name') \
          WHEN json_type(document, '$.product.name') = 'text' THEN json_extract(document, '$.product.name') END AS name, \
     CASE WHEN json_type(document, '$.id') = 'text' THEN json_extract(document, '$.id') \
          WHEN json_type(document, '$.product.id') = 'text' THEN json_extract(document, '$.product.id') END AS product_id, \
     step, updated_at";

const OUTBOX_COLUMNS: &str = "id, profile, product_id, name, idempotency_key, state, attempts, submitted_at, \
     delivered_at, job_id, job_state, last_error";

/// A submission to put in the outbox.
#[derive(Debug, Clone)]
pub struct NewSubmission<'a> {
    pub profile: &'a str,
    pub product_id: &'a str,
    pub name: &'a str,
    /// The provisioning request as it will be sent.
    pub body: &'a Value,
    /// The draft the submission came from: removed in the same transaction.
    pub draft_id: Option<&'a str>,
}

impl LocalStore {
    /// Saves a draft in one statement: `id` `None` starts a new one. The document may be anything the
    /// form holds; `step` is where the wizard was (`None` for the product form, and it clears a step
    /// saved before).
    pub async fn draft_save(
        &self,
        id: Option<&str>,
        document: &Value,
        step: Option<&str>,
    ) -> Result<DraftSummary> {
        let id = id.map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_owned);
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO drafts (id, document, step, updated_at) VALUES (?1, ?2, ?3, {NOW}) \
             ON CONFLICT (id) DO UPDATE SET document = excluded.document, step = excluded.step, \
             updated_at = excluded.updated_at \
             RETURNING {DRAFT_COLUMNS}"
        )))
        .bind(&id)
        .bind(document.to_string())
        .bind(step)
        .fetch_one(&self.pool)
        .await?;
        draft_summary(&row)
    }

    /// The drafts, most recently saved first.
    pub async fn drafts_list(&self) -> Result<Vec<DraftSummary>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {DRAFT_COLUMNS} FROM drafts ORDER BY updated_at DESC, id"
        )))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(draft_summary).collect()
    }

    /// One draft with its document.
    pub async fn draft_get(&self, id: &str) -> Result<Option<Draft>> {
        let row = sqlx::query("SELECT id, document, step, updated_at FROM drafts WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| {
            let document: String = row.try_get("document")?;
            Ok(Draft {
                id: row.try_get("id")?,
                document: serde_json::from_str(&document).map_err(|source| Error::Corrupt {
                    id: id.to_owned(),
                    source,
                })?,
                step: row.try_get("step")?,
                updated_at: row.try_get("updated_at")?,
            })
        })
        .transpose()
    }

    /// Deletes a draft; whether there was one.
    pub async fn draft_remove(&self, id: &str) -> Result<bool> {
        let done = sqlx::query("DELETE FROM drafts WHERE id = ?")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Queues a submission with a new idempotency key, and removes its draft, in one transaction.
    pub async fn outbox_add(&self, submission: &NewSubmission<'_>) -> Result<OutboxItem> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO outbox (id, profile, product_id, name, idempotency_key, body, state, submitted_at) \
             VALUES (?, ?, ?, ?, ?, ?, 'queued', {NOW}) RETURNING {OUTBOX_COLUMNS}"
        )))
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(submission.profile)
        .bind(submission.product_id)
        .bind(submission.name)
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(submission.body.to_string())
        .fetch_one(&mut *tx)
        .await?;
        if let Some(draft) = submission.draft_id {
            sqlx::query("DELETE FROM drafts WHERE id = ?")
                .bind(draft)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        outbox_item(&row)
    }

    /// The outbox (of one profile, or all), newest first.
    pub async fn outbox_list(&self, profile: Option<&str>) -> Result<Vec<OutboxItem>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {OUTBOX_COLUMNS} FROM outbox WHERE ?1 IS NULL OR profile = ?1 \
             ORDER BY submitted_at DESC, id"
        )))
        .bind(profile)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(outbox_item).collect()
    }

    /// One outbox item.
    pub async fn outbox_get(&self, id: &str) -> Result<Option<OutboxItem>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {OUTBOX_COLUMNS} FROM outbox WHERE id = ?"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(outbox_item).transpose()
    }

    /// The queued submissions of `profile`, oldest first, with the bodies to send.
    pub async fn outbox_queued(&self, profile: &str) -> Result<Vec<(OutboxItem, Value)>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {OUTBOX_COLUMNS}, body FROM outbox WHERE profile = ? AND state = 'queued' \
             ORDER BY submitted_at, id"
        )))
        .bind(profile)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let item = outbox_item(row)?;
                let body: String = row.try_get("body")?;
                let body = serde_json::from_str(&body).map_err(|source| Error::Corrupt {
                    id: item.id.clone(),
                    source,
                })?;
                Ok((item, body))
            })
            .collect()
    }

    /// Records that a send is about to be tried: counted before it leaves, so a crash mid-send is seen.
    pub async fn outbox_attempt(&self, id: &str) -> Result<()> {
        sqlx::query("UPDATE outbox SET attempts = attempts + 1 WHERE id = ?")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// A send that got no answer: the item stays queued, with why.
    pub async fn outbox_unsent(&self, id: &str, error: &str) -> Result<()> {
        sqlx::query("UPDATE outbox SET last_error = ? WHERE id = ? AND state = 'queued'")
            .bind(error)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The platform accepted the submission as job `job_id`.
    pub async fn outbox_delivered(&self, id: &str, job_id: &str, job_state: JobState) -> Result<()> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE outbox SET state = 'delivered', delivered_at = COALESCE(delivered_at, {NOW}), \
             job_id = ?, job_state = ?, last_error = NULL WHERE id = ?"
        )))
        .bind(job_id)
        .bind(job_state.as_str())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The platform refused the submission (a problem that sending again would not change).
    pub async fn outbox_refused(&self, id: &str, error: &str) -> Result<()> {
        sqlx::query("UPDATE outbox SET state = 'refused', last_error = ? WHERE id = ?")
            .bind(error)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The state of job `job_id` as just read from the platform, on every submission it answered;
    /// how many there were.
    pub async fn outbox_job_seen(&self, job_id: &str, job_state: JobState) -> Result<u64> {
        let done = sqlx::query("UPDATE outbox SET job_state = ? WHERE job_id = ?")
            .bind(job_state.as_str())
            .bind(job_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    /// The delivered job's state, as last read from the platform.
    pub async fn outbox_job_state(&self, id: &str, job_state: JobState) -> Result<()> {
        sqlx::query("UPDATE outbox SET job_state = ? WHERE id = ?")
            .bind(job_state.as_str())
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

const ACTION_COLUMNS: &str = "id, profile, incident_id, action, idempotency_key, state, attempts, queued_at, \
     updated_at, message, current_state";

fn action_item(row: &SqliteRow) -> Result<ActionItem> {
    let id: String = row.try_get("id")?;
    let action: String = row.try_get("action")?;
    let action: IncidentAction = serde_json::from_str(&action).map_err(|source| Error::Corrupt {
        id: id.clone(),
        source,
    })?;
    Ok(ActionItem {
        profile: row.try_get("profile")?,
        incident_id: row.try_get("incident_id")?,
        action,
        idempotency_key: row.try_get("idempotency_key")?,
        state: ActionState::parse(&row.try_get::<String, _>("state")?).unwrap_or(ActionState::Queued),
        attempts: row.try_get::<i64, _>("attempts")?.max(0) as u32,
        queued_at: row.try_get("queued_at")?,
        updated_at: row.try_get("updated_at")?,
        message: row.try_get("message")?,
        current_state: row
            .try_get::<Option<String>, _>("current_state")?
            .as_deref()
            .and_then(IncidentState::parse),
        id,
    })
}

/// The actions on incidents a user took, each waiting for, or answered by, a platform.
impl LocalStore {
    /// Queues an action on an incident with a new idempotency key, in one statement.
    pub async fn action_add(
        &self,
        profile: &str,
        incident_id: &str,
        action: &IncidentAction,
    ) -> Result<ActionItem> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO actions (id, profile, incident_id, action, idempotency_key, state, queued_at, updated_at) \
             VALUES (?, ?, ?, ?, ?, 'queued', {NOW}, {NOW}) RETURNING {ACTION_COLUMNS}"
        )))
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(profile)
        .bind(incident_id)
        .bind(serde_json::to_string(action).expect("an action always serializes"))
        .bind(uuid::Uuid::new_v4().to_string())
        .fetch_one(&self.pool)
        .await?;
        action_item(&row)
    }

    /// The actions of `profile` (on one incident, or all), oldest first.
    pub async fn actions_list(&self, profile: &str, incident_id: Option<&str>) -> Result<Vec<ActionItem>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {ACTION_COLUMNS} FROM actions WHERE profile = ?1 AND (?2 IS NULL OR incident_id = ?2) \
             ORDER BY queued_at, id"
        )))
        .bind(profile)
        .bind(incident_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(action_item).collect()
    }

    /// The queued actions of `profile`, oldest first: the order the user took them in.
    pub async fn actions_queued(&self, profile: &str) -> Result<Vec<ActionItem>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {ACTION_COLUMNS} FROM actions WHERE profile = ? AND state = 'queued' ORDER BY queued_at, id"
        )))
        .bind(profile)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(action_item).collect()
    }

    /// Records the outcome of a send: the new state (`queued` again when the platform did not
    /// answer), counted as an attempt, with the message and the incident's state on a conflict.
    pub async fn action_answered(
        &self,
        id: &str,
        state: ActionState,
        message: Option<&str>,
        current_state: Option<IncidentState>,
    ) -> Result<()> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE actions SET state = ?, message = ?, current_state = ?, attempts = attempts + 1, \
             updated_at = {NOW} WHERE id = ?"
        )))
        .bind(state.as_str())
        .bind(message)
        .bind(current_state.map(IncidentState::as_str))
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Forgets an action that is not queued (a conflict or refusal the user has read); whether there
    /// was one.
    pub async fn action_dismiss(&self, profile: &str, id: &str) -> Result<bool> {
        let done = sqlx::query("DELETE FROM actions WHERE id = ? AND profile = ? AND state <> 'queued'")
            .bind(id)
            .bind(profile)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }
}

const ASK_COLUMNS: &str = "id, profile, product_id, product_name, output_port, purpose, until_at, idempotency_key, \
     state, attempts, queued_at, updated_at, message";

fn access_ask(row: &SqliteRow) -> Result<AccessAsk> {
    Ok(AccessAsk {
        id: row.try_get("id")?,
        profile: row.try_get("profile")?,
        product_id: row.try_get("product_id")?,
        product_name: row.try_get("product_name")?,
        output_port: row.try_get("output_port")?,
        purpose: row.try_get("purpose")?,
        until: row.try_get("until_at")?,
        idempotency_key: row.try_get("idempotency_key")?,
        state: ActionState::parse(&row.try_get::<String, _>("state")?).unwrap_or(ActionState::Queued),
        attempts: row.try_get::<i64, _>("attempts")?.max(0) as u32,
        queued_at: row.try_get("queued_at")?,
        updated_at: row.try_get("updated_at")?,
        message: row.try_get("message")?,
    })
}

/// What a user asked for access to, on its way to a platform (or refused by it).
#[derive(Debug, Clone, Copy)]
pub struct NewAccessAsk<'a> {
    pub product_id: &'a str,
    pub product_name: Option<&'a str>,
    pub output_port: &'a str,
    pub purpose: &'a str,
    pub until: Option<&'a str>,
}

/// Access requests a user asked for that a platform has not taken yet.
impl LocalStore {
    /// Queues an access request with a new idempotency key, in one statement.
    pub async fn access_ask_add(&self, profile: &str, ask: NewAccessAsk<'_>) -> Result<AccessAsk> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO access_asks (id, profile, product_id, product_name, output_port, purpose, until_at, \
             idempotency_key, state, queued_at, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', {NOW}, {NOW}) RETURNING {ASK_COLUMNS}"
        )))
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(profile)
        .bind(ask.product_id)
        .bind(ask.product_name)
        .bind(ask.output_port)
        .bind(ask.purpose)
        .bind(ask.until)
        .bind(uuid::Uuid::new_v4().to_string())
        .fetch_one(&self.pool)
        .await?;
        access_ask(&row)
    }

    /// The access requests of `profile` not taken yet (queued or refused), the newest first.
    pub async fn access_asks(&self, profile: &str) -> Result<Vec<AccessAsk>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {ASK_COLUMNS} FROM access_asks WHERE profile = ? ORDER BY queued_at DESC, id DESC"
        )))
        .bind(profile)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(access_ask).collect()
    }

    /// The queued access requests of `profile`, oldest first: the order the user asked in.
    pub async fn access_asks_queued(&self, profile: &str) -> Result<Vec<AccessAsk>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {ASK_COLUMNS} FROM access_asks WHERE profile = ? AND state = 'queued' ORDER BY queued_at, id"
        )))
        .bind(profile)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(access_ask).collect()
    }

    /// Records a send that was not taken: `queued` again (the platform did not answer) or `refused`,
    /// counted as an attempt, with why.
    pub async fn access_ask_answered(&self, id: &str, state: ActionState, message: &str) -> Result<()> {
        debug_assert!(matches!(state, ActionState::Queued | ActionState::Refused));
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE access_asks SET state = ?, message = ?, attempts = attempts + 1, updated_at = {NOW} WHERE id = ?"
        )))
        .bind(state.as_str())
        .bind(message)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Forgets an access request: taken by the platform (the cache holds it now), or refused and
    /// read by the user (`queued_too` false keeps one still on its way). Whether there was one.
    pub async fn access_ask_remove(&self, profile: &str, id: &str, queued_too: bool) -> Result<bool> {
        let done =
            sqlx::query("DELETE FROM access_asks WHERE id = ? AND profile = ? AND (? OR state <> 'queued')")
                .bind(id)
                .bind(profile)
                .bind(queued_too)
                .execute(&self.pool)
                .await?;
        Ok(done.rows_affected() > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn stored_documents_must_be_json() {
        let store = LocalStore::open_in_memory().await.unwrap();
        let result = sqlx::query(
            "INSERT INTO products (id, name, status, document) VALUES ('x', 'X', 'draft', 'not json')",
        )
        .execute(&store.pool)
        .await;
        assert!(
            result.is_err(),
            "the CHECK constraint refuses a document that is not JSON"
        );
    }

    #[tokio::test]
    async fn a_draft_keeps_its_step_and_drafts_saved_before_steps_existed_still_load() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("catalog.db");
        // A store as the app left it before migration 0003, holding a draft.
        {
            let options = SqliteConnectOptions::new()
                .filename(&path)
                .create_if_missing(true);
            let pool = SqlitePool::connect_with(options).await.unwrap();
            MIGRATOR.run_to(2, &pool).await.unwrap();
            sqlx::query(
                "INSERT INTO drafts (id, document, updated_at) VALUES ('old', '{\"name\": \"Old\"}', '2025-01-01T00:00:00Z')",
            )
            .execute(&pool)
            .await
            .unwrap();
            pool.close().await;
        }
        let store = LocalStore::open(&path).await.unwrap();
        let old = store.draft_get("old").await.unwrap().unwrap();
        assert_eq!((old.document["name"].as_str(), old.step), (Some("Old"), None));
        assert_eq!(store.drafts_list().await.unwrap()[0].step, None);

        let request = serde_json::json!({"kind": "ProvisioningRequest", "product": {"name": "Wiz"}});
        let saved = store.draft_save(None, &request, Some("contracts")).await.unwrap();
        assert_eq!(
            (saved.name.as_str(), saved.step.as_deref()),
            ("Wiz", Some("contracts"))
        );
        let again = store
            .draft_save(Some(&saved.id), &request, Some("review"))
            .await
            .unwrap();
        assert_eq!(again.step.as_deref(), Some("review"));
        let draft = store.draft_get(&saved.id).await.unwrap().unwrap();
        assert_eq!(draft.step.as_deref(), Some("review"));
        let listed = store.drafts_list().await.unwrap();
        let listed = listed.iter().find(|d| d.id == saved.id).unwrap();
        assert_eq!(listed.step.as_deref(), Some("review"));
        // The product form saves without a step: the wizard's is not kept for a form's draft.
        let form = store.draft_save(Some(&saved.id), &request, None).await.unwrap();
        assert_eq!(form.step, None);
    }
}
