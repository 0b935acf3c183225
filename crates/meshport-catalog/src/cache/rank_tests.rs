//! `meshport_bm25` against FTS5's own bm25: the same score to the last bit for every row of every
//! query, given each phrase's count of products; and a clear error when the counts are not one a
//! phrase.

use serde_json::json;
use sqlx::Row;

use super::facet_tests::{Random, products_page};
use super::*;

const WORDS: &[&str] = &["olti", "oltix", "nemi", "kaqui", "tra", "trago", "saloba", "zest"];

/// A cache of 1,500 products of random names and purposes of [`WORDS`], domains and tags.
async fn catalog() -> Cache {
    let cache = Cache::open_in_memory().await.unwrap();
    let mut random = Random(11);
    let documents = (0..1500)
        .map(|n| {
            let name: Vec<&str> = (0..1 + random.below(3)).map(|_| random.pick(WORDS)).collect();
            let purpose: Vec<&str> = (0..random.below(8)).map(|_| random.pick(WORDS)).collect();
            json!({"id": format!("p{n}"), "name": name.join(" "), "domain": random.pick(&["orders", "stock"]),
                "status": "active", "version": "1.0.0", "description": {"purpose": purpose.join(" ")},
                "tags": [random.pick(WORDS)]})
        })
        .collect();
    products_page(&cache, documents, &mut 0).await;
    cache
}

#[tokio::test]
async fn meshport_bm25_scores_as_fts5s_bm25_given_each_phrases_count() {
    let cache = catalog().await;
    // The facet term of the domain `orders` (`search::facet_token`).
    let orders = "\"\u{E000}d6f7264657273\"";
    let queries: Vec<Vec<String>> = vec![
        vec!["\"olti\"*".into()],
        vec!["\"olti\"".into()],
        vec!["\"o\"*".into(), "\"nemi\"".into()],
        vec!["\"tra\"*".into(), "\"kaqui\"*".into(), orders.into()],
        vec!["\"saloba\"".into(), "\"zest\"*".into(), "\"trago\"".into()],
    ];
    let mut compared = 0;
    for phrases in queries {
        let mut hits = Vec::new();
        for phrase in &phrases {
            let n: i64 = sqlx::query_scalar("SELECT count(*) FROM products_fts WHERE products_fts MATCH ?1")
                .bind(phrase)
                .fetch_one(&cache.pool)
                .await
                .unwrap();
            hits.push(n);
        }
        let counts: Vec<String> = (2..2 + hits.len()).map(|i| format!("?{i}")).collect();
        let sql = format!(
            "SELECT {} AS fts5, {}(products_fts, {}) AS ours FROM products_fts WHERE products_fts MATCH ?1",
            rank::fts5_bm25(),
            rank::NAME,
            counts.join(", ")
        );
        let mut statement = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(phrases.join(" "));
        for n in &hits {
            statement = statement.bind(n);
        }
        let rows = statement.fetch_all(&cache.pool).await.unwrap();
        assert!(rows.len() >= 20, "{phrases:?} matched {} rows", rows.len());
        let mut distinct = std::collections::BTreeSet::new();
        for row in &rows {
            let (fts5, ours): (f64, f64) = (row.get("fts5"), row.get("ours"));
            assert_eq!(
                fts5.to_bits(),
                ours.to_bits(),
                "{phrases:?}: {fts5} against {ours}"
            );
            distinct.insert(ours.to_bits());
        }
        assert!(
            distinct.len() > 3,
            "{phrases:?}: the scores differ too little to tell"
        );
        compared += rows.len();
    }
    assert!(compared > 1000, "{compared} rows compared");
}

#[tokio::test]
async fn meshport_bm25_wants_one_count_a_phrase() {
    let cache = catalog().await;
    let sql = format!(
        "SELECT {}(products_fts, 10) FROM products_fts WHERE products_fts MATCH '\"olti\" \"nemi\"'",
        rank::NAME
    );
    let error = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(&cache.pool)
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("one count of products for each phrase"), "{error}");
}

#[tokio::test]
async fn every_connection_of_a_cache_ranks() {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::open(&dir.path().join("cache.db")).await.unwrap();
    let mut held = Vec::new();
    for _ in 0..4 {
        let mut conn = cache.pool.acquire().await.unwrap();
        let sql = format!(
            "SELECT count(*) FROM (SELECT {}(products_fts) FROM products_fts WHERE products_fts MATCH 'x')",
            rank::NAME
        );
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert_eq!(n, 0);
        held.push(conn);
    }
}
