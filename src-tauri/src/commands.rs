//! The commands the window may invoke (granted one by one in `capabilities/main.json`).

use meshport_model::Finding;
use meshport_model::offline::{
    Draft, DraftSummary, OutboxItem, SearchQuery, SearchResult, SubmitOutcome, SyncStatus,
};
use meshport_model::platform::ProvisioningJob;
use serde::Serialize;
use serde_json::Value;
use tauri::State;

use crate::AppState;

/// A failed command as the UI sees it: a stable code to branch on and a message to show.
#[derive(Debug, Serialize)]
pub struct CommandError {
    code: &'static str,
    message: String,
}

impl From<meshport_core::Error> for CommandError {
    fn from(error: meshport_core::Error) -> Self {
        tracing::error!(code = error.code(), %error, "command failed");
        CommandError {
            code: error.code(),
            message: error.summary(),
        }
    }
}

type CommandResult<T> = Result<T, CommandError>;

/// The session of the profile in use, or the error the window shows when it could not open.
async fn session(state: &AppState) -> CommandResult<std::sync::Arc<meshport_core::session::Session>> {
    state.session().await.map_err(|message| CommandError {
        code: "profile",
        message,
    })
}

#[tauri::command]
pub async fn catalog_search(state: State<'_, AppState>, query: SearchQuery) -> CommandResult<SearchResult> {
    let session = session(&state).await?;
    let result = meshport_core::sync::catalog_search(session.cache(), &query).await?;
    tracing::debug!(
        total = result.total,
        hits = result.hits.len(),
        "catalog search answered"
    );
    Ok(result)
}

/// The window painted a view's first answer (`since_load_ms` after the page began loading): logged,
/// so that how long a user waits for a view is measured where the user sees it (`cargo xtask
/// bench-desktop` reads the line). Only the view's name and figures are logged, never its data.
#[tauri::command]
pub fn view_painted(view: String, total: u64, since_load_ms: f64) {
    let view: String = view
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(32)
        .collect();
    tracing::info!(view, total, since_load_ms, "view painted");
}

#[tauri::command]
pub async fn sync_status(state: State<'_, AppState>) -> CommandResult<SyncStatus> {
    Ok(session(&state).await?.status())
}

#[tauri::command]
pub async fn sync_now(state: State<'_, AppState>) -> CommandResult<SyncStatus> {
    state.wake.notify_one();
    Ok(session(&state).await?.status())
}

#[tauri::command]
pub async fn draft_save(
    state: State<'_, AppState>,
    id: Option<String>,
    document: Value,
    step: Option<String>,
) -> CommandResult<DraftSummary> {
    Ok(meshport_core::outbox::draft_save(&state.store, id.as_deref(), &document, step.as_deref()).await?)
}

#[tauri::command]
pub async fn drafts_list(state: State<'_, AppState>) -> CommandResult<Vec<DraftSummary>> {
    Ok(meshport_core::outbox::drafts_list(&state.store).await?)
}

#[tauri::command]
pub async fn draft_get(state: State<'_, AppState>, id: String) -> CommandResult<Draft> {
    Ok(meshport_core::outbox::draft_get(&state.store, &id).await?)
}

#[tauri::command]
pub async fn draft_remove(state: State<'_, AppState>, id: String) -> CommandResult<()> {
    Ok(meshport_core::outbox::draft_remove(&state.store, &id).await?)
}

/// Checks and queues the product, then wakes the background task to send it.
#[tauri::command]
pub async fn product_submit(
    state: State<'_, AppState>,
    draft_id: Option<String>,
    document: Value,
) -> CommandResult<SubmitOutcome> {
    let session = session(&state).await?;
    let outcome = meshport_core::outbox::product_submit(
        &state.store,
        &session.policies(),
        session.profile(),
        draft_id.as_deref(),
        &document,
    )
    .await?;
    if outcome.outbox.is_some() {
        state.wake.notify_one();
    }
    Ok(outcome)
}

#[tauri::command]
pub async fn outbox_list(state: State<'_, AppState>) -> CommandResult<Vec<OutboxItem>> {
    let session = session(&state).await?;
    Ok(meshport_core::outbox::outbox_list(&state.store, Some(session.profile())).await?)
}

/// A fresh provisioning request for the wizard.
#[tauri::command]
pub fn request_new() -> Value {
    meshport_core::request::request_new()
}

/// The checks a submit would run on `document` (a request or a product), as the user types.
#[tauri::command]
pub async fn request_check(state: State<'_, AppState>, document: Value) -> CommandResult<Vec<Finding>> {
    let session = session(&state).await?;
    Ok(meshport_core::request::request_check(
        &session.policies(),
        &document,
    ))
}

/// The domains the active profile's user may own products in (`*`: every domain); the last known
/// list while offline, empty if never known.
#[tauri::command]
pub async fn owned_domains(state: State<'_, AppState>) -> CommandResult<Vec<String>> {
    Ok(session(&state).await?.owned_domains().await)
}

/// A product of the offline catalog (its ODPS document), for picking its output ports as input ports;
/// null when the cache does not hold it.
#[tauri::command]
pub async fn catalog_product(state: State<'_, AppState>, id: String) -> CommandResult<Option<Value>> {
    let session = session(&state).await?;
    Ok(session
        .cache()
        .document(meshport_model::platform::ChangeEntity::Product, &id)
        .await
        .map_err(meshport_core::Error::from)?)
}

/// What the product `id`'s page shows, from the offline cache: the product, its contracts, quality,
/// incidents, access requests and lineage neighbours; null when the cache does not hold it.
#[tauri::command]
pub async fn product_view(
    state: State<'_, AppState>,
    id: String,
) -> CommandResult<Option<meshport_model::offline::ProductView>> {
    let session = session(&state).await?;
    Ok(session
        .cache()
        .product_view(&id)
        .await
        .map_err(meshport_core::Error::from)?)
}

/// The products up to `depth` steps upstream and downstream of the product `id` (at most `limit`,
/// each capped), from the offline cache; null when the cache does not hold it.
#[tauri::command]
pub async fn product_lineage(
    state: State<'_, AppState>,
    id: String,
    depth: u32,
    limit: u32,
) -> CommandResult<Option<meshport_model::offline::LineageView>> {
    let session = session(&state).await?;
    Ok(session
        .cache()
        .lineage(&id, depth.min(10), limit.clamp(1, 1_000) as usize)
        .await
        .map_err(meshport_core::Error::from)?)
}

/// The offline cache's size on disk, in bytes (Settings shows it).
#[tauri::command]
pub async fn cache_size(state: State<'_, AppState>) -> CommandResult<u64> {
    let session = session(&state).await?;
    Ok(session
        .cache()
        .size_bytes()
        .await
        .map_err(meshport_core::Error::from)?)
}

/// The cached incidents `filter` keeps, with the values the filters offer.
#[tauri::command]
pub async fn incidents_list(
    state: State<'_, AppState>,
    filter: meshport_model::offline::IncidentFilter,
) -> CommandResult<meshport_model::offline::IncidentList> {
    let session = session(&state).await?;
    Ok(session
        .cache()
        .incidents(&filter)
        .await
        .map_err(meshport_core::Error::from)?)
}

/// The cached incident `id` with its timeline; null when the cache does not hold it.
#[tauri::command]
pub async fn incident_get(
    state: State<'_, AppState>,
    id: String,
) -> CommandResult<Option<meshport_model::trust::Incident>> {
    let session = session(&state).await?;
    Ok(session
        .cache()
        .incident(&id)
        .await
        .map_err(meshport_core::Error::from)?)
}

/// The request's product and contracts as YAML, as export writes them (the wizard's review).
#[tauri::command]
pub fn request_yaml(document: Value) -> meshport_core::request::RequestYaml {
    meshport_core::request::request_yaml(&document)
}

/// The published product `product_id` (from the offline catalog) as a request for its next version.
#[tauri::command]
pub async fn request_edit(state: State<'_, AppState>, product_id: String) -> CommandResult<Value> {
    let session = session(&state).await?;
    Ok(meshport_core::revision::request_edit(
        session.cache(),
        &product_id,
        meshport_core::outbox::standard_infrastructure(),
    )
    .await?)
}

/// What submitting `document` changes against the published version of its product (`meshport diff`
/// with its impact), with the verdict in a sentence; null for a product the catalog does not hold.
#[tauri::command]
pub async fn request_review(state: State<'_, AppState>, document: Value) -> CommandResult<Option<Value>> {
    let session = session(&state).await?;
    let Some(report) = meshport_core::revision::request_review(session.cache(), &document).await? else {
        return Ok(None);
    };
    let summary = report.summary();
    let mut value = serde_json::to_value(&report).map_err(|error| CommandError {
        code: "internal",
        message: error.to_string(),
    })?;
    value["summary"] = Value::String(summary);
    Ok(Some(value))
}

/// One provisioning request from ODPS and ODCS files.
#[tauri::command]
pub async fn documents_import(paths: Vec<String>) -> CommandResult<Value> {
    let paths: Vec<std::path::PathBuf> = paths.into_iter().map(Into::into).collect();
    Ok(meshport_core::request::documents_import(&paths)?)
}

/// Writes the request's product and contracts as YAML files in `dir`; the paths written.
#[tauri::command]
pub async fn request_export(document: Value, dir: String) -> CommandResult<Vec<String>> {
    let written = meshport_core::request::request_export(&document, std::path::Path::new(&dir))?;
    Ok(written.iter().map(|p| p.display().to_string()).collect())
}

#[tauri::command]
pub async fn job_get(state: State<'_, AppState>, id: String) -> CommandResult<ProvisioningJob> {
    let session = session(&state).await?;
    Ok(meshport_core::jobs::job_get(&state.store, session.client(), &id).await?)
}

#[tauri::command]
pub async fn job_cancel(state: State<'_, AppState>, id: String) -> CommandResult<ProvisioningJob> {
    let session = session(&state).await?;
    Ok(meshport_core::jobs::job_cancel(&state.store, session.client(), &id).await?)
}

/// Starts unprovisioning a product (the window asked the user to type its name first); the job.
#[tauri::command]
pub async fn product_unprovision(
    state: State<'_, AppState>,
    product_id: String,
    idempotency_key: String,
) -> CommandResult<ProvisioningJob> {
    let session = session(&state).await?;
    Ok(meshport_core::jobs::product_unprovision(session.client(), &product_id, &idempotency_key).await?)
}

/// Retries a failed job, then wakes the background task so the outbox follows it again.
#[tauri::command]
pub async fn job_retry(state: State<'_, AppState>, id: String) -> CommandResult<ProvisioningJob> {
    let session = session(&state).await?;
    let job = meshport_core::jobs::job_retry(&state.store, session.client(), &id).await?;
    state.wake.notify_one();
    Ok(job)
}
