//! The user's own work, kept on this machine: drafts saved as they are typed, and the outbox of
//! submissions waiting for (or delivered to) a platform.
//!
//! Each operation is one statement or one transaction, on a database opened with `synchronous = FULL`:
//! a draft saved is on disk before the call returns, so killing the app loses nothing saved.

use meshport_model::offline::{Draft, DraftSummary, OutboxItem, OutboxState};
use meshport_model::platform::JobState;
use serde_json::Value;
use sqlx::Row;
use sqlx::sqlite::SqliteRow;

use crate::{Catalog, Error, Result};

const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

fn draft_summary(row: &SqliteRow) -> Result<DraftSummary> {
    Ok(DraftSummary {
        id: row.try_get("id")?,
        name: row.try_get::<Option<String>, _>("name")?.unwrap_or_default(),
        product_id: row.try_get("product_id")?,
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
     updated_at";

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

impl Catalog {
    /// Saves a draft: `id` `None` starts a new one. The document may be anything the form holds.
    pub async fn draft_save(&self, id: Option<&str>, document: &Value) -> Result<DraftSummary> {
        let id = id.map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_owned);
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO drafts (id, document, updated_at) VALUES (?1, ?2, {NOW}) \
             ON CONFLICT (id) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at \
             RETURNING {DRAFT_COLUMNS}"
        )))
        .bind(&id)
        .bind(document.to_string())
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
        let row = sqlx::query("SELECT id, document, updated_at FROM drafts WHERE id = ?")
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
