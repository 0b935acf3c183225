//! The Meshport desktop shell: Tauri commands that each call one `meshport-core` operation, and the
//! background task that keeps the active profile's offline cache in sync.
//!
//! No logic lives here. Errors cross to the UI as `{code, message}`; the token never crosses.

mod commands;

use std::sync::Arc;
use std::time::Duration;

use meshport_core::LocalStore;
use meshport_core::Secret;
use meshport_core::session::{Session, Target};
use meshport_model::offline::SyncPhase;
use tauri::{Emitter, Manager};
use tokio::sync::Notify;

/// The reference platform the app runs in-process as its default profile, once it has started.
#[derive(Debug)]
pub struct EmbeddedPlatform(pub meshport_platform::Platform);

/// The demo user the embedded platform's profile acts as: the owner of the orders domain.
pub const DEMO_USER: &str = "owen";

/// What every command can reach.
#[derive(Debug)]
pub struct AppState {
    /// The local store: drafts and the outbox.
    pub store: LocalStore,
    /// The active profile's session once its platform (or cache) is open, or why it could not be.
    pub session: std::sync::OnceLock<Result<Arc<Session>, String>>,
    /// Told when `session` is set.
    pub ready: Notify,
    /// Wakes the background sync at once ("Sync now", a submit).
    pub wake: Notify,
}

impl AppState {
    /// The session, waiting for it while the app starts; why there is none if it could not open.
    pub async fn session(&self) -> Result<Arc<Session>, String> {
        loop {
            // Registered before the check, so a `notify_waiters` in between is not missed.
            let ready = self.ready.notified();
            if let Some(session) = self.session.get() {
                return session.clone();
            }
            ready.await;
        }
    }

    fn session_set(&self, session: Result<Arc<Session>, String>) {
        let _ = self.session.set(session);
        self.ready.notify_waiters();
    }
}

/// How often the background sync runs while the platform answers, and while it does not.
const SYNC_EVERY: Duration = Duration::from_secs(30);
const RETRY_EVERY: Duration = Duration::from_secs(3);

/// The view `--open VIEW` (or `--open=VIEW`) names among the program's arguments: a path of the
/// window's router, such as `/products/new` or `/jobs`.
fn view_to_open(mut args: impl Iterator<Item = String>) -> Option<String> {
    while let Some(arg) = args.next() {
        let view = match arg.strip_prefix("--open=") {
            Some(view) => view.to_owned(),
            None if arg == "--open" => args.next()?,
            None => continue,
        };
        // A path of the router only: letters, digits, `/`, `-` and `_`.
        let valid = view.starts_with('/')
            && view
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_'));
        if valid {
            return Some(view);
        }
        tracing::warn!(
            view,
            "--open takes a view of the window, such as /products/new: ignored"
        );
        return None;
    }
    None
}

/// Shows `view` in the main window (the router's part of the URL, after `#`).
fn open_view(app: &tauri::App, view: &str) {
    let Some(window) = app.get_webview_window("main") else {
        return;
    };
    match window.url() {
        Ok(mut url) => {
            url.set_fragment(Some(view));
            if let Err(error) = window.navigate(url) {
                tracing::warn!(%error, view, "the window could not open the view");
            }
        }
        Err(error) => tracing::warn!(%error, "the window has no URL yet"),
    }
}

/// Starts the app with the default builder.
pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    run_app(tauri::Builder::default());
}

/// Opens the active profile's session: the profile in `profiles.json` (its token from the OS
/// keyring), or, with none in use, the embedded demo platform, started here (its token in memory).
async fn session_open(app: &tauri::AppHandle, data_dir: &std::path::Path) -> Result<Session, String> {
    let active = Target::active().map_err(|e| e.to_string())?;
    if let Some(profile) = active.and_then(|t| t.profile) {
        tracing::info!(profile = %profile.name, url = %profile.url, "using the active profile");
        return Session::open_profile(&profile).await.map_err(|e| e.to_string());
    }
    let (platform, token) = meshport_platform::embedded_start(&data_dir.join("platform"), DEMO_USER).await?;
    tracing::info!(url = %platform.url(), "embedded platform serving the demo mesh");
    let url = platform.url();
    app.manage(EmbeddedPlatform(platform));
    Session::open_demo(&url, Secret::new(token))
        .await
        .map_err(|e| e.to_string())
}

/// The background sync: at start, every [`SYNC_EVERY`] (every [`RETRY_EVERY`] while offline or while
/// the outbox waits on the platform), and whenever woken. Each round emits `sync-status` on every
/// change. A round dropped when the app quits leaves the cache before or after a page: each page is
/// its own transaction.
async fn sync_loop(app: tauri::AppHandle) {
    let state = app.state::<AppState>();
    let Ok(session) = state.session().await else {
        return;
    };
    loop {
        let status = session
            .sync_once(&state.store, |status| {
                let _ = app.emit("sync-status", status);
            })
            .await;
        let pending = session.outbox_pending(&state.store).await;
        let wait = if status.phase == SyncPhase::Idle && !pending {
            SYNC_EVERY
        } else {
            RETRY_EVERY
        };
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = state.wake.notified() => {}
        }
    }
}

/// Starts the app on `builder`: opens the local store and the active profile's session, starts
/// the background sync, and registers the commands. The database is `$MESHPORT_DB` if set, else the
/// user's data folder.
pub fn run_app(builder: tauri::Builder<tauri::Wry>) {
    builder
        // The wizard's file dialogs (import, export) and the desktop notification when a job ends.
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .setup(|app| {
            let db = match std::env::var_os("MESHPORT_DB") {
                Some(path) => path.into(),
                None => meshport_core::paths::default_db_path()?,
            };
            tracing::info!(db = %db.display(), "opening the local store");
            let store = tauri::async_runtime::block_on(meshport_core::local_store_open(&db))?;
            app.manage(AppState {
                store,
                session: std::sync::OnceLock::new(),
                ready: Notify::new(),
                wake: Notify::new(),
            });
            if let Some(view) = view_to_open(std::env::args().skip(1)) {
                open_view(app, &view);
            }
            let data_dir = db.parent().map(std::path::Path::to_owned).unwrap_or_default();
            let handle = app.handle().clone();
            // The platform and the cache open beside the window, not before it.
            tauri::async_runtime::spawn(async move {
                match session_open(&handle, &data_dir).await {
                    Ok(session) => {
                        handle.state::<AppState>().session_set(Ok(Arc::new(session)));
                        sync_loop(handle).await;
                    }
                    Err(error) => {
                        tracing::error!(%error, "the active profile cannot be used");
                        handle.state::<AppState>().session_set(Err(error.clone()));
                        let _ = handle.emit(
                            "sync-status",
                            meshport_model::offline::SyncStatus {
                                phase: SyncPhase::Failed,
                                profile: String::new(),
                                platform: String::new(),
                                last_success_at: None,
                                pages: 0,
                                changes: 0,
                                products: 0,
                                message: Some(error),
                            },
                        );
                    }
                }
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::catalog_search,
            commands::sync_status,
            commands::sync_now,
            commands::draft_save,
            commands::drafts_list,
            commands::draft_get,
            commands::draft_remove,
            commands::product_submit,
            commands::outbox_list,
            commands::view_painted,
            commands::request_new,
            commands::product_unprovision,
            commands::catalog_product,
            commands::product_view,
            commands::cache_size,
            commands::product_lineage,
            commands::incidents_list,
            commands::incident_get,
            commands::request_yaml,
            commands::request_edit,
            commands::request_review,
            commands::request_check,
            commands::owned_domains,
            commands::documents_import,
            commands::request_export,
            commands::job_get,
            commands::job_cancel,
            commands::job_retry,
        ])
        .run(tauri::generate_context!())
        .expect("error while running Meshport");
}

#[cfg(test)]
mod tests {
    use super::view_to_open;

    fn args(list: &[&str]) -> impl Iterator<Item = String> {
        list.iter()
            .map(|s| (*s).to_owned())
            .collect::<Vec<_>>()
            .into_iter()
    }

    #[test]
    fn open_takes_a_view_of_the_router() {
        assert_eq!(
            view_to_open(args(&["--open", "/products/new"])),
            Some("/products/new".into())
        );
        assert_eq!(view_to_open(args(&["x", "--open=/jobs"])), Some("/jobs".into()));
        assert_eq!(view_to_open(args(&[])), None);
        assert_eq!(view_to_open(args(&["--open"])), None);
        assert_eq!(view_to_open(args(&["--open", "javascript:alert(1)"])), None);
        assert_eq!(view_to_open(args(&["--open", "/a\"b"])), None);
    }
}
