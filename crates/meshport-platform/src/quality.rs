//! Quality checks executed on the data: the ODCS quality rules of each provisioned port's contract,
//! compiled to SQL and run against the port's real tables (SQLite or PostgreSQL), every result kept;
//! the report (latest per check, history, SLOs) and the schedule.
//!
//! Library metrics (`rowCount`, `nullValues`, `missingValues`, `invalidValues`, `duplicateValues`) and
//! `sql` rules are executed; `text` rules and `custom` engines are listed as not executable. Every
//! measurement is one query returning one number, compared with the rule's operator. A query that
//! fails is a result with status `error` and the database's message.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use meshport_model::contract::{QualityMetric, QualityRule, QualityType};
use meshport_model::platform::ChangeEntity;
use meshport_model::trust::{
    CheckStatus, NotExecutable, QualityCheck, QualityHistory, QualityPoint, QualityReport, QualityResult,
    QualityRun, QualitySummary, SloReport, SloStatus,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::Row;

use crate::adapter::{SqlTarget, quote};
use crate::auth::{Caller, Role};
use crate::catalog::{self, Audit, Tx};
use crate::problem::ApiError;
use crate::store::{now_ms, rfc3339};
use crate::{AppState, incidents};

/// How long one check's query may run, unless the platform's configuration says otherwise.
pub const QUERY_TIMEOUT: Duration = Duration::from_secs(120);
/// The window of the pass-rate SLO.
pub const PASS_RATE_WINDOW_MS: i64 = 7 * 24 * 3600 * 1000;
/// The pass-rate target when the contract names none (`slaProperties` `passRate`).
pub const PASS_RATE_TARGET: f64 = 95.0;

/// A rule ready to run: its description and its query.
#[derive(Debug, Clone)]
pub struct Executable {
    pub check: QualityCheck,
    pub sql: String,
    rule: QualityRule,
    location: String,
}

/// What a run measures for an SLO, kept with the run.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Measure {
    pub slo: String,
    pub port: String,
    pub property: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub element: Option<String>,
    pub target: f64,
    pub unit: String,
    /// Freshness: the newest value's Unix time in seconds; completeness: the percent filled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measured: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip)]
    sql: Option<String>,
    #[serde(skip)]
    location: String,
}

/// A product's rules, as its provisioned ports' contracts state them.
#[derive(Debug, Default)]
pub struct Plan {
    pub product_id: String,
    pub product_name: String,
    pub domain: String,
    pub executable: Vec<Executable>,
    pub not_executable: Vec<NotExecutable>,
    pub measures: Vec<Measure>,
    /// The pass-rate target per port.
    pub pass_rate_targets: BTreeMap<String, f64>,
}

/// Reads a product's provisioned ports and their contracts into the checks to run. 404 for an unknown
/// product, 409 for one without a provisioned port.
pub async fn plan(state: &AppState, product_id: &str) -> Result<Plan, ApiError> {
    let store = state.store();
    let product = catalog::product_get(store, product_id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no product `{product_id}` in the catalog")))?;
    let resources =
        sqlx::query("SELECT port, location FROM port_resources WHERE product_id = $1 ORDER BY port")
            .bind(product_id)
            .fetch_all(store.pool())
            .await?;
    let mut locations = BTreeMap::new();
    for row in &resources {
        locations.insert(
            row.try_get::<String, _>("port")?,
            row.try_get::<String, _>("location")?,
        );
    }
    let text = |key: &str| {
        product
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let mut plan = Plan {
        product_id: product_id.to_owned(),
        product_name: text("name"),
        domain: text("domain"),
        ..Plan::default()
    };
    if locations.is_empty() {
        return Err(ApiError::conflict(
            "not-provisioned",
            "Nothing to measure",
            format!(
                "product `{product_id}` has no output port the platform provisioned, so its checks have no data to \
                 run on; submit a provisioning request for it first"
            ),
        ));
    }
    let postgres = matches!(state.adapter().target(), SqlTarget::Postgres { .. });
    let ports = product
        .get("outputPorts")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for port in &ports {
        let name = port.get("name").and_then(Value::as_str).unwrap_or_default();
        let Some(location) = locations.get(name) else {
            continue;
        };
        let Some(contract_id) = port.get("contractId").and_then(Value::as_str) else {
            continue;
        };
        let Some(contract) = catalog::contract_get(store, contract_id).await? else {
            continue;
        };
        port_plan(&mut plan, name, location, &contract, postgres);
    }
    Ok(plan)
}

fn identifier(item: &Value) -> &str {
    item.get("physicalName")
        .or_else(|| item.get("name"))
        .and_then(Value::as_str)
        .unwrap_or_default()
}

fn port_plan(plan: &mut Plan, port: &str, location: &str, contract: &Value, postgres: bool) {
    let objects = contract
        .get("schema")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for object in &objects {
        let object_name = object.get("name").and_then(Value::as_str).unwrap_or_default();
        let table = identifier(object);
        let rules = object
            .get("quality")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for (index, rule) in rules.iter().enumerate() {
            rule_plan(
                plan,
                port,
                location,
                object_name,
                table,
                None,
                index,
                rule,
                postgres,
            );
        }
        for property in object
            .get("properties")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let name = property.get("name").and_then(Value::as_str).unwrap_or_default();
            let column = identifier(property);
            let rules = property
                .get("quality")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            for (index, rule) in rules.iter().enumerate() {
                rule_plan(
                    plan,
                    port,
                    location,
                    object_name,
                    table,
                    Some((name, column)),
                    index,
                    rule,
                    postgres,
                );
            }
        }
    }
    for sla in contract
        .get("slaProperties")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(measure) = sla_measure(port, location, sla, &objects, postgres) {
            plan.measures.push(measure);
        }
        let property = sla.get("property").and_then(Value::as_str).unwrap_or_default();
        if property.eq_ignore_ascii_case("passRate")
            && let Some(target) = sla.get("value").and_then(Value::as_f64)
        {
            plan.pass_rate_targets.insert(port.to_owned(), target);
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn rule_plan(
    plan: &mut Plan,
    port: &str,
    location: &str,
    object: &str,
    table: &str,
    property: Option<(&str, &str)>,
    index: usize,
    rule: &Value,
    postgres: bool,
) {
    let key = rule
        .get("id")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| index.to_string());
    let check = match property {
        Some((name, _)) => format!("{port}:{object}.{name}:{key}"),
        None => format!("{port}:{object}:{key}"),
    };
    let description = ["name", "description"]
        .iter()
        .find_map(|k| rule.get(*k).and_then(Value::as_str))
        .map(str::to_owned);
    let kind = rule
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("library")
        .to_owned();
    let not_executable = |reason: String| NotExecutable {
        check: check.clone(),
        port: port.to_owned(),
        object: object.to_owned(),
        property: property.map(|p| p.0.to_owned()),
        index,
        kind: kind.clone(),
        description: description.clone(),
        reason,
    };
    let parsed: QualityRule = match serde_json::from_value(rule.clone()) {
        Ok(parsed) => parsed,
        Err(e) => {
            plan.not_executable
                .push(not_executable(format!("the rule does not fit ODCS v3.1: {e}")));
            return;
        }
    };
    let metric = metric_of(&parsed);
    match parsed.kind.unwrap_or_default() {
        QualityType::Text => {
            plan.not_executable.push(not_executable(
                "not executable: a `text` rule describes quality for people".into(),
            ));
            return;
        }
        QualityType::Custom => {
            plan.not_executable.push(not_executable(format!(
                "not executable: engine `{}` is not installed on this platform (it runs `library` and `sql` rules)",
                parsed.engine.as_deref().unwrap_or("unnamed")
            )));
            return;
        }
        QualityType::Library if metric.is_none() => {
            plan.not_executable.push(not_executable(format!(
                "not executable: `{}` is not a metric this platform knows; use rowCount, nullValues, missingValues, \
                 invalidValues or duplicateValues",
                parsed.rule.as_deref().unwrap_or("(no metric)")
            )));
            return;
        }
        _ => {}
    }
    let threshold = match threshold_text(&parsed) {
        Ok(text) => text,
        Err(reason) => {
            plan.not_executable.push(not_executable(reason));
            return;
        }
    };
    let percent = parsed
        .unit
        .as_deref()
        .is_some_and(|u| u.eq_ignore_ascii_case("percent"));
    let schema = if postgres { location } else { "main" };
    let sql = match rule_sql(
        &parsed,
        metric,
        schema,
        table,
        property.map(|p| p.1),
        percent,
        postgres,
    ) {
        Ok(sql) => sql,
        Err(reason) => {
            plan.not_executable.push(not_executable(reason));
            return;
        }
    };
    plan.executable.push(Executable {
        check: QualityCheck {
            check,
            port: port.to_owned(),
            object: object.to_owned(),
            property: property.map(|p| p.0.to_owned()),
            index,
            kind,
            metric: metric.map(|m| metric_name(m).to_owned()),
            description,
            dimension: rule.get("dimension").and_then(Value::as_str).map(str::to_owned),
            severity: parsed
                .severity
                .as_deref()
                .map(str::to_lowercase)
                .unwrap_or_else(|| "error".into()),
            threshold,
            unit: if percent { "percent" } else { "rows" }.into(),
        },
        sql,
        rule: parsed,
        location: location.to_owned(),
    });
}

/// The metric of a library rule: `metric`, or the ODCS v3.0 names of the deprecated `rule`.
fn metric_of(rule: &QualityRule) -> Option<QualityMetric> {
    if rule.kind.unwrap_or_default() != QualityType::Library {
        return None;
    }
    if rule.metric.is_some() {
        return rule.metric;
    }
    match rule.rule.as_deref()? {
        "nullCheck" | "nullValues" => Some(QualityMetric::NullValues),
        "duplicateCount" | "duplicateValues" => Some(QualityMetric::DuplicateValues),
        "validValues" | "invalidValues" => Some(QualityMetric::InvalidValues),
        "missingValues" => Some(QualityMetric::MissingValues),
        "rowCount" => Some(QualityMetric::RowCount),
        _ => None,
    }
}

fn metric_name(metric: QualityMetric) -> &'static str {
    match metric {
        QualityMetric::NullValues => "nullValues",
        QualityMetric::MissingValues => "missingValues",
        QualityMetric::InvalidValues => "invalidValues",
        QualityMetric::DuplicateValues => "duplicateValues",
        QualityMetric::RowCount => "rowCount",
    }
}

/// A SQL literal of a JSON scalar; `None` for null.
fn literal(value: &Value) -> Result<Option<String>, String> {
    Ok(Some(match value {
        Value::Null => return Ok(None),
        Value::String(s) => format!("'{}'", s.replace('\'', "''")),
        Value::Number(n) => format!("'{n}'"),
        Value::Bool(b) => format!("'{b}'"),
        other => {
            return Err(format!(
                "`{other}` is not a value a column holds; give strings or numbers"
            ));
        }
    }))
}

fn literals(values: &[Value]) -> Result<(Vec<String>, bool), String> {
    let mut out = Vec::new();
    let mut null = false;
    for value in values {
        match literal(value)? {
            Some(text) => out.push(text),
            None => null = true,
        }
    }
    Ok((out, null))
}

/// `COUNT` of rows meeting `condition`, as rows or as a percent of all rows (0 for an empty table).
fn count_where(table: &str, condition: &str, percent: bool) -> String {
    if percent {
        format!(
            "SELECT CASE WHEN COUNT(*) = 0 THEN 0 ELSE 100.0 * SUM(CASE WHEN {condition} THEN 1 ELSE 0 END) / COUNT(*) END \
             FROM {table}"
        )
    } else {
        format!("SELECT COUNT(*) FROM {table} WHERE {condition}")
    }
}

fn argument<'a>(rule: &'a QualityRule, name: &str) -> Option<&'a Value> {
    rule.arguments.as_ref()?.get(name)
}

/// The one query measuring a rule, returning one number.
fn rule_sql(
    rule: &QualityRule,
    metric: Option<QualityMetric>,
    schema: &str,
    table: &str,
    column: Option<&str>,
    percent: bool,
    postgres: bool,
) -> Result<String, String> {
    let t = quote(table);
    let needs_column = |what: &str| {
        column.map(quote).ok_or_else(|| {
            format!("not executable: `{what}` counts values of a column; put the rule on a property")
        })
    };
    let inner = match (rule.kind.unwrap_or_default(), metric) {
        (QualityType::Sql, _) => {
            let query = rule
                .query
                .as_deref()
                .unwrap_or_default()
                .trim()
                .trim_end_matches(';')
                .trim();
            if query.is_empty() {
                return Err("not executable: a `sql` rule needs its `query`".into());
            }
            // The placeholders ODCS tools fill in (datacontract-cli's among them), with or without `$`.
            let mut names: Vec<(&str, String)> = ["table", "object", "model"]
                .iter()
                .map(|n| (*n, t.clone()))
                .collect();
            names.push(("schema", quote(schema)));
            if let Some(column) = column {
                names.extend(
                    ["column", "property", "field"]
                        .iter()
                        .map(|n| (*n, quote(column))),
                );
            }
            let mut query = query.to_owned();
            for (name, value) in &names {
                query = query
                    .replace(&format!("${{{name}}}"), value)
                    .replace(&format!("{{{name}}}"), value);
            }
            query
        }
        (_, Some(QualityMetric::RowCount)) => format!("SELECT COUNT(*) FROM {t}"),
        (_, Some(QualityMetric::NullValues)) => {
            let c = needs_column("nullValues")?;
            count_where(&t, &format!("{c} IS NULL"), percent)
        }
        (_, Some(QualityMetric::MissingValues)) => {
            let c = needs_column("missingValues")?;
            let listed = match argument(rule, "missingValues") {
                None => Vec::new(),
                Some(Value::Array(values)) => literals(values)?.0,
                Some(_) => return Err("not executable: `arguments.missingValues` must be a list".into()),
            };
            let condition = if listed.is_empty() {
                format!("{c} IS NULL")
            } else {
                format!("({c} IS NULL OR CAST({c} AS TEXT) IN ({}))", listed.join(", "))
            };
            count_where(&t, &condition, percent)
        }
        (_, Some(QualityMetric::InvalidValues)) => {
            let c = needs_column("invalidValues")?;
            let mut violations = Vec::new();
            match argument(rule, "validValues") {
                None => {}
                Some(Value::Array(values)) => {
                    let (listed, _) = literals(values)?;
                    if listed.is_empty() {
                        violations.push("1 = 1".to_owned());
                    } else {
                        violations.push(format!("CAST({c} AS TEXT) NOT IN ({})", listed.join(", ")));
                    }
                }
                Some(_) => return Err("not executable: `arguments.validValues` must be a list".into()),
            }
            match argument(rule, "pattern") {
                None => {}
                Some(Value::String(pattern)) => {
                    let p = pattern.replace('\'', "''");
                    violations.push(if postgres {
                        format!("CAST({c} AS TEXT) !~ '{p}'")
                    } else {
                        format!("NOT (CAST({c} AS TEXT) REGEXP '{p}')")
                    });
                }
                Some(_) => return Err("not executable: `arguments.pattern` must be a string".into()),
            }
            if violations.is_empty() {
                return Err(
                    "not executable: `invalidValues` needs `arguments.validValues` (a list) or `arguments.pattern`".into(),
                );
            }
            count_where(
                &t,
                &format!("{c} IS NOT NULL AND ({})", violations.join(" OR ")),
                percent,
            )
        }
        (_, Some(QualityMetric::DuplicateValues)) => {
            let columns: Vec<String> = match (column, argument(rule, "properties")) {
                (Some(column), _) => vec![quote(column)],
                (None, Some(Value::Array(names))) if !names.is_empty() => names
                    .iter()
                    .map(|n| n.as_str().map(quote).ok_or("`arguments.properties` lists names"))
                    .collect::<Result<_, _>>()?,
                _ => {
                    return Err(
                        "not executable: `duplicateValues` on a table needs `arguments.properties` (the columns)".into(),
                    );
                }
            };
            // As datacontract-cli (and soda) count them: the values (or tuples) that occur more than
            // once, rows with a NULL in the key left out.
            let list = columns.join(", ");
            let filled = columns
                .iter()
                .map(|c| format!("{c} IS NOT NULL"))
                .collect::<Vec<_>>()
                .join(" AND ");
            let duplicates = format!(
                "SELECT COUNT(*) FROM (SELECT {list} FROM {t} WHERE {filled} GROUP BY {list} HAVING COUNT(*) > 1) d"
            );
            if percent {
                format!(
                    "SELECT CASE WHEN (SELECT COUNT(*) FROM {t}) = 0 THEN 0 ELSE 100.0 * ({duplicates}) / (SELECT COUNT(*) FROM {t}) END"
                )
            } else {
                duplicates
            }
        }
        _ => return Err("not executable: the rule names no metric".into()),
    };
    Ok(format!("SELECT CAST(({inner}) AS DOUBLE PRECISION)"))
}

fn number(value: &Value, operator: &str) -> Result<f64, String> {
    value
        .as_f64()
        .or_else(|| value.as_str().and_then(|s| s.trim().parse().ok()))
        .ok_or_else(|| format!("not executable: `{operator}` is `{value}`; the platform compares numbers"))
}

/// The rule's comparison in words, e.g. `mustBeGreaterThan 1000`.
fn threshold_text(rule: &QualityRule) -> Result<String, String> {
    let operators = rule.operators();
    let [operator] = operators.as_slice() else {
        return Err(format!(
            "not executable: a rule takes exactly one of mustBe, mustNotBe, mustBeGreaterThan, mustBeGreaterOrEqualTo, \
             mustBeLessThan, mustBeLessOrEqualTo, mustBeBetween, mustNotBeBetween; it has {}",
            if operators.is_empty() {
                "none".to_owned()
            } else {
                operators.join(", ")
            }
        ));
    };
    let bounds = |b: &Option<Vec<serde_json::Number>>| {
        b.as_ref()
            .map(|b| b.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "))
            .unwrap_or_default()
    };
    let value = match *operator {
        "mustBe" => rule
            .must_be
            .as_ref()
            .map(|v| number(v, "mustBe").map(fmt))
            .transpose()?,
        "mustNotBe" => rule
            .must_not_be
            .as_ref()
            .map(|v| number(v, "mustNotBe").map(fmt))
            .transpose()?,
        "mustBeGreaterThan" => rule.must_be_greater_than.as_ref().map(ToString::to_string),
        "mustBeGreaterOrEqualTo" => rule.must_be_greater_or_equal_to.as_ref().map(ToString::to_string),
        "mustBeLessThan" => rule.must_be_less_than.as_ref().map(ToString::to_string),
        "mustBeLessOrEqualTo" => rule.must_be_less_or_equal_to.as_ref().map(ToString::to_string),
        "mustBeBetween" => Some(format!("[{}]", bounds(&rule.must_be_between))),
        _ => Some(format!("[{}]", bounds(&rule.must_not_be_between))),
    };
    Ok(format!("{operator} {}", value.unwrap_or_default()))
}

fn fmt(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

/// Whether `value` keeps the rule's comparison.
pub fn compare(rule: &QualityRule, value: f64) -> Result<bool, String> {
    let n = |v: &serde_json::Number| v.as_f64().unwrap_or(f64::NAN);
    let pair = |b: &Vec<serde_json::Number>| -> Result<(f64, f64), String> {
        match b.as_slice() {
            [low, high] => Ok((n(low).min(n(high)), n(low).max(n(high)))),
            _ => Err("a range takes two numbers, smallest first".into()),
        }
    };
    Ok(if let Some(v) = &rule.must_be {
        value == number(v, "mustBe")?
    } else if let Some(v) = &rule.must_not_be {
        value != number(v, "mustNotBe")?
    } else if let Some(v) = &rule.must_be_greater_than {
        value > n(v)
    } else if let Some(v) = &rule.must_be_greater_or_equal_to {
        value >= n(v)
    } else if let Some(v) = &rule.must_be_less_than {
        value < n(v)
    } else if let Some(v) = &rule.must_be_less_or_equal_to {
        value <= n(v)
    } else if let Some(b) = &rule.must_be_between {
        let (low, high) = pair(b)?;
        (low..=high).contains(&value)
    } else if let Some(b) = &rule.must_not_be_between {
        let (low, high) = pair(b)?;
        !(low..=high).contains(&value)
    } else {
        return Err("the rule has no comparison".into());
    })
}

/// Hours in a duration of an SLA's `value` and `unit`.
fn hours(value: f64, unit: &str) -> Option<f64> {
    let unit = unit.trim().to_lowercase();
    Some(
        value
            * match unit.as_str() {
                "ms" | "millisecond" | "milliseconds" => 1.0 / 3_600_000.0,
                "s" | "sec" | "second" | "seconds" => 1.0 / 3600.0,
                "m" | "min" | "minute" | "minutes" => 1.0 / 60.0,
                "h" | "hr" | "hour" | "hours" => 1.0,
                "d" | "day" | "days" => 24.0,
                "w" | "week" | "weeks" => 168.0,
                "y" | "yr" | "year" | "years" => 8766.0,
                _ => return None,
            },
    )
}

/// `table.column` of an SLA element (or `column` when the contract has one table).
fn element_of(element: &str, objects: &[Value]) -> Option<(String, String)> {
    let find = |object: &Value, column: &str| {
        object
            .get("properties")?
            .as_array()?
            .iter()
            .find(|p| p.get("name").and_then(Value::as_str) == Some(column))
            .map(|p| identifier(p).to_owned())
    };
    let element = element.split(',').next()?.trim();
    match element.split_once('.') {
        Some((table, column)) => {
            let object = objects
                .iter()
                .find(|o| o.get("name").and_then(Value::as_str) == Some(table) || identifier(o) == table)?;
            Some((identifier(object).to_owned(), find(object, column)?))
        }
        None if objects.len() == 1 => Some((identifier(&objects[0]).to_owned(), find(&objects[0], element)?)),
        None => None,
    }
}

fn sla_measure(
    port: &str,
    location: &str,
    sla: &Value,
    objects: &[Value],
    postgres: bool,
) -> Option<Measure> {
    let property = sla.get("property").and_then(Value::as_str)?;
    let value = sla.get("value").and_then(Value::as_f64);
    let element = sla.get("element").and_then(Value::as_str).map(str::to_owned);
    let unit = sla.get("unit").and_then(Value::as_str).unwrap_or("d");
    let mut measure = Measure {
        slo: String::new(),
        port: port.to_owned(),
        property: property.to_owned(),
        element: element.clone(),
        target: 0.0,
        unit: String::new(),
        measured: None,
        error: None,
        sql: None,
        location: location.to_owned(),
    };
    let target_column = element.as_deref().and_then(|e| element_of(e, objects));
    match property.to_lowercase().as_str() {
        "latency" | "frequency" => {
            measure.slo = "freshness".into();
            measure.unit = "hours".into();
            match value.and_then(|v| hours(v, unit)) {
                Some(target) => measure.target = target,
                None => measure.error = Some(format!("`{unit}` is not a unit of time the platform reads")),
            }
            match &target_column {
                Some((table, column)) => {
                    let (t, c) = (quote(table), quote(column));
                    measure.sql = Some(if postgres {
                        format!("SELECT CAST(EXTRACT(EPOCH FROM MAX({c})) AS DOUBLE PRECISION) FROM {t}")
                    } else {
                        format!("SELECT CAST(strftime('%s', MAX({c})) AS DOUBLE PRECISION) FROM {t}")
                    });
                }
                None => measure.error = Some(
                    "name the date or timestamp column in `element` (`table.column`) to measure freshness"
                        .into(),
                ),
            }
        }
        "completeness" => {
            measure.slo = "completeness".into();
            measure.unit = "percent".into();
            measure.target = value.unwrap_or(100.0);
            match &target_column {
                Some((table, column)) => {
                    let (t, c) = (quote(table), quote(column));
                    measure.sql = Some(format!(
                        "SELECT CAST(CASE WHEN COUNT(*) = 0 THEN 100 ELSE 100.0 * COUNT({c}) / COUNT(*) END AS DOUBLE PRECISION) FROM {t}"
                    ));
                }
                None => {
                    measure.error =
                        Some("name the column in `element` (`table.column`) to measure completeness".into())
                }
            }
        }
        _ => return None,
    }
    Some(measure)
}

/// Runs `plan`'s checks (those in `only`, when given) and its SLO measures, then stores the run, its
/// results, the incidents they open or reopen and the changes, in one transaction.
pub async fn run(
    state: &AppState,
    plan: &Plan,
    only: Option<&[String]>,
    trigger: &str,
    requested_by: &str,
    at: Option<i64>,
) -> Result<QualityRun, ApiError> {
    let started = at.unwrap_or_else(now_ms);
    let chosen: Vec<&Executable> = plan
        .executable
        .iter()
        .filter(|e| only.is_none_or(|only| only.contains(&e.check.check)))
        .collect();
    let mut by_location: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, e) in chosen.iter().enumerate() {
        by_location.entry(&e.location).or_default().push(i);
    }
    let mut values: Vec<Result<Option<f64>, String>> = vec![Err(String::new()); chosen.len()];
    for (location, indexes) in &by_location {
        let queries: Vec<String> = indexes.iter().map(|i| chosen[*i].sql.clone()).collect();
        match state
            .adapter()
            .port_measure(location, &queries, state.config().query_timeout)
            .await
        {
            Ok(measured) => {
                for (i, value) in indexes.iter().zip(measured) {
                    values[*i] = value;
                }
            }
            Err(e) => {
                for i in indexes {
                    values[*i] = Err(format!("cannot reach the port's data: {e}"));
                }
            }
        }
    }
    let mut measures = plan.measures.clone();
    for measure in measures
        .iter_mut()
        .filter(|m| m.sql.is_some() && m.error.is_none())
    {
        let sql = measure.sql.clone().unwrap_or_default();
        match state
            .adapter()
            .port_measure(&measure.location, &[sql], state.config().query_timeout)
            .await
        {
            Ok(mut values) => match values.pop() {
                Some(Ok(value)) => measure.measured = value,
                Some(Err(e)) => measure.error = Some(e),
                None => {}
            },
            Err(e) => measure.error = Some(e.to_string()),
        }
    }
    let finished = if at.is_some() { started } else { now_ms() };
    let results: Vec<QualityResult> = chosen
        .iter()
        .zip(values)
        .map(|(e, value)| evaluate(e, value, finished))
        .collect();
    let run = QualityRun {
        id: format!("qr_{}", uuid::Uuid::now_v7().simple()),
        product_id: plan.product_id.clone(),
        trigger: trigger.to_owned(),
        requested_by: requested_by.to_owned(),
        started_at: rfc3339(started),
        finished_at: rfc3339(finished),
        passed: count(&results, CheckStatus::Passed),
        failed: count(&results, CheckStatus::Failed),
        warnings: count(&results, CheckStatus::Warning),
        errors: count(&results, CheckStatus::Error),
        results,
        not_executable: plan.not_executable.clone(),
    };
    let mut tx = state.store().write().await?;
    run_store(&mut tx, &run, &measures, started, finished).await?;
    for result in &run.results {
        if matches!(result.status, CheckStatus::Failed | CheckStatus::Warning) {
            incidents::failure_record(&mut tx, plan, result, finished).await?;
        }
    }
    let summary = summary(&mut tx, plan, finished).await?;
    catalog::change_append(
        &mut tx,
        ChangeEntity::Quality,
        &plan.product_id,
        Some(&serde_json::to_value(&summary).map_err(ApiError::internal)?),
    )
    .await?;
    if trigger == "manual" {
        catalog::audit_append(
            &mut *tx,
            Audit {
                actor: requested_by,
                action: "quality.run",
                target: &plan.product_id,
                request_id: "",
                outcome: "succeeded",
                detail: Some(format!(
                    "{} passed, {} failed, {} warnings, {} errors",
                    run.passed, run.failed, run.warnings, run.errors
                )),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(run)
}

fn count(results: &[QualityResult], status: CheckStatus) -> usize {
    results.iter().filter(|r| r.status == status).count()
}

fn evaluate(e: &Executable, value: Result<Option<f64>, String>, at: i64) -> QualityResult {
    let (status, value, message) = match value {
        Err(message) => (CheckStatus::Error, None, Some(message)),
        // The query ran and answered NULL (e.g. `MAX` over no rows): no number keeps the rule.
        Ok(None) => (
            failing(&e.check.severity),
            None,
            Some(format!(
                "the query returned NULL, not a number; the rule says {}",
                e.check.threshold
            )),
        ),
        Ok(Some(value)) => match compare(&e.rule, value) {
            Err(message) => (CheckStatus::Error, Some(value), Some(message)),
            Ok(true) => (CheckStatus::Passed, Some(value), None),
            Ok(false) => {
                let status = failing(&e.check.severity);
                let subject = match &e.check.property {
                    Some(p) => format!("{}.{p}", e.check.object),
                    None => e.check.object.clone(),
                };
                let what = e.check.metric.clone().unwrap_or_else(|| "the query".into());
                (
                    status,
                    Some(value),
                    Some(format!(
                        "{what} of {subject} is {} {}; the rule says {}",
                        fmt(round(value)),
                        e.check.unit,
                        e.check.threshold
                    )),
                )
            }
        },
    };
    QualityResult {
        check: e.check.clone(),
        status,
        value,
        message,
        at: rfc3339(at),
    }
}

/// The status of a broken rule: `warning` for the severities datacontract-cli reads as one, else
/// `failed`.
fn failing(severity: &str) -> CheckStatus {
    if matches!(
        severity,
        "info" | "warning" | "warn" | "low" | "minor" | "trivial"
    ) {
        CheckStatus::Warning
    } else {
        CheckStatus::Failed
    }
}

fn round(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

async fn run_store(
    tx: &mut Tx,
    run: &QualityRun,
    measures: &[Measure],
    started: i64,
    finished: i64,
) -> Result<(), ApiError> {
    sqlx::query(
        "INSERT INTO quality_runs (id, product_id, trigger_kind, requested_by, started_at, finished_at, not_executable, \
         measures, results) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&run.id)
    .bind(&run.product_id)
    .bind(&run.trigger)
    .bind(&run.requested_by)
    .bind(started)
    .bind(finished)
    .bind(json(&run.not_executable))
    .bind(json(&measures))
    .bind(json(
        &run.results
            .iter()
            .map(|r| (&r.check.check, r.status, r.value))
            .collect::<Vec<_>>(),
    ))
    .execute(&mut **tx)
    .await?;
    for result in &run.results {
        sqlx::query(
            "INSERT INTO quality_results (run_id, check_id, product_id, port, at, status, value, message, definition) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&run.id)
        .bind(&result.check.check)
        .bind(&run.product_id)
        .bind(&result.check.port)
        .bind(finished)
        .bind(result.status.as_str())
        .bind(result.value)
        .bind(&result.message)
        .bind(json(&result.check))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// JSON text of a value the platform made (serializing it cannot fail).
pub fn json<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}

/// The latest result of each check of a product, in the plan's order (checks no longer in the
/// contract are left out).
async fn latest<'e, E>(executor: E, product_id: &str) -> Result<HashMap<String, QualityResult>, ApiError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let rows = sqlx::query(
        "SELECT r.check_id, r.at, r.status, r.value, r.message, r.definition FROM quality_results r \
         JOIN (SELECT check_id, MAX(at) AS at FROM quality_results WHERE product_id = $1 GROUP BY check_id) m \
         ON r.check_id = m.check_id AND r.at = m.at WHERE r.product_id = $1",
    )
    .bind(product_id)
    .fetch_all(executor)
    .await?;
    let mut out = HashMap::new();
    for row in rows {
        let definition: String = row.try_get("definition")?;
        let status: String = row.try_get("status")?;
        let result = QualityResult {
            check: serde_json::from_str(&definition).map_err(ApiError::internal)?,
            status: CheckStatus::parse(&status).unwrap_or(CheckStatus::Error),
            value: row.try_get("value")?,
            message: row.try_get("message")?,
            at: rfc3339(row.try_get("at")?),
        };
        out.insert(result.check.check.clone(), result);
    }
    Ok(out)
}

/// The SLOs of a product from the newest measures of each and the pass rate of its results.
async fn slos(conn: &mut sqlx::AnyConnection, plan: &Plan, now: i64) -> Result<Vec<SloReport>, ApiError> {
    let row = sqlx::query(
        "SELECT measures FROM quality_runs WHERE product_id = $1 ORDER BY finished_at DESC LIMIT 1",
    )
    .bind(&plan.product_id)
    .fetch_optional(&mut *conn)
    .await?;
    let measures: Vec<Measure> = match row {
        Some(row) => serde_json::from_str(&row.try_get::<String, _>("measures")?).unwrap_or_default(),
        None => Vec::new(),
    };
    let mut out = Vec::new();
    for m in &measures {
        out.push(slo_report(m, now));
    }
    let ports: Vec<String> = {
        let mut ports: Vec<String> = plan.executable.iter().map(|e| e.check.port.clone()).collect();
        ports.dedup();
        ports
    };
    for port in ports {
        let target = plan
            .pass_rate_targets
            .get(&port)
            .copied()
            .unwrap_or(PASS_RATE_TARGET);
        let row = sqlx::query(
            "SELECT COUNT(*) AS total, SUM(CASE WHEN status = 'passed' THEN 1 ELSE 0 END) AS passed \
             FROM quality_results WHERE product_id = $1 AND port = $2 AND at > $3",
        )
        .bind(&plan.product_id)
        .bind(&port)
        .bind(now - PASS_RATE_WINDOW_MS)
        .fetch_one(&mut *conn)
        .await?;
        let total: i64 = row.try_get("total")?;
        let passed: Option<i64> = row.try_get("passed")?;
        let measured = (total > 0).then(|| 100.0 * passed.unwrap_or(0) as f64 / total as f64);
        let status = match measured {
            None => SloStatus::Unknown,
            Some(m) => grade(m >= target, m < target + 0.2 * (100.0 - target)),
        };
        out.push(SloReport {
            slo: "passRate".into(),
            port: port.clone(),
            property: "quality".into(),
            element: None,
            status,
            target,
            measured: measured.map(round),
            unit: "percent".into(),
            detail: match measured {
                None => "no check ran in the last 7 days".into(),
                Some(m) => format!(
                    "{} of {total} results passed in the last 7 days ({}%); the target is {}%",
                    passed.unwrap_or(0),
                    fmt(round(m)),
                    fmt(target)
                ),
            },
        });
    }
    Ok(out)
}

fn grade(met: bool, close: bool) -> SloStatus {
    match (met, close) {
        (false, _) => SloStatus::Breached,
        (true, true) => SloStatus::AtRisk,
        (true, false) => SloStatus::Met,
    }
}

fn slo_report(m: &Measure, now: i64) -> SloReport {
    let mut report = SloReport {
        slo: m.slo.clone(),
        port: m.port.clone(),
        property: m.property.clone(),
        element: m.element.clone(),
        status: SloStatus::Unknown,
        target: round(m.target),
        measured: None,
        unit: m.unit.clone(),
        detail: String::new(),
    };
    if let Some(error) = &m.error {
        report.detail = error.clone();
        return report;
    }
    match (m.slo.as_str(), m.measured) {
        (_, None) => report.detail = "the element holds no value yet".into(),
        ("freshness", Some(newest)) => {
            let age = (now as f64 / 1000.0 - newest) / 3600.0;
            report.measured = Some(round(age));
            report.status = grade(age <= m.target, age > 0.8 * m.target);
            report.detail = format!(
                "the newest {} is {} hours old; the {} is {} hours",
                m.element.as_deref().unwrap_or("value"),
                fmt(round(age)),
                m.property,
                fmt(round(m.target))
            );
        }
        (_, Some(filled)) => {
            report.measured = Some(round(filled));
            report.status = grade(filled >= m.target, filled < m.target + 0.2 * (100.0 - m.target));
            report.detail = format!(
                "{} is {}% filled; the target is {}%",
                m.element.as_deref().unwrap_or("the element"),
                fmt(round(filled)),
                fmt(round(m.target))
            );
        }
    }
    report
}

/// The summary the change feed carries after a run.
async fn summary(tx: &mut Tx, plan: &Plan, now: i64) -> Result<QualitySummary, ApiError> {
    let latest = latest(&mut **tx, &plan.product_id).await?;
    let mut checks = Vec::new();
    let mut points = Vec::new();
    for e in &plan.executable {
        if let Some(result) = latest.get(&e.check.check) {
            checks.push(e.check.check.clone());
            points.push(QualityPoint {
                at: result.at.clone(),
                status: result.status,
                value: result.value,
            });
        }
    }
    let tally = |s: CheckStatus| points.iter().filter(|p| p.status == s).count();
    Ok(QualitySummary {
        product_id: plan.product_id.clone(),
        last_run_at: rfc3339(now),
        passed: tally(CheckStatus::Passed),
        failed: tally(CheckStatus::Failed),
        warnings: tally(CheckStatus::Warning),
        errors: tally(CheckStatus::Error),
        slos: slos(tx, plan, now).await?,
        latest: points,
        checks,
    })
}

/// Which part of a product's history a report holds.
#[derive(Debug, Clone, Copy)]
pub struct HistoryAsk<'a> {
    /// The window: runs that finished in the last `days` days.
    pub days: i64,
    /// At most this many runs of the window, the newest.
    pub limit: i64,
    /// The `nextCursor` of the previous page: the runs before the oldest run it held.
    pub cursor: Option<&'a str>,
}

/// `GET /v1/products/{id}/quality`: the latest result per check, each check's history (a page of the
/// window's runs, newest page first, points oldest first), SLOs.
pub async fn report(
    state: &AppState,
    product_id: &str,
    ask: HistoryAsk<'_>,
) -> Result<QualityReport, ApiError> {
    let before = ask
        .cursor
        .map(|c| {
            catalog::cursor_decode(c)?
                .split_once(':')
                .and_then(|(at, id)| Some((at.parse::<i64>().ok()?, id.to_owned())))
                .ok_or_else(catalog::cursor_invalid)
        })
        .transpose()?;
    let (before_at, before_id) = before.unzip();
    let plan = plan(state, product_id).await?;
    let now = now_ms();
    let mut conn = state.store().pool().acquire().await?;
    let latest = latest(&mut *conn, product_id).await?;
    // A row per run, each holding its results in short: 20 times fewer rows than one per result.
    // Newest first, so that the first page is the recent trend; the page is turned oldest first below.
    let mut rows = sqlx::query(
        "SELECT id, finished_at, results FROM quality_runs WHERE product_id = $1 AND finished_at > $2 \
         AND ($3 IS NULL OR finished_at < $3 OR (finished_at = $3 AND id < $4)) \
         ORDER BY finished_at DESC, id DESC LIMIT $5",
    )
    .bind(product_id)
    .bind(now - ask.days * 24 * 3600 * 1000)
    .bind(before_at)
    .bind(before_id)
    .bind(ask.limit + 1)
    .fetch_all(&mut *conn)
    .await?;
    let next_cursor = if rows.len() as i64 > ask.limit {
        rows.truncate(ask.limit as usize);
        let oldest = rows
            .last()
            .ok_or_else(|| ApiError::internal("a page of no runs has more"))?;
        let at: i64 = oldest.try_get("finished_at")?;
        let id: String = oldest.try_get("id")?;
        Some(catalog::cursor_encode(&format!("{at}:{id}")))
    } else {
        None
    };
    let mut history: HashMap<String, Vec<QualityPoint>> = HashMap::new();
    for row in rows.into_iter().rev() {
        let at = rfc3339(row.try_get("finished_at")?);
        let text: String = row.try_get("results")?;
        let results: Vec<(String, CheckStatus, Option<f64>)> =
            serde_json::from_str(&text).map_err(ApiError::internal)?;
        for (check, status, value) in results {
            history.entry(check).or_default().push(QualityPoint {
                at: at.clone(),
                status,
                value,
            });
        }
    }
    let last_run_at = sqlx::query("SELECT MAX(finished_at) AS at FROM quality_runs WHERE product_id = $1")
        .bind(product_id)
        .fetch_one(&mut *conn)
        .await?
        .try_get::<Option<i64>, _>("at")?
        .map(rfc3339);
    let slos = slos(&mut conn, &plan, now).await?;
    Ok(QualityReport {
        product_id: product_id.to_owned(),
        domain: plan.domain.clone(),
        last_run_at,
        latest: plan
            .executable
            .iter()
            .filter_map(|e| latest.get(&e.check.check).cloned())
            .collect(),
        history: plan
            .executable
            .iter()
            .map(|e| QualityHistory {
                check: e.check.check.clone(),
                points: history.remove(&e.check.check).unwrap_or_default(),
            })
            .collect(),
        slos,
        not_executable: plan.not_executable,
        next_cursor,
    })
}

/// Who may run a product's checks: its domain's stewards and owners.
pub fn may_run(caller: &Caller, domain: &str) -> Result<(), ApiError> {
    if caller.has(Role::Steward, domain) || caller.has(Role::Owner, domain) {
        Ok(())
    } else {
        Err(ApiError::forbidden(format!(
            "`{}` is neither a steward nor an owner of domain `{domain}`, so may not run its checks",
            caller.user
        )))
    }
}

/// Whether a check is due: never ran, or its cron schedule (`scheduler: cron`) or the platform's
/// default interval has come round since it last ran.
pub fn due(e: &Executable, last: Option<i64>, now: i64, default: Duration) -> bool {
    let Some(last) = last else { return true };
    let cron = e.rule.schedule.as_deref().filter(|_| {
        e.rule
            .scheduler
            .as_deref()
            .is_none_or(|s| s.eq_ignore_ascii_case("cron"))
    });
    if let Some(expression) = cron
        && let Ok(cron) = expression.parse::<croner::Cron>()
        && let Some(after) = chrono::DateTime::<chrono::Utc>::from_timestamp_millis(last)
        && let Ok(next) = cron.find_next_occurrence(&after, false)
    {
        return next.timestamp_millis() <= now;
    }
    last + default.as_millis() as i64 <= now
}

/// One pass of the scheduler: runs the due checks of every provisioned product, each product claimed
/// by one platform process at a time.
pub async fn schedule_tick(state: &AppState) -> Result<usize, ApiError> {
    let products: Vec<String> =
        sqlx::query("SELECT DISTINCT product_id FROM port_resources ORDER BY product_id")
            .fetch_all(state.store().pool())
            .await?
            .iter()
            .filter_map(|r| r.try_get("product_id").ok())
            .collect();
    let mut ran = 0;
    for product_id in products {
        let Ok(plan) = plan(state, &product_id).await else {
            continue;
        };
        let now = now_ms();
        let rows = sqlx::query(
            "SELECT check_id, MAX(at) AS at FROM quality_results WHERE product_id = $1 GROUP BY check_id",
        )
        .bind(&product_id)
        .fetch_all(state.store().pool())
        .await?;
        let mut last: HashMap<String, i64> = HashMap::new();
        for row in rows {
            last.insert(row.try_get("check_id")?, row.try_get("at")?);
        }
        let interval = state.config().quality_interval;
        let due: Vec<String> = plan
            .executable
            .iter()
            .filter(|e| due(e, last.get(&e.check.check).copied(), now, interval))
            .map(|e| e.check.check.clone())
            .collect();
        if due.is_empty() || !claim(state, &product_id, now).await? {
            continue;
        }
        let outcome = run(state, &plan, Some(&due), "schedule", "platform", None).await;
        sqlx::query("DELETE FROM quality_claims WHERE product_id = $1 AND lease_owner = $2")
            .bind(&product_id)
            .bind(state.instance())
            .execute(state.store().pool())
            .await?;
        match outcome {
            Ok(_) => ran += 1,
            Err(error) => tracing::warn!(%error, product = %product_id, "a scheduled quality run failed"),
        }
    }
    Ok(ran)
}

/// Takes a product's schedule lease for this process (10 minutes); false when another holds it.
async fn claim(state: &AppState, product_id: &str, now: i64) -> Result<bool, ApiError> {
    let mut tx = state.store().write().await?;
    let held = sqlx::query("SELECT lease_owner, lease_until FROM quality_claims WHERE product_id = $1")
        .bind(product_id)
        .fetch_optional(&mut *tx)
        .await?;
    let until = now + 600_000;
    let taken = match held {
        Some(row) if row.try_get::<i64, _>("lease_until")? > now => false,
        Some(_) => {
            sqlx::query("UPDATE quality_claims SET lease_owner = $1, lease_until = $2 WHERE product_id = $3 AND lease_until <= $4")
                .bind(state.instance())
                .bind(until)
                .bind(product_id)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                == 1
        }
        None => {
            sqlx::query("INSERT INTO quality_claims (product_id, lease_owner, lease_until) VALUES ($1, $2, $3) ON CONFLICT (product_id) DO NOTHING")
                .bind(product_id)
                .bind(state.instance())
                .bind(until)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                == 1
        }
    };
    tx.commit().await?;
    Ok(taken)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rule(value: Value) -> QualityRule {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn every_operator_compares_as_odcs_defines() {
        let cases = [
            (json!({"metric": "rowCount", "mustBe": 5}), 5.0, true),
            (json!({"metric": "rowCount", "mustBe": 5}), 6.0, false),
            (json!({"metric": "rowCount", "mustNotBe": 5}), 5.0, false),
            (json!({"metric": "rowCount", "mustBeGreaterThan": 5}), 5.0, false),
            (
                json!({"metric": "rowCount", "mustBeGreaterOrEqualTo": 5}),
                5.0,
                true,
            ),
            (json!({"metric": "rowCount", "mustBeLessThan": 5}), 4.9, true),
            (
                json!({"metric": "rowCount", "mustBeLessOrEqualTo": 5}),
                5.1,
                false,
            ),
            (json!({"metric": "rowCount", "mustBeBetween": [1, 5]}), 5.0, true),
            (json!({"metric": "rowCount", "mustBeBetween": [1, 5]}), 0.0, false),
            (
                json!({"metric": "rowCount", "mustNotBeBetween": [1, 5]}),
                1.0,
                false,
            ),
            (
                json!({"metric": "rowCount", "mustNotBeBetween": [1, 5]}),
                6.0,
                true,
            ),
        ];
        for (rule_json, value, kept) in cases {
            assert_eq!(
                compare(&rule(rule_json.clone()), value).unwrap(),
                kept,
                "{rule_json} with {value}"
            );
        }
    }

    #[test]
    fn a_rule_with_two_operators_is_not_executable_and_says_why() {
        let error = threshold_text(&rule(
            json!({"metric": "rowCount", "mustBe": 1, "mustBeLessThan": 3}),
        ))
        .unwrap_err();
        assert!(error.contains("mustBe, mustBeLessThan"), "{error}");
    }

    #[test]
    fn metrics_compile_to_one_numeric_query_with_quoted_names() {
        let r =
            rule(json!({"metric": "invalidValues", "arguments": {"validValues": ["a", "b'c"]}, "mustBe": 0}));
        let sql = rule_sql(&r, metric_of(&r), "main", "t", Some("col"), true, false).unwrap();
        assert!(sql.starts_with("SELECT CAST(("), "{sql}");
        assert!(sql.contains("NOT IN ('a', 'b''c')"), "{sql}");
        assert!(sql.contains("\"col\""), "{sql}");
        let error = rule_sql(
            &rule(json!({"metric": "nullValues", "mustBe": 0})),
            Some(QualityMetric::NullValues),
            "main",
            "t",
            None,
            false,
            false,
        )
        .unwrap_err();
        assert!(error.contains("put the rule on a property"), "{error}");
        let r = rule(
            json!({"type": "sql", "query": "SELECT COUNT(*) FROM ${model} WHERE {field} < 0;", "mustBe": 0}),
        );
        let sql = rule_sql(&r, None, "main", "t", Some("c"), false, false).unwrap();
        assert_eq!(
            sql,
            "SELECT CAST((SELECT COUNT(*) FROM \"t\" WHERE \"c\" < 0) AS DOUBLE PRECISION)"
        );
    }

    #[test]
    fn cron_schedules_and_the_default_interval_decide_what_is_due() {
        let executable = |schedule: Option<&str>| Executable {
            check: serde_json::from_value(
                json!({"check": "p:t:0", "port": "p", "object": "t", "index": 0, "type": "library",
                "severity": "error", "threshold": "mustBe 0", "unit": "rows"}),
            )
            .unwrap(),
            sql: String::new(),
            rule: rule(json!({"metric": "rowCount", "mustBe": 0, "scheduler": "cron", "schedule": schedule})),
            location: String::new(),
        };
        let hour = 3_600_000;
        // 2026-01-01T00:30Z; `0 */6 * * *` next fires at 06:00.
        let last = 1_767_227_400_000;
        let six = executable(Some("0 */6 * * *"));
        assert!(!due(
            &six,
            Some(last),
            last + 5 * hour,
            Duration::from_secs(86_400)
        ));
        assert!(due(
            &six,
            Some(last),
            last + 6 * hour,
            Duration::from_secs(86_400)
        ));
        let none = executable(None);
        assert!(!due(
            &none,
            Some(last),
            last + 23 * hour,
            Duration::from_secs(86_400)
        ));
        assert!(due(
            &none,
            Some(last),
            last + 24 * hour,
            Duration::from_secs(86_400)
        ));
        assert!(due(&none, None, last, Duration::from_secs(86_400)));
    }
}
