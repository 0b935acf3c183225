//! Who a report's breaking changes reach: the products serving a contract, the products reading a
//! broken port (lineage as the platform derives it: an input port naming the port's contract), and
//! the consumers holding an active grant on it.

use std::collections::BTreeMap;

use meshport_catalog::cache::Cache;
use meshport_model::platform::ChangeEntity;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{DiffReport, DocumentKind, list, text};
use crate::Result;

/// A cached product's output port serving the contract compared.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PortUse {
    pub product_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub port: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port_version: Option<String>,
    pub contract_id: String,
}

/// A product downstream of a broken port: one of its input ports references the port's contract.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Downstream {
    pub product_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// Its input port reading the broken port.
    pub input_port: String,
    pub upstream_product_id: String,
    pub upstream_port: String,
    pub contract_id: String,
}

/// A consumer holding an active grant on a broken port.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Consumer {
    pub consumer: String,
    pub product_id: String,
    pub port: String,
    /// The access request that granted it.
    pub request_id: String,
}

/// Who a report's breaking changes reach.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Impact {
    pub products: Vec<PortUse>,
    pub downstream: Vec<Downstream>,
    pub consumers: Vec<Consumer>,
}

/// The impact of a report over a catalog's products and access requests (ODPS documents and the
/// platform's `AccessRequest`s). Lineage as the platform derives it: an input port referencing the
/// contract of another product's output port reads that port. For a product, the ports with breaking
/// changes are followed; for a contract, every cached output port serving it is listed, and followed
/// when a change breaks.
pub fn impact(report: &DiffReport, products: &[Value], access_requests: &[Value]) -> Impact {
    let mut out = Impact::default();
    // (product, port, contract) broken.
    let mut broken: Vec<(String, String, Option<String>)> = Vec::new();
    match report.kind {
        DocumentKind::DataProduct => {
            for port in &report.breaking_ports {
                broken.push((report.id.clone(), port.name.clone(), port.contract_id.clone()));
            }
        }
        DocumentKind::DataContract => {
            let ids: Vec<&str> = std::iter::once(report.id.as_str())
                .chain(report.old_id.as_deref())
                .collect();
            for product in products {
                let product_id = text(product, "id").unwrap_or_default();
                for port in list(product, "outputPorts") {
                    let Some(contract) = text(port, "contractId").filter(|c| ids.contains(c)) else {
                        continue;
                    };
                    let name = text(port, "name").unwrap_or_default().to_owned();
                    out.products.push(PortUse {
                        product_id: product_id.to_owned(),
                        name: text(product, "name").map(str::to_owned),
                        port: name.clone(),
                        port_version: text(port, "version").map(str::to_owned),
                        contract_id: contract.to_owned(),
                    });
                    if report.breaking > 0 {
                        broken.push((product_id.to_owned(), name, Some(contract.to_owned())));
                    }
                }
            }
        }
        // A report compares products or contracts, never requests.
        DocumentKind::ProvisioningRequest => {}
    }
    for (product_id, port, contract) in &broken {
        if let Some(contract) = contract {
            for reader in products {
                let reader_id = text(reader, "id").unwrap_or_default();
                if reader_id == product_id {
                    continue;
                }
                for input in list(reader, "inputPorts") {
                    if text(input, "contractId") == Some(contract) {
                        out.downstream.push(Downstream {
                            product_id: reader_id.to_owned(),
                            name: text(reader, "name").map(str::to_owned),
                            domain: text(reader, "domain").map(str::to_owned),
                            input_port: text(input, "name").unwrap_or_default().to_owned(),
                            upstream_product_id: product_id.clone(),
                            upstream_port: port.clone(),
                            contract_id: contract.clone(),
                        });
                    }
                }
            }
        }
        for request in access_requests {
            if text(request, "state") == Some("active")
                && text(request, "productId") == Some(product_id)
                && text(request, "outputPort") == Some(port)
            {
                out.consumers.push(Consumer {
                    consumer: text(request, "consumer").unwrap_or_default().to_owned(),
                    product_id: product_id.clone(),
                    port: port.clone(),
                    request_id: text(request, "id").unwrap_or_default().to_owned(),
                });
            }
        }
    }
    out.products.sort();
    out.products.dedup();
    out.downstream.sort();
    out.downstream.dedup();
    out.consumers.sort();
    out.consumers
        .dedup_by(|a, b| (&a.consumer, &a.product_id, &a.port) == (&b.consumer, &b.product_id, &b.port));
    out
}

/// Reads the impact of `report` from the offline cache into it: the cached products serving a
/// contract, the products downstream of the broken ports, the consumers with active grants on them.
/// The cache finds the documents that may be concerned ([`Cache::impact_documents`]); [`impact`]
/// judges them.
pub async fn diff_impact(cache: &Cache, report: &mut DiffReport) -> Result<()> {
    let (contracts, ports) = impact_keys(report);
    let documents = cache.impact_documents(&contracts, &ports).await?;
    let found = impact(report, &documents.products, &documents.access_requests);
    report.products = found.products;
    report.downstream = found.downstream;
    report.consumers = found.consumers;
    report.impact_computed = true;
    Ok(())
}

/// What the cache is asked about for a report: the contracts whose servers and readers may be
/// concerned, and the output ports (product id, port name) with a breaking change. A product's
/// broken ports are known; a contract's are the cached ports serving it.
fn impact_keys(report: &DiffReport) -> (Vec<String>, Vec<(String, String)>) {
    match report.kind {
        DocumentKind::DataProduct => {
            let mut contracts: Vec<String> = report
                .breaking_ports
                .iter()
                .filter_map(|port| port.contract_id.clone())
                .collect();
            contracts.sort();
            contracts.dedup();
            let ports = report
                .breaking_ports
                .iter()
                .map(|port| (report.id.clone(), port.name.clone()))
                .collect();
            (contracts, ports)
        }
        DocumentKind::DataContract => {
            let contracts = std::iter::once(report.id.clone())
                .chain(report.old_id.clone())
                .collect();
            (contracts, Vec::new())
        }
        DocumentKind::ProvisioningRequest => (Vec::new(), Vec::new()),
    }
}

/// The contracts `ids` as the offline cache holds them (those it holds).
pub async fn contracts_cached(cache: &Cache, ids: &[String]) -> Result<BTreeMap<String, Value>> {
    let mut found = BTreeMap::new();
    for id in ids {
        if let Some(contract) = cache.document(ChangeEntity::Contract, id).await? {
            found.insert(id.clone(), contract);
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::test_support::{contract, product};
    use crate::diff::{contract_report, product_report};
    use serde_json::json;

    #[test]
    fn impact_follows_lineage_and_active_grants() {
        let old = product(
            "1.0.0",
            json!([{"name": "orders", "version": "1.0.0", "contractId": "c1"}]),
        );
        let new = product("1.1.0", json!([]));
        let report = product_report(&old, &new, &|_, _| None).unwrap();
        let products = vec![
            old.clone(),
            json!({"id": "p2", "name": "Revenue", "domain": "finance", "inputPorts": [{"name": "orders-in", "version": "1.0.0", "contractId": "c1"}]}),
            json!({"id": "p3", "name": "Stock", "inputPorts": [{"name": "other", "version": "1.0.0", "contractId": "c7"}]}),
        ];
        let requests = vec![
            json!({"id": "r1", "productId": "p1", "outputPort": "orders", "consumer": "dana", "state": "active"}),
            json!({"id": "r2", "productId": "p1", "outputPort": "orders", "consumer": "eli", "state": "revoked"}),
            json!({"id": "r3", "productId": "p9", "outputPort": "orders", "consumer": "fay", "state": "active"}),
        ];
        let found = impact(&report, &products, &requests);
        assert_eq!(
            found.downstream,
            [Downstream {
                product_id: "p2".into(),
                name: Some("Revenue".into()),
                domain: Some("finance".into()),
                input_port: "orders-in".into(),
                upstream_product_id: "p1".into(),
                upstream_port: "orders".into(),
                contract_id: "c1".into()
            }]
        );
        assert_eq!(
            found
                .consumers
                .iter()
                .map(|c| c.consumer.as_str())
                .collect::<Vec<_>>(),
            ["dana"]
        );

        // A contract: the products serving it, and their downstream when a change breaks.
        let contract_report = contract_report(
            &contract("1.0.0", json!([{"name": "id"}])),
            &contract("1.1.0", json!([])),
        );
        let found = impact(&contract_report, &products, &requests);
        assert_eq!(
            found
                .products
                .iter()
                .map(|p| (p.product_id.as_str(), p.port.as_str()))
                .collect::<Vec<_>>(),
            [("p1", "orders")]
        );
        assert_eq!(found.downstream.len(), 1);
        assert_eq!(found.consumers.len(), 1);
    }
}
