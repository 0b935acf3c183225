//! Actions on incidents, taken in the window or the CLI whether or not the platform answers: each
//! is queued in the local store with an idempotency key fixed when the user acts, and
//! [`actions_flush`] delivers the queue in the order it was taken. The platform carries each key out
//! once, so a send repeated after a crash or a lost answer does nothing twice. An action that meets
//! a changed incident (409) is kept as a conflict with the incident's state, so nothing typed is lost.

use meshport_catalog::LocalStore;
use meshport_client::Client;
use meshport_model::offline::{ActionItem, ActionState};
use meshport_model::trust::{IncidentAction, IncidentState};

use crate::{Error, Result};

/// Checks `action` and queues it on the incident `incident_id` for `profile`.
pub async fn incident_act(
    store: &LocalStore,
    profile: &str,
    incident_id: &str,
    action: &IncidentAction,
) -> Result<ActionItem> {
    if incident_id.trim().is_empty() {
        return Err(Error::Invalid("the incident id is empty".into()));
    }
    if let Some((field, text)) = action.required_text()
        && text.trim().is_empty()
    {
        let fix = match field {
            "assignee" => "name the steward or owner of the domain who takes it",
            "text" => "write the comment",
            _ => "say what was found and done, or why it is not over",
        };
        return Err(Error::Invalid(format!(
            "`{field}` is empty: {fix} before you {} the incident",
            action.name()
        )));
    }
    Ok(store.action_add(profile, incident_id, action).await?)
}

/// The actions of `profile` on one incident (or all), in the order they were taken.
pub async fn actions_list(
    store: &LocalStore,
    profile: &str,
    incident_id: Option<&str>,
) -> Result<Vec<ActionItem>> {
    Ok(store.actions_list(profile, incident_id).await?)
}

/// Forgets a conflict or refusal the user has read.
pub async fn action_dismiss(store: &LocalStore, profile: &str, id: &str) -> Result<()> {
    if store.action_dismiss(profile, id).await? {
        Ok(())
    } else {
        Err(Error::Invalid(format!(
            "there is no answered action `{id}` to dismiss (a queued action is still on its way)"
        )))
    }
}

/// What a flush of the actions did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActionsFlushed {
    pub delivered: usize,
    pub conflicts: usize,
    pub refused: usize,
    /// Whether the platform could not be reached (what was queued stays queued).
    pub offline: bool,
}

/// Sends the queued actions of `profile`, oldest first; stops at the first unreachable send.
pub async fn actions_flush(store: &LocalStore, profile: &str, client: &Client) -> Result<ActionsFlushed> {
    let mut flushed = ActionsFlushed::default();
    for item in store.actions_queued(profile).await? {
        match client
            .incident_apply(&item.incident_id, &item.action, &item.idempotency_key)
            .await
        {
            Ok(incident) => {
                tracing::info!(action = %item.id, incident = %incident.id, state = %incident.state, "action delivered");
                store
                    .action_answered(&item.id, ActionState::Delivered, None, None)
                    .await?;
                flushed.delivered += 1;
            }
            Err(error) if error.is_unreachable() => {
                store
                    .action_answered(&item.id, ActionState::Queued, Some(&error.to_string()), None)
                    .await?;
                flushed.offline = true;
                return Ok(flushed);
            }
            Err(error) if error.is("invalid-state") => {
                let current = error
                    .problem()
                    .and_then(|p| p.current_state.as_deref())
                    .and_then(IncidentState::parse);
                let detail = crate::Error::from(error).summary();
                tracing::info!(action = %item.id, ?current, "action met a changed incident");
                store
                    .action_answered(&item.id, ActionState::Conflict, Some(&detail), current)
                    .await?;
                flushed.conflicts += 1;
            }
            // Another send of the same key still running, or the platform failing: try later.
            Err(error) if error.status().is_some_and(|s| s == 409 || s >= 500) => {
                store
                    .action_answered(&item.id, ActionState::Queued, Some(&error.to_string()), None)
                    .await?;
            }
            Err(error) => {
                let detail = crate::Error::from(error).summary();
                tracing::warn!(action = %item.id, detail, "the platform refused the action");
                store
                    .action_answered(&item.id, ActionState::Refused, Some(&detail), None)
                    .await?;
                flushed.refused += 1;
            }
        }
    }
    Ok(flushed)
}
