//! Integration tests of the core operations, as the desktop and the CLI call them.

use meshport_core::{demo, local_store_open, product_create, products_list};
use meshport_governance::{DocumentKind, schema_findings};
use serde_json::{Value, json};

fn valid_document() -> Value {
    json!({
        "apiVersion": "v1.0.0",
        "kind": "DataProduct",
        "id": "0d9b1f7e-3c55-4f0e-9e21-6b3f4c2a1d10",
        "name": "Returns Analytics",
        "version": "1.0.0",
        "status": "draft",
        "domain": "orders",
        "description": {"purpose": "Why customers return what they buy."}
    })
}

/// Saves `document` as the form does, with no policies: the standard's checks alone.
async fn save(store: &meshport_core::LocalStore, document: Value) -> meshport_model::product::SaveOutcome {
    let policies = meshport_governance::PolicySet::new(Vec::new()).unwrap();
    product_create(store, &policies, document).await.unwrap()
}

async fn open() -> (tempfile::TempDir, meshport_core::LocalStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = local_store_open(&dir.path().join("catalog.db")).await.unwrap();
    (dir, store)
}

#[test]
fn the_demo_mesh_is_valid_and_covers_five_domains() {
    let products = demo::products();
    let mut domains: Vec<_> = products.iter().filter_map(|p| p.domain.clone()).collect();
    domains.sort();
    domains.dedup();
    assert_eq!(
        domains,
        ["customer", "finance", "inventory", "marketing", "orders"]
    );
    for product in products {
        let findings = schema_findings(
            DocumentKind::DataProduct,
            &serde_json::to_value(&product).unwrap(),
        );
        assert!(findings.is_empty(), "{:?}: {findings:?}", product.name);
    }
}

#[tokio::test]
async fn a_new_local_store_is_seeded_with_the_demo_mesh() {
    let (_dir, store) = open().await;
    let list = products_list(&store).await.unwrap();
    assert_eq!(list.len(), demo::products().len());
    assert!(list.iter().any(|p| p.name == "Customer 360"));
}

#[tokio::test]
async fn a_valid_product_is_saved_and_listed() {
    let (_dir, store) = open().await;
    let outcome = save(&store, valid_document()).await;
    assert!(outcome.saved, "{:?}", outcome.findings);
    assert!(outcome.findings.is_empty());
    let list = products_list(&store).await.unwrap();
    assert!(
        list.iter()
            .any(|p| p.name == "Returns Analytics" && p.domain.as_deref() == Some("orders"))
    );
}

/// Each bad input is refused with an error finding on its field, and nothing is written.
#[tokio::test]
async fn bad_input_is_refused_on_its_field_and_nothing_is_written() {
    let cases: [(&str, Value, &str); 6] = [
        ("/name", json!(""), "`name` must not be empty or blank"),
        ("/name", json!("   "), "`name` must not be empty or blank"),
        ("/id", json!("not-a-uuid"), "is not a \"uuid\""),
        ("/status", json!("shiny"), "is not one of"),
        ("/version", json!(7), "is not of type \"string\""),
        ("/version", json!("1.0"), "is not semantic versioning"),
    ];
    let (_dir, store) = open().await;
    let before = products_list(&store).await.unwrap().len();
    for (pointer, value, expected) in cases {
        let mut document = valid_document();
        *document.pointer_mut(pointer).unwrap() = value.clone();
        let outcome = save(&store, document).await;
        assert!(!outcome.saved, "{pointer} = {value} was saved");
        let finding = outcome
            .findings
            .iter()
            .find(|f| f.path == pointer)
            .unwrap_or_else(|| panic!("no finding on {pointer}: {:?}", outcome.findings));
        assert!(finding.is_error());
        assert!(
            finding.message.contains(expected),
            "{pointer}: {}",
            finding.message
        );
        assert!(!finding.hint.is_empty());
    }
    assert_eq!(products_list(&store).await.unwrap().len(), before);
}

#[tokio::test]
async fn a_duplicate_id_is_a_finding_on_the_id() {
    let (_dir, store) = open().await;
    let mut document = valid_document();
    document["id"] = json!(demo::products()[0].id);
    let outcome = save(&store, document).await;
    assert!(!outcome.saved);
    assert_eq!(outcome.findings[0].path, "/id");
    assert_eq!(outcome.findings[0].rule, "catalog-unique-id");
}

/// The desktop app runs against the demo mesh and applies its packs: a draft that the demo's global
/// pack would refuse at submission (no lineage, no owner) is still saved, with the policy findings as
/// warnings on their fields, saying what submission will require.
#[tokio::test]
async fn a_draft_is_saved_with_the_demo_policies_findings_as_warnings() {
    let (_dir, store) = open().await;
    let policies = meshport_core::validate::policies_demo().unwrap();
    let outcome = product_create(&store, &policies, valid_document()).await.unwrap();
    assert!(outcome.saved, "{:?}", outcome.findings);
    let rules: Vec<_> = outcome.findings.iter().map(|f| f.rule.as_str()).collect();
    assert!(rules.contains(&"global/lineage_declared"), "{rules:?}");
    assert!(rules.contains(&"global/ownership"), "{rules:?}");
    for finding in &outcome.findings {
        assert_eq!(finding.severity, meshport_model::Severity::Warning, "{finding:?}");
        assert!(
            finding
                .hint
                .starts_with("Required before the product is submitted.")
        );
    }
}
