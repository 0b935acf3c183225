//! Offline catalog figures, measured through the real platform over loopback:
//!
//! - a full sync of 100,000 products (imported into a SQLite platform as `meshport-platform import`
//!   does) into a fresh cache, and the process's peak memory (VmHWM) after it;
//! - an incremental sync of 1,000 changes;
//! - search over the 100,000 cached products: p95 of one-word, two-word and prefix queries, each with
//!   a facet filter.
//!
//! `cargo bench -p meshport-cli --bench sync`; `MESHPORT_BENCH_QUICK=1` shrinks the catalog.

use std::time::{Duration, Instant};

use meshport_catalog::cache::{Cache, SearchQuery};
use meshport_client::{Client, Secret};
use meshport_core::sync::catalog_sync;
use meshport_platform::{AppState, Config, Platform, auth, catalog, demo};
use serde_json::{Value, json};

const DOMAINS: &[&str] = &[
    "orders",
    "customer",
    "inventory",
    "marketing",
    "finance",
    "logistics",
    "hr",
    "risk",
];
const WORDS: &[&str] = &[
    "revenue",
    "churn",
    "stock",
    "shipment",
    "invoice",
    "campaign",
    "loyalty",
    "forecast",
    "payment",
    "supplier",
    "returns",
    "pricing",
    "session",
    "ledger",
    "warehouse",
    "basket",
];

fn product(n: usize) -> Value {
    let status = ["active", "draft", "proposed", "deprecated"][n % 4];
    let a = WORDS[n % WORDS.len()];
    let b = WORDS[(n / WORDS.len()) % WORDS.len()];
    json!({
        "apiVersion": "v1.0.0", "kind": "DataProduct", "id": format!("bench-{n:06}"),
        "name": format!("{a} {b} {n}"), "version": "1.0.0",
        "status": status,
        "domain": DOMAINS[n % DOMAINS.len()],
        "description": {"purpose": format!("The {a} of every {b}, daily."), "usage": format!("Reporting on {b}.")},
        "tags": [a, DOMAINS[n % DOMAINS.len()]],
        "team": {"name": format!("{b} team"), "members": [{"username": format!("owner{}", n % 50), "role": "owner"}]},
        "outputPorts": [{"name": "main", "version": "1.0.0", "contractId": format!("bench-c-{n:06}")}]
    })
}

/// A query of a kind, the `i`-th time.
type MakeQuery = Box<dyn Fn(usize) -> SearchQuery>;

fn vm_hwm_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

fn p95(mut times: Vec<Duration>) -> String {
    times.sort();
    let p = times[(times.len() * 95 / 100).min(times.len() - 1)];
    format!("{:.2} ms", p.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() {
    let quick = std::env::var_os("MESHPORT_BENCH_QUICK").is_some();
    let count = if quick { 10_000 } else { 100_000 };
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::new(&format!("sqlite://{}", dir.path().join("platform.db").display()));
    config.ports_dir = dir.path().join("ports");
    config.trust_tick = Duration::from_secs(3600);
    let state = AppState::open(config).await.unwrap();
    demo::governance_seed(&state).await.unwrap();
    let products: Vec<Value> = (0..count).map(product).collect();
    let began = Instant::now();
    catalog::products_import(state.store(), &products, 1000)
        .await
        .unwrap();
    eprintln!(
        "imported {count} products in {:.1} s",
        began.elapsed().as_secs_f64()
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let platform = Platform::serve(state.clone(), listener).unwrap();
    let token = auth::token_create(state.store(), "cora").await.unwrap();
    let client = Client::new(&platform.url(), Secret::new(token)).unwrap();
    let mut lines = Vec::new();

    // The feed alone (the platform's pages over loopback, nothing applied): how the sync's time splits.
    let began = Instant::now();
    let (mut after, mut read) = (0, 0);
    loop {
        let page = client
            .changes_list(after, Some(meshport_core::sync::PAGE))
            .await
            .unwrap();
        read += page.changes.len();
        after = page.next;
        if !page.has_more {
            break;
        }
    }
    lines.push((
        format!("reading the feed alone ({read} changes, nothing applied)"),
        format!("{:.1} s", began.elapsed().as_secs_f64()),
    ));

    let cache = Cache::open(&dir.path().join("cache.db")).await.unwrap();
    let before = vm_hwm_kib();
    let began = Instant::now();
    let report = catalog_sync(&client, &cache, |_| {}).await.unwrap();
    let full = began.elapsed();
    assert!(report.full);
    assert_eq!(report.products, count as u64);
    lines.push((
        format!("full sync of {count} products over loopback"),
        format!(
            "{:.1} s ({} pages); peak RSS of the process {} MiB (before the sync {} MiB, with the platform in it)",
            full.as_secs_f64(),
            report.pages,
            vm_hwm_kib() / 1024,
            before / 1024
        ),
    ));

    // 1,000 changes: products published again.
    let mut tx = state.store().write().await.unwrap();
    for product in products.iter().take(1000) {
        let mut changed = product.clone();
        changed["version"] = json!("1.0.1");
        catalog::product_publish(&mut tx, &changed, &[]).await.unwrap();
    }
    tx.commit().await.unwrap();
    let began = Instant::now();
    let report = catalog_sync(&client, &cache, |_| {}).await.unwrap();
    let incremental = began.elapsed();
    assert_eq!((report.full, report.changes), (false, 1000));
    lines.push((
        "incremental sync of 1,000 changes".into(),
        format!("{:.0} ms", incremental.as_secs_f64() * 1000.0),
    ));
    platform.shutdown().await;

    // Search, offline: each query 200 times, a different word each time.
    let queries: [(&str, MakeQuery); 3] = [
        (
            "one word + domain facet",
            Box::new(|i| SearchQuery {
                text: WORDS[i % WORDS.len()].into(),
                domain: Some(DOMAINS[i % DOMAINS.len()].into()),
                limit: 50,
                ..SearchQuery::default()
            }),
        ),
        (
            "two words + status facet",
            Box::new(|i| SearchQuery {
                text: format!("{} {}", WORDS[i % WORDS.len()], WORDS[(i + 3) % WORDS.len()]),
                status: Some("active".into()),
                limit: 50,
                ..SearchQuery::default()
            }),
        ),
        (
            "prefix (3 letters) + tag facet",
            Box::new(|i| SearchQuery {
                text: WORDS[i % WORDS.len()][..3].into(),
                tag: Some(DOMAINS[i % DOMAINS.len()].into()),
                limit: 50,
                ..SearchQuery::default()
            }),
        ),
    ];
    for (name, make) in &queries {
        let mut times = Vec::new();
        let mut found = 0;
        for i in 0..220 {
            let query = make(i);
            let began = Instant::now();
            let result = cache.search(&query).await.unwrap();
            if i >= 20 {
                times.push(began.elapsed());
            }
            found += result.total;
        }
        assert!(found > 0, "{name} found nothing");
        lines.push((
            format!("search, {count} products: {name}"),
            format!("p95 {}; {} matches per query on average", p95(times), found / 220),
        ));
    }

    println!("\n| Figure | Result |\n|---|---|");
    for (figure, result) in lines {
        println!("| {figure} | {result} |");
    }
}
