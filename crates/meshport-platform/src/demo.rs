//! The demo mesh `serve --demo` starts with: a retail enterprise's five domains (Customer, Inventory,
//! Orders, Marketing, Finance), its governance (the demo packs), its users, and two products
//! provisioned for real through the job runner, their SQL ports filled with generated rows.
//!
//! Demo users, named so that scripts and docs can rely on them: `ada` (admin), `owen` (owner of
//! orders and customer), `mia` (owner of marketing), `fin` (owner of finance and inventory), `sam`
//! (steward of every domain), `cora` (consumer of every domain).

use std::time::Duration;

use meshport_model::platform::JobState;
use serde_json::Value;
use sqlx::Row;

use crate::adapters::sql::{SqlTarget, quote, tables_plan};
use crate::services::auth::{Caller, Grant, user_upsert};
use crate::services::catalog;
use crate::services::{jobs, packs};
use crate::state::AppState;
use crate::store::{Store, now_ms};

/// The demo users and their grants.
pub const USERS: &[(&str, &[&str])] = &[
    ("ada", &["admin", "consumer:*"]),
    ("owen", &["owner:orders", "owner:customer", "consumer:*"]),
    ("mia", &["owner:marketing", "consumer:*"]),
    ("fin", &["owner:finance", "owner:inventory", "consumer:*"]),
    ("sam", &["steward:*", "consumer:*"]),
    ("cora", &["consumer:*"]),
];

const CATALOG: &str = include_str!("../demo/retail-mesh.odps.yaml");
const REQUESTS: &[(&str, &str)] = &[
    ("owen", include_str!("../demo/orders-request.yaml")),
    ("owen", include_str!("../demo/customer-request.yaml")),
];
/// Rows generated into each table of the demo's SQL ports.
pub const DEMO_ROWS: usize = 5_000;

fn grants(list: &[&str]) -> Vec<Grant> {
    list.iter().filter_map(|g| Grant::parse(g)).collect()
}

fn yaml(text: &str) -> Vec<Value> {
    meshport_governance::document::parse(text)
        .map(|docs| docs.into_iter().map(|d| d.value).collect())
        .unwrap_or_default()
}

/// Whether the demo mesh is seeded in `store` (its catalog and provisioned products; governance and
/// users are brought up to date at every start).
pub async fn demo_seeded(store: &Store) -> Result<bool, sqlx::Error> {
    let row = sqlx::query("SELECT value FROM settings WHERE name = 'demo_seeded'")
        .fetch_optional(store.pool())
        .await?;
    Ok(row.is_some())
}

/// Seeds the demo mesh once (later starts find it there): its governance and users, its catalog, and
/// its two provisioned products with their data.
pub async fn demo_seed(state: &AppState) -> Result<(), String> {
    governance_seed(state).await?;
    let store = state.store();
    if demo_seeded(store).await.map_err(|e| e.to_string())? {
        return Ok(());
    }
    let seeded_at = now_ms();
    let products: Vec<Value> = yaml(CATALOG)
        .into_iter()
        .flat_map(|doc| match doc {
            Value::Array(items) => items,
            other => vec![other],
        })
        .collect();
    catalog::products_import(store, &products, products.len().max(1))
        .await
        .map_err(|e| e.to_string())?;
    for (owner, text) in REQUESTS {
        let request = yaml(text)
            .into_iter()
            .next()
            .ok_or("a demo request does not parse")?;
        let caller = demo_caller(owner);
        let body = serde_json::to_vec(&request).map_err(|e| e.to_string())?;
        let key = format!(
            "demo-seed-{}",
            request
                .pointer("/product/id")
                .and_then(Value::as_str)
                .unwrap_or_default()
        );
        let answer = jobs::submit(state, &caller, Some(&key), &body)
            .await
            .map_err(|e| format!("demo request refused: {e}: {:?}", e.problem().findings))?;
        let id = answer
            .job
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let job = job_wait(state, &id).await?;
        if job != JobState::Succeeded {
            return Err(format!("demo request {id} ended {job}"));
        }
        history_generate(state, &request, seeded_at).await?;
    }
    access_seed(state).await?;
    sqlx::query("INSERT INTO settings (name, value) VALUES ('demo_seeded', $1)")
        .bind(crate::store::rfc3339(now_ms()))
        .execute(store.writer())
        .await
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// The demo users (ensured at every start) and, the first time, the demo packs published by `ada`.
pub async fn governance_seed(state: &AppState) -> Result<(), String> {
    let store = state.store();
    for (user, list) in USERS {
        user_upsert(store, user, &grants(list))
            .await
            .map_err(|e| e.to_string())?;
    }
    let mut tx = store.write().await.map_err(|e| e.to_string())?;
    for pack in meshport_governance::packs::shipped() {
        let present = sqlx::query("SELECT name FROM policy_packs WHERE name = $1")
            .bind(&pack.name)
            .fetch_optional(&mut *tx)
            .await
            .map_err(|e| e.to_string())?
            .is_some();
        if present {
            continue;
        }
        let mut published = packs::pack_from_governance(&pack);
        published.published_by = Some("ada".into());
        published.published_at = Some(crate::store::rfc3339(now_ms()));
        catalog::pack_publish(&mut tx, &published)
            .await
            .map_err(|e| e.to_string())?;
    }
    tx.commit().await.map_err(|e| e.to_string())
}

/// A demo user as a caller, for seeding in process.
pub fn demo_caller(user: &str) -> Caller {
    Caller {
        user: user.to_owned(),
        grants: grants(
            USERS
                .iter()
                .find(|(u, _)| *u == user)
                .map(|(_, g)| *g)
                .unwrap_or(&[]),
        ),
        request_id: "demo-seed".into(),
    }
}

/// The demo provisioning requests, as documents (owner, request).
pub fn demo_requests() -> Vec<(&'static str, Value)> {
    REQUESTS
        .iter()
        .filter_map(|(owner, text)| Some((*owner, yaml(text).into_iter().next()?)))
        .collect()
}

/// Waits for a job to end (the runners must be running).
pub async fn job_wait(state: &AppState, id: &str) -> Result<JobState, String> {
    for _ in 0..600 {
        let job = jobs::job_get(state, id).await.map_err(|e| e.to_string())?;
        if job.state.is_finished() {
            return Ok(job.state);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Err(format!("job {id} did not finish within 30 s"))
}

/// Days of history the demo's data and quality runs span, one batch of rows and one run a day.
pub const DEMO_DAYS: i64 = 14;
/// Rows each day after the first (which loads the backlog, so that the table has `DEMO_ROWS`).
const DAILY_ROWS: usize = 154;
/// From this day of the history on, a new kiosk channel sends order lines the contract does not list:
/// the `invalidValues` check of `channel` starts failing, and its incident opens.
pub const DRIFT_FROM_DAY: i64 = 10;
const DAY_MS: i64 = 24 * 3600 * 1000;

/// The product's rows, loaded a day at a time over `DEMO_DAYS` days up to `now`, and after each day's
/// load its quality checks run for real on what the tables then held, timed at that day: the history
/// of the trend charts.
async fn history_generate(state: &AppState, request: &Value, now: i64) -> Result<(), String> {
    let product_id = request
        .pointer("/product/id")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let mut first = 0;
    for day in 0..DEMO_DAYS {
        let at = now - (DEMO_DAYS - 1 - day) * DAY_MS;
        let rows = if day == 0 {
            DEMO_ROWS - (DEMO_DAYS as usize - 1) * DAILY_ROWS
        } else {
            DAILY_ROWS
        };
        rows_generate(state, request, first..first + rows, at, day >= DRIFT_FROM_DAY).await?;
        first += rows;
        let plan = crate::services::quality::plan(state, product_id)
            .await
            .map_err(|e| e.to_string())?;
        crate::services::quality::run(state, &plan, None, "seed", "platform", Some(at))
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// The demo's pending access request: `cora` asks for the Order Lines product's order lines.
async fn access_seed(state: &AppState) -> Result<(), String> {
    let body = crate::services::access::NewAccessRequest {
        product_id: "3f1c2a9e-6b7d-4e21-9a53-0c8f4d2b7e61".into(),
        output_port: "order-lines".into(),
        purpose: "Weekly demand forecast for the supply chain team".into(),
        until: None,
    };
    crate::services::access::create(state, &demo_caller("cora"), body, None)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Fills the SQL ports of a provisioned demo request with rows `rows` of its generated data, loaded
/// at `at`; `drift` lets the kiosk channel in.
async fn rows_generate(
    state: &AppState,
    request: &Value,
    rows: std::ops::Range<usize>,
    at: i64,
    drift: bool,
) -> Result<(), String> {
    let product_id = request
        .pointer("/product/id")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let resources = sqlx::query("SELECT port, location FROM port_resources WHERE product_id = $1")
        .bind(product_id)
        .fetch_all(state.store().pool())
        .await
        .map_err(|e| e.to_string())?;
    for resource in resources {
        let port: String = resource.try_get("port").map_err(|e| e.to_string())?;
        let location: String = resource.try_get("location").map_err(|e| e.to_string())?;
        let contract = request
            .pointer("/product/outputPorts")
            .and_then(Value::as_array)
            .and_then(|ports| {
                ports
                    .iter()
                    .find(|p| p.get("name").and_then(Value::as_str) == Some(&port))
            })
            .and_then(|p| p.get("contractId"))
            .and_then(|id| {
                request
                    .get("contracts")?
                    .as_array()?
                    .iter()
                    .find(|c| c.get("id") == Some(id))
            })
            .ok_or_else(|| format!("no contract for port {port}"))?;
        let examples = examples_of(contract);
        let postgres = matches!(state.adapter().target(), SqlTarget::Postgres { .. });
        let tables = tables_plan(contract, postgres).map_err(|e| e.to_string())?;
        let statements: Vec<String> = tables
            .iter()
            .map(|table| {
                let name = if postgres {
                    format!("{}.{}", quote(&location), quote(&table.name))
                } else {
                    quote(&table.name)
                };
                let columns: Vec<String> = table.columns.iter().map(|c| quote(&c.0)).collect();
                let values: Vec<String> = rows
                    .clone()
                    .map(|n| {
                        let row: Vec<String> = table
                            .columns
                            .iter()
                            .map(|(column, sql_type, _)| {
                                let listed = examples.get(column.as_str()).map(Vec::as_slice).unwrap_or(&[]);
                                value(column, sql_type, n, at, listed, drift)
                            })
                            .collect();
                        format!("({})", row.join(", "))
                    })
                    .collect();
                format!(
                    "INSERT INTO {name} ({}) VALUES {}",
                    columns.join(", "),
                    values.join(", ")
                )
            })
            .collect();
        state
            .adapter()
            .port_execute(&location, &statements)
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// The `examples` of each string property of a contract, by column.
fn examples_of(contract: &Value) -> std::collections::HashMap<String, Vec<String>> {
    let mut out = std::collections::HashMap::new();
    for object in contract
        .get("schema")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        for property in object
            .get("properties")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let column = property
                .get("physicalName")
                .or_else(|| property.get("name"))
                .and_then(Value::as_str)
                .unwrap_or_default();
            let listed: Vec<String> = property
                .get("examples")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|e| e.as_str().map(str::to_owned))
                .collect();
            if !listed.is_empty() {
                out.insert(column.to_owned(), listed);
            }
        }
    }
    out
}

/// A plausible SQL literal for row `n` of a column, loaded at `at`: dates fall on the load's day (the
/// first load's backlog spreads over the year before), a column with `examples` takes one of them
/// (or, with `drift`, every third row `kiosk`, a channel the contract does not list).
fn value(column: &str, sql_type: &str, n: usize, at: i64, examples: &[String], drift: bool) -> String {
    let t = sql_type.to_lowercase();
    let stamp = jiff::Timestamp::from_millisecond(at).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    if !examples.is_empty() {
        if drift && n.is_multiple_of(3) {
            return "'kiosk'".into();
        }
        return format!("'{}'", examples[n % examples.len()].replace('\'', "''"));
    }
    if column.ends_with("_id") || t == "uuid" {
        format!("'{:08x}-0000-4000-8000-{:012x}'", n as u32, n)
    } else if t.starts_with("int") || t.starts_with("bigint") || t.starts_with("smallint") {
        (1 + n % 50).to_string()
    } else if t.starts_with("real")
        || t.starts_with("numeric")
        || t.starts_with("decimal")
        || t.starts_with("double")
    {
        format!("{}.{:02}", 1 + n % 500, n % 100)
    } else if t.starts_with("bool") {
        if n.is_multiple_of(2) {
            "TRUE".into()
        } else {
            "FALSE".into()
        }
    } else if t == "date" || column.ends_with("_date") {
        // The load's day; a backlog row up to a year earlier.
        let back = if n < DEMO_ROWS - (DEMO_DAYS as usize - 1) * DAILY_ROWS {
            (n % 365) as i64
        } else {
            0
        };
        let day = stamp
            .checked_sub(jiff::SignedDuration::from_hours(24 * back))
            .unwrap_or(stamp);
        format!("'{}'", day.strftime("%Y-%m-%d"))
    } else if t.starts_with("timestamp") || column.ends_with("_at") || column.ends_with("_ts") {
        format!("'{}'", stamp.strftime("%Y-%m-%dT%H:%M:%SZ"))
    } else if t.starts_with("varchar(") || t.starts_with("char") {
        let width: usize = t
            .trim_start_matches(|c: char| !c.is_ascii_digit())
            .trim_end_matches(')')
            .split(',')
            .next()
            .and_then(|w| w.parse().ok())
            .unwrap_or(20);
        let mut text = format!("{}-{n}", column.split('_').next().unwrap_or("v"));
        text.truncate(width.max(1));
        format!("'{text}'")
    } else {
        format!("'{column} {n}'")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_values_fit_their_types() {
        // 2026-03-01T12:00:00Z.
        let at = 1_772_366_400_000;
        assert_eq!(value("sku", "varchar(5)", 123, at, &[], false), "'sku-1'");
        assert_eq!(value("quantity", "int", 3, at, &[], false), "4");
        assert_eq!(
            value("order_date", "date", DEMO_ROWS - 1, at, &[], false),
            "'2026-03-01'"
        );
        assert_eq!(value("order_date", "date", 40, at, &[], false), "'2026-01-20'");
        assert_eq!(
            value("loaded_at", "timestamptz", 1, at, &[], false),
            "'2026-03-01T12:00:00Z'"
        );
        let channels = ["store".to_owned(), "web".to_owned()];
        assert_eq!(value("channel", "varchar(10)", 3, at, &channels, false), "'web'");
        assert_eq!(value("channel", "varchar(10)", 3, at, &channels, true), "'kiosk'");
    }

    #[test]
    fn every_demo_user_has_a_role() {
        for (user, list) in USERS {
            assert!(!grants(list).is_empty(), "{user}");
        }
    }
}
