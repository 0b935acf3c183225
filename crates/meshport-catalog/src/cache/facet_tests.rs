//! The kept facet counts against counts computed the naive way (from the documents the feed sent),
//! after random-ish sequences of pages, a full resync, and an upgrade from a cache of migration 0001.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use super::*;

/// A deterministic generator (splitmix64).
pub(super) struct Random(pub(super) u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(super) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub(super) fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
}

/// Applies a page of `documents` (products, each with its `id`), numbered on from `seq`, which
/// moves past them.
pub(super) async fn products_page(cache: &Cache, documents: Vec<Value>, seq: &mut i64) {
    let changes = documents
        .into_iter()
        .map(|document| {
            *seq += 1;
            Change {
                seq: *seq,
                at: "2026-12-01T00:00:00Z".into(),
                entity: ChangeEntity::Product,
                id: document["id"].as_str().unwrap().into(),
                deleted: false,
                document: Some(document),
            }
        })
        .collect();
    let page = ChangePage {
        changes,
        next: *seq,
        has_more: false,
    };
    cache.page_apply("http://p", &page).await.unwrap();
}

// "ärger": FTS5 folds it to "arger", which the bitmaps' lookup does not try (SQL counts).
const NAME_WORDS: &[&str] = &["alpha", "alpine", "bravo", "charlie", "ärger"];
const DOMAINS: &[&str] = &["orders", "stock", "risk"];
const STATUSES: &[&str] = &["active", "draft", "deprecated"];
const TAGS: &[&str] = &["red", "green", "blue", "Grün"];
const PEOPLE: &[&str] = &["ann", "bob", "cid"];
const INCIDENT_STATES: &[&str] = &["open", "acknowledged", "resolved"];

/// What the platform holds: the documents the cache should mirror.
#[derive(Default, Clone)]
struct Platform {
    products: BTreeMap<String, Value>,
    incidents: BTreeMap<String, Value>,
}

fn random_product(random: &mut Random, id: &str) -> Value {
    let name = (0..1 + random.below(2))
        .map(|_| random.pick(NAME_WORDS))
        .collect::<Vec<_>>()
        .join(" ");
    // Tags may repeat (counted once) and may be absent.
    let tags: Vec<&str> = (0..random.below(4)).map(|_| random.pick(TAGS)).collect();
    let members: Vec<Value> = (0..random.below(3))
        .map(|_| {
            let role = ["owner", "Data Owner", "member"][random.below(3)];
            json!({"username": random.pick(PEOPLE), "role": role})
        })
        .collect();
    json!({"id": id, "name": name, "domain": random.pick(DOMAINS), "status": random.pick(STATUSES),
        "version": "1.0.0", "tags": tags, "team": {"name": "team", "members": members}})
}

impl Platform {
    /// A page of 1 to 12 random changes, applied to the platform's documents as well.
    fn changes(&mut self, random: &mut Random, seq: &mut i64) -> Vec<Change> {
        let mut changes = Vec::new();
        for _ in 0..1 + random.below(12) {
            *seq += 1;
            let product = format!("p{}", random.below(25));
            let incident = format!("i{}", random.below(10));
            let (entity, id, document) = match random.below(10) {
                0..4 => {
                    let document = random_product(random, &product);
                    (ChangeEntity::Product, product, Some(document))
                }
                4 => (ChangeEntity::Product, product, None),
                5..8 => {
                    let document = json!({"id": incident, "productId": product,
                        "state": random.pick(INCIDENT_STATES)});
                    (ChangeEntity::Incident, incident, Some(document))
                }
                8 => (ChangeEntity::Incident, incident, None),
                _ => {
                    // An owner or tag change of a product already there.
                    let Some((id, document)) = self
                        .products
                        .iter()
                        .nth(random.below(self.products.len().max(1)))
                        .map(|(id, d)| (id.clone(), d.clone()))
                    else {
                        continue;
                    };
                    let mut document = document;
                    if random.below(2) == 0 {
                        document["tags"] = json!([random.pick(TAGS)]);
                    } else {
                        document["team"]["members"] =
                            json!([{"username": random.pick(PEOPLE), "role": "owner"}]);
                    }
                    (ChangeEntity::Product, id, Some(document))
                }
            };
            let table = match entity {
                ChangeEntity::Product => &mut self.products,
                _ => &mut self.incidents,
            };
            match &document {
                Some(document) => table.insert(id.clone(), document.clone()),
                None => table.remove(&id),
            };
            changes.push(Change {
                seq: *seq,
                at: "2026-12-01T00:00:00Z".into(),
                entity,
                deleted: document.is_none(),
                id,
                document,
            });
        }
        changes
    }

    /// Every document as a change: what a full resync reads.
    fn snapshot(&self) -> Vec<Change> {
        let products = self.products.iter().map(|(id, d)| (ChangeEntity::Product, id, d));
        let incidents = self
            .incidents
            .iter()
            .map(|(id, d)| (ChangeEntity::Incident, id, d));
        // Incidents first: their products arrive after them.
        incidents
            .chain(products)
            .enumerate()
            .map(|(n, (entity, id, document))| Change {
                seq: n as i64 + 1,
                at: "2026-12-01T00:00:00Z".into(),
                entity,
                id: id.clone(),
                deleted: false,
                document: Some(document.clone()),
            })
            .collect()
    }

    /// A product's facet values, the naive way.
    fn values_of(&self, product: &Value) -> Vec<(&'static str, String)> {
        let mut values = vec![
            ("domain", text(product, "/domain")),
            ("status", text(product, "/status")),
        ];
        let tags: BTreeSet<&str> = tags_of(product).into_iter().collect();
        values.extend(tags.into_iter().map(|t| ("tag", t.to_owned())));
        values.extend(owners(product).into_iter().map(|o| ("owner", o)));
        let id = text(product, "/id");
        let open = self
            .incidents
            .values()
            .any(|i| text(i, "/productId") == id && text(i, "/state") != "resolved");
        values.push(("openIncident", open.to_string()));
        values
    }

    /// Whether a product matches the query, the naive way: every typed word a prefix of a word of
    /// its name (the only text of these products no other field shares words with), every filter.
    fn matches(&self, product: &Value, query: &SearchQuery) -> bool {
        let name = text(product, "/name");
        let words_match = query.text.split_whitespace().all(|typed| {
            name.split_whitespace()
                .any(|word| word.starts_with(&typed.to_lowercase()))
        });
        let values = self.values_of(product);
        let has = |facet: &str, value: &Option<String>| {
            value
                .as_ref()
                .is_none_or(|v| values.iter().any(|(f, x)| *f == facet && x == v))
        };
        words_match
            && has("domain", &query.domain)
            && has("status", &query.status)
            && has("tag", &query.tag)
            && has("owner", &query.owner)
            && has("openIncident", &query.open_incident.map(|b| b.to_string()))
    }

    /// The total and facets a search should give.
    fn expected(&self, query: &SearchQuery) -> (u64, Facets) {
        let mut counts: BTreeMap<(&str, String), u64> = BTreeMap::new();
        let mut total = 0;
        for product in self.products.values().filter(|p| self.matches(p, query)) {
            total += 1;
            for value in self.values_of(product) {
                *counts.entry(value).or_default() += 1;
            }
        }
        let mut facets = Facets::default();
        for ((facet, value), count) in counts {
            let list = match facet {
                "domain" => &mut facets.domain,
                "status" => &mut facets.status,
                "tag" => &mut facets.tag,
                "owner" => &mut facets.owner,
                _ => &mut facets.open_incident,
            };
            list.push(FacetCount { value, count });
        }
        for list in [
            &mut facets.domain,
            &mut facets.status,
            &mut facets.tag,
            &mut facets.owner,
            &mut facets.open_incident,
        ] {
            list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        }
        (total, facets)
    }

    /// The queries the comparison runs: no words and words, without filters, with each value of
    /// each facet, and with two filters.
    fn queries(&self) -> Vec<SearchQuery> {
        let mut queries = Vec::new();
        for text in ["", "alp", "alpha", "alpha bra", "ch", "Alpha", "al", "är"] {
            let base = SearchQuery {
                text: text.into(),
                limit: 1000,
                ..SearchQuery::default()
            };
            queries.push(base.clone());
            for domain in DOMAINS {
                queries.push(SearchQuery {
                    domain: Some((*domain).into()),
                    ..base.clone()
                });
                // Two filters, one with no product ("nobody").
                queries.push(SearchQuery {
                    domain: Some((*domain).into()),
                    owner: Some("bob".into()),
                    ..base.clone()
                });
            }
            for status in STATUSES.iter().chain(&["nobody"]) {
                queries.push(SearchQuery {
                    status: Some((*status).into()),
                    ..base.clone()
                });
            }
            for tag in TAGS {
                queries.push(SearchQuery {
                    tag: Some((*tag).into()),
                    ..base.clone()
                });
            }
            for owner in PEOPLE {
                queries.push(SearchQuery {
                    owner: Some((*owner).into()),
                    ..base.clone()
                });
            }
            for open in [true, false] {
                queries.push(SearchQuery {
                    open_incident: Some(open),
                    ..base.clone()
                });
                queries.push(SearchQuery {
                    open_incident: Some(open),
                    tag: Some("red".into()),
                    status: Some("active".into()),
                    ..base.clone()
                });
            }
        }
        queries
    }

    /// Every query's total, facets and hits against the naive answer.
    async fn compare(&self, cache: &Cache, when: &str) {
        for query in self.queries() {
            let found = cache.search(&query).await.unwrap();
            let (total, facets) = self.expected(&query);
            assert_eq!(found.total, total, "{when}: total of {query:?}");
            assert_eq!(found.facets, facets, "{when}: facets of {query:?}");
            assert_eq!(
                found.facet_sizes,
                facets.sizes(),
                "{when}: facet sizes of {query:?}"
            );
            for facet_limit in [1, 2] {
                let limited = SearchQuery {
                    facet_limit,
                    ..query.clone()
                };
                let shown = cache.search(&limited).await.unwrap();
                assert_eq!(
                    (shown.total, &shown.facet_sizes, &shown.hits),
                    (total, &found.facet_sizes, &found.hits),
                    "{when}: {limited:?}"
                );
                let selected = |facet: &str| match facet {
                    "domain" => query.domain.clone(),
                    "status" => query.status.clone(),
                    "tag" => query.tag.clone(),
                    "owner" => query.owner.clone(),
                    _ => query.open_incident.map(|b| b.to_string()),
                };
                for (facet, list, all) in [
                    ("domain", &shown.facets.domain, &facets.domain),
                    ("status", &shown.facets.status, &facets.status),
                    ("tag", &shown.facets.tag, &facets.tag),
                    ("owner", &shown.facets.owner, &facets.owner),
                    ("openIncident", &shown.facets.open_incident, &facets.open_incident),
                ] {
                    // The most frequent values, and the selected one wherever it ranks.
                    let limit = facet_limit as usize;
                    let mut expected: Vec<FacetCount> = all.iter().take(limit).cloned().collect();
                    if let Some(value) = selected(facet) {
                        expected.extend(all.iter().skip(limit).find(|c| c.value == value).cloned());
                    }
                    assert_eq!(list, &expected, "{when}: {facet} of {limited:?}");
                }
            }
            let mut expected: Vec<&str> = self
                .products
                .iter()
                .filter(|(_, p)| self.matches(p, &query))
                .map(|(id, _)| id.as_str())
                .collect();
            let mut ids: Vec<&str> = found.hits.iter().map(|h| h.id.as_str()).collect();
            expected.sort();
            ids.sort();
            assert_eq!(ids, expected, "{when}: hits of {query:?}");
        }
    }
}

/// The kept tables against the same tables computed from the products now, in SQL.
async fn tables_agree(cache: &Cache, when: &str) {
    for (kept, naive) in [
        (
            "SELECT facet, value, count FROM facet_values ORDER BY 1, 2",
            "SELECT facet, value, count(DISTINCT key) FROM product_facet_values GROUP BY 1, 2 ORDER BY 1, 2",
        ),
        (
            "SELECT v.facet, v.value, o.facet, o.value, p.count FROM facet_pairs p \
             JOIN facet_values v ON v.id = p.value_id JOIN facet_values o ON o.id = p.other_id ORDER BY 1, 2, 3, 4",
            "SELECT a.facet, a.value, b.facet, b.value, count(DISTINCT a.key) FROM product_facet_values a \
             JOIN product_facet_values b ON b.key = a.key AND (b.facet, b.value) <> (a.facet, a.value) \
             GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4",
        ),
        (
            "SELECT p.key, v.facet, v.value, p.name FROM product_facets p JOIN facet_values v ON v.id = p.value_id \
             ORDER BY 1, 2, 3",
            "SELECT DISTINCT f.key, f.facet, f.value, p.name FROM product_facet_values f JOIN products p ON p.key = f.key \
             ORDER BY 1, 2, 3",
        ),
        (
            "SELECT rowid, facets FROM products_fts ORDER BY 1",
            "SELECT key, tokens FROM product_facet_tokens ORDER BY 1",
        ),
    ] {
        let rows = |sql: &'static str| {
            let pool = cache.pool.clone();
            async move {
                sqlx::query(sql)
                    .fetch_all(&pool)
                    .await
                    .unwrap()
                    .iter()
                    .map(|row| {
                        (0..row.len())
                            .map(|i| {
                                row.try_get::<String, _>(i)
                                    .or_else(|_| row.try_get::<i64, _>(i).map(|n| n.to_string()))
                                    .unwrap()
                            })
                            .collect::<Vec<_>>()
                    })
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(rows(kept).await, rows(naive).await, "{when}: {kept}");
    }
    bitmaps_agree(cache, when).await;
}

/// The kept bitmaps against the products of each word (FTS5's own vocabulary of the search rows),
/// of each word's first one to three letters, and of each facet value (`product_facets`).
async fn bitmaps_agree(cache: &Cache, when: &str) {
    use roaring::RoaringBitmap;
    let built: i64 = sqlx::query_scalar("SELECT built FROM search_bitmaps_state")
        .fetch_one(&cache.pool)
        .await
        .unwrap();
    assert_eq!(built, 1, "{when}: the bitmaps are built");
    let kept = |sql: String| {
        let pool = cache.pool.clone();
        async move {
            sqlx::query_as::<_, (String, Vec<u8>)>(sqlx::AssertSqlSafe(sql))
                .fetch_all(&pool)
                .await
                .unwrap()
                .into_iter()
                .map(|(k, docs)| {
                    (
                        k,
                        RoaringBitmap::deserialize_from(&docs[..])
                            .unwrap()
                            .iter()
                            .collect(),
                    )
                })
                .collect::<BTreeMap<String, Vec<u32>>>()
        }
    };
    let as_lists = |m: BTreeMap<String, BTreeSet<u32>>| -> BTreeMap<String, Vec<u32>> {
        m.into_iter().map(|(k, v)| (k, v.into_iter().collect())).collect()
    };
    // Anywhere in the search row (kinds 0 and 1), and in the name (2 and 3).
    for (columns, word_kind) in [("col <> 'facets'", 0), ("col = 'name'", 2)] {
        let instances: Vec<(String, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT term, doc FROM products_fts_instances WHERE {columns}"
        )))
        .fetch_all(&cache.pool)
        .await
        .unwrap();
        let mut words: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
        let mut prefixes: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
        for (word, doc) in instances {
            let doc = u32::try_from(doc).unwrap();
            let letters: Vec<char> = word.chars().collect();
            for n in 1..=letters.len().min(super::bitmaps::PREFIX_LETTERS) {
                prefixes
                    .entry(letters[..n].iter().collect())
                    .or_default()
                    .insert(doc);
            }
            words.entry(word).or_default().insert(doc);
        }
        let of_kind = |kind: i64| kept(format!("SELECT word, docs FROM search_words WHERE kind = {kind}"));
        assert_eq!(
            of_kind(word_kind).await,
            as_lists(words),
            "{when}: the words' bitmaps ({columns})"
        );
        assert_eq!(
            of_kind(word_kind + 1).await,
            as_lists(prefixes),
            "{when}: the prefixes' bitmaps ({columns})"
        );
    }
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT v.facet || '=' || v.value, p.key FROM product_facets p JOIN facet_values v ON v.id = p.value_id",
    )
    .fetch_all(&cache.pool)
    .await
    .unwrap();
    let mut values: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
    for (value, key) in rows {
        values
            .entry(value)
            .or_default()
            .insert(u32::try_from(key).unwrap());
    }
    assert_eq!(
        kept(
            "SELECT v.facet || '=' || v.value, d.docs FROM facet_docs d JOIN facet_values v ON v.id = d.value_id"
                .to_owned()
        )
        .await,
        as_lists(values),
        "{when}: the facet values' bitmaps"
    );
    // The words the ranking reads of each row: its words in its text columns, as FTS5 indexed them.
    let instances: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT doc, col, term FROM products_fts_instances WHERE col <> 'facets'")
            .fetch_all(&cache.pool)
            .await
            .unwrap();
    let columns = ["name", "description", "tags", "columns", "owners"];
    let mut words: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for (doc, column, term) in instances {
        let digit = columns.iter().position(|c| *c == column).unwrap() + 1;
        words.entry(doc).or_default().push(format!("{digit}{term}"));
    }
    let kept_words: Vec<(i64, String)> = sqlx::query_as("SELECT key, terms FROM search_terms")
        .fetch_all(&cache.pool)
        .await
        .unwrap();
    let mut kept_words: BTreeMap<i64, Vec<String>> = kept_words
        .into_iter()
        .map(|(key, terms)| (key, terms.split(' ').map(str::to_owned).collect()))
        .collect();
    for list in kept_words.values_mut().chain(words.values_mut()) {
        list.sort();
    }
    assert_eq!(kept_words, words, "{when}: the rows' words (search_terms)");
    // And each row's length, as FTS5 keeps it (its `docsize` record, a varint a column).
    let sizes: Vec<(i64, i64, Vec<u8>)> = sqlx::query_as(
        "SELECT t.key, t.size, d.sz FROM search_terms t JOIN products_fts_docsize d ON d.id = t.key",
    )
    .fetch_all(&cache.pool)
    .await
    .unwrap();
    assert_eq!(sizes.len(), words.len(), "{when}: a length for each row");
    for (key, size, record) in sizes {
        let fts5: u64 = super::rank::varints(&record).unwrap().iter().sum();
        assert_eq!(size as u64, fts5, "{when}: the length of row {key}");
    }
    let orphans: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM facet_docs WHERE value_id NOT IN (SELECT id FROM facet_values)",
    )
    .fetch_one(&cache.pool)
    .await
    .unwrap();
    assert_eq!(orphans, 0, "{when}: bitmaps of values no product has");
}

#[tokio::test]
async fn kept_counts_equal_naive_counts_through_pages_and_a_resync() {
    for seed in 0..6 {
        let cache = Cache::open_in_memory().await.unwrap();
        let mut platform = Platform::default();
        let mut random = Random(seed);
        let mut seq = 0;
        for n in 0..40 {
            let changes = platform.changes(&mut random, &mut seq);
            let page = ChangePage {
                next: seq,
                changes,
                has_more: false,
            };
            cache.page_apply("http://p", &page).await.unwrap();
            if n % 8 == 7 {
                let when = format!("seed {seed}, page {n}");
                tables_agree(&cache, &when).await;
                platform.compare(&cache, &when).await;
            }
        }
        // The platform moves on; the cache resyncs from scratch, in pages of 7.
        for _ in 0..5 {
            platform.changes(&mut random, &mut seq);
        }
        let snapshot = platform.snapshot();
        let mut resync = cache.resync_begin().await.unwrap();
        for chunk in snapshot.chunks(7) {
            let page = ChangePage {
                next: chunk.last().map(|c| c.seq).unwrap_or(0),
                changes: chunk.to_vec(),
                has_more: true,
            };
            resync.page_apply(&page).await.unwrap();
        }
        resync
            .commit("http://p", seq, "2026-12-01T00:00:00Z")
            .await
            .unwrap();
        let when = format!("seed {seed}, after the resync");
        tables_agree(&cache, &when).await;
        platform.compare(&cache, &when).await;
        // And pages again after it.
        for n in 0..10 {
            let changes = platform.changes(&mut random, &mut seq);
            let page = ChangePage {
                next: seq,
                changes,
                has_more: false,
            };
            cache.page_apply("http://p", &page).await.unwrap();
            let when = format!("seed {seed}, page {n} after the resync");
            tables_agree(&cache, &when).await;
        }
        platform.compare(&cache, &format!("seed {seed}, the end")).await;
    }
}

/// A cache written by the previous schema (0001) upgrades: its products are counted by 0002, and
/// search gives what a cache written today gives.
#[tokio::test]
async fn a_cache_of_the_previous_schema_upgrades_with_its_counts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.db");
    let mut platform = Platform::default();
    let mut random = Random(99);
    let mut seq = 0;
    for _ in 0..30 {
        platform.changes(&mut random, &mut seq);
    }
    {
        // The old schema, written as 0001's code wrote it.
        let options = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await
            .unwrap();
        MIGRATOR.run_to(1, &pool).await.unwrap();
        for (id, product) in &platform.products {
            let (description, tags, owners_text) = fts_texts(product);
            let key: i64 = sqlx::query_scalar(
                "INSERT INTO products (id, name, domain, status, version, purpose, tags, owners, document) \
                 VALUES (?, ?, ?, ?, '1.0.0', NULL, ?, ?, ?) RETURNING key",
            )
            .bind(id)
            .bind(text(product, "/name"))
            .bind(text(product, "/domain"))
            .bind(text(product, "/status"))
            .bind(serde_json::to_string(&tags_of(product)).unwrap())
            .bind(serde_json::to_string(&owners(product)).unwrap())
            .bind(product.to_string())
            .fetch_one(&pool)
            .await
            .unwrap();
            sqlx::query(
                "INSERT INTO products_fts (rowid, id, name, description, tags, columns, owners) \
                 VALUES (?, ?, ?, ?, ?, '', ?)",
            )
            .bind(key)
            .bind(id)
            .bind(text(product, "/name"))
            .bind(description)
            .bind(tags)
            .bind(owners_text)
            .execute(&pool)
            .await
            .unwrap();
        }
        for (id, incident) in &platform.incidents {
            sqlx::query("INSERT INTO incidents (id, product_id, state, document) VALUES (?, ?, ?, ?)")
                .bind(id)
                .bind(text(incident, "/productId"))
                .bind(text(incident, "/state"))
                .bind(incident.to_string())
                .execute(&pool)
                .await
                .unwrap();
        }
        sqlx::query("INSERT INTO sync_state (id, cursor, platform) VALUES (1, ?, 'http://p')")
            .bind(seq)
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
    }
    assert!(!platform.products.is_empty());
    let upgraded = Cache::open(&path).await.unwrap();
    assert_eq!(upgraded.state().await.unwrap().cursor, Some(seq));
    tables_agree(&upgraded, "upgraded").await;
    platform.compare(&upgraded, "upgraded").await;
    // The same documents through today's code.
    let today = Cache::open_in_memory().await.unwrap();
    today
        .page_apply(
            "http://p",
            &ChangePage {
                next: seq,
                changes: platform.snapshot(),
                has_more: false,
            },
        )
        .await
        .unwrap();
    for query in platform.queries() {
        let (a, b) = (
            upgraded.search(&query).await.unwrap(),
            today.search(&query).await.unwrap(),
        );
        assert_eq!(a.total, b.total, "{query:?}");
        assert_eq!(a.facets, b.facets, "{query:?}");
    }
    // And it keeps counting after the upgrade.
    for _ in 0..10 {
        let changes = platform.changes(&mut random, &mut seq);
        let page = ChangePage {
            next: seq,
            changes,
            has_more: false,
        };
        upgraded.page_apply("http://p", &page).await.unwrap();
    }
    tables_agree(&upgraded, "upgraded, then pages").await;
    platform.compare(&upgraded, "upgraded, then pages").await;
}

/// A search with plain words counts from the bitmaps (emptied, they find nothing), one with a word
/// FTS5 folds counts with SQL (it still finds), and both give the hits FTS5 ranks.
#[tokio::test]
async fn words_are_counted_from_the_bitmaps_unless_fts5_may_fold_them() {
    let cache = Cache::open_in_memory().await.unwrap();
    let changes = [("p1", "alpha ärger"), ("p2", "alpine"), ("p3", "bravo")]
        .iter()
        .enumerate()
        .map(|(n, (id, name))| Change {
            seq: n as i64 + 1,
            at: "2026-12-01T00:00:00Z".into(),
            entity: ChangeEntity::Product,
            id: (*id).into(),
            deleted: false,
            document: Some(json!({"id": id, "name": name, "domain": "orders", "status": "active"})),
        })
        .collect();
    let page = ChangePage {
        changes,
        next: 3,
        has_more: false,
    };
    cache.page_apply("http://p", &page).await.unwrap();
    let search = |text: &str| {
        let cache = cache.clone();
        let query = SearchQuery {
            text: text.into(),
            ..SearchQuery::default()
        };
        async move { cache.search(&query).await.unwrap() }
    };
    assert_eq!(search("alp").await.total, 2);
    assert_eq!(search("ärg").await.total, 1);
    assert_eq!(search("al").await.facets.domain[0].count, 2);
    sqlx::query("DELETE FROM search_words")
        .execute(&cache.pool)
        .await
        .unwrap();
    for text in ["alp", "al", "bravo"] {
        let found = search(text).await;
        assert_eq!((found.total, found.facets.domain.len()), (0, 0), "{text}");
    }
    assert_eq!(search("ärg").await.total, 1);
}

/// A product whose key cannot be a bitmap member leaves the counting to SQL, which still counts it.
#[tokio::test]
async fn a_key_beyond_the_bitmaps_leaves_the_counting_to_sql() {
    let cache = Cache::open_in_memory().await.unwrap();
    // A row SQLite gives the largest key: the next product's key is beyond u32.
    sqlx::query(
        "INSERT INTO products (key, id, name, domain, status, version, tags, owners, document) \
         VALUES (4294967296, 'old', 'old', 'orders', 'active', '1', '[]', '[]', '{}')",
    )
    .execute(&cache.pool)
    .await
    .unwrap();
    let page = ChangePage {
        changes: vec![Change {
            seq: 1,
            at: "2026-12-01T00:00:00Z".into(),
            entity: ChangeEntity::Product,
            id: "new".into(),
            deleted: false,
            document: Some(json!({"id": "new", "name": "alpha", "domain": "orders", "status": "active"})),
        }],
        next: 1,
        has_more: false,
    };
    cache.page_apply("http://p", &page).await.unwrap();
    let built: i64 = sqlx::query_scalar("SELECT built FROM search_bitmaps_state")
        .fetch_one(&cache.pool)
        .await
        .unwrap();
    assert_eq!(built, 2);
    let found = cache
        .search(&SearchQuery {
            text: "alp".into(),
            ..SearchQuery::default()
        })
        .await
        .unwrap();
    assert_eq!((found.total, found.hits[0].id.as_str()), (1, "new"));
    assert_eq!(found.facets.domain[0].count, 1);
}

/// With more matches than bm25 ranks, the candidates chosen from the bitmaps are those the tiers
/// choose in SQL: the same total, facets, hits, order and ranks either way.
#[tokio::test]
async fn the_bitmaps_choose_the_candidates_the_sql_tiers_choose() {
    const WORDS: &[&str] = &["olti", "oltix", "nemi", "kaqui", "tra", "trago", "saloba"];
    let cache = Cache::open_in_memory().await.unwrap();
    let mut random = Random(7);
    let (mut n, mut seq) = (0, 0);
    for _ in 0..5 {
        let documents = (0..600)
            .map(|_| {
                n += 1;
                let id = format!("p{}", random.below(2800));
                let name: Vec<&str> = (0..1 + random.below(3)).map(|_| random.pick(WORDS)).collect();
                let purpose: Vec<&str> = (0..random.below(5)).map(|_| random.pick(WORDS)).collect();
                json!({"id": id, "name": format!("{} {n}", name.join(" ")),
                    "domain": random.pick(DOMAINS), "status": random.pick(STATUSES), "version": "1.0.0",
                    "description": {"purpose": purpose.join(" ")}, "tags": [random.pick(TAGS)]})
            })
            .collect();
        products_page(&cache, documents, &mut seq).await;
    }
    let set_built = |built: i64| {
        let pool = cache.pool.clone();
        async move {
            sqlx::query("UPDATE search_bitmaps_state SET built = ?1")
                .bind(built)
                .execute(&pool)
                .await
                .unwrap();
        }
    };
    let mut ranked_many = 0;
    for text in [
        "olti",
        "olt",
        "o",
        "ol",
        "olti nemi",
        "tra kaqui",
        "nemi olti saloba",
        "trago",
        // Prefixes of one word each (FTS5 is given that word).
        "kaqu olti",
        "salob tra",
    ] {
        for domain in [None, Some("orders")] {
            for limit in [50, 1000] {
                let query = SearchQuery {
                    text: text.into(),
                    domain: domain.map(str::to_owned),
                    limit,
                    ..SearchQuery::default()
                };
                let from_bitmaps = cache.search(&query).await.unwrap();
                set_built(2).await;
                let from_sql = cache.search(&query).await.unwrap();
                set_built(1).await;
                assert_eq!(from_bitmaps, from_sql, "{query:?}");
                if from_bitmaps.total > u64::from(RANKED_MATCHES) {
                    ranked_many += 1;
                }
            }
        }
    }
    assert!(
        ranked_many >= 8,
        "{ranked_many} queries matched more than bm25 ranks"
    );
}

/// A facet lists its `facetLimit` most frequent values and the selected one, even where that one
/// ranks below them (a tie broken by name), and tells how many values it has in all.
#[tokio::test]
async fn a_facet_limit_keeps_the_selected_value_and_tells_the_sizes() {
    let cache = Cache::open_in_memory().await.unwrap();
    let documents = (0..3)
        .map(|n| {
            json!({"id": format!("p{n}"), "name": "alpha", "domain": "orders", "status": "active",
                "tags": ["amber", "beige", "zinc"]})
        })
        .collect();
    products_page(&cache, documents, &mut 0).await;
    for text in ["", "alp"] {
        let found = cache
            .search(&SearchQuery {
                text: text.into(),
                tag: Some("zinc".into()),
                facet_limit: 1,
                ..SearchQuery::default()
            })
            .await
            .unwrap();
        let tags: Vec<(&str, u64)> = found
            .facets
            .tag
            .iter()
            .map(|c| (c.value.as_str(), c.count))
            .collect();
        assert_eq!(tags, [("amber", 3), ("zinc", 3)], "{text:?}");
        assert_eq!(
            (found.facet_sizes.tag, found.facet_sizes.domain),
            (3, 1),
            "{text:?}"
        );
        assert_eq!(found.total, 3);
    }
}
