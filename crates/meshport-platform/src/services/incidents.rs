//! Steward incidents: a failing check opens one (one per check: later failures attach to it, a
//! failure after it was resolved reopens it), and stewards move it `open → acknowledged → assigned →
//! resolved`. Every transition and comment is an event with who, when and what was said; every change
//! is in the audit log and the change feed.

use meshport_model::platform::{ChangeEntity, Page};
use meshport_model::trust::{Incident, IncidentEvent, IncidentState, QualityResult};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::error::ApiError;
use crate::services::auth::{Caller, Role, user_grants};
use crate::services::catalog::{self, Audit, Tx, cursor_decode, cursor_encode};
use crate::services::idempotency;
use crate::services::quality::plan::Plan;
use crate::state::AppState;
use crate::store::{now_ms, rfc3339};

/// Attaches a failed result to its check's incident, opening or reopening it, in the run's
/// transaction.
pub async fn failure_record(
    tx: &mut Tx,
    plan: &Plan,
    result: &QualityResult,
    at: i64,
) -> Result<(), ApiError> {
    let title = result
        .message
        .clone()
        .unwrap_or_else(|| format!("{} failed", result.check.check));
    let existing = sqlx::query("SELECT id, state FROM incidents WHERE product_id = $1 AND check_id = $2")
        .bind(&plan.product_id)
        .bind(&result.check.check)
        .fetch_optional(&mut **tx)
        .await?;
    let id = match existing {
        None => {
            let id = format!("inc_{}", uuid::Uuid::now_v7().simple());
            sqlx::query(
                "INSERT INTO incidents (id, product_id, product_name, domain, check_id, port, state, severity, assignee, \
                 title, failures, opened_at, updated_at, resolved_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, NULL, $8, 1, $9, $9, NULL)",
            )
            .bind(&id)
            .bind(&plan.product_id)
            .bind(&plan.product_name)
            .bind(&plan.domain)
            .bind(&result.check.check)
            .bind(&result.check.port)
            .bind(&result.check.severity)
            .bind(&title)
            .bind(at)
            .execute(&mut **tx)
            .await?;
            event_append(
                tx,
                &id,
                at,
                "platform",
                "opened",
                None,
                Some(IncidentState::Open),
                Some(&title),
            )
            .await?;
            id
        }
        Some(row) => {
            let id: String = row.try_get("id")?;
            let state: String = row.try_get("state")?;
            if state == IncidentState::Resolved.as_str() {
                sqlx::query(
                    "UPDATE incidents SET state = 'reopened', failures = failures + 1, title = $1, updated_at = $2, \
                     resolved_at = NULL WHERE id = $3",
                )
                .bind(&title)
                .bind(at)
                .bind(&id)
                .execute(&mut **tx)
                .await?;
                event_append(
                    tx,
                    &id,
                    at,
                    "platform",
                    "reopened",
                    Some(IncidentState::Resolved),
                    Some(IncidentState::Reopened),
                    Some(&title),
                )
                .await?;
            } else {
                sqlx::query(
                    "UPDATE incidents SET failures = failures + 1, title = $1, updated_at = $2 WHERE id = $3",
                )
                .bind(&title)
                .bind(at)
                .bind(&id)
                .execute(&mut **tx)
                .await?;
                event_append(tx, &id, at, "platform", "failed-again", None, None, Some(&title)).await?;
            }
            id
        }
    };
    changed(tx, &id).await
}

/// Resolves the incidents of the product `product_id` still open when it is unprovisioned (its data
/// and checks are gone, so nothing can fix or fail them any more), by the platform and with that
/// reason, in the unprovisioning's transaction. Returns how many.
pub async fn product_closed(tx: &mut Tx, product_id: &str) -> Result<usize, ApiError> {
    const REASON: &str = "the product was unprovisioned: its data and its checks are gone";
    let rows = sqlx::query("SELECT id, state FROM incidents WHERE product_id = $1 AND state <> 'resolved'")
        .bind(product_id)
        .fetch_all(&mut **tx)
        .await?;
    let now = now_ms();
    for row in &rows {
        let (id, from): (String, String) = (row.try_get("id")?, row.try_get("state")?);
        sqlx::query(
            "UPDATE incidents SET state = 'resolved', updated_at = $1, resolved_at = $1 WHERE id = $2",
        )
        .bind(now)
        .bind(&id)
        .execute(&mut **tx)
        .await?;
        event_append(
            tx,
            &id,
            now,
            "platform",
            "resolved",
            IncidentState::parse(&from),
            Some(IncidentState::Resolved),
            Some(REASON),
        )
        .await?;
        catalog::audit_append(
            &mut **tx,
            Audit {
                actor: "platform",
                action: "incident.resolve",
                target: &id,
                request_id: "",
                outcome: "succeeded",
                detail: Some(REASON.into()),
            },
        )
        .await?;
        changed(tx, &id).await?;
    }
    Ok(rows.len())
}

#[allow(clippy::too_many_arguments)]
async fn event_append(
    tx: &mut Tx,
    id: &str,
    at: i64,
    actor: &str,
    action: &str,
    from: Option<IncidentState>,
    to: Option<IncidentState>,
    comment: Option<&str>,
) -> Result<(), ApiError> {
    let position: i64 = sqlx::query(
        "SELECT COALESCE(MAX(position), 0) + 1 AS next FROM incident_events WHERE incident_id = $1",
    )
    .bind(id)
    .fetch_one(&mut **tx)
    .await?
    .try_get("next")?;
    sqlx::query(
        "INSERT INTO incident_events (incident_id, position, at, actor, action, from_state, to_state, comment) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(position)
    .bind(at)
    .bind(actor)
    .bind(action)
    .bind(from.map(IncidentState::as_str))
    .bind(to.map(IncidentState::as_str))
    .bind(comment)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Appends the incident as it now is to the change feed.
async fn changed(tx: &mut Tx, id: &str) -> Result<(), ApiError> {
    let incident = read(tx, id)
        .await?
        .ok_or_else(|| ApiError::internal("an incident vanished in its own transaction"))?;
    let document = serde_json::to_value(&incident).map_err(ApiError::internal)?;
    catalog::change_append(tx, ChangeEntity::Incident, id, Some(&document)).await?;
    Ok(())
}

const COLUMNS: &str = "id, product_id, product_name, domain, check_id, port, state, severity, assignee, title, failures, \
                       opened_at, updated_at, resolved_at";

fn from_row(row: &AnyRow, events: Vec<IncidentEvent>) -> Result<Incident, ApiError> {
    let state: String = row.try_get("state")?;
    Ok(Incident {
        id: row.try_get("id")?,
        product_id: row.try_get("product_id")?,
        product_name: row.try_get("product_name")?,
        domain: row.try_get("domain")?,
        check: row.try_get("check_id")?,
        port: row.try_get("port")?,
        state: IncidentState::parse(&state)
            .ok_or_else(|| ApiError::internal(format!("incident state {state}")))?,
        severity: row.try_get("severity")?,
        assignee: row.try_get("assignee")?,
        title: row.try_get("title")?,
        failures: row.try_get::<i64, _>("failures")? as u32,
        opened_at: rfc3339(row.try_get("opened_at")?),
        updated_at: rfc3339(row.try_get("updated_at")?),
        resolved_at: row.try_get::<Option<i64>, _>("resolved_at")?.map(rfc3339),
        events,
    })
}

fn event_from(row: &AnyRow) -> Result<IncidentEvent, ApiError> {
    let state = |column: &str| -> Result<Option<IncidentState>, ApiError> {
        Ok(row
            .try_get::<Option<String>, _>(column)?
            .and_then(|s| IncidentState::parse(&s)))
    };
    Ok(IncidentEvent {
        at: rfc3339(row.try_get("at")?),
        actor: row.try_get("actor")?,
        action: row.try_get("action")?,
        from: state("from_state")?,
        to: state("to_state")?,
        comment: row.try_get("comment")?,
    })
}

async fn read(conn: &mut sqlx::AnyConnection, id: &str) -> Result<Option<Incident>, ApiError> {
    let Some(row) = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM incidents WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let events = sqlx::query(
        "SELECT at, actor, action, from_state, to_state, comment FROM incident_events WHERE incident_id = $1 ORDER BY position",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(event_from)
    .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(from_row(&row, events)?))
}

/// One incident with its timeline; 404 when there is none.
pub async fn get(state: &AppState, id: &str) -> Result<Incident, ApiError> {
    let mut conn = state.store().pool().acquire().await?;
    read(&mut conn, id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no incident `{id}`")))
}

/// Filters of the incident list.
#[derive(Debug, Default)]
pub struct Filter {
    pub domain: Option<String>,
    pub product: Option<String>,
    pub state: Option<IncidentState>,
    pub assignee: Option<String>,
}

/// Incidents newest first, with their timelines.
pub async fn list(
    state: &AppState,
    filter: &Filter,
    cursor: Option<&str>,
    limit: i64,
) -> Result<Page<Incident>, ApiError> {
    let mut conn = state.store().pool().acquire().await?;
    list_on(&mut conn, filter, cursor, limit).await
}

/// [`list`] on a connection: one statement whatever the page's length, the page of incidents joined
/// with their events (a statement per incident made a page of 500 cost 501 round trips). The
/// incident past the page, read only to know whether another page follows, is joined with nothing.
pub async fn list_on(
    conn: &mut sqlx::AnyConnection,
    filter: &Filter,
    cursor: Option<&str>,
    limit: i64,
) -> Result<Page<Incident>, ApiError> {
    let before = cursor.map(cursor_decode).transpose()?;
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT i.*, e.position, e.at, e.actor, e.action, e.from_state, e.to_state, e.comment \
         FROM (SELECT {COLUMNS}, ROW_NUMBER() OVER (ORDER BY id DESC) AS n FROM incidents \
         WHERE ($1 IS NULL OR domain = $1) AND ($2 IS NULL OR product_id = $2) \
         AND ($3 IS NULL OR state = $3) AND ($4 IS NULL OR assignee = $4) AND ($5 IS NULL OR id < $5) \
         ORDER BY id DESC LIMIT $6) i \
         LEFT JOIN incident_events e ON e.incident_id = i.id AND i.n <= $7 \
         ORDER BY i.id DESC, e.position"
    )))
    .bind(filter.domain.as_deref().map(str::to_lowercase))
    .bind(filter.product.as_deref())
    .bind(filter.state.map(IncidentState::as_str))
    .bind(filter.assignee.as_deref())
    .bind(before)
    .bind(limit + 1)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    // Rows come grouped by incident, its events in order; an incident without events has one row
    // whose event columns are null.
    let mut page: Vec<(String, &AnyRow, Vec<IncidentEvent>)> = Vec::new();
    for row in &rows {
        let id: String = row.try_get("id")?;
        if page.last().is_none_or(|(last, _, _)| *last != id) {
            page.push((id, row, Vec::new()));
        }
        if row.try_get::<Option<i64>, _>("position")?.is_some()
            && let Some((_, _, events)) = page.last_mut()
        {
            events.push(event_from(row)?);
        }
    }
    let has_more = page.len() as i64 > limit;
    let items = page
        .into_iter()
        .take(limit as usize)
        .map(|(_, row, events)| from_row(row, events))
        .collect::<Result<Vec<_>, _>>()?;
    let next_cursor = has_more
        .then(|| items.last().map(|i| cursor_encode(&i.id)))
        .flatten();
    Ok(Page { items, next_cursor })
}

/// What a steward asks of an incident.
#[derive(Debug)]
pub enum Action {
    Acknowledge {
        comment: Option<String>,
    },
    Assign {
        assignee: String,
        comment: Option<String>,
    },
    Comment {
        text: String,
    },
    Resolve {
        comment: String,
    },
    /// A resolved incident opened again by a steward, saying why (its check failing again reopens
    /// it by itself).
    Reopen {
        comment: String,
    },
}

impl Action {
    /// What an idempotency key's fingerprint covers: the action and what it says.
    fn fingerprint(&self, id: &str) -> String {
        let (a, b) = match self {
            Action::Acknowledge { comment } => (comment.as_deref().unwrap_or_default(), ""),
            Action::Assign { assignee, comment } => {
                (assignee.as_str(), comment.as_deref().unwrap_or_default())
            }
            Action::Comment { text } => (text.as_str(), ""),
            Action::Resolve { comment } | Action::Reopen { comment } => (comment.as_str(), ""),
        };
        idempotency::fingerprint(&[
            b"incident",
            id.as_bytes(),
            self.name().as_bytes(),
            a.as_bytes(),
            b.as_bytes(),
        ])
    }

    fn name(&self) -> &'static str {
        match self {
            Action::Acknowledge { .. } => "acknowledge",
            Action::Assign { .. } => "assign",
            Action::Comment { .. } => "comment",
            Action::Resolve { .. } => "resolve",
            Action::Reopen { .. } => "reopen",
        }
    }

    /// The state the action leads to from `from`, or `None` where it keeps the state; `Err` when the
    /// state machine does not allow it.
    fn target(&self, from: IncidentState) -> Result<Option<IncidentState>, String> {
        use IncidentState::*;
        match (self, from) {
            (Action::Comment { .. }, _) => Ok(None),
            (Action::Acknowledge { .. }, Open | Reopened) => Ok(Some(Acknowledged)),
            (Action::Acknowledge { .. }, _) => {
                Err("only an open or reopened incident can be acknowledged".into())
            }
            (Action::Assign { .. }, Open | Reopened | Acknowledged | Assigned) => Ok(Some(Assigned)),
            (Action::Assign { .. }, _) => {
                Err("a resolved incident is not assigned; it reopens when its check fails again".into())
            }
            (Action::Resolve { .. }, Acknowledged | Assigned) => Ok(Some(Resolved)),
            (Action::Resolve { .. }, Open | Reopened) => {
                Err("acknowledge the incident before resolving it, so the timeline shows who looked".into())
            }
            (Action::Resolve { .. }, Resolved) => Err("the incident is already resolved".into()),
            (Action::Reopen { .. }, Resolved) => Ok(Some(Reopened)),
            (Action::Reopen { .. }, _) => Err("only a resolved incident can be reopened".into()),
        }
    }
}

/// Moves an incident: stewards of its domain acknowledge, assign, resolve and reopen; they and the
/// domain's owners comment; everyone else is refused (403). A transition the state machine does not
/// allow is 409 naming the current state.
///
/// With an idempotency `key`, the action is carried out once: sent again with the key, it answers
/// the incident as the first one left it (`true`: a replay) and changes nothing.
pub async fn act(
    state: &AppState,
    caller: &Caller,
    id: &str,
    action: Action,
    key: Option<&str>,
) -> Result<(Incident, bool), ApiError> {
    let key = idempotency::key_check(key, false)?;
    let print = action.fingerprint(id);
    if let Some(key) = &key {
        let mut conn = state.store().pool().acquire().await?;
        if let Some(stored) = idempotency::lookup(&mut conn, &caller.user, key, &print).await? {
            let incident = serde_json::from_value(stored.response).map_err(ApiError::internal)?;
            return Ok((incident, true));
        }
    }
    let incident = get(state, id).await?;
    let domain = incident.domain.clone();
    let steward = caller.has(Role::Steward, &domain);
    let allowed = match action {
        Action::Comment { .. } => steward || caller.has(Role::Owner, &domain),
        _ => steward,
    };
    if !allowed {
        let who = if matches!(action, Action::Comment { .. }) {
            "a steward or an owner"
        } else {
            "a steward"
        };
        return Err(ApiError::forbidden(format!(
            "`{}` is not {who} of domain `{domain}`, so may not {} its incidents",
            caller.user,
            action.name()
        )));
    }
    let text = |field: &str, value: &str| -> Result<(), ApiError> {
        if value.trim().is_empty() {
            Err(ApiError::unprocessable(
                "invalid-body",
                "The body does not fit the operation's schema",
                format!("`{field}` is empty; say what was done or found"),
            ))
        } else {
            Ok(())
        }
    };
    match &action {
        Action::Comment { text: t } => text("text", t)?,
        Action::Resolve { comment } | Action::Reopen { comment } => text("comment", comment)?,
        Action::Assign { assignee, .. } => {
            let grants = user_grants(state.store(), assignee).await?;
            let can = grants.iter().any(|g| {
                matches!(g.role, Role::Steward | Role::Owner)
                    && (g.domain == "*" || g.domain.eq_ignore_ascii_case(&domain))
            });
            if !can {
                return Err(ApiError::unprocessable(
                    "invalid-assignee",
                    "The incident cannot be assigned to that user",
                    format!(
                        "`assignee` is `{assignee}`, who is not a steward or owner of domain `{domain}`; assign a user who is"
                    ),
                ));
            }
        }
        Action::Acknowledge { .. } => {}
    }
    let target = action.target(incident.state).map_err(|why| {
        ApiError::invalid_state(
            incident.state.as_str(),
            format!("incident {id} is {}; {why}", incident.state),
        )
    })?;
    let now = now_ms();
    let mut tx = state.store().write().await?;
    let from = incident.state;
    if let Some(to) = target {
        let assignee = match &action {
            Action::Assign { assignee, .. } => Some(assignee.clone()),
            _ => incident.assignee.clone(),
        };
        let changed = sqlx::query(
            "UPDATE incidents SET state = $1, assignee = $2, updated_at = $3, \
             resolved_at = CASE WHEN $1 = 'resolved' THEN $3 ELSE resolved_at END WHERE id = $4 AND state = $5",
        )
        .bind(to.as_str())
        .bind(assignee)
        .bind(now)
        .bind(id)
        .bind(from.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            tx.rollback().await?;
            let current = get(state, id).await?.state;
            return Err(ApiError::invalid_state(
                current.as_str(),
                "the incident changed meanwhile; look again",
            ));
        }
    } else {
        sqlx::query("UPDATE incidents SET updated_at = $1 WHERE id = $2")
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    let (verb, comment) = match &action {
        Action::Acknowledge { comment } => ("acknowledged", comment.clone()),
        Action::Assign { assignee, comment } => (
            "assigned",
            Some(match comment {
                Some(c) => format!("to {assignee}: {c}"),
                None => format!("to {assignee}"),
            }),
        ),
        Action::Comment { text } => ("commented", Some(text.clone())),
        Action::Resolve { comment } => ("resolved", Some(comment.clone())),
        Action::Reopen { comment } => ("reopened", Some(comment.clone())),
    };
    event_append(
        &mut tx,
        id,
        now,
        &caller.user,
        verb,
        target.map(|_| from),
        target,
        comment.as_deref(),
    )
    .await?;
    catalog::audit_append(
        &mut *tx,
        Audit {
            actor: &caller.user,
            action: &format!("incident.{}", action.name()),
            target: id,
            request_id: &caller.request_id,
            outcome: "succeeded",
            detail: comment,
        },
    )
    .await?;
    changed(&mut tx, id).await?;
    let after = read(&mut tx, id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no incident `{id}`")))?;
    if let Some(key) = &key {
        let stored = idempotency::Stored {
            status: 200,
            location: None,
            response: serde_json::to_value(&after).map_err(ApiError::internal)?,
        };
        if !idempotency::store(&mut tx, &caller.user, key, &print, &stored).await? {
            // The same key was carried out meanwhile (a retry raced its first send).
            tx.rollback().await?;
            let mut conn = state.store().pool().acquire().await?;
            let stored = idempotency::lookup(&mut conn, &caller.user, key, &print)
                .await?
                .ok_or_else(idempotency::in_flight)?;
            let incident = serde_json::from_value(stored.response).map_err(ApiError::internal)?;
            return Ok((incident, true));
        }
    }
    tx.commit().await?;
    Ok((after, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_state_machine_allows_only_its_transitions() {
        use IncidentState::*;
        let ack = Action::Acknowledge { comment: None };
        let assign = Action::Assign {
            assignee: "sam".into(),
            comment: None,
        };
        let resolve = Action::Resolve {
            comment: "fixed".into(),
        };
        let comment = Action::Comment {
            text: "looking".into(),
        };
        let reopen = Action::Reopen {
            comment: "it failed again by hand".into(),
        };
        let table = [
            (&ack, [Some(Acknowledged), None, None, None, Some(Acknowledged)]),
            (
                &assign,
                [
                    Some(Assigned),
                    Some(Assigned),
                    Some(Assigned),
                    None,
                    Some(Assigned),
                ],
            ),
            (&resolve, [None, Some(Resolved), Some(Resolved), None, None]),
            (&reopen, [None, None, None, Some(Reopened), None]),
        ];
        for (action, expected) in table {
            for (from, want) in IncidentState::ALL.iter().zip(expected) {
                assert_eq!(
                    action.target(*from).ok().flatten(),
                    want,
                    "{} from {from}",
                    action.name()
                );
                assert_eq!(
                    action.target(*from).is_err(),
                    want.is_none(),
                    "{} from {from}",
                    action.name()
                );
            }
        }
        for from in IncidentState::ALL {
            assert_eq!(comment.target(*from), Ok(None), "comments keep the state");
        }
    }
}
