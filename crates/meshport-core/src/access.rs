//! Access to output ports, through the platform: a consumer asks (with a purpose, until a date or
//! without end), the owners of the product's domain approve, reject or revoke, and a grant holder
//! reads a SQLite port's rows.
//!
//! Asking works offline: [`access_ask`] keeps the request in the local store with an idempotency key
//! fixed when the user asked, sends it at once if the platform answers, and otherwise leaves it
//! queued for [`access_flush`] (the sync's every round). The platform makes one request per key, so a
//! send repeated after a crash or a lost answer asks once. Deciding and reading rows need the
//! platform: offline, the error says so and nothing is sent later behind the owner's back.

use meshport_catalog::LocalStore;
use meshport_catalog::local::NewAccessAsk;
use meshport_client::{Client, RowsQuery};
use meshport_model::offline::{AccessAsk, AccessAsked, ActionState};
use meshport_model::trust::{AccessRequest, PortRows};

use crate::actions::ActionsFlushed;
use crate::{Error, Result};

/// What an owner decides on a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Approve,
    Reject,
    Revoke,
}

/// What a user asks for: a port of a product (its name as the cache knows it), for a purpose, until
/// a date or without end.
#[derive(Debug, Clone, Copy)]
pub struct Ask<'a> {
    pub product_id: &'a str,
    pub product_name: Option<&'a str>,
    pub output_port: &'a str,
    pub purpose: &'a str,
    /// A date (`YYYY-MM-DD`) or an RFC 3339 time.
    pub until: Option<&'a str>,
}

/// Checks what was asked: a purpose, an end date the platform reads.
fn ask_checked(ask: &Ask<'_>) -> Result<(String, Option<String>)> {
    if ask.purpose.trim().is_empty() {
        return Err(Error::Invalid(
            "`purpose` is empty: say what the data will be used for; the owners decide on it".into(),
        ));
    }
    for (field, value) in [("productId", ask.product_id), ("outputPort", ask.output_port)] {
        if value.trim().is_empty() {
            return Err(Error::Invalid(format!(
                "`{field}` is empty: open the product and ask on one of its output ports"
            )));
        }
    }
    let until = ask
        .until
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(until_time)
        .transpose()?;
    Ok((ask.purpose.trim().to_owned(), until))
}

/// Asks for access now, or once the platform answers: the request is kept in `store` for
/// `profile` with its idempotency key, then sent. Taken by the platform, it leaves the store and is
/// answered; with the platform out of reach (or busy) it stays queued for [`access_flush`]. A
/// refusal (403, 409, 422) leaves nothing queued and is the error, as the platform put it.
pub async fn access_ask(
    store: &LocalStore,
    profile: &str,
    client: &Client,
    ask: Ask<'_>,
) -> Result<AccessAsked> {
    let (purpose, until) = ask_checked(&ask)?;
    let queued = store
        .access_ask_add(
            profile,
            NewAccessAsk {
                product_id: ask.product_id,
                product_name: ask.product_name,
                output_port: ask.output_port,
                purpose: &purpose,
                until: until.as_deref(),
            },
        )
        .await?;
    match send(client, &queued).await {
        Sent::Taken(request) => {
            store.access_ask_remove(profile, &queued.id, true).await?;
            Ok(AccessAsked::Sent { request })
        }
        Sent::Later { why, .. } => {
            store
                .access_ask_answered(&queued.id, ActionState::Queued, &why)
                .await?;
            let ask = store
                .access_asks(profile)
                .await?
                .into_iter()
                .find(|a| a.id == queued.id)
                .unwrap_or(queued);
            Ok(AccessAsked::Queued { ask })
        }
        Sent::Refused(error) => {
            store.access_ask_remove(profile, &queued.id, true).await?;
            Err(error)
        }
    }
}

enum Sent {
    Taken(AccessRequest),
    /// Not answered (`unreachable`), or answered "not now": why, for the status.
    Later {
        why: String,
        unreachable: bool,
    },
    Refused(Error),
}

async fn send(client: &Client, ask: &AccessAsk) -> Sent {
    match client
        .access_request(
            &ask.product_id,
            &ask.output_port,
            &ask.purpose,
            ask.until.as_deref(),
            Some(&ask.idempotency_key),
        )
        .await
    {
        Ok(request) => Sent::Taken(request),
        Err(error) if error.is_unreachable() => Sent::Later {
            why: error.to_string(),
            unreachable: true,
        },
        // Another send of the same key still running, or the platform failing: try later.
        Err(error) if error.is("idempotency-key-in-flight") || error.status().is_some_and(|s| s >= 500) => {
            Sent::Later {
                why: error.to_string(),
                unreachable: false,
            }
        }
        Err(error) => Sent::Refused(Error::from(error)),
    }
}

/// Sends the queued access requests of `profile`, oldest first; stops at the first unreachable
/// send. One the platform refuses is kept, refused, with why, until the user dismisses it.
pub async fn access_flush(store: &LocalStore, profile: &str, client: &Client) -> Result<ActionsFlushed> {
    let mut flushed = ActionsFlushed::default();
    for ask in store.access_asks_queued(profile).await? {
        match send(client, &ask).await {
            Sent::Taken(request) => {
                tracing::info!(ask = %ask.id, request = %request.id, "access request delivered");
                store.access_ask_remove(profile, &ask.id, true).await?;
                flushed.delivered += 1;
            }
            Sent::Later { why, unreachable } => {
                store
                    .access_ask_answered(&ask.id, ActionState::Queued, &why)
                    .await?;
                if unreachable {
                    flushed.offline = true;
                    return Ok(flushed);
                }
            }
            Sent::Refused(error) => {
                let detail = error.summary();
                tracing::warn!(ask = %ask.id, detail, "the platform refused the access request");
                store
                    .access_ask_answered(&ask.id, ActionState::Refused, &detail)
                    .await?;
                flushed.refused += 1;
            }
        }
    }
    Ok(flushed)
}

/// The access requests of `profile` the platform has not taken (queued or refused), newest first.
pub async fn access_asks(store: &LocalStore, profile: &str) -> Result<Vec<AccessAsk>> {
    Ok(store.access_asks(profile).await?)
}

/// Forgets a refused access request the user has read.
pub async fn access_ask_dismiss(store: &LocalStore, profile: &str, id: &str) -> Result<()> {
    if store.access_ask_remove(profile, id, false).await? {
        Ok(())
    } else {
        Err(Error::Invalid(format!(
            "there is no refused access request `{id}` to dismiss (a queued one is still on its way)"
        )))
    }
}

/// A date (`2027-03-31`: access ends at the end of that day, UTC) or an RFC 3339 time, as the
/// platform takes it.
fn until_time(until: &str) -> Result<String> {
    let bytes = until.as_bytes();
    let is_date = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if is_date {
        return Ok(format!("{until}T23:59:59Z"));
    }
    if until.len() > 10 && until.as_bytes()[10] == b'T' {
        return Ok(until.to_owned());
    }
    Err(Error::Invalid(format!(
        "`until` is `{until}`: write a date as YYYY-MM-DD (access ends at the end of that day), or leave it empty"
    )))
}

/// Approves, rejects or revokes the request `id`, with an optional reason.
pub async fn access_decide(
    client: &Client,
    id: &str,
    verdict: Verdict,
    reason: Option<&str>,
) -> Result<AccessRequest> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    Ok(match verdict {
        Verdict::Approve => client.access_approve(id, reason).await?,
        Verdict::Reject => client.access_reject(id, reason).await?,
        Verdict::Revoke => client.access_revoke(id, reason).await?,
    })
}

/// The first `limit` rows (at most 100) of `table` of a SQLite port, keeping those whose `column`
/// equals each filter's value.
pub async fn port_rows(
    client: &Client,
    product_id: &str,
    port: &str,
    table: Option<&str>,
    filters: &[(String, String)],
    limit: u32,
) -> Result<PortRows> {
    let query = RowsQuery {
        table: table.map(str::to_owned),
        cursor: None,
        limit: Some(limit.clamp(1, 100)),
        filters: filters
            .iter()
            .filter(|(column, value)| !column.trim().is_empty() && !value.is_empty())
            .cloned()
            .collect(),
    };
    Ok(client.port_rows(product_id, port, &query).await?)
}

#[cfg(test)]
mod tests {
    use super::until_time;

    #[test]
    fn until_takes_a_date_or_a_time() {
        assert_eq!(until_time("2027-03-31").unwrap(), "2027-03-31T23:59:59Z");
        assert_eq!(
            until_time("2027-03-31T12:00:00Z").unwrap(),
            "2027-03-31T12:00:00Z"
        );
        let error = until_time("next week").unwrap_err().to_string();
        assert!(error.contains("YYYY-MM-DD"), "{error}");
    }
}
