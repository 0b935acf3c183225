//! Where Meshport keeps its files. The desktop app and the CLI share these, so both read one local store.

use std::path::PathBuf;

use crate::{Error, Result};

/// The application identifier; the desktop bundle uses the same one (`src-tauri/tauri.conf.json`).
pub const APP_IDENTIFIER: &str = "dev.meshport.desktop";

/// The folder holding the user's Meshport data: `$XDG_DATA_HOME/dev.meshport.desktop` on Linux.
pub fn data_dir() -> Result<PathBuf> {
    Ok(dirs::data_dir().ok_or(Error::NoDataDir)?.join(APP_IDENTIFIER))
}

/// The local store's database (drafts and the outbox): `catalog.db`, a name scripts rely on.
pub fn default_db_path() -> Result<PathBuf> {
    Ok(data_dir()?.join("catalog.db"))
}

/// The offline cache of the platform at `url`: one file per platform, named after its address
/// (`http://127.0.0.1:8080` → `cache/http_127_0_0_1_8080.db`).
pub fn cache_path(url: &str) -> Result<PathBuf> {
    let mut name = String::new();
    for c in url.trim_end_matches('/').chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
        } else if !name.ends_with('_') {
            name.push('_');
        }
    }
    Ok(data_dir()?
        .join("cache")
        .join(format!("{}.db", name.trim_matches('_'))))
}

/// The offline cache of a profile: one file per profile (`cache/profile-<name>.db`).
pub fn profile_cache_path(profile: &str) -> Result<PathBuf> {
    Ok(data_dir()?.join("cache").join(format!("profile-{profile}.db")))
}

#[cfg(test)]
mod tests {
    #[test]
    fn each_platform_has_its_own_cache_file() {
        let a = super::cache_path("http://127.0.0.1:8080/").unwrap();
        assert!(a.ends_with("cache/http_127_0_0_1_8080.db"), "{}", a.display());
        assert_ne!(a, super::cache_path("http://127.0.0.1:8081").unwrap());
    }

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
