//! Which products each search word, each word's first letters and each facet value are in, as
//! Roaring bitmaps of the products' keys (`search_words`, `facet_docs`, migration 0008), kept in
//! the transaction that writes the products; a full resync builds them at its commit.
//!
//! A search with words counts its matches and their facets from them: its words' bitmaps (a word
//! prefix-matched is the union of the words it begins, or for one to three letters the prefix's own
//! bitmap) intersected with its filters', then that intersection's size with each facet value's.
//! The cost follows the number of facet values and of words a prefix begins, not of matches.
//!
//! The words are FTS5's own. A page's search rows, as they were before it and as they are after it,
//! are tokenized by a temporary FTS5 table of the search rows' tokenizer and read back through
//! `fts5vocab`; a full build reads the search rows' own `fts5vocab` (`products_fts_instances`). So a
//! word's bitmap holds exactly the products whose search row FTS5 finds it in.
//!
//! Beside them, from the same `fts5vocab` rows, each search row's words (`search_terms`, migration
//! 0010), from which the ranking computes bm25 for its candidates (`rank`).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use roaring::RoaringBitmap;
use sqlx::{Row, SqliteConnection};

use crate::Result;

/// Words this short (in letters) are read as prefixes from a bitmap of their own (`kind` 1).
pub(super) const PREFIX_LETTERS: usize = 3;

/// The `search_words.kind`s of a word as FTS5 indexed it and of the first [`PREFIX_LETTERS`]
/// letters (or fewer) of words: anywhere in the search row (0, 1), or in the product's name (2, 3,
/// for the ranking's candidates); `columns` narrows `fts5vocab`'s rows to theirs.
#[derive(Debug, Clone, Copy)]
pub(super) struct Kinds {
    word: i64,
    prefix: i64,
    columns: &'static str,
}

pub(super) const ANYWHERE: Kinds = Kinds {
    word: 0,
    prefix: 1,
    columns: "col <> 'facets'",
};
pub(super) const IN_NAME: Kinds = Kinds {
    word: 2,
    prefix: 3,
    columns: "col = 'name'",
};

/// The indexed columns of a search row (its id aside): the text, then the facet terms.
const COLUMNS: &str = "name, description, tags, columns, owners, facets";

/// A row's `search_terms` (migration 0010) from its `fts5vocab` instances, grouped by row: its
/// number of tokens (FTS5's length of the row), and its words in the text columns, each after its
/// column's digit (1 to 5 in [`COLUMNS`]' order), separated by spaces.
const TERMS: &str = "count(*), coalesce(group_concat(CASE col WHEN 'name' THEN '1' WHEN 'description' THEN '2' \
     WHEN 'tags' THEN '3' WHEN 'columns' THEN '4' WHEN 'owners' THEN '5' END || term, ' '), '')";

/// A scratch FTS5 table with the search rows' tokenizer (migration 0002's `products_fts`), and
/// its words, on this connection.
const SCRATCH: [&str; 2] = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_scratch USING fts5 \
     (name, description, tags, columns, owners, facets, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_scratch_instances \
     USING fts5vocab (temp, search_scratch, instance)",
];

/// The first letters of `word` that get a prefix bitmap: one, and two when it has them.
fn prefixes(word: &str) -> impl Iterator<Item = &str> {
    word.char_indices()
        .skip(1)
        .map(|(at, _)| at)
        .chain([word.len()])
        .take(PREFIX_LETTERS)
        .map(move |end| &word[..end])
}

/// A product's key as a bitmap member; `None` beyond `u32` (then the bitmaps are not used).
fn member(key: i64) -> Option<u32> {
    u32::try_from(key).ok()
}

/// `search_bitmaps_state.built`: 0 to be built, 1 built, 2 not usable (a product's key is beyond
/// `u32`; searches count with SQL until a resync builds them again).
const BUILT: i64 = 1;
const UNUSABLE: i64 = 2;

/// Marks the bitmaps unusable when one of `keys` cannot be a member (SQLite gives a new product
/// the largest key plus one, so this takes a cache that has had four billion products).
pub(super) async fn keys_fit(conn: &mut SqliteConnection, mut keys: impl Iterator<Item = i64>) -> Result<()> {
    if keys.any(|k| member(k).is_none()) {
        sqlx::query("UPDATE search_bitmaps_state SET built = ?1, generation = generation + 1")
            .bind(UNUSABLE)
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// Keys listed by `group_concat` (commas); negative ones too.
fn keys_listed(list: &str) -> impl Iterator<Item = i64> + '_ {
    list.split(',').filter_map(|k| k.parse().ok())
}

fn to_hex(bitmap: &RoaringBitmap) -> String {
    use std::fmt::Write as _;
    let mut bytes = Vec::with_capacity(bitmap.serialized_size());
    bitmap.serialize_into(&mut bytes).expect("writing to memory");
    let mut hex = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

fn read(blob: &[u8]) -> Result<RoaringBitmap> {
    RoaringBitmap::deserialize_from(blob).map_err(|e| crate::Error::Bitmap(e.to_string()))
}

/// Changes to the bitmaps, by their row (`kind`, `word`) or facet value.
#[derive(Default)]
struct Delta {
    add: RoaringBitmap,
    remove: RoaringBitmap,
}

/// A table of bitmaps, by a key given as JSON (`[kind, word]` or a facet value's id): the SQL
/// that reads rows by key (`i`, the key's place in `?1`), writes `[key, hex]` rows, and deletes
/// rows by key.
struct Kept {
    read: &'static str,
    write: &'static str,
    delete: &'static str,
}

const WORDS_KEPT: Kept = Kept {
    read: "SELECT j.key AS i, w.docs FROM json_each(?1) j \
           CROSS JOIN search_words w ON w.kind = j.value ->> 0 AND w.word = j.value ->> 1",
    write: "INSERT INTO search_words (kind, word, docs) \
            SELECT value ->> '$[0][0]', value ->> '$[0][1]', unhex(value ->> 1) FROM json_each(?1) WHERE true \
            ON CONFLICT (kind, word) DO UPDATE SET docs = excluded.docs",
    delete: "DELETE FROM search_words WHERE (kind, word) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?1))",
};

const FACETS_KEPT: Kept = Kept {
    read: "SELECT j.key AS i, d.docs FROM json_each(?1) j CROSS JOIN facet_docs d ON d.value_id = j.value",
    write: "INSERT INTO facet_docs (value_id, docs) SELECT value ->> 0, unhex(value ->> 1) FROM json_each(?1) \
            WHERE true ON CONFLICT (value_id) DO UPDATE SET docs = excluded.docs",
    delete: "DELETE FROM facet_docs WHERE value_id IN (SELECT value FROM json_each(?1))",
};

/// Applies `changes` to the bitmaps of `kept`: each row read, changed and written back (deleted
/// when it holds no product any more), in three statements however many rows.
async fn kept_change<K: serde::Serialize>(
    conn: &mut SqliteConnection,
    kept: &Kept,
    changes: Vec<(K, Delta)>,
) -> Result<()> {
    if changes.is_empty() {
        return Ok(());
    }
    let keys: Vec<&K> = changes.iter().map(|(k, _)| k).collect();
    let found = sqlx::query(kept.read)
        .bind(serde_json::to_string(&keys).expect("keys always serialize"))
        .fetch_all(&mut *conn)
        .await?;
    let mut now: HashMap<i64, RoaringBitmap> = HashMap::with_capacity(found.len());
    for row in &found {
        now.insert(row.try_get("i")?, read(row.try_get("docs")?)?);
    }
    let mut written: Vec<(&K, String)> = Vec::new();
    let mut emptied: Vec<&K> = Vec::new();
    for (i, (key, delta)) in changes.iter().enumerate() {
        let mut docs = now.remove(&(i as i64)).unwrap_or_default();
        docs |= &delta.add;
        docs -= &delta.remove;
        if docs.is_empty() {
            emptied.push(key);
        } else {
            written.push((key, to_hex(&docs)));
        }
    }
    rows_write(conn, kept.write, &written).await?;
    sqlx::query(kept.delete)
        .bind(serde_json::to_string(&emptied).expect("keys always serialize"))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Runs `sql` over `rows` as JSON arrays, a few thousand rows a statement.
async fn rows_write<T: serde::Serialize>(
    conn: &mut SqliteConnection,
    sql: &'static str,
    rows: &[T],
) -> Result<()> {
    for chunk in rows.chunks(2000) {
        sqlx::query(sql)
            .bind(serde_json::to_string(chunk).expect("rows always serialize"))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The search rows a page rewrites or deletes: their words before the page are set aside, in the
/// scratch table under the negated key, before the first write of each; [`RowsChanged::apply`]
/// then changes the words' bitmaps by the difference with the rows the page leaves.
#[derive(Debug, Default)]
pub(super) struct RowsChanged {
    /// `false` in a full resync, whose bitmaps are built at its commit.
    kept: bool,
    keys: BTreeSet<i64>,
    scratch: bool,
}

impl RowsChanged {
    pub(super) fn new(kept: bool) -> RowsChanged {
        RowsChanged {
            kept,
            ..RowsChanged::default()
        }
    }

    /// To be called before the search rows at `keys` are written or deleted.
    pub(super) async fn before(&mut self, conn: &mut SqliteConnection, keys: &[i64]) -> Result<()> {
        if !self.kept {
            return Ok(());
        }
        let first: Vec<i64> = keys.iter().copied().filter(|k| self.keys.insert(*k)).collect();
        if first.is_empty() {
            return Ok(());
        }
        if !self.scratch {
            for statement in SCRATCH {
                sqlx::query(statement).execute(&mut *conn).await?;
            }
            sqlx::query("DELETE FROM temp.search_scratch")
                .execute(&mut *conn)
                .await?;
            self.scratch = true;
        }
        rows_copy(conn, &first, "-").await
    }

    /// Changes the words' bitmaps by what the page changed in the rows set aside.
    pub(super) async fn apply(self, conn: &mut SqliteConnection) -> Result<()> {
        if !self.kept || self.keys.is_empty() {
            return Ok(());
        }
        let keys: Vec<i64> = self.keys.into_iter().collect();
        keys_fit(conn, keys.iter().copied()).await?;
        rows_copy(conn, &keys, "").await?;
        let mut changes: BTreeMap<(i64, String), Delta> = BTreeMap::new();
        for kinds in [ANYWHERE, IN_NAME] {
            let found = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT term, group_concat(doc) AS docs FROM temp.search_scratch_instances WHERE {} GROUP BY term",
                kinds.columns
            )))
            .fetch_all(&mut *conn)
            .await?;
            deltas(&found, kinds, &keys, &mut changes)?;
        }
        // The rows' words for the ranking: those the page leaves (none for a row it deleted).
        sqlx::query("DELETE FROM search_terms WHERE key IN (SELECT value FROM json_each(?1))")
            .bind(serde_json::to_string(&keys).expect("integers always serialize"))
            .execute(&mut *conn)
            .await?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO search_terms (key, size, terms) SELECT doc, {TERMS} \
             FROM temp.search_scratch_instances WHERE doc > 0 GROUP BY doc"
        )))
        .execute(&mut *conn)
        .await?;
        sqlx::query("DELETE FROM temp.search_scratch")
            .execute(&mut *conn)
            .await?;
        kept_change(conn, &WORDS_KEPT, changes.into_iter().collect()).await
    }
}

/// The changes to the bitmaps of `kinds` that `found` (each word's keys in the scratch table,
/// negated before the page) makes, for the rows at `keys`.
fn deltas(
    found: &[sqlx::sqlite::SqliteRow],
    kinds: Kinds,
    keys: &[i64],
    changes: &mut BTreeMap<(i64, String), Delta>,
) -> Result<()> {
    // Each key's words before (negated keys) and after; each word's rows by the same split.
    let mut before: BTreeMap<i64, BTreeSet<String>> = BTreeMap::new();
    let mut after: BTreeMap<i64, BTreeSet<String>> = BTreeMap::new();
    for row in found {
        let word: String = row.try_get("term")?;
        let docs: String = row.try_get("docs")?;
        let mut was = RoaringBitmap::new();
        let mut is = RoaringBitmap::new();
        for doc in keys_listed(&docs) {
            let (side, bitmap, key) = if doc < 0 {
                (&mut before, &mut was, -doc)
            } else {
                (&mut after, &mut is, doc)
            };
            bitmap.extend(member(key));
            side.entry(key).or_default().insert(word.clone());
        }
        let delta = Delta {
            add: &is - &was,
            remove: &was - &is,
        };
        if !delta.add.is_empty() || !delta.remove.is_empty() {
            changes.insert((kinds.word, word), delta);
        }
    }
    for key in keys {
        let Some(key32) = member(*key) else { continue };
        let of = |side: &BTreeMap<i64, BTreeSet<String>>| -> BTreeSet<String> {
            side.get(key)
                .into_iter()
                .flatten()
                .flat_map(|w| prefixes(w).map(str::to_owned))
                .collect()
        };
        let (was, is) = (of(&before), of(&after));
        for prefix in was.difference(&is) {
            changes
                .entry((kinds.prefix, prefix.clone()))
                .or_default()
                .remove
                .insert(key32);
        }
        for prefix in is.difference(&was) {
            changes
                .entry((kinds.prefix, prefix.clone()))
                .or_default()
                .add
                .insert(key32);
        }
    }
    Ok(())
}

/// Copies the search rows at `keys` into the scratch table, under `sign` key.
async fn rows_copy(conn: &mut SqliteConnection, keys: &[i64], sign: &str) -> Result<()> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO temp.search_scratch (rowid, {COLUMNS}) \
         SELECT {sign}f.rowid, f.name, f.description, f.tags, f.columns, f.owners, f.facets \
         FROM json_each(?1) k CROSS JOIN products_fts f ON f.rowid = k.value"
    )))
    .bind(serde_json::to_string(keys).expect("integers always serialize"))
    .execute(conn)
    .await?;
    Ok(())
}

/// The products of each facet value, before a change of the products at `keys` (JSON array):
/// `product_facets`' rows by value.
pub(super) async fn facet_rows(
    conn: &mut SqliteConnection,
    keys: &str,
) -> Result<BTreeMap<i64, RoaringBitmap>> {
    let rows = sqlx::query(
        "SELECT value_id, group_concat(key) AS keys FROM product_facets \
         WHERE key IN (SELECT value FROM json_each(?1)) GROUP BY value_id",
    )
    .bind(keys)
    .fetch_all(conn)
    .await?;
    let mut out = BTreeMap::new();
    for row in &rows {
        let keys: String = row.try_get("keys")?;
        out.insert(
            row.try_get("value_id")?,
            keys_listed(&keys).filter_map(member).collect(),
        );
    }
    Ok(out)
}

/// Changes `facet_docs` from `before` to `after` (each [`facet_rows`] of the same keys), and moves
/// the generation the readers' copies go by.
pub(super) async fn facets_change(
    conn: &mut SqliteConnection,
    before: BTreeMap<i64, RoaringBitmap>,
    mut after: BTreeMap<i64, RoaringBitmap>,
) -> Result<()> {
    let mut changes: BTreeMap<i64, Delta> = BTreeMap::new();
    for (value, was) in before {
        let is = after.remove(&value).unwrap_or_default();
        changes.insert(
            value,
            Delta {
                add: &is - &was,
                remove: &was - &is,
            },
        );
    }
    for (value, is) in after {
        changes.insert(
            value,
            Delta {
                add: is,
                remove: RoaringBitmap::new(),
            },
        );
    }
    changes.retain(|_, d| !d.add.is_empty() || !d.remove.is_empty());
    if changes.is_empty() {
        return Ok(());
    }
    kept_change(conn, &FACETS_KEPT, changes.into_iter().collect()).await?;
    generation_move(conn).await
}

async fn generation_move(conn: &mut SqliteConnection) -> Result<()> {
    sqlx::query("UPDATE search_bitmaps_state SET generation = generation + 1")
        .execute(conn)
        .await?;
    Ok(())
}

/// Builds every bitmap from the search rows and `product_facets`, and the rows' words
/// (`search_terms`): a full resync's commit, and a cache written before migration 0008 or 0010 when
/// it is opened.
pub(super) async fn build(conn: &mut SqliteConnection) -> Result<()> {
    for table in ["search_words", "facet_docs", "search_terms"] {
        sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table}")))
            .execute(&mut *conn)
            .await?;
    }
    let beyond: bool = sqlx::query_scalar("SELECT coalesce(max(key), 0) > 4294967295 FROM products")
        .fetch_one(&mut *conn)
        .await?;
    if beyond {
        // Keys beyond u32: no bitmaps; searches count with SQL.
        sqlx::query("UPDATE search_bitmaps_state SET built = ?1, generation = generation + 1")
            .bind(UNUSABLE)
            .execute(&mut *conn)
            .await?;
        return Ok(());
    }
    // The vocabulary comes in word order, each word's rows in key order: no sort. A word's key
    // repeats for each of its places in the row (a bitmap takes it once). One pass gives both
    // kinds: the keys anywhere, and those in the name.
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT term, group_concat(doc) AS anywhere, group_concat(CASE WHEN {} THEN doc END) AS named \
         FROM products_fts_instances WHERE {} GROUP BY term",
        IN_NAME.columns, ANYWHERE.columns
    )))
    .fetch_all(&mut *conn)
    .await?;
    for (kinds, column) in [(ANYWHERE, "anywhere"), (IN_NAME, "named")] {
        let mut written: Vec<((i64, String), String)> = Vec::with_capacity(rows.len());
        let mut by_prefix: BTreeMap<String, RoaringBitmap> = BTreeMap::new();
        for row in &rows {
            let Some(docs) = row.try_get::<Option<&str>, _>(column)? else {
                continue;
            };
            let word: String = row.try_get("term")?;
            let bitmap: RoaringBitmap = keys_listed(docs).filter_map(member).collect();
            for prefix in prefixes(&word) {
                *by_prefix.entry(prefix.to_owned()).or_default() |= &bitmap;
            }
            written.push(((kinds.word, word), to_hex(&bitmap)));
        }
        written.extend(
            by_prefix
                .into_iter()
                .map(|(p, b)| ((kinds.prefix, p), to_hex(&b))),
        );
        rows_write(conn, WORDS_KEPT.write, &written).await?;
    }
    drop(rows);
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO search_terms (key, size, terms) SELECT doc, {TERMS} FROM products_fts_instances GROUP BY doc"
    )))
    .execute(&mut *conn)
    .await?;
    // `product_facets_by_value` gives each value's rows together, in order.
    let rows =
        sqlx::query("SELECT value_id, group_concat(key) AS keys FROM product_facets GROUP BY value_id")
            .fetch_all(&mut *conn)
            .await?;
    let mut written: Vec<(i64, String)> = Vec::with_capacity(rows.len());
    for row in &rows {
        let keys: String = row.try_get("keys")?;
        let bitmap: RoaringBitmap = keys_listed(&keys).filter_map(member).collect();
        written.push((row.try_get("value_id")?, to_hex(&bitmap)));
    }
    rows_write(conn, FACETS_KEPT.write, &written).await?;
    sqlx::query("UPDATE search_bitmaps_state SET built = ?1, generation = generation + 1")
        .bind(BUILT)
        .execute(conn)
        .await?;
    Ok(())
}

/// The facet values' bitmaps as of one generation, read once per generation.
#[derive(Debug)]
pub(super) struct FacetDocs {
    generation: i64,
    /// (`facet_values.id`, facet, value, products)
    values: Vec<(i64, String, String, RoaringBitmap)>,
    by_id: HashMap<i64, usize>,
}

impl FacetDocs {
    pub(super) fn docs(&self, value: i64) -> Option<&RoaringBitmap> {
        self.by_id.get(&value).map(|i| &self.values[*i].3)
    }

    /// Each facet value that `matches` have, with how many have it.
    ///
    /// A value with fewer products than the matches is counted by looking each of its products up
    /// in a copy of the matches of one bit a key ([`Dense`]); a larger one by Roaring. Roaring
    /// intersects two sparse parts (arrays of up to 4,096 keys) by merging them, which costs their
    /// whole length: a few thousand matches against each of thousands of tags and owners took 20 ms.
    /// So each value costs at most its own size, and the whole at most the facet rows.
    pub(super) fn counts<'a>(
        &'a self,
        matches: &'a RoaringBitmap,
    ) -> impl Iterator<Item = (&'a str, &'a str, u64)> {
        let dense = Dense::of(matches);
        self.values.iter().filter_map(move |(_, facet, value, docs)| {
            let n = match &dense {
                Some(dense) if docs.len() < matches.len() => dense.count(docs),
                _ => matches.intersection_len(docs),
            };
            (n > 0).then_some((facet.as_str(), value.as_str(), n))
        })
    }
}

/// A set of keys as one bit a key from the first to the last.
struct Dense {
    first: u32,
    bits: Vec<u64>,
}

impl Dense {
    /// At most this many bits (2 MiB): wider matches are left to Roaring.
    const MOST_BITS: u32 = 1 << 24;

    /// The set of `keys` when Roaring keeps some of them sparse (an array: at most 4,096 of the
    /// 65,536 keys of a part) and they span at most [`Dense::MOST_BITS`].
    fn of(keys: &RoaringBitmap) -> Option<Dense> {
        let (first, last) = (keys.min()?, keys.max()?);
        if last - first >= Self::MOST_BITS {
            return None;
        }
        let sparse = (first >> 16..=last >> 16).any(|part| {
            let n = keys.range_cardinality(part << 16..=(part << 16 | 0xFFFF));
            (1..=4096).contains(&n)
        });
        if !sparse {
            return None;
        }
        let mut bits = vec![0u64; ((last - first) / 64 + 1) as usize];
        for key in keys {
            let at = key - first;
            bits[(at / 64) as usize] |= 1 << (at % 64);
        }
        Some(Dense { first, bits })
    }

    /// How many of `keys` are in the set.
    fn count(&self, keys: &RoaringBitmap) -> u64 {
        keys.iter()
            .map(|key| {
                let at = key.wrapping_sub(self.first) as usize;
                self.bits.get(at / 64).map_or(0, |bits| (bits >> (at % 64)) & 1)
            })
            .sum()
    }
}

/// The readers' copy of the facet values' bitmaps, shared by a cache's clones.
pub(super) type FacetDocsKept = Arc<std::sync::Mutex<Option<Arc<FacetDocs>>>>;

/// The facet values' bitmaps of the read transaction `conn` is in: the kept copy when it is of the
/// same generation, else read again. `None` when the bitmaps are not built.
pub(super) async fn facet_docs(
    conn: &mut SqliteConnection,
    kept: &FacetDocsKept,
) -> Result<Option<Arc<FacetDocs>>> {
    let (generation, built): (i64, i64) =
        sqlx::query_as("SELECT generation, built FROM search_bitmaps_state WHERE id = 1")
            .fetch_one(&mut *conn)
            .await?;
    if built != BUILT {
        return Ok(None);
    }
    if let Some(docs) = kept.lock().expect("never poisoned").as_ref()
        && docs.generation == generation
    {
        return Ok(Some(docs.clone()));
    }
    let rows = sqlx::query(
        "SELECT v.id, v.facet, v.value, d.docs FROM facet_docs d JOIN facet_values v ON v.id = d.value_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut values = Vec::with_capacity(rows.len());
    for row in &rows {
        values.push((
            row.try_get("id")?,
            row.try_get("facet")?,
            row.try_get("value")?,
            read(row.try_get("docs")?)?,
        ));
    }
    let by_id = values.iter().enumerate().map(|(i, v)| (v.0, i)).collect();
    let docs = Arc::new(FacetDocs {
        generation,
        values,
        by_id,
    });
    *kept.lock().expect("never poisoned") = Some(docs.clone());
    Ok(Some(docs))
}

/// Whether the bitmaps answer for `words` (lowercase) exactly: plain ASCII letters and digits,
/// which FTS5's tokenizer keeps as they are (it may fold or split others otherwise than a lookup).
pub(super) fn plain(words: &[String]) -> bool {
    !words.is_empty()
        && words
            .iter()
            .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

/// The products with a word beginning with `word` (lowercase, [`plain`]) where `kinds` look.
async fn word_docs(conn: &mut SqliteConnection, kinds: Kinds, word: &str) -> Result<RoaringBitmap> {
    let rows: Vec<Vec<u8>> = if word.len() <= PREFIX_LETTERS {
        sqlx::query_scalar("SELECT docs FROM search_words WHERE kind = ?1 AND word = ?2")
            .bind(kinds.prefix)
            .bind(word)
            .fetch_all(&mut *conn)
            .await?
    } else {
        // Every word it begins: the words from it up to it followed by the last character.
        sqlx::query_scalar("SELECT docs FROM search_words WHERE kind = ?1 AND word >= ?2 AND word < ?3")
            .bind(kinds.word)
            .bind(word)
            .bind(format!("{word}\u{10FFFF}"))
            .fetch_all(&mut *conn)
            .await?
    };
    let mut union = RoaringBitmap::new();
    for blob in &rows {
        union |= read(blob)?;
    }
    Ok(union)
}

/// What a search's words match, from the bitmaps.
#[derive(Debug, Default)]
pub(super) struct WordsMatch {
    /// The products whose search row has a word beginning with each word.
    pub(super) matches: RoaringBitmap,
    /// For each word, how many products have a word it begins (bm25's document frequency).
    pub(super) hits: Vec<u64>,
}

/// What `words` ([`plain`]) match: the products whose search row has a word beginning with each.
pub(super) async fn words_match(conn: &mut SqliteConnection, words: &[String]) -> Result<WordsMatch> {
    let mut found: Vec<RoaringBitmap> = Vec::with_capacity(words.len());
    let mut hits = Vec::with_capacity(words.len());
    for word in words {
        let docs = word_docs(conn, ANYWHERE, word).await?;
        if docs.is_empty() {
            return Ok(WordsMatch::default());
        }
        hits.push(docs.len());
        found.push(docs);
    }
    found.sort_by_key(RoaringBitmap::len);
    let mut found = found.into_iter();
    let mut matches = found.next().unwrap_or_default();
    for other in found {
        matches &= other;
    }
    Ok(WordsMatch { matches, hits })
}

/// The candidates bm25 ranks among `matches` (more than `cap`), as the tiers of a search with words
/// choose them: the matches with every word in their name, then with some word in their name
/// (two words or more), then the rest, each tier in key order up to what is left of `cap`.
pub(super) async fn candidates(
    conn: &mut SqliteConnection,
    words: &[String],
    matches: &RoaringBitmap,
    cap: u64,
) -> Result<RoaringBitmap> {
    let mut every: Option<RoaringBitmap> = None;
    let mut some = RoaringBitmap::new();
    for word in words {
        let named = word_docs(conn, IN_NAME, word).await? & matches;
        some |= &named;
        every = Some(match every {
            None => named,
            Some(every) => every & named,
        });
    }
    let every = every.unwrap_or_default();
    let mut tiers = vec![every.clone()];
    if words.len() > 1 {
        tiers.push(&some - &every);
    }
    tiers.push(matches - &some);
    let mut chosen = RoaringBitmap::new();
    for tier in tiers {
        let left = cap.saturating_sub(chosen.len()) as usize;
        chosen.extend(tier.iter().take(left));
    }
    Ok(chosen)
}
