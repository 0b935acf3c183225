//! The local SQLite catalog: data products cached on the user's machine.
//!
//! This is the only crate that knows SQL. Migrations are embedded and run when the catalog opens;
//! every write is one transaction.

pub mod cache;
pub mod local;

use std::path::Path;
use std::str::FromStr;

use meshport_model::DataProduct;
use meshport_model::product::ProductSummary;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqliteConnection, SqlitePool};

/// Everything that can go wrong with the catalog.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot open the catalog database at {path}: {source}")]
    Open { path: String, source: sqlx::Error },
    #[error("cannot migrate the catalog database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("a data product with id {0} already exists")]
    AlreadyExists(String),
    #[error("the stored document of product {id} is corrupt: {source}")]
    Corrupt { id: String, source: serde_json::Error },
    #[error("catalog database error: {0}")]
    Database(#[from] sqlx::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// A handle on the catalog database; cheap to clone.
#[derive(Debug, Clone)]
pub struct Catalog {
    pool: SqlitePool,
}

impl Catalog {
    /// Opens (creating if missing) the database file at `path` and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<Catalog> {
        if let Some(parent) = path.parent() {
            // A missing folder is reported by the connect below with the path; no need to fail here.
            let _ = std::fs::create_dir_all(parent);
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // Drafts are saved as they are typed: each save is on disk when the call returns.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(|source| Error::Open {
                path: path.display().to_string(),
                source,
            })?;
        Self::migrated(pool).await
    }

    /// A private in-memory catalog, for tests and benchmarks.
    pub async fn open_in_memory() -> Result<Catalog> {
        let options = SqliteConnectOptions::from_str("sqlite::memory:")?;
        // One connection: every connection to `:memory:` is a database of its own.
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await?;
        Self::migrated(pool).await
    }

    async fn migrated(pool: SqlitePool) -> Result<Catalog> {
        MIGRATOR.run(&pool).await?;
        Ok(Catalog { pool })
    }

    /// Inserts new products in one transaction: all are written or none.
    pub async fn products_insert(&self, products: &[DataProduct]) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        for product in products {
            match insert(&mut tx, product, OnConflict::Fail).await {
                Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                    return Err(Error::AlreadyExists(product.id.clone()));
                }
                other => other?,
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Every product, by domain then name.
    pub async fn products_list(&self) -> Result<Vec<ProductSummary>> {
        let rows = sqlx::query(
            "SELECT id, name, version, status, domain, purpose,
                    json_array_length(document, '$.outputPorts') AS output_ports, updated_at
             FROM products ORDER BY domain COLLATE NOCASE, name COLLATE NOCASE",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|row| {
                Ok(ProductSummary {
                    id: row.try_get("id")?,
                    name: row.try_get("name")?,
                    version: row.try_get("version")?,
                    status: row.try_get("status")?,
                    domain: row.try_get("domain")?,
                    purpose: row.try_get("purpose")?,
                    output_ports: row.try_get::<Option<i64>, _>("output_ports")?.unwrap_or(0).max(0) as u32,
                    updated_at: row.try_get("updated_at")?,
                })
            })
            .collect()
    }

    /// The whole document of one product, if the catalog has it.
    pub async fn product_get(&self, id: &str) -> Result<Option<DataProduct>> {
        let row = sqlx::query("SELECT document FROM products WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| {
            let document: String = row.try_get("document")?;
            serde_json::from_str(&document).map_err(|source| Error::Corrupt {
                id: id.to_owned(),
                source,
            })
        })
        .transpose()
    }

    /// A value of the catalog's own metadata.
    pub async fn meta_get(&self, key: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar("SELECT value FROM catalog_meta WHERE key = ?")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// Seeds `products` once: inserts them and records `key`, in one transaction, unless `key` is set.
    /// Returns whether it seeded.
    pub async fn seed_once(&self, key: &str, products: &[DataProduct]) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        let done: Option<String> = sqlx::query_scalar("SELECT value FROM catalog_meta WHERE key = ?")
            .bind(key)
            .fetch_optional(&mut *tx)
            .await?;
        if done.is_some() {
            return Ok(false);
        }
        for product in products {
            insert(&mut tx, product, OnConflict::Ignore).await?;
        }
        sqlx::query(
            "INSERT INTO catalog_meta (key, value) VALUES (?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
        )
        .bind(key)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        tracing::info!(count = products.len(), "seeded the catalog");
        Ok(true)
    }

    /// Closes the pool, checkpointing the write-ahead log.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// How [`insert`] treats a product whose id is already there.
#[derive(Debug, Clone, Copy)]
enum OnConflict {
    Fail,
    Ignore,
}

/// Writes one product row.
async fn insert(
    conn: &mut SqliteConnection,
    product: &DataProduct,
    on_conflict: OnConflict,
) -> Result<(), sqlx::Error> {
    let document = serde_json::to_string(product).expect("a product always serializes");
    let sql = match on_conflict {
        OnConflict::Fail => {
            "INSERT INTO products (id, name, version, status, domain, purpose, document) VALUES (?, ?, ?, ?, ?, ?, ?)"
        }
        OnConflict::Ignore => {
            "INSERT OR IGNORE INTO products (id, name, version, status, domain, purpose, document) \
             VALUES (?, ?, ?, ?, ?, ?, ?)"
        }
    };
    sqlx::query(sql)
        .bind(&product.id)
        .bind(product.name.as_deref().unwrap_or_default())
        .bind(product.version.as_deref())
        .bind(product.status.as_str())
        .bind(product.domain.as_deref())
        .bind(product.description.as_ref().and_then(|d| d.purpose.as_deref()))
        .bind(document)
        .execute(conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn stored_documents_must_be_json() {
        let catalog = Catalog::open_in_memory().await.unwrap();
        let result = sqlx::query(
            "INSERT INTO products (id, name, status, document) VALUES ('x', 'X', 'draft', 'not json')",
        )
        .execute(&catalog.pool)
        .await;
        assert!(
            result.is_err(),
            "the CHECK constraint refuses a document that is not JSON"
        );
    }
}
