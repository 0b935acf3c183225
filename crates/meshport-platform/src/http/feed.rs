//! `/v1/changes`: the change feed, in commit order.

use aide::axum::ApiRouter;
use aide::axum::routing::get_with;
use axum::Json;
use axum::extract::State;
use meshport_model::platform::ChangePage;
use schemars::JsonSchema;
use serde::Deserialize;

use super::extract::{Params, limit, reader};
use super::problem::ApiError;
use crate::services::auth::Caller;
use crate::services::catalog::{self};
use crate::state::AppState;

pub(super) fn routes() -> ApiRouter<AppState> {
    ApiRouter::new().api_route(
        "/v1/changes",
        get_with(changes, |op| {
            op.id("changes")
                .summary("The change feed: products, contracts and packs, in commit order")
        }),
    )
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ChangesQuery {
    /// The sequence number of the last change read (`next` of the previous page); 0 from the start.
    after: Option<i64>,
    /// Changes per page, 1 to 5000 (default 1000).
    limit: Option<i64>,
}

async fn changes(
    State(state): State<AppState>,
    caller: Caller,
    Params(query): Params<ChangesQuery>,
) -> Result<Json<ChangePage>, ApiError> {
    reader(&caller)?;
    let after = query.after.unwrap_or(0);
    if after < 0 {
        return Err(ApiError::bad_request(
            "invalid-query",
            "`after` is a sequence number, 0 or more",
        ));
    }
    Ok(Json(
        catalog::changes_page(state.store(), after, limit(query.limit, 1000, 5000)?).await?,
    ))
}
