//! The platform's own database, SQLite or PostgreSQL behind one pool (sqlx's `Any` driver), with one
//! set of migrations written in the SQL both understand. The few statements that differ (row locks
//! for claiming jobs) ask [`Store::backend`].

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyPool, Row, Transaction};

/// A write transaction on the store.
pub type Tx = Transaction<'static, Any>;

/// Which database the platform runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("unsupported database URL `{0}`: use sqlite://PATH or postgres://USER@HOST:PORT/DATABASE")]
    Url(String),
    #[error("cannot create the folder of the SQLite database {path}: {source}")]
    Folder { path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    Sql(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// The platform's database.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    /// Where writes go. On SQLite a pool of one connection: SQLite has one writer at a time, and
    /// writers of this process that wait for it wait in this pool's queue, in order, rather than in
    /// SQLite's busy handler, which sleeps (1, 2, 5, 10 … 100 ms) and leaves the CPU idle while the
    /// lock is already free. On PostgreSQL the same pool as reads.
    writer: AnyPool,
    backend: Backend,
    url: String,
}

/// How many connections read a SQLite platform database at once by default, besides its writer:
/// the readers of 50 concurrent clients' requests.
pub const SQLITE_READERS: u32 = 8;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

impl Store {
    /// Connects to `url` (`sqlite://PATH`, created when missing, or `postgres://…`). Does not migrate.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        Store::connect_with(url, SQLITE_READERS).await
    }

    /// [`Store::connect`] with `readers` connections that read a SQLite database at once, besides
    /// its writer.
    pub async fn connect_with(url: &str, readers: u32) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let (backend, url) = if let Some(path) = url.strip_prefix("sqlite://") {
            let path = Path::new(path.split('?').next().unwrap_or(path));
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(|source| StoreError::Folder {
                    path: parent.to_owned(),
                    source,
                })?;
            }
            let url = if url.contains('?') {
                url.to_owned()
            } else {
                format!("{url}?mode=rwc")
            };
            (Backend::Sqlite, url)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Backend::Postgres, url.to_owned())
        } else {
            return Err(StoreError::Url(url.to_owned()));
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let (pool, writer) = match backend {
            Backend::Sqlite => {
                let pool = sqlite_pool(readers.max(1)).connect_with(options.clone()).await?;
                let writer = sqlite_pool(1).connect_with(options).await?;
                (pool, writer)
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(options)
                    .await?;
                (pool.clone(), pool)
            }
        };
        Ok(Store {
            pool,
            writer,
            backend,
            url,
        })
    }

    /// Connects and brings the schema up to date.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        Store::open_with(url, SQLITE_READERS).await
    }

    /// [`Store::open`] with `readers` connections that read a SQLite database at once.
    pub async fn open_with(url: &str, readers: u32) -> Result<Store, StoreError> {
        let store = Store::connect_with(url, readers).await?;
        store.migrate().await?;
        Ok(store)
    }

    pub async fn migrate(&self) -> Result<(), StoreError> {
        MIGRATOR.run(&self.pool).await?;
        Ok(())
    }

    /// What is wrong with the PostgreSQL role the platform connects as, from least privilege's point
    /// of view: a superuser (contract SQL runs in a sandbox, but a superuser platform is one bug away
    /// from the whole cluster), or the owner of databases other than the platform's. Empty on SQLite
    /// and for a least-privilege role (see the README).
    pub async fn role_warnings(&self) -> Result<Vec<String>, sqlx::Error> {
        if self.backend != Backend::Postgres {
            return Ok(Vec::new());
        }
        let row = sqlx::query(
            "SELECT CAST(current_user AS TEXT) AS who, CAST(r.rolsuper AS INTEGER) AS superuser, \
             COALESCE((SELECT string_agg(CAST(d.datname AS TEXT), ', ' ORDER BY d.datname) FROM pg_database d \
                       WHERE d.datdba = r.oid AND d.datname <> current_database()), '') AS owned \
             FROM pg_roles r WHERE r.rolname = current_user",
        )
        .fetch_one(&self.pool)
        .await?;
        let who: String = row.try_get("who")?;
        let mut warnings = Vec::new();
        if row.try_get::<i32, _>("superuser")? == 1 {
            warnings.push(format!(
                "the platform connects to PostgreSQL as `{who}`, a superuser; give it a role of its own that owns \
                 only the platform's database (CREATEROLE, no SUPERUSER), as the README shows"
            ));
        }
        let owned: String = row.try_get("owned")?;
        if !owned.is_empty() {
            warnings.push(format!(
                "the platform's PostgreSQL role `{who}` also owns the database(s) {owned}; give the platform a role \
                 that owns only its own database"
            ));
        }
        Ok(warnings)
    }

    /// The pool to read with. A statement that writes outside a transaction goes to
    /// [`Store::writer`]; a transaction that writes begins with [`Store::write`].
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The pool to write with, for a single statement that writes outside a transaction.
    pub fn writer(&self) -> &AnyPool {
        &self.writer
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The URL the store was opened with.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The SQLite database file, for a SQLite store.
    pub fn sqlite_path(&self) -> Option<PathBuf> {
        let rest = self.url.strip_prefix("sqlite://")?;
        Some(PathBuf::from(rest.split('?').next().unwrap_or(rest)))
    }

    /// A transaction that will write. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`),
    /// so two writers queue on the busy timeout instead of one failing when it upgrades a read lock.
    pub async fn write(&self) -> Result<Transaction<'static, Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.writer.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.writer.begin().await,
        }
    }

    pub async fn close(&self) {
        self.pool.close().await;
        self.writer.close().await;
    }
}

/// A pool of `size` connections to a SQLite database.
///
/// WAL lets reads go on during a write, and the busy timeout makes a writer of another process
/// wait instead of failing. `synchronous = NORMAL` in WAL mode syncs at checkpoints, not at every
/// commit: a committed transaction survives the process being killed (it is in the WAL, in the OS's
/// cache), and a power loss may take back the last transactions but never corrupts the database.
/// A new database gets 16 KiB pages (the pragma does nothing to an existing one): a product's
/// document, often several KiB, fits a page rather than a chain of 4 KiB overflow pages, and an import
/// of 100,000 big products took 31–36 s instead of 40–46 s; larger pages made each submit write more
/// (32 KiB: 850–910 submits a second against 1,040–1,090; 64 KiB: 680).
/// Connections are not pinged before each use: they are in this process, so a ping only tests that
/// sqlx's worker thread is alive, and costs a round trip to it per statement.
fn sqlite_pool(size: u32) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(size)
        .test_before_acquire(false)
        .after_connect(|conn, _| {
            Box::pin(async move {
                use sqlx::Executor;
                conn.execute(
                    "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                     PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;",
                )
                .await?;
                Ok(())
            })
        })
}

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

/// RFC 3339 text of a time in Unix milliseconds, UTC.
pub fn rfc3339(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.to_string())
        .unwrap_or_default()
}
