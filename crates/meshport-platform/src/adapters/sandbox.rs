//! The sandbox in which text from a contract or a request reaches SQL: quality rules (`type: sql`
//! and the metrics compiled from a contract), SLO measures and the rows endpoint. A sandboxed query
//! can read exactly one port's tables and nothing else (not other ports, not the platform's own
//! tables, not the database server's files or admin functions), cannot write, cannot run longer
//! than its time limit, and fails with a message that quotes no value it did not already contain.
//!
//! **PostgreSQL.** Switching roles with `SET LOCAL ROLE` alone is no sandbox: PostgreSQL checks a
//! later `set_config('role', …)` against the *session* user, so a query could switch back to the
//! platform's role in the middle of a `SELECT` (and `query_to_xml` runs SQL as whoever is current).
//! So each port has a `SECURITY DEFINER` function owned by the port's read role `<schema>_read`
//! (`meshport_sandbox."<schema>"(query)`), which runs the query with `EXECUTE`: inside a
//! security-definer function PostgreSQL refuses to change `role` or `session_authorization` at all.
//! The caller opens a `READ ONLY` transaction, `SET LOCAL ROLE`s to the read role as well, sets the
//! statement and lock timeouts, and rolls each query back to a savepoint, so that nothing a query
//! sets outlives it. A query that outlives its limit by a grace period has its backend terminated
//! from another connection, so a runner is never held.
//!
//! **SQLite.** A separate connection opened read-only (`SQLITE_OPEN_READONLY`, `query_only`),
//! with an authorizer that allows reading and nothing else (no `ATTACH`, no `PRAGMA`, no
//! `load_extension`), `SQLITE_LIMIT_ATTACHED` at 0, defensive mode, untrusted schema, one statement
//! per query, and a progress handler that interrupts the statement at its deadline. It runs on a
//! blocking thread, so a long query never holds the runtime.
//!
//! **Messages.** A failed query's message is stored and served as `SQLSTATE <code>: <message>` with
//! every quoted part redacted unless the query's own text contains it (an identifier the contract
//! names); the full message goes to the platform's log only.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rusqlite::hooks::{AuthAction, AuthContext, Authorization};
use rusqlite::{OpenFlags, limits::Limit};
use serde_json::{Value, json};
use sqlx::{AssertSqlSafe, Connection, Executor, Row};

use super::AdapterError;

/// The schema that holds each port's measuring function (PostgreSQL).
pub const SANDBOX_SCHEMA: &str = "meshport_sandbox";

/// The advisory lock that serialises preparing sandboxes in one database ("meshsand").
const SANDBOX_LOCK: i64 = 0x6d65_7368_7361_6e64;

/// How long past its limit a PostgreSQL query may run before its backend is terminated.
const GRACE: Duration = Duration::from_secs(5);

/// One query's outcome: its number (or NULL), or the redacted message of its failure.
pub type Measured = Result<Option<f64>, String>;

/// What one sandboxed query measures.
#[derive(Debug, Clone, PartialEq)]
pub enum Probe {
    /// A query answering one number: one row, one numeric column.
    Value(String),
    /// Several numbers in one pass over `table` (a quoted identifier of the port's): each expression
    /// an aggregate over the table's rows, e.g. `COUNT(CASE WHEN "c" IS NULL THEN 1 END)`.
    Row { table: String, expressions: Vec<String> },
}

/// A probe's outcome: one number (or NULL) per value it asked for, or the redacted message of its
/// failure.
pub type Probed = Result<Vec<Option<f64>>, String>;

impl Probe {
    /// How many numbers the probe answers.
    pub fn width(&self) -> usize {
        match self {
            Probe::Value(_) => 1,
            Probe::Row { expressions, .. } => expressions.len(),
        }
    }

    /// The query, as SQLite runs it: one row of `width` columns.
    fn sqlite_sql(&self) -> String {
        match self {
            Probe::Value(sql) => sql.clone(),
            Probe::Row { table, expressions } => format!(
                "SELECT {} FROM {table}",
                expressions
                    .iter()
                    .map(|e| format!("CAST(({e}) AS DOUBLE PRECISION)"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    /// The query, as the PostgreSQL measuring functions take it: a number, or one array of numbers.
    fn postgres_sql(&self) -> String {
        match self {
            Probe::Value(sql) => sql.clone(),
            Probe::Row { table, expressions } => format!(
                "SELECT ARRAY[{}] FROM {table}",
                expressions
                    .iter()
                    .map(|e| format!("CAST(({e}) AS DOUBLE PRECISION)"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

/// The read role of a port's PostgreSQL schema.
pub fn read_role(schema: &str) -> String {
    format!("{schema}_read")
}

/// A failure as readers may see it: the SQLSTATE (or SQLite's error name) and the message with every
/// quoted part that `query` does not itself contain replaced by `…`. The full text is logged.
pub fn redact(code: &str, message: &str, query: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(start) = rest.find(['"', '\'']) {
        let quote_char = rest[start..].chars().next().unwrap_or('"');
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find(quote_char) {
            Some(end) => {
                let inner = &after[..end];
                out.push(quote_char);
                if inner.is_empty() || query.contains(inner) {
                    out.push_str(inner);
                } else {
                    out.push('…');
                }
                out.push(quote_char);
                rest = &after[end + 1..];
            }
            None => {
                // An unbalanced quote: whatever follows may be a value.
                out.push(quote_char);
                out.push('…');
                rest = "";
            }
        }
    }
    out.push_str(rest);
    if code.is_empty() {
        out
    } else {
        format!("SQLSTATE {code}: {out}")
    }
}

fn logged(code: &str, message: &str, query: &str, port: &str) -> String {
    tracing::warn!(port, sqlstate = code, message, query, "a sandboxed query failed");
    redact(code, message, query)
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL
// ---------------------------------------------------------------------------------------------

/// Makes sure `schema`'s sandbox exists: the read role, the platform's membership in it (so that it
/// may `SET ROLE` to it and hand it the function), and the function it owns. Idempotent; run by
/// `apply` and before every measure (ports built before the sandbox get it then).
pub async fn postgres_prepare(conn: &mut sqlx::PgConnection, schema: &str) -> Result<(), AdapterError> {
    let role = read_role(schema);
    let function = format!("{}.{}", quote(SANDBOX_SCHEMA), quote(schema));
    let ready = sqlx::query(
        "SELECT pg_has_role(current_user, r.oid, 'MEMBER') AS member, \
         (SELECT COUNT(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace \
          WHERE n.nspname = $1 AND p.proname = $2 AND p.proowner = r.oid AND p.prosecdef) = 2 AS defined \
         FROM pg_roles r WHERE r.rolname = $3",
    )
    .bind(SANDBOX_SCHEMA)
    .bind(schema)
    .bind(&role)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(row) = &ready
        && row.try_get::<bool, _>("member")?
        && row.try_get::<bool, _>("defined")?
    {
        return Ok(());
    }
    let mut tx = conn.begin().await?;
    // Runners preparing two ports at once would grant on `meshport_sandbox` at once, and PostgreSQL
    // refuses concurrent updates of one catalog row ("tuple concurrently updated"): one at a time in
    // this database (advisory locks are per database).
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(SANDBOX_LOCK)
        .execute(&mut *tx)
        .await?;
    // Two platforms (databases) of one cluster share roles; two runners may prepare at once.
    tx.execute(AssertSqlSafe(format!(
        "DO $$ BEGIN CREATE ROLE {} NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$",
        quote(&role)
    )))
    .await?;
    tx.execute(AssertSqlSafe(format!(
        "DO $$ BEGIN CREATE SCHEMA IF NOT EXISTS {s}; EXCEPTION WHEN duplicate_schema OR unique_violation THEN NULL; END $$",
        s = quote(SANDBOX_SCHEMA)
    )))
    .await?;
    let member: bool = sqlx::query("SELECT pg_has_role(current_user, $1, 'MEMBER') AS m")
        .bind(&role)
        .fetch_one(&mut *tx)
        .await?
        .try_get("m")?;
    if !member {
        tx.execute(AssertSqlSafe(format!("GRANT {} TO CURRENT_USER", quote(&role))))
            .await?;
    }
    tx.execute(AssertSqlSafe(format!(
        "GRANT USAGE, CREATE ON SCHEMA {} TO {}",
        quote(SANDBOX_SCHEMA),
        quote(&role)
    )))
    .await?;
    // Two functions of one name: a query's one number, and one pass's several numbers as an array
    // (`columns` of them, checked), so that a table is read once for all the counts it answers.
    tx.execute(AssertSqlSafe(format!(
        "CREATE OR REPLACE FUNCTION {function}(query text) RETURNS double precision \
         LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $meshport$ \
         DECLARE measured double precision; \
         BEGIN EXECUTE query INTO measured; RETURN measured; END $meshport$",
        schema = quote(schema)
    )))
    .await?;
    tx.execute(AssertSqlSafe(format!(
        "CREATE OR REPLACE FUNCTION {function}(query text, columns integer) RETURNS double precision[] \
         LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $meshport$ \
         DECLARE measured double precision[]; \
         BEGIN EXECUTE query INTO measured; \
         IF cardinality(measured) IS DISTINCT FROM columns THEN \
           RAISE EXCEPTION 'the query answered % values where % were asked', cardinality(measured), columns; \
         END IF; \
         RETURN measured; END $meshport$",
        schema = quote(schema)
    )))
    .await?;
    for arguments in ["text", "text, integer"] {
        tx.execute(AssertSqlSafe(format!(
            "REVOKE ALL ON FUNCTION {function}({arguments}) FROM PUBLIC"
        )))
        .await?;
        tx.execute(AssertSqlSafe(format!(
            "ALTER FUNCTION {function}({arguments}) OWNER TO {}",
            quote(&role)
        )))
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Drops `schema`'s measuring functions (the role goes with the port).
pub async fn postgres_forget(tx: &mut sqlx::PgConnection, schema: &str) -> Result<(), sqlx::Error> {
    for arguments in ["text", "text, integer"] {
        tx.execute(AssertSqlSafe(format!(
            "DROP FUNCTION IF EXISTS {}.{}({arguments})",
            quote(SANDBOX_SCHEMA),
            quote(schema)
        )))
        .await?;
    }
    Ok(())
}

/// Runs each probe in `schema`'s sandbox, on up to `connections` connections at once: each
/// connection takes the next probe not yet taken, in the order given, until none is left. Each
/// probe answers its numbers or its redacted message; a connection that fails ends the run (`Err`).
pub async fn postgres_probe(
    url: &str,
    schema: &str,
    probes: &[Probe],
    timeout: Duration,
    connections: usize,
) -> Result<Vec<Probed>, AdapterError> {
    let probes = Arc::new(probes.to_vec());
    let next = Arc::new(AtomicUsize::new(0));
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..connections.clamp(1, probes.len().max(1)) {
        let (url, schema, probes, next) = (url.to_owned(), schema.to_owned(), probes.clone(), next.clone());
        workers.spawn(async move { postgres_worker(&url, &schema, &probes, &next, timeout).await });
    }
    answers_gather(workers, probes.len(), "a measuring task").await
}

/// The answers of a probe run's workers, each the probes it took by index, in the probes' order; a
/// probe no worker answered is "not measured". `what` names a worker in the error of one that failed.
async fn answers_gather(
    mut workers: tokio::task::JoinSet<Result<Vec<(usize, Probed)>, AdapterError>>,
    count: usize,
    what: &str,
) -> Result<Vec<Probed>, AdapterError> {
    let mut answers: Vec<Option<Probed>> = vec![None; count];
    while let Some(joined) = workers.join_next().await {
        let done = joined.map_err(|e| AdapterError::Io(format!("{what}: {e}")))??;
        for (i, probed) in done {
            answers[i] = Some(probed);
        }
    }
    Ok(answers
        .into_iter()
        .map(|a| a.unwrap_or_else(|| Err("not measured".into())))
        .collect())
}

/// One connection's share of [`postgres_probe`]: the probes it took, by index, with their answers.
async fn postgres_worker(
    url: &str,
    schema: &str,
    probes: &[Probe],
    next: &AtomicUsize,
    timeout: Duration,
) -> Result<Vec<(usize, Probed)>, AdapterError> {
    let mut conn = sqlx::PgConnection::connect(url).await?;
    postgres_prepare(&mut conn, schema).await?;
    let pid: i32 = sqlx::query("SELECT pg_backend_pid() AS pid")
        .fetch_one(&mut conn)
        .await?
        .try_get("pid")?;
    let watchdog = Watchdog::start(url.to_owned(), pid, timeout + GRACE);
    let result = postgres_run(&mut conn, schema, probes, next, timeout, &watchdog).await;
    watchdog.stop();
    let answers = result?;
    conn.close().await?;
    Ok(answers)
}

async fn postgres_run(
    conn: &mut sqlx::PgConnection,
    schema: &str,
    probes: &[Probe],
    next: &AtomicUsize,
    timeout: Duration,
    watchdog: &Watchdog,
) -> Result<Vec<(usize, Probed)>, AdapterError> {
    let millis = timeout.as_millis().max(1);
    conn.execute("BEGIN READ ONLY").await?;
    conn.execute(AssertSqlSafe(format!(
        "SET LOCAL ROLE {}; SET LOCAL search_path TO {}; SET LOCAL statement_timeout = {millis}; \
         SET LOCAL lock_timeout = {millis}",
        quote(&read_role(schema)),
        quote(schema),
    )))
    .await?;
    let function = format!("{}.{}", quote(SANDBOX_SCHEMA), quote(schema));
    let value_call = format!("SELECT {function}($1) AS measured");
    let row_call = format!("SELECT {function}($1, $2) AS measured");
    let mut answers = Vec::new();
    loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some(probe) = probes.get(i) else { break };
        let sql = probe.postgres_sql();
        conn.execute("SAVEPOINT measure").await?;
        watchdog.arm();
        let measured = match probe {
            Probe::Value(_) => sqlx::query(AssertSqlSafe(value_call.clone()))
                .bind(&sql)
                .fetch_one(&mut *conn)
                .await
                .map(|row| row.try_get::<Option<f64>, _>("measured").map(|v| vec![v])),
            Probe::Row { .. } => sqlx::query(AssertSqlSafe(row_call.clone()))
                .bind(&sql)
                .bind(i32::try_from(probe.width()).unwrap_or(i32::MAX))
                .fetch_one(&mut *conn)
                .await
                .map(|row| {
                    row.try_get::<Option<Vec<Option<f64>>>, _>("measured")
                        .map(|v| v.unwrap_or_else(|| vec![None; probe.width()]))
                }),
        };
        watchdog.disarm();
        answers.push((
            i,
            match measured {
                Ok(decoded) => decoded.map_err(|e| logged("", &e.to_string(), &sql, schema)),
                Err(sqlx::Error::Database(e)) => Err(logged(
                    e.code().as_deref().unwrap_or_default(),
                    e.message(),
                    &sql,
                    schema,
                )),
                // The connection itself failed (e.g. its backend was terminated): the port's run ends.
                Err(other) => return Err(other.into()),
            },
        ));
        // Whatever the query set (a GUC, in a subtransaction) is undone with it.
        conn.execute("ROLLBACK TO SAVEPOINT measure").await?;
    }
    conn.execute("ROLLBACK").await?;
    Ok(answers)
}

/// Terminates a PostgreSQL backend whose armed query outlives `limit`: the statement timeout should
/// have stopped it first, so this is the net under it.
struct Watchdog {
    epoch: Instant,
    /// When the running query was armed, in ms since `epoch` (0: none running).
    armed_at: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl Watchdog {
    fn start(url: String, pid: i32, limit: Duration) -> Watchdog {
        let epoch = Instant::now();
        let armed_at = Arc::new(AtomicU64::new(0));
        let watched = armed_at.clone();
        let task = tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_millis(250)).await;
                let armed = watched.load(Ordering::Acquire);
                if armed == 0 {
                    continue;
                }
                let running = epoch.elapsed().saturating_sub(Duration::from_millis(armed));
                if running > limit {
                    tracing::error!(
                        pid,
                        "a sandboxed query outlived its time limit; terminating its backend"
                    );
                    if let Ok(mut conn) = sqlx::PgConnection::connect(&url).await {
                        let _ = sqlx::query("SELECT pg_terminate_backend($1)")
                            .bind(pid)
                            .execute(&mut conn)
                            .await;
                        let _ = conn.close().await;
                    }
                    return;
                }
            }
        });
        Watchdog {
            epoch,
            armed_at,
            task,
        }
    }

    fn arm(&self) {
        let at = self.epoch.elapsed().as_millis().max(1) as u64;
        self.armed_at.store(at, Ordering::Release);
    }

    fn disarm(&self) {
        self.armed_at.store(0, Ordering::Release);
    }

    fn stop(self) {
        self.task.abort();
    }
}

// ---------------------------------------------------------------------------------------------
// SQLite
// ---------------------------------------------------------------------------------------------

/// A read-only connection to one SQLite port file that can read its tables and nothing else.
struct SqliteSandbox {
    conn: rusqlite::Connection,
    deadline: Arc<AtomicU64>,
    epoch: Instant,
}

impl SqliteSandbox {
    fn open(path: &Path) -> Result<SqliteSandbox, AdapterError> {
        if !path.exists() {
            return Err(AdapterError::Io(format!(
                "the port's database {} is missing",
                path.display()
            )));
        }
        let fail = |e: rusqlite::Error| AdapterError::Io(format!("the port's sandbox: {e}"));
        // Read-only, no URI filenames, no shared cache.
        let conn = rusqlite::Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(fail)?;
        conn.set_limit(Limit::SQLITE_LIMIT_ATTACHED, 0).map_err(fail)?;
        conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)
            .map_err(fail)?;
        conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)
            .map_err(fail)?;
        conn.pragma_update(None, "query_only", true).map_err(fail)?;
        regexp_register(&conn).map_err(fail)?;
        conn.authorizer(Some(authorize)).map_err(fail)?;
        let deadline = Arc::new(AtomicU64::new(u64::MAX));
        let epoch = Instant::now();
        let watched = deadline.clone();
        conn.progress_handler(
            10_000,
            Some(move || epoch.elapsed().as_millis() as u64 > watched.load(Ordering::Relaxed)),
        )
        .map_err(fail)?;
        Ok(SqliteSandbox {
            conn,
            deadline,
            epoch,
        })
    }

    fn limit(&self, timeout: Duration) {
        let at = self.epoch.elapsed() + timeout;
        self.deadline.store(at.as_millis() as u64, Ordering::Relaxed);
    }

    fn measure(&self, probe: &Probe, timeout: Duration, port: &str) -> Probed {
        self.limit(timeout);
        let sql = probe.sqlite_sql();
        let width = probe.width();
        let answer = self.conn.prepare(&sql).and_then(|mut statement| {
            statement.query_row([], |row| {
                (0..width)
                    .map(|i| row.get::<_, Option<f64>>(i))
                    .collect::<rusqlite::Result<Vec<_>>>()
            })
        });
        match answer {
            Ok(values) => Ok(values),
            Err(rusqlite::Error::QueryReturnedNoRows) => Ok(vec![None; width]),
            Err(e) => Err(sqlite_failure(&e, &sql, port, timeout)),
        }
    }
}

fn sqlite_failure(error: &rusqlite::Error, sql: &str, port: &str, timeout: Duration) -> String {
    match error {
        rusqlite::Error::SqliteFailure(e, message) => {
            if e.code == rusqlite::ErrorCode::OperationInterrupted {
                return format!(
                    "SQLSTATE SQLITE_INTERRUPT: the query ran longer than its limit of {} s and was interrupted",
                    timeout.as_secs_f64()
                );
            }
            let code = match e.code {
                rusqlite::ErrorCode::AuthorizationForStatementDenied => "SQLITE_AUTH",
                rusqlite::ErrorCode::ReadOnly => "SQLITE_READONLY",
                rusqlite::ErrorCode::ApiMisuse => "SQLITE_MISUSE",
                _ => "SQLITE_ERROR",
            };
            let text = message.clone().unwrap_or_else(|| e.to_string());
            logged(code, &text, sql, port)
        }
        rusqlite::Error::MultipleStatement => {
            "SQLSTATE SQLITE_MISUSE: a quality query is one statement; remove everything after its first `;`"
                .into()
        }
        other => logged("SQLITE_ERROR", &other.to_string(), sql, port),
    }
}

/// Reading is all a sandboxed statement may do.
fn authorize(context: AuthContext<'_>) -> Authorization {
    match context.action {
        AuthAction::Select | AuthAction::Read { .. } | AuthAction::Recursive => Authorization::Allow,
        // `pragma_table_info(…)` reads a table's columns, as the schema checks do: reading only.
        AuthAction::Pragma { pragma_name, .. } if pragma_name.eq_ignore_ascii_case("table_info") => {
            Authorization::Allow
        }
        AuthAction::Function { function_name } => {
            let name = function_name.to_ascii_lowercase();
            if matches!(
                name.as_str(),
                "load_extension" | "readfile" | "writefile" | "edit" | "fts3_tokenizer"
            ) {
                Authorization::Deny
            } else {
                Authorization::Allow
            }
        }
        _ => Authorization::Deny,
    }
}

/// `x REGEXP p`: whether `x` matches the regular expression `p` (NULL if either is NULL).
fn regexp_register(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    use rusqlite::functions::FunctionFlags;
    conn.create_scalar_function(
        "regexp",
        2,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let pattern: Option<String> = ctx.get(0)?;
            let text: Option<String> = ctx.get(1)?;
            let (Some(_), Some(text)) = (pattern, text) else {
                return Ok(None);
            };
            let regex: Arc<regex::Regex> = ctx.get_or_create_aux(0, |value| {
                regex::Regex::new(value.as_str()?).map_err(|e| {
                    rusqlite::Error::UserFunctionError(Box::new(e)) // the pattern names the fix
                })
            })?;
            Ok(Some(regex.is_match(&text)))
        },
    )
}

/// Runs each probe in a sandbox on the SQLite port file at `path`, on up to `connections` blocking
/// threads at once, each with its own read-only connection taking the next probe not yet taken.
pub async fn sqlite_probe(
    path: PathBuf,
    probes: Vec<Probe>,
    timeout: Duration,
    connections: usize,
) -> Result<Vec<Probed>, AdapterError> {
    let probes = Arc::new(probes);
    let next = Arc::new(AtomicUsize::new(0));
    let path = Arc::new(path);
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..connections.clamp(1, probes.len().max(1)) {
        let (path, probes, next) = (path.clone(), probes.clone(), next.clone());
        workers.spawn_blocking(move || -> Result<Vec<(usize, Probed)>, AdapterError> {
            let port = path.display().to_string();
            let sandbox = SqliteSandbox::open(&path)?;
            let mut answers = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(probe) = probes.get(i) else { break };
                answers.push((i, sandbox.measure(probe, timeout, &port)));
            }
            Ok(answers)
        });
    }
    answers_gather(workers, probes.len(), "the sandbox's thread").await
}

/// A page of a SQLite port table's rows after `after` (a rowid), with `filters` (column, value)
/// compared for equality, read in the sandbox. Returns the column names and the rows, each with its
/// rowid.
pub async fn sqlite_rows(
    path: PathBuf,
    table: String,
    filters: Vec<(String, String)>,
    after: i64,
    limit: i64,
    timeout: Duration,
) -> Result<(Vec<String>, Vec<(i64, Vec<Value>)>), AdapterError> {
    tokio::task::spawn_blocking(move || {
        let sandbox = SqliteSandbox::open(&path)?;
        sandbox.limit(timeout);
        let mut sql = format!(
            "SELECT rowid AS \"__rowid\", * FROM {} WHERE rowid > ?",
            quote(&table)
        );
        for (column, _) in &filters {
            sql.push_str(&format!(" AND {} = ?", quote(column)));
        }
        sql.push_str(" ORDER BY rowid LIMIT ?");
        let port = path.display().to_string();
        let fail = |e: rusqlite::Error| AdapterError::Contract(sqlite_failure(&e, &sql, &port, timeout));
        let mut statement = sandbox.conn.prepare(&sql).map_err(fail)?;
        let columns: Vec<String> = statement
            .column_names()
            .iter()
            .skip(1)
            .map(|c| (*c).to_owned())
            .collect();
        let mut params: Vec<rusqlite::types::Value> = vec![after.into()];
        params.extend(filters.iter().map(|(_, v)| v.clone().into()));
        params.push(limit.into());
        let mut rows = statement
            .query(rusqlite::params_from_iter(params))
            .map_err(fail)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(fail)? {
            let rowid: i64 = row.get(0).map_err(fail)?;
            let mut values = Vec::with_capacity(columns.len());
            for i in 1..=columns.len() {
                use rusqlite::types::ValueRef;
                values.push(match row.get_ref(i).map_err(fail)? {
                    ValueRef::Null => Value::Null,
                    ValueRef::Integer(n) => json!(n),
                    ValueRef::Real(x) => json!(x),
                    ValueRef::Text(t) => json!(String::from_utf8_lossy(t)),
                    ValueRef::Blob(b) => json!(format!("<{} bytes>", b.len())),
                });
            }
            out.push((rowid, values));
        }
        Ok((columns, out))
    })
    .await
    .map_err(|e| AdapterError::Io(format!("the sandbox's thread: {e}")))?
}

/// A SQL identifier, quoted.
pub fn quote(identifier: &str) -> String {
    format!("\"{}\"", identifier.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_values_are_redacted_unless_the_query_names_them() {
        let query = "SELECT CAST(channel AS integer) FROM \"order_lines\"";
        assert_eq!(
            redact("22P02", "invalid input syntax for type integer: \"kiosk\"", query),
            "SQLSTATE 22P02: invalid input syntax for type integer: \"…\""
        );
        assert_eq!(
            redact("42P01", "relation \"order_lines\" does not exist", query),
            "SQLSTATE 42P01: relation \"order_lines\" does not exist"
        );
        assert_eq!(
            redact("", "bad 'secret' and \"unterminated", query),
            "bad '…' and \"…"
        );
    }

    fn port_file(dir: &Path, name: &str, rows: &[(&str, i64)]) -> PathBuf {
        let path = dir.join(name);
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE t (name TEXT, n INTEGER)")
            .unwrap();
        for (name, n) in rows {
            conn.execute("INSERT INTO t VALUES (?1, ?2)", rusqlite::params![name, n])
                .unwrap();
        }
        path
    }

    #[tokio::test]
    async fn a_sqlite_sandbox_reads_its_port_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let port = port_file(dir.path(), "port.sqlite", &[("a", 1), ("b", 2)]);
        let other = port_file(dir.path(), "other.sqlite", &[("secret", 42)]);
        let other = other.display().to_string();
        let queries = vec![
            "SELECT SUM(n) FROM t".to_owned(),
            format!("ATTACH DATABASE '{other}' AS o"),
            format!("SELECT 1; ATTACH DATABASE '{other}' AS o"),
            "SELECT COUNT(*) FROM t WHERE name REGEXP '^a'".to_owned(),
            "DELETE FROM t".to_owned(),
            "SELECT load_extension('/tmp/nothing')".to_owned(),
            "PRAGMA writable_schema = 1".to_owned(),
            "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT COUNT(*) FROM r"
                .to_owned(),
            "SELECT COUNT(*) FROM t".to_owned(),
        ];
        let started = Instant::now();
        let probes = queries.into_iter().map(Probe::Value).collect();
        let values: Vec<Measured> = sqlite_probe(port.clone(), probes, Duration::from_millis(300), 1)
            .await
            .unwrap()
            .into_iter()
            .map(|p| p.map(|v| v[0]))
            .collect();
        assert_eq!(values[0], Ok(Some(3.0)));
        for (i, what) in [
            (1, "ATTACH"),
            (2, "a second statement"),
            (4, "a write"),
            (5, "load_extension"),
            (6, "PRAGMA"),
        ] {
            assert!(values[i].is_err(), "{what} is refused: {:?}", values[i]);
            assert!(
                !values[i].as_ref().unwrap_err().contains("42"),
                "no value of the other port: {:?}",
                values[i]
            );
        }
        assert_eq!(values[3], Ok(Some(1.0)), "REGEXP works in the sandbox");
        let runaway = values[7].as_ref().unwrap_err();
        assert!(runaway.contains("SQLITE_INTERRUPT"), "{runaway}");
        assert_eq!(values[8], Ok(Some(2.0)), "the sandbox keeps serving");
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the runaway query was interrupted at its limit: {:?}",
            started.elapsed()
        );
        let (columns, rows) = sqlite_rows(
            port,
            "t".into(),
            vec![("name".into(), "b".into())],
            0,
            10,
            Duration::from_secs(5),
        )
        .await
        .unwrap();
        assert_eq!(columns, ["name", "n"]);
        assert_eq!(rows, vec![(2, vec![json!("b"), json!(2)])]);
    }

    #[tokio::test]
    async fn one_pass_answers_every_expression_and_several_threads_answer_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let port = port_file(dir.path(), "port.sqlite", &[("a", 1), ("b", 2), ("c", 3)]);
        let row = |expressions: &[&str]| Probe::Row {
            table: quote("t"),
            expressions: expressions.iter().map(|e| (*e).to_owned()).collect(),
        };
        let probes = vec![
            row(&["COUNT(*)", "COUNT(CASE WHEN n > 1 THEN 1 END)", "MAX(n)"]),
            Probe::Value("SELECT SUM(n) FROM t".into()),
            row(&["COUNT(*)", "COUNT(CASE WHEN nope > 1 THEN 1 END)"]),
            row(&["COUNT(*)", "(SELECT COUNT(*) FROM sqlite_master WHERE 1 = 0)"]),
            Probe::Value("SELECT MIN(n) FROM t".into()),
        ];
        for connections in [1, 2, 4] {
            let answers = sqlite_probe(port.clone(), probes.clone(), Duration::from_secs(5), connections)
                .await
                .unwrap();
            assert_eq!(
                answers[0],
                Ok(vec![Some(3.0), Some(2.0), Some(3.0)]),
                "{connections}"
            );
            assert_eq!(answers[1], Ok(vec![Some(6.0)]));
            let missing = answers[2].as_ref().unwrap_err();
            assert!(missing.contains("no such column"), "{missing}");
            assert_eq!(answers[3], Ok(vec![Some(3.0), Some(0.0)]));
            assert_eq!(answers[4], Ok(vec![Some(1.0)]));
        }
        // A pass is a read like any other: a write hidden in an expression is refused.
        let write = vec![row(&["COUNT(*)", "(SELECT 1 FROM t); DELETE FROM t"])];
        let answers = sqlite_probe(port.clone(), write, Duration::from_secs(5), 1)
            .await
            .unwrap();
        assert!(answers[0].is_err(), "{answers:?}");
        let answers = sqlite_probe(
            port,
            vec![Probe::Value("SELECT COUNT(*) FROM t".into())],
            Duration::from_secs(5),
            2,
        )
        .await
        .unwrap();
        assert_eq!(answers, vec![Ok(vec![Some(3.0)])], "the rows are all still there");
    }
}
