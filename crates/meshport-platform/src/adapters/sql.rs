//! The SQL adapter: output ports of type `tables`. Each operation is idempotent, so a job that resumes after
//! a crash can run a step again without doing anything twice:
//!
//! - `plan` says what `apply` would build, and changes nothing;
//! - `apply` builds it (creating only what is missing) and returns the ODCS `servers` entry that says
//!   where the data lives;
//! - `destroy` removes what `apply` built (nothing left is not an error).
//!
//! [`SqlAdapter`] serves output ports of type `tables` (ODPS's word for a SQL interface): on SQLite a
//! database file per port with a table per ODCS schema object; on PostgreSQL a schema per port, its
//! tables and a read-only role `<schema>_read`. Ports of any other type have no adapter here: their
//! steps are planned and reported as such.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde_json::{Value, json};

use super::sandbox;
pub use super::sandbox::{Measured, Probe, Probed, quote};
use super::{Adapter, AdapterError, AdapterFuture, Applied, Plan, PortSpec, TablePlan};
use sqlx::{AssertSqlSafe, Connection, Executor, Row};

/// Where the SQL adapter builds.
#[derive(Debug, Clone)]
pub enum SqlTarget {
    /// A SQLite file per port below this folder.
    SqliteFiles(PathBuf),
    /// A schema per port in this PostgreSQL database.
    Postgres { url: String },
}

/// The adapter for output ports of type `tables`.
#[derive(Debug, Clone)]
pub struct SqlAdapter {
    target: SqlTarget,
}

/// The ODPS output port type this adapter serves.
pub const SQL_PORT_TYPE: &str = "tables";

impl SqlAdapter {
    pub fn new(target: SqlTarget) -> SqlAdapter {
        SqlAdapter { target }
    }

    pub fn target(&self) -> &SqlTarget {
        &self.target
    }

    pub fn name(&self) -> &'static str {
        match self.target {
            SqlTarget::SqliteFiles(_) => "sql/sqlite",
            SqlTarget::Postgres { .. } => "sql/postgres",
        }
    }

    pub fn plan(&self, spec: &PortSpec<'_>) -> Result<Plan, AdapterError> {
        let postgres = matches!(self.target, SqlTarget::Postgres { .. });
        let tables = tables_plan(spec.contract, postgres)?;
        let location = match &self.target {
            SqlTarget::SqliteFiles(root) => sqlite_file(root, spec).display().to_string(),
            SqlTarget::Postgres { .. } => schema_name(spec),
        };
        Ok(Plan { location, tables })
    }

    pub async fn apply(&self, spec: &PortSpec<'_>) -> Result<Applied, AdapterError> {
        let plan = self.plan(spec)?;
        match &self.target {
            SqlTarget::SqliteFiles(_) => {
                let path = PathBuf::from(&plan.location);
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent)
                        .map_err(|e| AdapterError::Io(format!("{}: {e}", parent.display())))?;
                }
                let options = sqlx::sqlite::SqliteConnectOptions::new()
                    .filename(&path)
                    .create_if_missing(true)
                    .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
                    .synchronous(sqlx::sqlite::SqliteSynchronous::Normal);
                let mut conn = sqlx::SqliteConnection::connect_with(&options).await?;
                let mut tx = conn.begin().await?;
                for table in &plan.tables {
                    tx.execute(AssertSqlSafe(create_table(None, table))).await?;
                }
                tx.commit().await?;
                conn.close().await?;
                let location = path.canonicalize().unwrap_or(path).display().to_string();
                Ok(Applied {
                    server: sqlite_server(spec, &location),
                    location,
                })
            }
            SqlTarget::Postgres { url } => {
                let mut conn = sqlx::PgConnection::connect(url).await?;
                let schema = &plan.location;
                let role = format!("{schema}_read");
                let mut tx = conn.begin().await?;
                tx.execute(AssertSqlSafe(format!(
                    "CREATE SCHEMA IF NOT EXISTS {}",
                    quote(schema)
                )))
                .await?;
                for table in &plan.tables {
                    tx.execute(AssertSqlSafe(create_table(Some(schema), table)))
                        .await?;
                }
                let exists = role_exists(&mut tx, &role).await?;
                if !exists {
                    tx.execute(AssertSqlSafe(format!("CREATE ROLE {} NOLOGIN", quote(&role))))
                        .await?;
                }
                tx.execute(AssertSqlSafe(format!(
                    "GRANT USAGE ON SCHEMA {} TO {}",
                    quote(schema),
                    quote(&role)
                )))
                .await?;
                tx.execute(AssertSqlSafe(format!(
                    "GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}",
                    quote(schema),
                    quote(&role)
                )))
                .await?;
                let database: String = sqlx::query("SELECT current_database() AS db")
                    .fetch_one(&mut *tx)
                    .await?
                    .try_get("db")?;
                tx.commit().await?;
                super::sandbox::postgres_prepare(&mut conn, schema).await?;
                conn.close().await?;
                let options = sqlx::postgres::PgConnectOptions::from_str(url)?;
                Ok(Applied {
                    server: json!({
                        "server": format!("{}-{}", spec.port, "postgres"),
                        "type": "postgres",
                        "environment": "prod",
                        "host": options.get_host(),
                        "port": options.get_port(),
                        "database": database,
                        "schema": schema,
                        "roles": [{"role": role, "access": "read", "description": "Read-only access to the port's tables."}],
                    }),
                    location: schema.clone(),
                })
            }
        }
    }

    /// Runs statements against the port `apply` built at `location`, in one transaction: the only way
    /// other parts of the platform reach a port's data.
    pub async fn port_execute(&self, location: &str, statements: &[String]) -> Result<(), AdapterError> {
        match &self.target {
            SqlTarget::SqliteFiles(_) => {
                let options = sqlx::sqlite::SqliteConnectOptions::new().filename(location);
                let mut conn = sqlx::SqliteConnection::connect_with(&options).await?;
                let mut tx = conn.begin().await?;
                for sql in statements {
                    tx.execute(AssertSqlSafe(sql.clone())).await?;
                }
                tx.commit().await?;
                conn.close().await?;
            }
            SqlTarget::Postgres { url } => {
                let mut conn = sqlx::PgConnection::connect(url).await?;
                let mut tx = conn.begin().await?;
                for sql in statements {
                    tx.execute(AssertSqlSafe(sql.clone())).await?;
                }
                tx.commit().await?;
                conn.close().await?;
            }
        }
        Ok(())
    }

    /// Measures a port: runs each query (one row, one numeric column) in the port's sandbox
    /// ([`super::sandbox`]): it reads that port's tables and nothing else, writes nothing and stops at
    /// `timeout`. Each query answers its value or its redacted message; a failure to reach the port at
    /// all is the `Err`.
    pub async fn port_measure(
        &self,
        location: &str,
        queries: &[String],
        timeout: std::time::Duration,
    ) -> Result<Vec<Measured>, AdapterError> {
        let probes: Vec<Probe> = queries.iter().cloned().map(Probe::Value).collect();
        let probed = self.port_probe(location, &probes, timeout, 1).await?;
        Ok(probed
            .into_iter()
            .map(|p| p.map(|values| values.into_iter().next().flatten()))
            .collect())
    }

    /// [`SqlAdapter::port_measure`] for probes, several at once: up to `connections` connections (or
    /// SQLite threads) each take the next probe not yet taken.
    pub async fn port_probe(
        &self,
        location: &str,
        probes: &[Probe],
        timeout: std::time::Duration,
        connections: usize,
    ) -> Result<Vec<Probed>, AdapterError> {
        match &self.target {
            SqlTarget::SqliteFiles(_) => {
                sandbox::sqlite_probe(PathBuf::from(location), probes.to_vec(), timeout, connections).await
            }
            SqlTarget::Postgres { url } => {
                sandbox::postgres_probe(url, location, probes, timeout, connections).await
            }
        }
    }

    /// Gives `role` (a login role, created on first grant) `USAGE` on the port's schema and `SELECT`
    /// on its tables (PostgreSQL). Idempotent. SQLite ports have no roles: nothing to do there.
    pub async fn read_grant(&self, location: &str, role: &str) -> Result<(), AdapterError> {
        let SqlTarget::Postgres { url } = &self.target else {
            return Ok(());
        };
        let mut conn = sqlx::PgConnection::connect(url).await?;
        let mut tx = conn.begin().await?;
        // Roles belong to the cluster, which other databases (and platforms) share: two first grants at
        // once must not fail on the role the other created.
        tx.execute(AssertSqlSafe(format!(
            "DO $$ BEGIN CREATE ROLE {} LOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$",
            quote(role)
        )))
        .await?;
        tx.execute(AssertSqlSafe(format!(
            "GRANT USAGE ON SCHEMA {} TO {}",
            quote(location),
            quote(role)
        )))
        .await?;
        tx.execute(AssertSqlSafe(format!(
            "GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}",
            quote(location),
            quote(role)
        )))
        .await?;
        tx.commit().await?;
        conn.close().await?;
        Ok(())
    }

    /// Takes back what [`SqlAdapter::read_grant`] gave. Idempotent (a schema or role already gone is
    /// nothing to revoke).
    pub async fn read_revoke(&self, location: &str, role: &str) -> Result<(), AdapterError> {
        let SqlTarget::Postgres { url } = &self.target else {
            return Ok(());
        };
        let mut conn = sqlx::PgConnection::connect(url).await?;
        let mut tx = conn.begin().await?;
        let schema = sqlx::query("SELECT 1 FROM pg_namespace WHERE nspname = $1")
            .bind(location)
            .fetch_optional(&mut *tx)
            .await?
            .is_some();
        if schema && role_exists(&mut tx, role).await? {
            tx.execute(AssertSqlSafe(format!(
                "REVOKE SELECT ON ALL TABLES IN SCHEMA {} FROM {}",
                quote(location),
                quote(role)
            )))
            .await?;
            tx.execute(AssertSqlSafe(format!(
                "REVOKE USAGE ON SCHEMA {} FROM {}",
                quote(location),
                quote(role)
            )))
            .await?;
        }
        tx.commit().await?;
        conn.close().await?;
        Ok(())
    }

    /// A page of a SQLite port table's rows after `after` (a rowid), with `filters` (column, value)
    /// compared for equality, read in the port's sandbox. Returns the rows, each with its rowid first.
    pub async fn port_rows(
        &self,
        location: &str,
        table: &str,
        filters: &[(String, String)],
        after: i64,
        limit: i64,
        timeout: std::time::Duration,
    ) -> Result<(Vec<String>, Vec<(i64, Vec<Value>)>), AdapterError> {
        let SqlTarget::SqliteFiles(_) = &self.target else {
            return Err(AdapterError::Contract(
                "rows are served from SQLite ports only".into(),
            ));
        };
        super::sandbox::sqlite_rows(
            PathBuf::from(location),
            table.to_owned(),
            filters.to_vec(),
            after,
            limit,
            timeout,
        )
        .await
    }

    /// Removes what `apply` built at `location`. Idempotent.
    pub async fn destroy(&self, location: &str) -> Result<(), AdapterError> {
        match &self.target {
            SqlTarget::SqliteFiles(_) => {
                for suffix in ["", "-wal", "-shm"] {
                    let path = format!("{location}{suffix}");
                    match std::fs::remove_file(&path) {
                        Ok(()) => {}
                        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                        Err(e) => return Err(AdapterError::Io(format!("{path}: {e}"))),
                    }
                }
                if let Some(parent) = Path::new(location).parent() {
                    // The product's folder goes when its last port does.
                    let _ = std::fs::remove_dir(parent);
                }
                Ok(())
            }
            SqlTarget::Postgres { url } => {
                let mut conn = sqlx::PgConnection::connect(url).await?;
                let role = format!("{location}_read");
                let mut tx = conn.begin().await?;
                tx.execute(AssertSqlSafe(format!(
                    "DROP SCHEMA IF EXISTS {} CASCADE",
                    quote(location)
                )))
                .await?;
                let exists = role_exists(&mut tx, &role).await?;
                if exists {
                    tx.execute(AssertSqlSafe(format!("DROP OWNED BY {}", quote(&role))))
                        .await?;
                    // Roles belong to the cluster: another database on it (another platform) may
                    // hold a port of the same name whose privileges keep the role alive there.
                    tx.execute("SAVEPOINT drop_role").await?;
                    match tx
                        .execute(AssertSqlSafe(format!("DROP ROLE {}", quote(&role))))
                        .await
                    {
                        Ok(_) => {
                            tx.execute("RELEASE SAVEPOINT drop_role").await?;
                        }
                        Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("2BP01") => {
                            tx.execute("ROLLBACK TO SAVEPOINT drop_role").await?;
                            tracing::info!(%role, "role kept: another database of the cluster still uses it");
                        }
                        Err(e) => return Err(e.into()),
                    }
                }
                tx.commit().await?;
                conn.close().await?;
                Ok(())
            }
        }
    }
}

/// Whether a PostgreSQL role exists (`CREATE ROLE` has no `IF NOT EXISTS`).
async fn role_exists(conn: &mut sqlx::PgConnection, role: &str) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query("SELECT 1 FROM pg_roles WHERE rolname = $1")
        .bind(role)
        .fetch_optional(conn)
        .await?
        .is_some())
}

impl Adapter for SqlAdapter {
    fn port_type(&self) -> &'static str {
        SQL_PORT_TYPE
    }

    fn name(&self) -> &'static str {
        SqlAdapter::name(self)
    }

    fn plan(&self, spec: &PortSpec<'_>) -> Result<Plan, AdapterError> {
        SqlAdapter::plan(self, spec)
    }

    fn apply<'a>(&'a self, spec: &'a PortSpec<'a>) -> AdapterFuture<'a, Applied> {
        Box::pin(SqlAdapter::apply(self, spec))
    }

    fn destroy<'a>(&'a self, location: &'a str) -> AdapterFuture<'a, ()> {
        Box::pin(SqlAdapter::destroy(self, location))
    }

    fn read_grant<'a>(&'a self, location: &'a str, role: &'a str) -> AdapterFuture<'a, ()> {
        Box::pin(SqlAdapter::read_grant(self, location, role))
    }

    fn read_revoke<'a>(&'a self, location: &'a str, role: &'a str) -> AdapterFuture<'a, ()> {
        Box::pin(SqlAdapter::read_revoke(self, location, role))
    }
}

/// Lower-case letters, digits and `_`, for file and schema names.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches('_').to_owned()
}

fn sqlite_file(root: &Path, spec: &PortSpec<'_>) -> PathBuf {
    root.join(slug(spec.product_id))
        .join(format!("{}.sqlite", slug(spec.port)))
}

/// The PostgreSQL schema of a port: `<product>__<port>`, within PostgreSQL's 63 bytes, with a short
/// hash of the product id so two products of one name do not share it.
fn schema_name(spec: &PortSpec<'_>) -> String {
    use sha2::Digest;
    let hash = sha2::Sha256::digest(spec.product_id.as_bytes());
    let tag: String = hash.iter().take(3).map(|b| format!("{b:02x}")).collect();
    let mut base = format!("{}__{}", slug(spec.product_name), slug(spec.port));
    base.truncate(63 - 7 - 5);
    format!("{base}_{tag}")
}

fn sqlite_server(spec: &PortSpec<'_>, path: &str) -> Value {
    // ODCS 3.1 has no `sqlite` server type: a custom server whose format says it.
    json!({
        "server": format!("{}-sqlite", spec.port),
        "type": "custom",
        "environment": "prod",
        "format": "sqlite",
        "path": path,
        "location": format!("file://{path}"),
        "description": "A SQLite database file built by the Meshport reference platform.",
    })
}

/// The tables of a contract: one per schema object, a column per property.
pub fn tables_plan(contract: &Value, postgres: bool) -> Result<Vec<TablePlan>, AdapterError> {
    let objects = contract
        .get("schema")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if objects.is_empty() {
        return Err(AdapterError::Contract(
            "the contract has no `schema` objects, so there is no table to build; add one per table".into(),
        ));
    }
    let mut tables = Vec::new();
    for object in &objects {
        let name = object
            .get("physicalName")
            .or_else(|| object.get("name"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        if name.is_empty() {
            return Err(AdapterError::Contract("a schema object has no name".into()));
        }
        let properties = object
            .get("properties")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if properties.is_empty() {
            return Err(AdapterError::Contract(format!(
                "schema object `{name}` has no properties, so its table would have no columns"
            )));
        }
        let mut columns = Vec::new();
        let mut keyed: Vec<(i64, String)> = Vec::new();
        for property in &properties {
            let column = property
                .get("physicalName")
                .or_else(|| property.get("name"))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let sql_type = column_type(property, postgres);
            let required = property.get("required").and_then(Value::as_bool).unwrap_or(false);
            if property
                .get("primaryKey")
                .and_then(Value::as_bool)
                .unwrap_or(false)
            {
                let position = property
                    .get("primaryKeyPosition")
                    .and_then(Value::as_i64)
                    .unwrap_or(i64::MAX);
                keyed.push((position, column.clone()));
            }
            columns.push((column, sql_type, required));
        }
        keyed.sort();
        tables.push(TablePlan {
            name: name.to_owned(),
            columns,
            primary_key: keyed.into_iter().map(|(_, c)| c).collect(),
        });
    }
    Ok(tables)
}

/// The SQL type of a property: its `physicalType` when that is a type the engine knows, else one
/// from its `logicalType`.
pub(crate) fn column_type(property: &Value, postgres: bool) -> String {
    let logical = property
        .get("logicalType")
        .and_then(Value::as_str)
        .unwrap_or("string");
    if postgres {
        if let Some(physical) = property.get("physicalType").and_then(Value::as_str)
            && let Some(known) = postgres_type(physical)
        {
            return known;
        }
        match logical {
            "integer" => "bigint",
            "number" => "numeric",
            "boolean" => "boolean",
            "date" => "date",
            "timestamp" => "timestamptz",
            "time" => "time",
            "object" | "array" => "jsonb",
            _ => "text",
        }
        .to_owned()
    } else {
        match logical {
            "integer" | "boolean" => "INTEGER",
            "number" => "REAL",
            _ => "TEXT",
        }
        .to_owned()
    }
}

/// A PostgreSQL type name read from a contract, only if it is one of a known set (with an optional
/// `(n)` or `(p,s)`): contract text never reaches DDL unchecked.
fn postgres_type(physical: &str) -> Option<String> {
    let lower = physical.trim().to_lowercase();
    let (base, args) = match lower.split_once('(') {
        Some((base, rest)) => (base.trim(), Some(rest.strip_suffix(')')?)),
        None => (lower.as_str(), None),
    };
    const KNOWN: &[&str] = &[
        "text",
        "varchar",
        "character varying",
        "char",
        "character",
        "integer",
        "int",
        "int4",
        "bigint",
        "int8",
        "smallint",
        "int2",
        "numeric",
        "decimal",
        "real",
        "double precision",
        "float8",
        "float4",
        "boolean",
        "bool",
        "date",
        "timestamp",
        "timestamptz",
        "timestamp with time zone",
        "timestamp without time zone",
        "time",
        "uuid",
        "json",
        "jsonb",
        "bytea",
    ];
    if !KNOWN.contains(&base) {
        return None;
    }
    match args {
        None => Some(base.to_owned()),
        Some(args)
            if args
                .split(',')
                .all(|a| !a.trim().is_empty() && a.trim().bytes().all(|b| b.is_ascii_digit())) =>
        {
            Some(format!("{base}({args})"))
        }
        Some(_) => None,
    }
}

fn create_table(schema: Option<&str>, table: &TablePlan) -> String {
    let name = match schema {
        Some(schema) => format!("{}.{}", quote(schema), quote(&table.name)),
        None => quote(&table.name),
    };
    let mut lines: Vec<String> = table
        .columns
        .iter()
        .map(|(column, sql_type, required)| {
            format!(
                "{} {sql_type}{}",
                quote(column),
                if *required { " NOT NULL" } else { "" }
            )
        })
        .collect();
    if !table.primary_key.is_empty() {
        let keys: Vec<String> = table.primary_key.iter().map(|k| quote(k)).collect();
        lines.push(format!("PRIMARY KEY ({})", keys.join(", ")));
    }
    format!("CREATE TABLE IF NOT EXISTS {name} ({})", lines.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contract() -> Value {
        json!({"schema": [{"name": "orders", "properties": [
            {"name": "order_id", "logicalType": "string", "physicalType": "uuid", "required": true, "primaryKey": true},
            {"name": "amount", "logicalType": "number", "physicalType": "numeric(12,2)"},
            {"name": "note", "logicalType": "string", "physicalType": "varchar(10); DROP TABLE x"}
        ]}]})
    }

    #[test]
    fn physical_types_are_used_only_when_known() {
        let tables = tables_plan(&contract(), true).unwrap();
        let types: Vec<&str> = tables[0].columns.iter().map(|c| c.1.as_str()).collect();
        assert_eq!(
            types,
            ["uuid", "numeric(12,2)", "text"],
            "an unknown physical type falls back to the logical one"
        );
        assert_eq!(tables[0].primary_key, ["order_id"]);
        let sqlite = tables_plan(&contract(), false).unwrap();
        assert_eq!(sqlite[0].columns[1].1, "REAL");
    }

    #[test]
    fn identifiers_are_quoted_in_ddl() {
        let table = TablePlan {
            name: "we\"ird".into(),
            columns: vec![("a b".into(), "TEXT".into(), true)],
            primary_key: vec![],
        };
        assert_eq!(
            create_table(None, &table),
            "CREATE TABLE IF NOT EXISTS \"we\"\"ird\" (\"a b\" TEXT NOT NULL)"
        );
    }

    #[test]
    fn schema_names_fit_postgres_and_differ_per_product() {
        let c = contract();
        let a = schema_name(&PortSpec {
            product_id: "a",
            product_name: &"x".repeat(100),
            port: "p",
            contract: &c,
        });
        let b = schema_name(&PortSpec {
            product_id: "b",
            product_name: &"x".repeat(100),
            port: "p",
            contract: &c,
        });
        assert!(a.len() <= 63 - 5, "room for the `_read` role suffix: {a}");
        assert_ne!(a, b);
    }

    #[test]
    fn a_contract_without_tables_is_refused_with_the_fix() {
        let error = tables_plan(&json!({"schema": []}), false).unwrap_err();
        assert!(error.to_string().contains("add one per table"));
    }
}
