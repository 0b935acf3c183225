//! The platform token: a type that cannot leak through formatting, logs or serialization.

use std::fmt;

/// A bearer token. `Debug` and `Display` print `[redacted]` and `Serialize` refuses, so a token
/// reaches neither a log line, an error message, a JSON file nor the desktop's IPC by accident; the
/// value comes out only through [`Secret::expose_secret`], which the client calls once, to build
/// the `Authorization` header.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The token itself. Named so that every use stands out in review: building the header is the
    /// only one.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Secret {
        Secret(value)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Refuses: a struct holding a secret fails to serialize rather than writing the token out.
impl serde::Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, _serializer: S) -> Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom("a secret is never serialized"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "tok_3e1f9a-very-secret";

    #[test]
    fn formatting_never_shows_the_token() {
        let secret = Secret::new(TOKEN);
        for text in [
            format!("{secret}"),
            format!("{secret:?}"),
            format!("{secret:#?}"),
            format!("{secret:>40}"),
            format!("{:?}", Some(secret.clone())),
            format!("{:?}", vec![secret.clone()]),
        ] {
            assert!(!text.contains(TOKEN), "{text}");
            assert!(text.contains("[redacted]"), "{text}");
        }
    }

    #[test]
    fn serializing_refuses() {
        #[derive(serde::Serialize)]
        struct Settings {
            platform: String,
            token: Secret,
        }
        let settings = Settings {
            platform: "http://127.0.0.1:8080".into(),
            token: Secret::new(TOKEN),
        };
        let error = serde_json::to_string(&settings).unwrap_err();
        assert!(!error.to_string().contains(TOKEN));
        assert!(serde_json::to_value(Secret::new(TOKEN)).is_err());
    }

    #[test]
    fn the_value_comes_out_by_name() {
        assert_eq!(Secret::new(TOKEN).expose_secret(), TOKEN);
    }
}
