//! Benchmark: in-process validation as the desktop form runs it on every keystroke.
//!
//! Input: a provisioning request whose product has 10 output ports, each with a contract of 20
//! columns (200 in all, with quality rules, PII columns and their masking rules), validated against the
//! shipped packs (schema, semantic and policy checks). Prints the median and the 99th percentile over
//! many runs. Run with `cargo bench -p meshport-governance --bench validate`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use meshport_governance::{
    Context, PolicySet, document_kind, document_validate, packs, schema_findings, semantic,
};
use serde_json::{Value, json};

const RUNS: usize = 2_000;

fn main() {
    let policies = PolicySet::new(packs::shipped()).expect("the shipped packs compile");
    let request = request(10, 20);
    let product = request["product"].clone();
    let cases = [
        (
            "provisioning request: 10 output ports, 10 contracts, 200 columns",
            &request,
        ),
        ("data product alone: 10 output ports", &product),
    ];
    println!(
        "{:<68} {:>10} {:>10} {:>9}",
        "validation against the shipped packs", "median", "p99", "findings"
    );
    for (name, doc) in cases {
        let validated = document_validate(doc, &policies, &Context::default());
        assert!(
            validated.valid(),
            "{name}: the benchmark input must be compliant: {:#?}",
            validated.findings
        );
        let findings = validated.findings.len();
        for _ in 0..50 {
            black_box(document_validate(black_box(doc), &policies, &Context::default()));
        }
        let mut times: Vec<Duration> = (0..RUNS)
            .map(|_| {
                let started = Instant::now();
                black_box(document_validate(black_box(doc), &policies, &Context::default()));
                started.elapsed()
            })
            .collect();
        times.sort();
        let median = times[RUNS / 2];
        let p99 = times[RUNS * 99 / 100];
        println!(
            "{name:<68} {:>8.3}ms {:>8.3}ms {findings:>9}",
            ms(median),
            ms(p99)
        );
    }
    // Where the time of the large case goes.
    let kind = document_kind(&request).unwrap();
    let parts: [(&str, &dyn Fn()); 4] = [
        ("    (input conversion to Rego values)", &|| {
            drop(black_box(meshport_governance::policy::rego_value(&request)))
        }),
        ("  of which schema check", &|| {
            drop(black_box(schema_findings(kind, &request)))
        }),
        ("  of which semantic checks", &|| {
            let mut out = Vec::new();
            semantic::provisioning_request(&request, &Context::default(), &mut out);
            black_box(out);
        }),
        ("  of which policy packs", &|| {
            drop(black_box(policies.evaluate(
                &request,
                document_kind(&request).ok(),
                Some("orders"),
            )))
        }),
    ];
    for (name, run) in parts {
        let mut times: Vec<Duration> = (0..RUNS / 4)
            .map(|_| {
                let started = Instant::now();
                run();
                started.elapsed()
            })
            .collect();
        times.sort();
        println!("{name:<68} {:>8.3}ms", ms(times[times.len() / 2]));
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
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
            let properties: Vec<Value> = (0..columns)
                .map(|c| {
                    let mut column = json!({
                        "name": format!("column_{c}"),
                        "logicalType": if c % 3 == 0 { "integer" } else { "string" },
                        "physicalType": if c % 3 == 0 { "bigint" } else { "varchar(64)" },
                        "description": format!("Column {c} of view {p}."),
                        "quality": [{"metric": "nullValues", "mustBeLessOrEqualTo": 5, "unit": "percent", "dimension": "completeness"}],
                    });
                    if c % 10 == 1 {
                        column["classification"] = json!("restricted");
                        column["tags"] = json!(["pii"]);
                        column["customProperties"] = json!([{"property": "maskingRule", "value": "hash"}]);
                    }
                    if c == 0 {
                        column["primaryKey"] = json!(true);
                    }
                    column
                })
                .collect();
            json!({
                "apiVersion": "v3.1.0",
                "kind": "DataContract",
                "id": contract_id(p),
                "name": format!("orders-view-{p}"),
                "version": "1.0.0",
                "status": "active",
                "domain": "orders",
                "customProperties": [{"property": "dataSensitivity", "value": "confidential"}],
                "schema": [{
                    "name": format!("orders_view_{p}"),
                    "physicalType": "table",
                    "properties": properties,
                    "quality": [{"metric": "rowCount", "mustBeGreaterThan": 0}],
                }],
                "slaProperties": [{"property": "latency", "value": 4, "unit": "h"}],
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
        "infrastructure": {
            "storage": {"type": "data-lake", "format": "delta-lake", "location": "s3://lake/orders/", "retention": "2 years", "encryption": "AES-256"},
            "processing": {"engine": "spark", "version": "3.5", "autoScaling": true, "minWorkers": 2, "maxWorkers": 8},
            "orchestration": {"tool": "airflow", "schedule": "0 */6 * * *", "timeout": "2 hours"},
            "quality": {"framework": "soda", "checks": [{"name": "row_count", "threshold": "> 1000"}]},
            "discovery": {"catalog": "datahub", "publishSchema": true, "generateDocs": true},
            "security": {"accessControl": "rbac", "encryptionAtRest": true, "auditLogging": true},
        },
    })
}
