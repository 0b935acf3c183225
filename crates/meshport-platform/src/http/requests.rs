//! `/v1/provisioning-requests` and `/v1/products/{id}/unprovision`: provisioning and unprovisioning
//! as jobs, submitted once per `Idempotency-Key`, followed, cancelled and retried.

use aide::axum::ApiRouter;
use aide::axum::routing::{get_with, post_with};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use meshport_model::platform::ProvisioningJob;

use super::extract::{IdPath, IdempotencyKey, RequestBody, id_check, reader};
use super::problem::ApiError;
use crate::services::auth::Caller;
use crate::services::jobs::{self, Answer};
use crate::state::AppState;

pub(super) fn routes() -> ApiRouter<AppState> {
    ApiRouter::new()
        .api_route(
            "/v1/products/{id}/unprovision",
            post_with(product_unprovision, |op| {
                op.id("product_unprovision")
                    .summary("Destroy what provisioning built and remove the product (a job)")
                    .response::<202, Json<ProvisioningJob>>()
            }),
        )
        .api_route(
            "/v1/provisioning-requests",
            post_with(request_submit, |op| {
                op.id("request_submit")
                    .summary("Submit a provisioning request; it runs as a job")
                    .description(
                        "Validated with the standard's checks and the platform's published packs; errors refuse it \
                         (422 `validation-failed` with the findings). `Idempotency-Key` is required: a replay with the \
                         same key and body answers the first response (header `Idempotent-Replayed: true`), the same key \
                         with another body is 422, and requests sent at once with one key make one job (the first to \
                         commit; the others answer its response). Keys are kept 48 hours.",
                    )
                    .response::<202, Json<ProvisioningJob>>()
            }),
        )
        .api_route(
            "/v1/provisioning-requests/{id}",
            get_with(request_get, |op| op.id("request_get").summary("A provisioning request's state and step log")),
        )
        .api_route(
            "/v1/provisioning-requests/{id}/cancel",
            post_with(request_cancel, |op| {
                op.id("request_cancel").summary("Cancel a queued request, or stop a running one at its next step")
            }),
        )
        .api_route(
            "/v1/provisioning-requests/{id}/retry",
            post_with(request_retry, |op| {
                op.id("request_retry")
                    .summary("Run a failed request again from its failed step")
                    .response::<202, Json<ProvisioningJob>>()
            }),
        )
}

fn answer(answer: Answer) -> Response {
    let mut headers = HeaderMap::new();
    if let Ok(location) = HeaderValue::from_str(&answer.location) {
        headers.insert(header::LOCATION, location);
    }
    if answer.replayed {
        headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    (answer.status, headers, Json(answer.job)).into_response()
}

async fn request_submit(
    State(state): State<AppState>,
    caller: Caller,
    key: IdempotencyKey,
    body: RequestBody,
) -> Result<Response, ApiError> {
    jobs::submit(&state, &caller, key.0.as_deref(), &body.0)
        .await
        .map(answer)
}

async fn request_get(
    State(state): State<AppState>,
    caller: Caller,
    Path(path): Path<IdPath>,
) -> Result<Json<ProvisioningJob>, ApiError> {
    reader(&caller)?;
    Ok(Json(jobs::job_get(&state, id_check(&path.id)?).await?))
}

async fn request_cancel(
    State(state): State<AppState>,
    caller: Caller,
    Path(path): Path<IdPath>,
) -> Result<Json<ProvisioningJob>, ApiError> {
    Ok(Json(
        jobs::job_cancel(&state, &caller, id_check(&path.id)?).await?,
    ))
}

async fn request_retry(
    State(state): State<AppState>,
    caller: Caller,
    Path(path): Path<IdPath>,
) -> Result<(StatusCode, Json<ProvisioningJob>), ApiError> {
    Ok((
        StatusCode::ACCEPTED,
        Json(jobs::job_retry(&state, &caller, id_check(&path.id)?).await?),
    ))
}

async fn product_unprovision(
    State(state): State<AppState>,
    caller: Caller,
    key: IdempotencyKey,
    Path(path): Path<IdPath>,
) -> Result<Response, ApiError> {
    jobs::unprovision(&state, &caller, id_check(&path.id)?, key.0.as_deref())
        .await
        .map(answer)
}
