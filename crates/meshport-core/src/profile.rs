//! Profiles: the platforms a user works with (name, URL, user), kept in `profiles.json` in the user's
//! config folder, with each token in the OS keyring and nowhere else.
//!
//! The keyring is the `keyring` crate's platform store: the Secret Service on Linux, the Keychain on
//! macOS, the Credential Manager on Windows. A token read from it is a [`Secret`], which neither
//! formats nor serializes, so it cannot reach a log line, a file, an error message or the desktop's IPC.

use std::path::{Path, PathBuf};

use meshport_client::Secret;
use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// The keyring service every Meshport token is filed under.
pub const KEYRING_SERVICE: &str = "dev.meshport.desktop";

/// The desktop app's built-in profile: the embedded demo platform (its token lives in memory only).
pub const DEMO_PROFILE: &str = "demo";

/// A platform the user works with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub name: String,
    /// The platform's base URL.
    pub url: String,
    /// Who the token belongs to.
    pub user: String,
}

impl Profile {
    /// The keyring account of this profile's token: one per user and platform.
    fn account(&self) -> String {
        format!("{}@{}", self.user, self.url.trim_end_matches('/'))
    }
}

/// Every profile, and which one is in use.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profiles {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<String>,
    #[serde(default)]
    pub profiles: Vec<Profile>,
}

/// `$XDG_CONFIG_HOME/dev.meshport.desktop/profiles.json` on Linux (the platform's config folder elsewhere).
pub fn profiles_path() -> Result<PathBuf> {
    Ok(dirs::config_dir()
        .ok_or(Error::NoDataDir)?
        .join(crate::paths::APP_IDENTIFIER)
        .join("profiles.json"))
}

fn profile_error(message: impl Into<String>) -> Error {
    Error::Profile(message.into())
}

impl Profiles {
    /// Reads the profiles at `path`; none yet is an empty list.
    pub fn load(path: &Path) -> Result<Profiles> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Profiles::default()),
            Err(source) => {
                return Err(Error::Io {
                    path: path.display().to_string(),
                    source,
                });
            }
        };
        serde_json::from_str(&text).map_err(|e| Error::Document {
            path: path.display().to_string(),
            message: format!(
                "line {}: {e}; fix the file or remove it and add the profiles again",
                e.line()
            ),
        })
    }

    /// Writes the profiles to `path` atomically (a new file renamed over the old one).
    pub fn save(&self, path: &Path) -> Result<()> {
        let io = |source| Error::Io {
            path: path.display().to_string(),
            source,
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let mut text = serde_json::to_string_pretty(self).expect("profiles always serialize");
        text.push('\n');
        let partial = path.with_extension("json.partial");
        std::fs::write(&partial, text).map_err(io)?;
        std::fs::rename(&partial, path).map_err(io)
    }

    pub fn get(&self, name: &str) -> Option<&Profile> {
        self.profiles.iter().find(|p| p.name == name)
    }

    /// The named profile, or the active one; an error that says how to make one otherwise.
    pub fn resolve(&self, name: Option<&str>) -> Result<&Profile> {
        match name.or(self.active.as_deref()) {
            Some(name) => self.get(name).ok_or_else(|| {
                profile_error(format!(
                    "there is no profile `{name}` (profiles: {}); add it with `meshport profile add {name} --url URL --user USER`",
                    self.names()
                ))
            }),
            None => Err(profile_error(
                "no profile is in use: add one with `meshport profile add NAME --url URL --user USER`, \
                 then `meshport login --profile NAME`",
            )),
        }
    }

    fn names(&self) -> String {
        if self.profiles.is_empty() {
            "none".into()
        } else {
            self.profiles
                .iter()
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        }
    }

    /// Adds a profile; the first one becomes the active one.
    pub fn add(&mut self, profile: Profile) -> Result<()> {
        let valid_name = !profile.name.is_empty()
            && profile
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !valid_name {
            return Err(profile_error(format!(
                "`{}` is not a profile name: use letters, digits, `-`, `_` and `.`",
                profile.name
            )));
        }
        if profile.user.trim().is_empty() {
            return Err(profile_error("the profile's user is empty: pass --user USER"));
        }
        let url = url_check(&profile.url)?;
        if self.get(&profile.name).is_some() {
            return Err(profile_error(format!(
                "the profile `{}` exists already: remove it first with `meshport profile remove {}`",
                profile.name, profile.name
            )));
        }
        if self.active.is_none() {
            self.active = Some(profile.name.clone());
        }
        self.profiles.push(Profile { url, ..profile });
        Ok(())
    }

    /// Makes `name` the active profile.
    pub fn activate(&mut self, name: &str) -> Result<()> {
        self.resolve(Some(name))?;
        self.active = Some(name.to_owned());
        Ok(())
    }

    /// Removes a profile (and, if it was active, leaves none active).
    pub fn remove(&mut self, name: &str) -> Result<Profile> {
        let profile = self.resolve(Some(name))?.clone();
        self.profiles.retain(|p| p.name != name);
        if self.active.as_deref() == Some(name) {
            self.active = None;
        }
        Ok(profile)
    }
}

/// The URL as a platform base URL (`http(s)://host[:port]`, no trailing slash), or why not.
fn url_check(url: &str) -> Result<String> {
    let trimmed = url.trim().trim_end_matches('/');
    let rest = trimmed
        .strip_prefix("http://")
        .or_else(|| trimmed.strip_prefix("https://"));
    match rest {
        Some(host) if !host.is_empty() && !host.contains(char::is_whitespace) => Ok(trimmed.to_owned()),
        _ => Err(profile_error(format!(
            "`{url}` is not a platform URL: write it as http://HOST:PORT or https://HOST"
        ))),
    }
}

fn keyring_error(error: keyring::Error) -> Error {
    // keyring's messages name the store and the cause, never the secret.
    Error::Keyring(error.to_string())
}

fn entry(profile: &Profile) -> Result<keyring::Entry> {
    keyring::Entry::new(KEYRING_SERVICE, &profile.account()).map_err(keyring_error)
}

/// Stores the profile's token in the OS keyring, replacing any earlier one.
pub fn token_store(profile: &Profile, token: &Secret) -> Result<()> {
    entry(profile)?
        .set_password(token.expose_secret())
        .map_err(keyring_error)
}

/// The profile's token from the OS keyring.
pub fn token_load(profile: &Profile) -> Result<Secret> {
    match entry(profile)?.get_password() {
        Ok(token) => Ok(Secret::new(token)),
        Err(keyring::Error::NoEntry) => Err(profile_error(format!(
            "no token for the profile `{}` in the keyring: run `meshport login --profile {}`",
            profile.name, profile.name
        ))),
        Err(e) => Err(keyring_error(e)),
    }
}

/// Whether the keyring holds a token for the profile.
pub fn token_present(profile: &Profile) -> Result<bool> {
    match entry(profile)?.get_password() {
        Ok(_) => Ok(true),
        Err(keyring::Error::NoEntry) => Ok(false),
        Err(e) => Err(keyring_error(e)),
    }
}

/// Deletes the profile's token from the keyring (none there is fine).
pub fn token_delete(profile: &Profile) -> Result<()> {
    match entry(profile)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(keyring_error(e)),
    }
}

/// A client of the profile's platform with its token from the keyring.
pub fn client(profile: &Profile) -> Result<meshport_client::Client> {
    Ok(meshport_client::Client::new(&profile.url, token_load(profile)?)?)
}

/// The profiles as a window lists them (never a token: whether the keyring holds one), with
/// `current` the profile of the session the window works with.
pub fn profiles_list(current: Option<&str>) -> Result<meshport_model::offline::ProfileList> {
    let profiles = Profiles::load(&profiles_path()?)?;
    Ok(meshport_model::offline::ProfileList {
        profiles: profiles
            .profiles
            .iter()
            .map(|p| meshport_model::offline::ProfileInfo {
                name: p.name.clone(),
                url: p.url.clone(),
                user: p.user.clone(),
                active: profiles.active.as_deref() == Some(p.name.as_str()),
                signed_in: token_present(p).ok(),
            })
            .collect(),
        current: current.map(str::to_owned),
        demo_users: Vec::new(),
    })
}

/// Signs in: checks `token` with the platform at `profile.url` (it must answer, and say the token
/// is `profile.user`'s), then stores it in the OS keyring and the profile in `profiles.json`. A
/// profile of that name with the same platform and user is signed in again; nothing is stored when
/// a check fails.
pub async fn profile_sign_in(profile: Profile, token: Secret) -> Result<Profile> {
    let path = profiles_path()?;
    let mut profiles = Profiles::load(&path)?;
    let mut candidate = profiles.clone();
    let existing = profiles.get(&profile.name).cloned();
    let profile = match existing {
        Some(known)
            if known.url == profile.url.trim().trim_end_matches('/') && known.user == profile.user =>
        {
            known
        }
        Some(known) => {
            return Err(profile_error(format!(
                "the profile `{}` exists already, for {} on {}: choose another name, or remove it first",
                known.name, known.user, known.url
            )));
        }
        None => {
            candidate.add(profile.clone())?;
            candidate.get(&profile.name).cloned().expect("just added")
        }
    };
    if token.expose_secret().trim().is_empty() {
        return Err(Error::Invalid(
            "`token` is empty: paste the token the platform gave you".into(),
        ));
    }
    let client = meshport_client::Client::new(&profile.url, token.clone())?;
    let me = match client.me().await {
        Ok(me) => me,
        Err(error) if error.is_unreachable() => {
            return Err(Error::Invalid(format!(
                "{} cannot be reached, so the token cannot be checked: is the URL right and the platform up? ({error})",
                profile.url
            )));
        }
        Err(error) if error.status() == Some(401) => {
            return Err(Error::Invalid(format!(
                "{} refused this token (401): nothing was stored; ask the platform team for a token for {}",
                profile.url, profile.user
            )));
        }
        Err(error) => return Err(error.into()),
    };
    if me.user != profile.user {
        return Err(Error::Invalid(format!(
            "this token is {}'s, not {}'s: nothing was stored; change `user` to {} or paste {}'s token",
            me.user, profile.user, me.user, profile.user
        )));
    }
    token_store(&profile, &token)?;
    if profiles.get(&profile.name).is_none() {
        profiles = candidate;
        profiles.save(&path)?;
    }
    Ok(profile)
}

/// Makes `name` the profile in use (`None`: none, so the desktop app runs its demo platform).
pub fn profile_activate(name: Option<&str>) -> Result<()> {
    let path = profiles_path()?;
    let mut profiles = Profiles::load(&path)?;
    match name {
        Some(name) => profiles.activate(name)?,
        None => profiles.active = None,
    }
    profiles.save(&path)
}

/// Removes the profile `name` and its token from the keyring.
pub fn profile_remove(name: &str) -> Result<Profile> {
    let path = profiles_path()?;
    let mut profiles = Profiles::load(&path)?;
    let removed = profiles.remove(name)?;
    token_delete(&removed)?;
    profiles.save(&path)?;
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(name: &str) -> Profile {
        Profile {
            name: name.into(),
            url: "http://127.0.0.1:8080/".into(),
            user: "owen".into(),
        }
    }

    #[test]
    fn profiles_are_added_used_and_removed_and_survive_a_reload() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config/profiles.json");
        let mut profiles = Profiles::load(&path).unwrap();
        assert_eq!(profiles, Profiles::default());
        profiles.add(profile("prod")).unwrap();
        profiles.add(profile("staging")).unwrap();
        assert_eq!(
            profiles.active.as_deref(),
            Some("prod"),
            "the first profile is active"
        );
        assert_eq!(profiles.get("prod").unwrap().url, "http://127.0.0.1:8080");
        profiles.activate("staging").unwrap();
        profiles.save(&path).unwrap();
        let mut again = Profiles::load(&path).unwrap();
        assert_eq!(again, profiles);
        assert_eq!(again.resolve(None).unwrap().name, "staging");
        again.remove("staging").unwrap();
        assert!(again.active.is_none());
        let error = again.resolve(None).unwrap_err().to_string();
        assert!(error.contains("meshport profile add"), "{error}");
    }

    #[test]
    fn bad_profiles_are_refused_with_the_fix() {
        let mut profiles = Profiles::default();
        profiles.add(profile("prod")).unwrap();
        let again = profiles.add(profile("prod")).unwrap_err().to_string();
        assert!(again.contains("meshport profile remove prod"), "{again}");
        let url = profiles
            .add(Profile {
                url: "127.0.0.1:8080".into(),
                ..profile("x")
            })
            .unwrap_err()
            .to_string();
        assert!(url.contains("http://HOST:PORT"), "{url}");
        let name = profiles.add(profile("a b")).unwrap_err().to_string();
        assert!(name.contains("not a profile name"), "{name}");
        let missing = profiles.resolve(Some("nope")).unwrap_err().to_string();
        assert!(missing.contains("profiles: prod"), "{missing}");
    }

    #[test]
    fn a_broken_file_names_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("profiles.json");
        std::fs::write(&path, "{\n  \"profiles\": [\n    {\"name\": 1}\n  ]\n}\n").unwrap();
        let error = Profiles::load(&path).unwrap_err().to_string();
        assert!(error.contains("line 3"), "{error}");
    }
}
