//! Computational governance: every check Meshport runs on a document, returning findings.
//!
//! Validation never fails: it returns a report. The crate does no IO; callers hand it text and packs.

pub mod document;
pub mod packs;
pub mod policy;
pub mod schema_check;
pub mod semantic;
pub mod standards;
pub mod upgrade;
pub mod validate;

pub use policy::{PolicyPack, PolicySet};
/// A document as the policies read it ([`policy::rego_value`]).
pub use regorus::Value as RegoValue;
pub use schema_check::{DocumentKind, schema_findings};
pub use semantic::Context;
pub use standards::Standard;
pub use validate::{Validated, document_kind, document_standard, document_validate, document_validate_with};
