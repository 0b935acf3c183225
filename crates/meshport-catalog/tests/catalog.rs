//! Integration tests of the local store on real database files.

use meshport_catalog::{Error, LocalStore};
use meshport_model::DataProduct;
use meshport_model::product::{Description, OutputPort};

fn product(id: &str, name: &str, domain: &str) -> DataProduct {
    let mut product = DataProduct::draft(id, name);
    product.domain = Some(domain.to_owned());
    product.version = Some("1.0.0".to_owned());
    product.description = Some(Description {
        purpose: Some(format!("{name} purpose")),
        ..Default::default()
    });
    product.output_ports = Some(vec![OutputPort {
        name: "main".to_owned(),
        description: None,
        kind: Some("tables".to_owned()),
        version: "1.0.0".to_owned(),
        contract_id: None,
        sbom: None,
        input_contracts: None,
        tags: None,
        custom_properties: None,
        authoritative_definitions: None,
    }]);
    product
}

#[tokio::test]
async fn products_persist_across_reopen_and_list_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/catalog.db");
    let store = LocalStore::open(&path).await.unwrap();
    store
        .products_insert(&[product("b", "Beta", "orders"), product("a", "Alpha", "customer")])
        .await
        .unwrap();
    store.close().await;

    let store = LocalStore::open(&path).await.unwrap();
    let list = store.products_list().await.unwrap();
    let names: Vec<_> = list.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Alpha", "Beta"], "ordered by domain then name");
    assert_eq!(list[0].output_ports, 1);
    assert_eq!(list[0].purpose.as_deref(), Some("Alpha purpose"));
    assert_eq!(list[0].status, "draft");
    assert_eq!(
        store.product_get("a").await.unwrap(),
        Some(product("a", "Alpha", "customer"))
    );
    assert_eq!(store.product_get("missing").await.unwrap(), None);
}

#[tokio::test]
async fn a_batch_with_a_duplicate_writes_nothing() {
    let store = LocalStore::open_in_memory().await.unwrap();
    store
        .products_insert(&[product("a", "Alpha", "customer")])
        .await
        .unwrap();
    let err = store
        .products_insert(&[
            product("c", "Gamma", "finance"),
            product("a", "Again", "customer"),
        ])
        .await
        .unwrap_err();
    assert!(matches!(err, Error::AlreadyExists(ref id) if id == "a"), "{err}");
    let ids: Vec<_> = store
        .products_list()
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(
        ids,
        ["a"],
        "the transaction rolled back the first product of the batch"
    );
}

#[tokio::test]
async fn seeding_happens_once() {
    let store = LocalStore::open_in_memory().await.unwrap();
    let demo = [product("a", "Alpha", "customer"), product("b", "Beta", "orders")];
    assert!(store.seed_once("demo", &demo).await.unwrap());
    assert!(store.meta_get("demo").await.unwrap().is_some());
    assert!(
        !store
            .seed_once("demo", &[product("c", "Gamma", "finance")])
            .await
            .unwrap()
    );
    assert_eq!(store.products_list().await.unwrap().len(), 2);
}
