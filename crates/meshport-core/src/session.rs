//! A session with one profile's platform, as a long-running shell (the desktop app) holds it: the
//! offline cache, the sync's status, the policies synced from the platform, and one step of the
//! background work (sync the catalog, then deliver the outbox).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use meshport_catalog::LocalStore;
use meshport_catalog::cache::Cache;
use meshport_client::Client;
use meshport_governance::PolicySet;
use meshport_model::offline::{OutboxItem, SyncPhase, SyncStatus};
use meshport_model::platform::UserRoles;

use meshport_client::Secret;
use meshport_governance::policy::PolicyPack;

use crate::profile::{DEMO_PROFILE, Profile, Profiles};
use crate::{Error, Result, access, actions, outbox, paths, profile, sync, validate};

/// The platform a command works against: a profile's (the named one, or the one in use), or a bare
/// URL with its token in an environment variable (scripts and CI).
#[derive(Debug, Clone)]
pub struct Target {
    pub url: String,
    /// `None` for a bare URL.
    pub profile: Option<Profile>,
}

impl Target {
    /// `profile` if named, else `platform` (a URL) if given, else the profile in use.
    pub fn resolve(profile: Option<&str>, platform: Option<&str>) -> Result<Target> {
        if profile.is_none()
            && let Some(url) = platform
        {
            return Ok(Target {
                url: url.to_owned(),
                profile: None,
            });
        }
        let profiles = Profiles::load(&profile::profiles_path()?)?;
        let chosen = profiles.resolve(profile).map_err(|e| {
            Error::Profile(format!(
                "{e} (or pass --platform URL with the token in $MESHPORT_TOKEN)"
            ))
        })?;
        Ok(Target {
            url: chosen.url.clone(),
            profile: Some(chosen.clone()),
        })
    }

    /// The profile in use, if any (`None`: the desktop app runs its embedded demo platform).
    pub fn active() -> Result<Option<Target>> {
        let profiles = Profiles::load(&profile::profiles_path()?)?;
        Ok(profiles
            .active
            .as_deref()
            .and_then(|name| profiles.get(name))
            .map(|p| Target {
                url: p.url.clone(),
                profile: Some(p.clone()),
            }))
    }

    /// The profile's name, if the target is a profile.
    pub fn profile_name(&self) -> Option<&str> {
        self.profile.as_ref().map(|p| p.name.as_str())
    }

    /// The target's offline cache: the profile's, else the URL's.
    pub fn cache_path(&self) -> Result<PathBuf> {
        match &self.profile {
            Some(profile) => paths::profile_cache_path(&profile.name),
            None => paths::cache_path(&self.url),
        }
    }

    /// A client of the target: a profile's token from the OS keyring, or a bare URL's from the
    /// environment variable `token_env`.
    pub fn client(&self, token_env: &str) -> Result<Client> {
        if let Some(profile) = &self.profile {
            return profile::client(profile);
        }
        let token = match std::env::var(token_env) {
            Ok(token) if !token.trim().is_empty() => Secret::new(token.trim()),
            Ok(_) => {
                return Err(Error::Invalid(format!(
                    "the environment variable {token_env}, which should hold the platform token, is empty"
                )));
            }
            Err(std::env::VarError::NotPresent) => {
                return Err(Error::Invalid(format!(
                    "the environment variable {token_env} is not set: it must hold the platform token \
                     (or name another variable with --token-env)"
                )));
            }
            Err(std::env::VarError::NotUnicode(_)) => {
                return Err(Error::Invalid(format!(
                    "the environment variable {token_env} holds no valid platform token (not UTF-8)"
                )));
            }
        };
        Ok(Client::new(&self.url, token)?)
    }

    /// Where the token comes from, for messages.
    pub fn token_source(&self, token_env: &str) -> String {
        match &self.profile {
            Some(profile) => format!(
                "the keyring entry of the profile `{}` (`meshport login --profile {}` replaces it)",
                profile.name, profile.name
            ),
            None => format!("{token_env} (or name another variable with --token-env)"),
        }
    }

    /// The policy packs synced into the target's cache; none before its first sync.
    pub async fn packs_synced(&self) -> Result<Vec<PolicyPack>> {
        let path = self.cache_path()?;
        if !path.exists() {
            return Ok(Vec::new());
        }
        validate::packs_synced(&Cache::open(&path).await?).await
    }
}

/// The profile name of the embedded demo platform's user `user`: `demo` for the desktop app's
/// default user (`default_user`), `demo-<user>` for the others.
pub fn demo_profile(user: &str, default_user: &str) -> String {
    if user == default_user {
        DEMO_PROFILE.to_owned()
    } else {
        format!("{DEMO_PROFILE}-{user}")
    }
}

/// One profile's platform, its cache and what the background sync last did.
#[derive(Debug)]
pub struct Session {
    profile: String,
    client: Client,
    cache: Cache,
    status: Mutex<SyncStatus>,
    policies: RwLock<Arc<PolicySet>>,
    /// The synced packs' documents `policies` was compiled from: a sync that brings the same packs
    /// keeps the compiled set (and the rules its engines compiled at their first documents).
    policies_from: Mutex<Option<Vec<serde_json::Value>>>,
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
            policies_from: Mutex::new(None),
            fallback: Arc::new(fallback),
        };
        session.policies_reload().await;
        Ok(session)
    }

    /// The session of a profile: its platform with the token from the OS keyring, its cache, and
    /// its synced packs (none apply before the first sync).
    pub async fn open_profile(profile: &Profile) -> Result<Session> {
        let client = profile::client(profile)?;
        let cache = paths::profile_cache_path(&profile.name)?;
        Session::open(&profile.name, client, &cache, PolicySet::new(Vec::new())?).await
    }

    /// The session of the embedded demo platform at `url`, whose token lives in memory only; the
    /// demo mesh's packs apply until the platform's are synced.
    pub async fn open_demo(url: &str, token: Secret) -> Result<Session> {
        Session::open_demo_as(url, token, DEMO_PROFILE).await
    }

    /// [`Session::open_demo`] under the profile name `profile` ([`demo_profile`] of a demo user), so
    /// that each demo user has a cache and an outbox of their own.
    pub async fn open_demo_as(url: &str, token: Secret, profile: &str) -> Result<Session> {
        let client = Client::new(url, token)?;
        let cache = paths::profile_cache_path(profile)?;
        Session::open(profile, client, &cache, validate::policies_demo()?).await
    }

    pub fn profile(&self) -> &str {
        &self.profile
    }

    /// The client of the profile's platform.
    pub fn client(&self) -> &Client {
        &self.client
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

    /// Compiles the synced policy packs, unless they are the ones already compiled.
    async fn policies_reload(&self) {
        let documents = match validate::pack_documents_synced(&self.cache).await {
            Ok(documents) => documents,
            Err(error) => {
                tracing::warn!(%error, "the synced policy packs cannot be read; keeping the last ones");
                return;
            }
        };
        if lock(&self.policies_from).as_ref() == Some(&documents) {
            return;
        }
        let set = if documents.is_empty() {
            self.fallback.clone()
        } else {
            match validate::packs_of(&documents).and_then(|packs| Ok(PolicySet::new(packs)?)) {
                Ok(set) => Arc::new(set),
                Err(error) => {
                    tracing::warn!(%error, "the synced policy packs do not compile; keeping the last ones");
                    return;
                }
            }
        };
        *self
            .policies
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = set;
        *lock(&self.policies_from) = Some(documents);
    }

    fn update(&self, on_status: &impl Fn(&SyncStatus), change: impl FnOnce(&mut SyncStatus)) {
        let status = {
            let mut status = lock(&self.status);
            change(&mut status);
            status.clone()
        };
        on_status(&status);
    }

    /// One round of background work: delivers the queued actions on incidents and access requests,
    /// syncs the catalog
    /// (reporting every page; what the actions changed comes with it) and fills the quality history
    /// it lacks, then sends the outbox.
    /// `on_status` hears every change of the status. Never fails: failures are the status.
    pub async fn sync_once(&self, store: &LocalStore, on_status: impl Fn(&SyncStatus)) -> SyncStatus {
        self.update(&on_status, |s| {
            s.phase = SyncPhase::Syncing;
            s.pages = 0;
            s.changes = 0;
            s.message = None;
        });
        match actions::actions_flush(store, &self.profile, &self.client).await {
            Ok(flushed) if flushed.delivered + flushed.conflicts + flushed.refused > 0 => {
                tracing::info!(?flushed, "actions on incidents answered");
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "the queued actions could not be sent"),
        }
        match access::access_flush(store, &self.profile, &self.client).await {
            Ok(flushed) if flushed.delivered + flushed.refused > 0 => {
                tracing::info!(?flushed, "queued access requests answered");
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "the queued access requests could not be sent"),
        }
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
                match sync::quality_backfill(&self.client, &self.cache, sync::BACKFILL_PER_ROUND).await {
                    Ok(0) => {}
                    Ok(filled) => tracing::info!(filled, "quality history filled"),
                    Err(error) => tracing::info!(%error, "the quality history waits for the next round"),
                }
                if let Err(error) = self.user_roles_refresh().await {
                    tracing::warn!(%error, "the platform did not say which roles the user holds");
                }
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
        match outbox::outbox_flush(store, &self.profile, &self.client).await {
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

    /// Reads the user's roles from the platform and keeps them in the cache.
    async fn user_roles_refresh(&self) -> Result<UserRoles> {
        let roles = self.client.me().await?;
        self.cache.user_roles_set(&roles).await?;
        Ok(roles)
    }

    /// The domains the profile's user may own products in (`*`: every domain), as the platform
    /// answered when last asked (every sync round asks again); asked now if it never was. Empty when
    /// it never answered (offline since the profile was added).
    pub async fn owned_domains(&self) -> Vec<String> {
        match self.cache.user_roles().await {
            Ok(Some(roles)) => return roles.owned_domains(),
            Ok(None) => {}
            Err(error) => tracing::warn!(%error, "the cached roles cannot be read; asking the platform"),
        }
        match self.user_roles_refresh().await {
            Ok(roles) => roles.owned_domains(),
            Err(error) => {
                tracing::info!(%error, "the user's roles are not known yet");
                Vec::new()
            }
        }
    }

    /// Whether the outbox of this profile still waits on the platform: a submission or an action
    /// queued, or a delivered job that has not finished.
    pub async fn outbox_pending(&self, store: &LocalStore) -> bool {
        let submissions = store
            .outbox_list(Some(&self.profile))
            .await
            .map(|items| items.iter().any(OutboxItem::is_waiting))
            .unwrap_or(false);
        submissions
            || store
                .actions_queued(&self.profile)
                .await
                .is_ok_and(|actions| !actions.is_empty())
    }
}
