//! `/v1/products` and `/v1/contracts`: the published catalog, its products' versions.

use aide::axum::ApiRouter;
use aide::axum::routing::get_with;
use axum::Json;
use axum::extract::{Path, State};
use meshport_model::platform::{Page, ProductEntry, ProductVersion};
use meshport_model::{DataContract, DataProduct};
use schemars::JsonSchema;
use serde::Deserialize;

use super::extract::{Doc, IdPath, PageQuery, Params, id_check, limit, reader};
use super::problem::ApiError;
use crate::services::auth::Caller;
use crate::services::catalog::{self, ProductFilter};
use crate::state::AppState;

pub(super) fn routes() -> ApiRouter<AppState> {
    ApiRouter::new()
        .api_route(
            "/v1/products",
            get_with(products_list, |op| {
                op.id("products_list")
                    .summary("Published products, filtered, in pages")
            }),
        )
        .api_route(
            "/v1/products/{id}",
            get_with(product_get, |op| {
                op.id("product_get")
                    .summary("A product's published ODPS document")
            }),
        )
        .api_route(
            "/v1/products/{id}/versions",
            get_with(product_versions, |op| {
                op.id("product_versions")
                    .summary("The versions of a product the platform registered, oldest first, in pages")
            }),
        )
        .api_route(
            "/v1/contracts/{id}",
            get_with(contract_get, |op| {
                op.id("contract_get")
                    .summary("A contract's published ODCS document")
            }),
        )
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ProductsQuery {
    /// Only products of this domain.
    domain: Option<String>,
    /// Only products in this status (`proposed`, `draft`, `active`, `deprecated`, `retired`).
    status: Option<String>,
    /// Text found in the name, purpose or tags (case-insensitive).
    q: Option<String>,
    /// The `nextCursor` of the previous page.
    cursor: Option<String>,
    /// Products per page, 1 to 1000 (default 100).
    limit: Option<i64>,
}

async fn products_list(
    State(state): State<AppState>,
    caller: Caller,
    Params(query): Params<ProductsQuery>,
) -> Result<Json<Page<ProductEntry>>, ApiError> {
    reader(&caller)?;
    for text in [&query.domain, &query.status, &query.q, &query.cursor]
        .into_iter()
        .flatten()
    {
        id_check(text)?;
    }
    let filter = ProductFilter {
        domain: query.domain,
        status: query.status,
        q: query.q,
    };
    let limit = limit(query.limit, 100, 1000)?;
    Ok(Json(
        catalog::products_list(state.store(), &filter, query.cursor.as_deref(), limit).await?,
    ))
}

async fn product_get(
    State(state): State<AppState>,
    caller: Caller,
    Path(path): Path<IdPath>,
) -> Result<Doc<DataProduct>, ApiError> {
    reader(&caller)?;
    catalog::product_get(state.store(), id_check(&path.id)?)
        .await?
        .map(Doc::new)
        .ok_or_else(|| ApiError::not_found(format!("no product `{}` in the catalog", path.id)))
}

async fn product_versions(
    State(state): State<AppState>,
    caller: Caller,
    Path(path): Path<IdPath>,
    Params(query): Params<PageQuery>,
) -> Result<Json<Page<ProductVersion>>, ApiError> {
    reader(&caller)?;
    let (cursor, limit) = query.read()?;
    let page = catalog::product_versions(state.store(), id_check(&path.id)?, cursor, limit).await?;
    // Past the first page an empty one is the end of the list, not a missing product.
    if page.items.is_empty() && cursor.is_none() {
        return Err(ApiError::not_found(format!(
            "the platform never registered a product `{}`",
            path.id
        )));
    }
    Ok(Json(page))
}

async fn contract_get(
    State(state): State<AppState>,
    caller: Caller,
    Path(path): Path<IdPath>,
) -> Result<Doc<DataContract>, ApiError> {
    reader(&caller)?;
    catalog::contract_get(state.store(), id_check(&path.id)?)
        .await?
        .map(Doc::new)
        .ok_or_else(|| ApiError::not_found(format!("no contract `{}` in the catalog", path.id)))
}
