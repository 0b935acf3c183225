//! The one error type of the core operations, with a stable code the UI branches on.

/// Everything a core operation can fail with. Validation problems are not errors: they are findings.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Catalog(#[from] meshport_catalog::Error),
    #[error("no data folder for this user: set XDG_DATA_HOME or pass --db")]
    NoDataDir,
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
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
