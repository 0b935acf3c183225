//! `/v1/audit`: the audit log, for admins.

use aide::axum::ApiRouter;
use aide::axum::routing::get_with;
use axum::Json;
use axum::extract::State;
use meshport_model::platform::{AuditEntry, Page};
use schemars::JsonSchema;
use serde::Deserialize;

use super::extract::{Params, limit};
use super::problem::ApiError;
use crate::services::auth::Caller;
use crate::services::catalog::{self};
use crate::state::AppState;

pub(super) fn routes() -> ApiRouter<AppState> {
    ApiRouter::new().api_route(
        "/v1/audit",
        get_with(audit, |op| {
            op.id("audit").summary("The audit log, newest first (admins)")
        }),
    )
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct AuditQuery {
    /// The `nextCursor` of the previous page.
    cursor: Option<String>,
    /// Entries per page, 1 to 1000 (default 100).
    limit: Option<i64>,
}

async fn audit(
    State(state): State<AppState>,
    caller: Caller,
    Params(query): Params<AuditQuery>,
) -> Result<Json<Page<AuditEntry>>, ApiError> {
    caller.require_admin("read the audit log")?;
    let limit = limit(query.limit, 100, 1000)?;
    Ok(Json(
        catalog::audit_page(state.store(), query.cursor.as_deref(), limit).await?,
    ))
}
