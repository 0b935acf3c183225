//! What handlers read from a request beyond its body: the caller (from its bearer token), query
//! parameters and path ids read with the platform's rules, the `Idempotency-Key`, the raw body of a
//! provisioning request, and the checks every handler shares (`reader`, `limit`, `id_check`).

use aide::OperationInput;
use axum::Json;
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use meshport_model::ProvisioningRequest;
use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::problem::{ApiError, RawBody, RequestId};
use crate::services::auth::{Caller, token_verify};
use crate::services::catalog::{self};
use crate::state::AppState;

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
pub struct Doc<T>(pub(crate) Value, std::marker::PhantomData<T>);

impl<T> Doc<T> {
    pub(crate) fn new(value: Value) -> Doc<T> {
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
pub(crate) struct NamePath {
    /// The pack's name.
    pub(crate) name: String,
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

/// `?cursor=&limit=` of a list with no filters.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PageQuery {
    /// The `nextCursor` of the previous page.
    cursor: Option<String>,
    /// Items per page, 1 to 1000 (default 100).
    limit: Option<i64>,
}

impl PageQuery {
    pub(crate) fn read(&self) -> Result<(Option<&str>, i64), ApiError> {
        if let Some(cursor) = &self.cursor {
            id_check(cursor).map_err(|_| catalog::cursor_invalid())?;
        }
        Ok((self.cursor.as_deref(), limit(self.limit, 100, 1000)?))
    }
}

/// The `Idempotency-Key` header, documented.
#[derive(Debug)]
pub(crate) struct IdempotencyKey(pub(crate) Option<String>);

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
pub(crate) struct RequestBody(pub(crate) axum::body::Bytes);

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

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let request_id = parts
            .extensions
            .get::<RequestId>()
            .map(|r| r.0.clone())
            .unwrap_or_default();
        let header = parts
            .headers
            .get(header::AUTHORIZATION)
            .ok_or_else(|| ApiError::unauthorized("send `Authorization: Bearer <token>`; `meshport-platform token create --user NAME` makes one"))?;
        let token = header
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
            .map(str::trim)
            .ok_or_else(|| ApiError::unauthorized("the Authorization header is not `Bearer <token>`"))?;
        let (user, grants) = token_verify(state.store(), token).await?.ok_or_else(|| {
            ApiError::unauthorized("the token is not valid (unknown, malformed or revoked)")
        })?;
        Ok(Caller {
            user,
            grants,
            request_id,
        })
    }
}

impl OperationInput for Caller {}
