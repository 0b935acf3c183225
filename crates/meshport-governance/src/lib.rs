//! Computational governance: every check Meshport runs on a document, returning findings.
//!
//! Validation never fails: it returns a report. The crate does no IO; callers hand it text and packs.

pub mod document;
pub mod packs;
pub mod policy;
pub mod schema_check;
pub mod semantic;

pub use schema_check::{DocumentKind, schema_findings};
