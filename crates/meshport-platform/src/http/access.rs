//! `/v1/access-requests`: asking for access to a port, deciding, and revoking.

use aide::axum::ApiRouter;
use aide::axum::routing::{get_with, post_with};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use meshport_model::platform::Page;
use meshport_model::trust::{AccessRequest, AccessState};
use schemars::JsonSchema;
use serde::Deserialize;

use super::extract::{IdPath, IdempotencyKey, Params, id_check, limit, reader};
use super::problem::{ApiError, JsonBody, OptionalJson};
use crate::services::access::{self, Decision, NewAccessRequest, Verdict};
use crate::services::auth::Caller;
use crate::state::AppState;

pub(super) fn routes() -> ApiRouter<AppState> {
    ApiRouter::new()
        .api_route(
            "/v1/access-requests",
            post_with(access_create, |op| {
                op.id("access_create")
                    .summary("Ask for access to an output port, with a purpose")
                    .response::<201, Json<AccessRequest>>()
            })
            .get_with(access_list, |op| {
                op.id("access_list").summary(
                    "Access requests the caller may see (their own; their domains' as owner or steward; all as admin)",
                )
            }),
        )
        .api_route(
            "/v1/access-requests/{id}",
            get_with(access_get, |op| op.id("access_get").summary("An access request")),
        )
        .api_route(
            "/v1/access-requests/{id}/approve",
            post_with(access_approve, |op| {
                op.id("access_approve")
                    .summary("Approve a request and grant the access (owners of the domain, not the requester)")
            }),
        )
        .api_route(
            "/v1/access-requests/{id}/reject",
            post_with(access_reject, |op| op.id("access_reject").summary("Reject a request (owners of the domain)")),
        )
        .api_route(
            "/v1/access-requests/{id}/revoke",
            post_with(access_revoke, |op| {
                op.id("access_revoke").summary("Revoke granted access and take it away (owners of the domain)")
            }),
        )
}

/// Made once per `Idempotency-Key`: sent again with the key, it answers the request the first send
/// made, with `Idempotent-Replayed: true`.
async fn access_create(
    State(state): State<AppState>,
    caller: Caller,
    key: IdempotencyKey,
    JsonBody(body): JsonBody<NewAccessRequest>,
) -> Result<(StatusCode, HeaderMap, Json<AccessRequest>), ApiError> {
    for text in [&body.product_id, &body.output_port]
        .into_iter()
        .chain(body.until.as_ref())
    {
        id_check(text)?;
    }
    let (request, replayed) = access::create(&state, &caller, body, key.0.as_deref()).await?;
    let mut headers = HeaderMap::new();
    if replayed {
        headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    if let Ok(location) = HeaderValue::from_str(&format!("/v1/access-requests/{}", request.id)) {
        headers.insert(header::LOCATION, location);
    }
    Ok((StatusCode::CREATED, headers, Json(request)))
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct AccessQuery {
    /// Only requests in this state.
    state: Option<AccessState>,
    /// Only requests for this product.
    product: Option<String>,
    /// Only requests of this consumer.
    consumer: Option<String>,
    /// Only requests for products of this domain.
    domain: Option<String>,
    /// The `nextCursor` of the previous page.
    cursor: Option<String>,
    /// Requests per page, 1 to 500 (default 100).
    limit: Option<i64>,
}

async fn access_list(
    State(state): State<AppState>,
    caller: Caller,
    Params(query): Params<AccessQuery>,
) -> Result<Json<Page<AccessRequest>>, ApiError> {
    reader(&caller)?;
    for text in [&query.product, &query.consumer, &query.domain, &query.cursor]
        .into_iter()
        .flatten()
    {
        id_check(text)?;
    }
    let filter = access::Filter {
        state: query.state,
        product: query.product,
        consumer: query.consumer,
        domain: query.domain,
    };
    let limit = limit(query.limit, 100, 500)?;
    Ok(Json(
        access::list(&state, &caller, &filter, query.cursor.as_deref(), limit).await?,
    ))
}

async fn access_get(
    State(state): State<AppState>,
    caller: Caller,
    Path(path): Path<IdPath>,
) -> Result<Json<AccessRequest>, ApiError> {
    Ok(Json(access::get(&state, &caller, id_check(&path.id)?).await?))
}

async fn decide(
    state: AppState,
    caller: Caller,
    id: &str,
    verdict: Verdict,
    body: Decision,
) -> Result<Json<AccessRequest>, ApiError> {
    Ok(Json(
        access::decide(&state, &caller, id_check(id)?, verdict, body).await?,
    ))
}

async fn access_approve(
    State(state): State<AppState>,
    caller: Caller,
    Path(path): Path<IdPath>,
    OptionalJson(body): OptionalJson<Decision>,
) -> Result<Json<AccessRequest>, ApiError> {
    decide(state, caller, &path.id, Verdict::Approve, body).await
}

async fn access_reject(
    State(state): State<AppState>,
    caller: Caller,
    Path(path): Path<IdPath>,
    OptionalJson(body): OptionalJson<Decision>,
) -> Result<Json<AccessRequest>, ApiError> {
    decide(state, caller, &path.id, Verdict::Reject, body).await
}

async fn access_revoke(
    State(state): State<AppState>,
    caller: Caller,
    Path(path): Path<IdPath>,
    OptionalJson(body): OptionalJson<Decision>,
) -> Result<Json<AccessRequest>, ApiError> {
    decide(state, caller, &path.id, Verdict::Revoke, body).await
}
