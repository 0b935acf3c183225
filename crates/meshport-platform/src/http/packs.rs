//! `/v1/policy-packs`: the published policy packs, and their publication.

use aide::axum::ApiRouter;
use aide::axum::routing::get_with;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use meshport_model::platform::{Page, PolicyPack};

use super::extract::{NamePath, PageQuery, Params, id_check, reader};
use super::problem::{ApiError, JsonBody};
use crate::services::auth::Caller;
use crate::services::catalog::{self, Audit};
use crate::services::packs;
use crate::state::AppState;

pub(super) fn routes() -> ApiRouter<AppState> {
    ApiRouter::new()
        .api_route(
            "/v1/policy-packs",
            get_with(packs_list, |op| {
                op.id("packs_list")
                    .summary("The published policy packs (without files), by name, in pages")
            }),
        )
        .api_route(
            "/v1/policy-packs/{name}",
            get_with(pack_get, |op| {
                op.id("pack_get")
                    .summary("A published policy pack with its Rego files")
            })
            .put_with(pack_put, |op| {
                op.id("pack_put")
                    .summary("Publish a new version of a policy pack")
            }),
        )
}

async fn packs_list(
    State(state): State<AppState>,
    caller: Caller,
    Params(query): Params<PageQuery>,
) -> Result<Json<Page<PolicyPack>>, ApiError> {
    reader(&caller)?;
    let (cursor, limit) = query.read()?;
    Ok(Json(catalog::packs_page(state.store(), cursor, limit).await?))
}

async fn pack_get(
    State(state): State<AppState>,
    caller: Caller,
    Path(path): Path<NamePath>,
) -> Result<Json<PolicyPack>, ApiError> {
    reader(&caller)?;
    catalog::pack_get(state.store(), id_check(&path.name)?)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("no policy pack `{}`", path.name)))
}

async fn pack_put(
    State(state): State<AppState>,
    caller: Caller,
    Path(path): Path<NamePath>,
    JsonBody(mut pack): JsonBody<PolicyPack>,
) -> Result<Json<PolicyPack>, ApiError> {
    let result = match id_check(&path.name) {
        Ok(name) => pack_publish(&state, &caller, name, &mut pack).await,
        Err(error) => Err(error),
    };
    let outcome = match &result {
        Ok(()) => "succeeded",
        Err(e) if e.status() == StatusCode::FORBIDDEN => "forbidden",
        Err(_) => "refused",
    };
    if result.is_err() {
        catalog::audit(
            state.store(),
            Audit {
                actor: &caller.user,
                action: "policy-pack.publish",
                target: &path.name,
                request_id: &caller.request_id,
                outcome,
                detail: result.as_ref().err().map(|e| e.problem().detail.clone()),
            },
        )
        .await;
    }
    result?;
    catalog::pack_get(state.store(), &path.name)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::internal("published pack vanished"))
}

async fn pack_publish(
    state: &AppState,
    caller: &Caller,
    name: &str,
    pack: &mut PolicyPack,
) -> Result<(), ApiError> {
    if pack.name != name {
        return Err(ApiError::unprocessable(
            "invalid-policy-pack",
            "The policy pack cannot be published",
            format!(
                "the body's `name` is `{}` but the path names `{name}`; make them the same",
                pack.name
            ),
        ));
    }
    match pack.scope.split_once(':') {
        None if pack.scope == "global" => caller.require_admin("publish the global policy pack")?,
        Some(("domain", domain)) if !domain.trim().is_empty() => {
            caller.require_owner(domain.trim(), "publish its policy pack")?
        }
        _ => {
            return Err(ApiError::unprocessable(
                "invalid-policy-pack",
                "The policy pack cannot be published",
                format!("`scope` is `{}`; use `global` or `domain:<name>`", pack.scope),
            ));
        }
    }
    if let Some(file) = pack
        .files
        .keys()
        .find(|f| !f.ends_with(".rego") || f.contains('/') || f.contains(".."))
    {
        return Err(ApiError::unprocessable(
            "invalid-policy-pack",
            "The policy pack cannot be published",
            format!("file `{file}` is not a plain `.rego` file name; a pack holds `name.rego` files only"),
        ));
    }
    if let Some(current) = catalog::pack_get(state.store(), name).await? {
        if current.scope != pack.scope {
            return Err(ApiError::conflict(
                "scope-changed",
                "A pack keeps its scope",
                format!(
                    "pack `{name}` is `{}`; publish a pack of another name for another scope",
                    current.scope
                ),
            ));
        }
        match packs::version_cmp(&pack.version, &current.version) {
            Some(std::cmp::Ordering::Greater) => {}
            Some(_) => {
                return Err(ApiError::conflict(
                    "version-not-raised",
                    "Every publication raises the version",
                    format!(
                        "pack `{name}` is at {}; publish {} or higher",
                        current.version,
                        bump(&current.version)
                    ),
                ));
            }
            None => {}
        }
    }
    if packs::version_cmp(&pack.version, &pack.version).is_none() {
        return Err(ApiError::unprocessable(
            "invalid-policy-pack",
            "The policy pack cannot be published",
            format!(
                "`version` is `{}`; use a semantic version such as 1.0.0",
                pack.version
            ),
        ));
    }
    let compiled = packs::pack_to_governance(pack)
        .and_then(|p| meshport_governance::PolicySet::new(vec![p]).map_err(|e| e.to_string()))
        .and_then(|set| set.compile_all().map_err(|e| e.to_string()));
    if let Err(message) = compiled {
        return Err(ApiError::unprocessable(
            "invalid-policy-pack",
            "The policy pack cannot be published",
            message,
        ));
    }
    pack.published_by = Some(caller.user.clone());
    pack.published_at = Some(crate::store::rfc3339(crate::store::now_ms()));
    let mut tx = state.store().write().await?;
    catalog::pack_publish(&mut tx, pack).await?;
    catalog::audit_append(
        &mut *tx,
        Audit {
            actor: &caller.user,
            action: "policy-pack.publish",
            target: name,
            request_id: &caller.request_id,
            outcome: "succeeded",
            detail: Some(format!("version {}", pack.version)),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn bump(version: &str) -> String {
    let mut parts: Vec<u64> = version.split('.').filter_map(|p| p.parse().ok()).collect();
    if parts.len() == 3 {
        parts[2] += 1;
        format!("{}.{}.{}", parts[0], parts[1], parts[2])
    } else {
        "a higher version".into()
    }
}
