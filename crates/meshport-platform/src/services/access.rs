//! Access requests that grant real access. A consumer asks for an output port with a purpose (and
//! optionally an end date); an owner of the product's domain approves or rejects with a reason;
//! approval grants for real and revocation (by an owner, or the end date passing) takes it away:
//!
//! - on PostgreSQL the consumer's login role `mesh_<user>` (created on the first grant) gets `USAGE` on
//!   the port's schema and `SELECT` on its tables, and loses them;
//! - on SQLite the platform serves the port's rows (`GET /v1/products/{id}/ports/{port}/rows`) to
//!   callers with an active grant and to the domain's owners only.
//!
//! `requested → approved → active → revoked | expired`, `requested → rejected`; every step is in the
//! audit log and the change feed.
//!
//! Taking access away in the database can fail (PostgreSQL unreachable). It is tried a few times;
//! one that still fails is never dropped: it is logged, audited as `access-request.ungrant` with
//! outcome `failed` and kept in `pending_revocations`, which the trust upkeep retries
//! ([`revocations_retry`]) until it succeeds. The request's state keeps the owner's decision.

use std::time::Duration;

use meshport_model::platform::{ChangeEntity, Page};
use meshport_model::trust::{AccessGrant, AccessRequest, AccessState, PortRows};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::adapters::sql::{SqlTarget, tables_plan};
use crate::error::ApiError;
use crate::services::auth::{Caller, Role};
use crate::services::catalog::{self, Audit, Tx, cursor_decode, cursor_encode};
use crate::services::idempotency;
use crate::state::AppState;
use crate::store::{now_ms, rfc3339};

/// `POST /v1/access-requests`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewAccessRequest {
    /// The product whose output port is asked for.
    pub product_id: String,
    /// The output port's name.
    pub output_port: String,
    /// What the data will be used for; the owners decide on it.
    pub purpose: String,
    /// When the access ends by itself (RFC 3339, in the future).
    #[serde(default)]
    pub until: Option<String>,
}

/// The body of approve, reject and revoke.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// Why; kept with the request and in the audit log.
    #[serde(default)]
    pub reason: Option<String>,
}

fn invalid(detail: impl Into<String>) -> ApiError {
    ApiError::unprocessable(
        "invalid-access-request",
        "The access request cannot be made",
        detail,
    )
}

/// The PostgreSQL role of a consumer: `mesh_<user>`, with a short hash when the name needed changes.
pub fn role_of(user: &str) -> String {
    let slug: String = user
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if slug == user && slug.len() <= 50 {
        format!("mesh_{slug}")
    } else {
        use sha2::Digest;
        let hash = sha2::Sha256::digest(user.as_bytes());
        let tag: String = hash.iter().take(3).map(|b| format!("{b:02x}")).collect();
        let mut slug = slug;
        slug.truncate(40);
        format!("mesh_{slug}_{tag}")
    }
}

const COLUMNS: &str = "id, product_id, product_name, domain, output_port, consumer, purpose, until_at, state, \
                       requested_at, updated_at, decided_by, reason, grant_doc";

fn from_row(row: &AnyRow) -> Result<AccessRequest, ApiError> {
    let state: String = row.try_get("state")?;
    let grant: Option<String> = row.try_get("grant_doc")?;
    Ok(AccessRequest {
        id: row.try_get("id")?,
        product_id: row.try_get("product_id")?,
        product_name: row.try_get("product_name")?,
        domain: row.try_get("domain")?,
        output_port: row.try_get("output_port")?,
        consumer: row.try_get("consumer")?,
        purpose: row.try_get("purpose")?,
        until: row.try_get::<Option<i64>, _>("until_at")?.map(rfc3339),
        state: AccessState::parse(&state)
            .ok_or_else(|| ApiError::internal(format!("access state {state}")))?,
        requested_at: rfc3339(row.try_get("requested_at")?),
        updated_at: rfc3339(row.try_get("updated_at")?),
        decided_by: row.try_get("decided_by")?,
        reason: row.try_get("reason")?,
        grant: grant.and_then(|g| serde_json::from_str(&g).ok()),
    })
}

async fn read(conn: &mut sqlx::AnyConnection, id: &str) -> Result<Option<AccessRequest>, ApiError> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM access_requests WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await?
    .map(|row| from_row(&row))
    .transpose()
}

async fn changed(tx: &mut Tx, id: &str) -> Result<AccessRequest, ApiError> {
    let request = read(tx, id)
        .await?
        .ok_or_else(|| ApiError::internal("an access request vanished in its own transaction"))?;
    let document = serde_json::to_value(&request).map_err(ApiError::internal)?;
    catalog::change_append(tx, ChangeEntity::AccessRequest, id, Some(&document)).await?;
    Ok(request)
}

/// Who sees a request: its consumer, the owners and stewards of its domain, admins.
fn may_see(caller: &Caller, request: &AccessRequest) -> bool {
    caller.user == request.consumer
        || caller.is_admin()
        || caller.has(Role::Owner, &request.domain)
        || caller.has(Role::Steward, &request.domain)
}

/// `POST /v1/access-requests`: a caller with a role asks for an output port the platform provisioned.
///
/// With an idempotency `key`, the request is made once: sent again with the key (a desktop's
/// outbox retrying after a lost answer), it answers the request the first send made (`true`: a
/// replay) and makes no other.
pub async fn create(
    state: &AppState,
    caller: &Caller,
    body: NewAccessRequest,
    key: Option<&str>,
) -> Result<(AccessRequest, bool), ApiError> {
    let key = idempotency::key_check(key, false)?;
    let print = idempotency::fingerprint(&[
        b"access-request.create",
        body.product_id.as_bytes(),
        body.output_port.as_bytes(),
        body.purpose.trim().as_bytes(),
        body.until.as_deref().unwrap_or_default().as_bytes(),
    ]);
    let replay = async |key: &str| -> Result<Option<(AccessRequest, bool)>, ApiError> {
        let mut conn = state.store().pool().acquire().await?;
        match idempotency::lookup(&mut conn, &caller.user, key, &print).await? {
            Some(stored) => Ok(Some((
                serde_json::from_value(stored.response).map_err(ApiError::internal)?,
                true,
            ))),
            None => Ok(None),
        }
    };
    if let Some(key) = &key
        && let Some(answer) = replay(key).await?
    {
        return Ok(answer);
    }
    if caller.grants.is_empty() {
        return Err(ApiError::forbidden(format!(
            "`{}` holds no role on this platform, so may not ask for access",
            caller.user
        )));
    }
    if body.purpose.trim().is_empty() {
        return Err(invalid(
            "`purpose` is empty; say what the data will be used for, the owners decide on it",
        ));
    }
    let now = now_ms();
    let until = until_read(state, body.until.as_deref())?;
    let product = provisioned_port(state, &body).await?;
    let text = |key: &str| {
        product
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let id = format!("ar_{}", uuid::Uuid::now_v7().simple());
    let mut tx = state.store().write().await?;
    if let Err(refused) = open_request_refuse(&mut tx, caller, &body).await {
        tx.rollback().await?;
        // The open request may be this key's own, made by a send that raced this one.
        if let Some(key) = &key
            && let Some(answer) = replay(key).await?
        {
            return Ok(answer);
        }
        return Err(refused);
    }
    sqlx::query(
        "INSERT INTO access_requests (id, product_id, product_name, domain, output_port, consumer, purpose, until_at, state, \
         requested_at, updated_at, decided_by, reason, grant_doc) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'requested', $9, $9, NULL, NULL, NULL)",
    )
    .bind(&id)
    .bind(&body.product_id)
    .bind(text("name"))
    .bind(text("domain").to_lowercase())
    .bind(&body.output_port)
    .bind(&caller.user)
    .bind(body.purpose.trim())
    .bind(until)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    audit(
        &mut tx,
        caller,
        "access-request.create",
        &id,
        Some(format!("{} / {}", body.product_id, body.output_port)),
    )
    .await?;
    let request = changed(&mut tx, &id).await?;
    if let Some(key) = &key {
        let stored = idempotency::Stored {
            status: 201,
            location: Some(format!("/v1/access-requests/{id}")),
            response: serde_json::to_value(&request).map_err(ApiError::internal)?,
        };
        if !idempotency::store(&mut tx, &caller.user, key, &print, &stored).await? {
            // The same key was carried out meanwhile (a retry raced its first send).
            tx.rollback().await?;
            return replay(key).await?.ok_or_else(idempotency::in_flight);
        }
    }
    tx.commit().await?;
    Ok((request, false))
}

/// The end of a grant asked for: an RFC 3339 time in the future, by the clock that will expire it.
fn until_read(state: &AppState, until: Option<&str>) -> Result<Option<i64>, ApiError> {
    let Some(text) = until else {
        return Ok(None);
    };
    let at: jiff::Timestamp = text.parse().map_err(|e| {
        invalid(format!(
            "`until` is `{text}`, not an RFC 3339 time ({e}); write e.g. 2027-06-30T00:00:00Z"
        ))
    })?;
    if at.as_millisecond() <= state.clock().now_ms() {
        return Err(invalid(format!(
            "`until` is {text}, which has passed; give a time in the future"
        )));
    }
    Ok(Some(at.as_millisecond()))
}

/// The product of an access request, whose output port must exist and have been provisioned here.
async fn provisioned_port(state: &AppState, body: &NewAccessRequest) -> Result<Value, ApiError> {
    let product = catalog::product_get(state.store(), &body.product_id)
        .await?
        .ok_or_else(|| {
            invalid(format!(
                "`productId` is `{}`, which names no product in the catalog",
                body.product_id
            ))
        })?;
    let ports: Vec<&str> = product
        .get("outputPorts")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| p.get("name").and_then(Value::as_str))
        .collect();
    if !ports.contains(&body.output_port.as_str()) {
        return Err(invalid(format!(
            "`outputPort` is `{}`, which is not an output port of the product; its ports are: {}",
            body.output_port,
            ports.join(", ")
        )));
    }
    let provisioned = sqlx::query("SELECT location FROM port_resources WHERE product_id = $1 AND port = $2")
        .bind(&body.product_id)
        .bind(&body.output_port)
        .fetch_optional(state.store().pool())
        .await?
        .is_some();
    if !provisioned {
        return Err(ApiError::conflict(
            "not-provisioned",
            "Nothing to grant",
            format!(
                "port `{}` of product `{}` was not provisioned by this platform, so there is no data to grant access to",
                body.output_port, body.product_id
            ),
        ));
    }
    Ok(product)
}

/// Refuses a second open request (requested, approved or active) of one consumer for one port.
async fn open_request_refuse(tx: &mut Tx, caller: &Caller, body: &NewAccessRequest) -> Result<(), ApiError> {
    let pending = sqlx::query(
        "SELECT id, state FROM access_requests WHERE product_id = $1 AND output_port = $2 AND consumer = $3 \
         AND state IN ('requested', 'approved', 'active')",
    )
    .bind(&body.product_id)
    .bind(&body.output_port)
    .bind(&caller.user)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(row) = pending {
        let (other, other_state): (String, String) = (row.try_get("id")?, row.try_get("state")?);
        return Err(ApiError::conflict(
            "duplicate-request",
            "An access request exists",
            format!("request {other} for this port is {other_state}; follow it instead of asking again"),
        ));
    }
    Ok(())
}

async fn audit(
    tx: &mut Tx,
    caller: &Caller,
    action: &str,
    id: &str,
    detail: Option<String>,
) -> Result<(), ApiError> {
    catalog::audit_append(
        &mut **tx,
        Audit {
            actor: &caller.user,
            action,
            target: id,
            request_id: &caller.request_id,
            outcome: "succeeded",
            detail,
        },
    )
    .await?;
    Ok(())
}

/// One request, for those who may see it.
pub async fn get(state: &AppState, caller: &Caller, id: &str) -> Result<AccessRequest, ApiError> {
    let mut conn = state.store().pool().acquire().await?;
    let request = read(&mut conn, id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no access request `{id}`")))?;
    if !may_see(caller, &request) {
        return Err(ApiError::forbidden(format!(
            "`{}` neither asked for request {id} nor owns or stewards domain `{}`",
            caller.user, request.domain
        )));
    }
    Ok(request)
}

/// Filters of the request list.
#[derive(Debug, Default)]
pub struct Filter {
    pub state: Option<AccessState>,
    pub product: Option<String>,
    pub consumer: Option<String>,
    pub domain: Option<String>,
}

/// The requests the caller may see, newest first.
pub async fn list(
    state: &AppState,
    caller: &Caller,
    filter: &Filter,
    cursor: Option<&str>,
    limit: i64,
) -> Result<Page<AccessRequest>, ApiError> {
    let before = cursor.map(cursor_decode).transpose()?;
    let all = caller.is_admin()
        || caller
            .grants
            .iter()
            .any(|g| matches!(g.role, Role::Owner | Role::Steward) && g.domain == "*");
    let domains: Vec<String> = caller
        .grants
        .iter()
        .filter(|g| matches!(g.role, Role::Owner | Role::Steward))
        .map(|g| format!("'{}'", g.domain.replace('\'', "''")))
        .collect();
    let visible = if all {
        "1 = 1".to_owned()
    } else if domains.is_empty() {
        "consumer = $7".to_owned()
    } else {
        format!("(consumer = $7 OR domain IN ({}))", domains.join(", "))
    };
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM access_requests WHERE {visible} AND ($1 IS NULL OR state = $1) \
         AND ($2 IS NULL OR product_id = $2) AND ($3 IS NULL OR consumer = $3) AND ($4 IS NULL OR domain = $4) \
         AND ($5 IS NULL OR id < $5) AND $7 = $7 ORDER BY id DESC LIMIT $6"
    )))
    .bind(filter.state.map(AccessState::as_str))
    .bind(filter.product.as_deref())
    .bind(filter.consumer.as_deref())
    .bind(filter.domain.as_deref().map(str::to_lowercase))
    .bind(before)
    .bind(limit + 1)
    .bind(&caller.user)
    .fetch_all(state.store().pool())
    .await?;
    let mut items = Vec::new();
    for row in rows.iter().take(limit as usize) {
        items.push(from_row(row)?);
    }
    let next_cursor = (rows.len() as i64 > limit)
        .then(|| items.last().map(|i| cursor_encode(&i.id)))
        .flatten();
    Ok(Page { items, next_cursor })
}

/// What an owner decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Approve,
    Reject,
    Revoke,
}

impl Verdict {
    fn name(self) -> &'static str {
        match self {
            Verdict::Approve => "approve",
            Verdict::Reject => "reject",
            Verdict::Revoke => "revoke",
        }
    }
}

async fn location(state: &AppState, request: &AccessRequest) -> Result<Option<String>, ApiError> {
    Ok(
        sqlx::query("SELECT location FROM port_resources WHERE product_id = $1 AND port = $2")
            .bind(&request.product_id)
            .bind(&request.output_port)
            .fetch_optional(state.store().pool())
            .await?
            .map(|r| r.try_get("location"))
            .transpose()?,
    )
}

/// Approve, reject or revoke: owners of the product's domain only, never the request's own consumer;
/// a transition the state machine does not allow is 409 naming the current state.
pub async fn decide(
    state: &AppState,
    caller: &Caller,
    id: &str,
    verdict: Verdict,
    decision: Decision,
) -> Result<AccessRequest, ApiError> {
    let request = decidable(state, caller, id, verdict).await?;
    let decided = Decided {
        caller,
        id,
        from: request.state,
        reason: decision.reason.filter(|r| !r.trim().is_empty()),
        now: now_ms(),
    };
    let location = location(state, &request).await?;
    let mut tx = state.store().write().await?;
    let moved = match verdict {
        Verdict::Reject => reject_in(&mut tx, &decided).await?,
        Verdict::Approve => approve_in(&mut tx, state, &decided, &request, location.as_deref()).await?,
        Verdict::Revoke => revoke_in(&mut tx, state, &decided, &request, location.as_deref()).await?,
    };
    if !moved {
        tx.rollback().await?;
        let now = get(state, caller, id).await?;
        return Err(ApiError::invalid_state(
            now.state.as_str(),
            "the request changed meanwhile; look again",
        ));
    }
    let request = changed(&mut tx, id).await?;
    if let Err(error) = tx.commit().await {
        if verdict == Verdict::Approve
            && let Some(location) = location.as_deref()
        {
            grant_undo(state, caller, id, &request.consumer, location).await;
        }
        return Err(error.into());
    }
    Ok(request)
}

/// The request `caller` may give `verdict` on: an owner of its domain, not the consumer who asked
/// (except to revoke), and in a state the verdict applies to.
async fn decidable(
    state: &AppState,
    caller: &Caller,
    id: &str,
    verdict: Verdict,
) -> Result<AccessRequest, ApiError> {
    let request = get(state, caller, id).await.map_err(|e| {
        if e.status() == axum::http::StatusCode::FORBIDDEN {
            ApiError::forbidden(format!(
                "`{}` is not an owner of the domain of request {id}, so may not {} it",
                caller.user,
                verdict.name()
            ))
        } else {
            e
        }
    })?;
    caller.require_owner(
        &request.domain,
        &format!("{} its access requests", verdict.name()),
    )?;
    if request.consumer == caller.user && verdict != Verdict::Revoke {
        return Err(ApiError::forbidden(format!(
            "`{}` asked for request {id}, so may not {} it; another owner of `{}` decides",
            caller.user,
            verdict.name(),
            request.domain
        )));
    }
    use AccessState::*;
    let allowed = match verdict {
        Verdict::Approve | Verdict::Reject => request.state == Requested,
        Verdict::Revoke => matches!(request.state, Approved | Active),
    };
    if !allowed {
        let why = match verdict {
            Verdict::Approve | Verdict::Reject => "only a requested access can be approved or rejected",
            Verdict::Revoke => "only approved or active access can be revoked",
        };
        return Err(ApiError::invalid_state(
            request.state.as_str(),
            format!("request {id} is {}; {why}", request.state),
        ));
    }
    Ok(request)
}

/// Who decides what, from which state.
struct Decided<'a> {
    caller: &'a Caller,
    id: &'a str,
    from: AccessState,
    reason: Option<String>,
    now: i64,
}

impl Decided<'_> {
    /// Moves the request to `to` if it is still in `from`; whether it moved.
    async fn moved(&self, tx: &mut Tx, to: AccessState) -> Result<bool, ApiError> {
        let n = sqlx::query(
            "UPDATE access_requests SET state = $1, updated_at = $2, decided_by = $3, reason = $4, grant_doc = $5 \
             WHERE id = $6 AND state = $7",
        )
        .bind(to.as_str())
        .bind(self.now)
        .bind(self.caller.user.clone())
        .bind(self.reason.clone())
        .bind(None::<String>)
        .bind(self.id.to_owned())
        .bind(self.from.as_str().to_owned())
        .execute(&mut **tx)
        .await?
        .rows_affected();
        Ok(n == 1)
    }
}

async fn reject_in(tx: &mut Tx, d: &Decided<'_>) -> Result<bool, ApiError> {
    let moved = d.moved(tx, AccessState::Rejected).await?;
    audit(tx, d.caller, "access-request.reject", d.id, d.reason.clone()).await?;
    Ok(moved)
}

/// Approves and grants: a PostgreSQL role's read access to the port's schema, or (SQLite) the rows
/// endpoint. A pending revocation of the same access is dropped, since this gives it again.
async fn approve_in(
    tx: &mut Tx,
    state: &AppState,
    d: &Decided<'_>,
    request: &AccessRequest,
    location: Option<&str>,
) -> Result<bool, ApiError> {
    let Some(location) = location else {
        return Err(ApiError::conflict(
            "not-provisioned",
            "Nothing to grant",
            format!(
                "port `{}` is no longer provisioned; the request cannot be granted",
                request.output_port
            ),
        ));
    };
    if !d.moved(tx, AccessState::Approved).await? {
        return Ok(false);
    }
    // The delete waits for a retry of the revocation in progress (which holds the row) to end, so
    // the retry never undoes this grant.
    sqlx::query("DELETE FROM pending_revocations WHERE role = $1 AND location = $2")
        .bind(role_of(&request.consumer))
        .bind(location)
        .execute(&mut **tx)
        .await?;
    audit(tx, d.caller, "access-request.approve", d.id, d.reason.clone()).await?;
    changed(tx, d.id).await?;
    let grant = grant_give(state, request, location).await?;
    sqlx::query("UPDATE access_requests SET state = 'active', grant_doc = $1 WHERE id = $2")
        .bind(crate::services::quality::json(&grant))
        .bind(d.id)
        .execute(&mut **tx)
        .await?;
    audit(
        tx,
        d.caller,
        "access-request.grant",
        d.id,
        Some(grant.kind.clone()),
    )
    .await?;
    Ok(true)
}

/// Gives the consumer of `request` read access to `location`, as the platform's store allows.
async fn grant_give(
    state: &AppState,
    request: &AccessRequest,
    location: &str,
) -> Result<AccessGrant, ApiError> {
    if !matches!(state.adapter().target(), SqlTarget::Postgres { .. }) {
        return Ok(AccessGrant {
            kind: "rows-endpoint".into(),
            role: None,
            schema: None,
            path: Some(format!(
                "/v1/products/{}/ports/{}/rows",
                request.product_id, request.output_port
            )),
        });
    }
    let role = role_of(&request.consumer);
    state
        .adapter()
        .read_grant(location, &role)
        .await
        .map_err(|e| ApiError::internal(format!("granting {role} on {location}: {e}")))?;
    Ok(AccessGrant {
        kind: "postgres-role".into(),
        role: Some(role),
        schema: Some(location.to_owned()),
        path: None,
    })
}

/// Revokes and takes access away; a failure to take it away is kept to retry.
async fn revoke_in(
    tx: &mut Tx,
    state: &AppState,
    d: &Decided<'_>,
    request: &AccessRequest,
    location: Option<&str>,
) -> Result<bool, ApiError> {
    if !d.moved(tx, AccessState::Revoked).await? {
        return Ok(false);
    }
    audit(tx, d.caller, "access-request.revoke", d.id, d.reason.clone()).await?;
    if let Some(location) = location {
        let role = role_of(&request.consumer);
        if let Err(error) = ungrant(state, &role, location).await {
            let failed = Revocation {
                request_id: d.id,
                role: &role,
                location,
                error: &error,
            };
            revocation_pending(tx, &failed, &d.caller.user, &d.caller.request_id).await?;
        }
    }
    Ok(true)
}

/// A grant was given but its record failed to commit: takes it back, so access always matches the
/// record, or keeps the revocation to retry.
async fn grant_undo(state: &AppState, caller: &Caller, id: &str, consumer: &str, location: &str) {
    let role = role_of(consumer);
    let Err(failed) = ungrant(state, &role, location).await else {
        return;
    };
    let failed = Revocation {
        request_id: id,
        role: &role,
        location,
        error: &failed,
    };
    // The store just failed a commit: it may refuse this too, which is logged.
    let recorded = async {
        let mut conn = state.store().writer().acquire().await?;
        revocation_pending(&mut conn, &failed, &caller.user, &caller.request_id).await
    };
    if let Err(lost) = recorded.await {
        tracing::error!(request = id, %role, location, error = %lost, "the failed revocation could not be recorded either");
    }
}

/// How many times taking access away is tried at once, and the pause after the first failure
/// (doubling after each); past them the revocation is left to the trust upkeep.
const REVOKE_ATTEMPTS: u32 = 3;
const REVOKE_BACKOFF: Duration = Duration::from_millis(100);

/// Takes `role`'s access to the port at `location` away, trying [`REVOKE_ATTEMPTS`] times. The error
/// says what the last try met.
async fn ungrant(state: &AppState, role: &str, location: &str) -> Result<(), String> {
    let mut pause = REVOKE_BACKOFF;
    let mut attempt = 1;
    loop {
        match state.adapter().read_revoke(location, role).await {
            Ok(()) => return Ok(()),
            Err(error) if attempt >= REVOKE_ATTEMPTS => {
                return Err(format!("revoking {role} on {location}: {error}"));
            }
            Err(error) => {
                tracing::warn!(%role, location, attempt, %error, "revoking access failed; trying again");
                tokio::time::sleep(pause).await;
                pause *= 2;
                attempt += 1;
            }
        }
    }
}

/// A revocation whose tries all failed.
struct Revocation<'a> {
    request_id: &'a str,
    role: &'a str,
    location: &'a str,
    error: &'a str,
}

/// Records a revocation that failed, so it is not lost: logged, audited as failed by `actor`, and
/// kept in `pending_revocations` for the trust upkeep to retry.
async fn revocation_pending(
    conn: &mut sqlx::AnyConnection,
    failed: &Revocation<'_>,
    actor: &str,
    request_id: &str,
) -> Result<(), ApiError> {
    let Revocation {
        request_id: target,
        role,
        location,
        error,
    } = *failed;
    tracing::error!(
        request = target,
        role,
        location,
        error,
        "access could not be taken away; the upkeep retries it"
    );
    sqlx::query(
        "INSERT INTO pending_revocations (role, location, request_id, attempts, last_error, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (role, location) DO UPDATE SET request_id = excluded.request_id, \
         attempts = pending_revocations.attempts + excluded.attempts, last_error = excluded.last_error, \
         updated_at = excluded.updated_at",
    )
    .bind(role)
    .bind(location)
    .bind(target)
    .bind(i64::from(REVOKE_ATTEMPTS))
    .bind(error)
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    catalog::audit_append(
        &mut *conn,
        Audit {
            actor,
            action: "access-request.ungrant",
            target,
            request_id,
            outcome: "failed",
            detail: Some(format!("{error}; kept pending, the platform retries it")),
        },
    )
    .await?;
    Ok(())
}

/// Retries the revocations that failed, once each: the trust upkeep calls it every tick until each
/// succeeds. Returns how many it took away.
pub async fn revocations_retry(state: &AppState) -> Result<usize, ApiError> {
    let pending: Vec<(String, String)> =
        sqlx::query("SELECT role, location FROM pending_revocations ORDER BY created_at")
            .fetch_all(state.store().pool())
            .await?
            .iter()
            .map(|r| Ok((r.try_get("role")?, r.try_get("location")?)))
            .collect::<Result<_, sqlx::Error>>()?;
    let mut revoked = 0;
    for (role, location) in pending {
        let mut tx = state.store().write().await?;
        // Deleting first holds the row until this retry ends: an approval granting the same access
        // meanwhile waits for it (see `decide`), so this never undoes a newer grant.
        let Some(row) = sqlx::query(
            "DELETE FROM pending_revocations WHERE role = $1 AND location = $2 RETURNING request_id, attempts",
        )
        .bind(&role)
        .bind(&location)
        .fetch_optional(&mut *tx)
        .await?
        else {
            continue;
        };
        let (target, attempts): (String, i64) = (row.try_get("request_id")?, row.try_get("attempts")?);
        match state.adapter().read_revoke(&location, &role).await {
            Ok(()) => {
                catalog::audit_append(
                    &mut *tx,
                    Audit {
                        actor: "platform",
                        action: "access-request.ungrant",
                        target: &target,
                        request_id: "",
                        outcome: "succeeded",
                        detail: Some(format!(
                            "revoked {role} on {location} after {attempts} failed attempt(s)"
                        )),
                    },
                )
                .await?;
                tx.commit().await?;
                revoked += 1;
            }
            Err(error) => {
                tx.rollback().await?;
                tracing::error!(request = %target, %role, %location, %error, attempts, "access still could not be taken away; retried at the next tick");
                sqlx::query(
                    "UPDATE pending_revocations SET attempts = attempts + 1, last_error = $1, updated_at = $2 \
                     WHERE role = $3 AND location = $4",
                )
                .bind(format!("revoking {role} on {location}: {error}"))
                .bind(now_ms())
                .bind(&role)
                .bind(&location)
                .execute(state.store().writer())
                .await?;
            }
        }
    }
    Ok(revoked)
}

/// Closes the requests of a port being destroyed, in the destroying transaction: granted access ends
/// `revoked` and pending requests `rejected`, since the data is gone (with its grants: the schema or
/// file is dropped). Returns how many.
pub async fn port_closed(tx: &mut Tx, product_id: &str, port: &str) -> Result<usize, ApiError> {
    let rows = sqlx::query(
        "SELECT id, state FROM access_requests WHERE product_id = $1 AND output_port = $2 \
         AND state IN ('requested', 'approved', 'active')",
    )
    .bind(product_id)
    .bind(port)
    .fetch_all(&mut **tx)
    .await?;
    let now = now_ms();
    for row in &rows {
        let (id, state): (String, String) = (row.try_get("id")?, row.try_get("state")?);
        let to = if state == "requested" {
            "rejected"
        } else {
            "revoked"
        };
        sqlx::query(
            "UPDATE access_requests SET state = $1, updated_at = $2, decided_by = 'platform', \
             reason = 'the port was unprovisioned', grant_doc = NULL WHERE id = $3",
        )
        .bind(to)
        .bind(now)
        .bind(&id)
        .execute(&mut **tx)
        .await?;
        catalog::audit_append(
            &mut **tx,
            Audit {
                actor: "platform",
                action: if to == "rejected" {
                    "access-request.reject"
                } else {
                    "access-request.revoke"
                },
                target: &id,
                request_id: "",
                outcome: "succeeded",
                detail: Some("the port was unprovisioned".into()),
            },
        )
        .await?;
        changed(tx, &id).await?;
    }
    Ok(rows.len())
}

/// Expires active grants whose end date passed (by the platform's clock), taking the access away.
/// Returns how many.
pub async fn expire(state: &AppState) -> Result<usize, ApiError> {
    let now = state.clock().now_ms();
    let ids: Vec<String> = sqlx::query(
        "SELECT id FROM access_requests WHERE state IN ('active', 'approved') AND until_at IS NOT NULL AND until_at <= $1",
    )
    .bind(now)
    .fetch_all(state.store().pool())
    .await?
    .iter()
    .filter_map(|r| r.try_get("id").ok())
    .collect();
    let mut expired = 0;
    for id in ids {
        let mut conn = state.store().pool().acquire().await?;
        let Some(request) = read(&mut conn, &id).await? else {
            continue;
        };
        drop(conn);
        let location = location(state, &request).await?;
        let role = role_of(&request.consumer);
        let failed = match location.as_deref() {
            Some(location) => ungrant(state, &role, location).await.err(),
            None => None,
        };
        let mut tx = state.store().write().await?;
        let n = sqlx::query(
            "UPDATE access_requests SET state = 'expired', updated_at = $1, reason = 'the end date passed', grant_doc = NULL \
             WHERE id = $2 AND state = $3",
        )
        .bind(now_ms())
        .bind(&id)
        .bind(request.state.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 1 {
            catalog::audit_append(
                &mut *tx,
                Audit {
                    actor: "platform",
                    action: "access-request.expire",
                    target: &id,
                    request_id: "",
                    outcome: "succeeded",
                    detail: request.until.clone(),
                },
            )
            .await?;
            if let (Some(error), Some(location)) = (&failed, location.as_deref()) {
                let failed = Revocation {
                    request_id: &id,
                    role: &role,
                    location,
                    error,
                };
                revocation_pending(&mut tx, &failed, "platform", "").await?;
            }
            changed(&mut tx, &id).await?;
            expired += 1;
        }
        tx.commit().await?;
    }
    Ok(expired)
}

/// Whether the caller may read a port's rows: an owner of the product's domain, or the holder of an
/// active grant on the port whose end date has not passed (by the platform's clock).
async fn may_read(
    state: &AppState,
    caller: &Caller,
    product_id: &str,
    port: &str,
    domain: &str,
) -> Result<(), ApiError> {
    if caller.has(Role::Owner, domain) {
        return Ok(());
    }
    let granted = sqlx::query(
        "SELECT id FROM access_requests WHERE product_id = $1 AND output_port = $2 AND consumer = $3 AND state = 'active' \
         AND (until_at IS NULL OR until_at > $4)",
    )
    .bind(product_id)
    .bind(port)
    .bind(&caller.user)
    .bind(state.clock().now_ms())
    .fetch_optional(state.store().pool())
    .await?
    .is_some();
    if granted {
        Ok(())
    } else {
        Err(ApiError::forbidden(format!(
            "`{}` holds no active access grant on port `{port}` of product `{product_id}`; ask for it with \
             POST /v1/access-requests",
            caller.user
        )))
    }
}

/// What a reader asks of a port's rows.
#[derive(Debug, Default)]
pub struct RowsAsk<'a> {
    /// The table; may be left out when the port has one.
    pub table: Option<&'a str>,
    /// `(column, value)`: rows whose column equals the value.
    pub filters: Vec<(String, String)>,
    pub cursor: Option<&'a str>,
    pub limit: i64,
}

/// `GET /v1/products/{id}/ports/{port}/rows`: a page of a port table's rows for those who may read.
pub async fn rows(
    state: &AppState,
    caller: &Caller,
    product_id: &str,
    port: &str,
    ask: RowsAsk<'_>,
) -> Result<PortRows, ApiError> {
    let RowsAsk {
        table,
        filters,
        cursor,
        limit,
    } = ask;
    let domain = catalog::product_domain(state.store(), product_id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no product `{product_id}` in the catalog")))?;
    may_read(state, caller, product_id, port, &domain).await?;
    let row = sqlx::query("SELECT location FROM port_resources WHERE product_id = $1 AND port = $2")
        .bind(product_id)
        .bind(port)
        .fetch_optional(state.store().pool())
        .await?
        .ok_or_else(|| {
            ApiError::not_found(format!("product `{product_id}` has no provisioned port `{port}`"))
        })?;
    let location: String = row.try_get("location")?;
    if let SqlTarget::Postgres { .. } = state.adapter().target() {
        return Err(ApiError::conflict(
            "read-in-database",
            "Read this port in PostgreSQL",
            format!(
                "this platform runs on PostgreSQL: connect as role `{}` and read schema `{location}` (for example with psql)",
                role_of(&caller.user)
            ),
        ));
    }
    let product = catalog::product_get(state.store(), product_id)
        .await?
        .unwrap_or(Value::Null);
    let contract_id = product
        .get("outputPorts")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|p| p.get("name").and_then(Value::as_str) == Some(port))
        .and_then(|p| p.get("contractId"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let contract = catalog::contract_get(state.store(), &contract_id)
        .await?
        .unwrap_or(Value::Null);
    let tables = tables_plan(&contract, false).map_err(ApiError::internal)?;
    let names: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
    let chosen = match table {
        Some(name) => tables.iter().find(|t| t.name == name).ok_or_else(|| {
            ApiError::bad_request(
                "invalid-query",
                format!("`table` is `{name}`; the port's tables are: {}", names.join(", ")),
            )
        })?,
        None if tables.len() == 1 => &tables[0],
        None => {
            return Err(ApiError::bad_request(
                "invalid-query",
                format!(
                    "the port has several tables; name one with `table`: {}",
                    names.join(", ")
                ),
            ));
        }
    };
    for (column, _) in &filters {
        if !chosen.columns.iter().any(|c| &c.0 == column) {
            let columns: Vec<&str> = chosen.columns.iter().map(|c| c.0.as_str()).collect();
            return Err(ApiError::bad_request(
                "invalid-query",
                format!(
                    "`{column}` is not a column of table `{}`; filter on one of: {}",
                    chosen.name,
                    columns.join(", ")
                ),
            ));
        }
    }
    let after: i64 = match cursor {
        None => 0,
        Some(c) => cursor_decode(c)?.parse().map_err(|_| {
            ApiError::bad_request("invalid-cursor", "the cursor is not one this endpoint gave")
        })?,
    };
    let (columns, rows) = state
        .adapter()
        .port_rows(
            &location,
            &chosen.name,
            &filters,
            after,
            limit + 1,
            state.config().query_timeout,
        )
        .await
        .map_err(ApiError::internal)?;
    let next_cursor = (rows.len() as i64 > limit)
        .then(|| {
            rows.get(limit as usize - 1)
                .map(|(rowid, _)| cursor_encode(&rowid.to_string()))
        })
        .flatten();
    Ok(PortRows {
        table: chosen.name.clone(),
        columns: if columns.is_empty() {
            chosen.columns.iter().map(|c| c.0.clone()).collect()
        } else {
            columns
        },
        rows: rows
            .into_iter()
            .take(limit as usize)
            .map(|(_, values)| values)
            .collect(),
        next_cursor,
    })
}
