//! What changed between two versions, and whether it breaks: the walk over a product's output ports
//! and their contracts, a contract's tables and their columns (paired by `id`, else by `name`), and
//! each change classified as a [`ChangeKind`].
//!
//! Allowed values: ODCS 3.1 has no `enum` keyword (`logicalTypeOptions` holds lengths, bounds,
//! formats and patterns only); a property's allowed values are the `validValues` argument of its
//! `invalidValues` quality rule, or a custom property named `enum`, `allowedValues` or `validValues`
//! whose value is a list.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use meshport_model::finding::pointer_token;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::sql_types::{Compat, order, physical_compat};
use super::{ContractResolver, DiffError, PortRef, Side, flag, list, text, version_key};

macro_rules! change_kinds {
    ($($(#[doc = $doc:literal])* $variant:ident = $code:literal, $breaking:literal;)*) => {
        /// The kind of a change, with a stable kebab-case code; each kind is breaking or not.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum ChangeKind {
            $($(#[doc = $doc])* #[serde(rename = $code)] $variant,)*
        }

        impl ChangeKind {
            /// Every kind, breaking ones first.
            pub const ALL: &'static [ChangeKind] = &[$(ChangeKind::$variant),*];

            /// The stable code, e.g. `column-removed`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ChangeKind::$variant => $code,)*
                }
            }

            /// Whether a consumer written against the old version may fail against the new one.
            pub fn breaking(self) -> bool {
                match self {
                    $(ChangeKind::$variant => $breaking,)*
                }
            }
        }
    };
}

change_kinds! {
    /// An output port (a name and version) is gone.
    PortRemoved = "port-removed", true;
    /// An output port no longer names a contract.
    PortContractRemoved = "port-contract-removed", true;
    /// A schema object (table) is gone.
    TableRemoved = "table-removed", true;
    /// A schema object kept its `id` but changed its `name`.
    TableRenamed = "table-renamed", true;
    /// A property (column) is gone.
    ColumnRemoved = "column-removed", true;
    /// A property kept its `id` but changed its `name`.
    ColumnRenamed = "column-renamed", true;
    /// A table's or column's `physicalName` changed: queries by the old name fail.
    PhysicalNameChanged = "physical-name-changed", true;
    /// A type accepts fewer values: `number` → `integer`, `varchar(100)` → `varchar(50)`, `bigint`
    /// → `int`, `timestamp` → `date`, a lower `maxLength`, a type where there was none.
    TypeNarrowed = "type-narrowed", true;
    /// A type changed to one that neither holds nor fits in the old: `string` → `integer`.
    TypeChanged = "type-changed", true;
    /// A property became required (`required` false or absent → true).
    ColumnRequired = "column-required", true;
    /// A required property was added.
    RequiredColumnAdded = "required-column-added", true;
    /// A property became not nullable: a `nullValues` rule that must be 0, or a custom property
    /// `nullable: false`, appeared.
    ColumnNotNullable = "column-not-nullable", true;
    /// A value of a property's allowed values is gone.
    EnumValueRemoved = "enum-value-removed", true;
    /// A property that took any value now takes a list of allowed values.
    EnumConstraintAdded = "enum-constraint-added", true;
    /// A table's primary key (its `primaryKey` properties, by `primaryKeyPosition`) changed.
    PrimaryKeyChanged = "primary-key-changed", true;
    /// An output port was added.
    PortAdded = "port-added", false;
    /// An output port of the same name moved to another version.
    PortVersionChanged = "port-version-changed", false;
    /// An output port names another contract (or names one where it named none); the contracts'
    /// schemas are compared.
    PortContractChanged = "port-contract-changed", false;
    /// A schema object (table) was added.
    TableAdded = "table-added", false;
    /// An optional property (column) was added.
    ColumnAdded = "column-added", false;
    /// A type accepts more values: `integer` → `number`, `int` → `bigint`, `varchar(50)` →
    /// `varchar(100)`, `date` → `timestamp`, a higher `maxLength`, no type where there was one.
    TypeWidened = "type-widened", false;
    /// A physical type is spelled differently but is the same type: `int` → `integer`.
    TypeRespelled = "type-respelled", false;
    /// A property is no longer required.
    ColumnOptional = "column-optional", false;
    /// A property may now be null.
    ColumnNullable = "column-nullable", false;
    /// An allowed value was added.
    EnumValueAdded = "enum-value-added", false;
    /// A property's list of allowed values is gone: it takes any value.
    EnumConstraintRemoved = "enum-constraint-removed", false;
    /// A description changed.
    DescriptionChanged = "description-changed", false;
    /// Tags were added or removed.
    TagsChanged = "tags-changed", false;
}

/// One difference between the two versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    pub kind: ChangeKind,
    pub breaking: bool,
    /// Where, for people: `table.column` in a contract, `port/table.column` in a product (the port
    /// as `name@version` when the product has several versions of it); empty for the document.
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    /// The column, dotted for nested properties (`address.city`, `tags[]` for array items).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// The document `pointer` points into: NEW for what is there, OLD for what was removed.
    pub side: Side,
    /// The contract `pointer` points into, when it points into a product's contract rather than
    /// into the document compared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_id: Option<String>,
    /// A JSON pointer (RFC 6901) into that document.
    pub pointer: String,
    pub message: String,
}

// ---------------------------------------------------------------------------------------------
// Products
// ---------------------------------------------------------------------------------------------

/// The changes between two versions of a product: its description and tags, its output ports (by
/// name and version; a port whose version moved is compared with its successor) and their contracts'
/// schemas. Fails when a port compared references a contract `contracts` does not supply.
pub fn product_diff(
    old: &Value,
    new: &Value,
    contracts: &ContractResolver,
) -> std::result::Result<Vec<Change>, DiffError> {
    Ok(product_changes(old, new, contracts)?.0)
}

/// The changes, and the output ports (as they stood in OLD) with a breaking one.
pub(super) fn product_changes(
    old: &Value,
    new: &Value,
    contracts: &ContractResolver,
) -> std::result::Result<(Vec<Change>, Vec<PortRef>), DiffError> {
    let mut em = Emitter::default();
    let mut breaking_ports = Vec::new();
    document_meta(&mut em, old, new, "data product");
    let (old_ports, new_ports) = (list(old, "outputPorts"), list(new, "outputPorts"));
    let key = |p: &Value| {
        (
            text(p, "name").map(str::to_owned),
            text(p, "version").map(str::to_owned),
        )
    };
    let mut pairs: BTreeMap<usize, usize> = BTreeMap::new();
    let mut taken: BTreeSet<usize> = BTreeSet::new();
    for (i, port) in old_ports.iter().enumerate() {
        if let Some(j) = (0..new_ports.len()).find(|j| !taken.contains(j) && key(&new_ports[*j]) == key(port))
        {
            pairs.insert(i, j);
            taken.insert(j);
        }
    }
    // Ports of one name whose versions moved: paired in version order.
    let names: BTreeSet<&str> = old_ports.iter().filter_map(|p| text(p, "name")).collect();
    for name in names {
        let by_version = |ports: &[Value], skip: &dyn Fn(usize) -> bool| {
            let mut left: Vec<usize> = (0..ports.len())
                .filter(|i| !skip(*i) && text(&ports[*i], "name") == Some(name))
                .collect();
            left.sort_by_key(|i| version_key(text(&ports[*i], "version")));
            left
        };
        let old_left = by_version(old_ports, &|i| pairs.contains_key(&i));
        let new_left = by_version(new_ports, &|j| taken.contains(&j));
        for (i, j) in old_left.into_iter().zip(new_left) {
            pairs.insert(i, j);
            taken.insert(j);
        }
    }
    let versions_of = |name: &str| {
        [old_ports, new_ports]
            .iter()
            .map(|ports| ports.iter().filter(|p| text(p, "name") == Some(name)).count())
            .max()
            .unwrap_or(0)
    };
    let port_at = |em: &mut Emitter, port: &Value| {
        let name = text(port, "name").unwrap_or_default().to_owned();
        let version = text(port, "version").map(str::to_owned);
        em.port_label = Some(match &version {
            Some(v) if versions_of(&name) > 1 => format!("{name}@{v}"),
            _ => name.clone(),
        });
        em.port = Some(name);
        em.port_version = version;
        em.old_contract = None;
        em.new_contract = None;
    };
    for (i, old_port) in old_ports.iter().enumerate() {
        let name = text(old_port, "name").unwrap_or_default();
        let before = em.changes.len();
        'port: {
            let Some(&j) = pairs.get(&i) else {
                port_at(&mut em, old_port);
                em.push(
                    ChangeKind::PortRemoved,
                    Side::Old,
                    format!("/outputPorts/{i}"),
                    &Loc::default(),
                    format!(
                        "output port `{name}` (version {}) was removed: its readers and grantees lose it",
                        text(old_port, "version").unwrap_or("none")
                    ),
                );
                break 'port;
            };
            let new_port = &new_ports[j];
            port_at(&mut em, new_port);
            let (ov, nv) = (text(old_port, "version"), text(new_port, "version"));
            if ov != nv {
                em.push(
                    ChangeKind::PortVersionChanged,
                    Side::New,
                    format!("/outputPorts/{j}/version"),
                    &Loc::default(),
                    format!(
                        "output port `{name}` moved from version {} to {}",
                        ov.unwrap_or("none"),
                        nv.unwrap_or("none")
                    ),
                );
            }
            let at = Pointers {
                old: format!("/outputPorts/{i}"),
                new: format!("/outputPorts/{j}"),
            };
            meta(
                &mut em,
                old_port,
                new_port,
                &at,
                &Loc::default(),
                &format!("output port `{name}`"),
            );
            match (text(old_port, "contractId"), text(new_port, "contractId")) {
                (Some(a), Some(b)) => {
                    let resolve = |side, id: &str| {
                        contracts(side, id).ok_or_else(|| DiffError::ContractMissing {
                            side,
                            port: name.to_owned(),
                            contract_id: id.to_owned(),
                        })
                    };
                    let (old_contract, new_contract) = (resolve(Side::Old, a)?, resolve(Side::New, b)?);
                    if a != b {
                        em.push(
                            ChangeKind::PortContractChanged,
                            Side::New,
                            format!("/outputPorts/{j}/contractId"),
                            &Loc::default(),
                            format!("output port `{name}` serves contract {b} instead of {a}: their schemas are compared"),
                        );
                    }
                    em.old_contract = Some(a.to_owned());
                    em.new_contract = Some(b.to_owned());
                    contract_changes(&mut em, &old_contract, &new_contract);
                }
                (Some(a), None) => em.push(
                    ChangeKind::PortContractRemoved,
                    Side::Old,
                    format!("/outputPorts/{i}/contractId"),
                    &Loc::default(),
                    format!("output port `{name}` no longer names a contract (it served {a}): nothing is promised of its data"),
                ),
                (None, Some(b)) => em.push(
                    ChangeKind::PortContractChanged,
                    Side::New,
                    format!("/outputPorts/{j}/contractId"),
                    &Loc::default(),
                    format!("output port `{name}` now serves contract {b}"),
                ),
                (None, None) => {}
            }
        }
        if em.changes[before..].iter().any(|c| c.breaking) {
            breaking_ports.push(PortRef {
                name: name.to_owned(),
                version: text(old_port, "version").map(str::to_owned),
                contract_id: text(old_port, "contractId").map(str::to_owned),
            });
        }
    }
    for (j, new_port) in new_ports.iter().enumerate() {
        if taken.contains(&j) {
            continue;
        }
        port_at(&mut em, new_port);
        em.push(
            ChangeKind::PortAdded,
            Side::New,
            format!("/outputPorts/{j}"),
            &Loc::default(),
            format!(
                "output port `{}` (version {}) was added",
                text(new_port, "name").unwrap_or_default(),
                text(new_port, "version").unwrap_or("none")
            ),
        );
    }
    Ok((em.changes, breaking_ports))
}

// ---------------------------------------------------------------------------------------------
// Contracts
// ---------------------------------------------------------------------------------------------

/// The changes between two versions of a contract: its description and tags, its schema objects
/// (tables) and their properties (columns), matched by `id` where both have one, else by `name`.
pub fn contract_diff(old: &Value, new: &Value) -> Vec<Change> {
    let mut em = Emitter::default();
    contract_changes(&mut em, old, new);
    em.changes
}

fn contract_changes(em: &mut Emitter, old: &Value, new: &Value) {
    document_meta(em, old, new, "contract");
    let (old_objects, new_objects) = (list(old, "schema"), list(new, "schema"));
    let (pairs, added) = pair(old_objects, new_objects);
    for (i, object) in old_objects.iter().enumerate() {
        let name = text(object, "name").unwrap_or_default();
        match pairs.get(&i) {
            Some(&j) => {
                let at = Pointers {
                    old: format!("/schema/{i}"),
                    new: format!("/schema/{j}"),
                };
                object_diff(em, object, &new_objects[j], &at);
            }
            None => em.push(
                ChangeKind::TableRemoved,
                Side::Old,
                format!("/schema/{i}"),
                &Loc::table(name),
                format!("table `{name}` was removed"),
            ),
        }
    }
    for j in added {
        let name = text(&new_objects[j], "name").unwrap_or_default();
        em.push(
            ChangeKind::TableAdded,
            Side::New,
            format!("/schema/{j}"),
            &Loc::table(name),
            format!("table `{name}` was added"),
        );
    }
}

fn object_diff(em: &mut Emitter, old: &Value, new: &Value, at: &Pointers) {
    let (old_name, name) = (
        text(old, "name").unwrap_or_default(),
        text(new, "name").unwrap_or_default(),
    );
    let loc = Loc::table(name);
    if old_name != name {
        em.push(
            ChangeKind::TableRenamed,
            Side::New,
            at.new_at("/name"),
            &loc,
            format!("table `{old_name}` is now named `{name}`"),
        );
    }
    physical_name(em, old, new, at, &loc, &format!("table `{name}`"));
    meta(em, old, new, at, &loc, &format!("table `{name}`"));
    let (old_key, new_key) = (primary_key(old), primary_key(new));
    if old_key != new_key {
        let show = |key: &[String]| {
            if key.is_empty() {
                "none".to_owned()
            } else {
                format!("({})", key.join(", "))
            }
        };
        em.push(
            ChangeKind::PrimaryKeyChanged,
            Side::New,
            at.new.clone(),
            &loc,
            format!(
                "the primary key of `{name}` changed from {} to {}",
                show(&old_key),
                show(&new_key)
            ),
        );
    }
    properties_diff(
        em,
        name,
        None,
        list(old, "properties"),
        list(new, "properties"),
        &at.join("/properties"),
    );
}

/// A schema object's primary key: its `primaryKey` properties' names, by `primaryKeyPosition`.
fn primary_key(object: &Value) -> Vec<String> {
    let mut key: Vec<(i64, usize, String)> = list(object, "properties")
        .iter()
        .enumerate()
        .filter(|(_, p)| flag(p, "primaryKey"))
        .map(|(i, p)| {
            let position = p
                .get("primaryKeyPosition")
                .and_then(Value::as_i64)
                .filter(|n| *n >= 0)
                .unwrap_or(i64::MAX);
            (position, i, text(p, "name").unwrap_or_default().to_owned())
        })
        .collect();
    key.sort();
    key.into_iter().map(|(_, _, name)| name).collect()
}

fn properties_diff(
    em: &mut Emitter,
    table: &str,
    parent: Option<&str>,
    old: &[Value],
    new: &[Value],
    at: &Pointers,
) {
    let column = |p: &Value| {
        let name = text(p, "name").unwrap_or_default();
        match parent {
            Some(parent) => format!("{parent}.{name}"),
            None => name.to_owned(),
        }
    };
    let (pairs, added) = pair(old, new);
    for (i, property) in old.iter().enumerate() {
        match pairs.get(&i) {
            Some(&j) => {
                let at = Pointers {
                    old: format!("{}/{i}", at.old),
                    new: format!("{}/{j}", at.new),
                };
                property_diff(em, table, &column(&new[j]), property, &new[j], &at, false);
            }
            None => {
                let col = column(property);
                em.push(
                    ChangeKind::ColumnRemoved,
                    Side::Old,
                    format!("{}/{i}", at.old),
                    &Loc::column(table, &col),
                    format!("column `{col}` was removed from `{table}`"),
                );
            }
        }
    }
    for j in added {
        let col = column(&new[j]);
        let (kind, message) = if flag(&new[j], "required") {
            (
                ChangeKind::RequiredColumnAdded,
                format!("required column `{col}` was added to `{table}`: every row must now have it"),
            )
        } else {
            (
                ChangeKind::ColumnAdded,
                format!("optional column `{col}` was added to `{table}`"),
            )
        };
        em.push(
            kind,
            Side::New,
            format!("{}/{j}", at.new),
            &Loc::column(table, &col),
            message,
        );
    }
}

fn property_diff(
    em: &mut Emitter,
    table: &str,
    col: &str,
    old: &Value,
    new: &Value,
    at: &Pointers,
    items: bool,
) {
    let loc = Loc::column(table, col);
    let what = format!("column `{col}` of `{table}`");
    if !items && text(old, "name") != text(new, "name") {
        em.push(
            ChangeKind::ColumnRenamed,
            Side::New,
            at.new_at("/name"),
            &loc,
            format!(
                "column `{}` of `{table}` is now named `{}`",
                text(old, "name").unwrap_or_default(),
                text(new, "name").unwrap_or_default()
            ),
        );
    }
    physical_name(em, old, new, at, &loc, &what);
    let logical = (text(old, "logicalType"), text(new, "logicalType"));
    let compat = logical_compat(logical.0, logical.1);
    if let Some(kind) = compat.kind() {
        em.push(
            kind,
            Side::New,
            at.new_at("/logicalType"),
            &loc,
            format!(
                "the logicalType of {what} {} from {} to {}",
                compat.verb(),
                logical.0.unwrap_or("none"),
                logical.1.unwrap_or("none")
            ),
        );
    }
    let physical = (text(old, "physicalType"), text(new, "physicalType"));
    let compat = match physical {
        (None, None) => Compat::Same,
        (Some(_), None) => Compat::Widened,
        (None, Some(_)) => Compat::Narrowed,
        (Some(a), Some(b)) => physical_compat(a, b),
    };
    if let Some(kind) = compat.kind() {
        em.push(
            kind,
            Side::New,
            at.new_at("/physicalType"),
            &loc,
            format!(
                "the physicalType of {what} {} from {} to {}",
                compat.verb(),
                physical.0.unwrap_or("none"),
                physical.1.unwrap_or("none")
            ),
        );
    }
    options_diff(em, old, new, at, &loc, &what);
    match (flag(old, "required"), flag(new, "required")) {
        (false, true) => em.push(
            ChangeKind::ColumnRequired,
            Side::New,
            at.new_at("/required"),
            &loc,
            format!("{what} became required: rows without it are refused"),
        ),
        (true, false) => em.push(
            ChangeKind::ColumnOptional,
            Side::New,
            at.new.clone(),
            &loc,
            format!("{what} is no longer required: readers must expect it missing"),
        ),
        _ => {}
    }
    match (not_null(old), not_null(new)) {
        (None, Some(pointer)) => em.push(
            ChangeKind::ColumnNotNullable,
            Side::New,
            at.new_at(&pointer),
            &loc,
            format!("{what} may no longer be null"),
        ),
        (Some(_), None) => em.push(
            ChangeKind::ColumnNullable,
            Side::New,
            at.new.clone(),
            &loc,
            format!("{what} may now be null"),
        ),
        _ => {}
    }
    enum_diff(em, old, new, at, &loc, &what);
    meta(em, old, new, at, &loc, &what);
    properties_diff(
        em,
        table,
        Some(col),
        list(old, "properties"),
        list(new, "properties"),
        &at.join("/properties"),
    );
    if let (Some(old_items), Some(new_items)) = (old.get("items"), new.get("items")) {
        property_diff(
            em,
            table,
            &format!("{col}[]"),
            old_items,
            new_items,
            &at.join("/items"),
            true,
        );
    }
}

fn physical_name(em: &mut Emitter, old: &Value, new: &Value, at: &Pointers, loc: &Loc, what: &str) {
    let (a, b) = (text(old, "physicalName"), text(new, "physicalName"));
    fn effective<'a>(physical: Option<&'a str>, doc: &'a Value) -> Option<&'a str> {
        physical.or_else(|| text(doc, "name"))
    }
    if a != b && effective(a, old) != effective(b, new) && (a.is_some() || b.is_some()) {
        em.push(
            ChangeKind::PhysicalNameChanged,
            Side::New,
            at.new.clone(),
            loc,
            format!(
                "the physicalName of {what} changed from {} to {}: queries by the old name fail",
                effective(a, old).unwrap_or("none"),
                effective(b, new).unwrap_or("none")
            ),
        );
    }
}

/// Where a property may not be null (a pointer relative to it), if it may not.
fn not_null(property: &Value) -> Option<String> {
    let zero = |rule: &Value, key: &str| rule.get(key).and_then(Value::as_f64) == Some(0.0);
    for (i, rule) in list(property, "quality").iter().enumerate() {
        if text(rule, "metric") == Some("nullValues")
            && (zero(rule, "mustBe") || zero(rule, "mustBeLessOrEqualTo"))
        {
            return Some(format!("/quality/{i}"));
        }
    }
    for (i, custom) in list(property, "customProperties").iter().enumerate() {
        if text(custom, "property").is_some_and(|p| p.eq_ignore_ascii_case("nullable"))
            && matches!(custom.get("value"), Some(Value::Bool(false)))
        {
            return Some(format!("/customProperties/{i}"));
        }
    }
    None
}

/// A property's allowed values and the pointer (relative to it) of their list.
fn allowed_values(property: &Value) -> Option<(&[Value], String)> {
    for (i, rule) in list(property, "quality").iter().enumerate() {
        let valid = rule.pointer("/arguments/validValues").and_then(Value::as_array);
        if let Some(values) = valid
            && (text(rule, "metric") == Some("invalidValues") || text(rule, "rule") == Some("validValues"))
        {
            return Some((values, format!("/quality/{i}/arguments/validValues")));
        }
    }
    for (i, custom) in list(property, "customProperties").iter().enumerate() {
        let named = text(custom, "property").is_some_and(|p| {
            ["enum", "allowedValues", "validValues"]
                .iter()
                .any(|n| p.eq_ignore_ascii_case(n))
        });
        if named && let Some(values) = custom.get("value").and_then(Value::as_array) {
            return Some((values, format!("/customProperties/{i}/value")));
        }
    }
    None
}

fn enum_diff(em: &mut Emitter, old: &Value, new: &Value, at: &Pointers, loc: &Loc, what: &str) {
    match (allowed_values(old), allowed_values(new)) {
        (Some((old_values, old_at)), Some((new_values, new_at))) => {
            for (k, value) in old_values.iter().enumerate() {
                if !new_values.contains(value) {
                    em.push(
                        ChangeKind::EnumValueRemoved,
                        Side::Old,
                        at.old_at(&format!("{old_at}/{k}")),
                        loc,
                        format!("{what} no longer allows the value {value}"),
                    );
                }
            }
            for (k, value) in new_values.iter().enumerate() {
                if !old_values.contains(value) {
                    em.push(
                        ChangeKind::EnumValueAdded,
                        Side::New,
                        at.new_at(&format!("{new_at}/{k}")),
                        loc,
                        format!("{what} allows the value {value} too: readers may meet it"),
                    );
                }
            }
        }
        (None, Some((values, new_at))) => em.push(
            ChangeKind::EnumConstraintAdded,
            Side::New,
            at.new_at(&new_at),
            loc,
            format!(
                "{what} now allows only {}",
                values.iter().map(Value::to_string).collect::<Vec<_>>().join(", ")
            ),
        ),
        (Some(_), None) => em.push(
            ChangeKind::EnumConstraintRemoved,
            Side::New,
            at.new.clone(),
            loc,
            format!("{what} no longer restricts its values to a list"),
        ),
        (None, None) => {}
    }
}

/// `logicalTypeOptions`: lengths, bounds, formats, patterns.
fn options_diff(em: &mut Emitter, old: &Value, new: &Value, at: &Pointers, loc: &Loc, what: &str) {
    let empty = serde_json::Map::new();
    let options = |doc: &Value| {
        doc.get("logicalTypeOptions")
            .and_then(Value::as_object)
            .unwrap_or(&empty)
            .clone()
    };
    let (a, b) = (options(old), options(new));
    let logical = text(new, "logicalType").or_else(|| text(old, "logicalType"));
    let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for key in keys {
        let (x, y) = (a.get(key.as_str()), b.get(key.as_str()));
        if x == y {
            continue;
        }
        let compat = match key.as_str() {
            "maxLength" | "maximum" | "exclusiveMaximum" | "maxItems" | "maxProperties" => bound(x, y, true),
            "minLength" | "minimum" | "exclusiveMinimum" | "minItems" | "minProperties" => bound(x, y, false),
            "format" => format_compat(logical, x.and_then(Value::as_str), y.and_then(Value::as_str)),
            "uniqueItems" => match (x.and_then(Value::as_bool), y.and_then(Value::as_bool)) {
                (Some(true), Some(false) | None) => Compat::Widened,
                (Some(false) | None, Some(true)) => Compat::Narrowed,
                _ => Compat::Same,
            },
            "required" => {
                let names = |v: Option<&Value>| -> BTreeSet<String> {
                    v.and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(|n| n.as_str().map(str::to_owned))
                        .collect()
                };
                if names(y).is_subset(&names(x)) {
                    Compat::Widened
                } else {
                    Compat::Narrowed
                }
            }
            _ => match (x, y) {
                (None, Some(_)) => Compat::Narrowed,
                (Some(_), None) => Compat::Widened,
                _ => Compat::Changed,
            },
        };
        let show = |v: Option<&Value>| v.map(Value::to_string).unwrap_or_else(|| "none".into());
        if let Some(kind) = compat.kind() {
            let pointer = match y {
                Some(_) => at.new_at(&format!("/logicalTypeOptions/{}", pointer_token(key))),
                None => at.new.clone(),
            };
            em.push(
                kind,
                Side::New,
                pointer,
                loc,
                format!(
                    "the logicalTypeOptions.{key} of {what} {} from {} to {}",
                    compat.verb(),
                    show(x),
                    show(y)
                ),
            );
        }
    }
}

/// A bound changing: an upper bound (`maxLength`) narrows by going down or appearing, a lower bound
/// (`minLength`) by going up or appearing.
fn bound(old: Option<&Value>, new: Option<&Value>, upper: bool) -> Compat {
    let (a, b) = match (old, new) {
        (None, None) => return Compat::Same,
        (Some(_), None) => return Compat::Widened,
        (None, Some(_)) => return Compat::Narrowed,
        (Some(a), Some(b)) => (a, b),
    };
    let order = match (a, b) {
        (Value::Number(a), Value::Number(b)) => a.as_f64().partial_cmp(&b.as_f64()),
        // Dates, timestamps and times in ISO 8601 order as text.
        (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
        _ => None,
    };
    match (order, upper) {
        (Some(Ordering::Equal), _) => Compat::Same,
        (Some(Ordering::Less), true) | (Some(Ordering::Greater), false) => Compat::Widened,
        (Some(_), _) => Compat::Narrowed,
        (None, _) => Compat::Changed,
    }
}

/// `logicalTypeOptions.format`: integer (`i8`…`i128`, `u8`…`u128`, default `i32`) and number
/// (`f32`, `f64`) formats have an order; others (`email`, a date pattern) are only equal or not.
fn format_compat(logical: Option<&str>, old: Option<&str>, new: Option<&str>) -> Compat {
    let default = match logical {
        Some("integer") => Some("i32"),
        Some("number") => Some("f64"),
        _ => None,
    };
    let (Some(a), Some(b)) = (old.or(default), new.or(default)) else {
        return match (old, new) {
            (None, Some(_)) => Compat::Narrowed,
            (Some(_), None) => Compat::Widened,
            _ => Compat::Same,
        };
    };
    let width = |f: &str| -> Option<(char, u32)> {
        let kind = f.chars().next()?;
        Some((kind, f.get(1..)?.parse().ok()?)).filter(|(k, _)| matches!(k, 'i' | 'u' | 'f'))
    };
    match (width(a), width(b)) {
        _ if a == b => Compat::Same,
        (Some((ka, wa)), Some((kb, wb))) if ka == kb => order(wa, wb),
        // Unsigned into a wider signed integer fits.
        (Some(('u', wa)), Some(('i', wb))) => {
            if wb > wa {
                Compat::Widened
            } else {
                Compat::Narrowed
            }
        }
        (Some(('i', _)), Some(('u', _))) => Compat::Narrowed,
        _ => Compat::Changed,
    }
}

/// ODCS logical types: `integer` widens to `number` and `date` to `timestamp`.
fn logical_compat(old: Option<&str>, new: Option<&str>) -> Compat {
    match (old, new) {
        (None, None) => Compat::Same,
        (Some(_), None) => Compat::Widened,
        (None, Some(_)) => Compat::Narrowed,
        (Some(a), Some(b)) if a.eq_ignore_ascii_case(b) => Compat::Same,
        (Some("integer"), Some("number")) | (Some("date"), Some("timestamp")) => Compat::Widened,
        (Some("number"), Some("integer")) | (Some("timestamp"), Some("date")) => Compat::Narrowed,
        _ => Compat::Changed,
    }
}

// ---------------------------------------------------------------------------------------------
// Descriptions and tags
// ---------------------------------------------------------------------------------------------

/// A document's own description and tags.
fn document_meta(em: &mut Emitter, old: &Value, new: &Value, what: &str) {
    let at = Pointers {
        old: String::new(),
        new: String::new(),
    };
    meta(em, old, new, &at, &Loc::default(), &format!("the {what}"));
}

fn meta(em: &mut Emitter, old: &Value, new: &Value, at: &Pointers, loc: &Loc, what: &str) {
    if old.get("description") != new.get("description") {
        em.push(
            ChangeKind::DescriptionChanged,
            Side::New,
            if new.get("description").is_some() {
                at.new_at("/description")
            } else {
                at.new.clone()
            },
            loc,
            format!("the description of {what} changed"),
        );
    }
    let tags = |doc: &Value| -> BTreeSet<String> {
        list(doc, "tags")
            .iter()
            .filter_map(|t| t.as_str().map(str::to_owned))
            .collect()
    };
    let (a, b) = (tags(old), tags(new));
    if a != b {
        let mut parts: Vec<String> = b.difference(&a).map(|t| format!("+{t}")).collect();
        parts.extend(a.difference(&b).map(|t| format!("-{t}")));
        em.push(
            ChangeKind::TagsChanged,
            Side::New,
            if new.get("tags").is_some() {
                at.new_at("/tags")
            } else {
                at.new.clone()
            },
            loc,
            format!("the tags of {what} changed: {}", parts.join(" ")),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Plumbing
// ---------------------------------------------------------------------------------------------

/// Where in OLD and in NEW an element stands.
#[derive(Debug, Clone)]
struct Pointers {
    old: String,
    new: String,
}

impl Pointers {
    fn join(&self, tail: &str) -> Pointers {
        Pointers {
            old: format!("{}{tail}", self.old),
            new: format!("{}{tail}", self.new),
        }
    }

    fn new_at(&self, tail: &str) -> String {
        format!("{}{tail}", self.new)
    }

    fn old_at(&self, tail: &str) -> String {
        format!("{}{tail}", self.old)
    }
}

/// The table and column a change is on.
#[derive(Debug, Clone, Default)]
struct Loc {
    table: Option<String>,
    column: Option<String>,
}

impl Loc {
    fn table(table: &str) -> Loc {
        Loc {
            table: Some(table.to_owned()),
            column: None,
        }
    }

    fn column(table: &str, column: &str) -> Loc {
        Loc {
            table: Some(table.to_owned()),
            column: Some(column.to_owned()),
        }
    }
}

/// Collects changes, knowing the port and the contracts being compared.
#[derive(Debug, Default)]
struct Emitter {
    port: Option<String>,
    port_version: Option<String>,
    /// The port as the path shows it.
    port_label: Option<String>,
    old_contract: Option<String>,
    new_contract: Option<String>,
    changes: Vec<Change>,
}

impl Emitter {
    fn push(&mut self, kind: ChangeKind, side: Side, pointer: String, loc: &Loc, message: String) {
        let mut path = String::new();
        if let Some(port) = &self.port_label {
            path.push_str(port);
        }
        if let Some(table) = &loc.table {
            if !path.is_empty() {
                path.push('/');
            }
            path.push_str(table);
            if let Some(column) = &loc.column {
                path.push('.');
                path.push_str(column);
            }
        }
        // Once a port's contracts are being compared, every pointer is into one of them.
        let contract_id = match side {
            Side::Old => self.old_contract.clone(),
            Side::New => self.new_contract.clone(),
        };
        self.changes.push(Change {
            kind,
            breaking: kind.breaking(),
            path,
            port: self.port.clone(),
            port_version: self.port_version.clone(),
            table: loc.table.clone(),
            column: loc.column.clone(),
            side,
            contract_id,
            pointer,
            message,
        });
    }
}

/// Pairs two lists of named elements: by `id` where both have one, else by `name` (unless both have
/// ids that differ). Returns OLD index → NEW index, and the NEW indexes left unpaired.
fn pair(old: &[Value], new: &[Value]) -> (BTreeMap<usize, usize>, Vec<usize>) {
    let mut pairs = BTreeMap::new();
    let mut taken = BTreeSet::new();
    for (i, o) in old.iter().enumerate() {
        let Some(id) = text(o, "id") else { continue };
        if let Some(j) = (0..new.len()).find(|j| !taken.contains(j) && text(&new[*j], "id") == Some(id)) {
            pairs.insert(i, j);
            taken.insert(j);
        }
    }
    for (i, o) in old.iter().enumerate() {
        if pairs.contains_key(&i) {
            continue;
        }
        let Some(name) = text(o, "name") else { continue };
        let fits = |n: &Value| {
            text(n, "name") == Some(name)
                && !matches!((text(o, "id"), text(n, "id")), (Some(a), Some(b)) if a != b)
        };
        if let Some(j) = (0..new.len()).find(|j| !taken.contains(j) && fits(&new[*j])) {
            pairs.insert(i, j);
            taken.insert(j);
        }
    }
    let added = (0..new.len()).filter(|j| !taken.contains(j)).collect();
    (pairs, added)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::test_support::{column, contract, contracts_of, product};
    use crate::diff::{Verdict, product_report};
    use serde_json::json;

    fn logical(old: &str, new: &str) -> Vec<(&'static str, bool)> {
        column(
            json!({"name": "a", "logicalType": old}),
            json!({"name": "a", "logicalType": new}),
        )
    }

    #[test]
    fn change_kinds_have_unique_kebab_case_codes_that_serde_agrees_with() {
        let mut seen = BTreeSet::new();
        for kind in ChangeKind::ALL {
            let code = kind.as_str();
            assert!(code.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{code}");
            assert!(seen.insert(code), "{code} twice");
            assert_eq!(serde_json::to_value(kind).unwrap(), json!(code));
        }
        assert!(ChangeKind::ColumnRemoved.breaking());
        assert!(!ChangeKind::ColumnAdded.breaking());
    }

    #[test]
    fn a_removed_column_breaks_and_points_into_old() {
        let old = contract("1.0.0", json!([{"name": "id"}, {"name": "amount"}]));
        let new = contract("1.1.0", json!([{"name": "id"}]));
        let changes = contract_diff(&old, &new);
        assert_eq!(changes.len(), 1, "{changes:?}");
        let change = &changes[0];
        assert_eq!(change.kind, ChangeKind::ColumnRemoved);
        assert!(change.breaking);
        assert_eq!(change.path, "orders.amount");
        assert_eq!(change.side, Side::Old);
        assert_eq!(change.pointer, "/schema/0/properties/1");
        assert_eq!(old.pointer(&change.pointer).unwrap()["name"], "amount");
        assert!(change.message.contains("amount"), "{}", change.message);
    }

    #[test]
    fn tables_removed_break_and_tables_added_do_not() {
        let mut old = contract("1.0.0", json!([{"name": "id"}]));
        let mut new = old.clone();
        old["schema"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "lines", "properties": [{"name": "sku"}]}));
        new["schema"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "refunds"}));
        let changes = contract_diff(&old, &new);
        let kinds: Vec<_> = changes
            .iter()
            .map(|c| (c.kind.as_str(), c.breaking, c.pointer.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                ("table-removed", true, "/schema/1"),
                ("table-added", false, "/schema/1")
            ]
        );
        assert_eq!(changes[0].side, Side::Old);
        assert_eq!(changes[1].side, Side::New);
    }

    #[test]
    fn an_added_column_breaks_only_when_required() {
        let old = contract("1.0.0", json!([{"name": "id"}]));
        let optional = contract(
            "1.0.0",
            json!([{"name": "id"}, {"name": "note", "required": false}]),
        );
        let required = contract(
            "1.0.0",
            json!([{"name": "id"}, {"name": "currency", "required": true}]),
        );
        let kinds = |new: &Value| -> Vec<(&str, bool)> {
            contract_diff(&old, new)
                .iter()
                .map(|c| (c.kind.as_str(), c.breaking))
                .collect()
        };
        assert_eq!(kinds(&optional), [("column-added", false)]);
        assert_eq!(kinds(&required), [("required-column-added", true)]);
    }

    #[test]
    fn logical_types_widen_narrow_or_change() {
        assert_eq!(logical("integer", "number"), [("type-widened", false)]);
        assert_eq!(logical("date", "timestamp"), [("type-widened", false)]);
        assert_eq!(logical("number", "integer"), [("type-narrowed", true)]);
        assert_eq!(logical("timestamp", "date"), [("type-narrowed", true)]);
        assert_eq!(logical("string", "integer"), [("type-changed", true)]);
        assert_eq!(logical("boolean", "string"), [("type-changed", true)]);
        assert_eq!(logical("string", "string"), []);
        assert_eq!(
            column(
                json!({"name": "a"}),
                json!({"name": "a", "logicalType": "string"})
            ),
            [("type-narrowed", true)],
            "a type where there was none"
        );
        assert_eq!(
            column(
                json!({"name": "a", "logicalType": "string"}),
                json!({"name": "a"})
            ),
            [("type-widened", false)]
        );
    }

    #[test]
    fn logical_type_options_narrow_and_widen() {
        let with =
            |options: Value| json!({"name": "a", "logicalType": "string", "logicalTypeOptions": options});
        assert_eq!(
            column(with(json!({"maxLength": 100})), with(json!({"maxLength": 50}))),
            [("type-narrowed", true)]
        );
        assert_eq!(
            column(with(json!({"maxLength": 50})), with(json!({"maxLength": 100}))),
            [("type-widened", false)]
        );
        assert_eq!(
            column(with(json!({})), with(json!({"minLength": 2}))),
            [("type-narrowed", true)]
        );
        assert_eq!(
            column(with(json!({"pattern": "^[A-Z]+$"})), with(json!({}))),
            [("type-widened", false)]
        );
        let int = |format: &str| json!({"name": "a", "logicalType": "integer", "logicalTypeOptions": {"format": format}});
        assert_eq!(column(int("i64"), int("i32")), [("type-narrowed", true)]);
        assert_eq!(column(int("i32"), int("i64")), [("type-widened", false)]);
        assert_eq!(column(int("u16"), int("i32")), [("type-widened", false)]);
        assert_eq!(
            column(json!({"name": "a", "logicalType": "integer"}), int("i64")),
            [("type-widened", false)],
            "i32 is the default"
        );
        let number =
            |max: i64| json!({"name": "a", "logicalType": "integer", "logicalTypeOptions": {"maximum": max}});
        assert_eq!(column(number(100), number(10)), [("type-narrowed", true)]);
    }

    #[test]
    fn becoming_required_breaks_and_becoming_optional_does_not() {
        assert_eq!(
            column(
                json!({"name": "a", "required": false}),
                json!({"name": "a", "required": true})
            ),
            [("column-required", true)]
        );
        assert_eq!(
            column(json!({"name": "a"}), json!({"name": "a", "required": true})),
            [("column-required", true)]
        );
        assert_eq!(
            column(json!({"name": "a", "required": true}), json!({"name": "a"})),
            [("column-optional", false)]
        );
    }

    #[test]
    fn becoming_not_nullable_breaks() {
        let rule = json!({"metric": "nullValues", "mustBe": 0, "dimension": "completeness"});
        assert_eq!(
            column(json!({"name": "a"}), json!({"name": "a", "quality": [rule]})),
            [("column-not-nullable", true)]
        );
        assert_eq!(
            column(json!({"name": "a", "quality": [rule]}), json!({"name": "a"})),
            [("column-nullable", false)]
        );
        let nullable = |value: bool| json!({"name": "a", "customProperties": [{"property": "nullable", "value": value}]});
        assert_eq!(
            column(nullable(true), nullable(false)),
            [("column-not-nullable", true)]
        );
    }

    #[test]
    fn enum_values_removed_break_and_added_do_not() {
        let valid = |values: Value| {
            json!({"name": "status", "logicalType": "string", "quality": [
                {"metric": "invalidValues", "mustBe": 0, "arguments": {"validValues": values}}
            ]})
        };
        let old = contract("1.0.0", json!([valid(json!(["open", "shipped", "returned"]))]));
        let new = contract("1.0.0", json!([valid(json!(["open", "shipped", "lost"]))]));
        let changes = contract_diff(&old, &new);
        let kinds: Vec<_> = changes.iter().map(|c| (c.kind.as_str(), c.breaking)).collect();
        assert_eq!(kinds, [("enum-value-removed", true), ("enum-value-added", false)]);
        assert_eq!(changes[0].side, Side::Old);
        assert_eq!(old.pointer(&changes[0].pointer), Some(&json!("returned")));
        assert_eq!(new.pointer(&changes[1].pointer), Some(&json!("lost")));
        assert!(
            changes[0].message.contains("\"returned\""),
            "{}",
            changes[0].message
        );

        let plain = json!({"name": "status", "logicalType": "string"});
        assert_eq!(
            column(plain.clone(), valid(json!(["open"]))),
            [("enum-constraint-added", true)]
        );
        assert_eq!(
            column(valid(json!(["open"])), plain),
            [("enum-constraint-removed", false)]
        );
        let custom = |values: Value| json!({"name": "status", "customProperties": [{"property": "allowedValues", "value": values}]});
        assert_eq!(
            column(custom(json!(["a", "b"])), custom(json!(["a"]))),
            [("enum-value-removed", true)]
        );
    }

    #[test]
    fn a_changed_primary_key_breaks() {
        let old = contract(
            "1.0.0",
            json!([{"name": "id", "primaryKey": true, "primaryKeyPosition": 1}, {"name": "line", "primaryKey": false}]),
        );
        let new = contract(
            "1.0.0",
            json!([{"name": "id", "primaryKey": true, "primaryKeyPosition": 1},
                   {"name": "line", "primaryKey": true, "primaryKeyPosition": 2}]),
        );
        let changes = contract_diff(&old, &new);
        assert_eq!(changes.len(), 1, "{changes:?}");
        assert_eq!(changes[0].kind, ChangeKind::PrimaryKeyChanged);
        assert!(
            changes[0].message.contains("(id) to (id, line)"),
            "{}",
            changes[0].message
        );
        assert!(contract_diff(&new, &new.clone()).is_empty());
    }

    #[test]
    fn renames_by_id_break_and_descriptions_and_tags_do_not() {
        let old = contract(
            "1.0.0",
            json!([{"id": "amount_prop", "name": "amount", "description": "Total", "tags": ["money"]}]),
        );
        let renamed = contract(
            "1.0.0",
            json!([{"id": "amount_prop", "name": "total", "description": "Total", "tags": ["money"]}]),
        );
        assert_eq!(
            contract_diff(&old, &renamed)
                .iter()
                .map(|c| (c.kind.as_str(), c.breaking))
                .collect::<Vec<_>>(),
            [("column-renamed", true)]
        );
        let described = contract(
            "1.0.0",
            json!([{"id": "amount_prop", "name": "amount", "description": "Total in EUR", "tags": ["money", "eur"]}]),
        );
        let changes = contract_diff(&old, &described);
        assert_eq!(
            changes
                .iter()
                .map(|c| (c.kind.as_str(), c.breaking))
                .collect::<Vec<_>>(),
            [("description-changed", false), ("tags-changed", false)]
        );
        assert!(changes[1].message.contains("+eur"), "{}", changes[1].message);
        let mut table_renamed = old.clone();
        table_renamed["schema"][0]["physicalName"] = json!("orders_v2");
        assert_eq!(
            contract_diff(&old, &table_renamed)[0].kind,
            ChangeKind::PhysicalNameChanged
        );
    }

    #[test]
    fn nested_properties_and_array_items_are_compared() {
        let old = contract(
            "1.0.0",
            json!([{"name": "address", "logicalType": "object", "properties": [{"name": "city"}, {"name": "zip"}]},
                   {"name": "codes", "logicalType": "array", "items": {"logicalType": "string", "physicalType": "varchar(10)"}}]),
        );
        let new = contract(
            "1.0.0",
            json!([{"name": "address", "logicalType": "object", "properties": [{"name": "city"}]},
                   {"name": "codes", "logicalType": "array", "items": {"logicalType": "string", "physicalType": "varchar(5)"}}]),
        );
        let changes = contract_diff(&old, &new);
        let paths: Vec<_> = changes
            .iter()
            .map(|c| (c.kind.as_str(), c.path.as_str()))
            .collect();
        assert_eq!(
            paths,
            [
                ("column-removed", "orders.address.zip"),
                ("type-narrowed", "orders.codes[]")
            ]
        );
        assert_eq!(changes[1].pointer, "/schema/0/properties/1/items/physicalType");
    }

    #[test]
    fn product_ports_removed_break_and_their_contracts_are_compared() {
        let old = product(
            "1.2.0",
            json!([{"name": "orders", "version": "1.0.0", "contractId": "c1"},
                   {"name": "legacy", "version": "1.0.0", "contractId": "c9"}]),
        );
        let new = product(
            "1.3.0",
            json!([{"name": "orders", "version": "1.1.0", "contractId": "c1"},
                   {"name": "events", "version": "1.0.0", "contractId": "c2"}]),
        );
        let old_c1 = contract("1.0.0", json!([{"name": "id"}, {"name": "amount"}]));
        let new_c1 = contract("1.1.0", json!([{"name": "id"}]));
        let resolve = contracts_of(vec![old_c1], vec![new_c1]);
        let report = product_report(&old, &new, &resolve).unwrap();
        let kinds: Vec<_> = report
            .changes
            .iter()
            .map(|c| (c.kind.as_str(), c.breaking, c.path.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                ("port-version-changed", false, "orders"),
                ("column-removed", true, "orders/orders.amount"),
                ("port-removed", true, "legacy"),
                ("port-added", false, "events"),
            ]
        );
        let removed = &report.changes[1];
        assert_eq!(
            (
                removed.contract_id.as_deref(),
                removed.side,
                removed.pointer.as_str()
            ),
            (Some("c1"), Side::Old, "/schema/0/properties/1")
        );
        assert_eq!(report.changes[2].contract_id, None, "into the product");
        assert_eq!(
            report.breaking_ports,
            [
                PortRef {
                    name: "orders".into(),
                    version: Some("1.0.0".into()),
                    contract_id: Some("c1".into())
                },
                PortRef {
                    name: "legacy".into(),
                    version: Some("1.0.0".into()),
                    contract_id: Some("c9".into())
                }
            ]
        );
        assert_eq!(report.verdict, Verdict::Breaking);
        assert_eq!(report.exit_code(), 1);
        assert!(!report.major_bumped);
        assert!(
            report.summary().contains("bump the version to 2.0.0"),
            "{}",
            report.summary()
        );
    }

    #[test]
    fn a_port_whose_contract_cannot_be_resolved_is_an_error_naming_it() {
        let old = product(
            "1.0.0",
            json!([{"name": "orders", "version": "1.0.0", "contractId": "c1"}]),
        );
        let new = product(
            "1.0.1",
            json!([{"name": "orders", "version": "1.0.0", "contractId": "c2"}]),
        );
        let resolve = contracts_of(vec![contract("1.0.0", json!([]))], vec![]);
        assert_eq!(
            product_diff(&old, &new, &resolve).unwrap_err(),
            DiffError::ContractMissing {
                side: Side::New,
                port: "orders".into(),
                contract_id: "c2".into()
            }
        );
        let gone = product("1.0.1", json!([{"name": "orders", "version": "1.0.0"}]));
        let changes = product_diff(&old, &gone, &resolve).unwrap();
        assert_eq!(changes[0].kind, ChangeKind::PortContractRemoved);
    }
}
