//! bm25 computed from the kept words of the candidates (`rank::scores`) against FTS5's own bm25 of
//! the same rows: the same score to the last bit, for prefixes, repeated words and facet terms.

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
async fn scores_from_the_kept_words_are_fts5s_bm25_to_the_bit() {
    let cache = catalog().await;
    // The facet term of the domain `orders` (`search::facet_token`): it narrows the rows, and adds
    // nothing to their scores (its column weighs nothing).
    let orders = "\"\u{E000}d6f7264657273\"";
    let queries: Vec<(Vec<&str>, Option<&str>)> = vec![
        (vec!["olti"], None),
        (vec!["oltix"], None),
        (vec!["o", "nemi"], None),
        (vec!["tra", "kaqui"], Some(orders)),
        (vec!["saloba", "zest", "trago"], None),
        (vec!["olti", "olti"], Some(orders)),
    ];
    let mut compared = 0;
    let mut conn = cache.pool.acquire().await.unwrap();
    for (words, term) in queries {
        let phrases: Vec<String> = words.iter().map(|w| format!("\"{w}\"*")).collect();
        let mut hits = Vec::new();
        for phrase in &phrases {
            let n: i64 = sqlx::query_scalar("SELECT count(*) FROM products_fts WHERE products_fts MATCH ?1")
                .bind(phrase)
                .fetch_one(&mut *conn)
                .await
                .unwrap();
            hits.push(n as u64);
        }
        let query = phrases
            .iter()
            .map(String::as_str)
            .chain(term)
            .collect::<Vec<_>>()
            .join(" ");
        let sql = format!(
            "SELECT rowid AS key, {} AS fts5 FROM products_fts WHERE products_fts MATCH ?1",
            rank::fts5_bm25()
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(&query)
            .fetch_all(&mut *conn)
            .await
            .unwrap();
        assert!(rows.len() >= 20, "{query}: {} rows", rows.len());
        let keys: roaring::RoaringBitmap = rows.iter().map(|r| r.get::<i64, _>("key") as u32).collect();
        let words: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        let ours = rank::scores(&mut conn, &words, &hits, &keys).await.unwrap();
        assert_eq!(ours.len(), rows.len(), "{query}: a score for each row");
        let mut distinct = std::collections::BTreeSet::new();
        for row in &rows {
            let (key, fts5): (i64, f64) = (row.get("key"), row.get("fts5"));
            let score = ours[&(key as u32)];
            assert_eq!(
                fts5.to_bits(),
                score.to_bits(),
                "{query}, row {key}: {fts5} against {score}"
            );
            distinct.insert(score.to_bits());
        }
        assert!(
            distinct.len() > 3,
            "{query}: the scores differ too little to tell"
        );
        compared += rows.len();
    }
    assert!(compared > 1000, "{compared} rows compared");
}

#[tokio::test]
async fn a_product_without_its_kept_words_is_an_error_not_a_wrong_rank() {
    let cache = catalog().await;
    let mut conn = cache.pool.acquire().await.unwrap();
    let key: i64 = sqlx::query_scalar("SELECT key FROM search_terms LIMIT 1")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    sqlx::query("DELETE FROM search_terms WHERE key = ?1")
        .bind(key)
        .execute(&mut *conn)
        .await
        .unwrap();
    let keys: roaring::RoaringBitmap = [key as u32].into_iter().collect();
    let error = rank::scores(&mut conn, &["olti".to_owned()], &[10], &keys)
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("search index is corrupt"), "{error}");
}
