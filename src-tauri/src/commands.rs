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

/// The window painted a view's first answer (`since_load_ms` after the page began loading,
/// `took_ms` after the view opened where the window measured it, and the page's `stages` on the way
/// there, by name): logged, so that how long a user waits for a view is measured where the user sees
/// it (`cargo xtask bench-desktop` reads the line). Only the view's name and figures are logged,
/// never its data.
#[tauri::command]
pub fn view_painted(
    view: String,
    total: u64,
    since_load_ms: f64,
    took_ms: Option<f64>,
    stages: Option<std::collections::HashMap<String, f64>>,
) {
    let view = log_name(&view);
    let took_ms = took_ms.unwrap_or(-1.0);
    let stages = stages_line(stages.unwrap_or_default());
    tracing::info!(view, total, since_load_ms, took_ms, stages, "view painted");
}

/// A name from the window, as it may be logged: ASCII letters, digits and `-`, at most 32.
fn log_name(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(32)
        .collect()
}

/// The page's stages as one line, `name=ms` in the order they came (at most 16, finite times only).
fn stages_line(stages: std::collections::HashMap<String, f64>) -> String {
    let mut stages: Vec<(String, f64)> = stages
        .into_iter()
        .filter(|(_, ms)| ms.is_finite())
        .map(|(name, ms)| (log_name(&name), ms))
        .filter(|(name, _)| !name.is_empty())
        .collect();
    stages.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    stages
        .iter()
        .take(16)
        .map(|(name, ms)| format!("{name}={ms:.1}"))
        .collect::<Vec<_>>()
        .join(" ")
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

/// The document a call carries as its raw body, its JSON text (as the window sends the requests it
/// checks as the user types): parsed once, here, on the command's thread. A JSON argument would be
/// parsed on the window's main thread, then copied into the command's argument.
fn body_document(request: &tauri::ipc::Request<'_>) -> CommandResult<Value> {
    match request.body() {
        tauri::ipc::InvokeBody::Raw(bytes) => serde_json::from_slice(bytes).map_err(|error| CommandError {
            code: "invalid",
            message: format!("the document is not JSON ({error}): send its JSON text as the call's body"),
        }),
        tauri::ipc::InvokeBody::Json(value) => value.get("document").cloned().ok_or_else(|| CommandError {
            code: "invalid",
            message: "no document: send its JSON text as the call's body".to_owned(),
        }),
    }
}

/// The header naming the contracts of a request sent to `request_check` (the window's key for them):
/// sent with the contracts, it has the shell keep them; without, it has the shell check the request
/// with the contracts it keeps under that key.
const CONTRACTS_KEY: &str = "meshport-contracts";

/// The checks a submit would run on the document in the call's body (a request or a product), as
/// the user types. A request may leave out contracts sent before (see [`CONTRACTS_KEY`]).
#[tauri::command]
pub async fn request_check(
    state: State<'_, AppState>,
    request: tauri::ipc::Request<'_>,
) -> CommandResult<Vec<Finding>> {
    let document = body_document(&request)?;
    let session = session(&state).await?;
    let key = request
        .headers()
        .get(CONTRACTS_KEY)
        .and_then(|key| key.to_str().ok());
    let found = state
        .kept_contracts
        .request_check(&session.policies(), document, key)
        .map_err(|_| CommandError {
            code: "contracts-not-kept",
            message: format!(
                "the request's contracts were not sent, and the shell does not keep those named by \
                 `{CONTRACTS_KEY}`: send them in the request"
            ),
        })?;
    Ok(found)
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
pub async fn request_review(
    state: State<'_, AppState>,
    request: tauri::ipc::Request<'_>,
) -> CommandResult<Option<Value>> {
    let document = body_document(&request)?;
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

/// Queues an action on the incident `id` (delivered by the background sync, at once when the
/// platform answers), then wakes the sync.
#[tauri::command]
pub async fn incident_act(
    state: State<'_, AppState>,
    id: String,
    action: meshport_model::trust::IncidentAction,
) -> CommandResult<meshport_model::offline::ActionItem> {
    let session = session(&state).await?;
    let item = meshport_core::actions::incident_act(&state.store, session.profile(), &id, &action).await?;
    state.wake.notify_one();
    Ok(item)
}

/// The actions taken on the incident `id` (all incidents with none) under the current profile.
#[tauri::command]
pub async fn incident_actions(
    state: State<'_, AppState>,
    id: Option<String>,
) -> CommandResult<Vec<meshport_model::offline::ActionItem>> {
    let session = session(&state).await?;
    Ok(meshport_core::actions::actions_list(&state.store, session.profile(), id.as_deref()).await?)
}

/// Forgets an answered action (a conflict or refusal the user has read).
#[tauri::command]
pub async fn action_dismiss(state: State<'_, AppState>, id: String) -> CommandResult<()> {
    let session = session(&state).await?;
    Ok(meshport_core::actions::action_dismiss(&state.store, session.profile(), &id).await?)
}

/// The cached access requests the platform showed the user, with who they are and what they own,
/// and the user's requests the platform has not taken yet (queued or refused).
#[tauri::command]
pub async fn access_list(state: State<'_, AppState>) -> CommandResult<meshport_model::offline::AccessList> {
    let session = session(&state).await?;
    let mut list = session
        .cache()
        .access_list()
        .await
        .map_err(meshport_core::Error::from)?;
    list.asked = meshport_core::access::access_asks(&state.store, session.profile()).await?;
    Ok(list)
}

/// Asks for access to a port: sent at once when the platform answers, else queued with its
/// idempotency key and sent by the sync; then wakes the sync so the cache has it.
#[tauri::command]
pub async fn access_request(
    state: State<'_, AppState>,
    product_id: String,
    output_port: String,
    purpose: String,
    until: Option<String>,
) -> CommandResult<meshport_model::offline::AccessAsked> {
    let session = session(&state).await?;
    let product_name = match session
        .cache()
        .document(meshport_model::platform::ChangeEntity::Product, &product_id)
        .await
    {
        Ok(document) => document.and_then(|d| d.get("name").and_then(|n| n.as_str()).map(str::to_owned)),
        Err(error) => {
            tracing::info!(%error, "the product's name is not in the cache");
            None
        }
    };
    let asked = meshport_core::access::access_ask(
        &state.store,
        session.profile(),
        session.client(),
        meshport_core::access::Ask {
            product_id: &product_id,
            product_name: product_name.as_deref(),
            output_port: &output_port,
            purpose: &purpose,
            until: until.as_deref(),
        },
    )
    .await?;
    state.wake.notify_one();
    Ok(asked)
}

/// Forgets a refused access request the user has read.
#[tauri::command]
pub async fn access_ask_dismiss(state: State<'_, AppState>, id: String) -> CommandResult<()> {
    let session = session(&state).await?;
    Ok(meshport_core::access::access_ask_dismiss(&state.store, session.profile(), &id).await?)
}

/// Approves, rejects or revokes an access request (owners), then wakes the sync.
#[tauri::command]
pub async fn access_decide(
    state: State<'_, AppState>,
    id: String,
    verdict: meshport_core::access::Verdict,
    reason: Option<String>,
) -> CommandResult<meshport_model::trust::AccessRequest> {
    let session = session(&state).await?;
    let request =
        meshport_core::access::access_decide(session.client(), &id, verdict, reason.as_deref()).await?;
    state.wake.notify_one();
    Ok(request)
}

/// The first rows (at most 100) of a SQLite port's table, for holders of a grant and the owners.
#[tauri::command]
pub async fn port_rows(
    state: State<'_, AppState>,
    product_id: String,
    port: String,
    table: Option<String>,
    filters: Vec<(String, String)>,
) -> CommandResult<meshport_model::trust::PortRows> {
    let session = session(&state).await?;
    Ok(meshport_core::access::port_rows(
        session.client(),
        &product_id,
        &port,
        table.as_deref(),
        &filters,
        100,
    )
    .await?)
}

/// The profiles (never a token), the one the window works with, and the demo users it may act as.
#[tauri::command]
pub async fn profiles_list(
    state: State<'_, AppState>,
) -> CommandResult<meshport_model::offline::ProfileList> {
    let current = state.session().await.ok().map(|s| s.profile().to_owned());
    let mut list = meshport_core::profile::profiles_list(current.as_deref())?;
    list.demo_users = state.demo_users();
    Ok(list)
}

/// Adds a profile (or signs it in again) with the token the user typed: checked with the platform,
/// then kept in the OS keyring only; the window then works with it.
#[tauri::command]
pub async fn profile_sign_in(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    name: String,
    url: String,
    user: String,
    token: String,
) -> CommandResult<meshport_model::offline::ProfileList> {
    let token = meshport_core::Secret::new(token.trim());
    let profile = meshport_core::profile::profile_sign_in(
        meshport_core::profile::Profile {
            name: name.trim().to_owned(),
            url,
            user: user.trim().to_owned(),
        },
        token,
    )
    .await?;
    switched(&app, &state, crate::SessionTarget::Profile(profile)).await
}

/// Makes the window work with the profile `name`, or with the embedded demo platform as `demo_user`.
#[tauri::command]
pub async fn profile_use(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    name: Option<String>,
    demo_user: Option<String>,
) -> CommandResult<meshport_model::offline::ProfileList> {
    let target = match (name, demo_user) {
        (Some(name), _) => {
            let profiles = meshport_core::profile::Profiles::load(&meshport_core::profile::profiles_path()?)?;
            crate::SessionTarget::Profile(profiles.resolve(Some(&name))?.clone())
        }
        (None, Some(user)) => crate::SessionTarget::Demo { user },
        (None, None) => crate::SessionTarget::Demo {
            user: crate::DEMO_USER.to_owned(),
        },
    };
    switched(&app, &state, target).await
}

/// Removes a profile and its token; when the window worked with it, it works with the demo
/// platform again.
#[tauri::command]
pub async fn profile_remove(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    name: String,
) -> CommandResult<meshport_model::offline::ProfileList> {
    let current = state.session().await.ok().map(|s| s.profile().to_owned());
    meshport_core::profile::profile_remove(&name)?;
    if current.as_deref() == Some(name.as_str()) {
        let demo = crate::SessionTarget::Demo {
            user: crate::DEMO_USER.to_owned(),
        };
        return switched(&app, &state, demo).await;
    }
    profiles_list(state).await
}

async fn switched(
    app: &tauri::AppHandle,
    state: &State<'_, AppState>,
    target: crate::SessionTarget,
) -> CommandResult<meshport_model::offline::ProfileList> {
    state.switch(app, target).await.map_err(|message| CommandError {
        code: "profile",
        message,
    })?;
    let current = state.session().await.ok().map(|s| s.profile().to_owned());
    let mut list = meshport_core::profile::profiles_list(current.as_deref())?;
    list.demo_users = state.demo_users();
    Ok(list)
}

/// Each check's measured values over the last `days` days (7, 30 or 90) of the product, from the
/// offline cache, with its threshold; `check` keeps one.
#[tauri::command]
pub async fn quality_history(
    state: State<'_, AppState>,
    product_id: String,
    days: u32,
    check: Option<String>,
) -> CommandResult<Vec<meshport_model::offline::CheckTrend>> {
    let session = session(&state).await?;
    Ok(session
        .cache()
        .quality_history(&product_id, days, check.as_deref())
        .await
        .map_err(meshport_core::Error::from)?)
}

/// The stewards' home from the offline cache: products by health, failing checks, SLOs and open
/// incidents across the domains the user stewards.
#[tauri::command]
pub async fn quality_home(state: State<'_, AppState>) -> CommandResult<meshport_model::offline::QualityHome> {
    let session = session(&state).await?;
    Ok(session
        .cache()
        .quality_home()
        .await
        .map_err(meshport_core::Error::from)?)
}

/// How many notices of each view the user has not seen (the navigation's badges).
#[tauri::command]
pub async fn notice_counts(
    state: State<'_, AppState>,
) -> CommandResult<meshport_model::offline::NoticeCounts> {
    let session = session(&state).await?;
    Ok(session
        .cache()
        .notice_counts()
        .await
        .map_err(meshport_core::Error::from)?)
}

/// The user opened `view` (`incidents`, `access`): its notices are seen.
#[tauri::command]
pub async fn notices_seen(state: State<'_, AppState>, view: String) -> CommandResult<()> {
    let session = session(&state).await?;
    Ok(session
        .cache()
        .notices_seen(&view)
        .await
        .map_err(meshport_core::Error::from)?)
}

#[cfg(test)]
mod tests {
    use super::stages_line;

    #[test]
    fn the_stages_are_logged_in_their_order_with_names_the_log_can_take() {
        let stages = [
            ("frame", 151.26),
            ("script", 31.0),
            ("html\n<b>", 4.0),
            ("answer", 80.04),
            ("", 1.0),
            ("late", f64::NAN),
        ]
        .into_iter()
        .map(|(name, ms)| (name.to_owned(), ms))
        .collect();
        assert_eq!(
            stages_line(stages),
            "htmlb=4.0 script=31.0 answer=80.0 frame=151.3"
        );
    }
}
