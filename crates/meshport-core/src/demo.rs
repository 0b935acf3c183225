//! The demo mesh a new local store is seeded with: a retail enterprise's Customer, Inventory, Orders,
//! Marketing and Finance domains.

use meshport_model::DataProduct;

const RETAIL_MESH: &str = include_str!("../demo/retail-mesh.odps.yaml");

/// The key recorded in the local store once the demo mesh was seeded, so that a user who deletes the demo
/// products does not get them back.
pub const SEED_KEY: &str = "demo-mesh-seeded";

/// The demo data products.
pub fn products() -> Vec<DataProduct> {
    let tree =
        meshport_governance::document::parse(RETAIL_MESH).expect("the embedded demo mesh is YAML (tested)");
    let list = tree.into_iter().next().map(|doc| doc.value).unwrap_or_default();
    serde_json::from_value(list).expect("the embedded demo mesh is valid ODPS (tested)")
}
