//! Semantic checks: what a JSON Schema cannot say about a document. Duplicate names at one level,
//! references that name nothing (relationships, SLA elements, the columns a quality rule names, the
//! contracts of a request's ports), empty identifiers, and what the standards recommend (semantic
//! versioning, the fields a server type uses, a physical type that fits its logical type).
//!
//! Severity follows the standards: a defect is an error, a recommendation a warning. Every finding
//! names its rule (listed in [`RULES`]), so a pack's manifest or `meshport validate --severity` can
//! raise or lower it.
//!
//! The checks read the JSON tree, not the typed model, so that they still run on a document whose
//! schema check failed elsewhere; every finding's path is a JSON pointer into that tree.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;

use meshport_model::contract::{ServerType, allowed_fields, required_fields};
use meshport_model::finding::pointer_token;
use meshport_model::{Finding, Severity};
use serde_json::{Map, Value};

/// What the whole validation run knows beyond one document.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The ids of the contracts given in the run; `None` when no contract was given, in which case
    /// an output port's contract cannot be checked.
    pub contract_ids: Option<BTreeSet<String>>,
    /// Whether the contracts given are the whole bundle, as in a provisioning request: then an output
    /// port whose contract is missing is an error. Outside a request the contract may live in the
    /// catalog, so a missing one is a warning.
    pub complete: bool,
}

/// Every rule the standard checks (schema and semantic) report, with its default severity and what it
/// covers: the names `--severity RULE=LEVEL` and a pack manifest's `rules:` take.
pub const RULES: &[(&str, Severity, &str)] = &[
    (
        "schema",
        Severity::Error,
        "what the official schema of the document's version refuses",
    ),
    (
        "schema-version",
        Severity::Error,
        "what an ODCS v3.0.x schema refuses but v3.1.0 allows, in a document declaring v3.0.x",
    ),
    (
        "api-version",
        Severity::Error,
        "an apiVersion Meshport knows no schema for",
    ),
    ("document-kind", Severity::Error, "a kind Meshport does not read"),
    ("syntax", Severity::Error, "text that is not YAML or JSON"),
    (
        "duplicate-name",
        Severity::Error,
        "two items of one list with the same name",
    ),
    (
        "empty-identifier",
        Severity::Error,
        "an id or name that is empty or blank",
    ),
    (
        "unknown-reference",
        Severity::Error,
        "a relationship, SLA element or quality rule naming nothing in the contract",
    ),
    (
        "relationship-arity",
        Severity::Error,
        "a composite relationship whose `from` and `to` differ in length",
    ),
    (
        "relationship-from-on-property",
        Severity::Error,
        "a property-level relationship that names `from`",
    ),
    (
        "port-contract",
        Severity::Error,
        "an output port whose contract is not given",
    ),
    (
        "quality-operators",
        Severity::Error,
        "a quality rule with several comparison operators (or none: warning)",
    ),
    (
        "quality-required-field",
        Severity::Error,
        "a quality rule without the field its type needs",
    ),
    (
        "server-required-field",
        Severity::Error,
        "a server without a field its type needs",
    ),
    (
        "semver",
        Severity::Warning,
        "a version that is not semantic versioning",
    ),
    (
        "server-unknown-field",
        Severity::Warning,
        "a server field its type does not use",
    ),
    (
        "physical-type",
        Severity::Warning,
        "a physical type that does not fit the logical type",
    ),
    (
        "no-standard",
        Severity::Info,
        "a document of no standard, checked by policies alone",
    ),
];

/// Whether `name` is one of the standard's rules in [`RULES`].
pub fn is_rule(name: &str) -> bool {
    RULES.iter().any(|(rule, ..)| *rule == name)
}

/// Reads `RULE=LEVEL`, as `meshport validate --severity` takes it: LEVEL is one of error, warning,
/// info; RULE one of the standard's [`RULES`] or a policy's `pack/rule`. The error says what was
/// wrong and lists what is accepted.
pub fn severity_parse(text: &str) -> Result<(String, Severity), String> {
    let (rule, level) = text
        .split_once('=')
        .ok_or_else(|| format!("`{text}` is not RULE=LEVEL, e.g. semver=error"))?;
    let severity = match level {
        "error" => Severity::Error,
        "warning" => Severity::Warning,
        "info" => Severity::Info,
        other => return Err(format!("level `{other}` is not one of error, warning, info")),
    };
    // A policy's rule is `pack/rule`; any other name must be one of the standard's.
    if !rule.contains('/') && !is_rule(rule) {
        return Err(format!(
            "`{rule}` is neither one of the standard's rules ({}) nor a policy's `pack/rule`",
            RULES
                .iter()
                .map(|(name, ..)| *name)
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Ok((rule.to_owned(), severity))
}

/// Sets the severity of every finding of a rule named in `severities` (`(rule, severity)`, the last
/// naming a rule winning), as `--severity` asks after the packs' own settings.
pub fn severities_override(findings: &mut [Finding], severities: &[(String, Severity)]) {
    for finding in findings {
        if let Some((_, severity)) = severities.iter().rev().find(|(rule, _)| *rule == finding.rule) {
            finding.severity = *severity;
        }
    }
}

/// Semantic findings of an ODPS data product at `base` (`""` for a whole document).
pub fn product(doc: &Value, base: &str, context: &Context, out: &mut Vec<Finding>) {
    semver(doc.get("version"), &format!("{base}/version"), out);
    for (list, key_fields) in [
        ("inputPorts", &["name", "version"][..]),
        ("outputPorts", &["name", "version"]),
        ("managementPorts", &["name"]),
    ] {
        let path = format!("{base}/{list}");
        duplicates(doc.get(list), &path, key_fields, "port", out);
        for (i, port) in items(doc.get(list)) {
            semver(port.get("version"), &format!("{path}/{i}/version"), out);
            for (j, input) in items(port.get("inputContracts")) {
                semver(
                    input.get("version"),
                    &format!("{path}/{i}/inputContracts/{j}/version"),
                    out,
                );
            }
        }
    }
    if let Some(known) = &context.contract_ids {
        for (i, port) in items(doc.get("outputPorts")) {
            if let Some(id) = port.get("contractId").and_then(Value::as_str)
                && !id.trim().is_empty()
                && !known.contains(id)
            {
                let path = format!("{base}/outputPorts/{i}/contractId");
                out.push(if context.complete {
                    Finding::error(
                        "port-contract",
                        path,
                        format!(
                            "output port {} names contract {id}, which is not in the request",
                            label(port)
                        ),
                        "Add the contract to the request's `contracts`, or correct the contractId.",
                    )
                } else {
                    Finding::new(
                        "port-contract",
                        Severity::Warning,
                        path,
                        format!(
                            "output port {} names contract {id}, which is not among the documents given; \
                             it may live in the catalog",
                            label(port)
                        ),
                        "Validate the contract beside the product to check the port against it, or correct the contractId.",
                    )
                });
            }
        }
    }
    identifier(doc.get("id"), || format!("{base}/id"), "the product's `id`", out);
    for list in ["inputPorts", "outputPorts", "managementPorts"] {
        for (i, port) in items(doc.get(list)) {
            identifier(
                port.get("name"),
                || format!("{base}/{list}/{i}/name"),
                "a port's `name`",
                out,
            );
        }
    }
    duplicates(
        doc.pointer("/team/members"),
        &format!("{base}/team/members"),
        &["username"],
        "team member",
        out,
    );
    custom_properties(doc, base, out);
}

/// Semantic findings of an ODCS data contract at `base`, one its official schema also checks.
pub fn contract(doc: &Value, base: &str, out: &mut Vec<Finding>) {
    contract_checks(doc, base, false, out);
}

/// `in_request`: the contract sits in a provisioning request, whose generated schema does not check
/// the fields each server and quality type needs, so these checks do.
fn contract_checks(doc: &Value, base: &str, in_request: bool, out: &mut Vec<Finding>) {
    let how = How {
        in_request,
        v3_0: doc
            .get("apiVersion")
            .and_then(Value::as_str)
            .is_some_and(|v| v.starts_with("v3.0.")),
    };
    semver(doc.get("version"), &format!("{base}/version"), out);
    identifier(doc.get("id"), || format!("{base}/id"), "the contract's `id`", out);
    for (i, object) in items(doc.get("schema")) {
        identifier(
            object.get("name"),
            || format!("{base}/schema/{i}/name"),
            "a schema object's `name`",
            out,
        );
    }
    duplicates(
        doc.get("schema"),
        &format!("{base}/schema"),
        &["name"],
        "schema object",
        out,
    );
    duplicates(
        doc.get("servers"),
        &format!("{base}/servers"),
        &["server"],
        "server",
        out,
    );
    duplicates(doc.get("roles"), &format!("{base}/roles"), &["role"], "role", out);
    // ODCS v3.1.0's stable ids must be unique within their list.
    for list in ["schema", "servers", "roles", "slaProperties", "support"] {
        duplicates(doc.get(list), &format!("{base}/{list}"), &["id"], "id", out);
    }
    let index = PropertyIndex::new(doc);
    for (i, server) in items(doc.get("servers")) {
        server_fields(server, &format!("{base}/servers/{i}"), in_request, out);
    }
    for (i, object) in items(doc.get("schema")) {
        let path = format!("{base}/schema/{i}");
        let object_name = object.get("name").and_then(Value::as_str).unwrap_or_default();
        for (j, relationship) in items(object.get("relationships")) {
            let at = format!("{path}/relationships/{j}");
            for end in ["from", "to"] {
                references(
                    relationship.get(end),
                    &format!("{at}/{end}"),
                    &index,
                    in_request,
                    out,
                );
            }
            if let (Some(Value::Array(from)), Some(Value::Array(to))) =
                (relationship.get("from"), relationship.get("to"))
                && from.len() != to.len()
            {
                out.push(Finding::error(
                    "relationship-arity",
                    format!("{at}/to"),
                    format!(
                        "the composite relationship maps {} source properties to {} targets",
                        from.len(),
                        to.len()
                    ),
                    "Give `from` and `to` the same number of properties, in matching order.",
                ));
            }
        }
        quality_rules(
            object.get("quality"),
            &format!("{path}/quality"),
            Some(object),
            how,
            out,
        );
        properties(
            object.get("properties"),
            &format!("{path}/properties"),
            object_name,
            &index,
            how,
            out,
        );
    }
    for (i, sla) in items(doc.get("slaProperties")) {
        if let Some(element) = sla.get("element").and_then(Value::as_str) {
            let path = format!("{base}/slaProperties/{i}/element");
            for reference in element.split(',').map(str::trim).filter(|r| !r.is_empty()) {
                if index.is_local(reference) {
                    // An SLA may apply to a whole object (a table) as well as to a property.
                    if !index.resolves(reference) && !index.objects.contains(reference) {
                        out.push(unknown_reference(reference, path.clone()));
                    }
                } else {
                    // The standard's own examples point SLAs at tables outside `schema`; say so, gently.
                    out.push(Finding::new(
                        "unknown-reference",
                        Severity::Warning,
                        path.clone(),
                        format!("`{reference}` names an object that is not in this contract's schema"),
                        "Point the SLA at `object.property` names from `schema`, or add the object to `schema`.",
                    ));
                }
            }
        }
    }
    custom_properties(doc, base, out);
}

/// How a contract's checks run: whether it sits in a provisioning request (see [`contract_checks`]),
/// and whether it declares ODCS v3.0.x, whose library rules name `rule` rather than `metric`.
#[derive(Debug, Clone, Copy)]
struct How {
    in_request: bool,
    v3_0: bool,
}

/// Semantic findings of a provisioning request: its product and contracts, checked together.
pub fn provisioning_request(doc: &Value, context: &Context, out: &mut Vec<Finding>) {
    let mut ids: BTreeSet<String> = context.contract_ids.clone().unwrap_or_default();
    for (i, contract_doc) in items(doc.get("contracts")) {
        contract_checks(contract_doc, &format!("/contracts/{i}"), true, out);
        if let Some(id) = contract_doc.get("id").and_then(Value::as_str) {
            ids.insert(id.to_owned());
        }
    }
    duplicates(doc.get("contracts"), "/contracts", &["id"], "contract", out);
    if let Some(product_doc) = doc.get("product") {
        product(
            product_doc,
            "/product",
            &Context {
                contract_ids: Some(ids),
                complete: true,
            },
            out,
        );
    }
}

fn properties(
    list: Option<&Value>,
    path: &str,
    parent: &str,
    index: &PropertyIndex,
    how: How,
    out: &mut Vec<Finding>,
) {
    duplicates(list, path, &["name"], "property", out);
    duplicates(list, path, &["id"], "id", out);
    for (i, property) in items(list) {
        identifier(
            property.get("name"),
            || format!("{path}/{i}/name"),
            "a property's `name`",
            out,
        );
    }
    for (i, property) in items(list) {
        let at = format!("{path}/{i}");
        let name = property.get("name").and_then(Value::as_str).unwrap_or_default();
        for (j, relationship) in items(property.get("relationships")) {
            let rel = format!("{at}/relationships/{j}");
            if relationship.get("from").is_some() {
                out.push(Finding::error(
                    "relationship-from-on-property",
                    format!("{rel}/from"),
                    format!("a relationship on property `{parent}.{name}` must not name `from`: the property is its source"),
                    "Remove `from`, or move the relationship to the schema object's `relationships`.",
                ));
            }
            references(
                relationship.get("to"),
                &format!("{rel}/to"),
                index,
                how.in_request,
                out,
            );
        }
        if property.get("quality").is_some() {
            quality_rules(property.get("quality"), &format!("{at}/quality"), None, how, out);
        }
        physical_type(property, &at, out);
        if property.get("properties").is_some() {
            properties(
                property.get("properties"),
                &format!("{at}/properties"),
                name,
                index,
                how,
                out,
            );
        }
        if let Some(item) = property.get("items") {
            properties(
                item.get("properties"),
                &format!("{at}/items/properties"),
                name,
                index,
                how,
                out,
            );
        }
    }
}

/// The comparison operators of a quality rule, in document names.
const OPERATORS: [&str; 8] = [
    "mustBe",
    "mustNotBe",
    "mustBeGreaterThan",
    "mustBeGreaterOrEqualTo",
    "mustBeLessThan",
    "mustBeLessOrEqualTo",
    "mustBeBetween",
    "mustNotBeBetween",
];

fn quality_rules(list: Option<&Value>, path: &str, object: Option<&Value>, how: How, out: &mut Vec<Finding>) {
    let How { in_request, v3_0 } = how;
    for (i, rule) in items(list) {
        // Built only for a finding: this runs for every column's every rule.
        let at = || format!("{path}/{i}");
        let kind = rule.get("type").and_then(Value::as_str).unwrap_or("library");
        // The rule's few keys against the operators, in the standard's order of operators.
        let mut operators: Vec<&str> = rule
            .as_object()
            .into_iter()
            .flat_map(|map| map.keys())
            .map(String::as_str)
            .filter(|key| OPERATORS.contains(key))
            .collect();
        operators.sort_by_key(|op| OPERATORS.iter().position(|o| o == op));
        if operators.len() > 1 {
            out.push(Finding::error(
                "quality-operators",
                format!("{}/{}", at(), operators[1]),
                format!(
                    "the quality rule sets {} comparison operators ({}); it may set one",
                    operators.len(),
                    operators.join(", ")
                ),
                format!(
                    "Keep one of {} and remove the others, or split the rule in two.",
                    operators.join(", ")
                ),
            ));
        }
        let needs = |field: &str, why: &str, out: &mut Vec<Finding>| {
            if rule.get(field).is_none() {
                out.push(Finding::error(
                    "quality-required-field",
                    at(),
                    format!("a `{kind}` quality rule needs `{field}`"),
                    format!("Add `{field}`: {why}."),
                ));
            }
        };
        // The official schemas check these of a standalone contract, but for a rule without `type`
        // (a library rule by default) v3.1.0's does not ask for `metric`; a request's generated schema
        // checks none of them.
        let untyped_metricless = rule.get("type").is_none() && rule.get("metric").is_none() && !v3_0;
        match kind {
            "library" if untyped_metricless && rule.get("rule").is_some() => out.push(Finding::error(
                "quality-required-field",
                at(),
                "the library quality rule has the deprecated `rule` and no `metric`, which ODCS v3.1.0 requires",
                "Write `metric:` with one of nullValues, missingValues, invalidValues, duplicateValues, rowCount \
                 (`meshport upgrade` maps the v3.0 rule names), or declare the contract's ODCS v3.0 version.",
            )),
            "library" if rule.get("metric").is_none() && (in_request || untyped_metricless) => needs(
                "metric",
                "the library metric to compute, e.g. nullValues, rowCount or invalidValues",
                out,
            ),
            _ if !in_request => {}
            "sql" => needs("query", "the SQL whose result the operator compares", out),
            "custom" => needs("implementation", "the check in the engine's own terms", out),
            _ => {}
        }
        if matches!(kind, "library" | "sql") && operators.is_empty() && rule.get("metric").is_some() {
            out.push(Finding::new(
                "quality-operators",
                Severity::Warning,
                at(),
                "the quality rule has no comparison operator, so it can never fail",
                "Add one operator such as mustBe: 0 or mustBeLessThan: 10.",
            ));
        }
        if let (Some(object), Some(names)) = (
            object,
            rule.pointer("/arguments/properties").and_then(Value::as_array),
        ) {
            let known: Vec<&str> = items(object.get("properties"))
                .filter_map(|(_, p)| p.get("name").and_then(Value::as_str))
                .collect();
            for (j, name) in names.iter().enumerate() {
                if let Some(name) = name.as_str()
                    && !known.contains(&name)
                {
                    out.push(Finding::error(
                        "unknown-reference",
                        format!("{}/arguments/properties/{j}", at()),
                        format!(
                            "the quality rule names property `{name}`, which the schema object does not have"
                        ),
                        format!("Use one of: {}.", known.join(", ")),
                    ));
                }
            }
        }
    }
}

fn server_fields(server: &Value, path: &str, in_request: bool, out: &mut Vec<Finding>) {
    let Some(kind) = server
        .get("type")
        .and_then(|t| serde_json::from_value::<ServerType>(t.clone()).ok())
    else {
        return; // An unknown type is the schema check's finding.
    };
    let type_name = server["type"].as_str().unwrap_or_default();
    // The official schemas require these per type; a request's generated schema does not.
    for field in required_fields(kind).iter().filter(|_| in_request) {
        if server.get(*field).is_none() {
            out.push(Finding::error(
                "server-required-field",
                path,
                format!("a server of type `{type_name}` needs `{field}`"),
                format!("Add `{field}` to server {}.", label_with(server, "server")),
            ));
        }
    }
    const COMMON: [&str; 7] = [
        "id",
        "server",
        "type",
        "description",
        "environment",
        "roles",
        "customProperties",
    ];
    if let Some(fields) = server.as_object() {
        for field in fields.keys() {
            // A recommendation: ODCS v3.0.x schemas allow any field on any server (v3.1.0 refuses
            // them itself, and that schema error is the finding then).
            if !COMMON.contains(&field.as_str()) && !allowed_fields(kind).contains(&field.as_str()) {
                out.push(Finding::new(
                    "server-unknown-field",
                    Severity::Warning,
                    format!("{path}/{}", pointer_token(field)),
                    format!("a server of type `{type_name}` does not use `{field}`"),
                    format!(
                        "Remove `{field}`; a server of type `{type_name}` takes {}.",
                        allowed_fields(kind).join(", ")
                    ),
                ));
            }
        }
    }
}

/// Families of physical types, told by the type's first word (`VARCHAR(64)`, `TIMESTAMP WITH TIME
/// ZONE`, `array<string>`), with the logical types each can carry. String, binary and JSON-like
/// physical types can carry anything and are not checked; unknown ones neither.
const PHYSICAL_FAMILIES: &[(&[&str], &[&str])] = &[
    (&["boolean", "bool"], &["boolean"]),
    (
        &[
            "int",
            "integer",
            "bigint",
            "smallint",
            "tinyint",
            "mediumint",
            "hugeint",
            "int2",
            "int4",
            "int8",
            "int16",
            "int32",
            "int64",
            "long",
            "short",
            "byte",
            "serial",
            "bigserial",
            "smallserial",
        ],
        &["integer", "number"],
    ),
    (&["decimal", "numeric", "number", "dec"], &["number", "integer"]),
    (
        &[
            "float", "float4", "float8", "float32", "float64", "double", "real",
        ],
        &["number"],
    ),
    (&["date"], &["date"]),
    (
        &[
            "timestamp",
            "timestamptz",
            "timestamp_ntz",
            "timestamp_ltz",
            "timestamp_tz",
            "datetime",
            "datetime2",
            "smalldatetime",
            "datetimeoffset",
        ],
        &["timestamp", "date"],
    ),
    (&["time", "timetz"], &["time", "date"]),
    (&["array"], &["array"]),
    (&["struct", "map", "record", "row"], &["object"]),
];

/// A physical type that does not fit the property's logical type, such as `BOOLEAN` for an
/// `integer`: a warning, as the standard leaves the mapping to the platform.
fn physical_type(property: &Value, at: &str, out: &mut Vec<Finding>) {
    let (Some(logical), Some(physical)) = (
        property.get("logicalType").and_then(Value::as_str),
        property.get("physicalType").and_then(Value::as_str),
    ) else {
        return;
    };
    let word = physical
        .split(|c: char| c == '(' || c == '<' || c == '[' || c.is_whitespace())
        .find(|w| !w.is_empty())
        .unwrap_or_default();
    let Some((_, fits)) = PHYSICAL_FAMILIES
        .iter()
        .find(|(names, _)| names.iter().any(|n| n.eq_ignore_ascii_case(word)))
    else {
        return;
    };
    if fits.contains(&logical) {
        return;
    }
    out.push(Finding::new(
        "physical-type",
        Severity::Warning,
        format!("{at}/physicalType"),
        format!("physical type `{physical}` does not fit logical type `{logical}`"),
        format!(
            "Set `logicalType` to {}, or correct `physicalType`.",
            fits.iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(" or ")
        ),
    ));
}

/// Where shorthand (`table.column`) and id-based (`schema/<id>/properties/<id>`) references resolve.
struct PropertyIndex {
    /// `table.column.nested`, and `schema/<id>/properties/<id>/properties/<id>`.
    paths: BTreeSet<String>,
    objects: BTreeSet<String>,
}

impl PropertyIndex {
    fn new(doc: &Value) -> PropertyIndex {
        let mut index = PropertyIndex {
            paths: BTreeSet::new(),
            objects: BTreeSet::new(),
        };
        for (_, object) in items(doc.get("schema")) {
            let name = object.get("name").and_then(Value::as_str).map(str::to_owned);
            let id = object
                .get("id")
                .and_then(Value::as_str)
                .map(|id| format!("schema/{id}"));
            index.objects.extend(name.clone());
            index.objects.extend(id.clone());
            index.add(object.get("properties"), name, id);
        }
        index
    }

    fn add(&mut self, list: Option<&Value>, by_name: Option<String>, by_id: Option<String>) {
        for (_, property) in items(list) {
            let name = property.get("name").and_then(Value::as_str);
            let named = by_name
                .as_ref()
                .zip(name)
                .map(|(parent, name)| format!("{parent}.{name}"));
            let id = property.get("id").and_then(Value::as_str);
            let ided = by_id
                .as_ref()
                .zip(id)
                .map(|(parent, id)| format!("{parent}/properties/{id}"));
            self.paths.extend(named.clone());
            self.paths.extend(ided.clone());
            self.add(property.get("properties"), named.clone(), ided.clone());
            if let Some(item) = property.get("items") {
                self.add(item.get("properties"), named, ided);
            }
        }
    }

    fn resolves(&self, reference: &str) -> bool {
        self.paths.contains(reference)
    }

    /// Whether `reference` points into this contract (rather than at another one).
    fn is_local(&self, reference: &str) -> bool {
        if reference.contains('#') {
            return false;
        }
        match reference.split_once("/properties/") {
            Some((object, _)) => self.objects.contains(object),
            None => reference
                .split('.')
                .next()
                .is_some_and(|object| self.objects.contains(object)),
        }
    }
}

/// Checks the reference(s) of one end of a relationship. Both ends name properties of this contract,
/// except a target written with another contract's file before `#`
/// (`customers.yaml#/schema/customers/properties/id`), which cannot be checked from here: the shorthand
/// `table.column` and `schema/<id>/properties/<id>` always mean this contract.
///
/// Inside a provisioning request, a target naming an object the contract does not have is a warning:
/// the request's contracts are a slice of the mesh and commonly point at shared reference data that
/// another product publishes (`countries.code`), which the platform's catalog, not the bundle, holds.
fn references(
    end: Option<&Value>,
    path: &str,
    index: &PropertyIndex,
    in_request: bool,
    out: &mut Vec<Finding>,
) {
    let refs: Vec<(String, &str)> = match end {
        Some(Value::String(r)) => vec![(path.to_owned(), r.as_str())],
        Some(Value::Array(list)) => list
            .iter()
            .enumerate()
            .filter_map(|(i, r)| Some((format!("{path}/{i}"), r.as_str()?)))
            .collect(),
        _ => return,
    };
    for (at, reference) in refs {
        if reference.contains('#') || index.resolves(reference) {
            continue;
        }
        if index.is_local(reference) {
            out.push(unknown_reference(reference, at));
        } else {
            let object = reference
                .split_once("/properties/")
                .map_or_else(|| reference.split('.').next().unwrap_or(reference), |(o, _)| o);
            let severity = if in_request && !path.ends_with("/from") && !path.contains("/from/") {
                Severity::Warning
            } else {
                Severity::Error
            };
            out.push(Finding::new(
                "unknown-reference",
                severity,
                at,
                format!("`{reference}` names `{object}`, which is not an object of this contract's schema"),
                "Use `object.property` with names from `schema`; to point at another contract, write its \
                 file before `#`, e.g. `customers.yaml#/schema/customers/properties/id`.",
            ));
        }
    }
}

fn unknown_reference(reference: &str, path: String) -> Finding {
    Finding::error(
        "unknown-reference",
        path,
        format!("`{reference}` names a property that does not exist in this contract"),
        "Use `object.property` with names from `schema` (or `schema/<id>/properties/<id>`), and check the spelling.",
    )
}

/// Whether `version` is semantic versioning, `v` prefix allowed (`1.2.0`, `v1.2.0-rc.1`).
pub fn is_semver(version: &str) -> bool {
    semver::Version::parse(version.strip_prefix('v').unwrap_or(version)).is_ok()
}

fn semver(version: Option<&Value>, path: &str, out: &mut Vec<Finding>) {
    let Some(version) = version.and_then(Value::as_str) else {
        return;
    };
    if semver::Version::parse(version).is_ok() {
        return;
    }
    if let Some(stripped) = version.strip_prefix('v')
        && semver::Version::parse(stripped).is_ok()
    {
        out.push(Finding::new(
            "semver",
            Severity::Warning,
            path,
            format!("version `{version}` has a `v` prefix, which semantic versioning does not"),
            format!("Write `{stripped}`."),
        ));
        return;
    }
    // The standards recommend semantic versioning; they do not require it.
    out.push(Finding::new(
        "semver",
        Severity::Warning,
        path,
        format!("version `{version}` is not semantic versioning, which the standard recommends"),
        "Write MAJOR.MINOR.PATCH, e.g. 1.0.0 or 2.1.0-rc.1.",
    ));
}

/// Reports items of `list` whose `key_fields` repeat an earlier item's.
fn duplicates(list: Option<&Value>, path: &str, key_fields: &[&str], what: &str, out: &mut Vec<Finding>) {
    let mut seen: HashMap<Vec<&Value>, usize> = HashMap::new();
    for (i, item) in items(list) {
        let key: Vec<&Value> = key_fields.iter().filter_map(|field| item.get(*field)).collect();
        if key.len() != key_fields.len() {
            continue; // A missing key field is the schema check's finding.
        }
        if let Some(first) = seen.get(&key) {
            let shown: Vec<String> = key
                .iter()
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                .collect();
            out.push(Finding::error(
                "duplicate-name",
                format!("{path}/{i}/{}", key_fields[0]),
                format!(
                    "{what} `{}` is defined twice, here and at {path}/{first}",
                    shown.join("` version `")
                ),
                format!(
                    "Give each {what} a unique {} at this level.",
                    key_fields.join(" and ")
                ),
            ));
        } else {
            seen.insert(key, i);
        }
    }
}

/// Duplicate custom property names anywhere under `doc`.
fn custom_properties(doc: &Value, base: &str, out: &mut Vec<Finding>) {
    // Runs over every node of a request of hundreds of columns, so it only descends into containers
    // and builds pointers without allocating.
    fn walk(value: &Value, path: &mut String, out: &mut Vec<Finding>) {
        match value {
            Value::Object(map) => walk_object(map, path, out),
            Value::Array(list) => {
                for (i, item) in list.iter().enumerate().filter(|(_, item)| is_container(item)) {
                    let len = path.len();
                    let _ = write!(path, "/{i}");
                    walk(item, path, out);
                    path.truncate(len);
                }
            }
            _ => {}
        }
    }
    fn walk_object(map: &Map<String, Value>, path: &mut String, out: &mut Vec<Finding>) {
        for (key, value) in map {
            let descend = key != "contracts" && key != "product" && is_container(value);
            if key != "customProperties" && !descend {
                continue;
            }
            let len = path.len();
            path.push('/');
            if key.contains(['~', '/']) {
                path.push_str(&pointer_token(key));
            } else {
                path.push_str(key);
            }
            if key == "customProperties" {
                duplicates(Some(value), path, &["property"], "custom property", out);
            } else {
                walk(value, path, out);
            }
            path.truncate(len);
        }
    }
    fn is_container(value: &Value) -> bool {
        value.is_object() || value.is_array()
    }
    let mut path = base.to_owned();
    walk(doc, &mut path, out);
}

/// An identifier the standard requires (an `id`, the `name` of a property or port) that is an empty
/// or blank string: the schema allows it, but nothing could refer to it.
fn identifier(value: Option<&Value>, path: impl FnOnce() -> String, what: &str, out: &mut Vec<Finding>) {
    if let Some(Value::String(text)) = value
        && text.trim().is_empty()
    {
        out.push(Finding::error(
            "empty-identifier",
            path(),
            format!("{what} is empty; it is an identifier, so it needs a value"),
            "Give it a value: a UUID or a stable name in lower case with dashes or underscores.",
        ));
    }
}

fn items(list: Option<&Value>) -> impl Iterator<Item = (usize, &Value)> {
    list.and_then(Value::as_array).into_iter().flatten().enumerate()
}

fn label(item: &Value) -> String {
    label_with(item, "name")
}

fn label_with(item: &Value, field: &str) -> String {
    item.get(field)
        .and_then(Value::as_str)
        .map_or_else(|| "(unnamed)".to_owned(), |n| format!("`{n}`"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn severity_flags_name_known_rules_and_levels() {
        assert_eq!(
            severity_parse("semver=error"),
            Ok(("semver".into(), Severity::Error))
        );
        assert!(severity_parse("global/owner=info").is_ok());
        assert!(severity_parse("semvr=error").unwrap_err().contains("semver"));
        assert!(severity_parse("semver=fatal").is_err());
        assert!(severity_parse("semver").unwrap_err().contains("RULE=LEVEL"));
        let mut found = vec![
            Finding::new("semver", Severity::Warning, "/version", "m", "h"),
            Finding::error("schema", "/id", "m", "h"),
        ];
        severities_override(
            &mut found,
            &[
                ("semver".into(), Severity::Info),
                ("semver".into(), Severity::Error),
            ],
        );
        assert_eq!(
            found.iter().map(|f| f.severity).collect::<Vec<_>>(),
            [Severity::Error, Severity::Error]
        );
    }

    fn findings(f: impl FnOnce(&mut Vec<Finding>)) -> Vec<(String, Severity, String)> {
        let mut out = Vec::new();
        f(&mut out);
        out.into_iter().map(|f| (f.rule, f.severity, f.path)).collect()
    }

    /// The standards recommend semantic versioning: a warning, not an error.
    #[test]
    fn versions_should_be_semantic() {
        let doc = json!({"version": "1.0"});
        assert_eq!(
            findings(|out| product(&doc, "", &Context::default(), out)),
            [("semver".into(), Severity::Warning, "/version".into())]
        );
        let doc = json!({"version": "v1.2.3"});
        assert_eq!(
            findings(|out| product(&doc, "", &Context::default(), out)),
            [("semver".into(), Severity::Warning, "/version".into())]
        );
        let doc = json!({"version": "2.0.0-rc.1+build.5"});
        assert!(findings(|out| product(&doc, "", &Context::default(), out)).is_empty());
    }

    #[test]
    fn ports_are_keyed_by_name_and_version() {
        let doc = json!({"outputPorts": [
            {"name": "a", "version": "1.0.0"}, {"name": "a", "version": "2.0.0"}, {"name": "a", "version": "1.0.0"}
        ]});
        assert_eq!(
            findings(|out| product(&doc, "", &Context::default(), out)),
            [(
                "duplicate-name".into(),
                Severity::Error,
                "/outputPorts/2/name".into()
            )]
        );
    }

    /// A contract missing from a provisioning request is an error (the bundle must be complete);
    /// missing from the files validated, a warning (it may live in the catalog).
    #[test]
    fn output_ports_name_a_given_contract_strictly_in_requests_only() {
        let doc = json!({"outputPorts": [{"name": "a", "version": "1.0.0", "contractId": "c1"}]});
        assert!(
            findings(|out| product(&doc, "", &Context::default(), out)).is_empty(),
            "no contracts given"
        );
        for (complete, severity) in [(true, Severity::Error), (false, Severity::Warning)] {
            let known = Context {
                contract_ids: Some(["c2".to_owned()].into()),
                complete,
            };
            assert_eq!(
                findings(|out| product(&doc, "", &known, out)),
                [(
                    "port-contract".into(),
                    severity,
                    "/outputPorts/0/contractId".into()
                )]
            );
        }
    }

    #[test]
    fn empty_identifiers_are_errors_with_a_hint() {
        let doc = json!({"id": " ", "schema": [{"name": "", "properties": [{"name": "ok"}, {"name": ""}]}]});
        let got: Vec<_> = findings(|out| contract(&doc, "", out))
            .into_iter()
            .filter(|(rule, _, _)| rule == "empty-identifier")
            .map(|(_, _, path)| path)
            .collect();
        assert_eq!(got, ["/id", "/schema/0/name", "/schema/0/properties/1/name"]);
        let product_doc = json!({"id": "", "outputPorts": [{"name": "", "version": "1.0.0"}]});
        let got: Vec<_> = findings(|out| product(&product_doc, "", &Context::default(), out))
            .into_iter()
            .filter(|(rule, _, _)| rule == "empty-identifier")
            .map(|(_, _, path)| path)
            .collect();
        assert_eq!(got, ["/id", "/outputPorts/0/name"]);
    }

    #[test]
    fn relationships_resolve_by_name_and_by_id() {
        let doc = json!({"schema": [
            {"name": "orders", "id": "o", "properties": [{"name": "customer_id", "id": "c"}],
             "relationships": [
                {"from": "orders.customer_id", "to": "customers.yaml#/schema/customers/properties/id"},
                {"from": "schema/o/properties/c", "to": "orders.customer_id"},
                {"from": "orders.custmer_id", "to": "orders.nope"},
                {"from": "orders.customer_id", "to": "customers.id"}
             ]}
        ]});
        assert_eq!(
            findings(|out| contract(&doc, "", out)),
            [
                (
                    "unknown-reference".into(),
                    Severity::Error,
                    "/schema/0/relationships/2/from".into()
                ),
                (
                    "unknown-reference".into(),
                    Severity::Error,
                    "/schema/0/relationships/2/to".into()
                ),
                // `customers` is not an object of this contract; another contract's is written with
                // its file before `#`.
                (
                    "unknown-reference".into(),
                    Severity::Error,
                    "/schema/0/relationships/3/to".into()
                ),
            ]
        );
    }

    #[test]
    fn nested_property_names_are_checked_per_level() {
        let doc = json!({"schema": [{"name": "t", "properties": [
            {"name": "address", "properties": [{"name": "city"}, {"name": "city"}]},
            {"name": "city"}
        ]}]});
        assert_eq!(
            findings(|out| contract(&doc, "", out)),
            [(
                "duplicate-name".into(),
                Severity::Error,
                "/schema/0/properties/0/properties/1/name".into()
            )]
        );
    }
}
