//! The nouns of Meshport: data products (ODPS v1.0), data contracts (ODCS v3.1), provisioning requests
//! and the findings every check reports.
//!
//! These Rust types are the definition; the JSON Schemas in `schemas/` are generated from them
//! ([`schema::all`]). The crate does no IO and has no opinion on YAML: it is serde + schemars only.

pub mod contract;
pub mod finding;
pub mod offline;
pub mod platform;
pub mod product;
pub mod provisioning;
pub mod schema;
pub mod trust;

pub use contract::DataContract;
pub use finding::{Finding, Severity};
pub use product::DataProduct;
pub use provisioning::ProvisioningRequest;
