//! `meshport profile|login|draft|outbox`: the platforms a user works with (tokens in the OS keyring),
//! and the work kept on this machine: drafts, and the outbox that delivers submissions when the
//! platform is reachable.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use meshport_core::LocalStore;
use meshport_core::Secret;
use meshport_core::outbox;
use meshport_core::profile::{self, Profile, Profiles};
use meshport_model::offline::{OutboxItem, OutboxState};
use meshport_model::platform::JobState;

use crate::platform::{OutputFormat, PlatformArgs, Target, print_json, target};

#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// Add a platform profile (the first one added is the one in use). Its token is set with
    /// `meshport login`.
    Add {
        name: String,
        /// The platform's base URL, e.g. https://mesh.example.com.
        #[arg(long, value_name = "URL")]
        url: String,
        /// Who you are on that platform.
        #[arg(long, value_name = "USER")]
        user: String,
        /// Make it the profile in use.
        #[arg(long = "use")]
        activate: bool,
    },
    /// List the profiles, the one in use, and whether the keyring holds each one's token.
    List {
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// Use this profile from now on (the CLI and the desktop app).
    Use { name: String },
    /// Remove a profile and its token from the keyring.
    Remove { name: String },
}

#[derive(Debug, Args)]
pub struct LoginArgs {
    /// The profile whose token to set; by default the one in use.
    #[arg(long, env = "MESHPORT_PROFILE", value_name = "NAME")]
    profile: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum DraftCommand {
    /// The drafts, most recently saved first.
    List {
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// A draft's document, as JSON.
    Show { id: String },
    /// Save a product file as a draft (a new one, or `--id` to replace one).
    Save {
        file: PathBuf,
        #[arg(long, value_name = "ID")]
        id: Option<String>,
    },
    /// Delete a draft.
    Rm { id: String },
    /// Check a draft with the profile's policies and queue it in the outbox, then try to send it.
    Submit {
        id: String,
        #[command(flatten)]
        platform: PlatformArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum OutboxCommand {
    /// Submissions, newest first: queued, delivered (with their job's state) or refused.
    List {
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// Send what is queued for the profile, and read the state of delivered jobs. Exits 0 when
    /// nothing is left queued, 1 when the platform refused a submission (or, with --follow, a job
    /// failed), 2 when the platform cannot be reached.
    Flush {
        /// Wait until every delivered job has finished.
        #[arg(long)]
        follow: bool,
        #[command(flatten)]
        platform: PlatformArgs,
    },
}

fn profiles() -> anyhow::Result<(PathBuf, Profiles)> {
    let path = profile::profiles_path()?;
    let profiles = Profiles::load(&path)?;
    Ok((path, profiles))
}

/// `meshport profile …`.
pub async fn profile_command(command: ProfileCommand) -> anyhow::Result<ExitCode> {
    let (path, mut profiles) = profiles()?;
    let mut out = std::io::stdout().lock();
    match command {
        ProfileCommand::Add {
            name,
            url,
            user,
            activate,
        } => {
            profiles.add(Profile {
                name: name.clone(),
                url,
                user,
            })?;
            if activate {
                profiles.activate(&name)?;
            }
            profiles.save(&path)?;
            let added = profiles.get(&name).expect("just added");
            writeln!(out, "added the profile {name} ({} as {})", added.url, added.user)?;
            if profiles.active.as_deref() == Some(name.as_str()) {
                writeln!(out, "it is the profile in use")?;
            }
            writeln!(
                out,
                "next: meshport login --profile {name}  (the token is read from standard input)"
            )?;
        }
        ProfileCommand::List { format } => {
            let mut rows = Vec::new();
            for p in &profiles.profiles {
                let token = match profile::token_present(p) {
                    Ok(true) => "in keyring",
                    Ok(false) => "none",
                    Err(_) => "keyring unavailable",
                };
                let active = profiles.active.as_deref() == Some(p.name.as_str());
                rows.push((p, active, token));
            }
            if format == OutputFormat::Json {
                let list: Vec<_> = rows
                    .iter()
                    .map(|(p, active, token)| {
                        serde_json::json!({"name": p.name, "url": p.url, "user": p.user, "active": active, "token": token})
                    })
                    .collect();
                drop(out);
                print_json(&list)?;
                return Ok(ExitCode::SUCCESS);
            }
            if rows.is_empty() {
                writeln!(
                    out,
                    "no profiles: add one with `meshport profile add NAME --url URL --user USER`"
                )?;
            }
            for (p, active, token) in rows {
                writeln!(
                    out,
                    "{} {:<12} {:<32} {:<12} token: {token}",
                    if active { "*" } else { " " },
                    p.name,
                    p.url,
                    p.user
                )?;
            }
        }
        ProfileCommand::Use { name } => {
            profiles.activate(&name)?;
            profiles.save(&path)?;
            writeln!(out, "using the profile {name}")?;
        }
        ProfileCommand::Remove { name } => {
            let removed = profiles.remove(&name)?;
            profile::token_delete(&removed)?;
            profiles.save(&path)?;
            writeln!(out, "removed the profile {name} and its token")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads the token: from standard input when it is not a terminal, else from a prompt that does not
/// echo. Never from the command line.
fn token_read(profile: &Profile) -> anyhow::Result<Secret> {
    let token = if std::io::stdin().is_terminal() {
        rpassword::prompt_password(format!(
            "token for {} on {} (not echoed): ",
            profile.user, profile.url
        ))
        .context("reading the token from the terminal")?
    } else {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("reading the token from standard input")?;
        text
    };
    let token = token.trim();
    if token.is_empty() {
        bail!("no token was given: pipe it in (`meshport login < token-file`) or type it at the prompt");
    }
    Ok(Secret::new(token))
}

/// `meshport login`: checks the token against the platform, then stores it in the OS keyring.
pub async fn login(args: LoginArgs) -> anyhow::Result<ExitCode> {
    let (_, profiles) = profiles()?;
    let profile = profiles.resolve(args.profile.as_deref())?.clone();
    let token = token_read(&profile)?;
    let client = meshport_core::client::Client::new(&profile.url, token.clone())?;
    match client.changes_list(0, Some(1)).await {
        Ok(_) => {}
        Err(error) if error.is_unreachable() => {
            eprintln!(
                "meshport: {} cannot be reached, so the token is stored unchecked: {error}",
                profile.url
            );
        }
        Err(error) if error.status() == Some(401) => bail!(
            "{} refused this token (401): nothing was stored; get a new token for {} and try again",
            profile.url,
            profile.user
        ),
        Err(error) => bail!("{} answered: {error}; nothing was stored", profile.url),
    }
    profile::token_store(&profile, &token)?;
    println!(
        "stored the token of {} on {} in the OS keyring (profile {})",
        profile.user, profile.url, profile.name
    );
    Ok(ExitCode::SUCCESS)
}

async fn local_store(db: Option<&Path>) -> anyhow::Result<LocalStore> {
    let db = match db {
        Some(db) => db.to_owned(),
        None => meshport_core::paths::default_db_path()?,
    };
    meshport_core::local_store_open(&db)
        .await
        .with_context(|| format!("opening the local store {}", db.display()))
}

fn outbox_print(out: &mut impl Write, items: &[OutboxItem]) -> std::io::Result<()> {
    if items.is_empty() {
        return writeln!(out, "the outbox is empty");
    }
    for item in items {
        let state = match item.state {
            OutboxState::Queued => "queued",
            OutboxState::Delivered => "delivered",
            OutboxState::Refused => "refused",
        };
        write!(
            out,
            "{}  {:<9} {}  ({}, {} attempt(s), submitted {})",
            item.id, state, item.name, item.profile, item.attempts, item.submitted_at
        )?;
        if let Some(job) = &item.job_id {
            write!(
                out,
                "  job {job}: {}",
                item.job_state.map_or("?", JobState::as_str)
            )?;
        }
        writeln!(out)?;
        if let Some(error) = &item.last_error {
            writeln!(out, "    {error}")?;
        }
    }
    Ok(())
}

/// `meshport draft …`.
pub async fn draft(command: DraftCommand, db: Option<&Path>) -> anyhow::Result<ExitCode> {
    let store = local_store(db).await?;
    let mut out = std::io::stdout().lock();
    match command {
        DraftCommand::List { format } => {
            let drafts = outbox::drafts_list(&store).await?;
            if format == OutputFormat::Json {
                drop(out);
                print_json(&drafts)?;
            } else if drafts.is_empty() {
                writeln!(out, "no drafts")?;
            } else {
                for d in drafts {
                    let name = if d.name.is_empty() { "(untitled)" } else { &d.name };
                    writeln!(out, "{}  {name}  saved {}", d.id, d.updated_at)?;
                }
            }
        }
        DraftCommand::Show { id } => {
            let draft = outbox::draft_get(&store, &id).await?;
            writeln!(out, "{}", serde_json::to_string_pretty(&draft.document)?)?;
        }
        DraftCommand::Save { file, id } => {
            let document = meshport_core::validate::data_load(std::slice::from_ref(&file))?
                .into_iter()
                .next()
                .with_context(|| format!("{} holds no document", file.display()))?;
            let saved = outbox::draft_save(&store, id.as_deref(), &document, None).await?;
            writeln!(out, "saved the draft {} ({})", saved.id, saved.name)?;
        }
        DraftCommand::Rm { id } => {
            outbox::draft_remove(&store, &id).await?;
            writeln!(out, "removed the draft {id}")?;
        }
        DraftCommand::Submit { id, platform } => {
            drop(out);
            return draft_submit(&store, &id, &platform).await;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The profile name a submission is filed under, and the synced packs of its cache.
async fn submission_target(platform: &PlatformArgs) -> anyhow::Result<(String, meshport_core::PolicySet)> {
    let target = target(platform)?;
    let name = match &target.profile {
        Some(p) => p.name.clone(),
        None => bail!(
            "the outbox sends through a profile: add one with `meshport profile add NAME --url {} --user USER`",
            target.url
        ),
    };
    let packs = target.packs_synced().await?;
    if packs.is_empty() {
        eprintln!(
            "meshport: no policy packs synced for the profile {name} (run `meshport catalog sync`): \
             only the standard's checks apply here; the platform applies its packs when it receives the request"
        );
    }
    Ok((name, meshport_core::PolicySet::new(packs)?))
}

async fn draft_submit(store: &LocalStore, id: &str, platform: &PlatformArgs) -> anyhow::Result<ExitCode> {
    let draft = outbox::draft_get(store, id).await?;
    let (profile_name, policies) = submission_target(platform).await?;
    let outcome = outbox::product_submit(store, &policies, &profile_name, Some(id), &draft.document).await?;
    let Some(item) = outcome.outbox else {
        eprintln!("meshport: the draft {id} was not queued:");
        for f in &outcome.findings {
            eprintln!(
                "  {} {} {}: {} ({})",
                f.severity.as_str(),
                f.rule,
                f.path,
                f.message,
                f.hint
            );
        }
        return Ok(ExitCode::from(1));
    };
    println!(
        "queued {} in the outbox as {} (idempotency key {})",
        item.name, item.id, item.idempotency_key
    );
    let flushed = flush_once(store, &profile_name, platform).await?;
    let item = store.outbox_get(&item.id).await?.unwrap_or(item);
    outbox_print(&mut std::io::stdout().lock(), std::slice::from_ref(&item))?;
    if flushed.offline {
        println!("the platform cannot be reached: `meshport outbox flush` sends it when it can");
    }
    Ok(ExitCode::SUCCESS)
}

async fn flush_once(
    store: &LocalStore,
    profile_name: &str,
    platform: &PlatformArgs,
) -> anyhow::Result<outbox::Flushed> {
    let client = crate::platform::connect(platform)?;
    Ok(outbox::outbox_flush(store, profile_name, &client).await?)
}

/// `meshport outbox …`.
pub async fn outbox_command(command: OutboxCommand, db: Option<&Path>) -> anyhow::Result<ExitCode> {
    let store = local_store(db).await?;
    match command {
        OutboxCommand::List { format } => {
            let items = outbox::outbox_list(&store, None).await?;
            if format == OutputFormat::Json {
                print_json(&items)?;
            } else {
                outbox_print(&mut std::io::stdout().lock(), &items)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        OutboxCommand::Flush { follow, platform } => {
            let target = target(&platform)?;
            let Some(profile_name) = target.profile.as_ref().map(|p| p.name.clone()) else {
                bail!(
                    "the outbox sends through a profile: pass --profile NAME or `meshport profile use NAME`"
                );
            };
            let deadline = Instant::now() + Duration::from_secs(600);
            let mut refused = 0;
            loop {
                let flushed = flush_once(&store, &profile_name, &platform).await?;
                refused += flushed.refused;
                let items = outbox::outbox_list(&store, Some(&profile_name)).await?;
                let running = items
                    .iter()
                    .any(|i| i.state == OutboxState::Delivered && i.is_waiting());
                if flushed.offline || !follow || !running || Instant::now() > deadline {
                    let mut out = std::io::stdout().lock();
                    outbox_print(&mut out, &items)?;
                    if flushed.offline {
                        eprintln!(
                            "meshport: {} cannot be reached: what is queued stays queued",
                            target.url
                        );
                        return Ok(ExitCode::from(2));
                    }
                    let failed = refused > 0 || (follow && items.iter().any(OutboxItem::job_failed));
                    return Ok(if failed {
                        ExitCode::from(1)
                    } else {
                        ExitCode::SUCCESS
                    });
                }
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        }
    }
}

/// The policy packs synced from the profile in use, which `meshport validate` applies by default so
/// that offline checks are the platform's. None without a profile or a synced cache.
pub async fn active_synced_packs() -> Vec<meshport_core::policy::PolicyPack> {
    let packs = async {
        match Target::active()? {
            Some(target) => target.packs_synced().await,
            None => Ok(Vec::new()),
        }
    };
    packs.await.unwrap_or_else(|error| {
        eprintln!("meshport: the synced policy packs of the profile in use cannot be read: {error}");
        Vec::new()
    })
}
