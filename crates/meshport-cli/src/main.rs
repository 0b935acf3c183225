//! `meshport`: the data mesh portal on the command line.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use meshport_model::product::ProductSummary;

#[derive(Debug, Parser)]
#[command(name = "meshport", version, about = "Meshport: a self-serve portal for data mesh platforms")]
struct Cli {
    /// The catalog database; defaults to the one the desktop app uses.
    #[arg(long, global = true, env = "MESHPORT_DB")]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Data products in the local catalog.
    Products {
        #[command(subcommand)]
        command: ProductsCommand,
    },
}

#[derive(Debug, Subcommand)]
enum ProductsCommand {
    /// List the data products in the catalog.
    List {
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ListFormat {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime always builds");
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("meshport: {error:#}");
            ExitCode::from(2)
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Products { command: ProductsCommand::List { format } } => {
            let db = match cli.db {
                Some(db) => db,
                None => meshport_core::paths::default_db_path()?,
            };
            let catalog = meshport_core::catalog_open(&db)
                .await
                .with_context(|| format!("opening the catalog {}", db.display()))?;
            let products = meshport_core::products_list(&catalog).await?;
            catalog.close().await;
            let mut out = std::io::stdout().lock();
            match format {
                ListFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&products)?)?,
                ListFormat::Text => write_table(&mut out, &products)?,
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn write_table(out: &mut impl Write, products: &[ProductSummary]) -> std::io::Result<()> {
    let rows: Vec<[&str; 5]> = products
        .iter()
        .map(|p| {
            [
                p.domain.as_deref().unwrap_or("-"),
                p.name.as_str(),
                p.version.as_deref().unwrap_or("-"),
                p.status.as_str(),
                p.id.as_str(),
            ]
        })
        .collect();
    let header = ["DOMAIN", "NAME", "VERSION", "STATUS", "ID"];
    let mut widths = header.map(str::len);
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    for row in std::iter::once(&header).chain(&rows) {
        let line: Vec<String> = row.iter().zip(widths).map(|(cell, w)| format!("{cell:<w$}")).collect();
        writeln!(out, "{}", line.join("  ").trim_end())?;
    }
    writeln!(out, "{} data products", products.len())
}
