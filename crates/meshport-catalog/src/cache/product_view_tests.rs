//! A product's page read from the cache: its contracts, quality, incidents, access requests and
//! lineage neighbours, from documents shaped as the platform's feed sends them.

use serde_json::{Value, json};

use super::*;
use meshport_model::platform::DomainRole;

fn product(id: &str, name: &str, domain: &str, inputs: &[&str], outputs: &[&str]) -> Value {
    json!({
        "apiVersion": "v1.0.0", "kind": "DataProduct", "id": id, "name": name, "domain": domain,
        "status": "active", "version": "1.0.0",
        "inputPorts": inputs.iter().map(|c| json!({"name": format!("in-{c}"), "version": "1.0.0", "contractId": c})).collect::<Vec<_>>(),
        "outputPorts": outputs.iter().map(|c| json!({"name": format!("out-{c}"), "version": "1.0.0", "contractId": c})).collect::<Vec<_>>(),
    })
}

fn incident(id: &str, product: &str, state: &str, opened_at: &str) -> Value {
    let domain = if product == "attr" { "marketing" } else { "orders" };
    json!({"id": id, "productId": product, "productName": product, "domain": domain,
        "check": "rows", "port": "out", "state": state, "severity": "error", "title": "rows is 0",
        "failures": 1, "openedAt": opened_at, "updatedAt": opened_at, "events": []})
}

fn access(id: &str, product: &str, consumer: &str, requested_at: &str) -> Value {
    json!({"id": id, "productId": product, "productName": product, "domain": "marketing",
        "outputPort": "out-c2", "consumer": consumer, "purpose": "reports", "state": "requested",
        "requestedAt": requested_at, "updatedAt": requested_at})
}

async fn mesh() -> Cache {
    let cache = Cache::open_in_memory().await.unwrap();
    let mut changes = Vec::new();
    let mut add = |entity, id: &str, document: Value| {
        changes.push(Change {
            seq: changes.len() as i64 + 1,
            at: "2025-03-01T10:00:00Z".into(),
            entity,
            id: id.into(),
            deleted: false,
            document: Some(document),
        })
    };
    add(
        ChangeEntity::Product,
        "orders",
        product("orders", "Orders", "orders", &[], &["c1"]),
    );
    // Attribution reads Orders' contract; a malformed input port (not an object) is skipped.
    let mut attribution = product(
        "attr",
        "Campaign Attribution",
        "marketing",
        &["c1", "c1"],
        &["c2", "c2"],
    );
    attribution["inputPorts"]
        .as_array_mut()
        .unwrap()
        .push(json!("c1"));
    add(ChangeEntity::Product, "attr", attribution);
    add(
        ChangeEntity::Product,
        "revenue",
        product("revenue", "Daily Revenue", "finance", &["c2"], &[]),
    );
    add(
        ChangeEntity::Product,
        "other",
        product("other", "Other", "finance", &["c9"], &[]),
    );
    add(
        ChangeEntity::Contract,
        "c2",
        json!({"apiVersion": "v3.1.0", "kind": "DataContract", "id": "c2", "version": "1.0.0", "status": "active"}),
    );
    add(
        ChangeEntity::Incident,
        "i1",
        incident("i1", "orders", "open", "2025-03-01T09:00:00Z"),
    );
    add(
        ChangeEntity::Incident,
        "i2",
        incident("i2", "orders", "resolved", "2025-02-01T09:00:00Z"),
    );
    add(
        ChangeEntity::Incident,
        "i3",
        incident("i3", "attr", "resolved", "2025-01-01T09:00:00Z"),
    );
    let mut assigned = incident("i4", "attr", "assigned", "2025-02-15T09:00:00Z");
    assigned["assignee"] = json!("sam");
    add(ChangeEntity::Incident, "i4", assigned);
    add(
        ChangeEntity::AccessRequest,
        "a1",
        access("a1", "attr", "cora", "2025-02-01T09:00:00Z"),
    );
    add(
        ChangeEntity::AccessRequest,
        "a2",
        access("a2", "attr", "dana", "2025-02-02T09:00:00Z"),
    );
    add(
        ChangeEntity::Quality,
        "attr",
        json!({"productId": "attr", "lastRunAt": "2025-03-01T10:00:00Z",
        "passed": 1, "failed": 0, "warnings": 0, "errors": 0,
        "latest": [{"at": "2025-03-01T10:00:00Z", "status": "passed", "value": 5.0}],
        "checks": ["out-c2:rows"], "slos": []}),
    );
    let next = changes.len() as i64;
    cache
        .page_apply(
            "https://platform",
            &ChangePage {
                changes,
                next,
                has_more: false,
            },
        )
        .await
        .unwrap();
    cache
        .user_roles_set(&UserRoles {
            user: "mia".into(),
            roles: vec![DomainRole {
                role: "owner".into(),
                domain: "marketing".into(),
            }],
        })
        .await
        .unwrap();
    cache
}

#[tokio::test]
async fn a_product_page_holds_its_documents_and_its_neighbours() {
    let cache = mesh().await;
    let view = cache.product_view("attr").await.unwrap().expect("cached");
    assert_eq!(view.product["name"], "Campaign Attribution");
    // Each output contract once, in port order.
    assert_eq!(view.contracts.len(), 1);
    assert_eq!(view.contracts[0]["id"], "c2");
    assert_eq!(view.quality.as_ref().unwrap().checks, ["out-c2:rows"]);
    let incidents: Vec<&str> = view.incidents.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(incidents, ["i4", "i3"], "its own, the newest first");
    let requests: Vec<&str> = view.access_requests.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(requests, ["a2", "a1"]);
    let upstream: Vec<(&str, u32)> = view
        .upstream
        .iter()
        .map(|l| (l.id.as_str(), l.open_incidents))
        .collect();
    assert_eq!(
        upstream,
        [("orders", 1)],
        "Orders serves c1 and has one open incident"
    );
    assert_eq!(view.upstream[0].contract_id, "c1");
    let downstream: Vec<&str> = view.downstream.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(downstream, ["revenue"]);
    assert_eq!(view.user.as_deref(), Some("mia"));
    assert!(view.owner, "mia owns marketing");
    assert_eq!(view.synced_at, None, "no sync has succeeded yet");

    let orders = cache.product_view("orders").await.unwrap().unwrap();
    assert!(!orders.owner, "mia does not own orders");
    assert!(orders.contracts.is_empty(), "c1 is not cached");
    assert!(orders.quality.is_none());
    assert!(orders.upstream.is_empty());
    let downstream: Vec<(&str, u32)> = orders
        .downstream
        .iter()
        .map(|l| (l.id.as_str(), l.open_incidents))
        .collect();
    assert_eq!(
        downstream,
        [("attr", 1)],
        "one link although two input ports name c1"
    );

    assert!(cache.product_view("missing").await.unwrap().is_none());
}

#[tokio::test]
async fn the_cache_knows_its_size() {
    let cache = Cache::open_in_memory().await.unwrap();
    let empty = cache.size_bytes().await.unwrap();
    assert!(empty > 0, "the schema takes pages");
    // 300 products of about 2 kB each: several hundred kB more.
    let changes: Vec<Change> = (0..300)
        .map(|n| {
            let mut document = product(&format!("p{n}"), &format!("Product {n}"), "orders", &[], &[]);
            document["description"] = json!({"purpose": "x".repeat(2_000)});
            Change {
                seq: n + 1,
                at: "2025-03-01T10:00:00Z".into(),
                entity: ChangeEntity::Product,
                id: format!("p{n}"),
                deleted: false,
                document: Some(document),
            }
        })
        .collect();
    cache
        .page_apply(
            "https://platform",
            &ChangePage {
                changes,
                next: 300,
                has_more: false,
            },
        )
        .await
        .unwrap();
    let full = cache.size_bytes().await.unwrap();
    assert!(
        full > empty + 500_000,
        "{full} bytes with 300 products, {empty} without"
    );
    assert_eq!(full % 512, 0, "whole pages");
}

#[tokio::test]
async fn incidents_are_listed_active_first_and_filtered() {
    let cache = mesh().await;
    let ids = |list: &IncidentList| list.incidents.iter().map(|i| i.id.clone()).collect::<Vec<_>>();
    let all = cache.incidents(&IncidentFilter::default()).await.unwrap();
    assert_eq!(ids(&all), ["i1", "i4", "i2", "i3"]);
    assert_eq!(all.domains, ["marketing", "orders"]);
    assert_eq!(all.assignees, ["sam"]);

    let filter = |state: Option<&str>, domain: Option<&str>, assignee: Option<&str>| IncidentFilter {
        state: state.map(str::to_owned),
        domain: domain.map(str::to_owned),
        assignee: assignee.map(str::to_owned),
    };
    let active = cache
        .incidents(&filter(Some("active"), None, None))
        .await
        .unwrap();
    assert_eq!(ids(&active), ["i1", "i4"]);
    let resolved = cache
        .incidents(&filter(Some("resolved"), Some("orders"), None))
        .await
        .unwrap();
    assert_eq!(ids(&resolved), ["i2"]);
    let sams = cache.incidents(&filter(None, None, Some("sam"))).await.unwrap();
    assert_eq!(ids(&sams), ["i4"]);
    let nobodys = cache
        .incidents(&filter(Some("active"), None, Some("-")))
        .await
        .unwrap();
    assert_eq!(ids(&nobodys), ["i1"]);
    // A value in the filter is bound, never spliced into the SQL.
    let odd = cache
        .incidents(&filter(Some("' OR 1=1 --"), None, None))
        .await
        .unwrap();
    assert!(odd.incidents.is_empty());
    // The lists of values do not narrow with the filter.
    assert_eq!(sams.domains, ["marketing", "orders"]);

    assert_eq!(
        cache.incident("i4").await.unwrap().unwrap().assignee.as_deref(),
        Some("sam")
    );
    assert!(cache.incident("nope").await.unwrap().is_none());
}

#[tokio::test]
async fn lineage_walks_upstream_and_downstream_to_a_depth() {
    let cache = mesh().await;
    let summary = |view: &LineageView| {
        (
            view.nodes
                .iter()
                .map(|n| (n.id.clone(), n.depth))
                .collect::<Vec<_>>(),
            view.edges
                .iter()
                .map(|e| format!("{}->{}:{}", e.from, e.to, e.contract_id))
                .collect::<Vec<_>>(),
            view.truncated,
        )
    };
    let attr = cache.lineage("attr", 3, 100).await.unwrap().unwrap();
    assert_eq!(
        summary(&attr),
        (
            vec![("orders".into(), -1), ("attr".into(), 0), ("revenue".into(), 1)],
            vec!["attr->revenue:c2".into(), "orders->attr:c1".into()],
            false
        )
    );
    assert_eq!(attr.nodes[0].open_incidents, 1);

    // Orders, one step: Attribution, and more beyond it.
    let orders = cache.lineage("orders", 1, 100).await.unwrap().unwrap();
    assert_eq!(
        summary(&orders),
        (
            vec![("orders".into(), 0), ("attr".into(), 1)],
            vec!["orders->attr:c1".into()],
            true
        )
    );
    // Two steps reach Daily Revenue, and nothing lies beyond.
    let orders = cache.lineage("orders", 2, 100).await.unwrap().unwrap();
    assert_eq!(orders.nodes.len(), 3);
    assert!(!orders.truncated);
    // A node limit stops the walk and says so.
    let small = cache.lineage("attr", 3, 2).await.unwrap().unwrap();
    assert_eq!(small.nodes.len(), 2);
    assert!(small.truncated);

    assert!(cache.lineage("missing", 3, 100).await.unwrap().is_none());
}

/// A cache written before migration 0004 gets its `product_inputs` from the products it holds.
#[tokio::test]
async fn a_cache_of_the_previous_schema_backfills_its_input_contracts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.db");
    {
        let cache = Cache::open(&path).await.unwrap();
        let memory = mesh().await;
        let mut changes = Vec::new();
        for (entity, table) in [
            (ChangeEntity::Product, "products"),
            (ChangeEntity::Contract, "contracts"),
        ] {
            let rows: Vec<(String, String)> =
                sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT id, document FROM {table}")))
                    .fetch_all(&memory.pool)
                    .await
                    .unwrap();
            for (id, document) in rows {
                changes.push(Change {
                    seq: changes.len() as i64 + 1,
                    at: "2025-03-01T10:00:00Z".into(),
                    entity,
                    id,
                    deleted: false,
                    document: Some(serde_json::from_str(&document).unwrap()),
                });
            }
        }
        let next = changes.len() as i64;
        cache
            .page_apply(
                "https://platform",
                &ChangePage {
                    changes,
                    next,
                    has_more: false,
                },
            )
            .await
            .unwrap();
        // Back to the schema of 0003, as an older Meshport left it.
        sqlx::query("DROP TABLE product_inputs")
            .execute(&cache.pool)
            .await
            .unwrap();
        sqlx::query("DELETE FROM _sqlx_migrations WHERE version = 4")
            .execute(&cache.pool)
            .await
            .unwrap();
        cache.pool.close().await;
    }
    let upgraded = Cache::open(&path).await.unwrap();
    let lineage = upgraded.lineage("orders", 3, 100).await.unwrap().unwrap();
    let ids: Vec<&str> = lineage.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, ["orders", "attr", "revenue"]);
    let view = upgraded.product_view("orders").await.unwrap().unwrap();
    assert_eq!(view.downstream.len(), 1);
}
