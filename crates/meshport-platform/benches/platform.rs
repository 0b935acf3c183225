//! Whole-platform figures, measured against the `meshport-platform serve` binary over loopback:
//!
//! - submit throughput: 50 concurrent clients submitting distinct requests (SQLite; and PostgreSQL
//!   with two instances, every request sent twice with one key, counting duplicate jobs);
//! - end to end: a 3-port product from submit to succeeded (SQLite);
//! - import: `import` of 100,000 products of three shapes (the feed's; minimal products under random
//!   ids; big products with ports, a team and long descriptions);
//! - the change feed: pages of 1,000 from `GET /v1/changes` after the import of the feed's shape.
//!
//! `cargo bench -p meshport-platform --bench platform` (PostgreSQL when `MESHPORT_TEST_POSTGRES_URL`
//! names a server, e.g. under `cargo xtask with-postgres`). Sizes shrink with `MESHPORT_BENCH_QUICK=1`;
//! `MESHPORT_BENCH_RUNS=N` repeats each submit run on a fresh platform; `MESHPORT_BENCH_SERVE_CPUS=0`
//! starts every `serve` under `taskset -c 0`, so that with `taskset -c 1 cargo bench …` the load
//! generator and the platform do not share a core.
//!
//! Each submit run reports the CPU time the `serve` processes and the load generator spent per
//! request (user + system, from `/proc/PID/stat`): on two shared cores, throughput is what is left of
//! the CPU divided by that.

use std::io::BufRead;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use meshport_client::{Client, Secret};
use serde_json::{Value, json};
use sqlx::{Connection, Row};

struct Serve {
    child: Child,
    url: String,
    owen: String,
}

impl Serve {
    /// CPU seconds the process has used so far.
    fn cpu(&self) -> f64 {
        cpu_seconds(&format!("/proc/{}/stat", self.child.id()))
    }
}

/// User + system CPU seconds of a process, from its `/proc/PID/stat` (fields 14 and 15, in clock
/// ticks of 1/100 s, which is what Linux gives user space on every architecture it runs on).
fn cpu_seconds(stat: &str) -> f64 {
    let Ok(text) = std::fs::read_to_string(stat) else {
        return 0.0;
    };
    // The command name (field 2) is in parentheses and may hold spaces: count after its end.
    let fields: Vec<&str> = text
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks = |n: usize| fields.get(n - 3).and_then(|f| f.parse::<u64>().ok()).unwrap_or(0);
    (ticks(14) + ticks(15)) as f64 / 100.0
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(database: &str, ports: &Path) -> Serve {
    let binary = env!("CARGO_BIN_EXE_meshport-platform");
    let mut command = match std::env::var("MESHPORT_BENCH_SERVE_CPUS") {
        Ok(cpus) => {
            let mut command = Command::new("taskset");
            command.args(["-c", &cpus, binary]);
            command
        }
        Err(_) => Command::new(binary),
    };
    let mut child = command
        .args([
            "serve",
            "--demo",
            "--addr",
            "127.0.0.1:0",
            "--database",
            database,
            "--ports-dir",
        ])
        .arg(ports)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .expect("the platform binary starts");
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let (mut url, mut owen) = (String::new(), String::new());
    while owen.is_empty() || url.is_empty() {
        let line = lines
            .next()
            .expect("serve prints its address and tokens")
            .unwrap();
        if let Some(rest) = line.strip_prefix("listening on ") {
            url = rest.to_owned();
        } else if let Some(rest) = line.strip_prefix("token\towen\t") {
            owen = rest.split('\t').next().unwrap().to_owned();
        }
    }
    std::thread::spawn(move || for _ in lines {});
    Serve { child, url, owen }
}

/// The demo's orders request under fresh ids, with `ports` SQL output ports.
fn request(ports: usize) -> Value {
    let text = include_str!("../demo/orders-request.yaml");
    let mut request = meshport_governance::document::parse(text)
        .unwrap()
        .remove(0)
        .value;
    let product_id = uuid::Uuid::new_v4().to_string();
    request["product"]["id"] = json!(product_id);
    request["product"]["name"] = json!(format!("Bench {}", &product_id[..8]));
    let port = request["product"]["outputPorts"][0].clone();
    let contract = request["contracts"][0].clone();
    let mut port_list = Vec::new();
    let mut contracts = Vec::new();
    for n in 0..ports {
        let id = uuid::Uuid::new_v4().to_string();
        let mut p = port.clone();
        p["name"] = json!(format!("order-lines-{n}"));
        p["contractId"] = json!(id);
        let mut c = contract.clone();
        c["id"] = json!(id);
        c["name"] = json!(format!("order-lines-{n}"));
        port_list.push(p);
        contracts.push(c);
    }
    request["product"]["outputPorts"] = Value::Array(port_list);
    request["contracts"] = Value::Array(contracts);
    request
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// CPU seconds used so far by every process named `postgres` (the cluster's server processes).
fn postgres_cpu() -> f64 {
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .bytes()
                .all(|b| b.is_ascii_digit())
        })
        .filter(|e| std::fs::read_to_string(e.path().join("comm")).is_ok_and(|c| c.trim() == "postgres"))
        .map(|e| cpu_seconds(&e.path().join("stat").to_string_lossy()))
        .sum()
}

/// CPU milliseconds per request.
fn per_request(seconds: f64, requests: usize) -> String {
    format!("{:.2} ms", seconds * 1000.0 / requests.max(1) as f64)
}

/// 50 clients, each submitting `each` distinct requests in a row; optionally every request twice
/// with one key, once through each of two instances.
async fn submit_load(
    urls: &[String],
    token: &str,
    clients: usize,
    each: usize,
    twice: bool,
) -> (f64, Duration, usize) {
    let requests: Vec<Vec<Value>> = (0..clients)
        .map(|_| (0..each).map(|_| request(1)).collect())
        .collect();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (c, batch) in requests.into_iter().enumerate() {
        let clients: Vec<Client> = urls
            .iter()
            .map(|u| Client::new(u, Secret::new(token)).unwrap())
            .collect();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            for (n, request) in batch.iter().enumerate() {
                let key = format!("bench-{c}-{n}-{}", uuid::Uuid::new_v4().simple());
                let began = Instant::now();
                if twice {
                    let (a, b) = tokio::join!(
                        clients[0].request_submit_document(request, &key),
                        clients[clients.len() - 1].request_submit_document(request, &key)
                    );
                    a.expect("accepted");
                    b.expect("accepted or replayed");
                } else {
                    clients[n % clients.len()]
                        .request_submit_document(request, &key)
                        .await
                        .expect("accepted");
                }
                latencies.push(began.elapsed());
            }
            latencies
        }));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.unwrap());
    }
    let elapsed = started.elapsed();
    latencies.sort();
    (
        latencies.len() as f64 / elapsed.as_secs_f64(),
        percentile(&latencies, 0.99),
        latencies.len(),
    )
}

/// A shape of synthetic catalog for the import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// The change feed's: ids in ascending order, a version, a purpose and two tags.
    Feed,
    /// A name, domain, status, purpose and two tags, under random ids (UUIDs v4), no version.
    Minimal,
    /// Five output ports each naming a contract, two input ports, a team and long descriptions.
    Big,
}

impl Shape {
    fn name(self) -> &'static str {
        match self {
            Shape::Feed => "feed",
            Shape::Minimal => "minimal",
            Shape::Big => "big",
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Shape::Feed => "the feed's products (ascending ids, a version, a purpose, two tags)",
            Shape::Minimal => "minimal products (random UUIDs; name, domain, status, purpose, two tags)",
            Shape::Big => {
                "big products (random UUIDs, 5 output ports, 2 input ports, a team, about 5 KB of descriptions)"
            }
        }
    }

    fn product(self, n: usize) -> Value {
        let domain = ["customer", "inventory", "orders", "marketing", "finance"][n % 5];
        match self {
            Shape::Feed => json!({
                "apiVersion": "v1.0.0", "kind": "DataProduct",
                "id": format!("{:08x}-0000-4000-8000-{n:012}", n),
                "name": format!("Product {n}"), "version": "1.0.0", "status": "active", "domain": domain,
                "description": {"purpose": format!("Generated product {n} of the {domain} domain, for the feed benchmark.")},
                "tags": [domain, "generated"],
            }),
            Shape::Minimal => json!({
                "apiVersion": "v1.0.0", "kind": "DataProduct", "id": uuid::Uuid::new_v4().to_string(),
                "name": format!("Product {n}"), "domain": domain, "status": "active",
                "description": {"purpose": format!("Product {n} of the {domain} domain.")},
                "tags": [domain, format!("tag-{}", n % 50)],
            }),
            Shape::Big => {
                let long = |what: &str| format!("{what} of product {n} of the {domain} domain. ").repeat(12);
                let output: Vec<Value> = (0..5)
                    .map(|p| {
                        json!({
                            "name": format!("port-{p}"), "version": "1.0.0", "type": "tables",
                            "contractId": uuid::Uuid::new_v4().to_string(),
                            "description": long("A table"),
                        })
                    })
                    .collect();
                let input: Vec<Value> = (0..2)
                    .map(|p| {
                        json!({"name": format!("source-{p}"), "version": "2.0.0",
                                    "contractId": uuid::Uuid::new_v4().to_string()})
                    })
                    .collect();
                json!({
                    "apiVersion": "v1.0.0", "kind": "DataProduct", "id": uuid::Uuid::new_v4().to_string(),
                    "name": format!("Product {n}"), "version": "2.3.0", "status": "active", "domain": domain,
                    "tenant": "RetailCorp",
                    "description": {"purpose": long("The purpose"), "limitations": long("The limitations"),
                                    "usage": long("The usage")},
                    "tags": [domain, format!("tag-{}", n % 50), "generated"],
                    "inputPorts": input, "outputPorts": output,
                    "team": {"name": format!("{domain}-data"), "members": [
                        {"username": "maria@example.com", "name": "Maria", "role": "owner"},
                        {"username": "tom@example.com", "name": "Tom", "role": "data engineer"}]},
                })
            }
        }
    }
}

/// Waits until no job of the SQLite platform database at `path` is queued or running.
async fn jobs_wait(path: &Path) {
    let mut db = sqlx::SqliteConnection::connect(&format!("sqlite://{}?mode=ro", path.display()))
        .await
        .unwrap();
    loop {
        let open: i64 = sqlx::query("SELECT COUNT(*) AS n FROM jobs WHERE state IN ('queued', 'running')")
            .fetch_one(&mut db)
            .await
            .unwrap()
            .get("n");
        if open == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn end_to_end(url: &str, token: &str, runs: usize) -> Vec<Duration> {
    let client = Client::new(url, Secret::new(token)).unwrap();
    let mut times = Vec::new();
    for _ in 0..runs {
        let request = request(3);
        let began = Instant::now();
        let job = client
            .request_submit_document(&request, &uuid::Uuid::new_v4().to_string())
            .await
            .unwrap()
            .job;
        loop {
            let now = client.request_get(&job.id).await.unwrap();
            if now.state.is_finished() {
                assert_eq!(
                    now.state,
                    meshport_model::platform::JobState::Succeeded,
                    "{now:?}"
                );
                break;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        times.push(began.elapsed());
    }
    times.sort();
    times
}

#[tokio::main]
async fn main() {
    let quick = std::env::var_os("MESHPORT_BENCH_QUICK").is_some();
    // `MESHPORT_BENCH_ONLY=submit|e2e|postgres|import|feed` runs one part (`feed` imports the feed's
    // shape only).
    let only = std::env::var("MESHPORT_BENCH_ONLY").ok();
    let runs = |part: &str| only.as_deref().is_none_or(|o| o == part);
    // Requests per client in the submit runs.
    let each = if quick { 4 } else { 20 };
    let bench_runs: usize = std::env::var("MESHPORT_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(1);
    let dir = tempfile::tempdir().unwrap();
    let mut rows: Vec<(String, String)> = Vec::new();

    // Submit throughput on SQLite.
    if runs("submit") {
        for run in 0..bench_runs {
            let name = format!("load-{run}");
            let path = dir.path().join(format!("{name}.db"));
            let db = format!("sqlite://{}", path.display());
            let platform = serve(&db, &dir.path().join(format!("ports-{name}")));
            let _ = submit_load(std::slice::from_ref(&platform.url), &platform.owen, 10, 2, false).await; // warm up
            // Wait for the warm-up's jobs, so that the run starts with an empty queue.
            jobs_wait(&path).await;
            let (serve_before, client_before) = (platform.cpu(), cpu_seconds("/proc/self/stat"));
            let began = Instant::now();
            let (rate, p99, n) = submit_load(
                std::slice::from_ref(&platform.url),
                &platform.owen,
                50,
                each,
                false,
            )
            .await;
            let (serve_submit, client_submit) = (
                platform.cpu() - serve_before,
                cpu_seconds("/proc/self/stat") - client_before,
            );
            let submitted = began.elapsed();
            // How fast the runners provisioned them: until no job is left queued or running.
            jobs_wait(&path).await;
            let provisioned = n as f64 / began.elapsed().as_secs_f64();
            let serve_all = platform.cpu() - serve_before;
            rows.push((
                "submit, 50 concurrent clients, SQLite".into(),
                format!(
                    "{rate:.0} accepted/s, p99 {} ({n} requests); all {n} provisioned at {provisioned:.0}/s; CPU per \
                     request while submitting ({:.1} s): serve {} ({:.2} cores), load generator {}; serve from \
                     submit to provisioned: {}",
                    ms(p99),
                    submitted.as_secs_f64(),
                    per_request(serve_submit, n),
                    serve_submit / submitted.as_secs_f64(),
                    per_request(client_submit, n),
                    per_request(serve_all, n),
                ),
            ));
            drop(platform);
        }
    }

    // A 3-port product end to end on SQLite.
    if runs("e2e") {
        let db = format!("sqlite://{}", dir.path().join("e2e.db").display());
        let platform = serve(&db, &dir.path().join("ports-e2e"));
        let times = end_to_end(&platform.url, &platform.owen, if quick { 5 } else { 20 }).await;
        rows.push((
            "3-port product, submit to succeeded, SQLite".into(),
            format!(
                "median {}, p95 {} ({} runs)",
                ms(percentile(&times, 0.5)),
                ms(percentile(&times, 0.95)),
                times.len()
            ),
        ));
        drop(platform);
    }

    // Two instances on one PostgreSQL, every request sent twice with one key.
    if !runs("postgres") {
    } else if let Ok(base) = std::env::var("MESHPORT_TEST_POSTGRES_URL") {
        for run in 0..bench_runs {
            let name = format!("bench_{}", uuid::Uuid::new_v4().simple());
            let mut conn = sqlx::PgConnection::connect(&base).await.unwrap();
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&mut conn)
                .await
                .unwrap();
            let url = format!("{}/{name}", base.rsplit_once('/').unwrap().0);
            let ports = dir.path().join(format!("ports-pg-{run}"));
            let a = serve(&url, &ports);
            let b = serve(&url, &ports);
            let urls = vec![a.url.clone(), b.url.clone()];
            let mut db = sqlx::PgConnection::connect(&url).await.unwrap();
            let _ = submit_load(&urls, &a.owen, 10, 2, true).await; // warm up both
            loop {
                let open: i64 =
                    sqlx::query("SELECT COUNT(*) AS n FROM jobs WHERE state IN ('queued', 'running')")
                        .fetch_one(&mut db)
                        .await
                        .unwrap()
                        .get("n");
                if open == 0 {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            let count = "SELECT COUNT(*) AS n FROM jobs WHERE product_name LIKE 'Bench %'";
            let jobs_before: i64 = sqlx::query(count).fetch_one(&mut db).await.unwrap().get("n");
            let (serve_before, client_before, pg_before) =
                (a.cpu() + b.cpu(), cpu_seconds("/proc/self/stat"), postgres_cpu());
            let began = Instant::now();
            let (rate, p99, n) = submit_load(&urls, &a.owen, 50, each, true).await;
            let elapsed = began.elapsed().as_secs_f64();
            let (serve_cpu, client_cpu, pg_cpu) = (
                a.cpu() + b.cpu() - serve_before,
                cpu_seconds("/proc/self/stat") - client_before,
                postgres_cpu() - pg_before,
            );
            let jobs: i64 = sqlx::query(count)
                .fetch_one(&mut db)
                .await
                .unwrap()
                .get::<i64, _>("n")
                - jobs_before;
            rows.push((
                "submit, 50 concurrent clients, PostgreSQL, two instances, each request twice".into(),
                format!(
                    "{rate:.0} requests/s (each sent twice), p99 {}; {jobs} jobs for {n} requests: {} duplicates; CPU \
                     per request ({elapsed:.1} s): the two serve processes {} ({:.2} cores), PostgreSQL {}, load \
                     generator {}",
                    ms(p99),
                    jobs - n as i64,
                    per_request(serve_cpu, n),
                    serve_cpu / elapsed,
                    per_request(pg_cpu, n),
                    per_request(client_cpu, n),
                ),
            ));
        }
    } else {
        rows.push((
            "PostgreSQL".into(),
            "skipped: MESHPORT_TEST_POSTGRES_URL is not set".into(),
        ));
    }

    // Import of catalogs of three shapes, then the change feed of the benchmark's.
    if runs("feed") || runs("import") {
        let products = if quick { 10_000 } else { 100_000 };
        let mut feed_db = None;
        for shape in [Shape::Feed, Shape::Minimal, Shape::Big] {
            if shape != Shape::Feed && !runs("import") {
                continue;
            }
            let file = dir.path().join(format!("{}.jsonl", shape.name()));
            let mut text = String::with_capacity(products * 500);
            for n in 0..products {
                text.push_str(&shape.product(n).to_string());
                text.push('\n');
            }
            let megabytes = text.len() as f64 / 1e6;
            std::fs::write(&file, text).unwrap();
            let db = format!(
                "sqlite://{}",
                dir.path().join(format!("{}.db", shape.name())).display()
            );
            let began = Instant::now();
            let status = Command::new(env!("CARGO_BIN_EXE_meshport-platform"))
                .args(["import"])
                .arg(&file)
                .args(["--database", &db])
                .stderr(Stdio::null())
                .status()
                .unwrap();
            assert!(status.success());
            let import = began.elapsed();
            rows.push((
                format!(
                    "import of {products} products (JSON Lines, {megabytes:.0} MB), {}, SQLite",
                    shape.describe()
                ),
                format!("{:.1} s", import.as_secs_f64()),
            ));
            if shape == Shape::Feed {
                feed_db = Some(db);
            }
        }
        let db = feed_db.unwrap();
        if runs("feed") {
            let platform = serve(&db, &dir.path().join("ports-feed"));
            let client = Arc::new(Client::new(&platform.url, Secret::new(platform.owen.clone())).unwrap());
            let mut pages = Vec::new();
            for round in 0..3 {
                let mut after = 0;
                loop {
                    let began = Instant::now();
                    let page = client.changes_list(after, Some(1000)).await.unwrap();
                    if round > 0 {
                        pages.push(began.elapsed());
                    }
                    after = page.next;
                    if !page.has_more {
                        break;
                    }
                }
            }
            pages.sort();
            rows.push((
                format!("GET /v1/changes, page of 1,000, {products} products in the feed, SQLite"),
                format!(
                    "median {}, p99 {} ({} pages)",
                    ms(percentile(&pages, 0.5)),
                    ms(percentile(&pages, 0.99)),
                    pages.len()
                ),
            ));
            drop(platform);
        }
    }

    println!("\n| what | figure |\n|---|---|");
    for (what, figure) in rows {
        println!("| {what} | {figure} |");
    }
}
