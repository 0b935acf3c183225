//! Meshport's SQLite databases on the user's machine: the local store ([`LocalStore`], in `local`):
//! drafts, the outbox and the products written locally; and a platform's offline cache
//! ([`cache::Cache`]).
//!
//! This is the only crate that knows their SQL. Migrations are embedded and run when a database
//! opens; every write is one transaction.

pub mod cache;
pub mod local;

pub use local::LocalStore;

/// Everything that can go wrong with the local store or an offline cache.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot open the database at {path}: {source}")]
    Open { path: String, source: sqlx::Error },
    #[error("cannot migrate the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("a data product with id {0} already exists")]
    AlreadyExists(String),
    #[error("the stored document {id} is corrupt: {source}")]
    Corrupt { id: String, source: serde_json::Error },
    #[error(
        "a search bitmap in the offline cache is corrupt ({0}): remove the cache's file and run `meshport catalog sync`"
    )]
    Bitmap(String),
    #[error(
        "the offline cache's search index is corrupt ({0}): remove the cache's file and run `meshport catalog sync`"
    )]
    SearchIndex(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
