//! The reference data mesh platform Meshport talks to: a self-serve API over a catalog of ODPS
//! products and ODCS contracts, provisioning as durable jobs, a SQL adapter that builds output ports
//! for real, a change feed, published policy packs, roles per domain and an audit log. It runs on
//! SQLite (embedded in the desktop app, or alone) or on PostgreSQL (several processes as one
//! platform).
//!
//! [`app`] is the router; [`jobs::runner_spawn`] the job runner; [`Platform`] holds both for a binary
//! or a test. Only this crate knows the platform's SQL; only `meshport-client` its HTTP paths.

pub mod access;
pub mod adapter;
pub mod api;
pub mod auth;
pub mod catalog;
pub mod demo;
pub mod incidents;
pub mod jobs;
pub mod lineage;
pub mod packs;
pub mod problem;
pub mod quality;
pub mod sandbox;
pub mod store;
mod trust_api;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use meshport_governance::PolicySet;
use tokio::sync::{Mutex, Notify, watch};

use crate::adapter::{SqlAdapter, SqlTarget};
use crate::problem::ApiError;
use crate::store::{Backend, Store, StoreError};

pub use api::{app, openapi};

/// How a platform runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// `sqlite://PATH` or `postgres://…`.
    pub database: String,
    /// Where the SQL adapter puts a SQLite file per port (SQLite platforms).
    pub ports_dir: PathBuf,
    /// How long a runner's claim on a job lasts without renewal: after a crash, the job resumes once
    /// it has run out.
    pub lease: Duration,
    /// Job runners in this process.
    pub workers: usize,
    /// A pause before each job step: fault injection for crash tests, zero otherwise.
    pub step_delay: Duration,
    /// How long the change feed keeps changes; older cursors get 410.
    pub change_retention: Duration,
    /// How often a quality check without a cron schedule of its own runs.
    pub quality_interval: Duration,
    /// How often the platform looks for due checks, expired access grants and revocations to retry.
    pub trust_tick: Duration,
    /// How long one sandboxed query (a quality check, an SLO measure, a page of rows) may run.
    pub query_timeout: Duration,
    /// The time a grant's end date is judged by.
    pub clock: Clock,
}

impl Config {
    /// The defaults for a database: SQLite port files beside a SQLite database.
    pub fn new(database: &str) -> Config {
        let ports_dir = database
            .strip_prefix("sqlite://")
            .map(|p| PathBuf::from(p.split('?').next().unwrap_or(p)))
            .and_then(|p| p.parent().map(|d| d.join("ports")))
            .unwrap_or_else(|| default_dir().join("ports"));
        Config {
            database: database.to_owned(),
            ports_dir,
            lease: Duration::from_secs(10),
            workers: 4,
            step_delay: Duration::ZERO,
            change_retention: Duration::from_secs(30 * 24 * 3600),
            quality_interval: Duration::from_secs(24 * 3600),
            trust_tick: Duration::from_secs(30),
            query_timeout: quality::QUERY_TIMEOUT,
            clock: Clock::System,
        }
    }
}

/// The time the platform's deadlines are judged by (whether a grant's end date has passed): the
/// system's, or a manual one that stands still until its holder advances it, so that a test sees an
/// end date pass without waiting for it. Set only where the platform is built, never over HTTP.
#[derive(Debug, Clone, Default)]
pub enum Clock {
    #[default]
    System,
    /// Unix milliseconds, shared with whoever advances it.
    Manual(Arc<AtomicI64>),
}

impl Clock {
    /// A manual clock standing at `ms` (Unix milliseconds).
    pub fn manual(ms: i64) -> Clock {
        Clock::Manual(Arc::new(AtomicI64::new(ms)))
    }

    /// Milliseconds since the Unix epoch, by this clock.
    pub fn now_ms(&self) -> i64 {
        match self {
            Clock::System => store::now_ms(),
            Clock::Manual(ms) => ms.load(Ordering::SeqCst),
        }
    }

    /// Moves a manual clock forward; the system clock moves by itself, so it is left alone.
    pub fn advance(&self, by: Duration) {
        if let Clock::Manual(ms) = self {
            ms.fetch_add(
                i64::try_from(by.as_millis()).unwrap_or(i64::MAX),
                Ordering::SeqCst,
            );
        }
    }
}

/// The platform's data folder: `$XDG_DATA_HOME/meshport-platform` (on Linux).
pub fn default_dir() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("meshport-platform")
}

/// The default database: a SQLite file in the data folder.
pub fn default_database() -> String {
    format!("sqlite://{}", default_dir().join("platform.db").display())
}

/// What every handler and runner shares.
#[derive(Debug, Clone)]
pub struct AppState(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    store: Store,
    config: Config,
    adapter: SqlAdapter,
    instance: String,
    wake: Notify,
    /// The compiled policy set and the packs generation it was built from.
    policies: Mutex<Option<(String, Arc<PolicySet>)>>,
}

impl AppState {
    /// Opens the store (migrating it) for `config`.
    pub async fn open(config: Config) -> Result<AppState, StoreError> {
        let store = Store::open(&config.database).await?;
        for warning in store.role_warnings().await? {
            tracing::warn!("{warning}");
        }
        lineage::backfill(&store).await?;
        let target = match store.backend() {
            Backend::Sqlite => SqlTarget::SqliteFiles(config.ports_dir.clone()),
            Backend::Postgres => SqlTarget::Postgres {
                url: config.database.clone(),
            },
        };
        Ok(AppState(Arc::new(Inner {
            store,
            adapter: SqlAdapter::new(target),
            instance: format!("{}-{}", std::process::id(), uuid::Uuid::new_v4().simple()),
            wake: Notify::new(),
            policies: Mutex::new(None),
            config,
        })))
    }

    pub fn store(&self) -> &Store {
        &self.0.store
    }

    pub fn config(&self) -> &Config {
        &self.0.config
    }

    pub fn adapter(&self) -> &SqlAdapter {
        &self.0.adapter
    }

    /// The clock a grant's end date is judged by.
    pub fn clock(&self) -> &Clock {
        &self.0.config.clock
    }

    /// This process's id among the platform's runners.
    pub fn instance(&self) -> &str {
        &self.0.instance
    }

    /// Wakes a runner: a job was queued.
    pub fn wake(&self) {
        self.0.wake.notify_one();
    }

    async fn woken(&self) {
        self.0.wake.notified().await;
    }

    /// The platform's published packs, compiled, with their generation (which changes at every
    /// publication, by any process); rebuilt when it changed.
    pub async fn policies(&self) -> Result<(String, Arc<PolicySet>), ApiError> {
        let generation = catalog::packs_generation(self.store()).await?;
        let mut cached = self.0.policies.lock().await;
        if let Some((built, set)) = cached.as_ref()
            && *built == generation
        {
            return Ok((generation, set.clone()));
        }
        let packs = catalog::packs_current(self.store()).await?;
        let set = Arc::new(jobs::policy_set(&packs).map_err(ApiError::internal)?);
        *cached = Some((generation.clone(), set.clone()));
        Ok((generation, set))
    }
}

/// A platform running in this process: its router served on a listener and its job runners.
#[derive(Debug)]
pub struct Platform {
    pub state: AppState,
    pub addr: std::net::SocketAddr,
    stop: watch::Sender<bool>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Platform {
    /// Serves `state` on `listener` and starts its runners and upkeep.
    pub fn serve(state: AppState, listener: tokio::net::TcpListener) -> std::io::Result<Platform> {
        let addr = listener.local_addr()?;
        let (stop, stopped) = watch::channel(false);
        let mut tasks = jobs::runner_spawn(state.clone(), state.config().workers, stopped.clone());
        tasks.push(tokio::spawn(upkeep(state.clone(), stopped.clone())));
        tasks.push(tokio::spawn(trust_upkeep(state.clone(), stopped.clone())));
        let router = app(state.clone());
        let mut shutdown = stopped;
        tasks.push(tokio::spawn(async move {
            let served = axum::serve(listener, router)
                .with_graceful_shutdown(async move {
                    let _ = shutdown.wait_for(|stop| *stop).await;
                })
                .await;
            if let Err(error) = served {
                tracing::error!(%error, "the platform's server stopped");
            }
        }));
        Ok(Platform {
            state,
            addr,
            stop,
            tasks,
        })
    }

    /// The base URL, e.g. `http://127.0.0.1:8080`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops serving and running jobs, waiting for work in progress to reach a step boundary.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
        self.state.store().close().await;
    }
}

/// Periodic upkeep: purges changes past retention and idempotency keys past theirs.
async fn upkeep(state: AppState, mut stop: watch::Receiver<bool>) {
    loop {
        let now = store::now_ms();
        let retention = state.config().change_retention.as_millis() as i64;
        if let Err(error) = catalog::changes_purge(state.store(), now - retention).await {
            tracing::warn!(%error, "purging old changes failed");
        }
        let purged = sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1")
            .bind(now - jobs::KEY_RETENTION_MS)
            .execute(state.store().pool())
            .await;
        if let Err(error) = purged {
            tracing::warn!(%error, "purging old idempotency keys failed");
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(600)) => {}
            _ = stop.wait_for(|stop| *stop) => return,
        }
    }
}

/// The trust loop: retries the revocations that failed, expires access grants whose end date passed
/// and runs the quality checks that are due, every `trust_tick`.
async fn trust_upkeep(state: AppState, mut stop: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(state.config().trust_tick) => {}
            _ = stop.wait_for(|stop| *stop) => return,
        }
        if let Err(error) = access::revocations_retry(&state).await {
            tracing::error!(%error, "retrying failed revocations failed");
        }
        if let Err(error) = access::expire(&state).await {
            tracing::warn!(%error, "expiring access grants failed");
        }
        if let Err(error) = quality::schedule_tick(&state).await {
            tracing::warn!(%error, "the quality schedule failed");
        }
    }
}

/// The platform the desktop app embeds as its default ("demo") platform: the demo mesh on a SQLite
/// database in `dir`, served on a free loopback port, with a fresh token of the demo user `user`
/// (which the app keeps in memory only).
pub async fn embedded_start(dir: &std::path::Path, user: &str) -> Result<(Platform, String), String> {
    let database = format!("sqlite://{}", dir.join("platform.db").display());
    let mut config = Config::new(&database);
    config.workers = 2;
    let state = AppState::open(config).await.map_err(|e| e.to_string())?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| format!("cannot listen on loopback: {e}"))?;
    let platform = Platform::serve(state.clone(), listener).map_err(|e| e.to_string())?;
    demo::demo_seed(&state).await?;
    let token = auth::token_create(state.store(), user)
        .await
        .map_err(|e| format!("cannot make a token for {user}: {e}"))?;
    Ok((platform, token))
}
