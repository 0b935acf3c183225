//! Errors as RFC 9457 problems, the one conversion at the API's edge.
//!
//! A handler returns [`ApiError`]; its response carries the [`Problem`] in an extension, and the
//! [`finish`] middleware, which knows the request's id and path, writes the body as
//! `application/problem+json`. The middleware also turns every other error response (axum's own
//! 404, 405 or 413) into a problem, so no error leaves the platform in another shape.

use aide::OperationInput;
use aide::generate::GenContext;
use aide::openapi::{MediaType, Operation, Response as ApiResponse, SchemaObject, StatusCode as ApiStatus};
use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use indexmap::IndexMap;
use meshport_model::platform::Problem;
use serde::de::DeserializeOwned;
use tracing::Instrument;

pub use crate::error::{ApiError, json_read};

/// The largest request body the platform reads: larger ones get 413 `payload-too-large`.
pub const BODY_LIMIT: usize = 4 * 1024 * 1024;

/// The problem of a response, carried to [`finish`] in the response's extensions.
#[derive(Debug, Clone)]
struct ProblemBody(Problem);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Some(cause) = &self.cause {
            tracing::error!(%cause, "internal error");
        }
        let mut response = self.status().into_response();
        response.extensions_mut().insert(ProblemBody(*self.problem));
        response
    }
}

/// The request id of a request: the client's `X-Request-Id` when it is a sane token, else a new
/// UUID. Handlers read it from the request's extensions for the audit log.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

const REQUEST_ID: &str = "x-request-id";

/// Middleware: gives every request an id (echoed in `X-Request-Id`) and writes every error
/// response as an RFC 9457 problem carrying that id and the request path.
pub async fn finish(mut request: Request, next: Next) -> Response {
    let id = request
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty()
                && v.len() <= 64
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .map(str::to_owned)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let path = request.uri().path().to_owned();
    request.extensions_mut().insert(RequestId(id.clone()));
    let span = tracing::info_span!("request", request_id = %id, method = %request.method(), path = %path);
    // The span is entered only while the request's future is polled (`instrument`): a guard of
    // `Span::enter` held across the `.await` stayed entered on the worker thread while the request
    // waited, so another task polled there (a job's runner) took it for its own current span, and
    // once the request had ended, cloning that closed span panicked in the subscriber's registry.
    let mut response = next.run(request).instrument(span.clone()).await;
    let status = response.status();
    let problem = response.extensions_mut().remove::<ProblemBody>().map(|p| p.0);
    let is_problem = problem.is_some();
    if is_problem || (status.is_client_error() || status.is_server_error()) && !is_problem_response(&response)
    {
        let mut problem = problem.unwrap_or_else(|| generic(status));
        problem.instance = Some(path);
        problem.request_id = Some(id.clone());
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let (mut parts, _) = response.into_parts();
        parts.headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        parts.headers.remove(header::CONTENT_LENGTH);
        response = Response::from_parts(parts, Body::from(body));
    }
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    tracing::debug!(parent: &span, status = status.as_u16(), "answered");
    response
}

fn is_problem_response(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"))
}

/// The problem of an error response no handler described (axum's own routing and body errors).
fn generic(status: StatusCode) -> Problem {
    let (slug, title, detail) = match status {
        StatusCode::NOT_FOUND => (
            "not-found",
            "Not found",
            "no such path; the API is described at /v1/openapi.json",
        ),
        StatusCode::METHOD_NOT_ALLOWED => (
            "method-not-allowed",
            "Method not allowed",
            "this path does not take that method; see /v1/openapi.json",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (
            "payload-too-large",
            "Request body too large",
            "request bodies are limited to 4 MiB; split the import or the request",
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "unsupported-media-type",
            "Unsupported media type",
            "send the body as application/json",
        ),
        _ if status.is_server_error() => ("internal", "Internal error", "the platform failed to answer"),
        _ => ("bad-request", "Bad request", "the request could not be read"),
    };
    Problem {
        kind: Problem::type_uri(slug),
        title: title.to_owned(),
        status: status.as_u16(),
        detail: detail.to_owned(),
        instance: None,
        request_id: None,
        findings: Vec::new(),
        current_state: None,
    }
}

impl aide::OperationOutput for ApiError {
    type Inner = Problem;

    fn operation_response(ctx: &mut GenContext, _operation: &mut Operation) -> Option<ApiResponse> {
        let json_schema = ctx.schema.subschema_for::<Problem>();
        Some(ApiResponse {
            description: "An RFC 9457 problem; `type` says which, stable for clients to branch on.".into(),
            content: IndexMap::from_iter([(
                "application/problem+json".into(),
                MediaType {
                    schema: Some(SchemaObject {
                        json_schema,
                        example: None,
                        external_docs: None,
                    }),
                    ..Default::default()
                },
            )]),
            ..Default::default()
        })
    }

    fn inferred_responses(
        ctx: &mut GenContext,
        operation: &mut Operation,
    ) -> Vec<(Option<ApiStatus>, ApiResponse)> {
        Self::operation_response(ctx, operation)
            .map(|response| vec![(None, response)])
            .unwrap_or_default()
    }
}

/// A JSON body read with the platform's rules: over [`BODY_LIMIT`] is 413, not JSON is 400, and a
/// body that does not fit `T` (an unknown or missing field, a wrong type) is 422 naming the field.
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = RawBody::from_request(request, state).await?.0;
        json_read(&bytes).map(JsonBody)
    }
}

impl<T: schemars::JsonSchema> OperationInput for JsonBody<T> {
    fn operation_input(ctx: &mut GenContext, operation: &mut Operation) {
        <axum::Json<T> as OperationInput>::operation_input(ctx, operation);
    }
}

/// A JSON body that may be left out: an empty body is `T::default()`, anything else is read as
/// [`JsonBody`] reads it.
#[derive(Debug)]
pub struct OptionalJson<T>(pub T);

impl<S, T> FromRequest<S> for OptionalJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Default,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = RawBody::from_request(request, state).await?.0;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            Ok(OptionalJson(T::default()))
        } else {
            json_read(&bytes).map(OptionalJson)
        }
    }
}

impl<T: schemars::JsonSchema> OperationInput for OptionalJson<T> {
    fn operation_input(ctx: &mut GenContext, operation: &mut Operation) {
        <axum::Json<T> as OperationInput>::operation_input(ctx, operation);
        if let Some(aide::openapi::ReferenceOr::Item(body)) = operation.request_body.as_mut() {
            body.required = false;
        }
    }
}

/// The raw bytes of a body, within [`BODY_LIMIT`].
#[derive(Debug)]
pub struct RawBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        Bytes::from_request(request, state)
            .await
            .map(RawBody)
            .map_err(|rejection| {
                let status = rejection.status();
                if status == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::new(
                        status,
                        "payload-too-large",
                        "Request body too large",
                        format!("request bodies are limited to {} MiB", BODY_LIMIT / (1024 * 1024)),
                    )
                } else {
                    ApiError::bad_request("unreadable-body", rejection.body_text())
                }
            })
    }
}
