//! `/v1/products/{id}/quality-runs`, `/quality` and `/ports/{port}/rows`: quality runs on the data,
//! the quality report, and the rows of a port for its owners.

use std::collections::BTreeMap;

use aide::axum::ApiRouter;
use aide::axum::routing::{get_with, post_with};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use meshport_model::trust::{PortRows, QualityReport, QualityRun};
use schemars::JsonSchema;
use serde::Deserialize;

use super::extract::{IdPath, Params, id_check, limit, reader};
use super::problem::ApiError;
use crate::services::access::{self};
use crate::services::auth::Caller;
use crate::services::catalog::{self};
use crate::services::quality;
use crate::state::AppState;

pub(super) fn routes() -> ApiRouter<AppState> {
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
