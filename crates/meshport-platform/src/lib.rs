//! The reference data mesh platform Meshport talks to: a self-serve API over a catalog of ODPS
//! products and ODCS contracts, provisioning as durable jobs, a SQL adapter that builds output ports
//! for real, a change feed, published policy packs, roles per domain and an audit log. It runs on
//! SQLite (embedded in the desktop app, or alone) or on PostgreSQL (several processes as one
//! platform).
//!
//! The crate is in layers; a module imports only from layers below its own, and never in a circle
//! (`cargo xtask layers` checks it, and so does `cargo test -p xtask`):
//!
//! 1. [`error`] and [`store`]: the problem type and the database (pools, migrations, transactions);
//! 2. [`adapters`]: what builds output ports ([`adapters::Adapter`], the SQL adapter, its sandbox);
//! 3. [`state`]: the configuration and the state everything shares;
//! 4. [`services`]: the domain (catalog and feed, jobs, quality, incidents, access, lineage, auth);
//! 5. [`demo`]: the demo mesh, seeded through the services;
//! 6. [`http`]: the router, its problems and a file per resource;
//! 7. [`server`]: a running platform (router, runners, upkeep) and the embedded one.
//!
//! This file only wires. Only this crate knows the platform's SQL; only `meshport-client` its HTTP
//! paths.

pub mod adapters;
pub mod demo;
pub mod error;
pub mod http;
pub mod server;
pub mod services;
pub mod state;
pub mod store;

pub use http::{app, openapi};
pub use server::{Platform, embedded_seed, embedded_seeded, embedded_start};
pub use services::{access, auth, catalog, incidents, jobs, lineage, packs, quality};
pub use state::{AppState, Clock, Config, default_database, default_dir};
