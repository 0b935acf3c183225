//! The one error type of the client. No variant holds the token, and no message quotes a header.

use std::time::Duration;

use meshport_model::Finding;
use meshport_model::platform::Problem;

/// Everything a platform call can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The platform answered with an RFC 9457 problem.
    #[error("{method} {path}: {} {}: {}", .problem.status, .problem.title, .problem.detail)]
    Problem {
        method: String,
        path: String,
        problem: Box<Problem>,
    },
    /// No answer: the connection could not be made or broke (refused, DNS, TLS, reset).
    #[error("cannot reach the platform at {url}: {reason}")]
    Transport {
        url: String,
        /// The innermost cause, e.g. `Connection refused (os error 111)`.
        reason: String,
        #[source]
        source: reqwest::Error,
    },
    /// The connection or the answer took longer than the configured timeout.
    #[error("the platform at {url} did not {what} within {}", seconds(.after))]
    Timeout {
        url: String,
        /// `connect` or `answer`.
        what: &'static str,
        after: Duration,
        #[source]
        source: reqwest::Error,
    },
    /// An answer that is not what the contract says it is: not JSON, or not the expected type.
    #[error("{method} {path} answered {status} with a body that is not {expected}: {message}")]
    Decode {
        method: String,
        path: String,
        status: u16,
        /// What the body should have been, e.g. `ProvisioningJob`.
        expected: String,
        message: String,
    },
    /// The client cannot be set up as asked: a base URL that is not http(s), a token a header
    /// cannot carry.
    #[error("{0}")]
    Config(String),
}

impl Error {
    /// The platform's problem, if it answered with one.
    pub fn problem(&self) -> Option<&Problem> {
        match self {
            Error::Problem { problem, .. } => Some(problem),
            _ => None,
        }
    }

    /// The HTTP status of the answer, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Problem { problem, .. } => Some(problem.status),
            Error::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The problem's slug, e.g. `validation-failed`, `not-found`.
    pub fn slug(&self) -> Option<&str> {
        self.problem().map(Problem::slug)
    }

    /// Whether this is the platform's problem `slug`.
    pub fn is(&self, slug: &str) -> bool {
        self.slug() == Some(slug)
    }

    /// The findings that refused a document (`validation-failed`); empty for any other error.
    pub fn findings(&self) -> &[Finding] {
        self.problem().map_or(&[], |p| p.findings.as_slice())
    }

    /// A stable, machine-readable code to branch on: the problem's slug, or `transport`, `timeout`,
    /// `decode`, `config`.
    pub fn code(&self) -> &str {
        match self {
            Error::Problem { problem, .. } => problem.slug(),
            Error::Transport { .. } => "transport",
            Error::Timeout { .. } => "timeout",
            Error::Decode { .. } => "decode",
            Error::Config(_) => "config",
        }
    }

    /// Whether the platform was not reached or did not answer in time: worth trying again later.
    pub fn is_unreachable(&self) -> bool {
        matches!(self, Error::Transport { .. } | Error::Timeout { .. })
    }
}

fn seconds(duration: &Duration) -> String {
    format!("{}s", duration.as_secs_f64())
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
