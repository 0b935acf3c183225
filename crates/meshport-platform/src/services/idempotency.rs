//! Idempotency keys (IETF httpapi `Idempotency-Key` draft), per user: a request sent again with the
//! key of one that was carried out answers that first response instead of acting twice.
//!
//! A key is stored in the transaction that carries out its request, with the request's fingerprint
//! and its response, so it never stands for a request in progress: two requests sent at once with
//! one key both run, and the database lets one of them in (the second's insert finds the first's
//! row, rolls back and answers the stored response). Submits and incident actions use it.

use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::error::ApiError;
use crate::store::now_ms;

/// How long an in-flight key (written by platforms before keys were stored with their request)
/// blocks a replay before it is taken to be abandoned.
const IN_FLIGHT_STALE_MS: i64 = 60_000;
/// How long keys are kept: at least 24 hours, as the draft asks.
pub const KEY_RETENTION_MS: i64 = 48 * 3600 * 1000;

/// What a key stands for once its request was carried out.
#[derive(Debug, Clone)]
pub struct Stored {
    pub status: u16,
    pub location: Option<String>,
    pub response: Value,
}

/// The fingerprint of a request: its parts, each length-prefixed, hashed.
pub fn fingerprint(parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks an `Idempotency-Key` header value: 1 to 255 visible ASCII characters; `required` says
/// whether a request without one is refused.
pub fn key_check(key: Option<&str>, required: bool) -> Result<Option<String>, ApiError> {
    match key {
        None if required => Err(ApiError::bad_request(
            "idempotency-key-missing",
            "send an `Idempotency-Key` header (a UUID is a good one), so that a retried submit never provisions twice",
        )),
        None => Ok(None),
        Some(key) if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| b.is_ascii_graphic()) => {
            Err(ApiError::bad_request(
                "idempotency-key-invalid",
                "`Idempotency-Key` must be 1 to 255 visible ASCII characters",
            ))
        }
        Some(key) => Ok(Some(key.to_owned())),
    }
}

/// What `key` of `user` already stands for: `None` when nothing, the stored response when a request
/// with the same fingerprint was carried out (a replay), 422 when that request was another one.
pub async fn lookup(
    conn: &mut sqlx::AnyConnection,
    user: &str,
    key: &str,
    print: &str,
) -> Result<Option<Stored>, ApiError> {
    let Some(row) = sqlx::query(
        "SELECT fingerprint, state, status, location, response, created_at FROM idempotency_keys \
         WHERE user_name = $1 AND idem_key = $2",
    )
    .bind(user)
    .bind(key)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let stored_print: String = row.try_get("fingerprint")?;
    if stored_print != print {
        return Err(ApiError::unprocessable(
            "idempotency-key-reused",
            "The idempotency key was used for another request",
            "this `Idempotency-Key` was sent before with a different request; use a new key for a new request",
        ));
    }
    let key_state: String = row.try_get("state")?;
    if key_state == "done" {
        let status: i64 = row.try_get("status")?;
        let response: String = row.try_get("response")?;
        return Ok(Some(Stored {
            status: u16::try_from(status).unwrap_or(200),
            location: row.try_get::<Option<String>, _>("location")?,
            response: serde_json::from_str(&response).map_err(ApiError::internal)?,
        }));
    }
    let created: i64 = row.try_get("created_at")?;
    if now_ms() - created < IN_FLIGHT_STALE_MS {
        return Err(in_flight());
    }
    // Abandoned by a request that died: let it go, unless someone else just took it.
    sqlx::query(
        "DELETE FROM idempotency_keys WHERE user_name = $1 AND idem_key = $2 AND state = 'in-flight' \
         AND created_at = $3",
    )
    .bind(user)
    .bind(key)
    .bind(created)
    .execute(&mut *conn)
    .await?;
    Ok(None)
}

/// 409: another request with the key has not been answered yet.
pub fn in_flight() -> ApiError {
    ApiError::conflict(
        "idempotency-key-in-flight",
        "A request with this idempotency key is still being processed",
        "retry in a moment: the first request with this key has not been answered yet",
    )
}

/// Records, in the transaction `conn` carries the request out in, that `key` of `user` stands for
/// it and its response. `false` when the key was taken meanwhile: roll back, then [`lookup`] it.
pub async fn store(
    conn: &mut sqlx::AnyConnection,
    user: &str,
    key: &str,
    print: &str,
    stored: &Stored,
) -> Result<bool, ApiError> {
    let inserted = sqlx::query(
        "INSERT INTO idempotency_keys (user_name, idem_key, fingerprint, state, status, location, response, \
         created_at) VALUES ($1, $2, $3, 'done', $4, $5, $6, $7) ON CONFLICT (user_name, idem_key) DO NOTHING",
    )
    .bind(user)
    .bind(key)
    .bind(print)
    .bind(i64::from(stored.status))
    .bind(stored.location.as_deref())
    .bind(stored.response.to_string())
    .bind(now_ms())
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(inserted == 1)
}
