//! Notices: what a sync brought that the user should hear of, kept in the cache with the page that
//! brought it, so that a desktop notification and a badge come from the sync and are never given
//! twice. A new or reopened incident in the domains the user stewards or owns; a decision on the
//! user's own access request; a new request on a port of a domain the user owns. A full resync (the
//! first sync, or a cursor the feed no longer keeps) tells of nothing: it is not news.

use meshport_model::offline::{Notice, NoticeCounts};
use meshport_model::platform::UserRoles;
use serde_json::Value;
use sqlx::{Row, SqliteConnection};

use super::{Cache, user_roles_in};
use crate::Result;

/// Whether `roles` make the user a steward or an owner of `domain`.
fn looks_after(roles: &UserRoles, domain: &str) -> bool {
    roles.roles.iter().any(|r| {
        matches!(r.role.as_str(), "steward" | "owner")
            && (r.domain == "*" || r.domain.eq_ignore_ascii_case(domain))
    })
}

fn owns(roles: &UserRoles, domain: &str) -> bool {
    roles
        .roles
        .iter()
        .any(|r| r.role == "owner" && (r.domain == "*" || r.domain.eq_ignore_ascii_case(domain)))
}

fn text<'a>(document: &'a Value, key: &str) -> &'a str {
    document.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// A notice to keep, unless the same one (kind, entity, state) was kept before.
struct New<'a> {
    kind: &'a str,
    entity_id: &'a str,
    state: &'a str,
    view: &'a str,
    title: String,
    body: String,
    at: &'a str,
}

async fn keep(conn: &mut SqliteConnection, notice: New<'_>) -> Result<()> {
    sqlx::query(
        "INSERT OR IGNORE INTO notices (kind, entity_id, state, view, title, body, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(notice.kind)
    .bind(notice.entity_id)
    .bind(notice.state)
    .bind(notice.view)
    .bind(notice.title)
    .bind(notice.body)
    .bind(notice.at)
    .execute(conn)
    .await?;
    Ok(())
}

/// The user's roles as the cache last heard them, read once per page.
pub(super) async fn roles(conn: &mut SqliteConnection) -> Result<Option<UserRoles>> {
    user_roles_in(conn).await
}

/// An incident written by a page, `before` its state in the cache until then (`None`: new).
pub(super) async fn incident_noted(
    conn: &mut SqliteConnection,
    roles: &UserRoles,
    id: &str,
    before: Option<&str>,
    incident: &Value,
) -> Result<()> {
    let state = text(incident, "state");
    let news = match (before, state) {
        (None, "open" | "reopened") => true,
        (Some(was), "reopened") => was != "reopened",
        _ => false,
    };
    if !news || !looks_after(roles, text(incident, "domain")) {
        return Ok(());
    }
    let product = text(incident, "productName");
    keep(
        conn,
        New {
            kind: "incident",
            entity_id: id,
            state,
            view: "incidents",
            title: if state == "reopened" {
                format!("Incident reopened on {product}")
            } else {
                format!("New incident on {product}")
            },
            body: text(incident, "title").to_owned(),
            at: text(incident, "updatedAt"),
        },
    )
    .await
}

/// An access request written by a page, `before` its state in the cache until then (`None`: new).
pub(super) async fn access_noted(
    conn: &mut SqliteConnection,
    roles: &UserRoles,
    id: &str,
    before: Option<&str>,
    request: &Value,
) -> Result<()> {
    let state = text(request, "state");
    if before == Some(state) {
        return Ok(());
    }
    let consumer = text(request, "consumer");
    let what = format!(
        "{} · {}",
        text(request, "productName"),
        text(request, "outputPort")
    );
    let notice = if consumer == roles.user
        && matches!(state, "active" | "approved" | "rejected" | "revoked" | "expired")
    {
        let verb = match state {
            "active" | "approved" => "approved",
            other => other,
        };
        let by = text(request, "decidedBy");
        New {
            kind: "access-decision",
            entity_id: id,
            state,
            view: "access",
            title: format!("Your access to {what} was {verb}"),
            body: match request.get("reason").and_then(Value::as_str) {
                Some(reason) => format!("{by}: {reason}"),
                None if by.is_empty() => String::new(),
                None => format!("by {by}"),
            },
            at: text(request, "updatedAt"),
        }
    } else if state == "requested" && consumer != roles.user && owns(roles, text(request, "domain")) {
        New {
            kind: "access-request",
            entity_id: id,
            state,
            view: "access",
            title: format!("{consumer} asks for {what}"),
            body: text(request, "purpose").to_owned(),
            at: text(request, "requestedAt"),
        }
    } else {
        return Ok(());
    };
    keep(conn, notice).await
}

fn notice_of(row: &sqlx::sqlite::SqliteRow) -> Result<Notice> {
    Ok(Notice {
        id: row.try_get("id")?,
        kind: row.try_get("kind")?,
        entity_id: row.try_get("entity_id")?,
        view: row.try_get("view")?,
        title: row.try_get("title")?,
        body: row.try_get("body")?,
        at: row.try_get("at")?,
    })
}

impl Cache {
    /// The notices no desktop notification told of yet, marked as told in the same statement: each
    /// is handed out once, whoever asks and however often.
    pub async fn notices_to_notify(&self) -> Result<Vec<Notice>> {
        let rows = sqlx::query(
            "UPDATE notices SET notified = 1 WHERE notified = 0 \
             RETURNING id, kind, entity_id, view, title, body, at",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut notices = rows.iter().map(notice_of).collect::<Result<Vec<_>>>()?;
        notices.sort_by_key(|n| n.id);
        Ok(notices)
    }

    /// How many notices of each view the user has not seen: the navigation's badges.
    pub async fn notice_counts(&self) -> Result<NoticeCounts> {
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT view, COUNT(*) FROM notices WHERE seen = 0 GROUP BY view")
                .fetch_all(&self.pool)
                .await?;
        let mut counts = NoticeCounts::default();
        for (view, n) in rows {
            let n = n.max(0) as u64;
            match view.as_str() {
                "incidents" => counts.incidents = n,
                "access" => counts.access = n,
                _ => {}
            }
        }
        Ok(counts)
    }

    /// The user opened `view`: its notices are seen.
    pub async fn notices_seen(&self, view: &str) -> Result<()> {
        sqlx::query("UPDATE notices SET seen = 1, notified = 1 WHERE view = ? AND seen = 0")
            .bind(view)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
