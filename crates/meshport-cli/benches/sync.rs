//! Offline catalog figures, measured through the real platform over loopback:
//!
//! - a full sync of 100,000 products (imported into a SQLite platform as `meshport-platform import`
//!   does) into a fresh cache, and the process's peak memory (VmHWM) after it;
//! - an incremental sync of 1,000 changes;
//! - search over the 100,000 cached products, p95 (and median) of 200 queries per shape: two words +
//!   status facet, one word + domain facet, a 3-letter prefix + tag facet, a query matching about
//!   half the catalog, no words (with every facet value, and with nine a facet as the window's
//!   first view asks) and no words + a domain facet; every result with its exact facet counts.
//!
//! Search runs over two catalogs of 100,000 products: the 16-word one the sync figures use (one
//! word matches one product in eight: the hard case), and a realistic one whose words, tags,
//! domains and owners follow a Zipf law over a vocabulary of 5,000 words (written into its cache
//! by a full resync in process, no platform).
//!
//! `cargo bench -p meshport-cli --bench sync`; `MESHPORT_BENCH_QUICK=1` shrinks the catalogs;
//! `MESHPORT_BENCH_ONLY=search` skips the platform and the sync figures (both caches are written by
//! a full resync in process); `MESHPORT_BENCH_ONLY=sync` stops after the sync figures;
//! `MESHPORT_BENCH_SLOWEST=n` prints each search shape's n slowest queries (what makes its p95).

use std::time::{Duration, Instant};

use meshport_catalog::cache::{Cache, SearchQuery};
use meshport_client::{Client, Secret};
use meshport_core::sync::catalog_sync;
use meshport_model::platform::{Change, ChangeEntity, ChangePage};
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

/// The realistic catalog: Zipf laws (s = 1) over a vocabulary of `VOCABULARY` words for names and
/// descriptions, over its first 2,000 words for tags, over 20 domains and over 1,000 owners.
struct Zipf {
    words: Vec<String>,
    /// Cumulative weights of the words' ranks.
    cumulative: Vec<f64>,
}

const VOCABULARY: usize = 5000;
const ZIPF_DOMAINS: usize = 20;
const ZIPF_OWNERS: usize = 1000;
const ZIPF_TAGS: usize = 2000;

/// A deterministic generator (splitmix64): the same catalog and queries on every run.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

impl Zipf {
    fn new() -> Zipf {
        // Pronounceable, distinct words of two to four syllables.
        const SYLLABLES: &[&str] = &[
            "ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "pe", "da", "gu", "zi", "ba", "ro", "fe", "sh",
            "st", "ar", "en", "ol", "tra", "qui", "mon", "dex",
        ];
        let mut random = Random(24);
        let mut seen = std::collections::BTreeSet::new();
        let mut words = Vec::with_capacity(VOCABULARY);
        while words.len() < VOCABULARY {
            let n = 2 + random.below(3);
            let word: String = (0..n).map(|_| SYLLABLES[random.below(SYLLABLES.len())]).collect();
            if seen.insert(word.clone()) {
                words.push(word);
            }
        }
        let mut cumulative = Vec::with_capacity(VOCABULARY);
        let mut sum = 0.0;
        for rank in 0..VOCABULARY {
            sum += 1.0 / (rank + 1) as f64;
            cumulative.push(sum);
        }
        Zipf { words, cumulative }
    }

    /// A rank below `n` (at most the vocabulary's size), by Zipf's law.
    fn rank(&self, random: &mut Random, n: usize) -> usize {
        let n = n.min(VOCABULARY);
        let target = random.unit() * self.cumulative[n - 1];
        self.cumulative[..n].partition_point(|c| *c < target).min(n - 1)
    }

    fn word(&self, random: &mut Random) -> &str {
        &self.words[self.rank(random, VOCABULARY)]
    }

    fn words(&self, random: &mut Random, n: usize) -> String {
        (0..n).map(|_| self.word(random)).collect::<Vec<_>>().join(" ")
    }

    fn domain(&self, random: &mut Random) -> String {
        format!("domain{}", self.rank(random, ZIPF_DOMAINS))
    }

    fn tag(&self, random: &mut Random) -> &str {
        &self.words[self.rank(random, ZIPF_TAGS)]
    }

    fn product(&self, n: usize) -> Value {
        let mut random = Random(n as u64);
        let status = match random.below(20) {
            0..10 => "active",
            10..14 => "draft",
            14..17 => "proposed",
            _ => "deprecated",
        };
        let domain = self.domain(&mut random);
        let length = 2 + random.below(2);
        let name = self.words(&mut random, length);
        let length = 8 + random.below(7);
        let purpose = self.words(&mut random, length);
        let length = 4 + random.below(5);
        let usage = self.words(&mut random, length);
        let tags: Vec<&str> = (0..1 + random.below(3)).map(|_| self.tag(&mut random)).collect();
        let members: Vec<Value> = (0..1 + random.below(2))
            .map(|_| json!({"username": format!("user{}", self.rank(&mut random, ZIPF_OWNERS)), "role": "owner"}))
            .collect();
        let team = format!("{domain} {}", self.word(&mut random));
        json!({
            "apiVersion": "v1.0.0", "kind": "DataProduct", "id": format!("zipf-{n:06}"),
            "name": name, "version": "1.0.0", "status": status, "domain": domain,
            "description": {"purpose": purpose, "usage": usage},
            "tags": tags,
            "team": {"name": team, "members": members},
            "outputPorts": [{"name": "main", "version": "1.0.0", "contractId": format!("zipf-c-{n:06}")}]
        })
    }
}

/// A query of a kind, the `i`-th time.
type MakeQuery<'a> = Box<dyn Fn(usize) -> SearchQuery + 'a>;

fn text_query(text: String) -> SearchQuery {
    SearchQuery {
        text,
        limit: 50,
        ..SearchQuery::default()
    }
}

/// The 16-word catalog's queries: today's three shapes, then the harder ones.
fn sixteen_word_queries() -> Vec<(&'static str, MakeQuery<'static>)> {
    vec![
        (
            "one word + domain facet",
            Box::new(|i| SearchQuery {
                domain: Some(DOMAINS[i % DOMAINS.len()].into()),
                ..text_query(WORDS[i % WORDS.len()].into())
            }),
        ),
        (
            "two words + status facet",
            Box::new(|i| SearchQuery {
                status: Some("active".into()),
                ..text_query(format!(
                    "{} {}",
                    WORDS[i % WORDS.len()],
                    WORDS[(i + 3) % WORDS.len()]
                ))
            }),
        ),
        (
            "prefix (3 letters) + tag facet",
            Box::new(|i| SearchQuery {
                tag: Some(DOMAINS[i % DOMAINS.len()].into()),
                ..text_query(WORDS[i % WORDS.len()][..3].into())
            }),
        ),
        // `s` is the prefix of four of the 16 words: 1 - (12/16)^2 of the products.
        (
            "about half the catalog (`s`, no facet)",
            Box::new(|_| text_query("s".into())),
        ),
        (
            "no words, every facet value",
            Box::new(|_| text_query(String::new())),
        ),
        (
            "no words, nine values a facet (the window's first view)",
            Box::new(|_| SearchQuery {
                facet_limit: 9,
                ..text_query(String::new())
            }),
        ),
        (
            "no words + domain facet",
            Box::new(|i| SearchQuery {
                domain: Some(DOMAINS[i % DOMAINS.len()].into()),
                ..text_query(String::new())
            }),
        ),
    ]
}

/// The Zipf catalog's queries, drawn as users would type them (common words more often): the same
/// shapes; the half-catalog words are the vocabulary's words in 35–65% of the products.
fn zipf_queries<'a>(zipf: &'a Zipf, half: &'a [String]) -> Vec<(&'static str, MakeQuery<'a>)> {
    vec![
        (
            "one word + domain facet",
            Box::new(move |i| {
                let mut random = Random(1_000_000 + i as u64);
                SearchQuery {
                    domain: Some(zipf.domain(&mut random)),
                    ..text_query(zipf.word(&mut random).into())
                }
            }),
        ),
        (
            "two words + status facet",
            Box::new(move |i| {
                let mut random = Random(2_000_000 + i as u64);
                SearchQuery {
                    status: Some("active".into()),
                    ..text_query(zipf.words(&mut random, 2))
                }
            }),
        ),
        (
            "prefix (3 letters) + tag facet",
            Box::new(move |i| {
                let mut random = Random(3_000_000 + i as u64);
                SearchQuery {
                    tag: Some(zipf.tag(&mut random).into()),
                    ..text_query(zipf.word(&mut random)[..3].into())
                }
            }),
        ),
        (
            "about half the catalog (a word in 35-65% of products, no facet)",
            Box::new(move |i| text_query(half[i % half.len()].clone())),
        ),
        (
            "no words, every facet value",
            Box::new(|_| text_query(String::new())),
        ),
        (
            "no words, nine values a facet (the window's first view)",
            Box::new(|_| SearchQuery {
                facet_limit: 9,
                ..text_query(String::new())
            }),
        ),
        (
            "no words + domain facet",
            Box::new(move |i| {
                let mut random = Random(4_000_000 + i as u64);
                SearchQuery {
                    domain: Some(zipf.domain(&mut random)),
                    ..text_query(String::new())
                }
            }),
        ),
    ]
}

/// The words of `products`' names, descriptions, tags and teams in 35–65% of them.
fn half_words(zipf: &Zipf, products: &[Value]) -> Vec<String> {
    let mut seen = std::collections::BTreeMap::<&str, usize>::new();
    for product in products {
        let mut words: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
        for pointer in [
            "/name",
            "/description/purpose",
            "/description/usage",
            "/team/name",
        ] {
            words.extend(
                product
                    .pointer(pointer)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .split(' '),
            );
        }
        for tag in product["tags"].as_array().into_iter().flatten() {
            words.extend(tag.as_str());
        }
        for word in words {
            *seen.entry(word).or_default() += 1;
        }
    }
    let n = products.len();
    zipf.words
        .iter()
        .filter(|w| (n * 35 / 100..=n * 65 / 100).contains(seen.get(w.as_str()).unwrap_or(&0)))
        .cloned()
        .collect()
}

/// Writes `products` into a new cache by a full resync in process, in pages of 1,000.
async fn cache_fill(path: &std::path::Path, products: &[Value]) -> (Cache, Duration) {
    let cache = Cache::open(path).await.unwrap();
    let began = Instant::now();
    let mut resync = cache.resync_begin().await.unwrap();
    let mut seq = 0;
    for chunk in products.chunks(1000) {
        let changes = chunk
            .iter()
            .map(|product| {
                seq += 1;
                Change {
                    seq,
                    at: "2026-12-03T00:00:00Z".into(),
                    entity: ChangeEntity::Product,
                    id: product["id"].as_str().unwrap().into(),
                    deleted: false,
                    document: Some(product.clone()),
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

/// Each query 220 times (a different one each time where the shape allows), the first 20 to warm
/// up; p95 and median of the 200 others.
async fn search_figures(
    cache: &Cache,
    catalog: &str,
    count: usize,
    queries: &[(&str, MakeQuery<'_>)],
    lines: &mut Vec<(String, String)>,
) {
    let slowest: usize = std::env::var("MESHPORT_BENCH_SLOWEST")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    for (name, make) in queries {
        let mut times = Vec::new();
        let mut found = 0;
        let mut timed = Vec::new();
        for i in 0..220 {
            let query = make(i);
            let began = Instant::now();
            let result = cache.search(&query).await.unwrap();
            if i >= 20 {
                let took = began.elapsed();
                times.push(took);
                found += result.total;
                if slowest > 0 {
                    timed.push((took, result.total, query));
                }
            }
        }
        assert!(found > 0, "{name} found nothing");
        times.sort();
        timed.sort_by_key(|(took, ..)| std::cmp::Reverse(*took));
        for (took, total, query) in timed.iter().take(slowest) {
            eprintln!(
                "{catalog}, {name}: {} for {:?} (domain {:?}, status {:?}, tag {:?}), {total} matches",
                ms(*took),
                query.text,
                query.domain,
                query.status,
                query.tag
            );
        }
        lines.push((
            format!("search, {count} products, {catalog}: {name}"),
            format!(
                "p95 {}, median {}; {} matches per query on average",
                p95(&times),
                ms(times[times.len() / 2]),
                found / 200
            ),
        ));
    }
}

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

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// `times` sorted.
fn p95(times: &[Duration]) -> String {
    ms(times[(times.len() * 95 / 100).min(times.len() - 1)])
}

#[tokio::main]
async fn main() {
    let quick = std::env::var_os("MESHPORT_BENCH_QUICK").is_some();
    let search_only = std::env::var("MESHPORT_BENCH_ONLY").is_ok_and(|v| v == "search");
    let count = if quick { 10_000 } else { 100_000 };
    let dir = tempfile::tempdir().unwrap();
    let mut lines = Vec::new();
    let products: Vec<Value> = (0..count).map(product).collect();
    let cache = if search_only {
        let (cache, took) = cache_fill(&dir.path().join("cache.db"), &products).await;
        lines.push((
            format!("full resync of {count} products (16 words) in process"),
            format!("{:.1} s", took.as_secs_f64()),
        ));
        cache
    } else {
        platform_sync(dir.path(), count, &products, &mut lines).await
    };
    if std::env::var("MESHPORT_BENCH_ONLY").is_ok_and(|v| v == "sync") {
        print_lines(lines);
        return;
    }
    search_figures(&cache, "16 words", count, &sixteen_word_queries(), &mut lines).await;
    drop(cache);

    let zipf = Zipf::new();
    let products: Vec<Value> = (0..count).map(|n| zipf.product(n)).collect();
    let half = half_words(&zipf, &products);
    let (cache, took) = cache_fill(&dir.path().join("zipf.db"), &products).await;
    lines.push((
        format!("full resync of {count} products (Zipf, {VOCABULARY} words) in process"),
        format!(
            "{:.1} s; {} words in 35-65% of the products",
            took.as_secs_f64(),
            half.len()
        ),
    ));
    search_figures(&cache, "Zipf", count, &zipf_queries(&zipf, &half), &mut lines).await;

    print_lines(lines);
}

fn print_lines(lines: Vec<(String, String)>) {
    println!("\n| Figure | Result |\n|---|---|");
    for (figure, result) in lines {
        println!("| {figure} | {result} |");
    }
}

/// The platform's part: import, the feed read alone, a full sync and an incremental one; the cache.
async fn platform_sync(
    dir: &std::path::Path,
    count: usize,
    products: &[Value],
    lines: &mut Vec<(String, String)>,
) -> Cache {
    let mut config = Config::new(&format!("sqlite://{}", dir.join("platform.db").display()));
    config.ports_dir = dir.join("ports");
    config.trust_tick = Duration::from_secs(3600);
    let state = AppState::open(config).await.unwrap();
    demo::governance_seed(&state).await.unwrap();
    let began = Instant::now();
    catalog::products_import(state.store(), products, 1000)
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

    let cache = Cache::open(&dir.join("cache.db")).await.unwrap();
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
    cache
}
