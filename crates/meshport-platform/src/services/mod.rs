//! The platform's domain services, each a module of functions over [`crate::state::AppState`] or
//! the store, returning [`crate::error::ApiError`]. Handlers in `http` check who calls and call one
//! of them; the job runner and the upkeep loops call them too. None of them knows HTTP.
//!
//! From the bottom up (a service imports only those before it): `auth` (tokens, users, roles),
//! `lineage` (the port index and the graph), `catalog` (products, contracts, versions, the change
//! feed, ids and their owners, the audit log), `packs` (published policy packs, compiled),
//! `quality::plan` (a contract's rules as SQL), `incidents`, `quality` (runs, reports, SLOs, the
//! schedule), `access` (requests, decisions, grants and their revocation), `jobs` (provisioning and
//! unprovisioning as durable jobs and their runners).

pub mod access;
pub mod auth;
pub mod catalog;
pub mod idempotency;
pub mod incidents;
pub mod jobs;
pub mod lineage;
pub mod packs;
pub mod quality;
