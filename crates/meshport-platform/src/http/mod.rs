//! The HTTP API: the router, the extractors and problems at its edge, and a file per resource whose
//! handlers each check who calls, then call one function of a service. The OpenAPI 3.1 description is
//! generated from the same types, served at `/v1/openapi.json` and committed as
//! `schemas/platform.openapi.json`.
//!
//! Layer: the top but one (`server` wires it); no other module of the crate imports from here.

mod access;
mod audit;
mod extract;
mod feed;
mod incidents;
mod lineage;
mod me;
mod packs;
pub mod problem;
mod products;
mod quality;
mod requests;

use std::sync::OnceLock;

use aide::axum::routing::get_with;
use aide::axum::{ApiRouter, IntoApiResponse};
use aide::openapi::{Info, OpenApi, SecurityScheme};
use aide::transform::{TransformOpenApi, TransformOperation};
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::{Json, Router};
use meshport_model::platform::Health;
use serde_json::Value;

use self::problem::{ApiError, BODY_LIMIT};
use crate::state::AppState;

/// The platform's router, with its state.
pub fn app(state: AppState) -> Router {
    let mut api = base();
    routes()
        .finish_api_with(&mut api, describe)
        .fallback(fallback)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn(problem::finish))
        .with_state(state)
}

/// The OpenAPI description of [`app`].
pub fn openapi() -> OpenApi {
    let mut api = base();
    let _ = routes().finish_api_with(&mut api, describe);
    api
}

/// The description as `GET /v1/openapi.json` serves it and `schemas/platform.openapi.json` holds it.
pub fn openapi_json() -> &'static Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(|| serde_json::to_value(openapi()).unwrap_or(Value::Null))
}

fn base() -> OpenApi {
    OpenApi {
        info: Info {
            title: "Meshport reference platform".into(),
            version: "1.0.0".into(),
            description: Some(
                "The self-serve data mesh platform Meshport talks to: a catalog of ODPS v1.0 data products \
                 and ODCS v3.1 contracts, provisioning requests run as durable jobs, a change feed, published \
                 policy packs and an audit log. Every error is an RFC 9457 problem \
                 (`application/problem+json`) whose `type` (`urn:meshport:problem:<slug>`) is stable. \
                 Request bodies are limited to 4 MiB (413 beyond). Every endpoint but health and this \
                 description takes `Authorization: Bearer <token>`."
                    .into(),
            ),
            ..Info::default()
        },
        ..OpenApi::default()
    }
}

fn describe(api: TransformOpenApi<'_>) -> TransformOpenApi<'_> {
    api.security_scheme(
        "bearer",
        SecurityScheme::Http {
            scheme: "bearer".into(),
            bearer_format: Some("mpt_<id>_<secret>".into()),
            description: Some("A token from `meshport-platform token create --user NAME`.".into()),
            extensions: Default::default(),
        },
    )
    .security_requirement("bearer")
    .default_response::<ApiError>()
}

fn public(op: TransformOperation<'_>) -> TransformOperation<'_> {
    // An empty requirement: no authentication.
    op.with(|mut op| {
        op.inner_mut().security = vec![Default::default()];
        op
    })
}

async fn fallback() -> ApiError {
    ApiError::not_found("no such path; the API is described at /v1/openapi.json")
}

async fn health(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    sqlx::query("SELECT 1")
        .execute(state.store().pool())
        .await
        .map_err(|e| {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "The database does not answer",
                e.to_string(),
            )
        })?;
    Ok(Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        database: state.store().backend().as_str().into(),
    }))
}

async fn spec() -> impl IntoApiResponse {
    Json(openapi_json().clone())
}

fn routes() -> ApiRouter<AppState> {
    ApiRouter::new()
        .api_route(
            "/v1/health",
            get_with(health, |op| {
                public(
                    op.id("health")
                        .summary("Whether the platform and its database answer"),
                )
            }),
        )
        .api_route(
            "/v1/openapi.json",
            get_with(spec, |op| {
                public(op.id("openapi").summary("This API's OpenAPI 3.1 description"))
            }),
        )
        .merge(products::routes())
        .merge(requests::routes())
        .merge(feed::routes())
        .merge(packs::routes())
        .merge(audit::routes())
        .merge(quality::routes())
        .merge(incidents::routes())
        .merge(lineage::routes())
        .merge(me::routes())
        .merge(access::routes())
}
