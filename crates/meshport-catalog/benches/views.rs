//! What the window's views read from the offline cache, timed on a large mesh:
//!
//! - 100,000 products in layers, each reading one to three products of the layer before (so the
//!   lineage is a real graph), with 2,000 incidents (a quarter resolved) and a quality summary of
//!   20 checks and 3 SLOs for 5,000 of them;
//! - `product_view` (the product page: product, contracts, quality, incidents, access, neighbours);
//! - `incidents` with the default filter (not resolved) and with a domain and an assignee (the
//!   Incidents view);
//! - `lineage` to depth 3, capped at 200 products (the Lineage tab's graph);
//! - the stewards' home (products by health, failing checks, SLOs, open incidents), as a steward of
//!   every domain and of two;
//! - a product's page with 90 days of daily runs of its 20 checks (`product_view`, then
//!   `quality_history` over 90 days: the Quality tab's table and trend).
//!
//! p50 and p95 of 200 reads each, after 20 to warm up. `cargo bench -p meshport-catalog --bench
//! views`; `MESHPORT_BENCH_QUICK=1` uses 10,000 products.

use std::time::{Duration, Instant};

use meshport_catalog::cache::{Cache, IncidentFilter};
use meshport_model::platform::{Change, ChangeEntity, ChangePage, DomainRole, UserRoles};
use meshport_model::trust::{CheckStatus, QualityHistory, QualityPoint};
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
const LAYER: usize = 1_000;
const INCIDENTS: usize = 2_000;
const WITH_QUALITY: usize = 5_000;

/// A deterministic generator (splitmix64).
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn contract_of(n: usize) -> String {
    format!("c-{n}")
}

fn product(n: usize, random: &mut Random) -> Value {
    let layer = n / LAYER;
    let inputs: Vec<Value> = if layer == 0 {
        Vec::new()
    } else {
        (0..1 + random.below(3))
            .map(|i| {
                let from = (layer - 1) * LAYER + random.below(LAYER);
                json!({"name": format!("in-{i}"), "version": "1.0.0", "contractId": contract_of(from)})
            })
            .collect()
    };
    json!({
        "apiVersion": "v1.0.0", "kind": "DataProduct", "id": format!("p-{n}"),
        "name": format!("Product {n}"), "domain": DOMAINS[n % DOMAINS.len()],
        "status": "active", "version": "1.0.0", "tags": ["bench"],
        "description": {"purpose": format!("Bench product number {n}.")},
        "team": {"members": [{"username": format!("owner-{}", n % 50), "role": "owner"}]},
        "inputPorts": inputs,
        "outputPorts": [{"name": "out", "version": "1.0.0", "type": "tables", "contractId": contract_of(n)}],
    })
}

fn contract(n: usize) -> Value {
    let columns: Vec<Value> = (0..12)
        .map(|c| json!({"name": format!("col_{c}"), "logicalType": "string", "required": c < 3}))
        .collect();
    json!({"apiVersion": "v3.1.0", "kind": "DataContract", "id": contract_of(n), "version": "1.0.0",
        "status": "active", "schema": [{"name": "rows", "properties": columns}]})
}

fn quality(n: usize) -> Value {
    let checks: Vec<String> = (0..20)
        .map(|c| format!("out:rows.col_{}:check_{c}", c % 12))
        .collect();
    let latest: Vec<Value> = (0..20)
        .map(|c| json!({"at": "2026-12-03T00:00:00Z", "status": if c == 7 && n.is_multiple_of(3) { "failed" } else { "passed" }, "value": c as f64}))
        .collect();
    let slos: Vec<Value> = ["freshness", "completeness", "passRate"]
        .iter()
        .map(|slo| {
            json!({"slo": slo, "port": "out", "property": "quality", "status": "met",
            "target": 99.0, "measured": 99.5, "unit": "%", "detail": "met"})
        })
        .collect();
    json!({"productId": format!("p-{n}"), "lastRunAt": "2026-12-03T00:00:00Z", "passed": 19,
        "failed": 1, "warnings": 0, "errors": 0, "latest": latest, "checks": checks, "slos": slos})
}

fn incident(i: usize, random: &mut Random, count: usize) -> Value {
    let product = random.below(count);
    let state = ["open", "acknowledged", "assigned", "resolved"][i % 4];
    let mut incident = json!({"id": format!("inc-{i}"), "productId": format!("p-{product}"),
        "productName": format!("Product {product}"), "domain": DOMAINS[product % DOMAINS.len()],
        "check": "out:rows.col_1:check_7", "port": "out", "state": state, "severity": "error",
        "title": "nullValues of rows.col_1 is 3; mustBe 0", "failures": 1 + i % 5,
        "openedAt": format!("2026-11-{:02}T00:00:00Z", 1 + i % 28),
        "updatedAt": format!("2026-12-{:02}T00:00:00Z", 1 + i % 3),
        "events": [{"at": "2026-11-01T00:00:00Z", "actor": "platform", "action": "opened", "to": "open"}]});
    if state == "assigned" {
        incident["assignee"] = json!(format!("steward-{}", i % 10));
    }
    incident
}

async fn fill(path: &std::path::Path, count: usize) -> (Cache, Duration) {
    let cache = Cache::open(path).await.unwrap();
    let began = Instant::now();
    let mut random = Random(7);
    let mut documents: Vec<(ChangeEntity, String, Value)> = Vec::new();
    for n in 0..count {
        documents.push((ChangeEntity::Contract, contract_of(n), contract(n)));
        documents.push((ChangeEntity::Product, format!("p-{n}"), product(n, &mut random)));
        if n.is_multiple_of((count / WITH_QUALITY).max(1)) {
            documents.push((ChangeEntity::Quality, format!("p-{n}"), quality(n)));
        }
    }
    for i in 0..INCIDENTS {
        documents.push((
            ChangeEntity::Incident,
            format!("inc-{i}"),
            incident(i, &mut random, count),
        ));
    }
    let mut resync = cache.resync_begin().await.unwrap();
    let mut seq = 0;
    for chunk in documents.chunks(1000) {
        let changes = chunk
            .iter()
            .map(|(entity, id, document)| {
                seq += 1;
                Change {
                    seq,
                    at: "2026-12-03T00:00:00Z".into(),
                    entity: *entity,
                    id: id.clone(),
                    deleted: false,
                    document: Some(document.clone()),
                }
            })
            .collect();
        resync
            .page_apply(&ChangePage {
                changes,
                next: seq,
                has_more: true,
            })
            .await
            .unwrap();
    }
    resync
        .commit("http://bench", seq, "2026-12-03T00:00:00Z")
        .await
        .unwrap();
    (cache, began.elapsed())
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// 220 reads (`read(i)` for the i-th), the first 20 to warm up: "p50 …, p95 …" of the 200 others.
async fn time<F, Fut>(mut read: F) -> String
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut times = Vec::with_capacity(200);
    for i in 0..220 {
        let began = Instant::now();
        read(i).await;
        if i >= 20 {
            times.push(began.elapsed());
        }
    }
    times.sort();
    format!(
        "p50 {}, p95 {}",
        ms(times[times.len() / 2]),
        ms(times[times.len() * 95 / 100])
    )
}

#[tokio::main]
async fn main() {
    let quick = std::env::var_os("MESHPORT_BENCH_QUICK").is_some();
    let count = if quick { 10_000 } else { 100_000 };
    let dir = tempfile::tempdir().unwrap();
    let (cache, took) = fill(&dir.path().join("cache.db"), count).await;
    let mut lines = vec![(
        format!(
            "filling the cache: {count} products, contracts, {INCIDENTS} incidents, {WITH_QUALITY} quality summaries"
        ),
        format!("{:.1} s (one resync)", took.as_secs_f64()),
    )];

    // Products spread over the layers, with their quality where they have one.
    let pick = |i: usize| format!("p-{}", (i * 7_919) % count);
    let views = time(|i| {
        let cache = &cache;
        let id = pick(i);
        async move {
            let view = cache.product_view(&id).await.unwrap().unwrap();
            assert!(!view.contracts.is_empty());
        }
    })
    .await;
    lines.push(("a product's page (`product_view`)".into(), views));
    let with_quality = time(|i| {
        let cache = &cache;
        let id = format!("p-{}", (i * (count / WITH_QUALITY).max(1)) % count);
        async move {
            let view = cache.product_view(&id).await.unwrap().unwrap();
            assert_eq!(view.quality.unwrap().checks.len(), 20);
        }
    })
    .await;
    lines.push(("a product's page with 20 checks and 3 SLOs".into(), with_quality));

    // 90 days of daily runs of the 20 checks, for the products the page reads next.
    let with_history = |i: usize| format!("p-{}", ((i % 50) * (count / WITH_QUALITY).max(1)) % count);
    let now = jiff::Timestamp::now();
    let history: Vec<QualityHistory> = (0..20)
        .map(|c| QualityHistory {
            check: format!("out:rows.col_{}:check_{c}", c % 12),
            points: (0..90)
                .map(|day| QualityPoint {
                    at: (now - jiff::SignedDuration::from_hours(24 * (89 - day) + 1))
                        .strftime("%Y-%m-%dT%H:%M:%SZ")
                        .to_string(),
                    status: CheckStatus::Passed,
                    value: Some((day * c) as f64),
                })
                .collect(),
        })
        .collect();
    for i in 0..50 {
        cache
            .quality_history_put(&with_history(i), &[], &history)
            .await
            .unwrap();
    }
    let page_and_trend = time(|i| {
        let cache = &cache;
        let id = with_history(i);
        async move {
            let view = cache.product_view(&id).await.unwrap().unwrap();
            assert_eq!(view.quality.unwrap().checks.len(), 20);
            let trends = cache.quality_history(&id, 90, None).await.unwrap();
            assert_eq!(trends.len(), 20);
            assert!(
                trends.iter().all(|t| t.points.len() >= 90),
                "{}",
                trends[0].points.len()
            );
        }
    })
    .await;
    lines.push((
        "a product's page with 90 days x 20 checks of history (`product_view` + `quality_history`)".into(),
        page_and_trend,
    ));

    for (who, domains) in [
        ("every domain", vec!["*"]),
        ("two domains", vec!["orders", "marketing"]),
    ] {
        cache
            .user_roles_set(&UserRoles {
                user: "sam".into(),
                roles: domains
                    .iter()
                    .map(|d| DomainRole {
                        role: "steward".into(),
                        domain: (*d).into(),
                    })
                    .collect(),
            })
            .await
            .unwrap();
        let home = time(|_| {
            let cache = &cache;
            async move {
                let home = cache.quality_home().await.unwrap();
                assert!(home.products.failing > 0 && home.open_incidents_total > 0);
            }
        })
        .await;
        lines.push((format!("the stewards' home (Quality), a steward of {who}"), home));
    }

    let active = time(|_| {
        let cache = &cache;
        async move {
            let list = cache
                .incidents(&IncidentFilter {
                    state: Some("active".into()),
                    ..Default::default()
                })
                .await
                .unwrap();
            assert_eq!(list.incidents.len(), INCIDENTS * 3 / 4);
        }
    })
    .await;
    lines.push((
        format!(
            "the Incidents view: {} not resolved of {INCIDENTS}",
            INCIDENTS * 3 / 4
        ),
        active,
    ));
    let narrowed = time(|i| {
        let cache = &cache;
        let filter = IncidentFilter {
            state: Some("assigned".into()),
            domain: Some(DOMAINS[i % DOMAINS.len()].into()),
            assignee: Some(format!("steward-{}", i % 10)),
        };
        async move {
            cache.incidents(&filter).await.unwrap();
        }
    })
    .await;
    lines.push((
        "the Incidents view narrowed to a state, a domain and an assignee".into(),
        narrowed,
    ));

    // A product in a middle layer: up to three layers each way.
    let middle = |i: usize| format!("p-{}", (count / 2) + (i * 13) % LAYER);
    let lineage = time(|i| {
        let cache = &cache;
        let id = middle(i);
        async move {
            cache.lineage(&id, 3, 200).await.unwrap().unwrap();
        }
    })
    .await;
    let mut sizes = Vec::new();
    for i in 0..50 {
        sizes.push(
            cache
                .lineage(&middle(i), 3, 200)
                .await
                .unwrap()
                .unwrap()
                .nodes
                .len(),
        );
    }
    sizes.sort();
    lines.push((
        format!(
            "the Lineage tab's graph: depth 3, at most 200 products (median {} shown)",
            sizes[sizes.len() / 2]
        ),
        lineage,
    ));

    println!("\n| Figure | Result |\n|---|---|");
    for (figure, result) in lines {
        println!("| {figure} | {result} |");
    }
}
