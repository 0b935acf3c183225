//! `/v1/lineage`: the upstream and downstream graph of a product.

use aide::axum::ApiRouter;
use aide::axum::routing::get_with;
use axum::Json;
use axum::extract::State;
use meshport_model::trust::LineageGraph;
use schemars::JsonSchema;
use serde::Deserialize;

use super::extract::{Params, id_check, limit, reader};
use super::problem::ApiError;
use crate::services::auth::Caller;
use crate::services::lineage;
use crate::state::AppState;

pub(super) fn routes() -> ApiRouter<AppState> {
    ApiRouter::new().api_route(
        "/v1/lineage",
        get_with(lineage_get, |op| {
            op.id("lineage")
                .summary("A product's lineage upstream and downstream, with the consumers granted each port")
        }),
    )
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
