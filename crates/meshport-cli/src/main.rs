//! `meshport`: the data mesh portal on the command line.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use meshport_core::document::Format;
use meshport_model::Severity;

mod catalog;
mod diff;
mod local;
mod platform;
mod render;
mod standards;
mod trust;

#[derive(Debug, Parser)]
#[command(
    name = "meshport",
    version,
    about = "Meshport: a self-serve portal for data mesh platforms"
)]
struct Cli {
    /// The local store (drafts and the outbox), a SQLite file; defaults to the one the desktop app uses.
    #[arg(long, global = true, env = "MESHPORT_DB")]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate ODPS products, ODCS contracts and provisioning requests (YAML or JSON; folders are
    /// searched recursively) against their standard's schema and semantic rules, and against the
    /// policy packs you opted into. Other YAML or JSON documents (Kubernetes manifests, compose files)
    /// are checked by the policies alone, as conftest checks them.
    ///
    /// Policies applied: the policy packs synced from the profile in use (`meshport catalog sync`),
    /// the project's `.meshport/policies` folder (looked up from the working directory upwards) and
    /// every `--policies`. Exits 0 when no finding is an error, 1 when any is,
    /// 2 on a usage or read error.
    Validate {
        /// A policy folder (a Meshport pack with pack.yaml, a folder of packs, or a conftest folder of
        /// .rego files), or the name of a pack set Meshport ships (`meshport policy list`); repeatable.
        #[arg(
            long = "policies",
            visible_alias = "policy",
            short = 'p',
            value_name = "DIR|SET"
        )]
        policies: Vec<String>,
        /// Apply neither the profile's synced packs nor the project's `.meshport/policies` folder.
        #[arg(long)]
        no_default_policies: bool,
        /// Evaluate this package of conftest folders (default `main`); repeatable, as conftest's.
        #[arg(long = "namespace", short = 'n', value_name = "NAME")]
        namespaces: Vec<String>,
        /// Evaluate every package of conftest folders, as conftest's `--all-namespaces`.
        #[arg(long, conflicts_with = "namespaces")]
        all_namespaces: bool,
        /// A YAML or JSON file (or folder of them) merged under `data`, as conftest's `--data`;
        /// repeatable.
        #[arg(long = "data", short = 'd', value_name = "PATH")]
        data: Vec<PathBuf>,
        /// Set the severity of every finding of a rule: a standard's rule (`semver`, `schema-version`,
        /// `unknown-reference`, ...; see `meshport validate --rules`) or a policy's (`pack/rule`).
        /// LEVEL is error, warning or info; repeatable; applied after the packs' own settings.
        #[arg(long = "severity", value_name = "RULE=LEVEL", value_parser = meshport_core::standards::severity_parse)]
        severities: Vec<(String, Severity)>,
        /// List the standard's rules with their default severities, and exit.
        #[arg(long, exclusive = true)]
        rules: bool,
        #[arg(long, short = 'o', value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
        #[arg(required_unless_present = "rules", value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Rewrite ODCS v3.0.x contracts as v3.1.0 where the standard defines the change (`apiVersion`,
    /// `team` as a list → the team object, library `rule` → `metric`, boolean exclusive bounds, an
    /// SLA's `unity` → `unit`), keeping comments and key order. Prints a diff unless --write. Refuses,
    /// naming the field, what it cannot map, and leaves that file unchanged. Exits 0 when every file
    /// was upgraded or had nothing to upgrade, 1 when one was refused, 2 on a usage or read error.
    Upgrade(standards::UpgradeArgs),
    /// Print a document as the model reads and writes it, in YAML or JSON.
    Convert {
        path: PathBuf,
        #[arg(long, value_enum)]
        to: ConvertFormat,
    },
    /// Policy packs.
    Policy {
        #[command(subcommand)]
        command: PolicyCommand,
    },
    /// Submit a provisioning request (YAML or JSON) to the platform. Exits 0 when it is accepted
    /// (with --follow: when its job succeeded), 1 when the platform refused it with findings (or
    /// the followed job failed or was cancelled), 2 on a usage, read, token or network error.
    Submit(platform::SubmitArgs),
    /// Provisioning requests on the platform: status, cancel, retry.
    Request {
        #[command(subcommand)]
        command: platform::RequestCommand,
    },
    /// Ask the platform to destroy a data product's output ports and remove it from its catalog.
    Unprovision(platform::UnprovisionArgs),
    /// A product's quality on the platform: run its checks, show results, trends and SLOs.
    Quality {
        #[command(subcommand)]
        command: trust::QualityCommand,
    },
    /// Quality incidents on the platform: list, show, acknowledge, assign, comment, resolve.
    Incidents {
        #[command(subcommand)]
        command: trust::IncidentsCommand,
    },
    /// Access to output ports: request, approve, reject, revoke, list, and read granted rows.
    Access {
        #[command(subcommand)]
        command: trust::AccessCommand,
    },
    /// A product's lineage on the platform: what it reads upstream, what reads it downstream, and
    /// who consumes each port.
    Lineage(trust::LineageArgs),
    /// Compare two versions of a data product (ODPS) or a data contract (ODCS): each change, whether it
    /// breaks consumers (a port, table or column removed, a type narrowed, a column made required, an
    /// allowed value removed, the primary key changed), and the downstream products and grants it
    /// reaches (from the offline cache). Exits 0 when nothing breaks or the major version went up, 1
    /// when something breaks and it did not, 2 on a usage or read error.
    Diff(diff::DiffArgs),
    /// The platform's catalog offline: sync it into a local cache, search it without a network.
    Catalog {
        #[command(subcommand)]
        command: catalog::CatalogCommand,
    },
    /// Platform profiles: name, URL and user, with each token in the OS keyring.
    Profile {
        #[command(subcommand)]
        command: local::ProfileCommand,
    },
    /// Store a profile's token in the OS keyring, read from standard input or a prompt (never an
    /// argument), after checking it with the platform.
    Login(local::LoginArgs),
    /// Drafts: products being written, kept on this machine (the desktop form saves them as you type).
    Draft {
        #[command(subcommand)]
        command: local::DraftCommand,
    },
    /// The outbox: submissions waiting for the platform, and what became of them.
    Outbox {
        #[command(subcommand)]
        command: local::OutboxCommand,
    },
}

#[derive(Debug, Subcommand)]
enum PolicyCommand {
    /// Run the Rego unit tests (`test_` rules in `_test.rego` files), as `opa test` does.
    Test {
        /// A pack folder, a folder of packs, or a conftest folder of .rego files.
        dir: PathBuf,
        /// A YAML or JSON file (or folder of them) merged under `data`, as `conftest verify --data`;
        /// repeatable.
        #[arg(long = "data", short = 'd', value_name = "PATH")]
        data: Vec<PathBuf>,
    },
    /// List the pack sets Meshport ships, by the name `validate --policies` takes.
    List,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ReportFormat {
    Text,
    Json,
    Sarif,
    /// JUnit XML: a test suite per document, a test case per rule.
    Junit,
    /// GitHub Actions workflow commands (`::error file=…,line=…,col=…::`).
    Github,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ConvertFormat {
    Yaml,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    logging_init();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime always builds");
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        // The reader of the output went away (`meshport catalog search x | head`): done, quietly.
        Err(error) if broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("meshport: {}", error_chain(&error));
            ExitCode::from(2)
        }
    }
}

/// Logs on stderr, filtered by `MESHPORT_LOG` (e.g. `meshport_client=debug` for every request with
/// its id): warnings alone by default, such as the client's retries.
fn logging_init() {
    use std::io::IsTerminal;
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("MESHPORT_LOG").unwrap_or_else(|_| EnvFilter::new("warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .without_time()
        .init();
}

/// The error and its causes, each said once: library errors already quote their cause.
/// Whether `error` is a write to a pipe whose reader has closed it.
fn broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn error_chain(error: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in error.chain() {
        let text = cause.to_string();
        if !out.contains(&text) {
            if !out.is_empty() {
                out.push_str(": ");
            }
            out.push_str(&text);
        }
    }
    out
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Validate {
            policies,
            no_default_policies,
            namespaces,
            all_namespaces,
            data,
            severities,
            rules,
            format,
            paths,
        } => {
            if rules {
                standards::rules_print(&mut std::io::stdout().lock())?;
                return Ok(ExitCode::SUCCESS);
            }
            let options = meshport_core::validate::PolicyOptions {
                sources: policies,
                project: !no_default_policies,
                namespaces,
                all_namespaces,
                data,
                synced: if no_default_policies {
                    Vec::new()
                } else {
                    local::active_synced_packs().await
                },
            };
            let cwd = std::env::current_dir().context("reading the working directory")?;
            let set = meshport_core::validate::policies_load(&options, &cwd)?;
            let mut docs = meshport_core::validate::documents_validate(&paths, &set)?;
            meshport_core::validate::severities_apply(&mut docs, &severities);
            let mut out = std::io::stdout().lock();
            match format {
                ReportFormat::Text => render::text(&mut out, &docs, &set)?,
                ReportFormat::Json => render::json(&mut out, &docs)?,
                ReportFormat::Sarif => render::sarif(&mut out, &docs)?,
                ReportFormat::Junit => render::junit(&mut out, &docs)?,
                ReportFormat::Github => render::github(&mut out, &docs)?,
            }
            Ok(if docs.iter().all(|d| d.report.valid) {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Convert { path, to } => {
            let to = match to {
                ConvertFormat::Yaml => Format::Yaml,
                ConvertFormat::Json => Format::Json,
            };
            match meshport_core::validate::document_convert(&path, to) {
                Ok(text) => {
                    std::io::stdout().lock().write_all(text.as_bytes())?;
                    Ok(ExitCode::SUCCESS)
                }
                Err(error @ meshport_core::Error::Document { .. }) => {
                    eprintln!("meshport: {error}");
                    Ok(ExitCode::from(1))
                }
                Err(error) => Err(error.into()),
            }
        }
        Command::Policy {
            command: PolicyCommand::Test { dir, data },
        } => {
            let packs = meshport_core::validate::packs_read(&dir)?;
            let data = meshport_core::validate::data_load(&data)?;
            let mut out = std::io::stdout().lock();
            let (mut passed, mut failed) = (0, 0);
            for pack in &packs {
                writeln!(out, "pack {} ({})", pack.label(), pack.scope)?;
                for outcome in meshport_core::policy::pack_test_with_data(pack, &data)? {
                    let status = if outcome.passed { "PASS" } else { "FAIL" };
                    writeln!(out, "  {status} data.{}.{}", outcome.package, outcome.name)?;
                    for line in outcome.error.as_deref().unwrap_or_default().trim().lines() {
                        writeln!(out, "       {line}")?;
                    }
                    if outcome.passed { passed += 1 } else { failed += 1 }
                }
            }
            writeln!(out, "{passed} passed, {failed} failed")?;
            Ok(if failed == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Policy {
            command: PolicyCommand::List,
        } => {
            let mut out = std::io::stdout().lock();
            for (name, what) in meshport_core::packs::SETS {
                writeln!(out, "{name:<8} {what}")?;
                if let Some(packs) = meshport_core::packs::set(name) {
                    for pack in packs {
                        writeln!(out, "         {} ({})", pack.label(), pack.scope)?;
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Upgrade(args) => standards::upgrade(args),
        Command::Submit(args) => platform::submit(args).await,
        Command::Request { command } => platform::request(command).await,
        Command::Unprovision(args) => platform::unprovision(args).await,
        Command::Quality { command } => trust::quality(command).await,
        Command::Incidents { command } => trust::incidents(command).await,
        Command::Access { command } => trust::access(command).await,
        Command::Lineage(args) => trust::lineage(args).await,
        Command::Catalog { command } => catalog::catalog(command).await,
        Command::Diff(args) => diff::diff(args, cli.db.as_deref()).await,
        Command::Profile { command } => local::profile_command(command).await,
        Command::Login(args) => local::login(args).await,
        Command::Draft { command } => local::draft(command, cli.db.as_deref()).await,
        Command::Outbox { command } => local::outbox_command(command, cli.db.as_deref()).await,
    }
}
