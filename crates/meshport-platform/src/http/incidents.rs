//! `/v1/incidents`: quality incidents and their actions (acknowledge, assign, comment, resolve).

use aide::axum::ApiRouter;
use aide::axum::routing::{get_with, post_with};
use axum::Json;
use axum::extract::{Path, State};
use meshport_model::platform::Page;
use meshport_model::trust::{Incident, IncidentState};
use schemars::JsonSchema;
use serde::Deserialize;

use super::extract::{IdPath, Params, id_check, limit, reader};
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

async fn incident_acknowledge(
    State(state): State<AppState>,
    caller: Caller,
    Path(path): Path<IdPath>,
    OptionalJson(body): OptionalJson<AcknowledgeBody>,
) -> Result<Json<Incident>, ApiError> {
    let action = Action::Acknowledge {
        comment: body.comment,
    };
    Ok(Json(
        incidents::act(&state, &caller, id_check(&path.id)?, action).await?,
    ))
}

async fn incident_assign(
    State(state): State<AppState>,
    caller: Caller,
    Path(path): Path<IdPath>,
    JsonBody(body): JsonBody<AssignBody>,
) -> Result<Json<Incident>, ApiError> {
    id_check(&body.assignee)?;
    let action = Action::Assign {
        assignee: body.assignee,
        comment: body.comment,
    };
    Ok(Json(
        incidents::act(&state, &caller, id_check(&path.id)?, action).await?,
    ))
}

async fn incident_comment(
    State(state): State<AppState>,
    caller: Caller,
    Path(path): Path<IdPath>,
    JsonBody(body): JsonBody<CommentBody>,
) -> Result<Json<Incident>, ApiError> {
    let action = Action::Comment { text: body.text };
    Ok(Json(
        incidents::act(&state, &caller, id_check(&path.id)?, action).await?,
    ))
}

async fn incident_resolve(
    State(state): State<AppState>,
    caller: Caller,
    Path(path): Path<IdPath>,
    JsonBody(body): JsonBody<ResolveBody>,
) -> Result<Json<Incident>, ApiError> {
    let action = Action::Resolve {
        comment: body.comment,
    };
    Ok(Json(
        incidents::act(&state, &caller, id_check(&path.id)?, action).await?,
    ))
}
