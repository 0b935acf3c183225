//! The error every service and handler answers with: an RFC 9457 problem (status, type, title,
//! detail, findings) and, for internal failures, a cause that is logged and never sent. The HTTP
//! edge (`http::problem`) writes it as a response; nothing here knows HTTP beyond status codes.
//!
//! Layer: the lowest, beside `store`; imports nothing of the crate.

use axum::http::StatusCode;
use meshport_model::Finding;
use meshport_model::platform::Problem;
use serde::de::DeserializeOwned;

/// An error a handler answers with.
#[derive(Debug)]
pub struct ApiError {
    /// Boxed: an error travels through many `Result`s, which stay small.
    pub(crate) problem: Box<Problem>,
    /// An internal cause, logged (never sent) for 5xx errors.
    pub(crate) cause: Option<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, slug: &str, title: &str, detail: impl Into<String>) -> ApiError {
        ApiError {
            problem: Box::new(Problem {
                kind: Problem::type_uri(slug),
                title: title.to_owned(),
                status: status.as_u16(),
                detail: detail.into(),
                instance: None,
                request_id: None,
                findings: Vec::new(),
                current_state: None,
            }),
            cause: None,
        }
    }

    pub fn unauthorized(detail: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Not authenticated",
            detail,
        )
    }

    pub fn forbidden(detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", "Not allowed", detail)
    }

    pub fn not_found(detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not-found", "Not found", detail)
    }

    pub fn bad_request(slug: &str, detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, slug, "Bad request", detail)
    }

    pub fn unprocessable(slug: &str, title: &str, detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, slug, title, detail)
    }

    pub fn conflict(slug: &str, title: &str, detail: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::CONFLICT, slug, title, detail)
    }

    /// A transition the state machine does not allow from `current`.
    pub fn invalid_state(current: &str, detail: impl Into<String>) -> ApiError {
        let mut error = ApiError::conflict("invalid-state", "Not allowed in the current state", detail);
        error.problem.current_state = Some(current.to_owned());
        error
    }

    /// A document refused by its checks, with the findings that refused it.
    pub fn validation(findings: Vec<Finding>) -> ApiError {
        let errors = findings.iter().filter(|f| f.is_error()).count();
        let mut error = ApiError::unprocessable(
            "validation-failed",
            "The document does not pass its checks",
            format!("{errors} finding(s) are errors; each names the field (a JSON pointer) and the fix"),
        );
        error.problem.findings = findings;
        error
    }

    /// An unexpected failure: the client sees a generic problem, the log the cause.
    pub fn internal(cause: impl std::fmt::Display) -> ApiError {
        let mut error = ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Internal error",
            "the platform failed to answer; the request id finds it in the platform's log",
        );
        error.cause = Some(cause.to_string());
        error
    }

    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    pub fn problem(&self) -> &Problem {
        &self.problem
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> ApiError {
        ApiError::internal(format!("database: {error}"))
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.problem.title, self.problem.detail)
    }
}

/// Reads JSON into `T`, naming the field that does not fit.
pub fn json_read<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let value = json_value(bytes)?;
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let at = if path == "." {
            String::new()
        } else {
            format!(" at `{path}`")
        };
        ApiError::unprocessable(
            "invalid-body",
            "The body does not fit the operation's schema",
            format!("{}{at}; the schema is in /v1/openapi.json", e.inner()),
        )
    })
}

/// Reads JSON text as a JSON tree, as [`json_read`] does before it reads a `T` out of it (which for
/// a tree would be a copy of it).
pub fn json_value(bytes: &[u8]) -> Result<serde_json::Value, ApiError> {
    if holds_nul_escape(bytes) {
        // PostgreSQL text cannot hold NUL: refuse it here, the same on every store.
        return Err(ApiError::unprocessable(
            "invalid-body",
            "The body does not fit the operation's schema",
            "a string holds the NUL character (\\u0000), which the platform does not store; remove it",
        ));
    }
    serde_json::from_slice(bytes).map_err(|e| {
        ApiError::bad_request(
            "malformed-json",
            format!(
                "the body is not JSON: {e} (line {}, column {})",
                e.line(),
                e.column()
            ),
        )
    })
}

/// Whether JSON text holds the escape `\u0000` (an odd run of backslashes before `u0000`; an even run is
/// an escaped backslash followed by the text `u0000`).
fn holds_nul_escape(bytes: &[u8]) -> bool {
    let mut backslashes = 0;
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'\\' {
            backslashes += 1;
            continue;
        }
        if backslashes % 2 == 1 && bytes[i..].starts_with(b"u0000") {
            return true;
        }
        backslashes = 0;
    }
    false
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_a_real_nul_escape_is_found() {
        assert!(super::holds_nul_escape(br#"{"a": "x\u0000"}"#));
        assert!(
            !super::holds_nul_escape(br#"{"a": "regex \\u0000"}"#),
            "an escaped backslash, then text"
        );
        assert!(super::holds_nul_escape(br#"{"a": "\\\u0000"}"#));
        assert!(!super::holds_nul_escape(br#"{"a": "u0000"}"#));
    }
}
