//! The commands that talk to the platform: `submit`, `request status|cancel|retry`, `unprovision`.
//!
//! Exit codes are `validate`'s: 0 when the platform accepted (or the followed job succeeded), 1 when
//! it refused the document with findings (or the followed job failed or was cancelled), 2 for
//! everything else: usage, an unreadable file, no token, no answer, 401/403/404 and other problems.
//! The token is read from an environment variable, never from the command line, and never printed.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use meshport_core::DocumentKind;
use meshport_core::client::{Client, Error, Submitted};
use meshport_core::document::{self, Positions};
use meshport_model::Finding;
use meshport_model::platform::{JobState, ProvisioningJob, StepStatus};
use serde_json::json;

use crate::render;

/// How often `--follow` asks for the job.
const POLL: Duration = Duration::from_millis(500);

/// Where the platform is and how to authenticate to it: a profile (its token in the OS keyring), or
/// a URL with the token in an environment variable.
#[derive(Debug, Args)]
pub struct PlatformArgs {
    /// The profile to use; by default the active one (`meshport profile use NAME`).
    #[arg(long, env = "MESHPORT_PROFILE", value_name = "NAME")]
    pub(crate) profile: Option<String>,
    /// The platform's base URL, e.g. http://127.0.0.1:8080, instead of a profile; the token is then
    /// read from the environment variable of --token-env.
    #[arg(long, env = "MESHPORT_PLATFORM", value_name = "URL")]
    pub(crate) platform: Option<String>,
    /// With --platform, the environment variable holding the platform token; a token is never an
    /// argument.
    #[arg(long, value_name = "VAR", default_value = "MESHPORT_TOKEN")]
    pub(crate) token_env: String,
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub(crate) format: OutputFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum OutputFormat {
    Text,
    /// The platform's JSON on stdout: what it answered (the job, for provisioning) or, when refused, the
    /// problem.
    Json,
}

#[derive(Debug, Args)]
pub struct SubmitArgs {
    /// A provisioning request, YAML or JSON.
    file: PathBuf,
    /// Makes repeating the submit safe: the platform answers a repeat with the first job. One is
    /// generated (and printed on stderr) when left out.
    #[arg(long, value_name = "KEY")]
    idempotency_key: Option<String>,
    /// Print the job's steps as they advance, until it has finished.
    #[arg(long)]
    follow: bool,
    #[command(flatten)]
    platform: PlatformArgs,
}

#[derive(Debug, Subcommand)]
pub enum RequestCommand {
    /// Show a provisioning request: its state and its steps.
    Status {
        id: String,
        /// Print the job's steps as they advance, until it has finished.
        #[arg(long)]
        follow: bool,
        #[command(flatten)]
        platform: PlatformArgs,
    },
    /// Cancel a provisioning request: a queued job at once, a running one at its next step.
    Cancel {
        id: String,
        #[command(flatten)]
        platform: PlatformArgs,
    },
    /// Run a failed provisioning request again.
    Retry {
        id: String,
        /// Print the job's steps as they advance, until it has finished.
        #[arg(long)]
        follow: bool,
        #[command(flatten)]
        platform: PlatformArgs,
    },
}

#[derive(Debug, Args)]
pub struct UnprovisionArgs {
    /// The id of the data product to unprovision.
    product_id: String,
    /// Makes repeating the call safe; one is generated (and printed on stderr) when left out.
    #[arg(long, value_name = "KEY")]
    idempotency_key: Option<String>,
    /// Print the job's steps as they advance, until it has finished.
    #[arg(long)]
    follow: bool,
    #[command(flatten)]
    platform: PlatformArgs,
}

/// `meshport submit`.
pub async fn submit(args: SubmitArgs) -> anyhow::Result<ExitCode> {
    let client = connect(&args.platform)?;
    let request = request_read(&args.file)?;
    let key = idempotency_key(args.idempotency_key);
    let shown = args.file.display().to_string();
    let submitted = match client.request_submit_document(&request.value, &key).await {
        Ok(submitted) => submitted,
        Err(error) => return Ok(refused(&error, &args.platform, &shown, &request.positions)),
    };
    let format = args.platform.format;
    if format == OutputFormat::Json && !args.follow {
        print_json(&json!({
            "idempotencyKey": key,
            "replayed": submitted.replayed,
            "url": submitted.url,
            "job": submitted.job,
        }))?;
        return Ok(ExitCode::SUCCESS);
    }
    if format == OutputFormat::Text {
        accepted(&submitted, &shown, &request.positions, args.follow)?;
    }
    if args.follow {
        return follow_then_exit(&client, submitted.job, &args.platform).await;
    }
    Ok(ExitCode::SUCCESS)
}

/// `meshport request …`.
pub async fn request(command: RequestCommand) -> anyhow::Result<ExitCode> {
    let (RequestCommand::Status { id, platform, .. }
    | RequestCommand::Cancel { id, platform }
    | RequestCommand::Retry { id, platform, .. }) = &command;
    let client = connect(platform)?;
    let (answer, follow) = match &command {
        RequestCommand::Status { follow, .. } => (client.request_get(id).await, *follow),
        RequestCommand::Cancel { .. } => (client.request_cancel(id).await, false),
        RequestCommand::Retry { follow, .. } => (client.request_retry(id).await, *follow),
    };
    match answer {
        Ok(job) => job_then_exit(&client, job, follow, platform).await,
        Err(error) => Ok(refused(&error, platform, id, &Positions::default())),
    }
}

/// `meshport unprovision`.
pub async fn unprovision(args: UnprovisionArgs) -> anyhow::Result<ExitCode> {
    let client = connect(&args.platform)?;
    let key = idempotency_key(args.idempotency_key);
    match client.product_unprovision(&args.product_id, Some(&key)).await {
        Ok(submitted) => {
            if submitted.replayed {
                eprintln!("meshport: the platform had this unprovision already; here is its job");
            }
            job_then_exit(&client, submitted.job, args.follow, &args.platform).await
        }
        Err(error) => Ok(refused(
            &error,
            &args.platform,
            &args.product_id,
            &Positions::default(),
        )),
    }
}

pub(crate) use meshport_core::session::Target;

/// Which platform `args` name: `--profile`, else `--platform`, else the active profile.
pub(crate) fn target(args: &PlatformArgs) -> anyhow::Result<Target> {
    Ok(Target::resolve(
        args.profile.as_deref(),
        args.platform.as_deref(),
    )?)
}

/// The client of the target of `args`: a profile's token from the keyring, or `--platform` with the
/// token of `--token-env`.
pub(crate) fn connect(args: &PlatformArgs) -> anyhow::Result<Client> {
    Ok(target(args)?.client(&args.token_env)?)
}

/// The one provisioning request in `path`, with where its values stand in the file.
fn request_read(path: &Path) -> anyhow::Result<document::Parsed> {
    let shown = path.display();
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {shown}"))?;
    let mut docs = document::parse(&text).map_err(|e| anyhow::anyhow!("{shown}: {e}"))?;
    if docs.len() != 1 {
        bail!(
            "{shown} holds {} documents; submit sends exactly one provisioning request",
            docs.len()
        );
    }
    let doc = docs.remove(0);
    // A product or a contract sent by mistake is stopped here; anything else, even a request with
    // no `kind`, goes to the platform, whose findings say what is wrong where.
    if let Ok(Some(kind)) = meshport_core::document_standard(&doc.value)
        && kind != DocumentKind::ProvisioningRequest
    {
        bail!(
            "{shown} is a {}, not a provisioning request (kind: ProvisioningRequest)",
            kind.as_str()
        );
    }
    Ok(doc)
}

/// The key given, or a fresh one, printed so that the user can repeat the call safely.
fn idempotency_key(given: Option<String>) -> String {
    given.unwrap_or_else(|| {
        let key = uuid::Uuid::new_v4().to_string();
        eprintln!("meshport: idempotency key {key} (repeat with --idempotency-key {key} to resend safely)");
        key
    })
}

/// Prints what the platform accepted: the request, where it lives, its state (unless `--follow`
/// is about to), and the warnings of the checks that let it through.
fn accepted(submitted: &Submitted, path: &str, positions: &Positions, follow: bool) -> anyhow::Result<()> {
    if submitted.replayed {
        eprintln!("meshport: the platform had this submission already; here is its job");
    }
    let mut out = std::io::stdout().lock();
    let job = &submitted.job;
    writeln!(out, "request  {}", job.id)?;
    writeln!(out, "url      {}", submitted.url)?;
    if !follow {
        writeln!(out, "state    {}", job.state)?;
    }
    for finding in &job.findings {
        render::text_finding(&mut out, path, positions, finding)?;
    }
    Ok(())
}

/// Prints a job (following it when asked) and exits as its outcome says.
async fn job_then_exit(
    client: &Client,
    job: ProvisioningJob,
    follow: bool,
    platform: &PlatformArgs,
) -> anyhow::Result<ExitCode> {
    match (platform.format, follow) {
        (OutputFormat::Json, false) => {
            print_json(&job)?;
            Ok(ExitCode::SUCCESS)
        }
        (OutputFormat::Text, false) => {
            job_print(&mut std::io::stdout().lock(), client, &job)?;
            Ok(ExitCode::SUCCESS)
        }
        (OutputFormat::Text, true) => {
            let mut out = std::io::stdout().lock();
            writeln!(out, "request  {}", job.id)?;
            writeln!(out, "url      {}", client.request_url(&job.id))?;
            drop(out);
            follow_then_exit(client, job, platform).await
        }
        (OutputFormat::Json, true) => follow_then_exit(client, job, platform).await,
    }
}

fn job_print(out: &mut impl Write, client: &Client, job: &ProvisioningJob) -> std::io::Result<()> {
    writeln!(out, "request  {}", job.id)?;
    writeln!(out, "url      {}", client.request_url(&job.id))?;
    writeln!(out, "kind     {}", job_kind(job))?;
    writeln!(
        out,
        "product  {} ({}, {})",
        job.product_name, job.product_id, job.domain
    )?;
    let cancel = if job.cancel_requested && !job.state.is_finished() {
        ", cancel requested"
    } else {
        ""
    };
    writeln!(out, "state    {}{cancel}", job.state)?;
    writeln!(out, "attempt  {}", job.attempt)?;
    if let Some(error) = &job.error {
        writeln!(out, "error    {error}")?;
    }
    for step in &job.steps {
        writeln!(out, "  {:<24} {}", step.name, step.status.as_str())?;
    }
    Ok(())
}

fn job_kind(job: &ProvisioningJob) -> &'static str {
    match job.kind {
        meshport_model::platform::JobKind::Provision => "provision",
        meshport_model::platform::JobKind::Unprovision => "unprovision",
    }
}

/// Follows the job until it is final, then exits 0 if it succeeded and 1 if it failed or was
/// cancelled.
async fn follow_then_exit(
    client: &Client,
    job: ProvisioningJob,
    platform: &PlatformArgs,
) -> anyhow::Result<ExitCode> {
    let text = platform.format == OutputFormat::Text;
    let mut log = StepLog::default();
    let mut job = job;
    loop {
        if text {
            log.advance(&mut std::io::stdout().lock(), &job)?;
        }
        if job.state.is_finished() {
            break;
        }
        tokio::time::sleep(POLL).await;
        job = match client.request_get(&job.id).await {
            Ok(job) => job,
            Err(error) => return Ok(refused(&error, platform, &job.id, &Positions::default())),
        };
    }
    if text {
        let mut out = std::io::stdout().lock();
        writeln!(out, "request {} {}", job.id, job.state)?;
        if let Some(error) = &job.error {
            writeln!(out, "error: {error}")?;
        }
    } else {
        print_json(&job)?;
    }
    Ok(match job.state {
        JobState::Succeeded => ExitCode::SUCCESS,
        _ => ExitCode::from(1),
    })
}

/// What `--follow` has printed so far, so that each status change and each message is printed once.
#[derive(Debug, Default)]
struct StepLog {
    attempt: u32,
    state: Option<JobState>,
    /// Per step: the status last printed and how many of its messages were.
    steps: HashMap<String, (StepStatus, usize)>,
}

impl StepLog {
    fn advance(&mut self, out: &mut impl Write, job: &ProvisioningJob) -> std::io::Result<()> {
        if job.attempt != self.attempt {
            if self.attempt != 0 {
                writeln!(out, "attempt {}", job.attempt)?;
            }
            self.attempt = job.attempt;
            self.steps.clear();
        }
        // A final state is said by the closing line, after the steps that led to it.
        if self.state != Some(job.state) && !job.state.is_finished() {
            writeln!(out, "state    {}", job.state)?;
        }
        self.state = Some(job.state);
        for step in &job.steps {
            let (status, printed) = self
                .steps
                .entry(step.name.clone())
                .or_insert((StepStatus::Pending, 0));
            if *status != step.status {
                writeln!(out, "  {:<24} {}", step.name, step.status.as_str())?;
                *status = step.status;
            }
            for message in step.messages.iter().skip(*printed) {
                writeln!(out, "      {message}")?;
            }
            *printed = (*printed).max(step.messages.len());
        }
        Ok(())
    }
}

/// Prints why the platform refused, or could not be asked, and returns the exit code: 1 for a
/// document refused with findings (printed as `validate` prints them), 2 for everything else.
fn refused(error: &Error, platform: &PlatformArgs, path: &str, positions: &Positions) -> ExitCode {
    let Some(problem) = error.problem() else {
        eprintln!("meshport: {error}");
        return ExitCode::from(2);
    };
    if platform.format == OutputFormat::Json {
        // Scripts get the problem whole; the exit code says the rest.
        if let Err(write) = print_json(problem) {
            eprintln!("meshport: {write}");
        }
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
    if error.is("unauthorized")
        && let Ok(target) = target(platform)
    {
        line.push_str(&format!(
            "; check the token in {}",
            target.token_source(&platform.token_env)
        ));
    }
    if !error.is("validation-failed") {
        eprintln!("{line}");
        return ExitCode::from(2);
    }
    if platform.format == OutputFormat::Text
        && let Err(write) = findings_print(path, positions, &problem.findings)
    {
        eprintln!("meshport: {write}");
    }
    eprintln!("{line}");
    ExitCode::from(1)
}

fn findings_print(path: &str, positions: &Positions, findings: &[Finding]) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    let errors = findings.iter().filter(|f| f.is_error()).count();
    for finding in findings {
        render::text_finding(&mut out, path, positions, finding)?;
    }
    writeln!(
        out,
        "refused: {errors} error(s), {} other finding(s)",
        findings.len() - errors
    )
}

pub(crate) fn print_json(value: &impl serde::Serialize) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use meshport_model::platform::{JobKind, JobStep};

    use super::*;

    fn job(attempt: u32, state: JobState, steps: &[(&str, StepStatus, &[&str])]) -> ProvisioningJob {
        ProvisioningJob {
            id: "pr_1".into(),
            kind: JobKind::Provision,
            product_id: "p".into(),
            product_name: "P".into(),
            domain: "sales".into(),
            state,
            submitted_by: "alice".into(),
            created_at: "2026-01-01T00:00:00Z".into(),
            updated_at: "2026-01-01T00:00:00Z".into(),
            started_at: None,
            finished_at: None,
            attempt,
            cancel_requested: false,
            steps: steps
                .iter()
                .map(|(name, status, messages)| JobStep {
                    name: (*name).into(),
                    status: *status,
                    started_at: None,
                    finished_at: None,
                    messages: messages.iter().map(|m| (*m).into()).collect(),
                })
                .collect(),
            findings: Vec::new(),
            error: None,
        }
    }

    #[test]
    fn the_step_log_prints_each_change_and_message_once() {
        use StepStatus::*;
        let mut log = StepLog::default();
        let mut out = Vec::new();
        let snapshots = [
            job(
                1,
                JobState::Queued,
                &[("validate", Pending, &[]), ("plan", Pending, &[])],
            ),
            job(
                1,
                JobState::Running,
                &[("validate", Running, &["checking"]), ("plan", Pending, &[])],
            ),
            job(
                1,
                JobState::Running,
                &[("validate", Running, &["checking"]), ("plan", Pending, &[])],
            ),
            job(
                1,
                JobState::Failed,
                &[
                    ("validate", Succeeded, &["checking", "ok"]),
                    ("plan", Failed, &["no quota"]),
                ],
            ),
            job(
                2,
                JobState::Running,
                &[("validate", Running, &[]), ("plan", Pending, &[])],
            ),
        ];
        for snapshot in &snapshots {
            log.advance(&mut out, snapshot).unwrap();
        }
        let text = String::from_utf8(out).unwrap();
        let expected = "\
state    queued
state    running
  validate                 running
      checking
  validate                 succeeded
      ok
  plan                     failed
      no quota
attempt 2
state    running
  validate                 running
";
        assert_eq!(text, expected);
    }
}
