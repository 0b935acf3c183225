//! What the platform runs with: its [`Config`], the [`Clock`] its deadlines are judged by, and the
//! [`AppState`] every service, handler and runner shares (the store, the adapters, the compiled
//! policy cache).
//!
//! Layer: above `store`, `error` and `adapters`; below the services.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use meshport_governance::PolicySet;
use tokio::sync::{Mutex, Notify};

use crate::adapters::registry::Adapters;
use crate::adapters::sql::{SqlAdapter, SqlTarget};
use crate::store::{self, Backend, Store};

/// How long one sandboxed query may run by default: a quality check on a large table, an SLO
/// measure or a page of rows.
pub const QUERY_TIMEOUT: Duration = Duration::from_secs(120);

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
    /// How many connections (PostgreSQL) or threads (SQLite) one port's quality run uses at once.
    pub quality_connections: usize,
    /// How many connections may read a SQLite database at once, besides its one writer (each holds
    /// its own page cache and prepared statements). PostgreSQL platforms use one pool of 16.
    pub sqlite_readers: u32,
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
            query_timeout: QUERY_TIMEOUT,
            quality_connections: 2,
            sqlite_readers: store::SQLITE_READERS,
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
pub struct AppState(pub(crate) Arc<Inner>);

#[derive(Debug)]
pub(crate) struct Inner {
    store: Store,
    config: Config,
    adapters: Adapters,
    instance: String,
    wake: Notify,
    /// The compiled policy set and the packs generation it was built from.
    pub(crate) policies: Mutex<Option<(String, Arc<PolicySet>)>>,
}

impl AppState {
    /// The state of a platform on `store` (opened and migrated) with `config`. `server`'s
    /// [`AppState::open`] is the usual way in: it also brings the lineage index up to date.
    pub fn new(store: Store, config: Config) -> AppState {
        let target = match store.backend() {
            Backend::Sqlite => SqlTarget::SqliteFiles(config.ports_dir.clone()),
            Backend::Postgres => SqlTarget::Postgres {
                url: config.database.clone(),
            },
        };
        AppState(Arc::new(Inner {
            store,
            adapters: Adapters::new(target),
            instance: format!("{}-{}", std::process::id(), uuid::Uuid::new_v4().simple()),
            wake: Notify::new(),
            policies: Mutex::new(None),
            config,
        }))
    }

    pub fn store(&self) -> &Store {
        &self.0.store
    }

    pub fn config(&self) -> &Config {
        &self.0.config
    }

    /// The SQL adapter, which also reads ports for quality checks, SLO measures and rows.
    pub fn adapter(&self) -> &SqlAdapter {
        self.0.adapters.sql()
    }

    /// Every adapter, to choose one by port type or by name.
    pub fn adapters(&self) -> &Adapters {
        &self.0.adapters
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

    pub(crate) async fn woken(&self) {
        self.0.wake.notified().await;
    }
}
