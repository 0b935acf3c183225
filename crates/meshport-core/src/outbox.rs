//! Drafts and the outbox: writing a product offline and submitting it when the platform is reachable.
//!
//! A submit checks the product with the active profile's policies (the synced packs the platform will
//! apply) and, when nothing is an error, queues its provisioning request with an idempotency key fixed
//! at that moment. [`outbox_flush`] sends what is queued; the platform answers a repeated key with the
//! first submission's job, so a send repeated after a crash provisions once.

use meshport_catalog::LocalStore;
use meshport_catalog::local::NewSubmission;
use meshport_client::Client;
use meshport_governance::PolicySet;
use meshport_model::Finding;
use meshport_model::offline::{Draft, DraftSummary, OutboxItem, OutboxState, SubmitOutcome};
use meshport_model::platform::JobState;
use serde_json::{Value, json};

use crate::{Error, Result};

/// Saves the document as typed so far, with the wizard's `step` (`None` from the product form);
/// `id` `None` starts a new draft.
pub async fn draft_save(
    store: &LocalStore,
    id: Option<&str>,
    document: &Value,
    step: Option<&str>,
) -> Result<DraftSummary> {
    Ok(store.draft_save(id, document, step).await?)
}

pub async fn drafts_list(store: &LocalStore) -> Result<Vec<DraftSummary>> {
    Ok(store.drafts_list().await?)
}

/// One draft; an error naming the id when there is none.
pub async fn draft_get(store: &LocalStore, id: &str) -> Result<Draft> {
    store.draft_get(id).await?.ok_or_else(|| {
        Error::Invalid(format!(
            "there is no draft `{id}`: `meshport draft list` shows the drafts"
        ))
    })
}

pub async fn draft_remove(store: &LocalStore, id: &str) -> Result<()> {
    if store.draft_remove(id).await? {
        Ok(())
    } else {
        Err(Error::Invalid(format!(
            "there is no draft `{id}`: `meshport draft list` shows the drafts"
        )))
    }
}

/// The infrastructure a product written in the form asks for: the platform's standard, managed
/// storage, encrypted at rest and kept seven years, with role-based access and audit logging. A
/// product that needs other infrastructure is submitted as a whole provisioning request
/// (`meshport submit`, or a draft holding one).
pub fn standard_infrastructure() -> Value {
    json!({
        "storage": {"type": "managed", "retention": "7 years", "encryption": "AES-256"},
        "security": {"accessControl": "rbac", "encryptionAtRest": true, "auditLogging": true},
    })
}

/// The provisioning request of a product written in the form: the product, no contracts of its own
/// and the [standard infrastructure](standard_infrastructure).
pub fn request_of(product: &Value) -> Value {
    json!({
        "apiVersion": "meshport/v1",
        "kind": "ProvisioningRequest",
        "product": product,
        "contracts": [],
        "infrastructure": standard_infrastructure(),
    })
}

/// Checks `document` (an ODPS product, or a whole provisioning request) with `policies` as the
/// platform will ([`request_check`](crate::request::request_check)), and queues it for `profile` when
/// no finding is an error; the draft goes in the same transaction. Findings of a bare product point
/// into the product (`/name`), those of a request into the request (`/product/name`).
pub async fn product_submit(
    store: &LocalStore,
    policies: &PolicySet,
    profile: &str,
    draft_id: Option<&str>,
    document: &Value,
) -> Result<SubmitOutcome> {
    let findings = crate::request::request_check(policies, document);
    let request = if crate::request::is_request(document) {
        document.clone()
    } else {
        request_of(document)
    };
    if findings.iter().any(Finding::is_error) {
        return Ok(SubmitOutcome {
            findings,
            outbox: None,
        });
    }
    let product = &request["product"];
    let product_id = product.get("id").and_then(Value::as_str).unwrap_or_default();
    let name = product
        .get("name")
        .and_then(Value::as_str)
        .filter(|n| !n.trim().is_empty())
        .unwrap_or(product_id);
    let item = store
        .outbox_add(&NewSubmission {
            profile,
            product_id,
            name,
            body: &request,
            draft_id,
        })
        .await?;
    Ok(SubmitOutcome {
        findings,
        outbox: Some(item),
    })
}

/// What a flush did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Flushed {
    pub delivered: usize,
    pub refused: usize,
    /// Whether the platform could not be reached (what was queued stays queued).
    pub offline: bool,
}

/// Sends the queued submissions of `profile` to the platform `client` talks to, oldest first, then
/// reads the state of delivered jobs that have not finished. Stops at the first unreachable send.
pub async fn outbox_flush(store: &LocalStore, profile: &str, client: &Client) -> Result<Flushed> {
    let mut flushed = Flushed::default();
    for (item, body) in store.outbox_queued(profile).await? {
        store.outbox_attempt(&item.id).await?;
        match client.request_submit_document(&body, &item.idempotency_key).await {
            Ok(submitted) => {
                let job = &submitted.job;
                tracing::info!(outbox = %item.id, job = %job.id, replayed = submitted.replayed, "outbox: delivered");
                store.outbox_delivered(&item.id, &job.id, job.state).await?;
                flushed.delivered += 1;
            }
            Err(error) if error.is_unreachable() => {
                tracing::info!(outbox = %item.id, %error, "outbox: the platform is unreachable; kept queued");
                store.outbox_unsent(&item.id, &error.to_string()).await?;
                flushed.offline = true;
                return Ok(flushed);
            }
            // A 409 "in flight" (another send of the same key still running) or a 5xx: try later.
            Err(error) if error.status().is_some_and(|s| s == 409 || s >= 500) => {
                store.outbox_unsent(&item.id, &error.to_string()).await?;
            }
            Err(error) => {
                tracing::warn!(outbox = %item.id, %error, "outbox: the platform refused the submission");
                store.outbox_refused(&item.id, &error.to_string()).await?;
                flushed.refused += 1;
            }
        }
    }
    for item in store.outbox_list(Some(profile)).await? {
        let (OutboxState::Delivered, Some(job_id)) = (item.state, item.job_id.as_deref()) else {
            continue;
        };
        if item.job_state.is_some_and(JobState::is_finished) {
            continue;
        }
        match client.request_get(job_id).await {
            Ok(job) => store.outbox_job_state(&item.id, job.state).await?,
            Err(error) if error.is_unreachable() => {
                flushed.offline = true;
                break;
            }
            Err(error) => tracing::warn!(outbox = %item.id, %error, "outbox: cannot read the job"),
        }
    }
    Ok(flushed)
}

/// The outbox of `profile` (all profiles with `None`), newest first.
pub async fn outbox_list(store: &LocalStore, profile: Option<&str>) -> Result<Vec<OutboxItem>> {
    Ok(store.outbox_list(profile).await?)
}
