//! `/v1/incidents`: quality incidents and their actions (acknowledge, assign, comment, resolve,
//! reopen), each carried out once per `Idempotency-Key` when one is sent.

use aide::axum::ApiRouter;
use aide::axum::routing::{get_with, post_with};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue};
use meshport_model::platform::Page;
use meshport_model::trust::{Incident, IncidentState};
use schemars::JsonSchema;
use serde::Deserialize;

use super::extract::{IdPath, IdempotencyKey, Params, id_check, limit, reader};
use super::problem::{ApiError, JsonBody, OptionalJson};
use crate::services::auth::Caller;
use crate::services::incidents::{self, Action};
use crate::state::AppState;

pub(super) fn routes() -> ApiRouter<AppState> {
    ApiRouter::new()
        .api_route(
            "/v1/incidents",
            get_with(incidents_list, |op| {
                op.id("incidents_list")
                    .summary("Quality incidents, newest first, filtered")
            }),
        )
        .api_route(
            "/v1/incidents/{id}",
            get_with(incident_get, |op| {
                op.id("incident_get").summary("An incident with its timeline")
            }),
        )
        .api_route(
            "/v1/incidents/{id}/acknowledge",
            post_with(incident_acknowledge, |op| {
                op.id("incident_acknowledge")
                    .summary("Acknowledge an open or reopened incident (stewards)")
            }),
        )
        .api_route(
            "/v1/incidents/{id}/assign",
            post_with(incident_assign, |op| {
                op.id("incident_assign")
                    .summary("Assign an incident to a steward or owner of its domain (stewards)")
            }),
        )
        .api_route(
            "/v1/incidents/{id}/comment",
            post_with(incident_comment, |op| {
                op.id("incident_comment")
                    .summary("Comment on an incident (stewards and owners)")
            }),
        )
        .api_route(
            "/v1/incidents/{id}/resolve",
            post_with(incident_resolve, |op| {
                op.id("incident_resolve")
                    .summary("Resolve an acknowledged or assigned incident (stewards)")
            }),
        )
        .api_route(
            "/v1/incidents/{id}/reopen",
            post_with(incident_reopen, |op| {
                op.id("incident_reopen")
                    .summary("Reopen a resolved incident, saying why (stewards)")
            }),
        )
}

/// The incident an action left, with `Idempotent-Replayed: true` when the action's
/// `Idempotency-Key` had been carried out before (nothing was done again).
fn acted((incident, replayed): (Incident, bool)) -> (HeaderMap, Json<Incident>) {
    let mut headers = HeaderMap::new();
    if replayed {
        headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    (headers, Json(incident))
}

async fn act(
    state: &AppState,
    caller: &Caller,
    id: &str,
    action: Action,
    key: IdempotencyKey,
) -> Result<(HeaderMap, Json<Incident>), ApiError> {
    incidents::act(state, caller, id_check(id)?, action, key.0.as_deref())
        .await
        .map(acted)
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct IncidentsQuery {
    /// Only incidents of this domain.
    domain: Option<String>,
    /// Only incidents of this product.
    product: Option<String>,
    /// Only incidents in this state.
    state: Option<IncidentState>,
    /// Only incidents assigned to this user.
    assignee: Option<String>,
    /// The `nextCursor` of the previous page.
    cursor: Option<String>,
    /// Incidents per page, 1 to 500 (default 100).
    limit: Option<i64>,
}

async fn incidents_list(
    State(state): State<AppState>,
    caller: Caller,
    Params(query): Params<IncidentsQuery>,
) -> Result<Json<Page<Incident>>, ApiError> {
    reader(&caller)?;
    for text in [&query.domain, &query.product, &query.assignee, &query.cursor]
        .into_iter()
        .flatten()
    {
        id_check(text)?;
    }
    let filter = incidents::Filter {
        domain: query.domain,
        product: query.product,
        state: query.state,
        assignee: query.assignee,
    };
    let limit = limit(query.limit, 100, 500)?;
    Ok(Json(
        incidents::list(&state, &filter, query.cursor.as_deref(), limit).await?,
    ))
}

async fn incident_get(
    State(state): State<AppState>,
    caller: Caller,
    Path(path): Path<IdPath>,
) -> Result<Json<Incident>, ApiError> {
    reader(&caller)?;
    Ok(Json(incidents::get(&state, id_check(&path.id)?).await?))
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct AcknowledgeBody {
    /// What the steward says on acknowledging.
    #[serde(default)]
    comment: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct AssignBody {
    /// A steward or owner of the incident's domain.
    assignee: String,
    #[serde(default)]
    comment: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct CommentBody {
    text: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ResolveBody {
    /// What was found and done.
    comment: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ReopenBody {
    /// Why the incident is not over.
    comment: String,
}

async fn incident_acknowledge(
    State(state): State<AppState>,
    caller: Caller,
    key: IdempotencyKey,
    Path(path): Path<IdPath>,
    OptionalJson(body): OptionalJson<AcknowledgeBody>,
) -> Result<(HeaderMap, Json<Incident>), ApiError> {
    let action = Action::Acknowledge {
        comment: body.comment,
    };
    act(&state, &caller, &path.id, action, key).await
}

async fn incident_assign(
    State(state): State<AppState>,
    caller: Caller,
    key: IdempotencyKey,
    Path(path): Path<IdPath>,
    JsonBody(body): JsonBody<AssignBody>,
) -> Result<(HeaderMap, Json<Incident>), ApiError> {
    id_check(&body.assignee)?;
    let action = Action::Assign {
        assignee: body.assignee,
        comment: body.comment,
    };
    act(&state, &caller, &path.id, action, key).await
}

async fn incident_comment(
    State(state): State<AppState>,
    caller: Caller,
    key: IdempotencyKey,
    Path(path): Path<IdPath>,
    JsonBody(body): JsonBody<CommentBody>,
) -> Result<(HeaderMap, Json<Incident>), ApiError> {
    let action = Action::Comment { text: body.text };
    act(&state, &caller, &path.id, action, key).await
}

async fn incident_resolve(
    State(state): State<AppState>,
    caller: Caller,
    key: IdempotencyKey,
    Path(path): Path<IdPath>,
    JsonBody(body): JsonBody<ResolveBody>,
) -> Result<(HeaderMap, Json<Incident>), ApiError> {
    let action = Action::Resolve {
        comment: body.comment,
    };
    act(&state, &caller, &path.id, action, key).await
}

async fn incident_reopen(
    State(state): State<AppState>,
    caller: Caller,
    key: IdempotencyKey,
    Path(path): Path<IdPath>,
    JsonBody(body): JsonBody<ReopenBody>,
) -> Result<(HeaderMap, Json<Incident>), ApiError> {
    let action = Action::Reopen {
        comment: body.comment,
    };
    act(&state, &caller, &path.id, action, key).await
}
