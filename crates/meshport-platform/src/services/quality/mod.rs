//! Quality checks executed on the data: the ODCS quality rules of each provisioned port's contract,
//! compiled to SQL and run against the port's real tables (SQLite or PostgreSQL), every result kept;
//! the report (latest per check, history, SLOs) and the schedule.
//!
//! Library metrics (`rowCount`, `nullValues`, `missingValues`, `invalidValues`, `duplicateValues`) and
//! `sql` rules are executed; `text` rules and `custom` engines are listed as not executable. Every
//! rule measures one number, compared with the rule's operator. The rules that count a table's rows
//! share one pass over it (one query answering all their numbers); `duplicateValues` and `sql` rules
//! are queries of their own; a port's queries run on several connections at once. A query that fails
//! is a result with status `error` and the database's message.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use meshport_model::platform::ChangeEntity;
use meshport_model::trust::{
    CheckStatus, QualityHistory, QualityPoint, QualityReport, QualityResult, QualityRun, QualitySummary,
    SloReport, SloStatus,
};
use serde::Serialize;
use sqlx::Row;

use crate::adapters::sql::Probe;
use crate::error::ApiError;
use crate::services::auth::{Caller, Role};
use crate::services::catalog::{self, Audit, Tx};
use crate::services::incidents;
use crate::state::AppState;
use crate::store::{now_ms, rfc3339};

pub mod plan;

pub use crate::state::QUERY_TIMEOUT;
use plan::fmt;
pub use plan::{Executable, Measure, Plan, compare, plan};
/// The window of the pass-rate SLO.
pub const PASS_RATE_WINDOW_MS: i64 = 7 * 24 * 3600 * 1000;
/// The pass-rate target when the contract names none (`slaProperties` `passRate`).
pub const PASS_RATE_TARGET: f64 = 95.0;

/// Runs `plan`'s checks (those in `only`, when given) and its SLO measures, then stores the run, its
/// results, the incidents they open or reopen and the changes, in one transaction.
pub async fn run(
    state: &AppState,
    plan: &Plan,
    only: Option<&[String]>,
    trigger: &str,
    requested_by: &str,
    at: Option<i64>,
) -> Result<QualityRun, ApiError> {
    let started = at.unwrap_or_else(now_ms);
    let chosen: Vec<&Executable> = plan
        .executable
        .iter()
        .filter(|e| only.is_none_or(|only| only.contains(&e.check.check)))
        .collect();
    let mut by_location: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, e) in chosen.iter().enumerate() {
        by_location.entry(&e.location).or_default().push(i);
    }
    let mut values: Vec<Result<Option<f64>, String>> = vec![Err(String::new()); chosen.len()];
    for (location, indexes) in &by_location {
        port_values(state, location, &chosen, indexes, &mut values).await;
    }
    let mut measures = plan.measures.clone();
    for measure in measures
        .iter_mut()
        .filter(|m| m.sql.is_some() && m.error.is_none())
    {
        let sql = measure.sql.clone().unwrap_or_default();
        match state
            .adapter()
            .port_measure(&measure.location, &[sql], state.config().query_timeout)
            .await
        {
            Ok(mut values) => match values.pop() {
                Some(Ok(value)) => measure.measured = value,
                Some(Err(e)) => measure.error = Some(e),
                None => {}
            },
            Err(e) => measure.error = Some(e.to_string()),
        }
    }
    let finished = if at.is_some() { started } else { now_ms() };
    let results: Vec<QualityResult> = chosen
        .iter()
        .zip(values)
        .map(|(e, value)| evaluate(e, value, finished))
        .collect();
    let run = QualityRun {
        id: format!("qr_{}", uuid::Uuid::now_v7().simple()),
        product_id: plan.product_id.clone(),
        trigger: trigger.to_owned(),
        requested_by: requested_by.to_owned(),
        started_at: rfc3339(started),
        finished_at: rfc3339(finished),
        passed: count(&results, CheckStatus::Passed),
        failed: count(&results, CheckStatus::Failed),
        warnings: count(&results, CheckStatus::Warning),
        errors: count(&results, CheckStatus::Error),
        results,
        not_executable: plan.not_executable.clone(),
    };
    let mut tx = state.store().write().await?;
    run_store(&mut tx, &run, &measures, started, finished).await?;
    for result in &run.results {
        if matches!(result.status, CheckStatus::Failed | CheckStatus::Warning) {
            incidents::failure_record(&mut tx, plan, result, finished).await?;
        }
    }
    let summary = summary(&mut tx, plan, finished).await?;
    catalog::change_append(
        &mut tx,
        ChangeEntity::Quality,
        &plan.product_id,
        Some(&serde_json::to_value(&summary).map_err(ApiError::internal)?),
    )
    .await?;
    if trigger == "manual" {
        catalog::audit_append(
            &mut *tx,
            Audit {
                actor: requested_by,
                action: "quality.run",
                target: &plan.product_id,
                request_id: "",
                outcome: "succeeded",
                detail: Some(format!(
                    "{} passed, {} failed, {} warnings, {} errors",
                    run.passed, run.failed, run.warnings, run.errors
                )),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(run)
}

/// Measures the chosen rules (`indexes`) of one port into `values`: one probe per table for the
/// rules that count its rows, one per other rule, run on the configured number of connections. When a
/// shared pass fails (an invalid pattern, say), each of its rules runs alone, so that the error is
/// told of the rule that caused it; a pass that ran out of time is not run again.
async fn port_values(
    state: &AppState,
    location: &str,
    chosen: &[&Executable],
    indexes: &[usize],
    values: &mut [Result<Option<f64>, String>],
) {
    let (probes, members) = probes_plan(chosen, indexes);
    let config = state.config();
    let answers = state
        .adapter()
        .port_probe(
            location,
            &probes,
            config.query_timeout,
            config.quality_connections,
        )
        .await;
    let answers = match answers {
        Ok(answers) => answers,
        Err(e) => {
            for i in indexes {
                values[*i] = Err(format!("cannot reach the port's data: {e}"));
            }
            return;
        }
    };
    let mut alone = Vec::new();
    for (members, answer) in members.iter().zip(answers) {
        match answer {
            Ok(numbers) => {
                for (i, value) in members.iter().zip(numbers) {
                    values[*i] = Ok(value);
                }
            }
            Err(message) if members.len() > 1 && !timed_out(&message) => {
                alone.extend(members.iter().copied())
            }
            Err(message) => {
                for i in members {
                    values[*i] = Err(message.clone());
                }
            }
        }
    }
    if alone.is_empty() {
        return;
    }
    let queries: Vec<String> = alone.iter().map(|i| chosen[*i].sql.clone()).collect();
    match state
        .adapter()
        .port_measure(location, &queries, config.query_timeout)
        .await
    {
        Ok(measured) => {
            for (i, value) in alone.iter().zip(measured) {
                values[*i] = value;
            }
        }
        Err(e) => {
            for i in alone {
                values[i] = Err(format!("cannot reach the port's data: {e}"));
            }
        }
    }
}

/// The probes measuring `indexes` of `chosen`, with the indexes each answers: one pass per table over
/// the rules that count its rows (a rule alone on its table keeps its own query), and a query for
/// each other rule. The connections take them in order, so the likely longest come first: the
/// `duplicateValues` groupings, then the `sql` rules, then the passes (each a plain scan).
fn probes_plan(chosen: &[&Executable], indexes: &[usize]) -> (Vec<Probe>, Vec<Vec<usize>>) {
    let mut passes: Vec<(&str, Vec<usize>)> = Vec::new();
    let mut own = Vec::new();
    for &i in indexes {
        match &chosen[i].scan {
            Some(scan) => match passes.iter_mut().find(|(table, _)| *table == scan.table) {
                Some((_, members)) => members.push(i),
                None => passes.push((&scan.table, vec![i])),
            },
            None => own.push(i),
        }
    }
    let mut planned: Vec<(u8, Probe, Vec<usize>)> = Vec::new();
    for (table, indexes) in passes {
        if let [i] = indexes[..] {
            own.push(i);
            continue;
        }
        let expressions = indexes
            .iter()
            .filter_map(|i| chosen[*i].scan.as_ref().map(|s| s.expression.clone()))
            .collect();
        let table = table.to_owned();
        planned.push((2, Probe::Row { table, expressions }, indexes));
    }
    for i in own {
        let rank = match chosen[i].check.metric.as_deref() {
            Some("duplicateValues") => 0,
            _ if chosen[i].scan.is_none() => 1,
            _ => 2,
        };
        planned.push((rank, Probe::Value(chosen[i].sql.clone()), vec![i]));
    }
    planned.sort_by_key(|(rank, _, _)| *rank);
    planned
        .into_iter()
        .map(|(_, probe, members)| (probe, members))
        .unzip()
}

/// Whether a query's message says it ran out of time (PostgreSQL's `query_canceled`, SQLite's
/// interrupt).
fn timed_out(message: &str) -> bool {
    message.starts_with("SQLSTATE 57014") || message.starts_with("SQLSTATE SQLITE_INTERRUPT")
}

fn count(results: &[QualityResult], status: CheckStatus) -> usize {
    results.iter().filter(|r| r.status == status).count()
}

fn evaluate(e: &Executable, value: Result<Option<f64>, String>, at: i64) -> QualityResult {
    let (status, value, message) = match value {
        Err(message) => (CheckStatus::Error, None, Some(message)),
        // The query ran and answered NULL (e.g. `MAX` over no rows): no number keeps the rule.
        Ok(None) => (
            failing(&e.check.severity),
            None,
            Some(format!(
                "the query returned NULL, not a number; the rule says {}",
                e.check.threshold
            )),
        ),
        Ok(Some(value)) => match compare(&e.rule, value) {
            Err(message) => (CheckStatus::Error, Some(value), Some(message)),
            Ok(true) => (CheckStatus::Passed, Some(value), None),
            Ok(false) if e.failure.is_some() => (
                failing(&e.check.severity),
                Some(value),
                e.failure
                    .as_ref()
                    .map(|f| f.replace("{value}", &fmt(round(value)))),
            ),
            Ok(false) => {
                let status = failing(&e.check.severity);
                let subject = match &e.check.property {
                    Some(p) => format!("{}.{p}", e.check.object),
                    None => e.check.object.clone(),
                };
                let what = e.check.metric.clone().unwrap_or_else(|| "the query".into());
                (
                    status,
                    Some(value),
                    Some(format!(
                        "{what} of {subject} is {} {}; the rule says {}",
                        fmt(round(value)),
                        e.check.unit,
                        e.check.threshold
                    )),
                )
            }
        },
    };
    QualityResult {
        check: e.check.clone(),
        status,
        value,
        message,
        at: rfc3339(at),
    }
}

/// The status of a broken rule: `warning` for the severities datacontract-cli reads as one, else
/// `failed`.
fn failing(severity: &str) -> CheckStatus {
    if matches!(
        severity,
        "info" | "warning" | "warn" | "low" | "minor" | "trivial"
    ) {
        CheckStatus::Warning
    } else {
        CheckStatus::Failed
    }
}

fn round(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

async fn run_store(
    tx: &mut Tx,
    run: &QualityRun,
    measures: &[Measure],
    started: i64,
    finished: i64,
) -> Result<(), ApiError> {
    sqlx::query(
        "INSERT INTO quality_runs (id, product_id, trigger_kind, requested_by, started_at, finished_at, not_executable, \
         measures, results) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&run.id)
    .bind(&run.product_id)
    .bind(&run.trigger)
    .bind(&run.requested_by)
    .bind(started)
    .bind(finished)
    .bind(json(&run.not_executable))
    .bind(json(&measures))
    .bind(json(
        &run.results
            .iter()
            .map(|r| (&r.check.check, r.status, r.value))
            .collect::<Vec<_>>(),
    ))
    .execute(&mut **tx)
    .await?;
    for result in &run.results {
        sqlx::query(
            "INSERT INTO quality_results (run_id, check_id, product_id, port, at, status, value, message, definition) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&run.id)
        .bind(&result.check.check)
        .bind(&run.product_id)
        .bind(&result.check.port)
        .bind(finished)
        .bind(result.status.as_str())
        .bind(result.value)
        .bind(&result.message)
        .bind(json(&result.check))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// JSON text of a value the platform made (serializing it cannot fail).
pub fn json<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}

/// The latest result of each check of a product, in the plan's order (checks no longer in the
/// contract are left out).
async fn latest<'e, E>(executor: E, product_id: &str) -> Result<HashMap<String, QualityResult>, ApiError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let rows = sqlx::query(
        "SELECT r.check_id, r.at, r.status, r.value, r.message, r.definition FROM quality_results r \
         JOIN (SELECT check_id, MAX(at) AS at FROM quality_results WHERE product_id = $1 GROUP BY check_id) m \
         ON r.check_id = m.check_id AND r.at = m.at WHERE r.product_id = $1",
    )
    .bind(product_id)
    .fetch_all(executor)
    .await?;
    let mut out = HashMap::new();
    for row in rows {
        let definition: String = row.try_get("definition")?;
        let status: String = row.try_get("status")?;
        let result = QualityResult {
            check: serde_json::from_str(&definition).map_err(ApiError::internal)?,
            status: CheckStatus::parse(&status).unwrap_or(CheckStatus::Error),
            value: row.try_get("value")?,
            message: row.try_get("message")?,
            at: rfc3339(row.try_get("at")?),
        };
        out.insert(result.check.check.clone(), result);
    }
    Ok(out)
}

/// The SLOs of a product from the newest measures of each and the pass rate of its results.
async fn slos(conn: &mut sqlx::AnyConnection, plan: &Plan, now: i64) -> Result<Vec<SloReport>, ApiError> {
    let row = sqlx::query(
        "SELECT measures FROM quality_runs WHERE product_id = $1 ORDER BY finished_at DESC LIMIT 1",
    )
    .bind(&plan.product_id)
    .fetch_optional(&mut *conn)
    .await?;
    let measures: Vec<Measure> = match row {
        Some(row) => serde_json::from_str(&row.try_get::<String, _>("measures")?).unwrap_or_default(),
        None => Vec::new(),
    };
    let mut out = Vec::new();
    for m in &measures {
        out.push(slo_report(m, now));
    }
    let ports: Vec<String> = {
        let mut ports: Vec<String> = plan.executable.iter().map(|e| e.check.port.clone()).collect();
        ports.dedup();
        ports
    };
    for port in ports {
        let target = plan
            .pass_rate_targets
            .get(&port)
            .copied()
            .unwrap_or(PASS_RATE_TARGET);
        let row = sqlx::query(
            // The contract's rules: the schema checks a run adds are not counted in the pass rate
            // (each column's would outweigh the rules the SLA is about). `definition` is the check as
            // compact JSON.
            "SELECT COUNT(*) AS total, SUM(CASE WHEN status = 'passed' THEN 1 ELSE 0 END) AS passed \
             FROM quality_results WHERE product_id = $1 AND port = $2 AND at > $3 \
             AND definition NOT LIKE '%\"type\":\"schema\"%'",
        )
        .bind(&plan.product_id)
        .bind(&port)
        .bind(now - PASS_RATE_WINDOW_MS)
        .fetch_one(&mut *conn)
        .await?;
        let total: i64 = row.try_get("total")?;
        let passed: Option<i64> = row.try_get("passed")?;
        let measured = (total > 0).then(|| 100.0 * passed.unwrap_or(0) as f64 / total as f64);
        let status = match measured {
            None => SloStatus::Unknown,
            Some(m) => grade(m >= target, m < target + 0.2 * (100.0 - target)),
        };
        out.push(SloReport {
            slo: "passRate".into(),
            port: port.clone(),
            property: "quality".into(),
            element: None,
            status,
            target,
            measured: measured.map(round),
            unit: "percent".into(),
            detail: match measured {
                None => "no check ran in the last 7 days".into(),
                Some(m) => format!(
                    "{} of {total} results passed in the last 7 days ({}%); the target is {}%",
                    passed.unwrap_or(0),
                    fmt(round(m)),
                    fmt(target)
                ),
            },
        });
    }
    Ok(out)
}

fn grade(met: bool, close: bool) -> SloStatus {
    match (met, close) {
        (false, _) => SloStatus::Breached,
        (true, true) => SloStatus::AtRisk,
        (true, false) => SloStatus::Met,
    }
}

fn slo_report(m: &Measure, now: i64) -> SloReport {
    let mut report = SloReport {
        slo: m.slo.clone(),
        port: m.port.clone(),
        property: m.property.clone(),
        element: m.element.clone(),
        status: SloStatus::Unknown,
        target: round(m.target),
        measured: None,
        unit: m.unit.clone(),
        detail: String::new(),
    };
    if let Some(error) = &m.error {
        report.detail = error.clone();
        return report;
    }
    match (m.slo.as_str(), m.measured) {
        (_, None) => report.detail = "the element holds no value yet".into(),
        ("freshness", Some(newest)) => {
            let age = (now as f64 / 1000.0 - newest) / 3600.0;
            report.measured = Some(round(age));
            report.status = grade(age <= m.target, age > 0.8 * m.target);
            report.detail = format!(
                "the newest {} is {} hours old; the {} is {} hours",
                m.element.as_deref().unwrap_or("value"),
                fmt(round(age)),
                m.property,
                fmt(round(m.target))
            );
        }
        (_, Some(filled)) => {
            report.measured = Some(round(filled));
            report.status = grade(filled >= m.target, filled < m.target + 0.2 * (100.0 - m.target));
            report.detail = format!(
                "{} is {}% filled; the target is {}%",
                m.element.as_deref().unwrap_or("the element"),
                fmt(round(filled)),
                fmt(round(m.target))
            );
        }
    }
    report
}

/// The summary the change feed carries after a run.
async fn summary(tx: &mut Tx, plan: &Plan, now: i64) -> Result<QualitySummary, ApiError> {
    let latest = latest(&mut **tx, &plan.product_id).await?;
    let mut checks = Vec::new();
    let mut points = Vec::new();
    for e in &plan.executable {
        if let Some(result) = latest.get(&e.check.check) {
            checks.push(e.check.check.clone());
            points.push(QualityPoint {
                at: result.at.clone(),
                status: result.status,
                value: result.value,
            });
        }
    }
    let tally = |s: CheckStatus| points.iter().filter(|p| p.status == s).count();
    Ok(QualitySummary {
        product_id: plan.product_id.clone(),
        last_run_at: rfc3339(now),
        passed: tally(CheckStatus::Passed),
        failed: tally(CheckStatus::Failed),
        warnings: tally(CheckStatus::Warning),
        errors: tally(CheckStatus::Error),
        slos: slos(tx, plan, now).await?,
        latest: points,
        checks,
    })
}

/// Which part of a product's history a report holds.
#[derive(Debug, Clone, Copy)]
pub struct HistoryAsk<'a> {
    /// The window: runs that finished in the last `days` days.
    pub days: i64,
    /// At most this many runs of the window, the newest.
    pub limit: i64,
    /// The `nextCursor` of the previous page: the runs before the oldest run it held.
    pub cursor: Option<&'a str>,
}

/// `GET /v1/products/{id}/quality`: the latest result per check, each check's history (a page of the
/// window's runs, newest page first, points oldest first), SLOs.
pub async fn report(
    state: &AppState,
    product_id: &str,
    ask: HistoryAsk<'_>,
) -> Result<QualityReport, ApiError> {
    let before = ask
        .cursor
        .map(|c| {
            catalog::cursor_decode(c)?
                .split_once(':')
                .and_then(|(at, id)| Some((at.parse::<i64>().ok()?, id.to_owned())))
                .ok_or_else(catalog::cursor_invalid)
        })
        .transpose()?;
    let (before_at, before_id) = before.unzip();
    let plan = plan(state, product_id).await?;
    let now = now_ms();
    let mut conn = state.store().pool().acquire().await?;
    let latest = latest(&mut *conn, product_id).await?;
    // A row per run, each holding its results in short: 20 times fewer rows than one per result.
    // Newest first, so that the first page is the recent trend; the page is turned oldest first below.
    let mut rows = sqlx::query(
        "SELECT id, finished_at, results FROM quality_runs WHERE product_id = $1 AND finished_at > $2 \
         AND ($3 IS NULL OR finished_at < $3 OR (finished_at = $3 AND id < $4)) \
         ORDER BY finished_at DESC, id DESC LIMIT $5",
    )
    .bind(product_id)
    .bind(now - ask.days * 24 * 3600 * 1000)
    .bind(before_at)
    .bind(before_id)
    .bind(ask.limit + 1)
    .fetch_all(&mut *conn)
    .await?;
    let next_cursor = if rows.len() as i64 > ask.limit {
        rows.truncate(ask.limit as usize);
        let oldest = rows
            .last()
            .ok_or_else(|| ApiError::internal("a page of no runs has more"))?;
        let at: i64 = oldest.try_get("finished_at")?;
        let id: String = oldest.try_get("id")?;
        Some(catalog::cursor_encode(&format!("{at}:{id}")))
    } else {
        None
    };
    let mut history: HashMap<String, Vec<QualityPoint>> = HashMap::new();
    for row in rows.into_iter().rev() {
        let at = rfc3339(row.try_get("finished_at")?);
        let text: String = row.try_get("results")?;
        let results: Vec<(String, CheckStatus, Option<f64>)> =
            serde_json::from_str(&text).map_err(ApiError::internal)?;
        for (check, status, value) in results {
            history.entry(check).or_default().push(QualityPoint {
                at: at.clone(),
                status,
                value,
            });
        }
    }
    let last_run_at = sqlx::query("SELECT MAX(finished_at) AS at FROM quality_runs WHERE product_id = $1")
        .bind(product_id)
        .fetch_one(&mut *conn)
        .await?
        .try_get::<Option<i64>, _>("at")?
        .map(rfc3339);
    let slos = slos(&mut conn, &plan, now).await?;
    Ok(QualityReport {
        product_id: product_id.to_owned(),
        domain: plan.domain.clone(),
        last_run_at,
        latest: plan
            .executable
            .iter()
            .filter_map(|e| latest.get(&e.check.check).cloned())
            .collect(),
        history: plan
            .executable
            .iter()
            .map(|e| QualityHistory {
                check: e.check.check.clone(),
                points: history.remove(&e.check.check).unwrap_or_default(),
            })
            .collect(),
        slos,
        not_executable: plan.not_executable,
        next_cursor,
    })
}

/// Who may run a product's checks: its domain's stewards and owners.
pub fn may_run(caller: &Caller, domain: &str) -> Result<(), ApiError> {
    if caller.has(Role::Steward, domain) || caller.has(Role::Owner, domain) {
        Ok(())
    } else {
        Err(ApiError::forbidden(format!(
            "`{}` is neither a steward nor an owner of domain `{domain}`, so may not run its checks",
            caller.user
        )))
    }
}

/// Whether a check is due: never ran, or its cron schedule (`scheduler: cron`) or the platform's
/// default interval has come round since it last ran.
pub fn due(e: &Executable, last: Option<i64>, now: i64, default: Duration) -> bool {
    let Some(last) = last else { return true };
    let cron = e.rule.schedule.as_deref().filter(|_| {
        e.rule
            .scheduler
            .as_deref()
            .is_none_or(|s| s.eq_ignore_ascii_case("cron"))
    });
    if let Some(expression) = cron
        && let Ok(cron) = expression.parse::<croner::Cron>()
        && let Some(after) = chrono::DateTime::<chrono::Utc>::from_timestamp_millis(last)
        && let Ok(next) = cron.find_next_occurrence(&after, false)
    {
        return next.timestamp_millis() <= now;
    }
    last + default.as_millis() as i64 <= now
}

/// One pass of the scheduler: runs the due checks of every provisioned product, each product claimed
/// by one platform process at a time.
pub async fn schedule_tick(state: &AppState) -> Result<usize, ApiError> {
    let products: Vec<String> =
        sqlx::query("SELECT DISTINCT product_id FROM port_resources ORDER BY product_id")
            .fetch_all(state.store().pool())
            .await?
            .iter()
            .filter_map(|r| r.try_get("product_id").ok())
            .collect();
    let mut ran = 0;
    for product_id in products {
        let Ok(plan) = plan(state, &product_id).await else {
            continue;
        };
        let now = now_ms();
        let rows = sqlx::query(
            "SELECT check_id, MAX(at) AS at FROM quality_results WHERE product_id = $1 GROUP BY check_id",
        )
        .bind(&product_id)
        .fetch_all(state.store().pool())
        .await?;
        let mut last: HashMap<String, i64> = HashMap::new();
        for row in rows {
            last.insert(row.try_get("check_id")?, row.try_get("at")?);
        }
        let interval = state.config().quality_interval;
        let due: Vec<String> = plan
            .executable
            .iter()
            .filter(|e| due(e, last.get(&e.check.check).copied(), now, interval))
            .map(|e| e.check.check.clone())
            .collect();
        if due.is_empty() || !claim(state, &product_id, now).await? {
            continue;
        }
        let outcome = run(state, &plan, Some(&due), "schedule", "platform", None).await;
        sqlx::query("DELETE FROM quality_claims WHERE product_id = $1 AND lease_owner = $2")
            .bind(&product_id)
            .bind(state.instance())
            .execute(state.store().pool())
            .await?;
        match outcome {
            Ok(_) => ran += 1,
            Err(error) => tracing::warn!(%error, product = %product_id, "a scheduled quality run failed"),
        }
    }
    Ok(ran)
}

/// Takes a product's schedule lease for this process (10 minutes); false when another holds it.
async fn claim(state: &AppState, product_id: &str, now: i64) -> Result<bool, ApiError> {
    let mut tx = state.store().write().await?;
    let held = sqlx::query("SELECT lease_owner, lease_until FROM quality_claims WHERE product_id = $1")
        .bind(product_id)
        .fetch_optional(&mut *tx)
        .await?;
    let until = now + 600_000;
    let taken = match held {
        Some(row) if row.try_get::<i64, _>("lease_until")? > now => false,
        Some(_) => {
            sqlx::query("UPDATE quality_claims SET lease_owner = $1, lease_until = $2 WHERE product_id = $3 AND lease_until <= $4")
                .bind(state.instance())
                .bind(until)
                .bind(product_id)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                == 1
        }
        None => {
            sqlx::query("INSERT INTO quality_claims (product_id, lease_owner, lease_until) VALUES ($1, $2, $3) ON CONFLICT (product_id) DO NOTHING")
                .bind(product_id)
                .bind(state.instance())
                .bind(until)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                == 1
        }
    };
    tx.commit().await?;
    Ok(taken)
}

#[cfg(test)]
mod tests {
    use super::*;
    use meshport_model::contract::QualityRule;
    use serde_json::json;

    fn rule(value: serde_json::Value) -> QualityRule {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn cron_schedules_and_the_default_interval_decide_what_is_due() {
        let executable = |schedule: Option<&str>| Executable {
            check: serde_json::from_value(
                json!({"check": "p:t:0", "port": "p", "object": "t", "index": 0, "type": "library",
                "severity": "error", "threshold": "mustBe 0", "unit": "rows"}),
            )
            .unwrap(),
            sql: String::new(),
            scan: None,
            rule: rule(json!({"metric": "rowCount", "mustBe": 0, "scheduler": "cron", "schedule": schedule})),
            location: String::new(),
            failure: None,
        };
        let hour = 3_600_000;
        // 2026-01-01T00:30Z; `0 */6 * * *` next fires at 06:00.
        let last = 1_767_227_400_000;
        let six = executable(Some("0 */6 * * *"));
        assert!(!due(
            &six,
            Some(last),
            last + 5 * hour,
            Duration::from_secs(86_400)
        ));
        assert!(due(
            &six,
            Some(last),
            last + 6 * hour,
            Duration::from_secs(86_400)
        ));
        let none = executable(None);
        assert!(!due(
            &none,
            Some(last),
            last + 23 * hour,
            Duration::from_secs(86_400)
        ));
        assert!(due(
            &none,
            Some(last),
            last + 24 * hour,
            Duration::from_secs(86_400)
        ));
        assert!(due(&none, None, last, Duration::from_secs(86_400)));
    }
}
