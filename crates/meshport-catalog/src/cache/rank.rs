//! FTS5's bm25 computed for the ranking's candidates alone, from what the cache keeps of them:
//! each candidate's words as FTS5 indexed them (`search_terms`, kept beside the bitmaps), its
//! length and the table's totals as FTS5 stores them, and each phrase's number of products from
//! the bitmaps.
//!
//! FTS5 ranks by walking the query's lists of rows between the first and the last candidate, about
//! 0.2 µs a row of each list, and candidates spread over the catalog (the products named as typed,
//! the names with every word) make that every row: 8–15 ms for two common words in 100,000
//! products, where looking each candidate up costs 20–50 µs. Here the cost follows the candidates:
//! their words are read by key. The formula is FTS5's own (`fts5Bm25Function`, `fts5_aux.c`): the
//! same constants, frequencies, lengths and operations in the same order, so the same scores to the
//! last bit (`rank_tests`), with the search rows' column weights ([`WEIGHTS`]).
//!
//! The lengths are FTS5's: a row's is its number of tokens, kept with its words; the table's are read
//! from FTS5's averages record (a varint for the rows, then one a column: FTS5's file format,
//! `sqlite3Fts5IndexGetAverages`).

use std::collections::HashMap;

use roaring::RoaringBitmap;
use sqlx::SqliteConnection;

use crate::{Error, Result};

/// The weights of the search rows' columns (id, name, description, tags, columns, owners, facet
/// terms): the name weighs most, the id and the facet terms nothing.
pub(super) const WEIGHTS: [f64; 7] = [0.0, 10.0, 2.0, 5.0, 1.0, 3.0, 0.0];

/// FTS5's bm25 constants.
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// FTS5's bm25 with [`WEIGHTS`], as SQL.
pub(super) fn fts5_bm25() -> String {
    let weights: Vec<String> = WEIGHTS.iter().map(|w| format!("{w:?}")).collect();
    format!("bm25(products_fts, {})", weights.join(", "))
}

/// A varint of SQLite's (and FTS5's) format at the start of `bytes`, and its length.
fn varint(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value: u64 = 0;
    for (i, byte) in bytes.iter().take(9).enumerate() {
        if i == 8 {
            return Some(((value << 8) | u64::from(*byte), 9));
        }
        value = (value << 7) | u64::from(byte & 0x7f);
        if byte & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

/// The varints of `bytes`, in order; `None` when one is cut short.
pub(super) fn varints(mut bytes: &[u8]) -> Option<Vec<u64>> {
    let mut out = Vec::new();
    while !bytes.is_empty() {
        let (value, length) = varint(bytes)?;
        out.push(value);
        bytes = &bytes[length..];
    }
    Some(out)
}

fn unreadable(what: &str) -> Error {
    Error::SearchIndex(format!("its {what} cannot be read"))
}

/// The search rows' totals, as FTS5's `xRowCount` and `xColumnTotalSize(-1)` give them.
#[derive(Debug, Clone, Copy)]
pub(super) struct Totals {
    rows: i64,
    tokens: i64,
}

/// Reads [`Totals`] from FTS5's averages record (`products_fts_data`, id 1): the number of rows,
/// then each column's number of tokens.
pub(super) async fn totals(conn: &mut SqliteConnection) -> Result<Totals> {
    let block: Option<Vec<u8>> = sqlx::query_scalar("SELECT block FROM products_fts_data WHERE id = 1")
        .fetch_optional(conn)
        .await?;
    let values = match block {
        Some(block) => varints(&block).ok_or_else(|| unreadable("averages record"))?,
        None => Vec::new(),
    };
    let rows = values.first().copied().unwrap_or(0);
    let tokens: u64 = values.iter().skip(1).sum();
    Ok(Totals {
        rows: rows as i64,
        tokens: tokens as i64,
    })
}

/// The score of a row of `length` tokens whose phrases have the weighted `frequencies`, each phrase
/// in `hits[i]` of the table's rows: FTS5's `fts5Bm25Function`, operation for operation.
fn score(totals: Totals, length: i64, frequencies: &[f64], hits: &[u64]) -> f64 {
    let average = totals.tokens as f64 / totals.rows as f64;
    let length = length as f64;
    let mut score = 0.0;
    for (f, hits) in frequencies.iter().zip(hits) {
        let mut idf = (((totals.rows - *hits as i64) as f64 + 0.5) / (*hits as f64 + 0.5)).ln();
        if idf <= 0.0 {
            idf = 1e-6;
        }
        score += idf * ((f * (K1 + 1.0)) / (f + K1 * (1.0 - B + B * length / average)));
    }
    -score
}

/// The bm25 scores of `keys` (search rows every word of which matched) for the prefix-matched
/// `words` (lowercase), each in `hits[i]` products: one read of their words and lengths by key.
/// A facet term of the query matches the facet terms' column alone, whose weight is 0: it adds
/// nothing to a score, and is left out.
pub(super) async fn scores(
    conn: &mut SqliteConnection,
    words: &[String],
    hits: &[u64],
    keys: &RoaringBitmap,
) -> Result<HashMap<u32, f64>> {
    let totals = totals(&mut *conn).await?;
    let keys_json =
        serde_json::to_string(&keys.iter().collect::<Vec<u32>>()).expect("integers always serialize");
    // One row of all of them (a line each: key, length, words), not a row each: the cost is then
    // SQLite's lookups alone.
    let (found, lines): (i64, Option<String>) = sqlx::query_as(
        "SELECT count(*), group_concat(t.key || ' ' || t.size || ' ' || t.terms, char(10)) \
         FROM json_each(?1) k CROSS JOIN search_terms t ON t.key = k.value",
    )
    .bind(keys_json)
    .fetch_one(conn)
    .await?;
    if found as u64 != keys.len() {
        return Err(unreadable("words of a product"));
    }
    let mut out = HashMap::with_capacity(found as usize);
    let mut frequencies = vec![0.0_f64; words.len()];
    for line in lines.as_deref().unwrap_or_default().split('\n') {
        let mut fields = line.splitn(3, ' ');
        let (Some(key), Some(length)) = (
            fields.next().and_then(|k| k.parse::<u32>().ok()),
            fields.next().and_then(|l| l.parse::<i64>().ok()),
        ) else {
            return Err(unreadable("words of a product"));
        };
        frequencies.fill(0.0);
        // Each token: its column's digit, then the word.
        for token in fields.next().unwrap_or_default().as_bytes().split(|b| *b == b' ') {
            let weight = match token.first() {
                Some(digit @ b'1'..=b'5') => WEIGHTS[usize::from(digit - b'0')],
                _ => continue,
            };
            let word = &token[1..];
            for (f, typed) in frequencies.iter_mut().zip(words) {
                if word.starts_with(typed.as_bytes()) {
                    *f += weight;
                }
            }
        }
        out.insert(key, score(totals, length, &frequencies, hits));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_read_as_sqlite_writes_them() {
        assert_eq!(varint(&[0x00]), Some((0, 1)));
        assert_eq!(varint(&[0x7f]), Some((127, 1)));
        assert_eq!(varint(&[0x81, 0x00]), Some((128, 2)));
        // 249,891 = 0x3d023: 15, 32, 35 in groups of seven bits.
        assert_eq!(varint(&[0x8f, 0xa0, 0x23]), Some((249_891, 3)));
        assert_eq!(varint(&[0xff; 9]), Some((u64::MAX, 9)));
        assert_eq!(varint(&[0x81]), None);
        assert_eq!(varints(&[0x03, 0x81, 0x00, 0x00]), Some(vec![3, 128, 0]));
    }
}
