//! Who is calling and what they may touch: bearer tokens, users and their roles per domain.
//!
//! A token is `mpt_<id>_<secret>`. The platform keeps the id and the SHA-256 of the secret, never the
//! secret: a token is looked up by its id and its secret's hash compared in constant time. Roles are
//! held per domain (`*` for every domain): `owner` submits and unprovisions the domain's products and
//! publishes its pack; `steward` and `consumer` read; `admin` publishes the global pack and reads the
//! audit log. Every authenticated user reads the catalog: discoverability is the point of a mesh.

use base64::Engine as _;
use sha2::{Digest, Sha256};
use sqlx::Row;
use subtle::ConstantTimeEq;

use crate::error::ApiError;
use crate::store::{Store, now_ms};

/// A role a user holds in a domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Owner,
    Steward,
    Consumer,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Steward => "steward",
            Role::Consumer => "consumer",
            Role::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Some(match text {
            "owner" => Role::Owner,
            "steward" => Role::Steward,
            "consumer" => Role::Consumer,
            "admin" => Role::Admin,
            _ => return None,
        })
    }
}

/// A grant: a role in a domain (`*`: every domain).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Grant {
    pub role: Role,
    pub domain: String,
}

impl Grant {
    /// Reads `admin`, `steward:*` or `owner:orders`.
    pub fn parse(text: &str) -> Option<Grant> {
        let (role, domain) = text.split_once(':').unwrap_or((text, "*"));
        let domain = domain.trim();
        (!domain.is_empty()).then_some(())?;
        Some(Grant {
            role: Role::parse(role.trim())?,
            domain: domain.to_lowercase(),
        })
    }
}

impl std::fmt::Display for Grant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.role.as_str(), self.domain)
    }
}

/// The authenticated caller of a request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: String,
    pub grants: Vec<Grant>,
    pub request_id: String,
}

impl Caller {
    /// Whether the caller holds `role` in `domain` (compared case-insensitively).
    pub fn has(&self, role: Role, domain: &str) -> bool {
        self.grants
            .iter()
            .any(|g| g.role == role && (g.domain == "*" || g.domain.eq_ignore_ascii_case(domain)))
    }

    pub fn is_admin(&self) -> bool {
        self.grants.iter().any(|g| g.role == Role::Admin)
    }

    /// Refuses unless the caller owns `domain`.
    pub fn require_owner(&self, domain: &str, what: &str) -> Result<(), ApiError> {
        if self.has(Role::Owner, domain) {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "`{}` is not an owner of domain `{domain}`, so may not {what}; ask an owner of `{domain}` \
                 or the platform team for the role",
                self.user
            )))
        }
    }

    pub fn require_admin(&self, what: &str) -> Result<(), ApiError> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "`{}` is not a platform admin, so may not {what}",
                self.user
            )))
        }
    }
}

/// The parts of a token: its id and its secret.
fn token_split(token: &str) -> Option<(&str, &str)> {
    let rest = token.strip_prefix("mpt_")?;
    let (id, secret) = rest.split_once('_')?;
    (id.len() == 16 && !secret.is_empty()).then_some((id, secret))
}

fn secret_hash(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The user and grants of a valid token; `None` for an unknown, malformed or revoked one.
pub async fn token_verify(store: &Store, token: &str) -> Result<Option<(String, Vec<Grant>)>, ApiError> {
    let Some((id, secret)) = token_split(token) else {
        return Ok(None);
    };
    // The token and its user's grants in one query (a user without grants gives one row of NULLs).
    let rows = sqlx::query(
        "SELECT t.user_name, t.secret_sha256, r.role, r.domain FROM tokens t \
         LEFT JOIN user_roles r ON r.user_name = t.user_name WHERE t.id = $1 AND t.revoked_at IS NULL",
    )
    .bind(id)
    .fetch_all(store.pool())
    .await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let stored: String = first.try_get("secret_sha256")?;
    let given = secret_hash(secret);
    if !bool::from(stored.as_bytes().ct_eq(given.as_bytes())) {
        return Ok(None);
    }
    let user: String = first.try_get("user_name")?;
    let mut grants: Vec<Grant> = rows
        .iter()
        .filter_map(|row| {
            let role: Option<String> = row.try_get("role").ok()?;
            Some(Grant {
                role: Role::parse(&role?)?,
                domain: row.try_get::<Option<String>, _>("domain").ok()??,
            })
        })
        .collect();
    grants.sort();
    Ok(Some((user, grants)))
}

/// The grants a user holds.
pub async fn user_grants(store: &Store, user: &str) -> Result<Vec<Grant>, sqlx::Error> {
    let rows = sqlx::query("SELECT role, domain FROM user_roles WHERE user_name = $1 ORDER BY role, domain")
        .bind(user)
        .fetch_all(store.pool())
        .await?;
    Ok(rows
        .iter()
        .filter_map(|row| {
            let role: String = row.try_get("role").ok()?;
            Some(Grant {
                role: Role::parse(&role)?,
                domain: row.try_get("domain").ok()?,
            })
        })
        .collect())
}

/// Creates a user (or adds grants to an existing one).
pub async fn user_upsert(store: &Store, user: &str, grants: &[Grant]) -> Result<(), sqlx::Error> {
    let mut tx = store.write().await?;
    sqlx::query("INSERT INTO users (name, created_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
        .bind(user)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
    for grant in grants {
        sqlx::query(
            "INSERT INTO user_roles (user_name, role, domain) VALUES ($1, $2, $3) \
             ON CONFLICT (user_name, role, domain) DO NOTHING",
        )
        .bind(user)
        .bind(grant.role.as_str())
        .bind(&grant.domain)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error(
        "no user `{0}` on this platform; create it with `meshport-platform user add {0} --role ROLE:DOMAIN`"
    )]
    NoUser(String),
    #[error(transparent)]
    Sql(#[from] sqlx::Error),
}

/// Makes a new token for `user` and returns it: the only time the secret exists outside the caller.
pub async fn token_create(store: &Store, user: &str) -> Result<String, TokenError> {
    let exists = sqlx::query("SELECT name FROM users WHERE name = $1")
        .bind(user)
        .fetch_optional(store.pool())
        .await?
        .is_some();
    if !exists {
        return Err(TokenError::NoUser(user.to_owned()));
    }
    let mut id_bytes = [0u8; 8];
    let mut secret_bytes = [0u8; 32];
    getrandom::fill(&mut id_bytes).map_err(|e| sqlx::Error::Protocol(format!("no randomness: {e}")))?;
    getrandom::fill(&mut secret_bytes).map_err(|e| sqlx::Error::Protocol(format!("no randomness: {e}")))?;
    let id: String = id_bytes.iter().map(|b| format!("{b:02x}")).collect();
    let secret = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(secret_bytes)
        .replace('_', "-");
    let mut tx = store.write().await?;
    sqlx::query("INSERT INTO tokens (id, user_name, secret_sha256, created_at) VALUES ($1, $2, $3, $4)")
        .bind(&id)
        .bind(user)
        .bind(secret_hash(&secret))
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(format!("mpt_{id}_{secret}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grants_read_role_and_domain() {
        assert_eq!(
            Grant::parse("owner:Orders"),
            Some(Grant {
                role: Role::Owner,
                domain: "orders".into()
            })
        );
        assert_eq!(Grant::parse("admin").unwrap().domain, "*");
        assert_eq!(Grant::parse("king:orders"), None);
        assert_eq!(Grant::parse("owner:"), None);
    }

    #[test]
    fn tokens_split_into_id_and_secret() {
        assert_eq!(
            token_split("mpt_0123456789abcdef_s3cr-t"),
            Some(("0123456789abcdef", "s3cr-t"))
        );
        assert_eq!(token_split("mpt_short_secret"), None);
        assert_eq!(token_split("Bearer x"), None);
    }

    #[test]
    fn a_caller_owns_only_its_domains() {
        let caller = Caller {
            user: "mia".into(),
            grants: vec![Grant::parse("owner:marketing").unwrap()],
            request_id: String::new(),
        };
        assert!(caller.has(Role::Owner, "Marketing"));
        assert!(!caller.has(Role::Owner, "finance"));
        assert!(caller.require_owner("finance", "provision").is_err());
        assert!(caller.require_admin("publish").is_err());
    }
}
