//! `meshport-platform`: serve the reference platform, migrate its database, import products, and make
//! tokens.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use meshport_platform::auth::{Grant, TokenError, token_create, user_upsert};
use meshport_platform::store::Store;
use meshport_platform::{AppState, Config, Platform, catalog, default_database, demo};
use serde_json::Value;

#[derive(Debug, Parser)]
#[command(
    name = "meshport-platform",
    version,
    about = "The Meshport reference data mesh platform"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the platform's API and run its provisioning jobs.
    Serve {
        /// The address to listen on, e.g. 127.0.0.1:8080 (port 0: any free port).
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
        /// `sqlite://PATH` (default: platform.db in the platform's data folder) or `postgres://…`.
        #[arg(long, env = "MESHPORT_PLATFORM_DATABASE")]
        database: Option<String>,
        /// Seed the retail demo mesh (once) and print a token per demo user.
        #[arg(long)]
        demo: bool,
        /// Where SQLite output ports are built (default: `ports/` beside a SQLite database).
        #[arg(long)]
        ports_dir: Option<PathBuf>,
        /// Job runners in this process.
        #[arg(long, default_value_t = 4)]
        workers: usize,
        /// How long a claim on a job lasts without renewal, in milliseconds.
        #[arg(long, default_value_t = 10_000)]
        lease_ms: u64,
        /// Fault injection for crash tests: a pause before every job step, in milliseconds.
        #[arg(long, default_value_t = 0, hide = true)]
        step_delay_ms: u64,
    },
    /// Create or update the database's tables, then exit.
    Migrate {
        #[arg(long, env = "MESHPORT_PLATFORM_DATABASE")]
        database: Option<String>,
    },
    /// Import ODPS products (YAML documents or JSON Lines) into the catalog, a transaction per batch.
    Import {
        /// A `.yaml`/`.yml` file of ODPS documents, or a `.jsonl` file of one product per line.
        file: PathBuf,
        #[arg(long, env = "MESHPORT_PLATFORM_DATABASE")]
        database: Option<String>,
        /// Products per transaction. Products with random ids (UUIDs) land all over the indexes, and
        /// each commit writes every index page it touched: larger batches touch each page once for
        /// more products.
        #[arg(long, default_value_t = 10_000)]
        batch: usize,
    },
    /// Make tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Manage users and their roles.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
}

#[derive(Debug, Subcommand)]
enum TokenCommand {
    /// Print a new token for a user, and nothing else, on standard output.
    Create {
        #[arg(long)]
        user: String,
        #[arg(long, env = "MESHPORT_PLATFORM_DATABASE")]
        database: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Create a user, or add roles to one: `--role owner:orders --role consumer:*`.
    Add {
        name: String,
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        #[arg(long, env = "MESHPORT_PLATFORM_DATABASE")]
        database: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "meshport_platform=info,warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("meshport-platform: cannot start: {error}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(run(cli.command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("meshport-platform: {error:#}");
            ExitCode::from(2)
        }
    }
}

async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Serve {
            addr,
            database,
            demo: with_demo,
            ports_dir,
            workers,
            lease_ms,
            step_delay_ms,
        } => {
            let database = database.unwrap_or_else(default_database);
            let mut config = Config::new(&database);
            if let Some(dir) = ports_dir {
                config.ports_dir = dir;
            }
            config.workers = workers;
            config.lease = Duration::from_millis(lease_ms.max(300));
            config.step_delay = Duration::from_millis(step_delay_ms);
            let state = AppState::open(config).await?;
            let listener = tokio::net::TcpListener::bind(&addr)
                .await
                .map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))?;
            let platform = Platform::serve(state.clone(), listener)?;
            let mut out = std::io::stdout();
            if with_demo {
                demo::demo_seed(&state)
                    .await
                    .map_err(|e| anyhow::anyhow!("seeding the demo mesh: {e}"))?;
            }
            writeln!(out, "listening on {}", platform.url())?;
            if with_demo {
                // For the demo only: a token per demo user, tab-separated for scripts.
                for (user, roles) in demo::USERS {
                    let token = token_create(state.store(), user).await?;
                    writeln!(out, "token\t{user}\t{token}\t{}", roles.join(","))?;
                }
            }
            out.flush()?;
            tracing::info!(database = %state.store().backend().as_str(), "serving");
            shutdown_signal().await;
            tracing::info!("stopping: finishing the steps in progress");
            platform.shutdown().await;
            Ok(())
        }
        Command::Migrate { database } => {
            Store::open(&database.unwrap_or_else(default_database)).await?;
            Ok(())
        }
        Command::Import {
            file,
            database,
            batch,
        } => {
            let store = Store::open(&database.unwrap_or_else(default_database)).await?;
            let text =
                std::fs::read_to_string(&file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            let products = import_read(&file, &text)?;
            import_check(&products)?;
            let started = std::time::Instant::now();
            let imported = catalog::products_import(&store, &products, batch.max(1)).await?;
            eprintln!(
                "imported {imported} product(s) in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Token {
            command: TokenCommand::Create { user, database },
        } => {
            let store = Store::open(&database.unwrap_or_else(default_database)).await?;
            match token_create(&store, &user).await {
                Ok(token) => {
                    println!("{token}");
                    Ok(())
                }
                Err(error @ TokenError::NoUser(_)) => Err(error.into()),
                Err(error) => Err(error.into()),
            }
        }
        Command::User {
            command:
                UserCommand::Add {
                    name,
                    roles,
                    database,
                },
        } => {
            let store = Store::open(&database.unwrap_or_else(default_database)).await?;
            let mut grants = Vec::new();
            for role in &roles {
                grants.push(Grant::parse(role).ok_or_else(|| {
                    anyhow::anyhow!("--role {role}: use ROLE or ROLE:DOMAIN with ROLE one of owner, steward, consumer, admin")
                })?);
            }
            user_upsert(&store, &name, &grants).await?;
            Ok(())
        }
    }
}

/// Reads the products of an import file, naming the line of one that is not JSON.
fn import_read(file: &std::path::Path, text: &str) -> anyhow::Result<Vec<Value>> {
    let is_lines = file.extension().is_some_and(|e| e == "jsonl" || e == "ndjson");
    if is_lines {
        let mut products = Vec::new();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let value: Value = serde_json::from_str(line)
                .map_err(|e| anyhow::anyhow!("{}:{}: not a JSON document: {e}", file.display(), n + 1))?;
            products.push(value);
        }
        Ok(products)
    } else {
        let docs = meshport_governance::document::parse(text)
            .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
        Ok(docs
            .into_iter()
            .flat_map(|d| match d.value {
                Value::Array(items) => items,
                other => vec![other],
            })
            .collect())
    }
}

/// Refuses an import with a product the standard refuses, naming it and its first error. The
/// products are checked on every core: the checks are most of an import's work outside the database.
fn import_check(products: &[Value]) -> anyhow::Result<()> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let part = products.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let checks: Vec<_> = products
            .chunks(part)
            .enumerate()
            .map(|(n, chunk)| scope.spawn(move || import_check_part(chunk, n * part)))
            .collect();
        // Each part stops at its first error, so the first part with one holds the file's first.
        for check in checks {
            check
                .join()
                .unwrap_or_else(|_| Err(anyhow::anyhow!("checking the products panicked")))?;
        }
        Ok(())
    })
}

/// [`import_check`] of `products`, the first of which is the file's document `offset + 1`.
fn import_check_part(products: &[Value], offset: usize) -> anyhow::Result<()> {
    let policies = meshport_governance::PolicySet::new(Vec::new())?;
    let context = meshport_governance::Context {
        contract_ids: None,
        complete: false,
    };
    for (n, product) in products.iter().enumerate() {
        let n = offset + n + 1;
        let validated = meshport_governance::document_validate(product, &policies, &context);
        if validated.kind != Some(meshport_governance::DocumentKind::DataProduct) {
            anyhow::bail!("document {n}: not an ODPS data product (`kind: DataProduct`)");
        }
        if let Some(error) = validated.findings.iter().find(|f| f.is_error()) {
            anyhow::bail!(
                "document {n} ({}): {} at {}: {}; {}",
                product.get("id").and_then(Value::as_str).unwrap_or("no id"),
                error.rule,
                error.path,
                error.message,
                error.hint
            );
        }
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(term) => term,
            Err(_) => {
                let _ = ctrl_c.await;
                return;
            }
        };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}
