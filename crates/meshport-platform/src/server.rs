//! A platform running in this process: its router served on a listener, its job runners and its
//! upkeep loops, and the platform the desktop app embeds.
//!
//! Layer: the top; wires `http` and the services together.

use std::time::Duration;

use tokio::sync::watch;

use crate::services::{access, auth, catalog, jobs, lineage, quality};
use crate::state::{AppState, Config};
use crate::store::{self, Store, StoreError};
use crate::{demo, http};

impl AppState {
    /// Opens the store (migrating it) for `config`, warns about a PostgreSQL role with more rights
    /// than it needs, and brings the lineage index up to date.
    pub async fn open(config: Config) -> Result<AppState, StoreError> {
        let store = Store::open_with(&config.database, config.sqlite_readers).await?;
        for warning in store.role_warnings().await? {
            tracing::warn!("{warning}");
        }
        lineage::backfill(&store).await?;
        Ok(AppState::new(store, config))
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
        let router = http::app(state.clone());
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

    /// A fresh token of the demo user `user` (one of [`demo::USERS`]), for a platform serving the
    /// demo mesh: the desktop app keeps it in memory to act as that user.
    pub async fn demo_token(&self, user: &str) -> Result<String, String> {
        if !demo::USERS.iter().any(|(name, _)| *name == user) {
            let users: Vec<&str> = demo::USERS.iter().map(|(name, _)| *name).collect();
            return Err(format!(
                "`{user}` is not a demo user; the demo mesh has {}",
                users.join(", ")
            ));
        }
        auth::token_create(self.state.store(), user)
            .await
            .map_err(|e| format!("cannot make a token for {user}: {e}"))
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
            .execute(state.store().writer())
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
/// (which the app keeps in memory only). The demo mesh is seeded here unless [`embedded_seed`]
/// already did it.
pub async fn embedded_start(dir: &std::path::Path, user: &str) -> Result<(Platform, String), String> {
    let platform = embedded_serve(dir).await?;
    let state = &platform.state;
    demo::demo_seed(state).await?;
    let token = auth::token_create(state.store(), user)
        .await
        .map_err(|e| format!("cannot make a token for {user}: {e}"))?;
    Ok((platform, token))
}

/// Seeds the demo mesh into the embedded platform's database in `dir`, then stops: the desktop app
/// runs this in a process of its own at its first launch, so that the seed's work (two products
/// provisioned, 5,000 rows generated into each of their tables, their quality measured) leaves
/// nothing behind in the app's process, which runs for hours after it.
pub async fn embedded_seed(dir: &std::path::Path) -> Result<(), String> {
    let platform = embedded_serve(dir).await?;
    let seeded = demo::demo_seed(&platform.state).await;
    platform.shutdown().await;
    seeded
}

/// Whether the demo mesh in `dir` is seeded; false when there is no database there yet.
pub async fn embedded_seeded(dir: &std::path::Path) -> bool {
    let path = dir.join("platform.db");
    if !path.exists() {
        return false;
    }
    let Ok(store) = Store::connect_with(&format!("sqlite://{}", path.display()), 1).await else {
        return false;
    };
    let seeded = demo::demo_seeded(&store).await.unwrap_or(false);
    store.close().await;
    seeded
}

/// The embedded platform in `dir`, served on a free loopback port with its runners.
async fn embedded_serve(dir: &std::path::Path) -> Result<Platform, String> {
    let database = format!("sqlite://{}", dir.join("platform.db").display());
    let mut config = Config::new(&database);
    config.workers = 2;
    // One user's demo mesh: two readers are enough, and each of the six more that the seed and the
    // first sync would open keeps its own page cache and prepared statements.
    config.sqlite_readers = 2;
    let state = AppState::open(config).await.map_err(|e| e.to_string())?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| format!("cannot listen on loopback: {e}"))?;
    Platform::serve(state, listener).map_err(|e| e.to_string())
}
