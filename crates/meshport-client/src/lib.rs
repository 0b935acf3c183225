//! The typed client of the Meshport platform API: one method per path, the wire types of
//! `meshport_model::platform`, one [`Error`].
//!
//! Every call but [`Client::health`] and [`Client::openapi`] sends the bearer token. Each logical
//! call gets a fresh `X-Request-Id`, the same on each of its retries, so the platform's logs and audit
//! log can be matched with the client's (`tracing`, target `meshport_client`). Only calls that are
//! safe to repeat are retried: GETs, and POSTs carrying an `Idempotency-Key`, on connection errors
//! and 502/503/504 (and, for a keyed POST, 409 `idempotency-key-in-flight`), with [`Backoff`].

mod error;
mod retry;
mod secret;

use std::time::{Duration, Instant};

use meshport_model::ProvisioningRequest;
use meshport_model::platform::{
    AuditEntry, ChangePage, Health, Page, PolicyPack, Problem, ProductEntry, ProductVersion, ProvisioningJob,
    UserRoles,
};
use meshport_model::trust::{
    AccessRequest, AccessState, Incident, IncidentAction, IncidentState, LineageGraph, PortRows,
    QualityReport, QualityRun,
};
use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode, Url};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

pub use error::{Error, Result};
pub use retry::Backoff;
pub use secret::Secret;

const REQUEST_ID: &str = "x-request-id";
const IDEMPOTENCY_KEY: &str = "idempotency-key";
const IDEMPOTENT_REPLAYED: &str = "idempotent-replayed";
/// How long a quality run's answer may take: its checks run one after another on the data, each
/// within the platform's query limit.
const QUALITY_RUN_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// How patient the client is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// The longest a connection may take to open.
    pub connect_timeout: Duration,
    /// The longest one attempt may take, from sending to the end of the answer's body.
    pub timeout: Duration,
    /// Retries of the calls that are safe to repeat.
    pub backoff: Backoff,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            backoff: Backoff::default(),
        }
    }
}

/// A filter of `GET /v1/products`; fields left `None` are not sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductQuery {
    pub domain: Option<String>,
    pub status: Option<String>,
    /// Free text, matched by the platform against names, purposes and tags.
    pub q: Option<String>,
    /// The `nextCursor` of the previous page.
    pub cursor: Option<String>,
    pub limit: Option<u32>,
}

/// Which rows of a port table `GET /v1/products/{id}/ports/{port}/rows` reads; fields left `None`
/// are not sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowsQuery {
    /// The table; required when the port has several.
    pub table: Option<String>,
    /// The `nextCursor` of the previous page.
    pub cursor: Option<String>,
    pub limit: Option<u32>,
    /// Column and value pairs the rows must equal, sent as `column=value`. A column named `table`,
    /// `cursor` or `limit` cannot be filtered on: the platform reads those names as the paging
    /// parameters.
    pub filters: Vec<(String, String)>,
}

/// The largest page of a list the platform gives (`limit`): what the calls reading a whole list ask.
const PAGE_MAX: u32 = 1000;
/// The most runs one page of a quality report's history holds.
const REPORT_PAGE_MAX: u32 = 2000;

/// Which part of a product's quality history `GET /v1/products/{id}/quality` reads; fields left
/// `None` are not sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportQuery {
    /// The window: runs of the last `days` days.
    pub days: Option<u32>,
    /// The report's `nextCursor`: the runs before the previous page's.
    pub cursor: Option<String>,
    /// Runs per page: the trend of the last `limit` runs.
    pub limit: Option<u32>,
}

/// A filter of `GET /v1/incidents`; fields left `None` are not sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IncidentQuery {
    pub domain: Option<String>,
    /// A product's id.
    pub product: Option<String>,
    pub state: Option<IncidentState>,
    pub assignee: Option<String>,
    /// The `nextCursor` of the previous page.
    pub cursor: Option<String>,
    pub limit: Option<u32>,
}

/// A filter of `GET /v1/access-requests`; fields left `None` are not sent. The platform lists only
/// the requests the caller may see: their own, their domains' as owner or steward, all as admin.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccessQuery {
    pub state: Option<AccessState>,
    /// A product's id.
    pub product: Option<String>,
    /// The user who asked.
    pub consumer: Option<String>,
    pub domain: Option<String>,
    /// The `nextCursor` of the previous page.
    pub cursor: Option<String>,
    pub limit: Option<u32>,
}

/// What the platform answered to a submission: the job, where it lives, and whether the platform
/// had already accepted this idempotency key with this body (`Idempotent-Replayed: true`), in which
/// case the job is the one the first submission created.
#[derive(Debug, Clone, PartialEq)]
pub struct Submitted {
    pub job: ProvisioningJob,
    /// The job's absolute URL (the `Location` header, resolved against the base URL).
    pub url: String,
    pub replayed: bool,
}

/// A client of one platform, with one token. Cheap to clone: clones share the connection pool.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base: Url,
    /// `Bearer <token>`, marked sensitive so that even `http`'s own `Debug` hides it.
    authorization: HeaderValue,
    options: Options,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.base.as_str())
            .field("authorization", &"[redacted]")
            .field("options", &self.options)
            .finish()
    }
}

/// Whether a call may be sent again when it got no answer or a transient one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Repeat {
    /// Not safe: a POST without a key could act twice.
    Never,
    /// A GET.
    Safe,
    /// A POST with an `Idempotency-Key`: the platform replays it, or says it is still in flight.
    Keyed,
}

/// One logical call, before it is sent.
struct Call {
    method: Method,
    url: Url,
    body: Option<Vec<u8>>,
    idempotency_key: Option<String>,
    authorized: bool,
    /// How long this call may wait for its answer, when not the client's `timeout`.
    timeout: Option<Duration>,
}

/// An answer read whole.
struct Answer {
    method: Method,
    path: String,
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Client {
    /// A client of the platform at `base_url` (e.g. `http://127.0.0.1:8080`) with default
    /// [`Options`].
    pub fn new(base_url: &str, token: Secret) -> Result<Client> {
        Client::with_options(base_url, token, Options::default())
    }

    pub fn with_options(base_url: &str, token: Secret, options: Options) -> Result<Client> {
        let base = Url::parse(base_url).map_err(|e| {
            Error::Config(format!(
                "`{base_url}` is not a platform URL ({e}): write it as http://HOST:PORT or https://HOST"
            ))
        })?;
        if !matches!(base.scheme(), "http" | "https") || base.cannot_be_a_base() {
            return Err(Error::Config(format!(
                "`{base_url}` is not a platform URL: write it as http://HOST:PORT or https://HOST"
            )));
        }
        if token.is_empty() {
            return Err(Error::Config("the platform token is empty".into()));
        }
        let mut authorization =
            HeaderValue::from_str(&format!("Bearer {}", token.expose_secret())).map_err(|_| {
                Error::Config("the platform token holds characters an HTTP header cannot carry".into())
            })?;
        authorization.set_sensitive(true);
        // reqwest's rustls backend takes the process's default crypto provider; ring it is, unless
        // the program installed another first (then that one stays, hence the ignored result).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .user_agent(concat!("meshport/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(options.connect_timeout)
            .timeout(options.timeout)
            .build()
            .map_err(|e| Error::Config(format!("cannot set up the HTTP client: {e}")))?;
        Ok(Client {
            http,
            base,
            authorization,
            options,
        })
    }

    /// The platform's base URL, as given.
    pub fn base_url(&self) -> &str {
        self.base.as_str()
    }

    /// The absolute URL of the provisioning request `id`.
    pub fn request_url(&self, id: &str) -> String {
        self.url(&["v1", "provisioning-requests", id]).into()
    }

    /// `GET /v1/health`, without the token.
    pub async fn health(&self) -> Result<Health> {
        let call = self.get(&["v1", "health"]).anonymous();
        decode(self.send(call).await?)
    }

    /// `GET /v1/openapi.json`, without the token: the platform's OpenAPI document.
    pub async fn openapi(&self) -> Result<Value> {
        let call = self.get(&["v1", "openapi.json"]).anonymous();
        decode(self.send(call).await?)
    }

    /// `GET /v1/me`: the caller (the token's user) and the roles they hold.
    pub async fn me(&self) -> Result<UserRoles> {
        decode(self.send(self.get(&["v1", "me"])).await?)
    }

    /// `GET /v1/products`: one page of the platform's catalog.
    pub async fn products_list(&self, query: &ProductQuery) -> Result<Page<ProductEntry>> {
        let mut call = self.get(&["v1", "products"]);
        {
            let mut pairs = call.url.query_pairs_mut();
            for (name, value) in [
                ("domain", &query.domain),
                ("status", &query.status),
                ("q", &query.q),
                ("cursor", &query.cursor),
            ] {
                if let Some(value) = value {
                    pairs.append_pair(name, value);
                }
            }
            if let Some(limit) = query.limit {
                pairs.append_pair("limit", &limit.to_string());
            }
        }
        tidy_query(&mut call.url);
        decode(self.send(call).await?)
    }

    /// `GET /v1/products/{id}`: the product's ODPS document.
    pub async fn product_get(&self, id: &str) -> Result<Value> {
        decode(self.send(self.get(&["v1", "products", id])).await?)
    }

    /// `GET /v1/products/{id}/versions?cursor=&limit=`: one page of the versions the platform
    /// registered, oldest first, each with its document.
    pub async fn product_versions_page(
        &self,
        id: &str,
        cursor: Option<&str>,
        limit: Option<u32>,
    ) -> Result<Page<ProductVersion>> {
        let call = self.get_page(&["v1", "products", id, "versions"], cursor, limit);
        decode(self.send(call).await?)
    }

    /// Every version of a product the platform registered, oldest first: every page of
    /// [`Client::product_versions_page`].
    pub async fn product_versions(&self, id: &str) -> Result<Vec<ProductVersion>> {
        let mut versions = Vec::new();
        let mut cursor = None;
        loop {
            let page = self
                .product_versions_page(id, cursor.as_deref(), Some(PAGE_MAX))
                .await?;
            versions.extend(page.items);
            if !follow(&mut cursor, page.next_cursor) {
                return Ok(versions);
            }
        }
    }

    /// `GET /v1/contracts/{id}`: the contract's ODCS document.
    pub async fn contract_get(&self, id: &str) -> Result<Value> {
        decode(self.send(self.get(&["v1", "contracts", id])).await?)
    }

    /// `POST /v1/provisioning-requests`: submits a provisioning request. Sending the same request
    /// with the same key again is safe: the platform answers with the first submission's job.
    pub async fn request_submit(
        &self,
        request: &ProvisioningRequest,
        idempotency_key: &str,
    ) -> Result<Submitted> {
        self.submit_body(request, idempotency_key).await
    }

    /// [`Client::request_submit`] of a document as the user wrote it (read from YAML or JSON), so
    /// that the platform's checks, not the model's deserializer, judge it, and its findings point
    /// into the user's file.
    pub async fn request_submit_document(
        &self,
        document: &Value,
        idempotency_key: &str,
    ) -> Result<Submitted> {
        self.submit_body(document, idempotency_key).await
    }

    async fn submit_body(&self, body: &impl Serialize, idempotency_key: &str) -> Result<Submitted> {
        let call = self
            .post(&["v1", "provisioning-requests"], Some(body))?
            .keyed(Some(idempotency_key));
        let answer = self.send(call).await?;
        self.submitted(answer)
    }

    /// `GET /v1/provisioning-requests/{id}`.
    pub async fn request_get(&self, id: &str) -> Result<ProvisioningJob> {
        decode(self.send(self.get(&["v1", "provisioning-requests", id])).await?)
    }

    /// `POST /v1/provisioning-requests/{id}/cancel`: a queued job is cancelled at once, a running one
    /// at its next step (`cancelRequested`). Not retried.
    pub async fn request_cancel(&self, id: &str) -> Result<ProvisioningJob> {
        let call = self.post(&["v1", "provisioning-requests", id, "cancel"], None::<&()>)?;
        decode(self.send(call).await?)
    }

    /// `POST /v1/provisioning-requests/{id}/retry`: runs a failed job again. Not retried.
    pub async fn request_retry(&self, id: &str) -> Result<ProvisioningJob> {
        let call = self.post(&["v1", "provisioning-requests", id, "retry"], None::<&()>)?;
        decode(self.send(call).await?)
    }

    /// `POST /v1/products/{id}/unprovision`: starts a job of kind `unprovision`. With a key the
    /// call is retried and may be repeated safely; without one it is sent once.
    pub async fn product_unprovision(&self, id: &str, idempotency_key: Option<&str>) -> Result<Submitted> {
        let call = self
            .post(&["v1", "products", id, "unprovision"], None::<&()>)?
            .keyed(idempotency_key);
        let answer = self.send(call).await?;
        self.submitted(answer)
    }

    /// `GET /v1/changes?after=SEQ&limit=N`: the changes after `after` (0 for all).
    pub async fn changes_list(&self, after: i64, limit: Option<u32>) -> Result<ChangePage> {
        let mut call = self.get(&["v1", "changes"]);
        {
            let mut pairs = call.url.query_pairs_mut();
            pairs.append_pair("after", &after.to_string());
            if let Some(limit) = limit {
                pairs.append_pair("limit", &limit.to_string());
            }
        }
        decode(self.send(call).await?)
    }

    /// `GET /v1/policy-packs?cursor=&limit=`: one page of the packs, by name, without their files
    /// ([`Client::policy_pack_get`] reads a pack's files).
    pub async fn policy_packs_page(
        &self,
        cursor: Option<&str>,
        limit: Option<u32>,
    ) -> Result<Page<PolicyPack>> {
        let call = self.get_page(&["v1", "policy-packs"], cursor, limit);
        decode(self.send(call).await?)
    }

    /// Every pack, by name, without their files: every page of [`Client::policy_packs_page`].
    pub async fn policy_packs_list(&self) -> Result<Vec<PolicyPack>> {
        let mut packs = Vec::new();
        let mut cursor = None;
        loop {
            let page = self.policy_packs_page(cursor.as_deref(), Some(PAGE_MAX)).await?;
            packs.extend(page.items);
            if !follow(&mut cursor, page.next_cursor) {
                return Ok(packs);
            }
        }
    }

    /// `GET /v1/policy-packs/{name}`: the pack with its Rego files.
    pub async fn policy_pack_get(&self, name: &str) -> Result<PolicyPack> {
        decode(self.send(self.get(&["v1", "policy-packs", name])).await?)
    }

    /// `PUT /v1/policy-packs/{name}`: publishes a version of `pack` under its name. Not retried:
    /// a publication must raise the version, so a repeat is not a no-op.
    pub async fn policy_pack_put(&self, pack: &PolicyPack) -> Result<PolicyPack> {
        let call = self.call(
            Method::PUT,
            &["v1", "policy-packs", &pack.name],
            Some(to_body(pack)?),
        );
        decode(self.send(call).await?)
    }

    /// `GET /v1/audit?cursor=&limit=`: one page of the audit log.
    pub async fn audit_list(&self, cursor: Option<&str>, limit: Option<u32>) -> Result<Page<AuditEntry>> {
        let mut call = self.get(&["v1", "audit"]);
        {
            let mut pairs = call.url.query_pairs_mut();
            if let Some(cursor) = cursor {
                pairs.append_pair("cursor", cursor);
            }
            if let Some(limit) = limit {
                pairs.append_pair("limit", &limit.to_string());
            }
        }
        tidy_query(&mut call.url);
        decode(self.send(call).await?)
    }

    /// `POST /v1/products/{id}/quality-runs`: runs the product's quality checks on its data now
    /// (stewards and owners of its domain). Not retried: each call is a run, with its own results
    /// and incident updates. 409 `not-provisioned` when the product has no provisioned port.
    pub async fn quality_run(&self, product_id: &str) -> Result<QualityRun> {
        let mut call = self.post(&["v1", "products", product_id, "quality-runs"], None::<&()>)?;
        // A run measures the data: each check may take up to the platform's query limit (120 s by
        // default), so the answer may take longer than an ordinary call's.
        call.timeout = Some(QUALITY_RUN_TIMEOUT.max(self.options.timeout));
        decode(self.send(call).await?)
    }

    /// `GET /v1/products/{id}/quality?days=&cursor=&limit=`: the latest result per check, the SLOs,
    /// the rules the platform does not run, and each check's history over one page of the runs of
    /// the last `days` days: the newest `limit` runs, or those before `cursor`.
    pub async fn quality_report_page(&self, product_id: &str, query: &ReportQuery) -> Result<QualityReport> {
        let mut call = self.get_page(
            &["v1", "products", product_id, "quality"],
            query.cursor.as_deref(),
            query.limit,
        );
        if let Some(days) = query.days {
            call.url.query_pairs_mut().append_pair("days", &days.to_string());
        }
        decode(self.send(call).await?)
    }

    /// [`Client::quality_report_page`] with the whole history of the last `days` days (the
    /// platform's default when `None`): every page, each check's points oldest first.
    pub async fn quality_report(&self, product_id: &str, days: Option<u32>) -> Result<QualityReport> {
        let mut query = ReportQuery {
            days,
            cursor: None,
            limit: Some(REPORT_PAGE_MAX),
        };
        let mut report = self.quality_report_page(product_id, &query).await?;
        let mut next = report.next_cursor.take();
        while follow(&mut query.cursor, next) {
            let older = self.quality_report_page(product_id, &query).await?;
            // Each page holds runs older than the one before it: its points go in front.
            for history in older.history {
                match report.history.iter_mut().find(|h| h.check == history.check) {
                    Some(known) => {
                        let newer = std::mem::replace(&mut known.points, history.points);
                        known.points.extend(newer);
                    }
                    None => report.history.push(history),
                }
            }
            next = older.next_cursor;
        }
        Ok(report)
    }

    /// `GET /v1/products/{id}/ports/{port}/rows`: one page of a SQLite port table's rows (holders of
    /// an active grant and the domain's owners; 403 for anyone else). On a PostgreSQL platform the
    /// answer is 409 `read-in-database`: the grant is a database role, read the schema directly.
    pub async fn port_rows(&self, product_id: &str, port: &str, query: &RowsQuery) -> Result<PortRows> {
        let mut call = self.get(&["v1", "products", product_id, "ports", port, "rows"]);
        {
            let mut pairs = call.url.query_pairs_mut();
            for (name, value) in [("table", &query.table), ("cursor", &query.cursor)] {
                if let Some(value) = value {
                    pairs.append_pair(name, value);
                }
            }
            if let Some(limit) = query.limit {
                pairs.append_pair("limit", &limit.to_string());
            }
            for (column, value) in &query.filters {
                pairs.append_pair(column, value);
            }
        }
        tidy_query(&mut call.url);
        decode(self.send(call).await?)
    }

    /// `GET /v1/incidents`: one page of quality incidents, newest first.
    pub async fn incidents_list(&self, query: &IncidentQuery) -> Result<Page<Incident>> {
        let mut call = self.get(&["v1", "incidents"]);
        {
            let mut pairs = call.url.query_pairs_mut();
            for (name, value) in [
                ("domain", query.domain.as_deref()),
                ("product", query.product.as_deref()),
                ("state", query.state.map(IncidentState::as_str)),
                ("assignee", query.assignee.as_deref()),
                ("cursor", query.cursor.as_deref()),
            ] {
                if let Some(value) = value {
                    pairs.append_pair(name, value);
                }
            }
            if let Some(limit) = query.limit {
                pairs.append_pair("limit", &limit.to_string());
            }
        }
        tidy_query(&mut call.url);
        decode(self.send(call).await?)
    }

    /// `GET /v1/incidents/{id}`: the incident with its timeline.
    pub async fn incident_get(&self, id: &str) -> Result<Incident> {
        decode(self.send(self.get(&["v1", "incidents", id])).await?)
    }

    /// `POST /v1/incidents/{id}/acknowledge`, with an optional comment (stewards of its domain).
    /// Not retried; 409 `invalid-state` unless the incident is open or reopened.
    pub async fn incident_acknowledge(&self, id: &str, comment: Option<&str>) -> Result<Incident> {
        let body = comment.map(|comment| json!({ "comment": comment }));
        self.incident_act(id, "acknowledge", body).await
    }

    /// `POST /v1/incidents/{id}/assign`: gives the incident to `assignee`, a steward or owner of its
    /// domain (stewards). Not retried.
    pub async fn incident_assign(&self, id: &str, assignee: &str, comment: Option<&str>) -> Result<Incident> {
        let mut body = json!({ "assignee": assignee });
        if let Some(comment) = comment {
            body["comment"] = comment.into();
        }
        self.incident_act(id, "assign", Some(body)).await
    }

    /// `POST /v1/incidents/{id}/comment` (stewards and owners of its domain). Not retried: a repeat
    /// would comment twice.
    pub async fn incident_comment(&self, id: &str, text: &str) -> Result<Incident> {
        self.incident_act(id, "comment", Some(json!({ "text": text })))
            .await
    }

    /// `POST /v1/incidents/{id}/resolve`, saying what was found and done (stewards). Not retried;
    /// 409 `invalid-state` unless the incident is acknowledged or assigned.
    pub async fn incident_resolve(&self, id: &str, comment: &str) -> Result<Incident> {
        self.incident_act(id, "resolve", Some(json!({ "comment": comment })))
            .await
    }

    /// `POST /v1/incidents/{id}/reopen`: opens a resolved incident again, saying why (stewards).
    /// Not retried; 409 `invalid-state` unless the incident is resolved.
    pub async fn incident_reopen(&self, id: &str, comment: &str) -> Result<Incident> {
        self.incident_act(id, "reopen", Some(json!({ "comment": comment })))
            .await
    }

    /// `POST /v1/incidents/{id}/{action}` with an `Idempotency-Key`: the platform carries the action
    /// out once however often it is sent, so it is retried like any keyed call. A 409
    /// `invalid-state` names the incident's state in its problem's `currentState`.
    pub async fn incident_apply(
        &self,
        id: &str,
        action: &IncidentAction,
        idempotency_key: &str,
    ) -> Result<Incident> {
        let body = action.body();
        let call = self
            .post(&["v1", "incidents", id, action.name()], Some(&body))?
            .keyed(Some(idempotency_key));
        decode(self.send(call).await?)
    }

    async fn incident_act(&self, id: &str, action: &str, body: Option<Value>) -> Result<Incident> {
        let call = self.post(&["v1", "incidents", id, action], body.as_ref())?;
        decode(self.send(call).await?)
    }

    /// `GET /v1/lineage?product=ID&depth=N`: the products `depth` steps upstream and downstream of
    /// `product_id` (the platform's default when `None`), the edges between their ports, and the
    /// consumers granted each output port.
    pub async fn lineage(&self, product_id: &str, depth: Option<u32>) -> Result<LineageGraph> {
        let mut call = self.get(&["v1", "lineage"]);
        {
            let mut pairs = call.url.query_pairs_mut();
            pairs.append_pair("product", product_id);
            if let Some(depth) = depth {
                pairs.append_pair("depth", &depth.to_string());
            }
        }
        decode(self.send(call).await?)
    }

    /// `POST /v1/access-requests`: asks for access to an output port, for `purpose`, until `until`
    /// (RFC 3339) or without end. With an `idempotency_key`, the platform asks once per key, so the
    /// call is retried on a transient answer; without one it is not (a repeat would ask twice).
    pub async fn access_request(
        &self,
        product_id: &str,
        output_port: &str,
        purpose: &str,
        until: Option<&str>,
        idempotency_key: Option<&str>,
    ) -> Result<AccessRequest> {
        let mut body = json!({
            "productId": product_id,
            "outputPort": output_port,
            "purpose": purpose,
        });
        if let Some(until) = until {
            body["until"] = until.into();
        }
        let call = self
            .post(&["v1", "access-requests"], Some(&body))?
            .keyed(idempotency_key);
        decode(self.send(call).await?)
    }

    /// `GET /v1/access-requests`: one page of the access requests the caller may see.
    pub async fn access_list(&self, query: &AccessQuery) -> Result<Page<AccessRequest>> {
        let mut call = self.get(&["v1", "access-requests"]);
        {
            let mut pairs = call.url.query_pairs_mut();
            for (name, value) in [
                ("state", query.state.map(AccessState::as_str)),
                ("product", query.product.as_deref()),
                ("consumer", query.consumer.as_deref()),
                ("domain", query.domain.as_deref()),
                ("cursor", query.cursor.as_deref()),
            ] {
                if let Some(value) = value {
                    pairs.append_pair(name, value);
                }
            }
            if let Some(limit) = query.limit {
                pairs.append_pair("limit", &limit.to_string());
            }
        }
        tidy_query(&mut call.url);
        decode(self.send(call).await?)
    }

    /// `GET /v1/access-requests/{id}`.
    pub async fn access_get(&self, id: &str) -> Result<AccessRequest> {
        decode(self.send(self.get(&["v1", "access-requests", id])).await?)
    }

    /// `POST /v1/access-requests/{id}/approve`: approves and grants the access (owners of the
    /// domain, not the requester). Not retried.
    pub async fn access_approve(&self, id: &str, reason: Option<&str>) -> Result<AccessRequest> {
        self.access_decide(id, "approve", reason).await
    }

    /// `POST /v1/access-requests/{id}/reject` (owners of the domain). Not retried.
    pub async fn access_reject(&self, id: &str, reason: Option<&str>) -> Result<AccessRequest> {
        self.access_decide(id, "reject", reason).await
    }

    /// `POST /v1/access-requests/{id}/revoke`: takes granted access away (owners of the domain). Not
    /// retried.
    pub async fn access_revoke(&self, id: &str, reason: Option<&str>) -> Result<AccessRequest> {
        self.access_decide(id, "revoke", reason).await
    }

    async fn access_decide(&self, id: &str, verdict: &str, reason: Option<&str>) -> Result<AccessRequest> {
        let body = reason.map(|reason| json!({ "reason": reason }));
        let call = self.post(&["v1", "access-requests", id, verdict], body.as_ref())?;
        decode(self.send(call).await?)
    }

    /// The base URL with `segments` appended, each percent-encoded (an id holding `/` stays one
    /// segment). A base URL with a path (`https://host/platform`) keeps it.
    fn url(&self, segments: &[&str]) -> Url {
        let mut url = self.base.clone();
        url.set_query(None);
        url.set_fragment(None);
        url.path_segments_mut()
            .expect("checked in `with_options`: an http(s) URL is a base")
            .pop_if_empty()
            .extend(segments);
        url
    }

    fn call(&self, method: Method, segments: &[&str], body: Option<Vec<u8>>) -> Call {
        Call {
            method,
            url: self.url(segments),
            body,
            idempotency_key: None,
            authorized: true,
            timeout: None,
        }
    }

    fn get(&self, segments: &[&str]) -> Call {
        self.call(Method::GET, segments, None)
    }

    /// A GET of one page of a list: `?cursor=&limit=`, each when given.
    fn get_page(&self, segments: &[&str], cursor: Option<&str>, limit: Option<u32>) -> Call {
        let mut call = self.get(segments);
        {
            let mut pairs = call.url.query_pairs_mut();
            if let Some(cursor) = cursor {
                pairs.append_pair("cursor", cursor);
            }
            if let Some(limit) = limit {
                pairs.append_pair("limit", &limit.to_string());
            }
        }
        tidy_query(&mut call.url);
        call
    }

    fn post(&self, segments: &[&str], body: Option<&impl Serialize>) -> Result<Call> {
        let body = body.map(to_body).transpose()?;
        Ok(self.call(Method::POST, segments, body))
    }

    /// Sends `call`, retrying it as its method and key allow, and reads the answer whole. An answer
    /// that is an error status becomes [`Error::Problem`] (or [`Error::Decode`] when it is no problem
    /// document).
    async fn send(&self, call: Call) -> Result<Answer> {
        let repeat = match (&call.method, &call.idempotency_key) {
            (&Method::GET, _) => Repeat::Safe,
            (&Method::POST, Some(_)) => Repeat::Keyed,
            _ => Repeat::Never,
        };
        let attempts = match repeat {
            Repeat::Never => 1,
            Repeat::Safe | Repeat::Keyed => self.options.backoff.attempts.max(1),
        };
        let request_id = uuid::Uuid::new_v4().to_string();
        let method = call.method.clone();
        let path = call.url.path().to_owned();
        let mut attempt = 1;
        loop {
            let last = attempt >= attempts;
            let started = Instant::now();
            let outcome = self.attempt(&call, &request_id).await;
            let elapsed_ms = started.elapsed().as_millis() as u64;
            let answer = match outcome {
                Ok(answer) => answer,
                Err(error) => {
                    let transient = error.is_connect() || (error.is_request() && !error.is_timeout());
                    tracing::debug!(
                        target: "meshport_client",
                        %method, path, attempt, request_id, elapsed_ms, error = %reason(&error),
                        "no answer"
                    );
                    if last || !transient {
                        return Err(self.transport_error(&call, error));
                    }
                    self.pause(
                        &method,
                        &path,
                        attempt,
                        attempts,
                        &request_id,
                        None,
                        &reason(&error),
                    )
                    .await;
                    attempt += 1;
                    continue;
                }
            };
            tracing::debug!(
                target: "meshport_client",
                %method, path, status = answer.status.as_u16(), attempt, request_id, elapsed_ms,
                "answered"
            );
            if !last && transient_answer(&answer, repeat) {
                let wait = retry_after(&answer.headers);
                let why = format!("status {}", answer.status.as_u16());
                self.pause(&method, &path, attempt, attempts, &request_id, wait, &why)
                    .await;
                attempt += 1;
                continue;
            }
            if answer.status.is_client_error() || answer.status.is_server_error() {
                return Err(problem_of(answer));
            }
            return Ok(answer);
        }
    }

    /// One attempt of `call`: sends it and reads the body.
    async fn attempt(&self, call: &Call, request_id: &str) -> reqwest::Result<Answer> {
        let mut request = self
            .http
            .request(call.method.clone(), call.url.clone())
            .header(REQUEST_ID, request_id)
            .header(header::ACCEPT, "application/json, application/problem+json");
        if call.authorized {
            request = request.header(header::AUTHORIZATION, self.authorization.clone());
        }
        if let Some(key) = &call.idempotency_key {
            request = request.header(IDEMPOTENCY_KEY, key);
        }
        if let Some(body) = &call.body {
            request = request
                .header(header::CONTENT_TYPE, "application/json")
                .body(body.clone());
        }
        if let Some(timeout) = call.timeout {
            request = request.timeout(timeout);
        }
        let response = request.send().await?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await?.to_vec();
        Ok(Answer {
            method: call.method.clone(),
            path: call.url.path().to_owned(),
            status,
            headers,
            body,
        })
    }

    /// Waits before retry `attempt + 1`: the backoff's delay, or longer if the platform's
    /// `Retry-After` asks for it (never longer than the backoff's cap).
    #[allow(clippy::too_many_arguments)] // every one is logged; a struct would only rename them
    async fn pause(
        &self,
        method: &Method,
        path: &str,
        attempt: u32,
        attempts: u32,
        request_id: &str,
        retry_after: Option<Duration>,
        why: &str,
    ) {
        let mut delay = self.options.backoff.delay(attempt);
        if let Some(asked) = retry_after {
            delay = delay.max(asked.min(self.options.backoff.max));
        }
        tracing::warn!(
            target: "meshport_client",
            %method, path, attempt, request_id, delay_ms = delay.as_millis() as u64,
            "{why}; trying again ({} of {attempts})", attempt + 1
        );
        tokio::time::sleep(delay).await;
    }

    fn transport_error(&self, call: &Call, error: reqwest::Error) -> Error {
        let url = call.url.to_string();
        if error.is_timeout() {
            let (what, after) = if error.is_connect() {
                ("connect", self.options.connect_timeout)
            } else {
                ("answer", call.timeout.unwrap_or(self.options.timeout))
            };
            return Error::Timeout {
                url,
                what,
                after,
                source: error,
            };
        }
        Error::Transport {
            url,
            reason: reason(&error),
            source: error,
        }
    }

    /// A 2xx answer to a submission or an unprovision: the job, its URL, whether it was a replay.
    fn submitted(&self, answer: Answer) -> Result<Submitted> {
        let replayed = answer
            .headers
            .get(IDEMPOTENT_REPLAYED)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
        let location = answer
            .headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| self.base.join(v).ok());
        let job: ProvisioningJob = decode(answer)?;
        let url = location.map_or_else(|| self.request_url(&job.id), String::from);
        Ok(Submitted { job, url, replayed })
    }
}

impl Call {
    fn anonymous(mut self) -> Call {
        self.authorized = false;
        self
    }

    fn keyed(mut self, idempotency_key: Option<&str>) -> Call {
        self.idempotency_key = idempotency_key.map(str::to_owned);
        self
    }
}

/// Whether an answer is worth waiting out: 502/503/504 for any repeatable call, and 409
/// `idempotency-key-in-flight` for a keyed POST (the first submission is still being handled).
fn transient_answer(answer: &Answer, repeat: Repeat) -> bool {
    if repeat == Repeat::Never {
        return false;
    }
    match answer.status {
        StatusCode::BAD_GATEWAY | StatusCode::SERVICE_UNAVAILABLE | StatusCode::GATEWAY_TIMEOUT => true,
        StatusCode::CONFLICT if repeat == Repeat::Keyed => serde_json::from_slice::<Problem>(&answer.body)
            .is_ok_and(|p| p.slug() == "idempotency-key-in-flight"),
        _ => false,
    }
}

/// `Retry-After` in seconds (the HTTP-date form is not used by the platform).
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let seconds: u64 = headers
        .get(header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    Some(Duration::from_secs(seconds))
}

/// The problem an error answer carries, or [`Error::Decode`] when its body is none.
fn problem_of(answer: Answer) -> Error {
    match decode_problem(&answer.body) {
        Ok(mut problem) => {
            // The status line is the truth; a body that disagrees is the platform's bug, not ours.
            problem.status = answer.status.as_u16();
            Error::Problem {
                method: answer.method.to_string(),
                path: answer.path,
                problem: Box::new(problem),
            }
        }
        Err(message) => Error::Decode {
            method: answer.method.to_string(),
            path: answer.path,
            status: answer.status.as_u16(),
            expected: "a problem document (RFC 9457)".to_owned(),
            message: format!("{} ({message})", content_type(&answer.headers)),
        },
    }
}

fn decode_problem(body: &[u8]) -> std::result::Result<Problem, String> {
    serde_json::from_slice(body).map_err(|e| e.to_string())
}

/// The body of a successful answer as `T`.
fn decode<T: DeserializeOwned>(answer: Answer) -> Result<T> {
    serde_json::from_slice(&answer.body).map_err(|e| Error::Decode {
        method: answer.method.to_string(),
        path: answer.path,
        status: answer.status.as_u16(),
        expected: short_type_name::<T>(),
        message: e.to_string(),
    })
}

/// `Page<ProductEntry>` for `meshport_model::platform::Page<meshport_model::platform::ProductEntry>`.
fn short_type_name<T>() -> String {
    let full = std::any::type_name::<T>();
    let mut out = String::with_capacity(full.len());
    let mut word = String::new();
    for c in full.chars() {
        if c.is_alphanumeric() || c == '_' || c == ':' {
            word.push(c);
        } else {
            out.push_str(word.rsplit("::").next().unwrap_or_default());
            word.clear();
            out.push(c);
        }
    }
    out.push_str(word.rsplit("::").next().unwrap_or_default());
    out
}

fn content_type(headers: &HeaderMap) -> String {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map_or_else(|| "no content type".to_owned(), |v| v.to_owned())
}

fn to_body(value: &impl Serialize) -> Result<Vec<u8>> {
    serde_json::to_vec(value).map_err(|e| Error::Config(format!("cannot write the request body: {e}")))
}

/// Moves `cursor` on to a page's `next`; `false` at the last page. A platform that hands the same
/// cursor back would be followed forever: that ends the list too.
fn follow(cursor: &mut Option<String>, next: Option<String>) -> bool {
    match next {
        Some(next) if cursor.as_ref() != Some(&next) => {
            *cursor = Some(next);
            true
        }
        Some(next) => {
            tracing::warn!(cursor = %next, "the platform answered the cursor it was asked with; the list ends there");
            false
        }
        None => false,
    }
}

/// No `?` left dangling when no query parameter was added.
fn tidy_query(url: &mut Url) {
    if url.query() == Some("") {
        url.set_query(None);
    }
}

/// The innermost cause of a transport error, which says what happened (`Connection refused`,
/// `invalid peer certificate: UnknownIssuer`); the outer ones only repeat the URL.
fn reason(error: &reqwest::Error) -> String {
    let mut cause: &dyn std::error::Error = error;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, content_type: &str, body: &str) -> Answer {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_str(content_type).unwrap());
        Answer {
            method: Method::POST,
            path: "/v1/provisioning-requests".into(),
            status: StatusCode::from_u16(status).unwrap(),
            headers,
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn a_validation_problem_keeps_its_findings() {
        let body = r#"{
            "type": "urn:meshport:problem:validation-failed",
            "title": "The document was refused",
            "status": 422,
            "detail": "2 findings are errors",
            "instance": "/v1/provisioning-requests",
            "requestId": "8c1a…",
            "findings": [
                {"rule": "schema", "severity": "error", "path": "/product/name",
                 "message": "`name` is required", "hint": "Add a name."},
                {"rule": "global/owner", "severity": "warning", "path": "/product",
                 "message": "no owner", "hint": "Add an owner."}
            ]
        }"#;
        let error = problem_of(answer(422, "application/problem+json", body));
        assert_eq!(error.status(), Some(422));
        assert_eq!(error.slug(), Some("validation-failed"));
        assert!(error.is("validation-failed"));
        assert_eq!(error.code(), "validation-failed");
        assert_eq!(error.findings().len(), 2);
        assert_eq!(error.findings()[0].path, "/product/name");
        let problem = error.problem().unwrap();
        assert_eq!(problem.request_id.as_deref(), Some("8c1a…"));
        assert_eq!(
            error.to_string(),
            "POST /v1/provisioning-requests: 422 The document was refused: 2 findings are errors"
        );
    }

    #[test]
    fn an_invalid_state_problem_names_the_state_and_tolerates_new_members() {
        let body = r#"{"type": "urn:meshport:problem:invalid-state", "title": "Not now",
            "status": 409, "detail": "the job has succeeded", "currentState": "succeeded",
            "somethingNew": true}"#;
        let error = problem_of(answer(409, "application/problem+json", body));
        assert_eq!(error.slug(), Some("invalid-state"));
        assert_eq!(
            error.problem().unwrap().current_state.as_deref(),
            Some("succeeded")
        );
        assert!(error.findings().is_empty());
    }

    #[test]
    fn the_status_line_wins_over_the_body() {
        let body = r#"{"type": "urn:meshport:problem:not-found", "title": "Not found",
            "status": 200, "detail": "no such request"}"#;
        assert_eq!(
            problem_of(answer(404, "application/problem+json", body)).status(),
            Some(404)
        );
    }

    #[test]
    fn an_error_without_a_problem_is_undecodable_naming_path_and_status() {
        let error = problem_of(answer(502, "text/html", "<html>Bad gateway</html>"));
        assert!(matches!(error, Error::Decode { status: 502, .. }), "{error:?}");
        assert_eq!(error.code(), "decode");
        let text = error.to_string();
        assert!(text.contains("/v1/provisioning-requests"), "{text}");
        assert!(text.contains("502"), "{text}");
        assert!(text.contains("text/html"), "{text}");
    }

    #[test]
    fn an_unexpected_success_body_names_the_type_it_is_not() {
        let error = decode::<Page<ProductEntry>>(answer(200, "application/json", "[]")).unwrap_err();
        let text = error.to_string();
        assert!(text.contains("not Page<ProductEntry>"), "{text}");
        assert!(text.contains("answered 200"), "{text}");
    }

    #[test]
    fn only_safe_calls_wait_out_transient_answers() {
        let unavailable = answer(503, "application/problem+json", "{}");
        assert!(transient_answer(&unavailable, Repeat::Safe));
        assert!(transient_answer(&unavailable, Repeat::Keyed));
        assert!(!transient_answer(&unavailable, Repeat::Never));
        let in_flight = answer(
            409,
            "application/problem+json",
            r#"{"type": "urn:meshport:problem:idempotency-key-in-flight", "title": "In flight",
                "status": 409, "detail": "the first submission is still being handled"}"#,
        );
        assert!(transient_answer(&in_flight, Repeat::Keyed));
        assert!(!transient_answer(&in_flight, Repeat::Safe));
        let invalid_state = answer(
            409,
            "application/problem+json",
            r#"{"type": "urn:meshport:problem:invalid-state", "title": "Not now",
                "status": 409, "detail": "done"}"#,
        );
        assert!(!transient_answer(&invalid_state, Repeat::Keyed));
        assert!(!transient_answer(&answer(500, "text/plain", ""), Repeat::Safe));
    }

    #[test]
    fn paths_are_built_under_the_base_and_encoded() {
        let token = || Secret::new("t");
        let client = Client::new("http://127.0.0.1:8080", token()).unwrap();
        assert_eq!(
            client.request_url("pr_1"),
            "http://127.0.0.1:8080/v1/provisioning-requests/pr_1"
        );
        let prefixed = Client::new("https://mesh.example/platform/", token()).unwrap();
        assert_eq!(
            prefixed.url(&["v1", "products", "a/b c"]).as_str(),
            "https://mesh.example/platform/v1/products/a%2Fb%20c"
        );
        for bad in ["127.0.0.1:8080", "ftp://host", "not a url"] {
            let error = Client::new(bad, token()).unwrap_err();
            assert_eq!(error.code(), "config", "{bad}");
            assert!(error.to_string().contains(bad), "{error}");
        }
    }

    #[test]
    fn the_token_shows_in_no_debug_and_no_config_error() {
        let token = "tok_secret_value";
        let client = Client::new("http://127.0.0.1:8080", Secret::new(token)).unwrap();
        assert!(!format!("{client:?}").contains(token));
        let error = Client::new("http://127.0.0.1:8080", Secret::new(format!("{token}\n"))).unwrap_err();
        assert!(!error.to_string().contains(token), "{error}");
        assert!(!format!("{error:?}").contains(token), "{error:?}");
    }

    #[test]
    fn retry_after_in_seconds() {
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers), None);
        headers.insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(2)));
        headers.insert(
            header::RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
        );
        assert_eq!(retry_after(&headers), None);
    }

    /// A loopback server that answers every request 503 with a problem, closing the connection, and
    /// records each request's first line.
    fn unavailable_server() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
        use std::io::{BufRead, BufReader, Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = seen.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut first = String::new();
                reader.read_line(&mut first).unwrap();
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    reader.read_line(&mut line).unwrap();
                    if line.trim().is_empty() {
                        break;
                    }
                    if let Some((name, value)) = line.split_once(':')
                        && name.eq_ignore_ascii_case("content-length")
                    {
                        length = value.trim().parse().unwrap();
                    }
                }
                let mut body = vec![0; length];
                reader.read_exact(&mut body).unwrap();
                log.lock().unwrap().push(first.trim().to_owned());
                let problem = r#"{"type": "urn:meshport:problem:unavailable", "title": "Unavailable",
                    "status": 503, "detail": "try later"}"#;
                let answer = format!(
                    "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/problem+json\r\n\
                     content-length: {}\r\nconnection: close\r\n\r\n{problem}",
                    problem.len()
                );
                let _ = stream.write_all(answer.as_bytes());
            }
        });
        (url, seen)
    }

    /// A server that answers every request with 503 after `delay`.
    fn slow_server(delay: Duration) -> String {
        use std::io::{BufRead, BufReader, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    loop {
                        let mut line = String::new();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                            break;
                        }
                    }
                    std::thread::sleep(delay);
                    let problem = r#"{"type": "urn:meshport:problem:unavailable", "title": "Unavailable", "status": 503, "detail": "later"}"#;
                    let _ = write!(
                        stream,
                        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/problem+json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{problem}",
                        problem.len()
                    );
                });
            }
        });
        url
    }

    /// A quality run measures the data, so its answer may take longer than an ordinary call's: the
    /// CLI no longer gives up on a run whose checks take their time.
    #[tokio::test(flavor = "current_thread")]
    async fn a_quality_run_waits_longer_than_an_ordinary_call() {
        let url = slow_server(Duration::from_millis(600));
        let options = Options {
            timeout: Duration::from_millis(200),
            backoff: Backoff {
                attempts: 1,
                initial: Duration::from_millis(1),
                max: Duration::from_millis(1),
            },
            ..Options::default()
        };
        let client = Client::with_options(&url, Secret::new("t"), options).unwrap();
        let ordinary = client.incident_comment("i", "hello").await.unwrap_err();
        assert!(matches!(ordinary, Error::Timeout { .. }), "{ordinary:?}");
        let run = client.quality_run("p").await.unwrap_err();
        assert_eq!(run.status(), Some(503), "the run's answer arrived: {run:?}");
    }

    /// The trust calls follow the retry rules: their GETs are retried, their POSTs (which carry no
    /// idempotency key) are sent once; path segments and query values are encoded.
    #[tokio::test(flavor = "current_thread")]
    async fn trust_posts_are_sent_once_and_their_gets_retried() {
        let (url, seen) = unavailable_server();
        let options = Options {
            backoff: Backoff {
                attempts: 3,
                initial: Duration::from_millis(1),
                max: Duration::from_millis(5),
            },
            ..Options::default()
        };
        let client = Client::with_options(&url, Secret::new("t"), options).unwrap();
        let taken = || std::mem::take(&mut *seen.lock().unwrap());

        let error = client.incident_comment("inc 1/2", "hello").await.unwrap_err();
        assert_eq!(error.status(), Some(503));
        assert_eq!(taken(), ["POST /v1/incidents/inc%201%2F2/comment HTTP/1.1"]);
        assert_eq!(client.quality_run("p").await.unwrap_err().status(), Some(503));
        let revoked = client.access_revoke("ar_1", Some("done")).await;
        assert_eq!(revoked.unwrap_err().status(), Some(503));
        assert_eq!(
            taken(),
            [
                "POST /v1/products/p/quality-runs HTTP/1.1",
                "POST /v1/access-requests/ar_1/revoke HTTP/1.1"
            ]
        );

        let query = RowsQuery {
            table: Some("order_lines".into()),
            limit: Some(5),
            filters: vec![("channel".into(), "kiosk & café".into())],
            ..RowsQuery::default()
        };
        let error = client.port_rows("p", "order-lines", &query).await.unwrap_err();
        assert_eq!(error.status(), Some(503));
        let expected = "GET /v1/products/p/ports/order-lines/rows?table=order_lines&limit=5&channel=kiosk+%26+caf%C3%A9 HTTP/1.1";
        assert_eq!(
            taken(),
            [expected; 3],
            "a GET is retried up to the backoff's attempts"
        );
        let incidents = IncidentQuery {
            state: Some(IncidentState::Open),
            domain: Some("orders".into()),
            ..IncidentQuery::default()
        };
        assert!(client.incidents_list(&incidents).await.is_err());
        assert_eq!(taken()[0], "GET /v1/incidents?domain=orders&state=open HTTP/1.1");
        assert!(client.lineage("p", Some(2)).await.is_err());
        assert_eq!(taken()[0], "GET /v1/lineage?product=p&depth=2 HTTP/1.1");
    }

    /// A loopback server answering each GET with `answer(request target)` as JSON, recording the
    /// targets.
    fn json_server(answer: fn(&str) -> Value) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
        use std::io::{BufRead, BufReader, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = seen.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut first = String::new();
                reader.read_line(&mut first).unwrap();
                loop {
                    let mut line = String::new();
                    reader.read_line(&mut line).unwrap();
                    if line.trim().is_empty() {
                        break;
                    }
                }
                let target = first.split(' ').nth(1).unwrap_or_default().to_owned();
                let body = answer(&target).to_string();
                log.lock().unwrap().push(target);
                let reply = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
                     connection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(reply.as_bytes());
            }
        });
        (url, seen)
    }

    fn pack(name: &str) -> Value {
        json!({"name": name, "version": "1.0.0", "scope": "global", "files": {}})
    }

    /// The calls that read a whole list follow `nextCursor` page by page, asking the largest pages;
    /// a platform that hands back the cursor it was asked with ends the list rather than looping.
    #[tokio::test(flavor = "current_thread")]
    async fn whole_lists_follow_the_cursor_to_the_last_page() {
        let (url, seen) = json_server(|target| match target {
            "/v1/policy-packs?limit=1000" => json!({"items": [pack("a"), pack("b")], "nextCursor": "Yg"}),
            "/v1/policy-packs?cursor=Yg&limit=1000" => json!({"items": [pack("c")], "nextCursor": "Yw"}),
            "/v1/policy-packs?cursor=Yw&limit=1000" => json!({"items": []}),
            "/v1/policy-packs?cursor=Yg&limit=5" => json!({"items": [pack("c")]}),
            "/v1/products/p/versions?limit=1000" => json!({"items": [], "nextCursor": "again"}),
            "/v1/products/p/versions?cursor=again&limit=1000" => json!({
                "items": [{"version": "1.0.0", "registeredAt": "2026-01-01T00:00:00Z", "product": {}}],
                "nextCursor": "again"
            }),
            other => panic!("unexpected {other}"),
        });
        let client = Client::new(&url, Secret::new("t")).unwrap();
        let taken = || std::mem::take(&mut *seen.lock().unwrap());
        let packs = client.policy_packs_list().await.unwrap();
        assert_eq!(
            packs.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
            ["a", "b", "c"]
        );
        assert_eq!(taken().len(), 3);
        let versions = client.product_versions("p").await.unwrap();
        assert_eq!(versions.len(), 1);
        assert_eq!(taken().len(), 2, "a repeated cursor is not asked again");
        let page = client.policy_packs_page(Some("Yg"), Some(5)).await.unwrap();
        assert_eq!((page.items.len(), page.next_cursor), (1, None));
        assert_eq!(taken(), ["/v1/policy-packs?cursor=Yg&limit=5"]);
    }

    /// The whole report is every page of history, each page's points before the newer ones.
    #[tokio::test(flavor = "current_thread")]
    async fn a_whole_quality_report_puts_older_pages_first() {
        fn report(points: &[&str], next: Option<&str>) -> Value {
            let points: Vec<Value> = points
                .iter()
                .map(|at| json!({"at": at, "status": "passed", "value": 1.0}))
                .collect();
            let mut report = json!({
                "productId": "p", "domain": "d", "latest": [], "slos": [],
                "history": [{"check": "c", "points": points}],
            });
            if let Some(next) = next {
                report["nextCursor"] = json!(next);
            }
            report
        }
        let (url, seen) = json_server(|target| match target {
            "/v1/products/p/quality?limit=2000&days=30" => report(&["t5", "t6"], Some("p2")),
            "/v1/products/p/quality?cursor=p2&limit=2000&days=30" => report(&["t3", "t4"], Some("p3")),
            "/v1/products/p/quality?cursor=p3&limit=2000&days=30" => report(&["t1", "t2"], None),
            "/v1/products/p/quality?limit=2&days=30" => report(&["t5", "t6"], Some("p2")),
            other => panic!("unexpected {other}"),
        });
        let client = Client::new(&url, Secret::new("t")).unwrap();
        let whole = client.quality_report("p", Some(30)).await.unwrap();
        let at: Vec<&str> = whole.history[0].points.iter().map(|p| p.at.as_str()).collect();
        assert_eq!(at, ["t1", "t2", "t3", "t4", "t5", "t6"]);
        assert_eq!(whole.next_cursor, None);
        let query = ReportQuery {
            days: Some(30),
            limit: Some(2),
            ..ReportQuery::default()
        };
        let page = client.quality_report_page("p", &query).await.unwrap();
        assert_eq!(page.next_cursor.as_deref(), Some("p2"));
        assert_eq!(seen.lock().unwrap().len(), 4);
    }
}
