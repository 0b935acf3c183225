//! Documents the unit tests of `diff` build their cases from.

use serde_json::{Value, json};

use super::{Side, contract_diff};

pub(super) fn contract(version: &str, properties: Value) -> Value {
    json!({"apiVersion": "v3.1.0", "kind": "DataContract", "id": "c1", "version": version, "status": "active",
        "schema": [{"name": "orders", "physicalType": "table", "properties": properties}]})
}

/// The kinds of the changes from one column to another, with whether each breaks.
pub(super) fn column(old: Value, new: Value) -> Vec<(&'static str, bool)> {
    let changes = contract_diff(&contract("1.0.0", json!([old])), &contract("1.0.0", json!([new])));
    changes.iter().map(|c| (c.kind.as_str(), c.breaking)).collect()
}

pub(super) fn product(version: &str, ports: Value) -> Value {
    json!({"apiVersion": "v1.0.0", "kind": "DataProduct", "id": "p1", "name": "Orders", "status": "active",
        "version": version, "outputPorts": ports})
}

pub(super) fn contracts_of(old: Vec<Value>, new: Vec<Value>) -> impl Fn(Side, &str) -> Option<Value> {
    move |side, id| {
        let list = if side == Side::Old { &old } else { &new };
        list.iter().find(|c| c["id"] == id).cloned()
    }
}
