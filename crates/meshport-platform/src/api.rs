//! The HTTP API: routes, their handlers (each checks who calls, then calls one function of the
//! crate) and the OpenAPI 3.1 description generated from the same types, served at
//! `/v1/openapi.json` and committed as `schemas/platform.openapi.json`.

use std::sync::OnceLock;

use aide::OperationInput;
use aide::axum::routing::{get_with, post_with};
use aide::axum::{ApiRouter, IntoApiResponse};
use aide::openapi::{Info, OpenApi, SecurityScheme};
use aide::transform::{TransformOpenApi, TransformOperation};
use axum::extract::{DefaultBodyLimit, FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use meshport_model::platform::{
    AuditEntry, ChangePage, Health, Page, PolicyPack, ProductEntry, ProductVersion, ProvisioningJob,
};
use meshport_model::{DataContract, DataProduct, ProvisioningRequest};
use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::auth::Caller;
use crate::catalog::{self, Audit, ProductFilter};
use crate::jobs::{self, Answer};
use crate::problem::{self, ApiError, BODY_LIMIT, JsonBody, RawBody};
use crate::{AppState, packs};

/// The platform's router, with its state.
pub fn app(state: AppState) -> Router {
    let mut api = base();
    routes()
        .finish_api_with(&mut api, describe)
        .fallback(fallback)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn(problem::finish))
        .with_state(state)
}

/// The OpenAPI description of [`app`].
pub fn openapi() -> OpenApi {
    let mut api = base();
    let _ = routes().finish_api_with(&mut api, describe);
    api
}

/// The description as `GET /v1/openapi.json` serves it and `schemas/platform.openapi.json` holds it.
pub fn openapi_json() -> &'static Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(|| serde_json::to_value(openapi()).unwrap_or(Value::Null))
}

fn base() -> OpenApi {
    OpenApi {
        info: Info {
            title: "Meshport reference platform".into(),
            version: "1.0.0".into(),
            description: Some(
                "The self-serve data mesh platform Meshport talks to: a catalog of ODPS v1.0 data products \
                 and ODCS v3.1 contracts, provisioning requests run as durable jobs, a change feed, published \
                 policy packs and an audit log. Every error is an RFC 9457 problem \
                 (`application/problem+json`) whose `type` (`urn:meshport:problem:<slug>`) is stable. \
                 Request bodies are limited to 4 MiB (413 beyond). Every endpoint but health and this \
                 description takes `Authorization: Bearer <token>`."
                    .into(),
            ),
            ..Info::default()
        },
        ..OpenApi::default()
    }
}

fn describe(api: TransformOpenApi<'_>) -> TransformOpenApi<'_> {
    api.security_scheme(
        "bearer",
        SecurityScheme::Http {
            scheme: "bearer".into(),
            bearer_format: Some("mpt_<id>_<secret>".into()),
            description: Some("A token from `meshport-platform token create --user NAME`.".into()),
            extensions: Default::default(),
        },
    )
    .security_requirement("bearer")
    .default_response::<ApiError>()
}

fn public(op: TransformOperation<'_>) -> TransformOperation<'_> {
    // An empty requirement: no authentication.
    op.with(|mut op| {
        op.inner_mut().security = vec![Default::default()];
        op
    })
}

fn routes() -> ApiRouter<AppState> {
    ApiRouter::new()
        .api_route("/v1/health", get_with(health, |op| public(op.id("health").summary("Whether the platform and its database answer"))))
        .api_route(
            "/v1/openapi.json",
            get_with(spec, |op| public(op.id("openapi").summary("This API's OpenAPI 3.1 description"))),
        )
        .api_route(
            "/v1/products",
            get_with(products_list, |op| op.id("products_list").summary("Published products, filtered, in pages")),
        )
        .api_route(
            "/v1/products/{id}",
            get_with(product_get, |op| op.id("product_get").summary("A product's published ODPS document")),
        )
        .api_route(
            "/v1/products/{id}/versions",
            get_with(product_versions, |op| {
                op.id("product_versions")
                    .summary("The versions of a product the platform registered, oldest first, in pages")
            }),
        )
        .api_route(
            "/v1/products/{id}/unprovision",
            post_with(product_unprovision, |op| {
                op.id("product_unprovision")
                    .summary("Destroy what provisioning built and remove the product (a job)")
                    .response::<202, Json<ProvisioningJob>>()
            }),
        )
        .api_route(
            "/v1/contracts/{id}",
            get_with(contract_get, |op| op.id("contract_get").summary("A contract's published ODCS document")),
        )
        .api_route(
            "/v1/provisioning-requests",
            post_with(request_submit, |op| {
                op.id("request_submit")
                    .summary("Submit a provisioning request; it runs as a job")
                    .description(
                        "Validated with the standard's checks and the platform's published packs; errors refuse it \
                         (422 `validation-failed` with the findings). `Idempotency-Key` is required: a replay with the \
                         same key and body answers the first response (header `Idempotent-Replayed: true`), the same key \
                         with another body is 422, and a replay while the first is in flight is 409. Keys are kept 48 hours.",
                    )
                    .response::<202, Json<ProvisioningJob>>()
            }),
        )
        .api_route(
            "/v1/provisioning-requests/{id}",
            get_with(request_get, |op| op.id("request_get").summary("A provisioning request's state and step log")),
        )
        .api_route(
            "/v1/provisioning-requests/{id}/cancel",
            post_with(request_cancel, |op| {
                op.id("request_cancel").summary("Cancel a queued request, or stop a running one at its next step")
            }),
        )
        .api_route(
            "/v1/provisioning-requests/{id}/retry",
            post_with(request_retry, |op| {
                op.id("request_retry")
                    .summary("Run a failed request again from its failed step")
                    .response::<202, Json<ProvisioningJob>>()
            }),
        )
        .api_route(
            "/v1/changes",
            get_with(changes, |op| {
                op.id("changes").summary("The change feed: products, contracts and packs, in commit order")
            }),
        )
        .api_route(
            "/v1/policy-packs",
            get_with(packs_list, |op| {
                op.id("packs_list")
                    .summary("The published policy packs (without files), by name, in pages")
            }),
        )
        .api_route(
            "/v1/policy-packs/{name}",
            get_with(pack_get, |op| op.id("pack_get").summary("A published policy pack with its Rego files")).put_with(pack_put, |op| {
                op.id("pack_put").summary("Publish a new version of a policy pack")
            }),
        )
        .api_route("/v1/audit", get_with(audit, |op| op.id("audit").summary("The audit log, newest first (admins)")))
        .merge(crate::trust_api::routes())
}

async fn fallback() -> ApiError {
    ApiError::not_found("no such path; the API is described at /v1/openapi.json")
}

/// Query parameters read with the platform's rules: a parameter that does not fit is 400 naming it.
#[derive(Debug)]
pub struct Params<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Params<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| Params(q.0))
            .map_err(|e| ApiError::bad_request("invalid-query", e.body_text()))
    }
}

impl<T: JsonSchema> OperationInput for Params<T> {
    fn operation_input(ctx: &mut aide::generate::GenContext, operation: &mut aide::openapi::Operation) {
        <axum::extract::Query<T> as OperationInput>::operation_input(ctx, operation);
    }
}

/// A JSON document answered as it is, described in the API as a `T`.
#[derive(Debug)]
pub struct Doc<T>(Value, std::marker::PhantomData<T>);

impl<T> Doc<T> {
    fn new(value: Value) -> Doc<T> {
        Doc(value, std::marker::PhantomData)
    }
}

impl<T> IntoResponse for Doc<T> {
    fn into_response(self) -> Response {
        Json(self.0).into_response()
    }
}

impl<T: JsonSchema> aide::OperationOutput for Doc<T> {
    type Inner = T;

    fn operation_response(
        ctx: &mut aide::generate::GenContext,
        operation: &mut aide::openapi::Operation,
    ) -> Option<aide::openapi::Response> {
        <Json<T> as aide::OperationOutput>::operation_response(ctx, operation)
    }

    fn inferred_responses(
        ctx: &mut aide::generate::GenContext,
        operation: &mut aide::openapi::Operation,
    ) -> Vec<(Option<aide::openapi::StatusCode>, aide::openapi::Response)> {
        <Json<T> as aide::OperationOutput>::inferred_responses(ctx, operation)
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
pub(crate) struct IdPath {
    /// The resource's id.
    pub(crate) id: String,
}

/// Refuses an id no resource can have (control characters, which PostgreSQL text cannot hold).
pub(crate) fn id_check(id: &str) -> Result<&str, ApiError> {
    if id.chars().any(char::is_control) {
        Err(ApiError::bad_request(
            "invalid-id",
            "the id in the path holds control characters; no resource has such an id",
        ))
    } else {
        Ok(id)
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
struct NamePath {
    /// The pack's name.
    name: String,
}

/// Refuses a caller with no role at all: reading the catalog takes at least one.
pub(crate) fn reader(caller: &Caller) -> Result<(), ApiError> {
    if caller.grants.is_empty() {
        Err(ApiError::forbidden(format!(
            "`{}` holds no role on this platform, so may read nothing",
            caller.user
        )))
    } else {
        Ok(())
    }
}

pub(crate) fn limit(asked: Option<i64>, default: i64, max: i64) -> Result<i64, ApiError> {
    match asked {
        None => Ok(default),
        Some(n) if (1..=max).contains(&n) => Ok(n),
        Some(n) => Err(ApiError::bad_request(
            "invalid-query",
            format!("`limit` is {n}; give 1 to {max}"),
        )),
    }
}

async fn health(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    sqlx::query("SELECT 1")
        .execute(state.store().pool())
        .await
        .map_err(|e| {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "The database does not answer",
                e.to_string(),
            )
        })?;
    Ok(Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        database: state.store().backend().as_str().into(),
    }))
}

async fn spec() -> impl IntoApiResponse {
    Json(openapi_json().clone())
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

/// `?cursor=&limit=` of a list with no filters.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct PageQuery {
    /// The `nextCursor` of the previous page.
    cursor: Option<String>,
    /// Items per page, 1 to 1000 (default 100).
    limit: Option<i64>,
}

impl PageQuery {
    fn read(&self) -> Result<(Option<&str>, i64), ApiError> {
        if let Some(cursor) = &self.cursor {
            id_check(cursor).map_err(|_| catalog::cursor_invalid())?;
        }
        Ok((self.cursor.as_deref(), limit(self.limit, 100, 1000)?))
    }
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

/// The `Idempotency-Key` header, documented.
#[derive(Debug)]
struct IdempotencyKey(Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        match parts.headers.get("idempotency-key") {
            None => Ok(IdempotencyKey(None)),
            Some(value) => value
                .to_str()
                .map(|v| IdempotencyKey(Some(v.to_owned())))
                .map_err(|_| {
                    ApiError::bad_request(
                        "idempotency-key-invalid",
                        "`Idempotency-Key` must be visible ASCII",
                    )
                }),
        }
    }
}

impl OperationInput for IdempotencyKey {
    fn operation_input(ctx: &mut aide::generate::GenContext, operation: &mut aide::openapi::Operation) {
        use aide::openapi::{HeaderStyle, Parameter, ParameterData, ParameterSchemaOrContent, SchemaObject};
        let schema = ctx.schema.subschema_for::<String>();
        aide::operation::add_parameters(
            ctx,
            operation,
            [Parameter::Header {
                parameter_data: ParameterData {
                    name: "Idempotency-Key".into(),
                    description: Some(
                        "A unique key per logical request (a UUID); required on submit.".into(),
                    ),
                    required: false,
                    format: ParameterSchemaOrContent::Schema(SchemaObject {
                        json_schema: schema,
                        example: None,
                        external_docs: None,
                    }),
                    extensions: Default::default(),
                    deprecated: None,
                    example: None,
                    examples: Default::default(),
                    explode: None,
                },
                style: HeaderStyle::Simple,
            }],
        );
    }
}

/// A provisioning request body: read raw (its fingerprint is of the bytes sent), described as a
/// `ProvisioningRequest`.
#[derive(Debug)]
struct RequestBody(axum::body::Bytes);

impl<S: Send + Sync> axum::extract::FromRequest<S> for RequestBody {
    type Rejection = ApiError;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        Ok(RequestBody(RawBody::from_request(request, state).await?.0))
    }
}

impl OperationInput for RequestBody {
    fn operation_input(ctx: &mut aide::generate::GenContext, operation: &mut aide::openapi::Operation) {
        <Json<ProvisioningRequest> as OperationInput>::operation_input(ctx, operation);
    }
}

fn answer(answer: Answer) -> Response {
    let mut headers = HeaderMap::new();
    if let Ok(location) = HeaderValue::from_str(&answer.location) {
        headers.insert(header::LOCATION, location);
    }
    if answer.replayed {
        headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    (answer.status, headers, Json(answer.job)).into_response()
}

async fn request_submit(
    State(state): State<AppState>,
    caller: Caller,
    key: IdempotencyKey,
    body: RequestBody,
) -> Result<Response, ApiError> {
    jobs::submit(&state, &caller, key.0.as_deref(), &body.0)
        .await
        .map(answer)
}

async fn request_get(
    State(state): State<AppState>,
    caller: Caller,
    Path(path): Path<IdPath>,
) -> Result<Json<ProvisioningJob>, ApiError> {
    reader(&caller)?;
    Ok(Json(jobs::job_get(&state, id_check(&path.id)?).await?))
}

async fn request_cancel(
    State(state): State<AppState>,
    caller: Caller,
    Path(path): Path<IdPath>,
) -> Result<Json<ProvisioningJob>, ApiError> {
    Ok(Json(
        jobs::job_cancel(&state, &caller, id_check(&path.id)?).await?,
    ))
}

async fn request_retry(
    State(state): State<AppState>,
    caller: Caller,
    Path(path): Path<IdPath>,
) -> Result<(StatusCode, Json<ProvisioningJob>), ApiError> {
    Ok((
        StatusCode::ACCEPTED,
        Json(jobs::job_retry(&state, &caller, id_check(&path.id)?).await?),
    ))
}

async fn product_unprovision(
    State(state): State<AppState>,
    caller: Caller,
    key: IdempotencyKey,
    Path(path): Path<IdPath>,
) -> Result<Response, ApiError> {
    jobs::unprovision(&state, &caller, id_check(&path.id)?, key.0.as_deref())
        .await
        .map(answer)
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
