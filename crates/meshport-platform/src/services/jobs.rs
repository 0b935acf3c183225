//! Provisioning as durable jobs.
//!
//! A job is a row with a state (`queued → running → succeeded | failed`, `cancelled` from queued or
//! running, `retry` from failed back to queued) and a step log written before a step starts and after
//! it ends. Runners claim jobs with a lease (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so two platform
//! processes never run one job twice) and renew it while they work. A runner that dies leaves its
//! lease to run out; the next runner to claim the job resumes at its first step that has not
//! succeeded. Steps that only write the platform's database commit with their status in one
//! transaction, so they happen once; adapter steps are idempotent, so running one again changes
//! nothing that is already there.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::http::StatusCode;
use meshport_governance::{Context, document_validate};
use meshport_model::platform::{JobKind, JobState, JobStep, ProvisioningJob, StepStatus};
use meshport_model::{Finding, Severity};
use serde_json::{Value, json};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::adapters::PortSpec;
use crate::error::ApiError;
use crate::services::auth::Caller;
use crate::services::catalog::{self, Audit, IdKind};
use crate::services::idempotency::{self, fingerprint, key_check};
use crate::state::AppState;
use crate::store::{Backend, now_ms, rfc3339};

/// How long idempotency keys are kept (the upkeep loop deletes older ones).
pub use crate::services::idempotency::KEY_RETENTION_MS;

/// What a submit answers: a new or replayed response.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub location: String,
    pub job: Value,
    pub replayed: bool,
}

/// What `key` of `user` already stands for, as a submit's answer (see [`idempotency::lookup`]).
async fn key_lookup(
    conn: &mut sqlx::AnyConnection,
    user: &str,
    key: &str,
    print: &str,
) -> Result<Option<Answer>, ApiError> {
    Ok(idempotency::lookup(conn, user, key, print)
        .await?
        .map(|stored| Answer {
            status: StatusCode::from_u16(stored.status).unwrap_or(StatusCode::ACCEPTED),
            location: stored.location.unwrap_or_default(),
            job: stored.response,
            replayed: true,
        }))
}

/// A new job to insert: its row and steps.
struct NewJob {
    id: String,
    kind: JobKind,
    product_id: String,
    product_name: String,
    domain: String,
    request: Value,
    findings: Vec<Finding>,
    /// The packs generation the request was checked against.
    packs: String,
    steps: Vec<String>,
}

/// `POST /v1/provisioning-requests`: validates, authorizes and queues a provisioning request.
pub async fn submit(
    state: &AppState,
    caller: &Caller,
    key: Option<&str>,
    body: &[u8],
) -> Result<Answer, ApiError> {
    let key = key_check(key, true)?.unwrap_or_default();
    let print = fingerprint(&[b"provision", body]);
    let result = async {
        // The reads a submit makes, on one connection: each statement is a round trip to the
        // connection's thread, and each connection taken from the pool one more on its return.
        let mut conn = state.store().pool().acquire().await?;
        if let Some(answer) = key_lookup(&mut conn, &caller.user, &key, &print).await? {
            return Ok(answer);
        }
        let request: Value = crate::error::json_value(body)?;
        let new = provision_prepare(state, &mut conn, caller, request).await?;
        drop(conn);
        job_insert(
            state,
            caller,
            Some((&key, &print)),
            new,
            "provisioning-request.submit",
        )
        .await
    }
    .await;
    if let Err(error) = &result {
        let outcome = if error.status() == StatusCode::FORBIDDEN {
            "forbidden"
        } else {
            "refused"
        };
        catalog::audit(
            state.store(),
            Audit {
                actor: &caller.user,
                action: "provisioning-request.submit",
                target: "-",
                request_id: &caller.request_id,
                outcome,
                detail: Some(error.problem().detail.clone()),
            },
        )
        .await;
    }
    result
}

async fn provision_prepare(
    state: &AppState,
    conn: &mut sqlx::AnyConnection,
    caller: &Caller,
    request: Value,
) -> Result<NewJob, ApiError> {
    let product = request.get("product").unwrap_or(&Value::Null);
    let text = |p: &str| {
        product
            .pointer(p)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let (product_id, product_name, domain) = (text("/id"), text("/name"), text("/domain").to_lowercase());
    // Who may: an owner of the product's domain, and of the domain it is in now, if it moves.
    if !domain.is_empty() {
        caller.require_owner(&domain, "provision its products")?;
    }
    let held = ids_held(conn, &product_id, &contract_ids(&request)).await?;
    for current in &held.product_domains {
        if *current != domain {
            caller.require_owner(current, "move its products to another domain")?;
        }
    }
    // A contract id another product registered first is refused.
    if let Some((id, owner)) = held.contracts.iter().find(|(_, o)| o.product_id != product_id) {
        return Err(id_taken(IdKind::Contract, id, owner));
    }
    let (packs, policies) = state.policies_on(conn).await?;
    let validated = {
        document_validate(
            &request,
            &policies,
            &Context {
                contract_ids: None,
                complete: true,
            },
        )
    };
    if validated.kind != Some(meshport_governance::DocumentKind::ProvisioningRequest) && validated.valid() {
        return Err(ApiError::validation(vec![Finding::error(
            "document-kind",
            "/kind",
            "the body is not a provisioning request",
            "Send a document with `apiVersion: meshport/v1` and `kind: ProvisioningRequest`.",
        )]));
    }
    if !validated.valid() {
        return Err(ApiError::validation(validated.findings));
    }
    if domain.is_empty() {
        return Err(ApiError::validation(vec![Finding::error(
            "platform/domain-required",
            "/product/domain",
            "the product has no domain, so no one may own it on the platform",
            "Set `product.domain` to the domain that owns the product.",
        )]));
    }
    let mut steps = vec!["validate".to_owned(), "plan".to_owned()];
    for port in product
        .get("outputPorts")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = port.get("name").and_then(Value::as_str).unwrap_or_default();
        steps.push(format!("port:{name}"));
    }
    steps.push("register".into());
    steps.push("publish".into());
    Ok(NewJob {
        id: format!("pr_{}", uuid::Uuid::now_v7().simple()),
        kind: JobKind::Provision,
        product_id,
        product_name,
        domain,
        request,
        findings: validated.findings,
        packs,
        steps,
    })
}

/// The contract ids a provisioning request registers: its bundled contracts' and its output ports'.
/// (Input ports only reference contracts, which any domain may.)
fn contract_ids(request: &Value) -> Vec<&str> {
    let bundled = request
        .get("contracts")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| c.get("id").and_then(Value::as_str));
    let ports = request
        .pointer("/product/outputPorts")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| p.get("contractId").and_then(Value::as_str));
    let mut ids: Vec<&str> = bundled.chain(ports).filter(|id| !id.is_empty()).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// The problem for an id another product registered first: 409 `id-taken`, naming its domain.
fn id_taken(kind: IdKind, id: &str, owner: &catalog::IdOwner) -> ApiError {
    let what = match kind {
        IdKind::Product => "product",
        IdKind::Contract => "contract",
    };
    ApiError::conflict(
        "id-taken",
        "The id belongs to another product",
        format!(
            "{what} id `{id}` belongs to product `{}` of domain `{}`, which registered it first; give yours an \
             id of its own (a new UUID); to read that contract, reference it from an input port",
            owner.product_id, owner.domain
        ),
    )
}

/// Who holds a product's id and the contract ids it registers, as a submit checks them.
#[derive(Debug, Default)]
struct IdsHeld {
    /// The domains the product is registered (first) and published in, when it is.
    product_domains: Vec<String>,
    /// The contract ids that some product registered, with that product, in id order.
    contracts: Vec<(String, catalog::IdOwner)>,
}

/// [`IdsHeld`] of `product_id` and `contract_ids`, in one statement.
async fn ids_held(
    conn: &mut sqlx::AnyConnection,
    product_id: &str,
    contract_ids: &[&str],
) -> Result<IdsHeld, sqlx::Error> {
    if product_id.is_empty() && contract_ids.is_empty() {
        return Ok(IdsHeld::default());
    }
    // $1 is the product id; the contract ids follow.
    let contracts: Vec<String> = (0..contract_ids.len()).map(|n| format!("${}", n + 2)).collect();
    let contracts = if contracts.is_empty() {
        String::new()
    } else {
        format!(" OR (kind = 'contract' AND id IN ({}))", contracts.join(", "))
    };
    let sql = format!(
        "SELECT kind, id, product_id, domain FROM id_owners WHERE (kind = 'product' AND id = $1 AND $1 <> ''){contracts} \
         UNION ALL SELECT 'published' AS kind, id, id AS product_id, domain FROM products WHERE id = $1 AND $1 <> ''"
    );
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(product_id);
    for id in contract_ids {
        query = query.bind(*id);
    }
    let mut held = IdsHeld::default();
    for row in query.fetch_all(&mut *conn).await? {
        let kind: String = row.try_get("kind")?;
        let owner = catalog::IdOwner {
            product_id: row.try_get("product_id")?,
            domain: row.try_get("domain")?,
        };
        if kind == "contract" {
            held.contracts.push((row.try_get("id")?, owner));
        } else {
            held.product_domains.push(owner.domain);
        }
    }
    held.contracts.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(held)
}

/// Refuses a second job for a product while one is queued or running: its steps would race.
async fn job_busy(conn: &mut sqlx::AnyConnection, product_id: &str) -> Result<(), ApiError> {
    let busy =
        sqlx::query("SELECT id FROM jobs WHERE product_id = $1 AND state IN ('queued', 'running') LIMIT 1")
            .bind(product_id)
            .fetch_optional(&mut *conn)
            .await?;
    if let Some(row) = busy {
        let id: String = row.try_get("id")?;
        return Err(ApiError::conflict(
            "job-in-progress",
            "The product has a job in progress",
            format!("request {id} is still queued or running for this product; wait for it or cancel it"),
        ));
    }
    Ok(())
}

/// Queues `new`, storing `key` (with its request's fingerprint) in the same transaction: a key
/// stands for the job it made or for nothing. When another request with the key got in first (on
/// SQLite it committed while this one waited for the writer; on PostgreSQL this insert waits for its
/// transaction to end), this one is rolled back and answers what the key stands for.
async fn job_insert(
    state: &AppState,
    caller: &Caller,
    key: Option<(&str, &str)>,
    new: NewJob,
    action: &str,
) -> Result<Answer, ApiError> {
    let now = now_ms();
    // Everything the transaction writes is made before it begins: the writer is held for statements
    // only.
    let at = rfc3339(now);
    let job = ProvisioningJob {
        id: new.id.clone(),
        kind: new.kind,
        product_id: new.product_id.clone(),
        product_name: new.product_name.clone(),
        domain: new.domain.clone(),
        state: JobState::Queued,
        submitted_by: caller.user.clone(),
        created_at: at.clone(),
        updated_at: at,
        started_at: None,
        finished_at: None,
        attempt: 1,
        cancel_requested: false,
        steps: new
            .steps
            .iter()
            .map(|name| JobStep {
                name: name.clone(),
                status: StepStatus::Pending,
                started_at: None,
                finished_at: None,
                messages: Vec::new(),
            })
            .collect(),
        findings: new.findings,
        error: None,
    };
    let body = serde_json::to_value(&job).map_err(ApiError::internal)?;
    let findings = serde_json::to_string(&job.findings).map_err(ApiError::internal)?;
    let request = new.request.to_string();
    let location = format!("/v1/provisioning-requests/{}", new.id);
    // The steps in one statement: the writer is held for as few round trips as possible.
    let rows: Vec<String> = (0..new.steps.len())
        .map(|n| format!("($1, {n}, ${}, 'pending', '[]')", n + 2))
        .collect();
    let steps_sql = format!(
        "INSERT INTO job_steps (job_id, position, name, status, messages) VALUES {}",
        rows.join(", ")
    );

    let mut tx = state.store().write().await?;
    if let Some((key, print)) = key {
        let stored = idempotency::Stored {
            status: 202,
            location: Some(location.clone()),
            response: body.clone(),
        };
        if !idempotency::store(&mut tx, &caller.user, key, print, &stored).await? {
            tx.rollback().await?;
            let mut conn = state.store().pool().acquire().await?;
            return key_lookup(&mut conn, &caller.user, key, print)
                .await?
                .ok_or_else(idempotency::in_flight);
        }
    }
    job_busy(&mut tx, &new.product_id).await?;
    sqlx::query(
        "INSERT INTO jobs (id, kind, product_id, product_name, domain, state, submitted_by, request, findings, \
         packs, attempt, cancel_requested, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 'queued', $6, $7, $8, $10, 1, 0, $9, $9)",
    )
    .bind(&new.id)
    .bind(kind_str(new.kind))
    .bind(&new.product_id)
    .bind(&new.product_name)
    .bind(&new.domain)
    .bind(&caller.user)
    .bind(request)
    .bind(findings)
    .bind(now)
    .bind(&new.packs)
    .execute(&mut *tx)
    .await?;
    let mut insert = sqlx::query(sqlx::AssertSqlSafe(steps_sql)).bind(&new.id);
    for name in &new.steps {
        insert = insert.bind(name);
    }
    insert.execute(&mut *tx).await?;
    catalog::audit_append(
        &mut *tx,
        Audit {
            actor: &caller.user,
            action,
            target: &new.id,
            request_id: &caller.request_id,
            outcome: "accepted",
            detail: Some(format!("product {} ({})", new.product_id, new.domain)),
        },
    )
    .await?;
    tx.commit().await?;
    state.wake();
    Ok(Answer {
        status: StatusCode::ACCEPTED,
        location,
        job: body,
        replayed: false,
    })
}

/// `POST /v1/products/{id}/unprovision`.
pub async fn unprovision(
    state: &AppState,
    caller: &Caller,
    product_id: &str,
    key: Option<&str>,
) -> Result<Answer, ApiError> {
    let key = key_check(key, false)?;
    let print = fingerprint(&[b"unprovision", product_id.as_bytes()]);
    let result = async {
        if let Some(key) = &key {
            let mut conn = state.store().pool().acquire().await?;
            if let Some(answer) = key_lookup(&mut conn, &caller.user, key, &print).await? {
                return Ok(answer);
            }
        }
        let product = catalog::product_get(state.store(), product_id)
            .await?
            .ok_or_else(|| ApiError::not_found(format!("no product `{product_id}` in the catalog")))?;
        let domain = product
            .get("domain")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_lowercase();
        caller.require_owner(&domain, "unprovision its products")?;
        let ports: Vec<String> =
            sqlx::query("SELECT port FROM port_resources WHERE product_id = $1 ORDER BY port")
                .bind(product_id)
                .fetch_all(state.store().pool())
                .await?
                .iter()
                .filter_map(|r| r.try_get("port").ok())
                .collect();
        let mut steps: Vec<String> = ports.iter().map(|p| format!("destroy:{p}")).collect();
        steps.push("deregister".into());
        let new = NewJob {
            id: format!("pr_{}", uuid::Uuid::now_v7().simple()),
            kind: JobKind::Unprovision,
            product_id: product_id.to_owned(),
            product_name: product
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            domain,
            request: json!({"productId": product_id}),
            findings: Vec::new(),
            packs: String::new(),
            steps,
        };
        let key = key.as_deref().map(|key| (key, print.as_str()));
        job_insert(state, caller, key, new, "product.unprovision").await
    }
    .await;
    if let Err(error) = &result {
        catalog::audit(
            state.store(),
            Audit {
                actor: &caller.user,
                action: "product.unprovision",
                target: product_id,
                request_id: &caller.request_id,
                outcome: if error.status() == StatusCode::FORBIDDEN {
                    "forbidden"
                } else {
                    "refused"
                },
                detail: Some(error.problem().detail.clone()),
            },
        )
        .await;
    }
    result
}

fn kind_str(kind: JobKind) -> &'static str {
    match kind {
        JobKind::Provision => "provision",
        JobKind::Unprovision => "unprovision",
    }
}

fn step_status(text: &str) -> StepStatus {
    match text {
        "running" => StepStatus::Running,
        "succeeded" => StepStatus::Succeeded,
        "failed" => StepStatus::Failed,
        "skipped" => StepStatus::Skipped,
        _ => StepStatus::Pending,
    }
}

/// Reads a job with its steps.
pub async fn job_read(
    executor: &mut sqlx::AnyConnection,
    id: &str,
) -> Result<Option<ProvisioningJob>, ApiError> {
    let Some(row) = sqlx::query("SELECT * FROM jobs WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *executor)
        .await?
    else {
        return Ok(None);
    };
    let steps = sqlx::query("SELECT name, status, started_at, finished_at, messages FROM job_steps WHERE job_id = $1 ORDER BY position")
        .bind(id)
        .fetch_all(&mut *executor)
        .await?;
    Ok(Some(job_from(&row, &steps)?))
}

fn job_from(row: &AnyRow, steps: &[AnyRow]) -> Result<ProvisioningJob, ApiError> {
    let time = |name: &str| -> Result<Option<String>, sqlx::Error> {
        Ok(row.try_get::<Option<i64>, _>(name)?.map(rfc3339))
    };
    let kind: String = row.try_get("kind")?;
    let state: String = row.try_get("state")?;
    let findings: String = row.try_get("findings")?;
    let mut log = Vec::with_capacity(steps.len());
    for step in steps {
        let status: String = step.try_get("status")?;
        let messages: String = step.try_get("messages")?;
        log.push(JobStep {
            name: step.try_get("name")?,
            status: step_status(&status),
            started_at: step.try_get::<Option<i64>, _>("started_at")?.map(rfc3339),
            finished_at: step.try_get::<Option<i64>, _>("finished_at")?.map(rfc3339),
            messages: serde_json::from_str(&messages).unwrap_or_default(),
        });
    }
    Ok(ProvisioningJob {
        id: row.try_get("id")?,
        kind: if kind == "unprovision" {
            JobKind::Unprovision
        } else {
            JobKind::Provision
        },
        product_id: row.try_get("product_id")?,
        product_name: row.try_get("product_name")?,
        domain: row.try_get("domain")?,
        state: JobState::parse(&state).unwrap_or(JobState::Failed),
        submitted_by: row.try_get("submitted_by")?,
        created_at: rfc3339(row.try_get("created_at")?),
        updated_at: rfc3339(row.try_get("updated_at")?),
        started_at: time("started_at")?,
        finished_at: time("finished_at")?,
        attempt: row.try_get::<i64, _>("attempt")? as u32,
        cancel_requested: row.try_get::<i64, _>("cancel_requested")? != 0,
        steps: log,
        findings: serde_json::from_str(&findings).unwrap_or_default(),
        error: row.try_get("error")?,
    })
}

/// `GET /v1/provisioning-requests/{id}`: anyone who may read the catalog may follow a request.
pub async fn job_get(state: &AppState, id: &str) -> Result<ProvisioningJob, ApiError> {
    let mut conn = state.store().pool().acquire().await?;
    job_read(&mut conn, id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no provisioning request `{id}`")))
}

/// `POST /v1/provisioning-requests/{id}/cancel`.
pub async fn job_cancel(state: &AppState, caller: &Caller, id: &str) -> Result<ProvisioningJob, ApiError> {
    let job = job_get(state, id).await?;
    caller.require_owner(&job.domain, "cancel its provisioning requests")?;
    let now = now_ms();
    let mut tx = state.store().write().await?;
    let changed = match job.state {
        JobState::Queued => {
            let n = sqlx::query(
                "UPDATE jobs SET state = 'cancelled', cancel_requested = 1, finished_at = $1, updated_at = $1 \
                 WHERE id = $2 AND state = 'queued'",
            )
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 1 {
                sqlx::query(
                    "UPDATE job_steps SET status = 'skipped' WHERE job_id = $1 AND status = 'pending'",
                )
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
            n
        }
        JobState::Running => sqlx::query(
            "UPDATE jobs SET cancel_requested = 1, updated_at = $1 WHERE id = $2 AND state = 'running'",
        )
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected(),
        other => {
            return Err(ApiError::invalid_state(
                other.as_str(),
                format!("request {id} is {other}; only a queued or running request can be cancelled"),
            ));
        }
    };
    if changed == 0 {
        tx.rollback().await?;
        let now = job_get(state, id).await?;
        return Err(ApiError::invalid_state(
            now.state.as_str(),
            "the request changed state meanwhile; look again",
        ));
    }
    catalog::audit_append(
        &mut *tx,
        Audit {
            actor: &caller.user,
            action: "provisioning-request.cancel",
            target: id,
            request_id: &caller.request_id,
            outcome: "accepted",
            detail: None,
        },
    )
    .await?;
    tx.commit().await?;
    job_get(state, id).await
}

/// `POST /v1/provisioning-requests/{id}/retry`: a failed request runs again from its failed step.
pub async fn job_retry(state: &AppState, caller: &Caller, id: &str) -> Result<ProvisioningJob, ApiError> {
    let job = job_get(state, id).await?;
    caller.require_owner(&job.domain, "retry its provisioning requests")?;
    if job.state != JobState::Failed {
        return Err(ApiError::invalid_state(
            job.state.as_str(),
            format!(
                "request {id} is {}; only a failed request can be retried",
                job.state
            ),
        ));
    }
    let now = now_ms();
    let mut tx = state.store().write().await?;
    job_busy(&mut tx, &job.product_id).await?;
    let n = sqlx::query(
        "UPDATE jobs SET state = 'queued', attempt = attempt + 1, error = NULL, finished_at = NULL, cancel_requested = 0, \
         lease_owner = NULL, lease_until = NULL, updated_at = $1 WHERE id = $2 AND state = 'failed'",
    )
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n == 0 {
        tx.rollback().await?;
        return Err(ApiError::invalid_state(
            "changed",
            "the request changed state meanwhile; look again",
        ));
    }
    // The failed step and those skipped after it run again; what succeeded stays done.
    sqlx::query(
        "UPDATE job_steps SET status = 'pending', finished_at = NULL WHERE job_id = $1 AND (status = 'failed' OR \
         (status = 'skipped' AND messages = '[]'))",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?;
    catalog::audit_append(
        &mut *tx,
        Audit {
            actor: &caller.user,
            action: "provisioning-request.retry",
            target: id,
            request_id: &caller.request_id,
            outcome: "accepted",
            detail: None,
        },
    )
    .await?;
    tx.commit().await?;
    state.wake();
    job_get(state, id).await
}

/// Takes the next job: the oldest running under a lease that ran out (its runner died), else the
/// oldest queued. Each is one walk of `jobs_by_state` from its start; an `OR` of the two would read
/// and sort every queued job at each claim.
pub async fn job_claim(state: &AppState) -> Result<Option<String>, sqlx::Error> {
    let now = now_ms();
    let lease_until = now + state.config().lease.as_millis() as i64;
    let lock = match state.store().backend() {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let sql = format!(
        "UPDATE jobs SET state = 'running', lease_owner = $1, lease_until = $2, started_at = COALESCE(started_at, $3), \
         updated_at = $3 WHERE id = COALESCE(\
         (SELECT id FROM jobs WHERE state = 'running' AND lease_until < $3 ORDER BY created_at LIMIT 1{lock}), \
         (SELECT id FROM jobs WHERE state = 'queued' ORDER BY created_at LIMIT 1{lock})) RETURNING id"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(state.instance())
        .bind(lease_until)
        .bind(now)
        .fetch_optional(state.store().writer())
        .await?;
    row.map(|r| r.try_get("id")).transpose()
}

/// Runs jobs until `stop` turns true: `workers` loops, each claiming and running one job at a time.
pub fn runner_spawn(
    state: AppState,
    workers: usize,
    stop: tokio::sync::watch::Receiver<bool>,
) -> Vec<tokio::task::JoinHandle<()>> {
    (0..workers.max(1))
        .map(|_| {
            let state = state.clone();
            let mut stop = stop.clone();
            tokio::spawn(async move {
                loop {
                    if *stop.borrow() {
                        return;
                    }
                    match job_claim(&state).await {
                        Ok(Some(id)) => {
                            let run = {
                                let (state, id) = (state.clone(), id.clone());
                                async move { job_run(&state, &id).await }
                            };
                            run_claimed(&state, &id, run).await;
                            continue;
                        }
                        Ok(None) => {}
                        Err(error) => tracing::warn!(%error, "claiming a job failed"),
                    }
                    tokio::select! {
                        _ = state.woken() => {}
                        _ = tokio::time::sleep(Duration::from_millis(500)) => {}
                        _ = stop.changed() => {}
                    }
                }
            })
        })
        .collect()
}

/// Runs `run`, the run of the claimed job `id`, in a task of its own, so that a step that panics
/// ends that task (and the run's lease heartbeat, see `AbortOnDrop`), not the runner.
///
/// A run that fails (the store unreachable, the lease lost) leaves its job `running`: the lease runs
/// out and a runner resumes it at its first unfinished step. A run that panics met a bug of the
/// platform, which resuming would only meet again at every lease: its job fails at the step it was
/// on, with a message that says so and the job's id in the platform's log beside the panic's
/// (not in the job: a panic's message may hold any value), and can be retried once fixed.
pub async fn run_claimed<F>(state: &AppState, id: &str, run: F)
where
    F: std::future::Future<Output = Result<(), ApiError>> + Send + 'static,
{
    match tokio::spawn(run).await {
        Ok(Ok(())) => {}
        Ok(Err(error)) => {
            tracing::error!(job = %id, %error, "job run interrupted; its lease will run out and it resumes");
        }
        Err(error) if error.is_panic() => {
            let payload = error.into_panic();
            let message = payload
                .downcast_ref::<&str>()
                .map(|m| (*m).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            tracing::error!(job = %id, panic = %message, "job run panicked: the job fails");
            if let Err(error) = job_fail_panicked(state, id).await {
                tracing::error!(job = %id, %error, "a job whose run panicked could not be failed; its lease will run out and it resumes");
            }
        }
        Err(error) => {
            tracing::error!(job = %id, %error, "job run cancelled; its lease will run out and it resumes");
        }
    }
}

/// Fails the job `id`, which this instance holds, at its first unfinished step, after its run
/// panicked. Nothing changes when another instance holds the job by now.
async fn job_fail_panicked(state: &AppState, id: &str) -> Result<(), ApiError> {
    let store = state.store();
    let Some(job) =
        sqlx::query("SELECT submitted_by FROM jobs WHERE id = $1 AND state = 'running' AND lease_owner = $2")
            .bind(id)
            .bind(state.instance())
            .fetch_optional(store.pool())
            .await?
    else {
        return Ok(());
    };
    let submitted_by: String = job.try_get("submitted_by")?;
    let step = sqlx::query(
        "SELECT position, name, started_at FROM job_steps WHERE job_id = $1 \
         AND status NOT IN ('succeeded', 'skipped') ORDER BY position LIMIT 1",
    )
    .bind(id)
    .fetch_optional(store.pool())
    .await?;
    let message = format!(
        "the platform failed unexpectedly (a bug, in its log with the job's id {id}); \
         retry the job once the platform is fixed"
    );
    let error = match step {
        Some(step) => {
            let position: i64 = step.try_get("position")?;
            let name: String = step.try_get("name")?;
            let started = step
                .try_get::<Option<i64>, _>("started_at")?
                .unwrap_or_else(now_ms);
            step_end(state, id, position, started, &Outcome::failed(&message)).await?;
            format!("step `{name}` failed: {message}")
        }
        None => message,
    };
    job_finish(state, id, JobState::Failed, Some(error), &submitted_by).await
}

/// What a step did.
struct Outcome {
    status: StepStatus,
    messages: Vec<String>,
}

impl Outcome {
    fn done(messages: Vec<String>) -> Outcome {
        Outcome {
            status: StepStatus::Succeeded,
            messages,
        }
    }

    fn failed(message: &str) -> Outcome {
        Outcome {
            status: StepStatus::Failed,
            messages: vec![message.to_owned()],
        }
    }
}

/// Runs a claimed job's remaining steps.
async fn job_run(state: &AppState, id: &str) -> Result<(), ApiError> {
    let lost = Arc::new(AtomicBool::new(false));
    let _heartbeat = AbortOnDrop({
        let state = state.clone();
        let id = id.to_owned();
        let lost = lost.clone();
        tokio::spawn(async move {
            let every = state.config().lease / 3;
            loop {
                tokio::time::sleep(every).await;
                let until = now_ms() + state.config().lease.as_millis() as i64;
                let renewed = sqlx::query("UPDATE jobs SET lease_until = $1 WHERE id = $2 AND lease_owner = $3 AND state = 'running'")
                    .bind(until)
                    .bind(&id)
                    .bind(state.instance())
                    .execute(state.store().writer())
                    .await;
                if matches!(renewed, Ok(r) if r.rows_affected() == 0) {
                    lost.store(true, Ordering::SeqCst);
                    return;
                }
            }
        })
    });
    job_steps_run(state, id, &lost).await
}

/// A task that stops when its handle is dropped, however its owner ends: returning, failing or
/// panicking. A run's lease heartbeat must not outlive the run: renewing the lease of a run that
/// panicked would keep its job `running` and never resumed.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

async fn job_steps_run(state: &AppState, id: &str, lost: &AtomicBool) -> Result<(), ApiError> {
    let store = state.store();
    let row = sqlx::query("SELECT kind, request, product_id, submitted_by FROM jobs WHERE id = $1")
        .bind(id)
        .fetch_one(store.pool())
        .await?;
    let kind: String = row.try_get("kind")?;
    let request: Value =
        serde_json::from_str(&row.try_get::<String, _>("request")?).map_err(ApiError::internal)?;
    let product_id: String = row.try_get("product_id")?;
    let submitted_by: String = row.try_get("submitted_by")?;
    let steps =
        sqlx::query("SELECT position, name, status FROM job_steps WHERE job_id = $1 ORDER BY position")
            .bind(id)
            .fetch_all(store.pool())
            .await?;
    for step in &steps {
        let position: i64 = step.try_get("position")?;
        let name: String = step.try_get("name")?;
        let status: String = step.try_get("status")?;
        if status == "succeeded" || status == "skipped" {
            continue;
        }
        if lost.load(Ordering::SeqCst) {
            return Err(ApiError::internal("lease lost"));
        }
        let cancel: i64 = sqlx::query("SELECT cancel_requested FROM jobs WHERE id = $1")
            .bind(id)
            .fetch_one(store.pool())
            .await?
            .try_get("cancel_requested")?;
        if cancel != 0 {
            return job_finish(state, id, JobState::Cancelled, None, &submitted_by).await;
        }
        let started = now_ms();
        // Steps that act outside the store (adapters) show `running` while they work. The others
        // are quick and record their start with their end, in one write: the store has one writer
        // on SQLite, and every write a job saves is one more request the platform can accept.
        if name.starts_with("port:") || name.starts_with("destroy:") {
            sqlx::query(
                "UPDATE job_steps SET status = 'running', started_at = COALESCE(started_at, $1) \
                 WHERE job_id = $2 AND position = $3",
            )
            .bind(started)
            .bind(id)
            .bind(position)
            .execute(store.writer())
            .await?;
        }
        if !state.config().step_delay.is_zero() {
            tokio::time::sleep(state.config().step_delay).await;
        }
        let outcome = match kind.as_str() {
            "unprovision" => unprovision_step(state, id, position, started, &name, &product_id).await,
            _ => provision_step(state, id, position, started, &name, &request).await,
        };
        match outcome {
            Ok(Some(outcome)) => step_end(state, id, position, started, &outcome).await?,
            Ok(None) => {} // the step recorded its end in its own transaction
            Err(message) => {
                step_end(state, id, position, started, &Outcome::failed(&message)).await?;
                return job_finish(
                    state,
                    id,
                    JobState::Failed,
                    Some(format!("step `{name}` failed: {message}")),
                    &submitted_by,
                )
                .await;
            }
        }
    }
    job_finish(state, id, JobState::Succeeded, None, &submitted_by).await
}

async fn step_end(
    state: &AppState,
    id: &str,
    position: i64,
    started: i64,
    outcome: &Outcome,
) -> Result<(), ApiError> {
    let mut tx = state.store().write().await?;
    step_end_in(&mut tx, id, position, started, outcome).await?;
    tx.commit().await?;
    Ok(())
}

async fn step_end_in(
    tx: &mut catalog::Tx,
    id: &str,
    position: i64,
    started: i64,
    outcome: &Outcome,
) -> Result<(), sqlx::Error> {
    let now = now_ms();
    sqlx::query(
        "UPDATE job_steps SET status = $1, finished_at = $2, messages = $3, started_at = COALESCE(started_at, $6) \
         WHERE job_id = $4 AND position = $5",
    )
    .bind(outcome.status.as_str())
    .bind(now)
        .bind(serde_json::to_string(&outcome.messages).unwrap_or_default())
        .bind(id)
        .bind(position)
        .bind(started)
        .execute(&mut **tx)
        .await?;
    sqlx::query("UPDATE jobs SET updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn job_finish(
    state: &AppState,
    id: &str,
    end: JobState,
    error: Option<String>,
    submitted_by: &str,
) -> Result<(), ApiError> {
    let now = now_ms();
    let mut tx = state.store().write().await?;
    sqlx::query(
        "UPDATE jobs SET state = $1, error = $2, finished_at = $3, updated_at = $3, lease_owner = NULL, lease_until = NULL \
         WHERE id = $4 AND state = 'running'",
    )
    .bind(end.as_str())
    .bind(&error)
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE job_steps SET status = 'skipped' WHERE job_id = $1 AND status IN ('pending', 'running')",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?;
    catalog::audit_append(
        &mut *tx,
        Audit {
            actor: "platform",
            action: "provisioning-request.run",
            target: id,
            request_id: id,
            outcome: end.as_str(),
            detail: error.or_else(|| Some(format!("submitted by {submitted_by}"))),
        },
    )
    .await?;
    tx.commit().await?;
    tracing::info!(job = %id, state = %end, "job finished");
    Ok(())
}

fn output_ports(request: &Value) -> Vec<Value> {
    request
        .pointer("/product/outputPorts")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

fn contract_of<'a>(request: &'a Value, port: &Value) -> Option<&'a Value> {
    let id = port.get("contractId").and_then(Value::as_str)?;
    request
        .get("contracts")
        .and_then(Value::as_array)?
        .iter()
        .find(|c| c.get("id").and_then(Value::as_str) == Some(id))
}

fn port_type(port: &Value) -> &str {
    port.get("type").and_then(Value::as_str).unwrap_or("unspecified")
}

/// What a provisioning step reads of its job's request.
struct StepContext<'a> {
    state: &'a AppState,
    /// The job's id.
    id: &'a str,
    position: i64,
    started: i64,
    request: &'a Value,
    product: Value,
    product_id: String,
    product_name: String,
}

/// Runs one step of a provisioning job. `Ok(None)`: the step committed its own end.
async fn provision_step(
    state: &AppState,
    id: &str,
    position: i64,
    started: i64,
    name: &str,
    request: &Value,
) -> Result<Option<Outcome>, String> {
    let product = request.get("product").cloned().unwrap_or(Value::Null);
    let text = |key: &str| {
        product
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let step = StepContext {
        state,
        id,
        position,
        started,
        request,
        product_id: text("id"),
        product_name: text("name"),
        product: product.clone(),
    };
    match name {
        "validate" => step_validate(&step).await,
        "plan" => step_plan(&step),
        "register" => step_register(&step).await,
        "publish" => step_publish(&step).await,
        _ => match name.strip_prefix("port:") {
            Some(port) => step_port(&step, port).await,
            None => Err(format!("unknown step `{name}`")),
        },
    }
}

/// `validate`: the request must still pass the current packs, which may have changed since the
/// submit. When none was published since, the submit's verdict stands and is not computed again.
async fn step_validate(step: &StepContext<'_>) -> Result<Option<Outcome>, String> {
    let (state, id, request) = (step.state, step.id, step.request);
    // Packs may have changed since the submit: the request must still pass the current ones.
    // When none was published since, the submit's verdict stands and is not computed again.
    let (packs, policies) = state.policies().await.map_err(|e| e.to_string())?;
    let row = sqlx::query("SELECT packs, findings FROM jobs WHERE id = $1")
        .bind(id)
        .fetch_one(state.store().pool())
        .await
        .map_err(|e| e.to_string())?;
    let checked: String = row.try_get("packs").map_err(|e| e.to_string())?;
    if checked == packs {
        let findings: Vec<Finding> =
            serde_json::from_str(&row.try_get::<String, _>("findings").map_err(|e| e.to_string())?)
                .unwrap_or_default();
        let mut messages = vec![
            "checked at submit against the standard and the platform's policy packs, none published since"
                .to_owned(),
        ];
        messages.extend(
            findings
                .iter()
                .filter(|f| f.severity >= Severity::Warning)
                .map(finding_line),
        );
        return Ok(Some(Outcome::done(messages)));
    }
    let validated = {
        document_validate(
            request,
            &policies,
            &Context {
                contract_ids: None,
                complete: true,
            },
        )
    };
    let mut messages: Vec<String> = validated
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
        .map(finding_line)
        .collect();
    if !validated.valid() {
        return Err(format!(
            "the request no longer passes the platform's checks: {}",
            messages.join("; ")
        ));
    }
    messages.insert(
        0,
        format!(
            "checked against the standard and {} policy pack(s): {}",
            validated.packs.len(),
            validated.packs.join(", ")
        ),
    );
    Ok(Some(Outcome::done(messages)))
}

/// `plan`: what each output port's adapter will build, and what has no adapter.
fn step_plan(step: &StepContext<'_>) -> Result<Option<Outcome>, String> {
    let request = step.request;
    let mut messages = Vec::new();
    for port in output_ports(request) {
        let port_name = port.get("name").and_then(Value::as_str).unwrap_or_default();
        let kind = port_type(&port);
        if let Some(adapter) = step.state.adapters().for_port_type(kind) {
            let contract = contract_of(request, &port)
                .ok_or_else(|| format!("port `{port_name}` has no contract in the request"))?;
            let plan = adapter
                .plan(&PortSpec {
                    product_id: &step.product_id,
                    product_name: &step.product_name,
                    port: port_name,
                    contract,
                })
                .map_err(|e| format!("port `{port_name}`: {e}"))?;
            messages.push(format!(
                "port {port_name} ({kind}): {} will build {}",
                adapter.name(),
                plan.describe()
            ));
        } else {
            messages.push(format!(
                "port {port_name} ({kind}): planned: no adapter installed for this port type"
            ));
        }
    }
    if let Some(Value::Object(sections)) = request.get("infrastructure") {
        for (section, spec) in sections {
            let what = ["type", "engine", "tool", "framework", "catalog", "accessControl"]
                .iter()
                .find_map(|k| spec.get(*k).and_then(Value::as_str))
                .unwrap_or("as specified");
            messages.push(format!(
                "infrastructure {section} ({what}): planned: no adapter installed"
            ));
        }
    }
    Ok(Some(Outcome::done(messages)))
}

/// `register`: the request's contracts, with the servers entries of the ports built, become a
/// version of the product; its ids are claimed for its domain in the same transaction.
async fn step_register(step: &StepContext<'_>) -> Result<Option<Outcome>, String> {
    let (state, id, position, started, request) =
        (step.state, step.id, step.position, step.started, step.request);
    let (product, product_id, product_name) = (
        &step.product,
        step.product_id.as_str(),
        step.product_name.as_str(),
    );
    let mut contracts: Vec<Value> = request
        .get("contracts")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let resources = sqlx::query("SELECT port, server FROM port_resources WHERE product_id = $1")
        .bind(product_id)
        .fetch_all(state.store().pool())
        .await
        .map_err(|e| e.to_string())?;
    let mut messages = Vec::new();
    for port in output_ports(request) {
        let port_name = port.get("name").and_then(Value::as_str).unwrap_or_default();
        let Some(contract_id) = port.get("contractId").and_then(Value::as_str) else {
            continue;
        };
        let Some(resource) = resources
            .iter()
            .find(|r| r.try_get::<String, _>("port").ok().as_deref() == Some(port_name))
        else {
            continue;
        };
        let server: Value = serde_json::from_str(
            &resource
                .try_get::<String, _>("server")
                .map_err(|e| e.to_string())?,
        )
        .map_err(|e| e.to_string())?;
        if let Some(contract) = contracts
            .iter_mut()
            .find(|c| c.get("id").and_then(Value::as_str) == Some(contract_id))
        {
            server_set(contract, server);
            messages.push(format!(
                "contract {contract_id}: servers entry for port {port_name}"
            ));
        }
    }
    let version = product.get("version").and_then(Value::as_str).unwrap_or_default();
    messages.push(format!(
        "registered {product_name} {version} with {} contract(s)",
        contracts.len()
    ));
    let mut tx = state.store().write().await.map_err(|e| e.to_string())?;
    // The submit checked the ids; claiming them here, with the version, settles a race
    // between two domains' requests.
    let domain = product
        .get("domain")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_lowercase();
    if let Err((kind, taken, owner)) =
        catalog::ids_claim(&mut tx, product_id, &domain, &contract_ids(request))
            .await
            .map_err(|e| e.to_string())?
    {
        return Err(id_taken(kind, &taken, &owner).problem().detail.clone());
    }
    catalog::version_register(&mut tx, product, &contracts, Some(id))
        .await
        .map_err(|e| e.to_string())?;
    step_end_in(&mut tx, id, position, started, &Outcome::done(messages))
        .await
        .map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())?;
    Ok(None)
}

/// `publish`: the registered version goes to the catalog and its change feed.
async fn step_publish(step: &StepContext<'_>) -> Result<Option<Outcome>, String> {
    let (state, id, position, started) = (step.state, step.id, step.position, step.started);
    let (product, product_id, product_name) = (
        &step.product,
        step.product_id.as_str(),
        step.product_name.as_str(),
    );
    let version = product.get("version").and_then(Value::as_str).unwrap_or_default();
    let mut tx = state.store().write().await.map_err(|e| e.to_string())?;
    let (document, contracts) = catalog::version_get(&mut tx, product_id, version)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("version {version} was not registered"))?;
    catalog::product_publish(&mut tx, &document, &contracts)
        .await
        .map_err(|e| e.to_string())?;
    let message = format!(
        "published {product_name} {version} and {} contract(s) to the catalog and its change feed",
        contracts.len()
    );
    step_end_in(&mut tx, id, position, started, &Outcome::done(vec![message]))
        .await
        .map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())?;
    Ok(None)
}

/// `port:NAME`: the port's adapter builds it, and what it built is recorded.
async fn step_port(step: &StepContext<'_>, port_name: &str) -> Result<Option<Outcome>, String> {
    let (state, id, position, started, request) =
        (step.state, step.id, step.position, step.started, step.request);
    let (product_id, product_name) = (step.product_id.as_str(), step.product_name.as_str());
    let port = output_ports(request)
        .into_iter()
        .find(|p| p.get("name").and_then(Value::as_str) == Some(port_name))
        .ok_or_else(|| format!("no output port `{port_name}`"))?;
    let kind = port_type(&port);
    let Some(adapter) = state.adapters().for_port_type(kind) else {
        return Ok(Some(Outcome {
            status: StepStatus::Skipped,
            messages: vec![format!(
                "planned: no adapter installed for output ports of type `{kind}`; the port is recorded in the catalog, nothing was built"
            )],
        }));
    };
    let contract = contract_of(request, &port)
        .ok_or_else(|| format!("port `{port_name}` has no contract in the request"))?;
    let applied = adapter
        .apply(&PortSpec {
            product_id,
            product_name,
            port: port_name,
            contract,
        })
        .await
        .map_err(|e| format!("{}: {e}", adapter.name()))?;
    let message = format!("{} built {}", adapter.name(), applied.location);
    let mut tx = state.store().write().await.map_err(|e| e.to_string())?;
    sqlx::query(
        "INSERT INTO port_resources (product_id, port, adapter, location, server, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (product_id, port) DO UPDATE SET adapter = excluded.adapter, location = excluded.location, server = excluded.server",
    )
    .bind(product_id)
    .bind(port_name)
    .bind(adapter.name())
    .bind(&applied.location)
    .bind(applied.server.to_string())
    .bind(now_ms())
    .execute(&mut *tx)
    .await
    .map_err(|e| e.to_string())?;
    step_end_in(&mut tx, id, position, started, &Outcome::done(vec![message]))
        .await
        .map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())?;
    Ok(None)
}

/// A finding as one line of a step's log.
fn finding_line(f: &Finding) -> String {
    let at = if f.path.is_empty() { "/" } else { &f.path };
    format!("{} {} at {at}: {}", f.severity, f.rule, f.message)
}

/// Puts `server` into a contract's `servers`, replacing an entry of the same `server` name.
fn server_set(contract: &mut Value, server: Value) {
    let name = server.get("server").cloned();
    let Some(object) = contract.as_object_mut() else {
        return;
    };
    let servers = object
        .entry("servers")
        .or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(list) = servers {
        list.retain(|s| s.get("server") != name.as_ref());
        list.push(server);
    }
}

async fn unprovision_step(
    state: &AppState,
    id: &str,
    position: i64,
    started: i64,
    name: &str,
    product_id: &str,
) -> Result<Option<Outcome>, String> {
    if name == "deregister" {
        let mut tx = state.store().write().await.map_err(|e| e.to_string())?;
        let removed = catalog::product_remove(&mut tx, product_id)
            .await
            .map_err(|e| e.to_string())?;
        let message = if removed {
            format!(
                "removed product {product_id} and its contracts from the catalog (tombstones in the change feed)"
            )
        } else {
            format!("product {product_id} was not in the catalog any more")
        };
        let mut messages = vec![message];
        let resolved = crate::services::incidents::product_closed(&mut tx, product_id)
            .await
            .map_err(|e| e.to_string())?;
        if resolved > 0 {
            messages.push(format!("resolved its {resolved} open incident(s)"));
        }
        step_end_in(&mut tx, id, position, started, &Outcome::done(messages))
            .await
            .map_err(|e| e.to_string())?;
        tx.commit().await.map_err(|e| e.to_string())?;
        return Ok(None);
    }
    let Some(port) = name.strip_prefix("destroy:") else {
        return Err(format!("unknown step `{name}`"));
    };
    let row = sqlx::query("SELECT adapter, location FROM port_resources WHERE product_id = $1 AND port = $2")
        .bind(product_id)
        .bind(port)
        .fetch_optional(state.store().pool())
        .await
        .map_err(|e| e.to_string())?;
    let Some(row) = row else {
        return Ok(Some(Outcome::done(vec![format!(
            "port {port}: nothing left to destroy"
        )])));
    };
    let location: String = row.try_get("location").map_err(|e| e.to_string())?;
    let built_by: String = row.try_get("adapter").map_err(|e| e.to_string())?;
    let adapter = state
        .adapters()
        .by_name(&built_by)
        .ok_or_else(|| format!("port {port} was built by `{built_by}`, which this platform does not have"))?;
    adapter
        .destroy(&location)
        .await
        .map_err(|e| format!("{}: {e}", adapter.name()))?;
    let mut tx = state.store().write().await.map_err(|e| e.to_string())?;
    sqlx::query("DELETE FROM port_resources WHERE product_id = $1 AND port = $2")
        .bind(product_id)
        .bind(port)
        .execute(&mut *tx)
        .await
        .map_err(|e| e.to_string())?;
    let closed = crate::services::access::port_closed(&mut tx, product_id, port)
        .await
        .map_err(|e| e.to_string())?;
    let mut messages = vec![format!("{} destroyed {location}", adapter.name())];
    if closed > 0 {
        messages.push(format!("closed {closed} access request(s) of the port"));
    }
    step_end_in(&mut tx, id, position, started, &Outcome::done(messages))
        .await
        .map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())?;
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    #[tokio::test]
    async fn a_heartbeat_ends_with_its_run_even_when_the_run_panics() {
        let beats = Arc::new(AtomicUsize::new(0));
        let run = tokio::spawn({
            let beats = beats.clone();
            async move {
                let _heartbeat = AbortOnDrop(tokio::spawn(async move {
                    loop {
                        beats.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(5)).await;
                    }
                }));
                tokio::time::sleep(Duration::from_millis(20)).await;
                panic!("a step panicked");
            }
        });
        assert!(run.await.expect_err("the run panicked").is_panic());
        tokio::time::sleep(Duration::from_millis(20)).await;
        let after = beats.load(Ordering::SeqCst);
        assert!(after > 0, "the heartbeat never beat");
        tokio::time::sleep(Duration::from_millis(60)).await;
        assert_eq!(
            beats.load(Ordering::SeqCst),
            after,
            "the heartbeat went on after its run panicked"
        );
    }
}
