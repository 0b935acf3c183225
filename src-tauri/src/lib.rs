//! The Meshport desktop shell: Tauri commands that each call one `meshport-core` operation, and the
//! background task that keeps the active profile's offline cache in sync.
//!
//! No logic lives here. Errors cross to the UI as `{code, message}`; the token never crosses.

mod commands;
pub mod font;
pub mod painting;

use std::sync::Arc;
use std::time::Duration;

use meshport_core::LocalStore;
use meshport_core::Secret;
use meshport_core::session::{Session, Target};
use meshport_model::offline::SyncPhase;
use std::sync::atomic::{AtomicU64, Ordering};

use tauri::{Emitter, Manager};
use tokio::sync::Notify;

/// The demo user the embedded platform's profile acts as at first: the owner of the orders domain.
pub const DEMO_USER: &str = "owen";

/// Which platform the window works with: a profile's, or the embedded demo platform as one of its
/// users.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionTarget {
    Profile(meshport_core::profile::Profile),
    Demo { user: String },
}

/// The embedded reference platform, once started (it keeps running while the app does).
#[derive(Debug)]
struct Demo {
    platform: meshport_platform::Platform,
    /// The tokens made for its users, in memory only.
    tokens: std::sync::Mutex<std::collections::HashMap<String, Secret>>,
}

/// What every command can reach.
#[derive(Debug)]
pub struct AppState {
    /// The local store: drafts and the outbox.
    pub store: LocalStore,
    /// The data folder (the embedded platform's database goes under it).
    data_dir: std::path::PathBuf,
    /// The session the window works with once it is open, or why it could not be.
    session: std::sync::RwLock<Option<Result<Arc<Session>, String>>>,
    /// Counts the sessions set: a sync loop ends when its session is no longer the current one.
    generation: AtomicU64,
    /// Told when `session` is set.
    ready: Notify,
    /// Wakes the background sync at once ("Sync now", a submit, a switch).
    pub wake: Notify,
    /// One switch at a time.
    switching: tokio::sync::Mutex<()>,
    demo: tokio::sync::OnceCell<Demo>,
    /// The contracts of the request the wizard checks as the user types.
    pub kept_contracts: meshport_core::request::KeptContracts,
}

impl AppState {
    fn new(store: LocalStore, data_dir: std::path::PathBuf) -> AppState {
        AppState {
            store,
            data_dir,
            session: std::sync::RwLock::new(None),
            generation: AtomicU64::new(0),
            ready: Notify::new(),
            wake: Notify::new(),
            switching: tokio::sync::Mutex::new(()),
            demo: tokio::sync::OnceCell::new(),
            kept_contracts: Default::default(),
        }
    }

    /// The current session, waiting for it while the app starts; why there is none if it could not open.
    pub async fn session(&self) -> Result<Arc<Session>, String> {
        loop {
            // Registered before the check, so a `notify_waiters` in between is not missed.
            let ready = self.ready.notified();
            if let Some(session) = self.session.read().unwrap_or_else(|p| p.into_inner()).as_ref() {
                return session.clone();
            }
            ready.await;
        }
    }

    fn session_set(&self, session: Result<Arc<Session>, String>) -> u64 {
        *self.session.write().unwrap_or_else(|p| p.into_inner()) = Some(session);
        let generation = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        self.ready.notify_waiters();
        generation
    }

    /// The embedded demo platform's users the window may act as, once it runs.
    pub fn demo_users(&self) -> Vec<String> {
        if self.demo.get().is_none() {
            return Vec::new();
        }
        meshport_platform::demo::USERS
            .iter()
            .map(|(name, _)| (*name).to_owned())
            .collect()
    }

    /// Opens a session on `target`: a profile's platform (its token from the OS keyring), or the
    /// embedded demo platform (started the first time) as one of its users.
    async fn session_open(&self, target: &SessionTarget) -> Result<Session, String> {
        match target {
            SessionTarget::Profile(profile) => {
                tracing::info!(profile = %profile.name, url = %profile.url, "opening the profile");
                Session::open_profile(profile).await.map_err(|e| e.to_string())
            }
            SessionTarget::Demo { user } => {
                let demo = self
                    .demo
                    .get_or_try_init(|| async {
                        let dir = self.data_dir.join("platform");
                        if !meshport_platform::embedded_seeded(&dir).await {
                            seed_in_a_process_of_its_own(&dir).await;
                        }
                        let (platform, token) = meshport_platform::embedded_start(&dir, DEMO_USER).await?;
                        tracing::info!(url = %platform.url(), "embedded platform serving the demo mesh");
                        let tokens =
                            std::collections::HashMap::from([(DEMO_USER.to_owned(), Secret::new(token))]);
                        Ok::<_, String>(Demo {
                            platform,
                            tokens: std::sync::Mutex::new(tokens),
                        })
                    })
                    .await?;
                let known = demo
                    .tokens
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .get(user)
                    .cloned();
                let token = match known {
                    Some(token) => token,
                    None => {
                        let token = Secret::new(demo.platform.demo_token(user).await?);
                        demo.tokens
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .insert(user.clone(), token.clone());
                        token
                    }
                };
                let profile = meshport_core::session::demo_profile(user, DEMO_USER);
                Session::open_demo_as(&demo.platform.url(), token, &profile)
                    .await
                    .map_err(|e| e.to_string())
            }
        }
    }

    /// Makes `target` the platform the window works with: its session opens first (an error leaves
    /// the current one in use), then it is recorded as the profile in use and its sync starts.
    pub async fn switch(
        &self,
        app: &tauri::AppHandle,
        target: SessionTarget,
    ) -> Result<Arc<Session>, String> {
        let _one_at_a_time = self.switching.lock().await;
        let session = Arc::new(self.session_open(&target).await?);
        let active = match &target {
            SessionTarget::Profile(profile) => Some(profile.name.as_str()),
            SessionTarget::Demo { .. } => None,
        };
        meshport_core::profile::profile_activate(active).map_err(|e| e.to_string())?;
        let generation = self.session_set(Ok(session.clone()));
        // The last session's loop wakes, sees it is no longer current and ends.
        self.wake.notify_waiters();
        tauri::async_runtime::spawn(sync_loop(app.clone(), generation));
        Ok(session)
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
        // A path of the router only (letters, digits, `/`, `-` and `_`), with an optional query of
        // `name=value` pairs (`/products/ID?tab=quality&days=90`).
        let (path, query) = view.split_once('?').unwrap_or((&view, ""));
        let valid = path.starts_with('/')
            && path
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_'))
            && query
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '=' | '&' | '-' | '_'));
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

/// Opens the main window (tauri.conf.json's `main`, which Tauri does not create itself), with the
/// desktop's interface font named to its page before the page's first layout (see [`font`]).
fn main_window(app: &tauri::App) -> Result<(), Box<dyn std::error::Error>> {
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == "main")
        .ok_or("tauri.conf.json has no window labelled main")?
        .clone();
    let mut window = tauri::WebviewWindowBuilder::from_config(app.handle(), &config)?;
    match font::desktop_family() {
        Some(family) => match font::font_script(&family) {
            Some(script) => {
                tracing::debug!(family, "the page's font: the desktop's interface font");
                window = window.initialization_script(&script);
            }
            None => tracing::debug!("the desktop's interface font has no usable name: system-ui"),
        },
        None => tracing::debug!("the desktop's interface font is not known: system-ui"),
    }
    window.build()?;
    Ok(())
}

/// Starts the app with the default builder.
pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    tracing::info!(
        painter = painting::painter(),
        software_gl_threads = std::env::var(painting::SOFTWARE_GL_THREADS).ok(),
        "WebKit's painter"
    );
    run_app(tauri::Builder::default());
}

/// The argument that makes `meshport-desktop` seed the embedded platform's demo mesh into the folder
/// that follows it, then exit, instead of opening its window.
pub const SEED_DEMO: &str = "--seed-demo-platform";

/// At the first launch, seeds the demo mesh into the embedded platform's folder `dir` by running this
/// binary with [`SEED_DEMO`]. The seed provisions two products, generates 5,000 rows into each of
/// their tables and measures their quality; in the app's own process that left 8 MB behind for as
/// long as the app runs (its allocator's heap and the code the seed ran, PSS idle on the catalog: 113
/// against 105 MB). If that process cannot run or fails, [`meshport_platform::embedded_start`] seeds
/// in this process, as before.
async fn seed_in_a_process_of_its_own(dir: &std::path::Path) {
    let dir = dir.to_owned();
    let seeded = tauri::async_runtime::spawn_blocking(move || {
        let exe = std::env::current_exe()?;
        std::process::Command::new(exe)
            .arg(SEED_DEMO)
            .arg(&dir)
            .stdin(std::process::Stdio::null())
            .status()
    })
    .await;
    match seeded {
        Ok(Ok(status)) if status.success() => tracing::info!("the demo mesh is seeded"),
        Ok(Ok(status)) => {
            tracing::warn!(%status, "seeding the demo mesh in its own process failed; seeding it here")
        }
        Ok(Err(error)) => {
            tracing::warn!(%error, "cannot seed the demo mesh in its own process; seeding it here")
        }
        Err(error) => tracing::warn!(%error, "cannot seed the demo mesh in its own process; seeding it here"),
    }
}

/// Runs `meshport-desktop --seed-demo-platform DIR` (see [`SEED_DEMO`]): seeds the embedded
/// platform's demo mesh into `DIR` and returns the process's exit code, 0 when seeded. `None` for
/// any other command line, which opens the window.
pub fn seed_demo_command() -> Option<i32> {
    let mut args = std::env::args_os().skip(1);
    if args.next()? != SEED_DEMO {
        return None;
    }
    let Some(dir) = args.next() else {
        eprintln!("meshport-desktop: {SEED_DEMO} takes the embedded platform's folder");
        return Some(2);
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let dir = std::path::PathBuf::from(dir);
    match tauri::async_runtime::block_on(meshport_platform::embedded_seed(&dir)) {
        Ok(()) => Some(0),
        Err(error) => {
            tracing::error!(%error, dir = %dir.display(), "seeding the demo mesh failed");
            Some(1)
        }
    }
}

/// What the window works with at start: the profile in use, or the embedded demo platform.
fn target_at_start() -> Result<SessionTarget, String> {
    let active = Target::active().map_err(|e| e.to_string())?;
    Ok(match active.and_then(|t| t.profile) {
        Some(profile) => SessionTarget::Profile(profile),
        None => SessionTarget::Demo {
            user: DEMO_USER.to_owned(),
        },
    })
}

/// The background sync: at start, every [`SYNC_EVERY`] (every [`RETRY_EVERY`] while offline or while
/// the outbox waits on the platform), and whenever woken. Each round emits `sync-status` on every
/// change. A round dropped when the app quits leaves the cache before or after a page: each page is
/// its own transaction.
async fn sync_loop(app: tauri::AppHandle, generation: u64) {
    let state = app.state::<AppState>();
    let Ok(session) = state.session().await else {
        return;
    };
    loop {
        if state.generation.load(Ordering::SeqCst) != generation {
            tracing::info!(profile = session.profile(), "the window switched: this sync ends");
            return;
        }
        let status = session
            .sync_once(&state.store, |status| {
                let _ = app.emit("sync-status", status);
            })
            .await;
        notices_tell(&app, &session).await;
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

/// Tells the user, by a desktop notification each, of what the last sync brought (a new incident
/// in their domains, a decision on their access, a request to decide), and the window, by a
/// `notices` event, so its badges count them. The cache hands each notice out once.
async fn notices_tell(app: &tauri::AppHandle, session: &Session) {
    use tauri_plugin_notification::NotificationExt;
    let notices = match session.cache().notices_to_notify().await {
        Ok(notices) => notices,
        Err(error) => {
            tracing::warn!(%error, "the notices could not be read");
            return;
        }
    };
    if notices.is_empty() {
        return;
    }
    for notice in &notices {
        let shown = app
            .notification()
            .builder()
            .title(&notice.title)
            .body(&notice.body)
            .show();
        if let Err(error) = shown {
            tracing::info!(%error, kind = notice.kind, "no desktop notification");
        }
    }
    let _ = app.emit("notices", notices.len());
}

/// Starts the app on `builder`: opens the local store and the active profile's session, starts
/// the background sync, and registers the commands. The database is `$MESHPORT_DB` if set, else the
/// user's data folder.
pub fn run_app(builder: tauri::Builder<tauri::Wry>) {
    builder
        // When the webview began to load the page, for `cargo xtask bench-desktop` (which compares it
        // with the hello-world app's) and for diagnosis. The address is not logged.
        .on_page_load(|_, payload| {
            if payload.event() == tauri::webview::PageLoadEvent::Started {
                tracing::info!("page load started");
            }
        })
        // The wizard's file dialogs (import, export) and the desktop notification when a job ends.
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .setup(|app| {
            main_window(app)?;
            let db = match std::env::var_os("MESHPORT_DB") {
                Some(path) => path.into(),
                None => meshport_core::paths::default_db_path()?,
            };
            tracing::info!(db = %db.display(), "opening the local store");
            let store = tauri::async_runtime::block_on(meshport_core::local_store_open(&db))?;
            let data_dir = db.parent().map(std::path::Path::to_owned).unwrap_or_default();
            app.manage(AppState::new(store, data_dir));
            if let Some(view) = view_to_open(std::env::args().skip(1)) {
                open_view(app, &view);
            }
            let handle = app.handle().clone();
            // The platform and the cache open beside the window, not before it.
            tauri::async_runtime::spawn(async move {
                let state = handle.state::<AppState>();
                let opened = match target_at_start() {
                    Ok(target) => state.session_open(&target).await,
                    Err(error) => Err(error),
                };
                match opened {
                    Ok(session) => {
                        let generation = state.session_set(Ok(Arc::new(session)));
                        sync_loop(handle.clone(), generation).await;
                    }
                    Err(error) => {
                        tracing::error!(%error, "the active profile cannot be used");
                        state.session_set(Err(error.clone()));
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
            commands::incident_act,
            commands::incident_actions,
            commands::action_dismiss,
            commands::access_list,
            commands::access_request,
            commands::access_ask_dismiss,
            commands::access_decide,
            commands::port_rows,
            commands::profiles_list,
            commands::profile_sign_in,
            commands::profile_use,
            commands::profile_remove,
            commands::quality_history,
            commands::quality_home,
            commands::notice_counts,
            commands::notices_seen,
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
        assert_eq!(
            view_to_open(args(&["--open", "/products/p-1?tab=quality&days=90"])),
            Some("/products/p-1?tab=quality&days=90".into())
        );
        assert_eq!(view_to_open(args(&["--open", "/products/p?tab=<x>"])), None);
        assert_eq!(view_to_open(args(&["--open", "/p?a=b#c"])), None);
    }
}
