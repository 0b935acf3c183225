//! The trust and access half of the API: quality runs and reports, incidents, lineage, access
//! requests and the rows of SQLite ports. Each handler checks who calls, then calls one function of
//! `quality`, `incidents`, `lineage` or `access`.

use std::collections::BTreeMap;

use aide::axum::ApiRouter;
use aide::axum::routing::{get_with, post_with};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use meshport_model::platform::Page;
use meshport_model::trust::{
    AccessRequest, AccessState, Incident, IncidentState, LineageGraph, PortRows, QualityReport, QualityRun,
};
use schemars::JsonSchema;
use serde::Deserialize;

use crate::access::{self, Decision, NewAccessRequest, Verdict};
use crate::api::{IdPath, Params, id_check, limit, reader};
use crate::auth::Caller;
use crate::incidents::{self, Action};
use crate::problem::{ApiError, JsonBody, OptionalJson};
use crate::{AppState, catalog, lineage, quality};

pub(crate) fn routes() -> ApiRouter<AppState> {
    ApiRouter::new()
        .api_route(
            "/v1/products/{id}/quality-runs",
            post_with(quality_run, |op| {
                op.id("quality_run")
                    .summary("Run the product's quality checks on its data now (stewards and owners of its domain)")
                    .description(
                        "Every `library` and `sql` rule of the contracts of the product's provisioned ports runs as SQL \
                         against the port's tables; `text` and `custom` rules are listed as not executable. A rule \
                         whose SQL fails is a result with status `error` and the database's message. Failing checks \
                         open (or attach to, or reopen) their incident.",
                    )
                    .response::<201, Json<QualityRun>>()
            }),
        )
        .api_route(
            "/v1/products/{id}/quality",
            get_with(quality_report, |op| {
                op.id("quality_report")
                    .summary("The latest result per check, each check's history and the SLOs")
                    .description(
                        "`history` holds, for each check, its results in at most `limit` runs (default 500) of the \
                         last `days` days (default 365), oldest first: the newest runs of the window, which is what a \
                         trend of the last N runs asks for (`limit=N`). When the window holds older runs, `nextCursor` \
                         is set: ask again with it as `cursor` and the same `days` for the page of runs before them, \
                         until a page has no `nextCursor`. `latest`, `slos` and `notExecutable` are the same on every \
                         page.",
                    )
            }),
        )
        .api_route(
            "/v1/products/{id}/ports/{port}/rows",
            get_with(port_rows, |op| {
                op.id("port_rows").summary(
                    "Rows of a SQLite port's table, paged; any other query parameter NAME=VALUE keeps the rows whose \
                     column NAME equals VALUE (holders of an active grant and the domain's owners)",
                )
            }),
        )
        .api_route(
            "/v1/incidents",
            get_with(incidents_list, |op| op.id("incidents_list").summary("Quality incidents, newest first, filtered")),
        )
        .api_route(
            "/v1/incidents/{id}",
            get_with(incident_get, |op| op.id("incident_get").summary("An incident with its timeline")),
        )
        .api_route(
            "/v1/incidents/{id}/acknowledge",
            post_with(incident_acknowledge, |op| {
                op.id("incident_acknowledge").summary("Acknowledge an open or reopened incident (stewards)")
            }),
        )
        .api_route(
            "/v1/incidents/{id}/assign",
            post_with(incident_assign, |op| {
                op.id("incident_assign").summary("Assign an incident to a steward or owner of its domain (stewards)")
            }),
        )
        .api_route(
            "/v1/incidents/{id}/comment",
            post_with(incident_comment, |op| {
                op.id("incident_comment").summary("Comment on an incident (stewards and owners)")
            }),
        )
        .api_route(
            "/v1/incidents/{id}/resolve",
            post_with(incident_resolve, |op| {
                op.id("incident_resolve").summary("Resolve an acknowledged or assigned incident (stewards)")
            }),
        )
        .api_route(
            "/v1/lineage",
            get_with(lineage_get, |op| {
                op.id("lineage")
                    .summary("A product's lineage upstream and downstream, with the consumers granted each port")
            }),
        )
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

async fn quality_run(
    State(state): State<AppState>,
    caller: Caller,
    Path(path): Path<IdPath>,
) -> Result<(StatusCode, Json<QualityRun>), ApiError> {
    let id = id_check(&path.id)?;
    let domain = catalog::product_domain(state.store(), id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no product `{id}` in the catalog")))?;
    quality::may_run(&caller, &domain)?;
    let plan = quality::plan(&state, id).await?;
    let run = quality::run(&state, &plan, None, "manual", &caller.user, None).await?;
    Ok((StatusCode::CREATED, Json(run)))
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct QualityQuery {
    /// Days of history, 1 to 3660 (default 365).
    days: Option<i64>,
    /// The `nextCursor` of the previous page: the runs before it.
    cursor: Option<String>,
    /// Runs per page of history, 1 to 2000 (default 500).
    limit: Option<i64>,
}

async fn quality_report(
    State(state): State<AppState>,
    caller: Caller,
    Path(path): Path<IdPath>,
    Params(query): Params<QualityQuery>,
) -> Result<Json<QualityReport>, ApiError> {
    reader(&caller)?;
    let days = limit(query.days, 365, 3660).map_err(|_| {
        ApiError::bad_request("invalid-query", "`days` is the history to return: give 1 to 3660")
    })?;
    if let Some(cursor) = &query.cursor {
        id_check(cursor).map_err(|_| catalog::cursor_invalid())?;
    }
    let ask = quality::HistoryAsk {
        days,
        limit: limit(query.limit, 500, 2000)?,
        cursor: query.cursor.as_deref(),
    };
    Ok(Json(quality::report(&state, id_check(&path.id)?, ask).await?))
}

#[derive(Debug, Deserialize, JsonSchema)]
struct PortPath {
    /// The product's id.
    id: String,
    /// The output port's name.
    port: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
struct RowsQuery {
    /// The table (required when the port has several).
    table: Option<String>,
    /// The `nextCursor` of the previous page.
    cursor: Option<String>,
    /// Rows per page, 1 to 1000 (default 100).
    #[schemars(with = "Option<i64>")]
    limit: Option<String>,
    /// Every other parameter: a column and the value it must equal.
    #[serde(flatten)]
    #[schemars(skip)]
    filters: BTreeMap<String, String>,
}

async fn port_rows(
    State(state): State<AppState>,
    caller: Caller,
    Path(path): Path<PortPath>,
    Params(query): Params<RowsQuery>,
) -> Result<Json<PortRows>, ApiError> {
    reader(&caller)?;
    let asked = match query.limit.as_deref() {
        None => None,
        Some(text) => Some(text.parse::<i64>().map_err(|_| {
            ApiError::bad_request(
                "invalid-query",
                format!("`limit` is `{text}`; give a number from 1 to 1000"),
            )
        })?),
    };
    let limit = limit(asked, 100, 1000)?;
    for text in [&query.table, &query.cursor].into_iter().flatten() {
        id_check(text)?;
    }
    for (column, value) in &query.filters {
        id_check(column)?;
        id_check(value)?;
    }
    Ok(Json(
        access::rows(
            &state,
            &caller,
            id_check(&path.id)?,
            id_check(&path.port)?,
            access::RowsAsk {
                table: query.table.as_deref(),
                filters: query.filters.into_iter().collect(),
                cursor: query.cursor.as_deref(),
                limit,
            },
        )
        .await?,
    ))
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

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct LineageQuery {
    /// The product whose lineage to draw.
    product: String,
    /// Steps upstream and downstream, 1 to 10 (default 3).
    depth: Option<i64>,
}

async fn lineage_get(
    State(state): State<AppState>,
    caller: Caller,
    Params(query): Params<LineageQuery>,
) -> Result<Json<LineageGraph>, ApiError> {
    reader(&caller)?;
    let depth = limit(query.depth, 3, 10)
        .map_err(|_| ApiError::bad_request("invalid-query", "`depth` is the steps each way: give 1 to 10"))?;
    Ok(Json(
        lineage::graph(&state, id_check(&query.product)?, depth as u32).await?,
    ))
}

async fn access_create(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<NewAccessRequest>,
) -> Result<(StatusCode, HeaderMap, Json<AccessRequest>), ApiError> {
    for text in [&body.product_id, &body.output_port]
        .into_iter()
        .chain(body.until.as_ref())
    {
        id_check(text)?;
    }
    let request = access::create(&state, &caller, body).await?;
    let mut headers = HeaderMap::new();
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
