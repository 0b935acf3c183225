//! Access to output ports, through the platform: a consumer asks (with a purpose, until a date or
//! without end), the owners of the product's domain approve, reject or revoke, and a grant holder
//! reads a SQLite port's rows. Each needs the platform: offline, the error says so and nothing is
//! sent later behind the user's back.

use meshport_client::{Client, RowsQuery};
use meshport_model::trust::{AccessRequest, PortRows};

use crate::{Error, Result};

/// What an owner decides on a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Approve,
    Reject,
    Revoke,
}

/// Asks for access to `output_port` of `product_id` for `purpose`, until `until` (a date,
/// `YYYY-MM-DD`, or RFC 3339) or without end.
pub async fn access_request(
    client: &Client,
    product_id: &str,
    output_port: &str,
    purpose: &str,
    until: Option<&str>,
) -> Result<AccessRequest> {
    if purpose.trim().is_empty() {
        return Err(Error::Invalid(
            "`purpose` is empty: say what the data will be used for; the owners decide on it".into(),
        ));
    }
    let until = until
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(until_time)
        .transpose()?;
    Ok(client
        .access_request(product_id, output_port, purpose.trim(), until.as_deref())
        .await?)
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
