//! Where Meshport keeps its files. The desktop app and the CLI share these, so both read one catalog.

use std::path::PathBuf;

use crate::{Error, Result};

/// The application identifier; the desktop bundle uses the same one (`src-tauri/tauri.conf.json`).
pub const APP_IDENTIFIER: &str = "dev.meshport.desktop";

/// The folder holding the user's Meshport data: `$XDG_DATA_HOME/dev.meshport.desktop` on Linux.
pub fn data_dir() -> Result<PathBuf> {
    Ok(dirs::data_dir().ok_or(Error::NoDataDir)?.join(APP_IDENTIFIER))
}

/// The default catalog database.
pub fn default_db_path() -> Result<PathBuf> {
    Ok(data_dir()?.join("catalog.db"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_catalog_lives_in_the_app_folder_of_the_data_dir() {
        let path = super::default_db_path().unwrap();
        assert!(
            path.ends_with("dev.meshport.desktop/catalog.db"),
            "{}",
            path.display()
        );
    }
}
