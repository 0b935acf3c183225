//! A session with one profile's platform, as a long-running shell (the desktop app) holds it: the
//! offline cache, the sync's status, the policies synced from the platform, and one step of the
//! background work (sync the catalog, then deliver the outbox).

use std::path::Path;
use std::sync::{Arc, Mutex, RwLock};

use meshport_catalog::Catalog;
use meshport_catalog::cache::Cache;
use meshport_client::Client;
use meshport_governance::PolicySet;
use meshport_model::offline::{SyncPhase, SyncStatus};

use crate::{Result, outbox, sync, validate};

/// One profile's platform, its cache and what the background sync last did.
#[derive(Debug)]
pub struct Session {
    profile: String,
    client: Client,
    cache: Cache,
    status: Mutex<SyncStatus>,
    policies: RwLock<Arc<PolicySet>>,
    /// What applies before the platform's packs are synced (the demo packs for the demo platform).
    fallback: Arc<PolicySet>,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Session {
    /// Opens the profile's cache at `cache_path` (creating it) and reads the status it was left in.
    pub async fn open(
        profile: &str,
        client: Client,
        cache_path: &Path,
        fallback: PolicySet,
    ) -> Result<Session> {
        let cache = Cache::open(cache_path).await?;
        let state = cache.state().await?;
        let status = SyncStatus {
            phase: SyncPhase::Idle,
            profile: profile.to_owned(),
            platform: client.base_url().to_owned(),
            last_success_at: state.last_success_at,
            pages: 0,
            changes: 0,
            products: cache.products_count().await?,
            message: None,
        };
        let session = Session {
            profile: profile.to_owned(),
            client,
            cache,
            status: Mutex::new(status),
            policies: RwLock::new(Arc::new(PolicySet::new(Vec::new())?)),
            fallback: Arc::new(fallback),
        };
        session.policies_reload().await;
        Ok(session)
    }

    pub fn profile(&self) -> &str {
        &self.profile
    }

    pub fn cache(&self) -> &Cache {
        &self.cache
    }

    pub fn status(&self) -> SyncStatus {
        lock(&self.status).clone()
    }

    /// The policies a submit is checked with: the platform's synced packs, else the fallback.
    pub fn policies(&self) -> Arc<PolicySet> {
        self.policies
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    async fn policies_reload(&self) {
        let set = match validate::packs_synced(&self.cache).await {
            Ok(packs) if packs.is_empty() => self.fallback.clone(),
            Ok(packs) => match PolicySet::new(packs) {
                Ok(set) => Arc::new(set),
                Err(error) => {
                    tracing::warn!(%error, "the synced policy packs do not compile; keeping the last ones");
                    return;
                }
            },
            Err(error) => {
                tracing::warn!(%error, "the synced policy packs cannot be read; keeping the last ones");
                return;
            }
        };
        *self
            .policies
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = set;
    }

    fn update(&self, on_status: &impl Fn(&SyncStatus), change: impl FnOnce(&mut SyncStatus)) {
        let status = {
            let mut status = lock(&self.status);
            change(&mut status);
            status.clone()
        };
        on_status(&status);
    }

    /// One round of background work: syncs the catalog (reporting every page), then sends the
    /// outbox. `on_status` hears every change of the status. Never fails: failures are the status.
    pub async fn sync_once(&self, catalog: &Catalog, on_status: impl Fn(&SyncStatus)) -> SyncStatus {
        self.update(&on_status, |s| {
            s.phase = SyncPhase::Syncing;
            s.pages = 0;
            s.changes = 0;
            s.message = None;
        });
        let report = sync::catalog_sync(&self.client, &self.cache, |progress| {
            self.update(&on_status, |s| {
                s.pages = progress.pages as u64;
                s.changes = progress.changes as u64;
            });
        })
        .await;
        match report {
            Ok(report) => {
                self.policies_reload().await;
                self.update(&on_status, |s| {
                    s.phase = SyncPhase::Idle;
                    s.last_success_at = Some(report.finished_at.clone());
                    s.products = report.products;
                });
            }
            Err(error) => {
                let offline = error.code() == "offline";
                tracing::info!(%error, offline, "sync did not finish");
                self.update(&on_status, |s| {
                    s.phase = if offline {
                        SyncPhase::Offline
                    } else {
                        SyncPhase::Failed
                    };
                    s.message = Some(error.to_string());
                });
                return self.status();
            }
        }
        match outbox::outbox_flush(catalog, &self.profile, &self.client).await {
            Ok(flushed) if flushed.offline => self.update(&on_status, |s| {
                s.phase = SyncPhase::Offline;
                s.message = Some("the platform stopped answering while the outbox was sent".into());
            }),
            Ok(flushed) => {
                if flushed.delivered + flushed.refused > 0 {
                    // Let the window re-read the outbox.
                    self.update(&on_status, |_| {});
                }
            }
            Err(error) => tracing::warn!(%error, "the outbox could not be sent"),
        }
        self.status()
    }

    /// Whether the outbox of this profile still waits on the platform: something queued, or a
    /// delivered job that has not finished.
    pub async fn outbox_pending(&self, catalog: &Catalog) -> bool {
        catalog
            .outbox_list(Some(&self.profile))
            .await
            .map(|items| {
                items.iter().any(|i| {
                    i.state == meshport_model::offline::OutboxState::Queued
                        || (i.state == meshport_model::offline::OutboxState::Delivered
                            && !i
                                .job_state
                                .as_deref()
                                .is_some_and(|s| matches!(s, "succeeded" | "failed" | "cancelled")))
                })
            })
            .unwrap_or(false)
    }
}
