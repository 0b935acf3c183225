//! A published data product edited as a new version: the request the owner's wizard starts from,
//! and, before it is submitted, what the edit breaks (`meshport diff`'s logic) and whom it reaches.

use std::collections::BTreeMap;

use meshport_catalog::cache::Cache;
use meshport_model::platform::ChangeEntity;
use serde_json::{Value, json};

use crate::diff::{DiffError, DiffReport, Side, contract_ids, contracts_cached, diff_impact, product_report};
use crate::{Error, Result};

/// The provisioning request that edits the cached product `product_id`: the product and the contracts
/// of its output ports as the catalog holds them, with `infrastructure`. An error names the product or
/// the contract the cache does not hold, and how to get it.
pub async fn request_edit(cache: &Cache, product_id: &str, infrastructure: Value) -> Result<Value> {
    let Some(product) = cache.document(ChangeEntity::Product, product_id).await? else {
        return Err(Error::Invalid(format!(
            "the product `{product_id}` is not in the offline catalog: sync the catalog, then edit it again"
        )));
    };
    let ids = contract_ids(&product);
    let mut cached = contracts_cached(cache, &ids).await?;
    let mut contracts = Vec::with_capacity(ids.len());
    for id in &ids {
        let Some(contract) = cached.remove(id) else {
            return Err(Error::Invalid(format!(
                "the contract `{id}` of the product `{product_id}` is not in the offline catalog: sync the catalog, \
                 then edit the product again"
            )));
        };
        contracts.push(contract);
    }
    Ok(json!({
        "apiVersion": "meshport/v1",
        "kind": "ProvisioningRequest",
        "product": product,
        "contracts": contracts,
        "infrastructure": infrastructure,
    }))
}

/// What submitting `request` changes against the catalog's version of its product: the changes and
/// which break, the version bump they require, and (from the offline cache) the downstream products
/// and the consumers they reach. `None` for a product the catalog does not hold: a new product breaks
/// nobody.
///
/// The request's contracts are NEW's and the cache's are OLD's, whatever their versions say: an
/// edited contract that kept its version is still compared with what was published.
pub async fn request_review(cache: &Cache, request: &Value) -> Result<Option<DiffReport>> {
    let new = request.get("product").cloned().unwrap_or(Value::Null);
    let Some(product_id) = new.get("id").and_then(Value::as_str) else {
        return Ok(None);
    };
    let Some(old) = cache.document(ChangeEntity::Product, product_id).await? else {
        return Ok(None);
    };
    let drafted: BTreeMap<&str, &Value> = request
        .get("contracts")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| Some((c.get("id")?.as_str()?, c)))
        .collect();
    let mut ids = contract_ids(&old);
    ids.extend(contract_ids(&new));
    ids.sort();
    ids.dedup();
    let published = contracts_cached(cache, &ids).await?;
    let resolve = |side: Side, id: &str| match side {
        Side::Old => published.get(id).cloned(),
        Side::New => drafted
            .get(id)
            .map(|c| (*c).clone())
            .or_else(|| published.get(id).cloned()),
    };
    let mut report = match product_report(&old, &new, &resolve) {
        Ok(report) => report,
        Err(DiffError::ContractMissing {
            side: Side::Old,
            port,
            contract_id,
        }) => {
            return Err(Error::Invalid(format!(
                "the published output port `{port}` references the contract `{contract_id}`, which is not in the \
                 offline catalog: sync the catalog to compare with it"
            )));
        }
        Err(DiffError::ContractMissing {
            port, contract_id, ..
        }) => {
            return Err(Error::Invalid(format!(
                "the output port `{port}` references the contract `{contract_id}`, which is neither in the request \
                 nor in the catalog: add it in the step Contract"
            )));
        }
        Err(error) => return Err(Error::Invalid(error.to_string())),
    };
    diff_impact(cache, &mut report).await?;
    Ok(Some(report))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::Verdict;
    use meshport_model::platform::{Change, ChangePage};

    fn contract(version: &str, columns: &[&str]) -> Value {
        let properties: Vec<Value> = columns
            .iter()
            .map(|c| json!({"name": c, "logicalType": "string", "physicalType": "TEXT"}))
            .collect();
        json!({"apiVersion": "v3.1.0", "kind": "DataContract", "id": "c1", "version": version, "status": "active",
            "schema": [{"name": "orders", "physicalType": "table", "properties": properties}]})
    }

    fn product(version: &str) -> Value {
        json!({"apiVersion": "v1.0.0", "kind": "DataProduct", "id": "p1", "name": "Orders", "status": "active",
            "domain": "orders", "version": version,
            "outputPorts": [{"name": "orders", "version": "1.0.0", "contractId": "c1"}]})
    }

    /// A cache holding the published product p1 (its contract c1 with `id` and `amount`) and p2,
    /// which reads p1's port.
    async fn published() -> Cache {
        let cache = Cache::open_in_memory().await.unwrap();
        let reader = json!({"apiVersion": "v1.0.0", "kind": "DataProduct", "id": "p2", "name": "Revenue",
            "status": "active", "domain": "finance",
            "inputPorts": [{"name": "orders-in", "version": "1.0.0", "contractId": "c1"}]});
        let changes = [
            (ChangeEntity::Contract, "c1", contract("1.0.0", &["id", "amount"])),
            (ChangeEntity::Product, "p1", product("1.0.0")),
            (ChangeEntity::Product, "p2", reader),
        ];
        let page = ChangePage {
            changes: changes
                .into_iter()
                .enumerate()
                .map(|(i, (entity, id, document))| Change {
                    seq: i as i64 + 1,
                    at: "2026-01-01T00:00:00Z".into(),
                    entity,
                    id: id.into(),
                    deleted: false,
                    document: Some(document),
                })
                .collect(),
            next: 3,
            has_more: false,
        };
        cache.page_apply("http://platform", &page).await.unwrap();
        cache
    }

    #[tokio::test]
    async fn an_edit_starts_from_the_published_product_and_its_contracts() {
        let cache = published().await;
        let request = request_edit(&cache, "p1", json!({"storage": {"type": "managed"}}))
            .await
            .unwrap();
        assert_eq!(request["product"], product("1.0.0"));
        assert_eq!(
            request["contracts"],
            json!([contract("1.0.0", &["id", "amount"])])
        );
        assert_eq!(request["infrastructure"]["storage"]["type"], "managed");

        let missing = request_edit(&cache, "p9", Value::Null).await.unwrap_err();
        assert!(
            missing.to_string().contains("`p9` is not in the offline catalog"),
            "{missing}"
        );
    }

    #[tokio::test]
    async fn a_column_removed_breaks_the_reader_and_needs_a_major_version() {
        let cache = published().await;
        let mut request = request_edit(&cache, "p1", json!({})).await.unwrap();
        // The contract keeps its version: the review still compares it with the published one.
        request["contracts"][0] = contract("1.0.0", &["id"]);
        request["product"]["version"] = json!("1.1.0");
        let report = request_review(&cache, &request).await.unwrap().unwrap();
        assert_eq!(report.verdict, Verdict::Breaking);
        assert!(report.breaking >= 1);
        assert!(
            report
                .changes
                .iter()
                .any(|c| c.breaking && c.path.contains("amount")),
            "{:?}",
            report.changes
        );
        assert_eq!(report.downstream.len(), 1, "{:?}", report.downstream);
        assert_eq!(report.downstream[0].product_id, "p2");
        assert!(report.summary().contains("2.0.0"), "{}", report.summary());

        request["product"]["version"] = json!("2.0.0");
        let report = request_review(&cache, &request).await.unwrap().unwrap();
        assert_eq!(report.verdict, Verdict::BreakingMajorBumped);

        // A column added breaks nobody.
        request["contracts"][0] = contract("1.0.0", &["id", "amount", "currency"]);
        request["product"]["version"] = json!("1.1.0");
        let report = request_review(&cache, &request).await.unwrap().unwrap();
        assert_eq!(report.verdict, Verdict::Compatible);
    }

    #[tokio::test]
    async fn a_new_product_has_nothing_to_review() {
        let cache = published().await;
        let mut request = request_edit(&cache, "p1", json!({})).await.unwrap();
        request["product"]["id"] = json!("p-new");
        assert!(request_review(&cache, &request).await.unwrap().is_none());
    }
}
