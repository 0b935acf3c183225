//! The commands of trust and access: `quality run|show`, `incidents …`, `access …`, `lineage`.
//!
//! Exit codes: 0 when the platform did what was asked; 1 when `quality run` found a check that
//! failed or could not be measured (warnings alone are 0); 2 for usage errors and for everything the
//! platform refused or could not be asked (no token, no answer, 401/403/404/409/422): the problem's
//! title, detail and, for a transition the state machine does not allow, the current state are
//! printed on stderr with the fix. `--format json` prints the platform's JSON on stdout (the
//! problem's, when refused).

use std::io::Write;
use std::process::ExitCode;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Subcommand};
use meshport_core::client::{AccessQuery, Error, IncidentQuery, RowsQuery};
use meshport_model::platform::Page;
use meshport_model::trust::{
    AccessRequest, AccessState, CheckStatus, Incident, IncidentState, LineageGraph, LineageNode,
    NotExecutable, PortRows, QualityHistory, QualityReport, QualityResult, QualityRun, SloStatus,
};
use serde_json::Value;

use crate::platform::{OutputFormat, PlatformArgs, connect, print_json};

/// Items per page asked for when a list command reads every page.
const PAGE: u32 = 500;
/// Points of each check's trend `quality show` draws.
const TREND: usize = 14;

#[derive(Debug, Subcommand)]
pub enum QualityCommand {
    /// Run a product's quality checks on its data now (stewards and owners of its domain) and print
    /// each result. Exits 1 when a check failed or could not be measured, 0 otherwise (warnings
    /// included), 2 when the platform refused.
    Run {
        /// The data product's id.
        product: String,
        #[command(flatten)]
        platform: PlatformArgs,
    },
    /// Show a product's quality: the latest result of each check with its trend, the SLOs, and the
    /// rules the platform does not run.
    Show {
        /// The data product's id.
        product: String,
        /// Days of history to draw the trends from (the platform's default: 365).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=3660))]
        days: Option<u32>,
        #[command(flatten)]
        platform: PlatformArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum IncidentsCommand {
    /// List quality incidents, newest first (every page).
    List {
        #[arg(long, value_name = "DOMAIN")]
        domain: Option<String>,
        /// A data product's id.
        #[arg(long, value_name = "ID")]
        product: Option<String>,
        #[arg(long, value_name = "STATE", value_parser = incident_state())]
        state: Option<IncidentState>,
        #[arg(long, value_name = "USER")]
        assignee: Option<String>,
        #[command(flatten)]
        platform: PlatformArgs,
    },
    /// Show an incident with its timeline.
    Show {
        id: String,
        #[command(flatten)]
        platform: PlatformArgs,
    },
    /// Acknowledge an open or reopened incident (stewards of its domain).
    #[command(visible_alias = "acknowledge")]
    Ack {
        id: String,
        #[arg(long, value_name = "TEXT")]
        comment: Option<String>,
        #[command(flatten)]
        platform: PlatformArgs,
    },
    /// Assign an incident to a steward or owner of its domain (stewards).
    Assign {
        id: String,
        /// The user who takes it.
        user: String,
        #[arg(long, value_name = "TEXT")]
        comment: Option<String>,
        #[command(flatten)]
        platform: PlatformArgs,
    },
    /// Comment on an incident (stewards and owners of its domain).
    Comment {
        id: String,
        text: String,
        #[command(flatten)]
        platform: PlatformArgs,
    },
    /// Resolve an acknowledged or assigned incident, saying what was found and done (stewards).
    Resolve {
        id: String,
        /// What was found and done.
        #[arg(long, value_name = "TEXT")]
        comment: String,
        #[command(flatten)]
        platform: PlatformArgs,
    },
    /// Reopen a resolved incident, saying why it is not over (stewards).
    Reopen {
        id: String,
        /// Why it is not over.
        #[arg(long, value_name = "TEXT")]
        comment: String,
        #[command(flatten)]
        platform: PlatformArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum AccessCommand {
    /// Ask for access to a product's output port; the domain's owners decide.
    Request {
        /// The data product's id.
        product: String,
        /// The output port's name.
        port: String,
        /// What the data will be used for.
        #[arg(long, value_name = "TEXT")]
        purpose: String,
        /// When the access ends by itself, RFC 3339 (e.g. 2027-06-30T00:00:00Z); without end if left
        /// out.
        #[arg(long, value_name = "RFC3339")]
        until: Option<String>,
        #[command(flatten)]
        platform: PlatformArgs,
    },
    /// List the access requests you may see: your own, your domains' as owner or steward (every
    /// page).
    List {
        #[arg(long, value_name = "STATE", value_parser = access_state())]
        state: Option<AccessState>,
        /// A data product's id.
        #[arg(long, value_name = "ID")]
        product: Option<String>,
        /// The user who asked.
        #[arg(long, value_name = "USER")]
        consumer: Option<String>,
        #[arg(long, value_name = "DOMAIN")]
        domain: Option<String>,
        #[command(flatten)]
        platform: PlatformArgs,
    },
    /// Show an access request and its grant.
    Show {
        id: String,
        #[command(flatten)]
        platform: PlatformArgs,
    },
    /// Approve a request and grant the access (owners of the domain, not the requester).
    Approve(DecisionArgs),
    /// Reject a request (owners of the domain).
    Reject(DecisionArgs),
    /// Revoke granted access (owners of the domain).
    Revoke(DecisionArgs),
    /// Read rows of a port you were granted (SQLite platforms; on PostgreSQL read the schema with
    /// your role).
    Rows {
        /// The data product's id.
        product: String,
        /// The output port's name.
        port: String,
        /// The table (required when the port has several).
        #[arg(long, value_name = "TABLE")]
        table: Option<String>,
        /// Keep the rows whose column equals the value; repeatable.
        #[arg(long = "where", value_name = "COLUMN=VALUE", value_parser = column_filter)]
        filters: Vec<(String, String)>,
        /// Rows per page, 1 to 1000 (the platform's default: 100).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1000))]
        limit: Option<u32>,
        /// The page after the one that printed this cursor.
        #[arg(long, value_name = "CURSOR")]
        cursor: Option<String>,
        #[command(flatten)]
        platform: PlatformArgs,
    },
}

#[derive(Debug, Args)]
pub struct DecisionArgs {
    /// The access request's id.
    id: String,
    /// Why; kept with the request and in the audit log.
    #[arg(long, value_name = "TEXT")]
    reason: Option<String>,
    #[command(flatten)]
    platform: PlatformArgs,
}

#[derive(Debug, Args)]
pub struct LineageArgs {
    /// The data product's id.
    product: String,
    /// Steps upstream and downstream, 1 to 10 (the platform's default: 3).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=10))]
    depth: Option<u32>,
    #[command(flatten)]
    platform: PlatformArgs,
}

fn incident_state() -> impl TypedValueParser<Value = IncidentState> {
    PossibleValuesParser::new(IncidentState::ALL.iter().map(|s| s.as_str()))
        .map(|text| IncidentState::parse(&text).expect("one of the possible values"))
}

fn access_state() -> impl TypedValueParser<Value = AccessState> {
    PossibleValuesParser::new(AccessState::ALL.iter().map(|s| s.as_str()))
        .map(|text| AccessState::parse(&text).expect("one of the possible values"))
}

fn column_filter(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((column, value)) if !column.trim().is_empty() => {
            Ok((column.trim().to_owned(), value.to_owned()))
        }
        _ => Err(format!(
            "`{text}` is no filter: write COLUMN=VALUE, e.g. channel=web"
        )),
    }
}

/// `meshport quality …`.
pub async fn quality(command: QualityCommand) -> anyhow::Result<ExitCode> {
    match command {
        QualityCommand::Run { product, platform } => {
            let client = connect(&platform)?;
            match client.quality_run(&product).await {
                Ok(run) => {
                    output(&platform, &run, |out| run_print(out, &run))?;
                    Ok(if run.failed + run.errors > 0 {
                        ExitCode::from(1)
                    } else {
                        ExitCode::SUCCESS
                    })
                }
                Err(error) => Ok(refused(
                    &error,
                    &platform,
                    &Hint::product(
                        "run the checks with the token of a steward or an owner of the product's domain",
                    ),
                )),
            }
        }
        QualityCommand::Show {
            product,
            days,
            platform,
        } => {
            let client = connect(&platform)?;
            match client.quality_report(&product, days).await {
                Ok(report) => {
                    output(&platform, &report, |out| report_print(out, &report))?;
                    Ok(ExitCode::SUCCESS)
                }
                Err(error) => Ok(refused(&error, &platform, &Hint::product(ANY_ROLE))),
            }
        }
    }
}

/// `meshport incidents …`.
pub async fn incidents(command: IncidentsCommand) -> anyhow::Result<ExitCode> {
    let steward = "work incidents with the token of a steward of the incident's domain";
    let hint = |id: &str, forbidden: &'static str| Hint {
        noun: Noun::Incident,
        id: id.to_owned(),
        forbidden: forbidden.to_owned(),
    };
    match command {
        IncidentsCommand::List {
            domain,
            product,
            state,
            assignee,
            platform,
        } => {
            let client = connect(&platform)?;
            let mut query = IncidentQuery {
                domain,
                product,
                state,
                assignee,
                cursor: None,
                limit: Some(PAGE),
            };
            let mut all = Page {
                items: Vec::new(),
                next_cursor: None,
            };
            loop {
                match client.incidents_list(&query).await {
                    Ok(page) => {
                        all.items.extend(page.items);
                        match page.next_cursor {
                            Some(cursor) => query.cursor = Some(cursor),
                            None => break,
                        }
                    }
                    Err(error) => {
                        return Ok(refused(&error, &platform, &Hint::product(ANY_ROLE)));
                    }
                }
            }
            output(&platform, &all, |out| incidents_print(out, &all.items))?;
            Ok(ExitCode::SUCCESS)
        }
        IncidentsCommand::Show { id, platform } => {
            let client = connect(&platform)?;
            let answer = client.incident_get(&id).await;
            incident_then_exit(answer, &platform, &hint(&id, ANY_ROLE))
        }
        IncidentsCommand::Ack {
            id,
            comment,
            platform,
        } => {
            let client = connect(&platform)?;
            let answer = client.incident_acknowledge(&id, comment.as_deref()).await;
            incident_then_exit(answer, &platform, &hint(&id, steward))
        }
        IncidentsCommand::Assign {
            id,
            user,
            comment,
            platform,
        } => {
            let client = connect(&platform)?;
            let answer = client.incident_assign(&id, &user, comment.as_deref()).await;
            incident_then_exit(answer, &platform, &hint(&id, steward))
        }
        IncidentsCommand::Comment { id, text, platform } => {
            let client = connect(&platform)?;
            let answer = client.incident_comment(&id, &text).await;
            incident_then_exit(
                answer,
                &platform,
                &hint(
                    &id,
                    "comment with the token of a steward or an owner of the incident's domain",
                ),
            )
        }
        IncidentsCommand::Resolve {
            id,
            comment,
            platform,
        } => {
            let client = connect(&platform)?;
            let answer = client.incident_resolve(&id, &comment).await;
            incident_then_exit(answer, &platform, &hint(&id, steward))
        }
        IncidentsCommand::Reopen {
            id,
            comment,
            platform,
        } => {
            let client = connect(&platform)?;
            let answer = client.incident_reopen(&id, &comment).await;
            incident_then_exit(answer, &platform, &hint(&id, steward))
        }
    }
}

fn incident_then_exit(
    answer: meshport_core::client::Result<Incident>,
    platform: &PlatformArgs,
    hint: &Hint,
) -> anyhow::Result<ExitCode> {
    match answer {
        Ok(incident) => {
            output(platform, &incident, |out| incident_print(out, &incident))?;
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => Ok(refused(&error, platform, hint)),
    }
}

/// `meshport access …`.
pub async fn access(command: AccessCommand) -> anyhow::Result<ExitCode> {
    let owner = "decide with the token of an owner of the product's domain (not the consumer who asked)";
    let hint = |id: &str, forbidden: &str| Hint {
        noun: Noun::Access,
        id: id.to_owned(),
        forbidden: forbidden.to_owned(),
    };
    match command {
        AccessCommand::Request {
            product,
            port,
            purpose,
            until,
            platform,
        } => {
            let client = connect(&platform)?;
            let answer = client
                .access_request(
                    &product,
                    &port,
                    &purpose,
                    until.as_deref(),
                    Some(&uuid::Uuid::new_v4().to_string()),
                )
                .await;
            access_then_exit(answer, &platform, &Hint::product(ANY_ROLE))
        }
        AccessCommand::List {
            state,
            product,
            consumer,
            domain,
            platform,
        } => {
            let client = connect(&platform)?;
            let mut query = AccessQuery {
                state,
                product,
                consumer,
                domain,
                cursor: None,
                limit: Some(PAGE),
            };
            let mut all = Page {
                items: Vec::new(),
                next_cursor: None,
            };
            loop {
                match client.access_list(&query).await {
                    Ok(page) => {
                        all.items.extend(page.items);
                        match page.next_cursor {
                            Some(cursor) => query.cursor = Some(cursor),
                            None => break,
                        }
                    }
                    Err(error) => {
                        return Ok(refused(&error, &platform, &Hint::product(ANY_ROLE)));
                    }
                }
            }
            output(&platform, &all, |out| requests_print(out, &all.items))?;
            Ok(ExitCode::SUCCESS)
        }
        AccessCommand::Show { id, platform } => {
            let client = connect(&platform)?;
            let answer = client.access_get(&id).await;
            access_then_exit(
                answer,
                &platform,
                &hint(
                    &id,
                    "use the token of its consumer, or of an owner or steward of its domain",
                ),
            )
        }
        AccessCommand::Approve(args) => {
            let client = connect(&args.platform)?;
            let answer = client.access_approve(&args.id, args.reason.as_deref()).await;
            access_then_exit(answer, &args.platform, &hint(&args.id, owner))
        }
        AccessCommand::Reject(args) => {
            let client = connect(&args.platform)?;
            let answer = client.access_reject(&args.id, args.reason.as_deref()).await;
            access_then_exit(answer, &args.platform, &hint(&args.id, owner))
        }
        AccessCommand::Revoke(args) => {
            let client = connect(&args.platform)?;
            let answer = client.access_revoke(&args.id, args.reason.as_deref()).await;
            access_then_exit(answer, &args.platform, &hint(&args.id, owner))
        }
        AccessCommand::Rows {
            product,
            port,
            table,
            filters,
            limit,
            cursor,
            platform,
        } => {
            let client = connect(&platform)?;
            let query = RowsQuery {
                table,
                cursor,
                limit,
                filters,
            };
            match client.port_rows(&product, &port, &query).await {
                Ok(rows) => {
                    output(&platform, &rows, |out| rows_print(out, &rows))?;
                    Ok(ExitCode::SUCCESS)
                }
                Err(error) => Ok(refused(
                    &error,
                    &platform,
                    &Hint::port(&format!(
                        "ask for a grant with `meshport access request {product} {port} --purpose …`, and read \
                         once an owner of its domain approved it"
                    )),
                )),
            }
        }
    }
}

fn access_then_exit(
    answer: meshport_core::client::Result<AccessRequest>,
    platform: &PlatformArgs,
    hint: &Hint,
) -> anyhow::Result<ExitCode> {
    match answer {
        Ok(request) => {
            output(platform, &request, |out| request_print(out, &request))?;
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => Ok(refused(&error, platform, hint)),
    }
}

/// `meshport lineage`.
pub async fn lineage(args: LineageArgs) -> anyhow::Result<ExitCode> {
    let client = connect(&args.platform)?;
    match client.lineage(&args.product, args.depth).await {
        Ok(graph) => {
            output(&args.platform, &graph, |out| lineage_print(out, &graph))?;
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => Ok(refused(&error, &args.platform, &Hint::product(ANY_ROLE))),
    }
}

/// Prints `value` as JSON, or as text with `text`.
fn output<T: serde::Serialize>(
    platform: &PlatformArgs,
    value: &T,
    text: impl FnOnce(&mut std::io::StdoutLock<'static>) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    match platform.format {
        OutputFormat::Json => print_json(value),
        OutputFormat::Text => Ok(text(&mut std::io::stdout().lock())?),
    }
}

/// Who may read: anyone the platform knows.
const ANY_ROLE: &str = "use the token of a user who holds a role on this platform";

/// What a refused command was about, to name the fix.
#[derive(Debug)]
enum Noun {
    /// A product (quality, lineage) or a list.
    Product,
    /// A product's output port (rows).
    Port,
    Incident,
    Access,
}

#[derive(Debug)]
struct Hint {
    noun: Noun,
    /// The incident's or request's id.
    id: String,
    /// Who may do what was asked, said on a 403.
    forbidden: String,
}

impl Hint {
    fn product(forbidden: &str) -> Hint {
        Hint {
            noun: Noun::Product,
            id: String::new(),
            forbidden: forbidden.to_owned(),
        }
    }

    fn port(forbidden: &str) -> Hint {
        Hint {
            noun: Noun::Port,
            ..Hint::product(forbidden)
        }
    }

    /// What can still be done from `state`.
    fn next(&self, state: &str) -> String {
        let id = &self.id;
        match (&self.noun, state) {
            (Noun::Incident, "open" | "reopened") => format!(
                "acknowledge it first (`meshport incidents ack {id}`) or assign it (`meshport incidents assign {id} USER`)"
            ),
            (Noun::Incident, "acknowledged") => format!(
                "assign it (`meshport incidents assign {id} USER`) or resolve it (`meshport incidents resolve {id} --comment …`)"
            ),
            (Noun::Incident, "assigned") => {
                format!("resolve it (`meshport incidents resolve {id} --comment …`)")
            }
            (Noun::Incident, "resolved") => format!(
                "it reopens by itself if its check fails again, or reopen it (`meshport incidents reopen {id} --comment …`)"
            ),
            (Noun::Access, "requested") => {
                format!(
                    "approve or reject it (`meshport access approve {id}`, `meshport access reject {id}`)"
                )
            }
            (Noun::Access, "approved" | "active") => format!("revoke it (`meshport access revoke {id}`)"),
            (Noun::Access, _) => format!(
                "nothing is left to decide on request {id}: the consumer asks again with `meshport access request`"
            ),
            _ => "ask only what its current state allows".to_owned(),
        }
    }

    fn missing(&self) -> &'static str {
        match self.noun {
            Noun::Incident => "check the id: `meshport incidents list` lists the incidents",
            Noun::Access => "check the id: `meshport access list` lists the requests you may see",
            Noun::Product => "check the product's id",
            Noun::Port => "check the product's id and the port's name",
        }
    }
}

/// Prints why the platform refused, or could not be asked, with the fix, and returns exit code 2.
fn refused(error: &Error, platform: &PlatformArgs, hint: &Hint) -> ExitCode {
    let Some(problem) = error.problem() else {
        eprintln!("meshport: {error}");
        return ExitCode::from(2);
    };
    if platform.format == OutputFormat::Json
        && let Err(write) = print_json(problem)
    {
        eprintln!("meshport: {write}");
    }
    let mut line = format!(
        "meshport: {} ({}): {}",
        problem.title, problem.status, problem.detail
    );
    if let Some(state) = &problem.current_state {
        line.push_str(&format!(" (current state: {state})"));
    }
    if let Some(id) = &problem.request_id {
        line.push_str(&format!(" [request id {id}]"));
    }
    eprintln!("{line}");
    let fix = match (error.slug().unwrap_or_default(), problem.status) {
        ("unauthorized", _) | (_, 401) => Some(format!(
            "check the token in {}",
            crate::platform::target(platform)
                .map(|t| t.token_source(&platform.token_env))
                .unwrap_or_else(|_| platform.token_env.clone())
        )),
        ("forbidden", _) | (_, 403) => Some(hint.forbidden.clone()),
        ("invalid-state", _) => problem.current_state.as_deref().map(|state| hint.next(state)),
        ("not-found", _) | (_, 404) => Some(hint.missing().to_owned()),
        ("not-provisioned", _) => Some(
            "only a product this platform provisioned has data: submit its provisioning request first"
                .to_owned(),
        ),
        ("read-in-database", _) => Some(
            "read the port in the platform's PostgreSQL database, as the role and schema of your grant \
             (`meshport access show ID`)"
                .to_owned(),
        ),
        ("duplicate-request", _) => Some("follow the existing request: `meshport access list`".to_owned()),
        _ => None,
    };
    if let Some(fix) = fix {
        eprintln!("meshport: to fix: {fix}");
    }
    ExitCode::from(2)
}

fn run_print(out: &mut impl Write, run: &QualityRun) -> std::io::Result<()> {
    writeln!(out, "quality run {} of product {}", run.id, run.product_id)?;
    writeln!(
        out,
        "{} by {}, {} to {}",
        run.trigger,
        run.requested_by,
        when(&run.started_at),
        when(&run.finished_at)
    )?;
    writeln!(out)?;
    results_print(out, &run.results, None)?;
    not_executable_print(out, &run.not_executable)?;
    writeln!(out)?;
    let verdict = if run.failed + run.errors > 0 {
        "FAILED"
    } else {
        "ok"
    };
    writeln!(
        out,
        "{verdict}: {} check(s), {} passed, {} failed, {} warning(s), {} error(s)",
        run.results.len(),
        run.passed,
        run.failed,
        run.warnings,
        run.errors
    )
}

/// A table of results, with each check's trend when `history` is given; messages under their row.
fn results_print(
    out: &mut impl Write,
    results: &[QualityResult],
    history: Option<&[QualityHistory]>,
) -> std::io::Result<()> {
    if results.is_empty() {
        return writeln!(out, "no check results");
    }
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut header = vec!["STATUS", "CHECK", "VALUE", "THRESHOLD"];
    if history.is_some() {
        header.push("TREND");
    }
    for result in results {
        let mut row = vec![
            status_text(result.status).to_owned(),
            result.check.check.clone(),
            result
                .value
                .map_or_else(|| "-".to_owned(), |v| measure(v, &result.check.unit)),
            result.check.threshold.clone(),
        ];
        if let Some(history) = history {
            let points = history
                .iter()
                .find(|h| h.check == result.check.check)
                .map(|h| h.points.as_slice())
                .unwrap_or_default();
            row.push(trend(points));
        }
        rows.push(row);
    }
    let widths = widths(&header, &rows);
    line(
        out,
        &header.iter().map(|h| h.to_string()).collect::<Vec<_>>(),
        &widths,
    )?;
    for (row, result) in rows.iter().zip(results) {
        line(out, row, &widths)?;
        let what = result
            .check
            .description
            .as_deref()
            .or(result.check.metric.as_deref())
            .unwrap_or(&result.check.kind);
        if result.status != CheckStatus::Passed {
            writeln!(out, "    {what}")?;
            if let Some(message) = &result.message {
                writeln!(out, "    {message}")?;
            }
        }
    }
    Ok(())
}

fn not_executable_print(out: &mut impl Write, rules: &[NotExecutable]) -> std::io::Result<()> {
    if rules.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "not executable ({}):", rules.len())?;
    for rule in rules {
        let what = rule
            .description
            .as_deref()
            .map(|d| format!(" \"{d}\""))
            .unwrap_or_default();
        writeln!(out, "  {} ({}){what}", rule.check, rule.kind)?;
        writeln!(out, "    {}", rule.reason)?;
    }
    Ok(())
}

fn report_print(out: &mut impl Write, report: &QualityReport) -> std::io::Result<()> {
    writeln!(
        out,
        "quality of product {} ({})",
        report.product_id, report.domain
    )?;
    writeln!(
        out,
        "last run {}",
        report.last_run_at.as_deref().map_or("never".to_owned(), when)
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "latest results, each with the trend of its last {TREND} runs (oldest first):"
    )?;
    results_print(out, &report.latest, Some(&report.history))?;
    writeln!(out)?;
    if report.slos.is_empty() {
        writeln!(out, "no SLOs")?;
    } else {
        writeln!(out, "SLOs:")?;
        let header: Vec<String> = ["STATUS", "SLO", "PORT", "ELEMENT", "TARGET", "MEASURED"]
            .map(String::from)
            .into();
        let rows: Vec<Vec<String>> = report
            .slos
            .iter()
            .map(|slo| {
                vec![
                    slo_text(slo.status).to_owned(),
                    slo.slo.clone(),
                    slo.port.clone(),
                    slo.element.clone().unwrap_or_else(|| "-".into()),
                    measure(slo.target, &slo.unit),
                    slo.measured.map_or_else(|| "-".into(), |m| measure(m, &slo.unit)),
                ]
            })
            .collect();
        let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
        let widths = widths(&header_refs, &rows);
        line(out, &header, &widths)?;
        for (row, slo) in rows.iter().zip(&report.slos) {
            line(out, row, &widths)?;
            writeln!(out, "    {}", slo.detail)?;
        }
    }
    not_executable_print(out, &report.not_executable)?;
    let failing = report
        .latest
        .iter()
        .filter(|r| matches!(r.status, CheckStatus::Failed | CheckStatus::Error))
        .count();
    writeln!(out)?;
    writeln!(
        out,
        "{} check(s), {failing} failing; {} SLO(s), {} breached, {} at risk",
        report.latest.len(),
        report.slos.len(),
        report
            .slos
            .iter()
            .filter(|s| s.status == SloStatus::Breached)
            .count(),
        report
            .slos
            .iter()
            .filter(|s| s.status == SloStatus::AtRisk)
            .count()
    )
}

/// The last `TREND` values as a sparkline scaled between their minimum and maximum (`·` where
/// nothing was measured), the range, and how many of those runs did not pass.
fn trend(points: &[meshport_model::trust::QualityPoint]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let recent = &points[points.len().saturating_sub(TREND)..];
    if recent.is_empty() {
        return "-".to_owned();
    }
    let values: Vec<f64> = recent.iter().filter_map(|p| p.value).collect();
    let (low, high) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
            (l.min(*v), h.max(*v))
        });
    let mut line: String = recent
        .iter()
        .map(|point| match point.value {
            None => '·',
            Some(value) if high > low => {
                let step = ((value - low) / (high - low) * 7.0).round() as usize;
                BARS[step.min(7)]
            }
            Some(_) => BARS[3],
        })
        .collect();
    if high > low {
        line.push_str(&format!(" {}..{}", number(low), number(high)));
    } else if !values.is_empty() {
        line.push_str(&format!(" {}", number(low)));
    }
    let failed = recent
        .iter()
        .filter(|p| matches!(p.status, CheckStatus::Failed | CheckStatus::Error))
        .count();
    if failed > 0 {
        line.push_str(&format!(", {failed} of {} not passed", recent.len()));
    }
    line
}

fn incidents_print(out: &mut impl Write, incidents: &[Incident]) -> std::io::Result<()> {
    let header = [
        "ID", "STATE", "SEVERITY", "DOMAIN", "PRODUCT", "ASSIGNEE", "FAILURES", "OPENED", "TITLE",
    ];
    let rows: Vec<Vec<String>> = incidents
        .iter()
        .map(|i| {
            vec![
                i.id.clone(),
                i.state.to_string(),
                i.severity.clone(),
                i.domain.clone(),
                i.product_name.clone(),
                i.assignee.clone().unwrap_or_else(|| "-".into()),
                i.failures.to_string(),
                when(&i.opened_at),
                i.title.clone(),
            ]
        })
        .collect();
    let widths = widths(&header, &rows);
    line(out, &header.map(String::from), &widths)?;
    for row in &rows {
        line(out, row, &widths)?;
    }
    writeln!(out, "{} incident(s)", incidents.len())
}

fn incident_print(out: &mut impl Write, incident: &Incident) -> std::io::Result<()> {
    writeln!(out, "incident  {}", incident.id)?;
    writeln!(out, "title     {}", incident.title)?;
    writeln!(
        out,
        "product   {} ({}, {})",
        incident.product_name, incident.product_id, incident.domain
    )?;
    writeln!(out, "check     {} (port {})", incident.check, incident.port)?;
    writeln!(out, "state     {}", incident.state)?;
    writeln!(out, "severity  {}", incident.severity)?;
    writeln!(out, "assignee  {}", incident.assignee.as_deref().unwrap_or("-"))?;
    writeln!(out, "failures  {}", incident.failures)?;
    writeln!(out, "opened    {}", when(&incident.opened_at))?;
    writeln!(out, "updated   {}", when(&incident.updated_at))?;
    if let Some(resolved) = &incident.resolved_at {
        writeln!(out, "resolved  {}", when(resolved))?;
    }
    writeln!(out, "timeline")?;
    for event in &incident.events {
        let moved = match (event.from, event.to) {
            (Some(from), Some(to)) => format!(" ({from} → {to})"),
            (None, Some(to)) => format!(" (→ {to})"),
            _ => String::new(),
        };
        writeln!(
            out,
            "  {}  {:<10} {}{moved}",
            when(&event.at),
            event.actor,
            event.action
        )?;
        if let Some(comment) = &event.comment {
            writeln!(out, "      \"{comment}\"")?;
        }
    }
    Ok(())
}

fn requests_print(out: &mut impl Write, requests: &[AccessRequest]) -> std::io::Result<()> {
    let header = [
        "ID",
        "STATE",
        "CONSUMER",
        "PRODUCT",
        "PORT",
        "DOMAIN",
        "REQUESTED",
        "UNTIL",
        "PURPOSE",
    ];
    let rows: Vec<Vec<String>> = requests
        .iter()
        .map(|r| {
            vec![
                r.id.clone(),
                r.state.to_string(),
                r.consumer.clone(),
                r.product_name.clone(),
                r.output_port.clone(),
                r.domain.clone(),
                when(&r.requested_at),
                r.until.as_deref().map_or_else(|| "-".into(), when),
                r.purpose.clone(),
            ]
        })
        .collect();
    let widths = widths(&header, &rows);
    line(out, &header.map(String::from), &widths)?;
    for row in &rows {
        line(out, row, &widths)?;
    }
    writeln!(out, "{} access request(s)", requests.len())
}

fn request_print(out: &mut impl Write, request: &AccessRequest) -> std::io::Result<()> {
    writeln!(out, "access request  {}", request.id)?;
    writeln!(out, "state           {}", request.state)?;
    writeln!(
        out,
        "product         {} ({}, {})",
        request.product_name, request.product_id, request.domain
    )?;
    writeln!(out, "port            {}", request.output_port)?;
    writeln!(out, "consumer        {}", request.consumer)?;
    writeln!(out, "purpose         {}", request.purpose)?;
    writeln!(
        out,
        "until           {}",
        request.until.as_deref().map_or_else(|| "no end".into(), when)
    )?;
    writeln!(out, "requested       {}", when(&request.requested_at))?;
    writeln!(out, "updated         {}", when(&request.updated_at))?;
    if let Some(by) = &request.decided_by {
        writeln!(out, "decided by      {by}")?;
    }
    if let Some(reason) = &request.reason {
        writeln!(out, "reason          {reason}")?;
    }
    if let Some(grant) = &request.grant {
        let mut how = grant.kind.clone();
        if let Some(role) = &grant.role {
            how.push_str(&format!(": role {role}"));
        }
        if let Some(schema) = &grant.schema {
            how.push_str(&format!(", schema {schema}"));
        }
        if let Some(path) = &grant.path {
            how.push_str(&format!(": {path}"));
        }
        writeln!(out, "grant           {how}")?;
        if request.state == AccessState::Active && grant.path.is_some() {
            writeln!(
                out,
                "read it with    meshport access rows {} {}",
                request.product_id, request.output_port
            )?;
        }
    }
    Ok(())
}

fn rows_print(out: &mut impl Write, rows: &PortRows) -> std::io::Result<()> {
    writeln!(out, "table {}", rows.table)?;
    let cells: Vec<Vec<String>> = rows
        .rows
        .iter()
        .map(|row| row.iter().map(cell).collect())
        .collect();
    let header: Vec<&str> = rows.columns.iter().map(String::as_str).collect();
    let widths = widths(&header, &cells);
    line(out, &rows.columns, &widths)?;
    for row in &cells {
        line(out, row, &widths)?;
    }
    writeln!(out, "{} row(s)", rows.rows.len())?;
    if let Some(cursor) = &rows.next_cursor {
        writeln!(out, "more: repeat with --cursor {cursor}")?;
    }
    Ok(())
}

fn cell(value: &Value) -> String {
    match value {
        Value::Null => "NULL".into(),
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn lineage_print(out: &mut impl Write, graph: &LineageGraph) -> std::io::Result<()> {
    let mut nodes: Vec<&LineageNode> = graph.nodes.iter().collect();
    // Nearest first on each side, so that the indentation grows with the distance.
    nodes.sort_by(|a, b| {
        (a.distance.signum(), a.distance.abs(), &a.name).cmp(&(
            b.distance.signum(),
            b.distance.abs(),
            &b.name,
        ))
    });
    let name_of = |id: &str| {
        graph
            .nodes
            .iter()
            .find(|n| n.product_id == id)
            .map_or_else(|| id.to_owned(), |n| n.name.clone())
    };
    let this = graph.nodes.iter().find(|n| n.distance == 0);
    writeln!(
        out,
        "lineage of {}, {} step(s) each way",
        this.map_or_else(
            || graph.product_id.clone(),
            |n| format!("{} ({})", n.name, n.product_id)
        ),
        graph.depth
    )?;
    for (title, part) in [
        (
            "upstream",
            nodes.iter().filter(|n| n.distance < 0).collect::<Vec<_>>(),
        ),
        ("product", nodes.iter().filter(|n| n.distance == 0).collect()),
        ("downstream", nodes.iter().filter(|n| n.distance > 0).collect()),
    ] {
        writeln!(out)?;
        if part.is_empty() {
            writeln!(out, "{title}: none")?;
            continue;
        }
        writeln!(out, "{title}:")?;
        for node in part {
            let indent = "  ".repeat(node.distance.unsigned_abs().max(1) as usize);
            let distance = match node.distance {
                0 => "0".to_owned(),
                d => format!("{d:+}"),
            };
            writeln!(
                out,
                "{indent}[{distance}] {} ({}) {}",
                node.name, node.domain, node.product_id
            )?;
            // How it is tied to the product: what it reads (downstream) or what reads it (upstream).
            for edge in &graph.edges {
                if node.distance > 0 && edge.to == node.product_id {
                    writeln!(
                        out,
                        "{indent}    reads port {} of {} (as input port {})",
                        edge.from_port,
                        name_of(&edge.from),
                        edge.to_port
                    )?;
                } else if node.distance < 0 && edge.from == node.product_id {
                    writeln!(
                        out,
                        "{indent}    port {} is read by {} (as input port {})",
                        edge.from_port,
                        name_of(&edge.to),
                        edge.to_port
                    )?;
                }
            }
            for port in &node.output_ports {
                let consumers = if port.consumers.is_empty() {
                    "no consumers".to_owned()
                } else {
                    format!("consumers: {}", port.consumers.join(", "))
                };
                writeln!(out, "{indent}    port {}: {consumers}", port.name)?;
            }
        }
    }
    writeln!(out)?;
    writeln!(
        out,
        "{} upstream, {} downstream, {} edge(s)",
        graph.nodes.iter().filter(|n| n.distance < 0).count(),
        graph.nodes.iter().filter(|n| n.distance > 0).count(),
        graph.edges.len()
    )
}

fn status_text(status: CheckStatus) -> &'static str {
    match status {
        CheckStatus::Passed => "passed",
        CheckStatus::Failed => "FAILED",
        CheckStatus::Warning => "warning",
        CheckStatus::Error => "ERROR",
    }
}

fn slo_text(status: SloStatus) -> &'static str {
    match status {
        SloStatus::Met => "met",
        SloStatus::AtRisk => "AT-RISK",
        SloStatus::Breached => "BREACHED",
        SloStatus::Unknown => "unknown",
    }
}

/// A measured value in its unit: `5000 rows`, `4.08%`, `2.5 hours`.
fn measure(value: f64, unit: &str) -> String {
    match unit {
        "percent" => format!("{}%", number(value)),
        "" => number(value),
        unit => format!("{} {unit}", number(value)),
    }
}

/// A number without trailing zeros, to two decimals (three below 0.01, so that it is not 0).
fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        return format!("{value:.0}");
    }
    let text = if value.abs() < 0.01 {
        format!("{value:.3}")
    } else {
        format!("{value:.2}")
    };
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// `2026-05-01T10:00:00.123Z` as `2026-05-01 10:00Z`; any other text as it is.
fn when(at: &str) -> String {
    let bytes = at.as_bytes();
    if at.len() >= 16 && bytes.get(10) == Some(&b'T') && at.ends_with('Z') {
        format!("{} {}Z", &at[..10], &at[11..16])
    } else {
        at.to_owned()
    }
}

fn widths(header: &[&str], rows: &[Vec<String>]) -> Vec<usize> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    widths
}

fn line(out: &mut impl Write, cells: &[String], widths: &[usize]) -> std::io::Result<()> {
    let padded: Vec<String> = cells
        .iter()
        .zip(widths)
        .map(|(cell, width)| {
            let pad = width.saturating_sub(cell.chars().count());
            format!("{cell}{}", " ".repeat(pad))
        })
        .collect();
    writeln!(out, "{}", padded.join("  ").trim_end())
}

#[cfg(test)]
mod tests {
    use meshport_model::trust::QualityPoint;

    use super::*;

    fn point(status: CheckStatus, value: Option<f64>) -> QualityPoint {
        QualityPoint {
            at: "2026-01-01T00:00:00Z".into(),
            status,
            value,
        }
    }

    #[test]
    fn a_trend_scales_between_its_extremes_and_marks_failures() {
        use CheckStatus::*;
        let points = [
            point(Passed, Some(0.0)),
            point(Passed, Some(1.0)),
            point(Passed, Some(2.0)),
            point(Failed, Some(4.0)),
            point(Error, None),
        ];
        assert_eq!(trend(&points), "▁▃▅█· 0..4, 2 of 5 not passed");
        assert_eq!(trend(&vec![point(Passed, Some(5.0)); 3]), "▄▄▄ 5");
        assert_eq!(trend(&[point(Error, None)]), "·, 1 of 1 not passed");
        assert_eq!(trend(&[]), "-");
        let many: Vec<_> = (0..30).map(|v| point(Passed, Some(v as f64))).collect();
        assert_eq!(trend(&many).chars().take_while(|c| *c != ' ').count(), TREND);
    }

    #[test]
    fn numbers_times_and_filters_read_as_people_write_them() {
        assert_eq!(measure(5000.0, "rows"), "5000 rows");
        assert_eq!(measure(4.0816, "percent"), "4.08%");
        assert_eq!(measure(2.5, "hours"), "2.5 hours");
        assert_eq!(measure(0.0021, "hours"), "0.002 hours");
        assert_eq!(when("2026-05-01T10:00:00.123Z"), "2026-05-01 10:00Z");
        assert_eq!(when("soon"), "soon");
        assert_eq!(
            column_filter("channel=web"),
            Ok(("channel".to_owned(), "web".to_owned()))
        );
        assert_eq!(column_filter("a=b=c"), Ok(("a".to_owned(), "b=c".to_owned())));
        assert!(column_filter("=web").is_err());
        assert!(column_filter("channel").is_err());
    }
}
