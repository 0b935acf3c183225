//! A product's quality plan: the ODCS quality rules of each provisioned port's contract compiled to
//! one SQL query each (a number compared with the rule's operator), and the SLO measures of its SLA.
//! Nothing here runs a query; [`super::run`] does.

use std::collections::BTreeMap;

use meshport_model::contract::{QualityMetric, QualityRule, QualityType};
use meshport_model::trust::{NotExecutable, QualityCheck};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::Row;

use crate::adapters::sql::{SqlTarget, column_type, quote};
use crate::error::ApiError;
use crate::services::catalog;
use crate::state::AppState;

/// The `type` of the checks the platform adds from a contract's schema (see [`schema_plan`]).
pub const SCHEMA_CHECK: &str = "schema";

/// A rule ready to run: its description and its query.
#[derive(Debug, Clone)]
pub struct Executable {
    pub check: QualityCheck,
    pub sql: String,
    /// The same measure as a share of one pass over its table, for the rules that count rows
    /// (`rowCount`, `nullValues`, `missingValues`, `invalidValues`): a run reads a table once for all
    /// of them.
    pub scan: Option<Scan>,
    pub(crate) rule: QualityRule,
    pub(crate) location: String,
    /// What a failure says, for the checks the platform adds (the schema's): `{value}` stands for the
    /// measured number. A contract's rule says what it measured against its threshold instead.
    pub(crate) failure: Option<String>,
}

/// A rule's measure within one pass over a table: an aggregate expression over its rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Scan {
    /// The table, quoted.
    pub table: String,
    /// E.g. `COUNT(CASE WHEN "c" IS NULL THEN 1 END)`; the same number as the rule's own query.
    pub expression: String,
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
    pub(crate) sql: Option<String>,
    #[serde(skip)]
    pub(crate) location: String,
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
        let mut rules_plan = |on: &Value, property: Option<(&str, &str)>| {
            let rules = on.get("quality").and_then(Value::as_array).into_iter().flatten();
            for (index, rule) in rules.enumerate() {
                let at = RuleAt {
                    port,
                    location,
                    object: object_name,
                    table,
                    property,
                    index,
                    postgres,
                };
                rule_plan(plan, &at, rule);
            }
        };
        rules_plan(object, None);
        for property in object
            .get("properties")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let name = property.get("name").and_then(Value::as_str).unwrap_or_default();
            rules_plan(property, Some((name, identifier(property))));
        }
        for property in object
            .get("properties")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let name = property.get("name").and_then(Value::as_str).unwrap_or_default();
            let at = RuleAt {
                port,
                location,
                object: object_name,
                table,
                property: Some((name, identifier(property))),
                index: 0,
                postgres,
            };
            schema_plan(plan, &at, property);
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
fn rule_plan(plan: &mut Plan, at: &RuleAt<'_>, rule: &Value) {
    match rule_compile(at, rule) {
        Ok(executable) => plan.executable.push(executable),
        Err(not_executable) => plan.not_executable.push(*not_executable),
    }
}

/// The schema checks of a contract's column, as `datacontract test` runs them beside the quality
/// rules: the column is present in its table (`field_is_present`), it has the type the platform
/// provisions for it (`field_type`: the contract's `physicalType` where the engine knows it, else
/// one from its `logicalType`), and it holds no NULL where the contract says `required`
/// (`field_required`). A column dropped or altered outside the platform fails its check, which
/// opens an incident as any failed check does.
fn schema_plan(plan: &mut Plan, at: &RuleAt<'_>, property: &Value) {
    let Some((name, column)) = at.property else {
        return;
    };
    if column.is_empty() || at.table.is_empty() {
        return;
    }
    let literal = |text: &str| format!("'{}'", text.replace('\'', "''"));
    // The column's entry in the database's own catalog, read through the port's sandbox.
    let catalog = if at.postgres {
        format!(
            "SELECT COUNT(*) FROM pg_attribute WHERE attrelid = to_regclass({}) AND attname = {} \
             AND attnum > 0 AND NOT attisdropped",
            literal(&format!("{}.{}", quote(at.location), quote(at.table))),
            literal(column)
        )
    } else {
        format!(
            "SELECT COUNT(*) FROM pragma_table_info({}) WHERE lower(name) = lower({})",
            literal(at.table),
            literal(column)
        )
    };
    let provisioned = column_type(property, at.postgres);
    let typed = if at.postgres {
        format!("{catalog} AND atttypid = to_regtype({})", literal(&provisioned))
    } else {
        format!("{catalog} AND upper(type) = upper({})", literal(&provisioned))
    };
    let subject = format!("column `{name}` of table `{}`", at.table);
    let mut add = |id: &str,
                   description: String,
                   dimension: &str,
                   rule: Value,
                   sql: String,
                   scan: Option<Scan>,
                   failure: String| {
        let Ok(parsed) = serde_json::from_value::<QualityRule>(rule) else {
            return;
        };
        let threshold = threshold_text(&parsed).unwrap_or_default();
        plan.executable.push(Executable {
            check: QualityCheck {
                check: format!("{}:{}.{name}:{id}", at.port, at.object),
                port: at.port.to_owned(),
                object: at.object.to_owned(),
                property: Some(name.to_owned()),
                index: at.index,
                kind: SCHEMA_CHECK.into(),
                metric: Some(id.to_owned()),
                description: Some(description),
                dimension: Some(dimension.into()),
                severity: "error".into(),
                threshold,
                unit: "rows".into(),
            },
            sql,
            scan,
            rule: parsed,
            location: at.location.to_owned(),
            failure: Some(failure),
        });
    };
    add(
        "field_is_present",
        format!("The {subject} is present"),
        "conformity",
        serde_json::json!({"type": "sql", "mustBe": 1}),
        wrapped(&catalog),
        None,
        format!("the {subject} is missing: the contract has it, the table does not"),
    );
    add(
        "field_type",
        format!("The {subject} is of type {provisioned}"),
        "conformity",
        serde_json::json!({"type": "sql", "mustBe": 1}),
        wrapped(&typed),
        None,
        format!("the {subject} is not of type {provisioned}, which the contract gives it (or it is missing)"),
    );
    if property.get("required").and_then(Value::as_bool) == Some(true) {
        let condition = format!("{} IS NULL", quote(column));
        let t = quote(at.table);
        add(
            "field_required",
            format!("The {subject} holds no NULL (required)"),
            "completeness",
            serde_json::json!({"type": "library", "metric": "nullValues", "mustBe": 0}),
            wrapped(&count_where(&t, &condition, false)),
            Some(Scan {
                table: t.clone(),
                expression: count_expression(&condition, false),
            }),
            format!("the {subject} holds {{value}} NULL values; the contract says it is required"),
        );
    }
}

/// Where a rule sits: its port (and the port's location), its schema object and table, its
/// property (name and column) if it is on one, and its position.
struct RuleAt<'a> {
    port: &'a str,
    location: &'a str,
    object: &'a str,
    table: &'a str,
    property: Option<(&'a str, &'a str)>,
    index: usize,
    postgres: bool,
}

/// A rule as the query that measures it, or why it cannot run here.
fn rule_compile(at: &RuleAt<'_>, rule: &Value) -> Result<Executable, Box<NotExecutable>> {
    let RuleAt {
        port,
        location,
        object,
        table,
        property,
        index,
        postgres,
    } = *at;
    let (check, description, kind) = rule_names(at, rule);
    let not_executable = |reason: String| {
        Box::new(NotExecutable {
            check: check.clone(),
            port: port.to_owned(),
            object: object.to_owned(),
            property: property.map(|p| p.0.to_owned()),
            index,
            kind: kind.clone(),
            description: description.clone(),
            reason,
        })
    };
    let parsed: QualityRule = match serde_json::from_value(rule.clone()) {
        Ok(parsed) => parsed,
        Err(e) => {
            return Err(not_executable(format!("the rule does not fit ODCS v3.1: {e}")));
        }
    };
    let metric = metric_of(&parsed);
    if let Err(reason) = executable_kind(&parsed, metric) {
        return Err(not_executable(reason));
    }
    let threshold = match threshold_text(&parsed) {
        Ok(text) => text,
        Err(reason) => {
            return Err(not_executable(reason));
        }
    };
    let percent = parsed
        .unit
        .as_deref()
        .is_some_and(|u| u.eq_ignore_ascii_case("percent"));
    let schema = if postgres { location } else { "main" };
    let (sql, scan) = match rule_sql(
        &parsed,
        metric,
        schema,
        table,
        property.map(|p| p.1),
        percent,
        postgres,
    ) {
        Ok(compiled) => compiled,
        Err(reason) => {
            return Err(not_executable(reason));
        }
    };
    Ok(Executable {
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
        scan,
        rule: parsed,
        location: location.to_owned(),
        failure: None,
    })
}

/// A rule's check id (`port:object[.property]:id-or-position`), its description and its type.
fn rule_names(at: &RuleAt<'_>, rule: &Value) -> (String, Option<String>, String) {
    let RuleAt {
        port,
        object,
        property,
        index,
        ..
    } = *at;
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
    (check, description, kind)
}

/// Whether a rule of this type (and metric) runs on this platform; why not otherwise.
fn executable_kind(parsed: &QualityRule, metric: Option<QualityMetric>) -> Result<(), String> {
    match parsed.kind.unwrap_or_default() {
        QualityType::Text => Err("not executable: a `text` rule describes quality for people".into()),
        QualityType::Custom => Err(format!(
            "not executable: engine `{}` is not installed on this platform (it runs `library` and `sql` rules)",
            parsed.engine.as_deref().unwrap_or("unnamed")
        )),
        QualityType::Library if metric.is_none() => Err(format!(
            "not executable: `{}` is not a metric this platform knows; use rowCount, nullValues, missingValues, \
                 invalidValues or duplicateValues",
            parsed.rule.as_deref().unwrap_or("(no metric)")
        )),
        _ => Ok(()),
    }
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
        format!("SELECT {} FROM {table}", count_expression(condition, percent))
    } else {
        format!("SELECT COUNT(*) FROM {table} WHERE {condition}")
    }
}

/// [`count_where`] as an aggregate expression, for one pass over the table that answers several
/// rules: the same number (a NULL condition counts as not met in both).
fn count_expression(condition: &str, percent: bool) -> String {
    if percent {
        format!(
            "CASE WHEN COUNT(*) = 0 THEN 0 ELSE 100.0 * SUM(CASE WHEN {condition} THEN 1 ELSE 0 END) / COUNT(*) END"
        )
    } else {
        format!("COUNT(CASE WHEN {condition} THEN 1 END)")
    }
}

fn argument<'a>(rule: &'a QualityRule, name: &str) -> Option<&'a Value> {
    rule.arguments.as_ref()?.get(name)
}

/// The one query measuring a rule, returning one number, and its share of a table's one pass if
/// it counts rows.
fn rule_sql(
    rule: &QualityRule,
    metric: Option<QualityMetric>,
    schema: &str,
    table: &str,
    column: Option<&str>,
    percent: bool,
    postgres: bool,
) -> Result<(String, Option<Scan>), String> {
    let t = quote(table);
    let needs_column = |what: &str| {
        column.map(quote).ok_or_else(|| {
            format!("not executable: `{what}` counts values of a column; put the rule on a property")
        })
    };
    let condition = match (rule.kind.unwrap_or_default(), metric) {
        (QualityType::Sql, _) | (_, Some(QualityMetric::DuplicateValues)) => None,
        (_, Some(QualityMetric::RowCount)) => {
            let scan = Scan {
                table: t.clone(),
                expression: "COUNT(*)".into(),
            };
            return Ok((wrapped(&format!("SELECT COUNT(*) FROM {t}")), Some(scan)));
        }
        (_, Some(QualityMetric::NullValues)) => Some(format!("{} IS NULL", needs_column("nullValues")?)),
        (_, Some(QualityMetric::MissingValues)) => {
            Some(missing_values_condition(rule, &needs_column("missingValues")?)?)
        }
        (_, Some(QualityMetric::InvalidValues)) => Some(invalid_values_condition(
            rule,
            &needs_column("invalidValues")?,
            postgres,
        )?),
        _ => return Err("not executable: the rule names no metric".into()),
    };
    if let Some(condition) = condition {
        let scan = Scan {
            table: t.clone(),
            expression: count_expression(&condition, percent),
        };
        return Ok((wrapped(&count_where(&t, &condition, percent)), Some(scan)));
    }
    let inner = match rule.kind.unwrap_or_default() {
        QualityType::Sql => sql_rule_query(rule, schema, &t, column)?,
        _ => duplicate_values_sql(rule, &t, column, percent)?,
    };
    Ok((wrapped(&inner), None))
}

/// A query as one number.
fn wrapped(inner: &str) -> String {
    format!("SELECT CAST(({inner}) AS DOUBLE PRECISION)")
}

/// A `sql` rule's query with the placeholders ODCS tools fill in (datacontract-cli's among them),
/// with or without `$`: `${table}`, `${object}`, `${model}`, `${schema}`, and on a property
/// `${column}`, `${property}`, `${field}`.
fn sql_rule_query(rule: &QualityRule, schema: &str, t: &str, column: Option<&str>) -> Result<String, String> {
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
    let mut names: Vec<(&str, String)> = ["table", "object", "model"]
        .iter()
        .map(|n| (*n, t.to_owned()))
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
    Ok(query)
}

/// `missingValues`: NULLs, and the values `arguments.missingValues` lists.
fn missing_values_condition(rule: &QualityRule, c: &str) -> Result<String, String> {
    let listed = match argument(rule, "missingValues") {
        None => Vec::new(),
        Some(Value::Array(values)) => literals(values)?.0,
        Some(_) => return Err("not executable: `arguments.missingValues` must be a list".into()),
    };
    Ok(if listed.is_empty() {
        format!("{c} IS NULL")
    } else {
        format!("({c} IS NULL OR CAST({c} AS TEXT) IN ({}))", listed.join(", "))
    })
}

/// `invalidValues`: values outside `arguments.validValues` or not matching `arguments.pattern`.
fn invalid_values_condition(rule: &QualityRule, c: &str, postgres: bool) -> Result<String, String> {
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
            "not executable: `invalidValues` needs `arguments.validValues` (a list) or `arguments.pattern`"
                .into(),
        );
    }
    Ok(format!("{c} IS NOT NULL AND ({})", violations.join(" OR ")))
}

/// `duplicateValues`: values (of the column, or tuples of `arguments.properties`) that occur more
/// than once.
fn duplicate_values_sql(
    rule: &QualityRule,
    t: &str,
    column: Option<&str>,
    percent: bool,
) -> Result<String, String> {
    let columns: Vec<String> = match (column, argument(rule, "properties")) {
        (Some(column), _) => vec![quote(column)],
        (None, Some(Value::Array(names))) if !names.is_empty() => names
            .iter()
            .map(|n| n.as_str().map(quote).ok_or("`arguments.properties` lists names"))
            .collect::<Result<_, _>>()?,
        _ => {
            return Err(
                "not executable: `duplicateValues` on a table needs `arguments.properties` (the columns)"
                    .into(),
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
    Ok(if percent {
        format!(
            "SELECT CASE WHEN (SELECT COUNT(*) FROM {t}) = 0 THEN 0 ELSE 100.0 * ({duplicates}) / (SELECT COUNT(*) FROM {t}) END"
        )
    } else {
        duplicates
    })
}

fn number(value: &Value, operator: &str) -> Result<f64, String> {
    value
        .as_f64()
        .or_else(|| value.as_str().and_then(|s| s.trim().parse().ok()))
        .ok_or_else(|| format!("not executable: `{operator}` is `{value}`; the platform compares numbers"))
}

/// The rule's comparison in words, e.g. `mustBeGreaterThan 1000`.
pub(crate) fn threshold_text(rule: &QualityRule) -> Result<String, String> {
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

pub(crate) fn fmt(value: f64) -> String {
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
        let (sql, scan) = rule_sql(&r, metric_of(&r), "main", "t", Some("col"), true, false).unwrap();
        assert!(sql.starts_with("SELECT CAST(("), "{sql}");
        let scan = scan.expect("a count of rows shares its table's pass");
        assert_eq!(scan.table, "\"t\"");
        assert!(scan.expression.contains("NOT IN ('a', 'b''c')"), "{scan:?}");
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
        let (sql, scan) = rule_sql(&r, None, "main", "t", Some("c"), false, false).unwrap();
        assert_eq!(
            sql,
            "SELECT CAST((SELECT COUNT(*) FROM \"t\" WHERE \"c\" < 0) AS DOUBLE PRECISION)"
        );
        assert_eq!(scan, None, "a `sql` rule is a query of its own");
    }
}
