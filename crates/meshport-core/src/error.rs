//! The one error type of the core operations, with a stable code the UI branches on.

/// Everything a core operation can fail with. Validation problems are not errors: they are findings.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Catalog(#[from] meshport_catalog::Error),
    #[error("no data folder for this user: set XDG_DATA_HOME or pass --db")]
    NoDataDir,
    #[error("cannot read {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("cannot write {path}: {source}")]
    Write { path: String, source: std::io::Error },
    #[error("{path}: {message}")]
    Document { path: String, message: String },
    #[error("policy pack {0}")]
    Pack(#[from] meshport_governance::policy::PackError),
    #[error("policies: {0}")]
    NoPolicies(String),
    #[error(transparent)]
    Platform(#[from] meshport_client::Error),
    /// A profile that is missing, malformed or has no token.
    #[error("{0}")]
    Profile(String),
    /// The OS keyring could not be reached or refused.
    #[error(
        "the OS keyring: {0} (on Linux it is the Secret Service: is a keyring daemon such as gnome-keyring running and unlocked?)"
    )]
    Keyring(String),
    /// An input the user gave that cannot be used (names what and how to fix it).
    #[error("{0}")]
    Invalid(String),
}

impl Error {
    /// A stable, machine-readable code: the UI and scripts branch on it, never on the message.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Catalog(meshport_catalog::Error::Open { .. }) => "catalog_open",
            Error::Catalog(meshport_catalog::Error::AlreadyExists(_)) => "already_exists",
            Error::Catalog(meshport_catalog::Error::Corrupt { .. }) => "catalog_corrupt",
            Error::Catalog(_) => "catalog",
            Error::NoDataDir => "no_data_dir",
            Error::Io { .. } | Error::Write { .. } => "io",
            Error::Document { .. } => "document",
            Error::Pack(_) | Error::NoPolicies(_) => "policy_pack",
            Error::Platform(e) if e.is_unreachable() => "offline",
            Error::Platform(e) => match e.status() {
                Some(401) => "unauthorized",
                Some(403) => "forbidden",
                Some(404) => "not_found",
                Some(409) => "conflict",
                _ => "platform",
            },
            Error::Profile(_) => "profile",
            Error::Keyring(_) => "keyring",
            Error::Invalid(_) => "invalid",
        }
    }
}

impl Error {
    /// What to tell a user: the platform's own words (its problem's detail) when it refused, else
    /// the whole message.
    pub fn summary(&self) -> String {
        match self {
            Error::Platform(e) => match e.problem() {
                Some(problem) if !problem.detail.trim().is_empty() => problem.detail.clone(),
                Some(problem) => problem.title.clone(),
                None => e.to_string(),
            },
            other => other.to_string(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
