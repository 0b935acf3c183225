//! The search of the cache: FTS5 over names, descriptions, tags, column names and descriptions and
//! owners, every word prefix-matched, ranked by bm25, filters combined, and exact facet counts.
//!
//! No row reaches Rust but the page shown. Without words the facets are read from the counts kept
//! beside the products (`facet_values`; with one filter, `facet_pairs`) and the first page from an
//! index in name order (on names, or the rarest filter's `product_facets_by_value`). With words (or
//! two filters), the matches and their facets are counted from the bitmaps kept beside the products
//! (`bitmaps`): the words' bitmaps and the filters' intersected, then that with each facet value's,
//! whatever the number of matches; the candidates bm25 ranks are chosen from them too (the words'
//! bitmaps in names), and their scores are computed from their words as FTS5 indexed them
//! (`search_terms`, `rank`): FTS5's bm25 to the bit, at a cost that follows the candidates (FTS5
//! would walk its lists between the first and the last candidate, all of them when the candidates lie
//! across the catalog). A word FTS5 may fold (not plain ASCII letters and digits) is counted in SQL
//! instead, and ranked by FTS5's bm25: a filter on domain, status, tag or owner is an FTS5 term of
//! the same query (the search rows carry their product's values as private-use terms, `facets`), and
//! the matches' `product_facets` rows are grouped, about 2 µs a match. bm25 ranks at most
//! [`RANKED_MATCHES`] of them: when more match, the best candidates, those with every word in their
//! name, then with some word in their name, then the rest; the product named as typed is always
//! among them, and first.

use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};

use super::{
    Cache, FACET_NAMES, FacetCount, FacetSizes, Facets, SearchHit, SearchQuery, SearchResult, bitmaps, rank,
};
use crate::Result;

/// How many matches of a search with words bm25 ranks at most.
pub const RANKED_MATCHES: u32 = 1000;

/// The columns of a hit, from `products p`.
const HIT_COLUMNS: &str = "p.id, p.name, p.domain, p.status, p.version, p.purpose, p.tags";

/// The words typed, in lowercase. Underscores split words as the tokenizer splits them
/// (`order_lines` finds `order` and `lines`).
fn typed_words(typed: &str) -> Vec<String> {
    typed
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The words typed, each quoted and prefix-matched (`"cust"*`).
fn fts_words(typed: &str) -> Vec<String> {
    typed_words(typed).iter().map(|w| format!("\"{w}\"*")).collect()
}

/// The FTS5 query of what the user typed: every word, quoted, prefix-matched; `None` for no words.
pub fn fts_query(typed: &str) -> Option<String> {
    let words = fts_words(typed);
    (!words.is_empty()).then(|| words.join(" "))
}

/// A filter found among the facet values: its id and how many products have it.
#[derive(Debug, Clone)]
struct Filter {
    id: i64,
    count: i64,
    /// The value's FTS5 term in the search rows' `facets` column (none for `openIncident`, which
    /// incidents change without the product's search row).
    token: Option<String>,
}

/// The FTS5 term (quoted) of a facet value in the search rows' `facets` column: U+E000, the facet's
/// letter, the value's UTF-8 in lowercase hex (as `product_facet_tokens`, migration 0002, writes it).
fn facet_token(facet: &str, value: &str) -> Option<String> {
    let letter = match facet {
        "domain" => 'd',
        "status" => 's',
        "tag" => 't',
        "owner" => 'o',
        _ => return None,
    };
    let hex: String = value.bytes().map(|b| format!("{b:02x}")).collect();
    Some(format!("\"\u{E000}{letter}{hex}\""))
}

impl Cache {
    /// Searches the cache: FTS5 with bm25 ranking (name weighs most), every word prefix-matched, the
    /// filters combined, and exact facet counts over what matched. One read transaction, so the
    /// total, the facets and the hits are of the same cache.
    pub async fn search(&self, query: &SearchQuery) -> Result<SearchResult> {
        let words = fts_words(&query.text);
        let limit = if query.limit == 0 { 50 } else { query.limit };
        let mut tx = self.pool.begin().await?;
        let conn: &mut SqliteConnection = &mut tx;
        let wanted: Vec<(&'static str, String)> = [
            ("domain", query.domain.clone()),
            ("status", query.status.clone()),
            ("tag", query.tag.clone()),
            ("owner", query.owner.clone()),
            ("openIncident", query.open_incident.map(|b| b.to_string())),
        ]
        .into_iter()
        .filter_map(|(facet, value)| value.map(|v| (facet, v)))
        .collect();
        // The catalog's size (every product has one status), then each filter's value.
        let rows = sqlx::query(
            "SELECT -1 AS ord, NULL AS id, coalesce(sum(count), 0) AS n FROM facet_values WHERE facet = 'status' \
             UNION ALL SELECT f.key, v.id, v.count FROM json_each(?1) f \
               LEFT JOIN facet_values v ON v.facet = f.value ->> 0 AND v.value = f.value ->> 1 \
             ORDER BY ord",
        )
        .bind(serde_json::to_string(&wanted).expect("strings always serialize"))
        .fetch_all(&mut *conn)
        .await?;
        let products: i64 = rows[0].try_get("n")?;
        let mut filters = Vec::with_capacity(wanted.len());
        for (row, (facet, value)) in rows[1..].iter().zip(&wanted) {
            match row.try_get::<Option<i64>, _>("id")? {
                Some(id) => filters.push(Filter {
                    id,
                    count: row.try_get("n")?,
                    token: facet_token(facet, value),
                }),
                // No product has that value: nothing matches.
                None => return Ok(nothing()),
            }
        }
        // The rarest filter first: it drives the searches without words.
        filters.sort_by_key(|f| f.count);
        // With words, the filters with a term are FTS5 terms of the same query (FTS5 intersects
        // their lists), the others a lookup per match.
        let fts = (!words.is_empty()).then(|| {
            let terms = filters.iter().filter_map(|f| f.token.clone());
            words.iter().cloned().chain(terms).collect::<Vec<_>>().join(" ")
        });
        let looked_up: Vec<Filter> = match &fts {
            Some(_) => filters.iter().filter(|f| f.token.is_none()).cloned().collect(),
            None => filters.clone(),
        };

        let typed = typed_words(&query.text);
        // The matches and each word's count of products, when the bitmaps counted them (the
        // ranking's candidates and scores come from them then).
        let mut matched = None;
        // Each facet's number of values, where the facets are read in part.
        let mut sizes = None;
        let (total, facets) = match (words.is_empty(), filters.as_slice()) {
            (true, []) if query.facet_limit > 0 => {
                let (facets, counted) = facets_most_frequent(conn, query.facet_limit).await?;
                sizes = Some(counted);
                (products as u64, facets)
            }
            (true, []) => (
                products as u64,
                facets_read(conn, "SELECT facet, value, count AS n FROM facet_values", None).await?,
            ),
            (true, [filter]) => (
                filter.count as u64,
                facets_read(
                    conn,
                    "SELECT v.facet, v.value, p.count AS n FROM facet_pairs p JOIN facet_values v ON v.id = p.other_id \
                     WHERE p.value_id = ?1 \
                     UNION ALL SELECT facet, value, count FROM facet_values WHERE id = ?1",
                    Some(filter.id),
                )
                .await?,
            ),
            _ => match bitmaps_count(conn, &self.facet_docs, &typed, &filters).await? {
                Some(Counted { matches, hits, facets }) => {
                    let total = matches.len();
                    matched = Some((matches, hits));
                    (total, facets)
                }
                None => matches_count(conn, fts.as_deref(), &looked_up).await?,
            },
        };
        if total == 0 {
            return Ok(nothing());
        }
        let hits = match (&fts, matched) {
            (None, _) => hits_by_name(conn, &filters, limit).await?,
            (Some(_), Some((matches, hits))) => {
                hits_scored(conn, &query.text, &typed, &hits, &matches, limit).await?
            }
            (Some(fts), None) => {
                let candidates = if total > u64::from(RANKED_MATCHES) {
                    Candidates::Tiers
                } else {
                    Candidates::All
                };
                let ranking = Ranking {
                    typed: &query.text,
                    words: &words,
                    query: fts,
                };
                hits_ranked(conn, ranking, &looked_up, candidates, limit).await?
            }
        };
        tx.commit().await?;
        let facet_sizes = sizes.unwrap_or_else(|| facets.sizes());
        let mut facets = facets;
        facets.truncate(query.facet_limit as usize, |facet| {
            wanted
                .iter()
                .find(|(f, _)| *f == facet)
                .map(|(_, value)| value.clone())
        });
        Ok(SearchResult {
            total,
            hits,
            facets,
            facet_sizes,
        })
    }
}

/// Nothing found.
fn nothing() -> SearchResult {
    SearchResult {
        total: 0,
        hits: Vec::new(),
        facets: Facets::default(),
        facet_sizes: Default::default(),
    }
}

/// `AND`s requiring each of `filters` of the product at `key`, their ids bound from `?{first}` on.
fn filters_sql(key: &str, filters: &[Filter], first: usize) -> String {
    (0..filters.len())
        .map(|i| {
            format!(
                " AND EXISTS (SELECT 1 FROM product_facets f WHERE f.key = {key} AND f.value_id = ?{})",
                first + i
            )
        })
        .collect()
}

/// Reads facet rows (`facet`, `value`, `n`) into facets, each list by count then value.
async fn facets_read(conn: &mut SqliteConnection, sql: &str, value: Option<i64>) -> Result<Facets> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .bind(value)
        .fetch_all(conn)
        .await?;
    facets_of(&rows)
}

/// The `limit` most frequent values of each facet over the whole catalog, read in count order from
/// `facet_values_by_count` (migration 0011), and each facet's number of values.
async fn facets_most_frequent(conn: &mut SqliteConnection, limit: u32) -> Result<(Facets, FacetSizes)> {
    let firsts: Vec<String> = FACET_NAMES
        .iter()
        .map(|facet| {
            format!(
                "SELECT * FROM (SELECT facet, value, count AS n FROM facet_values WHERE facet = '{facet}' \
                 ORDER BY count DESC, value LIMIT ?1)"
            )
        })
        .collect();
    let rows = sqlx::query(sqlx::AssertSqlSafe(firsts.join(" UNION ALL ")))
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
    let facets = facets_of(&rows)?;
    let mut sizes = FacetSizes::default();
    for row in sqlx::query("SELECT facet, count(*) AS n FROM facet_values GROUP BY facet")
        .fetch_all(&mut *conn)
        .await?
    {
        if let Some(size) = sizes.named(&row.try_get::<String, _>("facet")?) {
            *size = row.try_get::<i64, _>("n")? as u64;
        }
    }
    Ok((facets, sizes))
}

fn facets_of(rows: &[SqliteRow]) -> Result<Facets> {
    let mut counted = Vec::with_capacity(rows.len());
    for row in rows {
        let facet: String = row.try_get("facet")?;
        let value: String = row.try_get("value")?;
        counted.push((facet, value, row.try_get::<i64, _>("n")? as u64));
    }
    Ok(facets_from(counted))
}

/// Facets of (facet, value, count)s, each list by count then value.
fn facets_from<F: AsRef<str>, V: Into<String>>(counted: impl IntoIterator<Item = (F, V, u64)>) -> Facets {
    let mut facets = Facets::default();
    for (facet, value, n) in counted {
        if let Some(list) = facets.named(facet.as_ref()) {
            list.push(FacetCount {
                value: value.into(),
                count: n,
            });
        }
    }
    for (_, list) in facets.named_mut() {
        list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    }
    facets
}

/// A search counted from the bitmaps.
struct Counted {
    matches: roaring::RoaringBitmap,
    /// How many products each word is in (a word prefix-matched: has a word it begins).
    hits: Vec<u64>,
    facets: Facets,
}

/// Counts the matches and their facets from the bitmaps: the words' bitmaps (`words`, lowercase)
/// intersected with the filters', then with each facet value's. `None` when the bitmaps cannot
/// answer exactly (not built, or a word FTS5 may fold otherwise); the caller counts with SQL then.
async fn bitmaps_count(
    conn: &mut SqliteConnection,
    kept: &bitmaps::FacetDocsKept,
    words: &[String],
    filters: &[Filter],
) -> Result<Option<Counted>> {
    let Some(values) = bitmaps::facet_docs(conn, kept).await? else {
        return Ok(None);
    };
    let (mut matches, hits) = if words.is_empty() {
        (None, Vec::new())
    } else if bitmaps::plain(words) {
        let found = bitmaps::words_match(conn, words).await?;
        (Some(found.matches), found.hits)
    } else {
        return Ok(None);
    };
    for filter in filters {
        let Some(docs) = values.docs(filter.id) else {
            return Ok(None);
        };
        matches = Some(match matches {
            None => docs.clone(),
            Some(matches) => matches & docs,
        });
    }
    let Some(matches) = matches else {
        return Ok(None);
    };
    let facets = facets_from(values.counts(&matches));
    Ok(Some(Counted {
        matches,
        hits,
        facets,
    }))
}

/// The matches' keys: the FTS5 query's matches (`?1`) with the filters (`?2`…), or without words
/// the products of the rarest filter with the others.
fn matches_sql(fts: Option<&str>, filters: &[Filter]) -> String {
    match fts {
        None => format!(
            "SELECT key FROM product_facets WHERE value_id = ?2{}",
            filters_sql("product_facets.key", &filters[1..], 3)
        ),
        Some(_) => format!(
            "SELECT rowid AS key FROM products_fts WHERE products_fts MATCH ?1{}",
            filters_sql("products_fts.rowid", filters, 2)
        ),
    }
}

/// Counts the matches and their facets in one statement: the facet rows of the matches, grouped.
async fn matches_count(
    conn: &mut SqliteConnection,
    fts: Option<&str>,
    filters: &[Filter],
) -> Result<(u64, Facets)> {
    let sql = format!(
        "WITH m AS MATERIALIZED ({}) \
         SELECT '' AS facet, '' AS value, count(*) AS n FROM m \
         UNION ALL SELECT v.facet, v.value, c.n FROM ( \
           SELECT f.value_id, count(*) AS n FROM m CROSS JOIN product_facets f ON f.key = m.key GROUP BY f.value_id) c \
         JOIN facet_values v ON v.id = c.value_id",
        matches_sql(fts, filters)
    );
    let mut statement = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(fts.unwrap_or_default().to_owned());
    for filter in filters {
        statement = statement.bind(filter.id);
    }
    let rows = statement.fetch_all(conn).await?;
    let total = rows
        .iter()
        .find(|r| r.try_get::<String, _>("facet").is_ok_and(|f| f.is_empty()))
        .map(|r| r.try_get::<i64, _>("n"))
        .transpose()?
        .unwrap_or(0);
    Ok((total as u64, facets_of(&rows)?))
}

fn hit_of(row: &SqliteRow) -> Result<SearchHit> {
    let tags: String = row.try_get("tags")?;
    Ok(SearchHit {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        domain: row.try_get("domain")?,
        status: row.try_get("status")?,
        version: row.try_get("version")?,
        purpose: row.try_get("purpose")?,
        tags: serde_json::from_str(&tags).unwrap_or_default(),
        rank: row.try_get("rank")?,
    })
}

/// The first page of a search without words, by name: without filters, the index on names read
/// in order; otherwise the rarest filter's products, in name order by their index, each checked
/// against the other filters (at most that filter's products read, whatever the names are).
async fn hits_by_name(conn: &mut SqliteConnection, filters: &[Filter], limit: u32) -> Result<Vec<SearchHit>> {
    let sql = if filters.is_empty() {
        format!(
            "SELECT {HIT_COLUMNS}, 0.0 AS rank FROM products p INDEXED BY products_by_name WHERE true{} \
             ORDER BY p.name COLLATE NOCASE, p.key LIMIT {limit}",
            filters_sql("p.key", filters, 1)
        )
    } else {
        // The rarest filter's rows are in name order already (`product_facets_by_value`).
        format!(
            "SELECT {HIT_COLUMNS}, 0.0 AS rank FROM product_facets m INDEXED BY product_facets_by_value \
             CROSS JOIN products p ON p.key = m.key \
             WHERE m.value_id = ?1{} ORDER BY m.name COLLATE NOCASE, m.key LIMIT {limit}",
            filters_sql("m.key", &filters[1..], 2)
        )
    };
    let mut statement = sqlx::query(sqlx::AssertSqlSafe(sql));
    for filter in filters {
        statement = statement.bind(filter.id);
    }
    statement.fetch_all(conn).await?.iter().map(hit_of).collect()
}

/// Which matches of a search with words bm25 ranks.
enum Candidates {
    /// All (at most [`RANKED_MATCHES`] match).
    All,
    /// Those the tiers choose, in SQL.
    Tiers,
}

/// What ranks a search with words in SQL: what was typed, its words ([`fts_words`]) and the FTS5
/// query (the words then the facet terms).
struct Ranking<'a> {
    typed: &'a str,
    words: &'a [String],
    query: &'a str,
}

/// The first page of a search with words whose matches the bitmaps counted, in the order of
/// [`hits_ranked`]: the products named exactly as typed (case aside) first, then by bm25, name (case
/// aside) and key. The candidates are the matches when at most [`RANKED_MATCHES`] match, else the
/// tiers' ([`bitmaps::candidates`]), and the products named as typed whatever the tiers took; their
/// scores are FTS5's bm25 computed from their words ([`rank::scores`]), whatever the number of
/// matches. The page, and the candidates tied with its last, are then put in order by name in SQL.
async fn hits_scored(
    conn: &mut SqliteConnection,
    typed: &str,
    words: &[String],
    hits: &[u64],
    matches: &roaring::RoaringBitmap,
    limit: u32,
) -> Result<Vec<SearchHit>> {
    let keys: Vec<i64> = sqlx::query_scalar(
        "SELECT key FROM products INDEXED BY products_by_name WHERE name = ?1 COLLATE NOCASE",
    )
    .bind(typed.trim())
    .fetch_all(&mut *conn)
    .await?;
    let named: roaring::RoaringBitmap = keys
        .into_iter()
        .filter_map(|k| u32::try_from(k).ok())
        .collect::<roaring::RoaringBitmap>()
        & matches;
    let mut candidates = if matches.len() > u64::from(RANKED_MATCHES) {
        bitmaps::candidates(conn, words, matches, u64::from(RANKED_MATCHES)).await?
    } else {
        matches.clone()
    };
    candidates |= &named;
    let scores = rank::scores(conn, words, hits, &candidates).await?;
    // Named as typed first, then by score.
    let mut ranked: Vec<(bool, f64, u32)> = scores
        .iter()
        .map(|(key, score)| (named.contains(*key), *score, *key))
        .collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.total_cmp(&b.1)));
    // The page and every candidate tied with its last: SQL orders those by name, then key.
    let kept = match ranked.get(limit as usize) {
        Some(_) if limit > 0 => {
            let last = ranked[limit as usize - 1];
            limit as usize
                + ranked[limit as usize..]
                    .iter()
                    .take_while(|r| r.0 == last.0 && r.1 == last.1)
                    .count()
        }
        _ => ranked.len(),
    };
    ranked.truncate(kept);
    // Each kept candidate's key and place (candidates tied share theirs).
    let mut place = 0;
    let ordered: Vec<(u32, usize)> = ranked
        .iter()
        .enumerate()
        .map(|(i, r)| {
            if i > 0 && (ranked[i - 1].0 != r.0 || ranked[i - 1].1 != r.1) {
                place += 1;
            }
            (r.2, place)
        })
        .collect();
    let sql = format!(
        "SELECT {HIT_COLUMNS}, p.key AS key, 0.0 AS rank FROM json_each(?1) j CROSS JOIN products p ON p.key = j.value ->> 0 \
         ORDER BY j.value ->> 1, p.name COLLATE NOCASE, p.key LIMIT {limit}"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(serde_json::to_string(&ordered).expect("integers always serialize"))
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|row| {
            let mut hit = hit_of(row)?;
            let key: i64 = row.try_get("key")?;
            hit.rank = scores.get(&(key as u32)).copied().unwrap_or_default();
            Ok(hit)
        })
        .collect()
}

/// The first page of a search with words the bitmaps did not count, by bm25 in SQL, in the same
/// order as [`hits_scored`]. When at most [`RANKED_MATCHES`] match, all are ranked. Otherwise that
/// many candidates are, chosen without ranking in tiers: the matches with every word in their
/// name, then those with some word in their name, then the rest, each tier in rowid order up to
/// what is left of the cap; and the products named as typed (the index on names), whatever the
/// tiers took. bm25 is then the query's own, computed in one pass over its matches for the
/// candidates alone (no `NOT` in the ranked expression: FTS5 would read and tokenize each row again
/// for the phrases under one).
async fn hits_ranked(
    conn: &mut SqliteConnection,
    ranking: Ranking<'_>,
    filters: &[Filter],
    candidates: Candidates,
    limit: u32,
) -> Result<Vec<SearchHit>> {
    let Ranking { typed, words, query } = ranking;
    // Parameters: ?1 the query, ?2.. the tiers' expressions, then the filters, then the name typed.
    let mut expressions = vec![query.to_owned()];
    let tiers = match &candidates {
        Candidates::All => 0,
        Candidates::Tiers => {
            // The facet terms of the query (what follows the words), for the tiers' expressions.
            let terms = query[words.join(" ").len()..].trim();
            let and_terms = if terms.is_empty() {
                String::new()
            } else {
                format!(" AND {terms}")
            };
            expressions.push(format!("{{name}} : ({}){and_terms}", words.join(" ")));
            if words.len() > 1 {
                expressions.push(format!("({{name}} : ({})) AND ({query})", words.join(" OR ")));
            }
            expressions.len()
        }
    };
    let first = expressions.len() + 1;
    let typed_at = first + filters.len();
    let filters_at = filters_sql("products_fts.rowid", filters, first);
    let bm25 = rank::fts5_bm25();
    let ranked = match candidates {
        Candidates::All => format!(
            "SELECT rowid AS key, {bm25} AS rank FROM products_fts WHERE products_fts MATCH ?1{filters_at}"
        ),
        Candidates::Tiers => {
            let mut ctes = Vec::new();
            let mut taken: Vec<String> = Vec::new();
            // The name tiers, then the rest (?1).
            for (i, expression) in (2..=tiers).chain([1]).enumerate() {
                let tier = format!("t{}", i + 1);
                let not_taken: String = taken
                    .iter()
                    .map(|t| format!(" AND products_fts.rowid NOT IN (SELECT key FROM {t})"))
                    .collect();
                let left: String = taken
                    .iter()
                    .map(|t| format!(" - (SELECT count(*) FROM {t})"))
                    .collect();
                ctes.push(format!(
                    "{tier} AS MATERIALIZED (SELECT rowid AS key FROM products_fts WHERE products_fts MATCH ?{expression}\
                     {filters_at}{not_taken} LIMIT {RANKED_MATCHES}{left})"
                ));
                taken.push(tier);
            }
            let union: String = taken
                .iter()
                .map(|t| format!(" UNION SELECT key FROM {t}"))
                .collect();
            ctes.push(format!(
                "c AS MATERIALIZED (SELECT key FROM products INDEXED BY products_by_name \
                   WHERE name = ?{typed_at} COLLATE NOCASE{union})"
            ));
            // `+rowid`: the candidates filter the query's rows; they are not lookups by rowid (each
            // would expand the query's prefixes again). The query's rows are read between the
            // candidates' first and last rowid only (FTS5 seeks to them): the tiers took theirs in
            // rowid order, so most of a query with many matches lies beyond.
            format!(
                "WITH {} SELECT rowid AS key, {bm25} AS rank FROM products_fts \
                 WHERE products_fts MATCH ?1{filters_at} AND +products_fts.rowid IN (SELECT key FROM c) \
                 AND products_fts.rowid >= (SELECT min(key) FROM c) AND products_fts.rowid <= (SELECT max(key) FROM c)",
                ctes.join(", ")
            )
        }
    };
    let sql = format!(
        "SELECT {HIT_COLUMNS}, h.rank AS rank FROM ({ranked}) h CROSS JOIN products p ON p.key = h.key \
         ORDER BY p.name = ?{typed_at} COLLATE NOCASE DESC, h.rank, p.name COLLATE NOCASE, p.key LIMIT {limit}"
    );
    let mut statement = sqlx::query(sqlx::AssertSqlSafe(sql));
    for expression in expressions {
        statement = statement.bind(expression);
    }
    for filter in filters {
        statement = statement.bind(filter.id);
    }
    statement = statement.bind(typed.trim());
    statement.fetch_all(conn).await?.iter().map(hit_of).collect()
}
