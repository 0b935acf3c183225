//! The facet counts the cache keeps beside its products (`facet_values`, `product_facets`,
//! `facet_pairs`, migration 0002), written in the transaction that writes the products.
//!
//! `product_facets` records what each product is counted under; the counts are changed by the
//! difference between those rows and the product's new facets (`product_facet_values`, a view),
//! so a page changes the counts by what it changed and nothing else. A full resync writes the rows
//! only and counts everything once, at its commit.

use std::collections::BTreeSet;

use sqlx::SqliteConnection;

use crate::Result;

/// Whether a write changes the counts at once (a feed page) or leaves them to
/// [`recount`] (a full resync, which counts once at its end).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Counting {
    Now,
    AtCommit,
}

/// The facet values (`key`, `facet`, `value`) of the products `?1` (a JSON array of keys): the view
/// `product_facet_values` (migration 0002) for those products alone: SQLite 3.40 plans a
/// `key IN (…)` on that view as a scan of every product. The tests hold the two to the same rows.
const FACETS_OF_KEYS: &str = "WITH k AS MATERIALIZED (SELECT value AS key FROM json_each(?1)), \
     pf (key, facet, value) AS ( \
       SELECT p.key, 'domain', p.domain FROM k CROSS JOIN products p ON p.key = k.key \
       UNION ALL SELECT p.key, 'status', p.status FROM k CROSS JOIN products p ON p.key = k.key \
       UNION ALL SELECT p.key, 'tag', t.value FROM k CROSS JOIN products p ON p.key = k.key, json_each(p.tags) t \
         WHERE t.type = 'text' \
       UNION ALL SELECT p.key, 'owner', o.value FROM k CROSS JOIN products p ON p.key = k.key, json_each(p.owners) o \
         WHERE o.type = 'text' \
       UNION ALL SELECT p.key, 'openIncident', \
         CASE WHEN EXISTS (SELECT 1 FROM incidents i WHERE i.product_id = p.id AND i.state <> 'resolved') \
           THEN 'true' ELSE 'false' END \
         FROM k CROSS JOIN products p ON p.key = k.key) ";

/// The rows (value, other value, products) of the pairs the products `?1` (a JSON array of keys)
/// have, from `product_facets`.
const PAIRS_OF_KEYS: &str = "SELECT a.value_id AS value_id, b.value_id AS other_id, count(*) AS n \
     FROM product_facets a JOIN product_facets b ON b.key = a.key AND b.value_id <> a.value_id \
     WHERE a.key IN (SELECT value FROM json_each(?1)) GROUP BY a.value_id, b.value_id";

/// Brings the facet rows and counts of the products at `keys` up to what the products (and their
/// incidents) are now; a key whose product is gone loses its rows. Five to nine statements
/// whatever the number of keys.
pub(super) async fn refresh(
    conn: &mut SqliteConnection,
    keys: &BTreeSet<i64>,
    counting: Counting,
) -> Result<()> {
    if keys.is_empty() {
        return Ok(());
    }
    let key_list = keys;
    let keys = serde_json::to_string(keys).expect("integers always serialize");
    if counting == Counting::Now {
        // What they were counted under goes first.
        sqlx::query(
            "UPDATE facet_values SET count = facet_values.count - d.n FROM ( \
               SELECT value_id, count(*) AS n FROM product_facets \
               WHERE key IN (SELECT value FROM json_each(?1)) GROUP BY value_id) d \
             WHERE facet_values.id = d.value_id",
        )
        .bind(&keys)
        .execute(&mut *conn)
        .await?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE facet_pairs SET count = facet_pairs.count - d.n FROM ({PAIRS_OF_KEYS}) d \
             WHERE facet_pairs.value_id = d.value_id AND facet_pairs.other_id = d.other_id"
        )))
        .bind(&keys)
        .execute(&mut *conn)
        .await?;
    }
    // The values' bitmaps change with the rows (a full resync builds them at its commit).
    let before = match counting {
        Counting::Now => Some(super::bitmaps::facet_rows(conn, &keys).await?),
        Counting::AtCommit => None,
    };
    sqlx::query("DELETE FROM product_facets WHERE key IN (SELECT value FROM json_each(?1))")
        .bind(&keys)
        .execute(&mut *conn)
        .await?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "{FACETS_OF_KEYS} INSERT INTO facet_values (facet, value, count) \
         SELECT DISTINCT facet, value, 0 FROM pf WHERE true \
         ON CONFLICT (facet, value) DO NOTHING"
    )))
    .bind(&keys)
    .execute(&mut *conn)
    .await?;
    // OR IGNORE: a tag given twice counts its product once.
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "{FACETS_OF_KEYS} INSERT OR IGNORE INTO product_facets (key, value_id, name) \
         SELECT f.key, v.id, p.name FROM pf f \
         JOIN facet_values v ON v.facet = f.facet AND v.value = f.value JOIN products p ON p.key = f.key"
    )))
    .bind(&keys)
    .execute(&mut *conn)
    .await?;
    let Some(before) = before else {
        return Ok(());
    };
    super::bitmaps::keys_fit(conn, key_list.iter().copied()).await?;
    let after = super::bitmaps::facet_rows(conn, &keys).await?;
    super::bitmaps::facets_change(conn, before, after).await?;
    sqlx::query(
        "UPDATE facet_values SET count = facet_values.count + d.n FROM ( \
           SELECT value_id, count(*) AS n FROM product_facets \
           WHERE key IN (SELECT value FROM json_each(?1)) GROUP BY value_id) d \
         WHERE facet_values.id = d.value_id",
    )
    .bind(&keys)
    .execute(&mut *conn)
    .await?;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO facet_pairs (value_id, other_id, count) SELECT value_id, other_id, n FROM ({PAIRS_OF_KEYS}) WHERE true \
         ON CONFLICT (value_id, other_id) DO UPDATE SET count = facet_pairs.count + excluded.count"
    )))
    .bind(&keys)
    .execute(&mut *conn)
    .await?;
    // Values and pairs no product has any more. A value's pairs reach 0 with it.
    sqlx::query("DELETE FROM facet_pairs WHERE count = 0")
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM facet_values WHERE count = 0")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Counts every value and pair from `product_facets`: the end of a full resync.
pub(super) async fn recount(conn: &mut SqliteConnection) -> Result<()> {
    for statement in [
        "UPDATE facet_values SET count = (SELECT count(*) FROM product_facets WHERE value_id = facet_values.id)",
        "DELETE FROM facet_values WHERE count = 0",
        "DELETE FROM facet_pairs",
        "INSERT INTO facet_pairs (value_id, other_id, count) \
         SELECT a.value_id, b.value_id, count(*) FROM product_facets a \
         JOIN product_facets b ON b.key = a.key AND b.value_id <> a.value_id \
         GROUP BY a.value_id, b.value_id",
    ] {
        sqlx::query(statement).execute(&mut *conn).await?;
    }
    Ok(())
}
