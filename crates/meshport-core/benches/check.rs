//! Benchmark: the wizard's as-you-type check, end to end as the desktop command `request_check`
//! runs it: the request's JSON text as it crosses IPC → a `Value` → `request::request_check` with
//! the demo platform's policy packs (what the desktop applies to the demo mesh) → the findings as
//! JSON text.
//!
//! Input: a provisioning request of 10 output ports and 10 contracts, 200 columns in all, each with
//! a name, logical and physical types, required/unique/primaryKey, a classification, a description
//! and examples; PII columns with their masking rule, a few quality rules per contract and an SLA.
//! The same request half-typed (a few findings) is measured too, and once more as the window sends a
//! keystroke in the product: without its contracts, which the shell keeps (`KeptContracts`). Prints, for each (with packs
//! loaded afresh), the first call (each pack compiled), the second (each pack's rules compiled for
//! the virtual machine), then p50, p95 and max over the next `MESHPORT_BENCH_RUNS` (default 500)
//! calls. Run with `cargo bench -p meshport-core --bench check`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use meshport_core::request::{KeptContracts, request_check};
use serde_json::{Value, json};

fn main() {
    let runs: usize = std::env::var("MESHPORT_BENCH_RUNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(500)
        .max(200);
    let compliant = request(10, 20);
    // Half-typed: what the wizard holds while the user is still writing (empty names, a missing
    // description and owner, an unknown type), so findings are made and serialized too.
    let mut typing = compliant.clone();
    for p in 0..10 {
        typing["contracts"][p]["schema"][0]["properties"][3]["name"] = json!("");
    }
    typing["contracts"][2]["schema"][0]["properties"][5]["logicalType"] = json!("strng");
    typing["product"]["description"] = json!({});
    typing["product"].as_object_mut().unwrap().remove("team");
    for (name, request, compliant) in [("compliant", &compliant, true), ("being typed", &typing, false)] {
        measure(name, request, compliant, false, runs);
    }
    // As the window checks a keystroke in the product: the contracts were sent before and are kept
    // in the shell, parsed and converted; the call carries the rest of the request.
    measure("being typed, its contracts kept", &typing, false, true, runs);
}

fn measure(name: &str, request: &Value, compliant: bool, kept: bool, runs: usize) {
    let policies = &meshport_core::validate::policies_demo().expect("the demo packs compile");
    let contracts = KeptContracts::default();
    let mut sent = request.clone();
    if kept {
        contracts
            .request_check(policies, request.clone(), Some("bench"))
            .unwrap();
        sent.as_object_mut().unwrap().remove("contracts");
    }
    let text = &sent.to_string();
    let check = || {
        let document: Value = serde_json::from_str(black_box(text)).unwrap();
        let findings = if kept {
            contracts
                .request_check(policies, document, Some("bench"))
                .unwrap()
        } else {
            request_check(policies, &document)
        };
        serde_json::to_string(&findings).unwrap()
    };
    let started = Instant::now();
    let first = check();
    let cold = started.elapsed();
    // A pack's rules are compiled for regorus's virtual machine at its second document.
    let started = Instant::now();
    black_box(check());
    let second = started.elapsed();
    let findings: Vec<meshport_model::Finding> = serde_json::from_str(&first).unwrap();
    let errors = findings.iter().filter(|f| f.is_error()).count();
    assert_eq!(errors == 0, compliant, "{name}: {findings:#?}");

    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            black_box(check());
            started.elapsed()
        })
        .collect();
    times.sort();
    let at = |q: f64| times[((times.len() as f64 * q).ceil() as usize).min(times.len()) - 1];
    println!(
        "request_check, 10 ports, 10 contracts, 200 columns, {name} ({} KiB of JSON, {} findings, {runs} runs)",
        text.len() / 1024,
        findings.len()
    );
    println!(
        "  first call {:.2} ms, second {:.2} ms, then p50 {:.2} ms   p95 {:.2} ms   max {:.2} ms",
        ms(cold),
        ms(second),
        ms(at(0.50)),
        ms(at(0.95)),
        ms(at(1.0))
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// A column of view `p`: one of a few realistic shapes, in turn.
fn column(p: usize, c: usize) -> Value {
    let (name, logical, physical, examples) = match c % 6 {
        0 => (
            format!("order_id_{c}"),
            "string",
            "varchar(36)",
            json!(["5b2e0c1a-8d4f-4e0b-9a61-3c7d2f1e0a9b"]),
        ),
        1 => (
            format!("customer_email_{c}"),
            "string",
            "varchar(254)",
            json!(["ana@example.com"]),
        ),
        2 => (format!("quantity_{c}"), "integer", "integer", json!([1, 3])),
        3 => (
            format!("amount_eur_{c}"),
            "number",
            "decimal(12,2)",
            json!([19.99, 250.0]),
        ),
        4 => (
            format!("ordered_at_{c}"),
            "date",
            "timestamp",
            json!(["2025-06-01T12:00:00Z"]),
        ),
        _ => (
            format!("channel_{c}"),
            "string",
            "varchar(16)",
            json!(["web", "store"]),
        ),
    };
    let mut column = json!({
        "name": name,
        "logicalType": logical,
        "physicalType": physical,
        "required": c % 6 != 5,
        "unique": c == 0,
        "primaryKey": c == 0,
        "classification": if c % 6 == 1 { "restricted" } else { "internal" },
        "description": format!("Column {c} of the orders view {p}: {name}."),
        "examples": examples,
    });
    if c == 0 {
        column["primaryKeyPosition"] = json!(1);
    }
    if c % 6 == 1 {
        column["tags"] = json!(["pii"]);
        column["customProperties"] = json!([{"property": "maskingRule", "value": "hash"}]);
    }
    if c.is_multiple_of(5) {
        column["quality"] = json!([{
            "metric": "nullValues", "mustBeLessOrEqualTo": 1, "unit": "percent", "dimension": "completeness",
        }]);
    }
    column
}

/// A compliant provisioning request with `ports` output ports of `columns` columns each.
fn request(ports: usize, columns: usize) -> Value {
    let contract_id = |p: usize| format!("5a0c{p:04}-1b2c-4d3e-8f40-a1b2c3d4e5f6");
    let output_ports: Vec<Value> = (0..ports)
        .map(|p| {
            json!({"name": format!("orders-view-{p}"), "version": "1.0.0", "type": "tables", "contractId": contract_id(p)})
        })
        .collect();
    let contracts: Vec<Value> = (0..ports)
        .map(|p| {
            json!({
                "apiVersion": "v3.1.0",
                "kind": "DataContract",
                "id": contract_id(p),
                "name": format!("orders-view-{p}"),
                "version": "1.0.0",
                "status": "active",
                "domain": "orders",
                "description": {"purpose": format!("Orders as consumer {p} reads them."), "usage": "Reporting."},
                "customProperties": [{"property": "dataSensitivity", "value": "confidential"}],
                "schema": [{
                    "name": format!("orders_view_{p}"),
                    "physicalType": "table",
                    "description": "One row per order line.",
                    "properties": (0..columns).map(|c| column(p, c)).collect::<Vec<_>>(),
                    "quality": [
                        {"metric": "rowCount", "mustBeGreaterThan": 0, "dimension": "completeness"},
                        {"metric": "duplicateValues", "arguments": {"properties": ["order_id_0"]}, "mustBe": 0, "dimension": "uniqueness"},
                    ],
                }],
                "slaProperties": [
                    {"property": "latency", "value": 4, "unit": "h"},
                    {"property": "retention", "value": 2, "unit": "y"},
                    {"property": "frequency", "value": 6, "unit": "h"},
                ],
            })
        })
        .collect();
    json!({
        "apiVersion": "meshport/v1",
        "kind": "ProvisioningRequest",
        "product": {
            "apiVersion": "v1.0.0",
            "kind": "DataProduct",
            "id": "0f1e2d3c-4b5a-4968-8776-655443322110",
            "name": "Order Views",
            "version": "1.0.0",
            "status": "draft",
            "domain": "orders",
            "description": {"purpose": "Ten views of orders for ten consumers."},
            "inputPorts": [{"name": "order-lines", "version": "3.0.0", "contractId": "6c1d0b0a-55e1-4f7e-b1c4-2f3a4b5c6d03"}],
            "outputPorts": output_ports,
            "team": {"members": [
                {"username": "li.wei@retailcorp.example", "role": "owner"},
                {"username": "sara.nilsen@retailcorp.example", "role": "data steward"},
            ]},
        },
        "contracts": contracts,
        "infrastructure": meshport_core::outbox::standard_infrastructure(),
    })
}
