//! The platform's catalog: published products and contracts, their versions, the change feed, policy
//! packs and the audit log. Every write to products, contracts or packs appends its change in the same
//! transaction, so the feed never misses one.

use base64::Engine as _;
use meshport_model::platform::{
    AuditEntry, Change, ChangeEntity, ChangePage, Page, PolicyPack, ProductEntry, ProductVersion,
};
use serde_json::Value;
use sqlx::any::AnyRow;
use sqlx::{Any, Row};

use crate::error::ApiError;
use crate::store::{Backend, Store, now_ms, rfc3339};

pub use crate::store::Tx;

/// Whether the feed reads the document of `entity`'s changes from its catalog row rather than keeping
/// a copy. Products and contracts are published documents of several KiB that the catalog already
/// holds (an import of 100,000 big products wrote each three times); their changes keep none, and
/// [`changes_page`] joins the row. A reader behind the newest change of such an entity therefore sees
/// its newest document early, as in a compacted log, and ends at the same catalog.
fn held_in_catalog(entity: ChangeEntity) -> bool {
    matches!(entity, ChangeEntity::Product | ChangeEntity::Contract)
}

/// Appends one change to the feed inside `tx`, returning its sequence number. The change of a product
/// or a contract keeps no document: its catalog row, written in `tx` too, holds it.
///
/// The number comes from the `changes` counter row. Updating that row locks it until `tx` commits (on
/// PostgreSQL a row lock, on SQLite the database's write lock), so a second writer waits for the
/// first to commit before it takes the next number: numbers become visible in the order they were
/// taken, and a reader that has seen `n` can never later find a committed change below `n`.
pub async fn change_append(
    tx: &mut Tx,
    entity: ChangeEntity,
    id: &str,
    document: Option<&Value>,
) -> Result<i64, sqlx::Error> {
    let seq: i64 =
        sqlx::query("UPDATE counters SET value = value + 1 WHERE name = 'changes' RETURNING value")
            .fetch_one(&mut **tx)
            .await?
            .try_get("value")?;
    sqlx::query(
        "INSERT INTO changes (seq, at, entity, entity_id, deleted, document) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(seq)
    .bind(now_ms())
    .bind(entity.as_str())
    .bind(id)
    .bind(i64::from(document.is_none()))
    .bind(
        document
            .filter(|_| !held_in_catalog(entity))
            .map(Value::to_string),
    )
    .execute(&mut **tx)
    .await?;
    Ok(seq)
}

/// The changes after `after`, at most `limit`; 410 when `after` is older than the feed retains.
pub async fn changes_page(store: &Store, after: i64, limit: i64) -> Result<ChangePage, ApiError> {
    let horizon: i64 = sqlx::query("SELECT value FROM counters WHERE name = 'changes_horizon'")
        .fetch_one(store.pool())
        .await?
        .try_get("value")?;
    // From 0 the compacted feed is the whole catalog; only a cursor inside the purged part is stale.
    if after > 0 && after < horizon {
        return Err(ApiError::new(
            axum::http::StatusCode::GONE,
            "cursor-expired",
            "The cursor is older than the change feed retains",
            format!(
                "changes up to {horizon} were compacted, so a deletion may have been missed; resync in full: \
                 read the feed from `after=0` (the newest change of every live entity) into a fresh cache"
            ),
        ));
    }
    // A product's or a contract's change reads its document from the catalog row; one whose row is
    // gone was removed since, and reads as removed (its tombstone comes later in the feed).
    let rows = sqlx::query(
        "SELECT c.seq, c.at, c.entity, c.entity_id, c.deleted, \
         COALESCE(c.document, p.document, k.document) AS document \
         FROM changes c \
         LEFT JOIN products p ON c.deleted = 0 AND c.document IS NULL AND c.entity = 'product' AND p.id = c.entity_id \
         LEFT JOIN contracts k ON c.deleted = 0 AND c.document IS NULL AND c.entity = 'contract' AND k.id = c.entity_id \
         WHERE c.seq > $1 ORDER BY c.seq LIMIT $2",
    )
    .bind(after)
    .bind(limit + 1)
    .fetch_all(store.pool())
    .await?;
    let has_more = rows.len() as i64 > limit;
    let mut changes = Vec::with_capacity(rows.len().min(limit as usize));
    for row in rows.iter().take(limit as usize) {
        let entity: String = row.try_get("entity")?;
        let document: Option<String> = row.try_get("document")?;
        changes.push(Change {
            seq: row.try_get("seq")?,
            at: rfc3339(row.try_get("at")?),
            entity: ChangeEntity::parse(&entity)
                .ok_or_else(|| ApiError::internal(format!("change entity {entity}")))?,
            id: row.try_get("entity_id")?,
            deleted: row.try_get::<i64, _>("deleted")? != 0 || document.is_none(),
            document: document
                .map(|d| serde_json::from_str(&d))
                .transpose()
                .map_err(ApiError::internal)?,
        });
    }
    let next = changes.last().map_or(after, |c| c.seq);
    Ok(ChangePage {
        changes,
        next,
        has_more,
    })
}

/// Purges the changes older than `before_ms`, keeping the newest change of the feed, and moves the
/// horizon up: a reader behind it gets 410 and resyncs.
pub async fn changes_purge(store: &Store, before_ms: i64) -> Result<i64, sqlx::Error> {
    // Compaction, as a log-compacted topic does it: a change older than `before_ms` goes when a newer
    // change of the same entity supersedes it, and a tombstone goes once it is that old. The newest
    // change of every live entity stays, so reading the feed from 0 always gives the whole catalog;
    // a cursor below the newest purged change may have missed a deletion, and must resync (410).
    let mut tx = store.write().await?;
    let purged: Option<i64> = sqlx::query(
        "SELECT MAX(seq) AS seq FROM changes c WHERE c.at < $1 AND (c.deleted = 1 OR EXISTS \
         (SELECT 1 FROM changes n WHERE n.entity = c.entity AND n.entity_id = c.entity_id AND n.seq > c.seq))",
    )
    .bind(before_ms)
    .fetch_one(&mut *tx)
    .await?
    .try_get("seq")?;
    let Some(newest) = purged else {
        return Ok(0);
    };
    let deleted = sqlx::query(
        "DELETE FROM changes WHERE at < $1 AND (deleted = 1 OR EXISTS \
         (SELECT 1 FROM changes n WHERE n.entity = changes.entity AND n.entity_id = changes.entity_id AND n.seq > changes.seq))",
    )
    .bind(before_ms)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    sqlx::query("UPDATE counters SET value = $1 WHERE name = 'changes_horizon' AND value < $1")
        .bind(newest)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(deleted as i64)
}

/// The fields of an ODPS document the catalog lists and filters by.
struct ProductFields {
    id: String,
    domain: String,
    name: String,
    status: String,
    version: String,
    purpose: Option<String>,
    tags: Vec<String>,
}

fn product_fields(doc: &Value) -> ProductFields {
    let text = |p: &str| {
        doc.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    ProductFields {
        id: text("/id"),
        domain: text("/domain").to_lowercase(),
        name: text("/name"),
        status: text("/status"),
        version: text("/version"),
        purpose: doc
            .pointer("/description/purpose")
            .and_then(Value::as_str)
            .map(str::to_owned),
        tags: doc
            .get("tags")
            .and_then(Value::as_array)
            .map(|t| t.iter().filter_map(Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default(),
    }
}

/// Registers a version of a product in `tx`: the document and its contracts as a provisioning request
/// (or an import) brought them, not yet what the catalog shows.
pub async fn version_register(
    tx: &mut Tx,
    product: &Value,
    contracts: &[Value],
    request_id: Option<&str>,
) -> Result<(), sqlx::Error> {
    let f = product_fields(product);
    sqlx::query(
        "INSERT INTO product_versions (product_id, version, document, contracts, registered_at, request_id) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (product_id, version) DO UPDATE SET document = excluded.document, contracts = excluded.contracts, \
         registered_at = excluded.registered_at, request_id = excluded.request_id",
    )
    .bind(&f.id)
    .bind(&f.version)
    .bind(product.to_string())
    .bind(Value::Array(contracts.to_vec()).to_string())
    .bind(now_ms())
    .bind(request_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The registered version `version` of a product: its document and contracts.
pub async fn version_get(
    tx: &mut Tx,
    product_id: &str,
    version: &str,
) -> Result<Option<(Value, Vec<Value>)>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT document, contracts FROM product_versions WHERE product_id = $1 AND version = $2",
    )
    .bind(product_id)
    .bind(version)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let document: String = row.try_get("document")?;
    let contracts: String = row.try_get("contracts")?;
    let parse =
        |text: &str| serde_json::from_str::<Value>(text).map_err(|e| sqlx::Error::Decode(Box::new(e)));
    let contracts = match parse(&contracts)? {
        Value::Array(items) => items,
        _ => Vec::new(),
    };
    Ok(Some((parse(&document)?, contracts)))
}

/// Publishes a product and its contracts in `tx`: the catalog rows and their changes.
pub async fn product_publish(tx: &mut Tx, product: &Value, contracts: &[Value]) -> Result<(), sqlx::Error> {
    let f = product_fields(product);
    let now = now_ms();
    sqlx::query(
        "INSERT INTO products (id, domain, name, status, version, purpose, tags, document, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (id) DO UPDATE SET domain = excluded.domain, name = excluded.name, status = excluded.status, \
         version = excluded.version, purpose = excluded.purpose, tags = excluded.tags, document = excluded.document, \
         updated_at = excluded.updated_at",
    )
    .bind(&f.id)
    .bind(&f.domain)
    .bind(&f.name)
    .bind(&f.status)
    .bind(&f.version)
    .bind(&f.purpose)
    .bind(serde_json::to_string(&f.tags).unwrap_or_default())
    .bind(product.to_string())
    .bind(now)
    .execute(&mut **tx)
    .await?;
    for contract in contracts {
        let id = contract.get("id").and_then(Value::as_str).unwrap_or_default();
        let version = contract
            .get("version")
            .and_then(Value::as_str)
            .unwrap_or_default();
        sqlx::query(
            "INSERT INTO contracts (id, product_id, version, document, updated_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (id) DO UPDATE SET product_id = excluded.product_id, version = excluded.version, \
             document = excluded.document, updated_at = excluded.updated_at",
        )
        .bind(id)
        .bind(&f.id)
        .bind(version)
        .bind(contract.to_string())
        .bind(now)
        .execute(&mut **tx)
        .await?;
        change_append(tx, ChangeEntity::Contract, id, Some(contract)).await?;
    }
    crate::services::lineage::ports_index(tx, product).await?;
    change_append(tx, ChangeEntity::Product, &f.id, Some(product)).await?;
    Ok(())
}

/// The product (and its domain) that registered an id first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdOwner {
    pub product_id: String,
    pub domain: String,
}

/// What kind of id [`id_owner`] looks up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    Product,
    Contract,
}

impl IdKind {
    fn as_str(self) -> &'static str {
        match self {
            IdKind::Product => "product",
            IdKind::Contract => "contract",
        }
    }
}

/// Who registered `id` first, if anyone did.
pub async fn id_owner<'e, E>(executor: E, kind: IdKind, id: &str) -> Result<Option<IdOwner>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query("SELECT product_id, domain FROM id_owners WHERE kind = $1 AND id = $2")
        .bind(kind.as_str())
        .bind(id)
        .fetch_optional(executor)
        .await?
        .map(|r| {
            Ok(IdOwner {
                product_id: r.try_get("product_id")?,
                domain: r.try_get("domain")?,
            })
        })
        .transpose()
}

/// Claims a product's id and its contracts' ids for it in `tx`, or names the first id another product
/// holds (and nothing is claimed then, once `tx` rolls back). The product's ids follow it when it moves
/// to another domain (whose owners the submit checked).
pub async fn ids_claim(
    tx: &mut Tx,
    product_id: &str,
    domain: &str,
    contract_ids: &[&str],
) -> Result<Result<(), (IdKind, String, IdOwner)>, sqlx::Error> {
    let now = now_ms();
    let wanted = std::iter::once((IdKind::Product, product_id))
        .chain(contract_ids.iter().map(|id| (IdKind::Contract, *id)));
    for (kind, id) in wanted {
        sqlx::query(
            "INSERT INTO id_owners (kind, id, product_id, domain, registered_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (kind, id) DO NOTHING",
        )
        .bind(kind.as_str())
        .bind(id)
        .bind(product_id)
        .bind(domain)
        .bind(now)
        .execute(&mut **tx)
        .await?;
        if let Some(owner) = id_owner(&mut **tx, kind, id).await?
            && owner.product_id != product_id
        {
            return Ok(Err((kind, id.to_owned(), owner)));
        }
    }
    sqlx::query("UPDATE id_owners SET domain = $1 WHERE product_id = $2 AND domain <> $1")
        .bind(domain)
        .bind(product_id)
        .execute(&mut **tx)
        .await?;
    Ok(Ok(()))
}

/// Removes a product and its contracts from the catalog in `tx`, appending tombstones. Versions stay.
pub async fn product_remove(tx: &mut Tx, product_id: &str) -> Result<bool, sqlx::Error> {
    let contract_ids: Vec<String> = sqlx::query("SELECT id FROM contracts WHERE product_id = $1 ORDER BY id")
        .bind(product_id)
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .filter_map(|r| r.try_get("id").ok())
        .collect();
    for id in &contract_ids {
        sqlx::query("DELETE FROM contracts WHERE id = $1")
            .bind(id)
            .execute(&mut **tx)
            .await?;
        change_append(tx, ChangeEntity::Contract, id, None).await?;
    }
    let removed = sqlx::query("DELETE FROM products WHERE id = $1")
        .bind(product_id)
        .execute(&mut **tx)
        .await?
        .rows_affected()
        > 0;
    if removed {
        crate::services::lineage::ports_unindex(tx, product_id).await?;
        change_append(tx, ChangeEntity::Product, product_id, None).await?;
    }
    Ok(removed)
}

/// The published document of a product.
pub async fn product_get(store: &Store, id: &str) -> Result<Option<Value>, ApiError> {
    let row = sqlx::query("SELECT document FROM products WHERE id = $1")
        .bind(id)
        .fetch_optional(store.pool())
        .await?;
    row.map(|r| document(&r)).transpose()
}

/// The domain a product is published in, if it is.
pub async fn product_domain(store: &Store, id: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query("SELECT domain FROM products WHERE id = $1")
        .bind(id)
        .fetch_optional(store.pool())
        .await?
        .map(|r| r.try_get("domain"))
        .transpose()
}

fn document(row: &AnyRow) -> Result<Value, ApiError> {
    let text: String = row.try_get("document")?;
    serde_json::from_str(&text).map_err(ApiError::internal)
}

/// Filters of the product list.
#[derive(Debug, Default)]
pub struct ProductFilter {
    pub domain: Option<String>,
    pub status: Option<String>,
    pub q: Option<String>,
}

/// Opaque cursors: the last key of the page, base64url.
pub fn cursor_encode(key: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key)
}

pub fn cursor_decode(cursor: &str) -> Result<String, ApiError> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .filter(|key| !key.chars().any(char::is_control))
        .ok_or_else(cursor_invalid)
}

/// The problem of a `cursor` the API did not give.
pub fn cursor_invalid() -> ApiError {
    ApiError::bad_request(
        "invalid-cursor",
        "`cursor` is not one this API gave; start without it",
    )
}

/// A page of products in id order.
pub async fn products_list(
    store: &Store,
    filter: &ProductFilter,
    cursor: Option<&str>,
    limit: i64,
) -> Result<Page<ProductEntry>, ApiError> {
    let after = cursor.map(cursor_decode).transpose()?.unwrap_or_default();
    let q = filter
        .q
        .as_deref()
        .map(|q| format!("%{}%", q.to_lowercase().replace(['%', '_'], "")));
    let rows = sqlx::query(
        "SELECT id, name, domain, status, version, purpose, tags, updated_at FROM products \
         WHERE id > $1 AND ($2 IS NULL OR domain = $2) AND ($3 IS NULL OR status = $3) \
         AND ($4 IS NULL OR lower(name) LIKE $4 OR lower(COALESCE(purpose, '')) LIKE $4 OR lower(tags) LIKE $4) \
         ORDER BY id LIMIT $5",
    )
    .bind(after)
    .bind(filter.domain.as_deref().map(str::to_lowercase))
    .bind(filter.status.as_deref())
    .bind(q)
    .bind(limit + 1)
    .fetch_all(store.pool())
    .await?;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows.iter().take(limit as usize) {
        let tags: String = row.try_get("tags")?;
        items.push(ProductEntry {
            id: row.try_get("id")?,
            name: row.try_get("name")?,
            domain: row.try_get("domain")?,
            status: row.try_get("status")?,
            version: row.try_get("version")?,
            purpose: row.try_get("purpose")?,
            tags: serde_json::from_str(&tags).unwrap_or_default(),
            updated_at: rfc3339(row.try_get("updated_at")?),
        });
    }
    let next_cursor = (rows.len() as i64 > limit)
        .then(|| items.last().map(|i| cursor_encode(&i.id)))
        .flatten();
    Ok(Page { items, next_cursor })
}

/// A page of the versions of a product the platform registered, oldest first (by registration, then
/// version). The cursor is the last version's registration time and version.
pub async fn product_versions(
    store: &Store,
    id: &str,
    cursor: Option<&str>,
    limit: i64,
) -> Result<Page<ProductVersion>, ApiError> {
    let after = cursor
        .map(|c| {
            cursor_decode(c)?
                .split_once(':')
                .and_then(|(at, version)| Some((at.parse::<i64>().ok()?, version.to_owned())))
                .ok_or_else(cursor_invalid)
        })
        .transpose()?;
    let (after_at, after_version) = after.unzip();
    let rows = sqlx::query(
        "SELECT version, document, registered_at, request_id FROM product_versions WHERE product_id = $1 \
         AND ($2 IS NULL OR registered_at > $2 OR (registered_at = $2 AND version > $3)) \
         ORDER BY registered_at, version LIMIT $4",
    )
    .bind(id)
    .bind(after_at)
    .bind(after_version)
    .bind(limit + 1)
    .fetch_all(store.pool())
    .await?;
    let mut items = Vec::with_capacity(rows.len());
    let mut last = None;
    for row in rows.iter().take(limit as usize) {
        let registered_at: i64 = row.try_get("registered_at")?;
        let version: String = row.try_get("version")?;
        last = Some(format!("{registered_at}:{version}"));
        items.push(ProductVersion {
            version,
            registered_at: rfc3339(registered_at),
            request_id: row.try_get("request_id")?,
            product: document(row)?,
        });
    }
    let next_cursor = (rows.len() as i64 > limit)
        .then(|| last.map(|key| cursor_encode(&key)))
        .flatten();
    Ok(Page { items, next_cursor })
}

pub async fn contract_get(store: &Store, id: &str) -> Result<Option<Value>, ApiError> {
    let row = sqlx::query("SELECT document FROM contracts WHERE id = $1")
        .bind(id)
        .fetch_optional(store.pool())
        .await?;
    row.map(|r| document(&r)).transpose()
}

/// The current version of every pack, with its files: what the platform validates with.
pub async fn packs_current(store: &Store) -> Result<Vec<PolicyPack>, ApiError> {
    let rows = sqlx::query("SELECT document FROM policy_packs WHERE is_current = 1 ORDER BY name")
        .fetch_all(store.pool())
        .await?;
    rows.iter()
        .map(|row| serde_json::from_value(document(row)?).map_err(ApiError::internal))
        .collect()
}

/// A page of the current packs in name order, without their files (`GET /v1/policy-packs`).
pub async fn packs_page(
    store: &Store,
    cursor: Option<&str>,
    limit: i64,
) -> Result<Page<PolicyPack>, ApiError> {
    let after = cursor.map(cursor_decode).transpose()?.unwrap_or_default();
    let rows = sqlx::query(
        "SELECT document FROM policy_packs WHERE is_current = 1 AND name > $1 ORDER BY name LIMIT $2",
    )
    .bind(after)
    .bind(limit + 1)
    .fetch_all(store.pool())
    .await?;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows.iter().take(limit as usize) {
        let mut pack: PolicyPack = serde_json::from_value(document(row)?).map_err(ApiError::internal)?;
        pack.files.clear();
        items.push(pack);
    }
    let next_cursor = (rows.len() as i64 > limit)
        .then(|| items.last().map(|p| cursor_encode(&p.name)))
        .flatten();
    Ok(Page { items, next_cursor })
}

pub async fn pack_get(store: &Store, name: &str) -> Result<Option<PolicyPack>, ApiError> {
    let row = sqlx::query("SELECT document FROM policy_packs WHERE name = $1 AND is_current = 1")
        .bind(name)
        .fetch_optional(store.pool())
        .await?;
    row.map(|r| serde_json::from_value(document(&r)?).map_err(ApiError::internal))
        .transpose()
}

/// A fingerprint of the published packs, which changes whenever one is published.
pub async fn packs_generation<'e, E>(executor: E) -> Result<String, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    let row = sqlx::query("SELECT COUNT(*) AS n, MAX(published_at) AS at FROM policy_packs")
        .fetch_one(executor)
        .await?;
    let n: i64 = row.try_get("n")?;
    let at: Option<i64> = row.try_get("at")?;
    Ok(format!("{n}:{}", at.unwrap_or(0)))
}

/// Publishes a pack version in `tx` (the caller has checked it), making it current, with its change.
pub async fn pack_publish(tx: &mut Tx, pack: &PolicyPack) -> Result<(), sqlx::Error> {
    let document = serde_json::to_value(pack).unwrap_or(Value::Null);
    sqlx::query("UPDATE policy_packs SET is_current = 0 WHERE name = $1")
        .bind(&pack.name)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO policy_packs (name, version, scope, document, published_by, published_at, is_current) \
         VALUES ($1, $2, $3, $4, $5, $6, 1)",
    )
    .bind(&pack.name)
    .bind(&pack.version)
    .bind(&pack.scope)
    .bind(document.to_string())
    .bind(pack.published_by.as_deref().unwrap_or_default())
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    change_append(tx, ChangeEntity::PolicyPack, &pack.name, Some(&document)).await?;
    Ok(())
}

/// One audit entry to write.
#[derive(Debug)]
pub struct Audit<'a> {
    pub actor: &'a str,
    pub action: &'a str,
    pub target: &'a str,
    pub request_id: &'a str,
    pub outcome: &'a str,
    pub detail: Option<String>,
}

/// Appends to the audit log, in `tx` when the entry belongs to a write.
pub async fn audit_append<'e, E>(executor: E, entry: Audit<'_>) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    sqlx::query(
        "INSERT INTO audit (id, at, actor, action, target, request_id, outcome, detail) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(now_ms())
    .bind(entry.actor)
    .bind(entry.action)
    .bind(entry.target)
    .bind(entry.request_id)
    .bind(entry.outcome)
    .bind(entry.detail)
    .execute(executor)
    .await?;
    Ok(())
}

/// Audits outside any transaction; a failure to audit is logged, never hidden.
pub async fn audit(store: &Store, entry: Audit<'_>) {
    if let Err(error) = audit_append(store.writer(), entry).await {
        tracing::error!(%error, "audit log write failed");
    }
}

pub async fn audit_page(
    store: &Store,
    cursor: Option<&str>,
    limit: i64,
) -> Result<Page<AuditEntry>, ApiError> {
    let before = cursor.map(cursor_decode).transpose()?;
    let rows = sqlx::query(
        "SELECT id, at, actor, action, target, request_id, outcome, detail FROM audit \
         WHERE ($1 IS NULL OR id < $1) ORDER BY id DESC LIMIT $2",
    )
    .bind(before)
    .bind(limit + 1)
    .fetch_all(store.pool())
    .await?;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows.iter().take(limit as usize) {
        items.push(AuditEntry {
            id: row.try_get("id")?,
            at: rfc3339(row.try_get("at")?),
            actor: row.try_get("actor")?,
            action: row.try_get("action")?,
            target: row.try_get("target")?,
            request_id: row.try_get("request_id")?,
            outcome: row.try_get("outcome")?,
            detail: row.try_get("detail")?,
        });
    }
    let next_cursor = (rows.len() as i64 > limit)
        .then(|| items.last().map(|i| cursor_encode(&i.id)))
        .flatten();
    Ok(Page { items, next_cursor })
}

/// Imports products into the catalog, `batch` per transaction, each registered as a version and
/// published with its change and its ports' lineage, as a provisioning request's last steps do; its
/// id is recorded first come (an import is the platform admin's). Returns how many were imported.
///
/// A batch is written in a few statements of many rows each, whatever its size: a statement per row
/// costs a round trip to the database (on SQLite, to sqlx's thread of the connection), six per
/// product, and those round trips were most of an import's time.
pub async fn products_import(store: &Store, products: &[Value], batch: usize) -> Result<usize, sqlx::Error> {
    let backend = store.backend();
    let mut imported = 0;
    for chunk in products.chunks(batch.max(1)) {
        let mut tx = store.write().await?;
        // A row may be written once per statement (PostgreSQL refuses an upsert that touches a row
        // twice): a product that comes again in the batch starts a new run of statements.
        let mut start = 0;
        let mut ids = std::collections::HashSet::new();
        for (n, product) in chunk.iter().enumerate() {
            let id = product.get("id").and_then(Value::as_str).unwrap_or_default();
            if !ids.insert(id) {
                import_run(&mut tx, backend, &chunk[start..n]).await?;
                start = n;
                ids.clear();
                ids.insert(id);
            }
        }
        import_run(&mut tx, backend, &chunk[start..]).await?;
        tx.commit().await?;
        imported += chunk.len();
    }
    Ok(imported)
}

/// One value of a row [`rows_insert`] writes.
enum Arg {
    Text(String),
    Int(i64),
    Null,
}

/// The most parameters one statement binds: under SQLite's limit (32,766) and PostgreSQL's (65,535).
const MAX_PARAMS: usize = 30_000;

/// The text of parameter `n` (from 1). On SQLite an anonymous `?`: sqlx finds the argument of a
/// numbered one by its name, and SQLite looks a name up by walking the statement's list of names,
/// which for a statement of thousands of parameters took most of an import's time.
fn param(backend: Backend, n: usize) -> String {
    match backend {
        Backend::Sqlite => "?".to_owned(),
        Backend::Postgres => format!("${n}"),
    }
}

/// Inserts `rows` of `width` values each with `head` (`INSERT INTO t (a, b) VALUES`) and `tail` (an
/// `ON CONFLICT` clause or nothing), in as few statements as [`MAX_PARAMS`] allows.
async fn rows_insert(
    tx: &mut Tx,
    backend: Backend,
    head: &str,
    tail: &str,
    width: usize,
    rows: Vec<Arg>,
) -> Result<(), sqlx::Error> {
    let per_statement = (MAX_PARAMS / width).max(1);
    let mut values = rows.into_iter().peekable();
    while values.peek().is_some() {
        let statement: Vec<Arg> = values.by_ref().take(per_statement * width).collect();
        let tuples: Vec<String> = (0..statement.len() / width)
            .map(|row| {
                let params: Vec<String> = (1..=width).map(|c| param(backend, row * width + c)).collect();
                format!("({})", params.join(", "))
            })
            .collect();
        let sql = format!("{head} {} {tail}", tuples.join(", "));
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for value in statement {
            query = match value {
                Arg::Text(text) => query.bind(text),
                Arg::Int(n) => query.bind(n),
                Arg::Null => query.bind(None::<String>),
            };
        }
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Writes a run of imported products in which no product comes twice.
async fn import_run(tx: &mut Tx, backend: Backend, run: &[Value]) -> Result<(), sqlx::Error> {
    use Arg::{Int, Null, Text};
    if run.is_empty() {
        return Ok(());
    }
    let now = now_ms();
    let (mut versions, mut products, mut ports, mut owners) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut product_ids = Vec::new();
    for product in run {
        let f = product_fields(product);
        let document = product.to_string();
        versions.extend([
            Text(f.id.clone()),
            Text(f.version.clone()),
            Text(document.clone()),
            Text("[]".into()),
            Int(now),
            Null,
        ]);
        products.extend([
            Text(f.id.clone()),
            Text(f.domain.clone()),
            Text(f.name),
            Text(f.status),
            Text(f.version),
            f.purpose.map_or(Null, Text),
            Text(serde_json::to_string(&f.tags).unwrap_or_default()),
            Text(document),
            Int(now),
        ]);
        for (direction, port, contract) in crate::services::lineage::ports_of(product) {
            ports.extend([
                Text(f.id.clone()),
                Text(direction.to_owned()),
                Text(port.to_owned()),
                Text(contract.to_owned()),
            ]);
        }
        owners.extend([
            Text("product".into()),
            Text(f.id.clone()),
            Text(f.id.clone()),
            Text(f.domain),
            Int(now),
        ]);
        product_ids.push(f.id);
    }
    rows_insert(
        tx,
        backend,
        "INSERT INTO product_versions (product_id, version, document, contracts, registered_at, request_id) VALUES",
        "ON CONFLICT (product_id, version) DO UPDATE SET document = excluded.document, contracts = excluded.contracts, \
         registered_at = excluded.registered_at, request_id = excluded.request_id",
        6,
        versions,
    )
    .await?;
    rows_insert(
        tx,
        backend,
        "INSERT INTO products (id, domain, name, status, version, purpose, tags, document, updated_at) VALUES",
        "ON CONFLICT (id) DO UPDATE SET domain = excluded.domain, name = excluded.name, status = excluded.status, \
         version = excluded.version, purpose = excluded.purpose, tags = excluded.tags, document = excluded.document, \
         updated_at = excluded.updated_at",
        9,
        products,
    )
    .await?;
    // The products' lineage rows are replaced, as publishing one does.
    for ids in product_ids.chunks(MAX_PARAMS) {
        let params: Vec<String> = (1..=ids.len()).map(|n| param(backend, n)).collect();
        let sql = format!(
            "DELETE FROM lineage_ports WHERE product_id IN ({})",
            params.join(", ")
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for id in ids {
            query = query.bind(id);
        }
        query.execute(&mut **tx).await?;
    }
    rows_insert(
        tx,
        backend,
        "INSERT INTO lineage_ports (product_id, direction, port, contract_id) VALUES",
        "",
        4,
        ports,
    )
    .await?;
    // The run's sequence numbers at once: the counter row stays locked until the commit, as for one.
    let last: i64 =
        sqlx::query("UPDATE counters SET value = value + $1 WHERE name = 'changes' RETURNING value")
            .bind(product_ids.len() as i64)
            .fetch_one(&mut **tx)
            .await?
            .try_get("value")?;
    let first = last - product_ids.len() as i64 + 1;
    // Without documents: the feed reads them from the products' rows (see `held_in_catalog`).
    let mut rows = Vec::with_capacity(product_ids.len() * 6);
    for (n, id) in product_ids.into_iter().enumerate() {
        rows.extend([
            Int(first + n as i64),
            Int(now),
            Text(ChangeEntity::Product.as_str().to_owned()),
            Text(id),
            Int(0),
            Null,
        ]);
    }
    rows_insert(
        tx,
        backend,
        "INSERT INTO changes (seq, at, entity, entity_id, deleted, document) VALUES",
        "",
        6,
        rows,
    )
    .await?;
    rows_insert(
        tx,
        backend,
        "INSERT INTO id_owners (kind, id, product_id, domain, registered_at) VALUES",
        "ON CONFLICT (kind, id) DO NOTHING",
        5,
        owners,
    )
    .await?;
    Ok(())
}
