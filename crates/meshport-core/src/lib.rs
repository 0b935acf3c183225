//! The operations every Meshport shell calls, named `noun_verb`.
//!
//! The desktop commands and the CLI subcommands are one-liners over these functions, so everything the
//! window does can be done headless and tested without a window. Operations are async from the start:
//! later ones call the platform over the network.

pub mod access;
pub mod actions;
pub mod demo;
pub mod diff;
pub mod error;
pub mod jobs;
pub mod outbox;
pub mod paths;
pub mod product;
pub mod profile;
pub mod request;
pub mod revision;
pub mod session;
pub mod standards;
pub mod sync;
pub mod validate;

pub use diff::{DiffReport, diff_impact, diff_run, documents_diff, product_report};
pub use error::{Error, Result};
pub use meshport_catalog::LocalStore;
pub use meshport_client::{Client, Secret};
pub use meshport_governance::PolicySet;

// The crates below core that a shell reaches only through core: their types appear in core's
// operations, so the CLI and the desktop shell name them from here and depend on core and the model
// alone (ARCHITECTURE.md; `cargo test -p xtask` checks it).
pub use meshport_catalog::cache;
pub use meshport_client as client;
pub use meshport_governance::{DocumentKind, document, document_standard, packs, policy};
pub use product::{local_store_open, product_create, products_list};
