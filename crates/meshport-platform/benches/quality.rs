//! Quality figures, measured through the platform's HTTP API on a real loopback port:
//!
//! - a run of 20 checks (every library metric, `sql` rules) on a port of 1,000,000 rows, on SQLite
//!   and (when `MESHPORT_TEST_POSTGRES_URL` names a server, e.g. under `cargo xtask with-postgres`)
//!   on PostgreSQL: the time per run;
//! - `GET /v1/products/{id}/quality` with a year of daily history for 20 checks: p50 and p99. The
//!   history is made by 365 real runs on a small port, each timed at its day.
//!
//! `cargo bench -p meshport-platform --bench quality`; `MESHPORT_BENCH_QUICK=1` shrinks the sizes,
//! `MESHPORT_BENCH_ONLY=run|report` runs one part.

use std::time::{Duration, Instant};

use meshport_client::{Client, Secret};
use meshport_platform::adapters::sql::{SqlTarget, quote};
use meshport_platform::auth::token_create;
use meshport_platform::store::now_ms;
use meshport_platform::{AppState, Config, Platform, demo, jobs, quality};
use serde_json::{Value, json};
use sqlx::Connection;

/// The 20 checks: every library metric, both units, and `sql` rules; the contract that
/// `tests/bench/quality_peer.py` hands datacontract-cli too.
fn contract_schema() -> Value {
    let contract: Value =
        serde_yaml_ng::from_str(include_str!("../../../tests/bench/quality/events.odcs.yaml")).unwrap();
    contract["schema"].clone()
}

/// The demo's orders request with the 20-check contract, under fresh ids.
fn request() -> Value {
    let (_, mut request) = demo::demo_requests().into_iter().next().unwrap();
    request["product"]["id"] = json!(uuid::Uuid::new_v4().to_string());
    request["product"]["name"] = json!("Events");
    let contract_id = uuid::Uuid::new_v4().to_string();
    request["product"]["outputPorts"][0]["contractId"] = json!(contract_id);
    let contract = &mut request["contracts"][0];
    contract["id"] = json!(contract_id);
    contract["schema"] = contract_schema();
    let slas: Vec<Value> = contract["slaProperties"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s.get("element").is_none())
        .cloned()
        .collect();
    contract["slaProperties"] = json!(slas);
    request
}

/// Provisions the 20-check product and fills its table with `rows` rows; returns its id.
async fn product(state: &AppState, rows: usize) -> String {
    let request = request();
    let id = request["product"]["id"].as_str().unwrap().to_owned();
    let body = serde_json::to_vec(&request).unwrap();
    let answer = jobs::submit(
        state,
        &demo::demo_caller("owen"),
        Some(&uuid::Uuid::new_v4().to_string()),
        &body,
    )
    .await
    .unwrap_or_else(|e| panic!("{e}: {:?}", e.problem().findings));
    let job = answer.job["id"].as_str().unwrap().to_owned();
    assert_eq!(
        demo::job_wait(state, &job).await.unwrap(),
        meshport_model::platform::JobState::Succeeded
    );
    let location: String = sqlx::query_scalar("SELECT location FROM port_resources WHERE product_id = $1")
        .bind(&id)
        .fetch_one(state.store().pool())
        .await
        .unwrap();
    let postgres = matches!(state.adapter().target(), SqlTarget::Postgres { .. });
    let columns = "id, customer, status, amount, email, created_at, country";
    let sql = if postgres {
        format!(
            "INSERT INTO {}.events ({columns}) SELECT i, 'c' || (i % 50000), (ARRAY['new','paid','shipped'])[1 + i % 3], \
             (i % 1000) * 1.5, 'u' || i || '@example.org', TIMESTAMPTZ '2026-11-01 00:00:00+00' + i * INTERVAL '1 second', \
             (ARRAY['DE','FR','NL','ES'])[1 + i % 4] FROM generate_series(1, {rows}) AS i",
            quote(&location)
        )
    } else {
        format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows}) INSERT INTO events ({columns}) \
             SELECT i, 'c' || (i % 50000), CASE i % 3 WHEN 0 THEN 'new' WHEN 1 THEN 'paid' ELSE 'shipped' END, (i % 1000) * 1.5, \
             'u' || i || '@example.org', '2026-11-01T00:00:00Z', CASE i % 4 WHEN 0 THEN 'DE' WHEN 1 THEN 'FR' WHEN 2 THEN 'NL' ELSE 'ES' END FROM n"
        )
    };
    state.adapter().port_execute(&location, &[sql]).await.unwrap();
    id
}

async fn platform(database: &str, ports: &std::path::Path) -> (Platform, Client) {
    let mut config = Config::new(database);
    config.ports_dir = ports.to_owned();
    // The bench runs checks itself: no scheduled run in between.
    config.trust_tick = Duration::from_secs(3600);
    let state = AppState::open(config).await.unwrap();
    demo::governance_seed(&state).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let platform = Platform::serve(state.clone(), listener).unwrap();
    let token = token_create(state.store(), "sam").await.unwrap();
    let client = Client::new(&platform.url(), Secret::new(token)).unwrap();
    (platform, client)
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// Runs of the 20 checks on a port of `rows` rows: (median, min) per run.
async fn run_time(database: &str, ports: &std::path::Path, rows: usize, runs: usize) -> (Duration, Duration) {
    let (platform, client) = platform(database, ports).await;
    let id = product(&platform.state, rows).await;
    let mut times = Vec::new();
    for _ in 0..runs {
        let began = Instant::now();
        let run = client.quality_run(&id).await.unwrap();
        times.push(began.elapsed());
        // The contract's 20 rules, beside the schema checks each run adds.
        let rules = run.results.iter().filter(|r| r.check.kind != "schema").count();
        assert_eq!(rules, 20, "{:?}", run.not_executable);
        assert!(
            run.results
                .iter()
                .all(|r| r.status == meshport_model::trust::CheckStatus::Passed),
            "{run:?}"
        );
    }
    times.sort();
    platform.shutdown().await;
    (times[times.len() / 2], times[0])
}

#[tokio::main]
async fn main() {
    let quick = std::env::var_os("MESHPORT_BENCH_QUICK").is_some();
    let rows = if quick { 100_000 } else { 1_000_000 };
    let dir = tempfile::tempdir().unwrap();
    let mut lines: Vec<(String, String)> = Vec::new();

    let only = std::env::var("MESHPORT_BENCH_ONLY").ok();
    let part = |name: &str| only.as_deref().is_none_or(|o| o == name);
    if part("run") {
        let sqlite = format!("sqlite://{}", dir.path().join("quality.db").display());
        let (median, min) = run_time(&sqlite, &dir.path().join("ports"), rows, 5).await;
        lines.push((
            format!("quality run, 20 checks, {rows} rows, SQLite"),
            format!("median {}, best {} (5 runs)", ms(median), ms(min)),
        ));
        if let Ok(base) = std::env::var("MESHPORT_TEST_POSTGRES_URL") {
            let name = format!("bench_{}", uuid::Uuid::new_v4().simple());
            let mut conn = sqlx::PgConnection::connect(&base).await.unwrap();
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&mut conn)
                .await
                .unwrap();
            let (prefix, _) = base.rsplit_once('/').unwrap();
            let (median, min) =
                run_time(&format!("{prefix}/{name}"), &dir.path().join("pg-ports"), rows, 5).await;
            lines.push((
                format!("quality run, 20 checks, {rows} rows, PostgreSQL"),
                format!("median {}, best {} (5 runs)", ms(median), ms(min)),
            ));
        }
    }

    // A year of daily history: 365 real runs on a small port, each timed at its day.
    if part("report") {
        let history = format!("sqlite://{}", dir.path().join("history.db").display());
        let (platform, client) = platform(&history, &dir.path().join("history-ports")).await;
        let id = product(&platform.state, 1_000).await;
        let plan = quality::plan(&platform.state, &id).await.unwrap();
        let days = if quick { 60 } else { 365 };
        let now = now_ms();
        for day in (0..days).rev() {
            quality::run(
                &platform.state,
                &plan,
                None,
                "seed",
                "platform",
                Some(now - day * 86_400_000),
            )
            .await
            .unwrap();
        }
        let mut times = Vec::new();
        for i in 0..220 {
            let began = Instant::now();
            let report = client.quality_report(&id, Some(366)).await.unwrap();
            if i >= 20 {
                times.push(began.elapsed());
            }
            assert_eq!(report.history.len(), 20);
            assert_eq!(report.history[0].points.len(), days as usize);
        }
        times.sort();
        lines.push((
            format!("GET quality, 20 checks x {days} days of history, SQLite"),
            format!(
                "p50 {}, p99 {} (200 requests)",
                ms(times[times.len() / 2]),
                ms(times[times.len() * 99 / 100])
            ),
        ));
        platform.shutdown().await;
    }

    println!("\n| Figure | Result |\n|---|---|");
    for (figure, result) in lines {
        println!("| {figure} | {result} |");
    }
}
