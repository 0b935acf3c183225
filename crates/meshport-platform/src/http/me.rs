//! `/v1/me`: who the caller is and the roles they hold, so a client can offer only what they may do
//! (the domains a user may submit products in, say).

use aide::axum::ApiRouter;
use aide::axum::routing::get_with;
use axum::Json;
use meshport_model::platform::{DomainRole, UserRoles};

use super::problem::ApiError;
use crate::services::auth::Caller;
use crate::state::AppState;

pub(super) fn routes() -> ApiRouter<AppState> {
    ApiRouter::new().api_route(
        "/v1/me",
        get_with(me_get, |op| {
            op.id("me")
                .summary("The caller's user name and roles, each in a domain (`*`: every domain)")
        }),
    )
}

/// Any authenticated caller may read their own roles, even with none.
async fn me_get(caller: Caller) -> Result<Json<UserRoles>, ApiError> {
    Ok(Json(UserRoles {
        user: caller.user,
        roles: caller
            .grants
            .iter()
            .map(|grant| DomainRole {
                role: grant.role.as_str().to_owned(),
                domain: grant.domain.clone(),
            })
            .collect(),
    }))
}
