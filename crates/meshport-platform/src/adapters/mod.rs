//! Adapters build what an output port needs. Each operation is idempotent, so a job that resumes after
//! a crash can run a step again without doing anything twice:
//!
//! - `plan` says what `apply` would build, and changes nothing;
//! - `apply` builds it (creating only what is missing) and returns the ODCS `servers` entry that says
//!   where the data lives;
//! - `destroy` removes what `apply` built (nothing left is not an error);
//! - `read_grant` and `read_revoke` give and take a consumer's read access to what was built.
//!
//! [`Adapter`] is what the job runner and the access service see; [`registry::Adapters`] chooses one by the
//! output port's type (to build) or by the adapter's name recorded beside what it built (to destroy
//! or grant). [`sql::SqlAdapter`] serves output ports of type `tables` (ODPS's word for a SQL
//! interface). Ports of any other type have no adapter here: their steps are planned and reported as
//! such. A second adapter is a new file with an `impl Adapter`, listed in `Adapters::new`.
//!
//! Layer: below the state and the services. Within it: this file (the trait and its types) <-
//! `sandbox` <- `sql` <- `registry`.

pub mod registry;
pub mod sandbox;
pub mod sql;

use std::future::Future;
use std::pin::Pin;

use serde_json::Value;

/// What an adapter is asked to build: one output port of a product, with its contract.
#[derive(Debug, Clone)]
pub struct PortSpec<'a> {
    pub product_id: &'a str,
    pub product_name: &'a str,
    pub port: &'a str,
    pub contract: &'a Value,
}

/// A table as the contract describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct TablePlan {
    pub name: String,
    /// `(column, SQL type, not null)`.
    pub columns: Vec<(String, String, bool)>,
    pub primary_key: Vec<String>,
}

/// What `apply` will build for a port.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Where: a file path (SQLite) or a schema name (PostgreSQL).
    pub location: String,
    pub tables: Vec<TablePlan>,
}

impl Plan {
    pub fn describe(&self) -> String {
        let tables: Vec<String> = self
            .tables
            .iter()
            .map(|t| format!("{} ({} columns)", t.name, t.columns.len()))
            .collect();
        format!("{}: {}", self.location, tables.join(", "))
    }
}

/// What `apply` built.
#[derive(Debug, Clone)]
pub struct Applied {
    pub location: String,
    /// The ODCS server entry for the port's contract.
    pub server: Value,
}

#[derive(Debug, thiserror::Error)]
pub enum AdapterError {
    #[error("{0}")]
    Contract(String),
    #[error("{0}")]
    Io(String),
    #[error("database: {0}")]
    Sql(#[from] sqlx::Error),
}

/// A future an adapter returns: boxed, so that adapters can be chosen at run time.
pub type AdapterFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, AdapterError>> + Send + 'a>>;

/// What builds, removes and opens the resources of output ports of one type.
pub trait Adapter: std::fmt::Debug + Send + Sync {
    /// The ODPS output port type it serves (e.g. `tables`).
    fn port_type(&self) -> &'static str;

    /// Its name, recorded beside what it built (e.g. `sql/postgres`).
    fn name(&self) -> &'static str;

    /// What [`Adapter::apply`] would build; changes nothing.
    fn plan(&self, spec: &PortSpec<'_>) -> Result<Plan, AdapterError>;

    /// Builds what is missing of the port; idempotent.
    fn apply<'a>(&'a self, spec: &'a PortSpec<'a>) -> AdapterFuture<'a, Applied>;

    /// Removes what `apply` built at `location`; nothing left is not an error.
    fn destroy<'a>(&'a self, location: &'a str) -> AdapterFuture<'a, ()>;

    /// Lets `role` read what was built at `location`.
    fn read_grant<'a>(&'a self, location: &'a str, role: &'a str) -> AdapterFuture<'a, ()>;

    /// Takes back `role`'s read access to `location`.
    fn read_revoke<'a>(&'a self, location: &'a str, role: &'a str) -> AdapterFuture<'a, ()>;
}
