//! The reference platform as its clients meet it: the router without a socket (`oneshot`), once on a
//! real port, the binary killed mid-job, and two processes on one PostgreSQL. Every test runs on
//! SQLite (`NAME::sqlite`) and on a fresh database of a real PostgreSQL (`NAME::postgres`, which a plain
//! `cargo test` counts as ignored and `cargo xtask test` runs beside its throwaway cluster).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use meshport_client::{Client, Secret};
use meshport_model::platform::{JobState, ProvisioningJob};
use meshport_platform::auth::token_create;
use meshport_platform::{AppState, Clock, Config, Platform, app, demo, jobs};
use serde_json::{Value, json};
use sqlx::{Connection, Row};
use tower::ServiceExt;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The SQLite platform database of a test, in its folder.
fn sqlite_database(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("platform.db").display())
}

/// The harness's PostgreSQL cluster. The PostgreSQL half of a test needs it and fails without it: a plain
/// `cargo test` skips that half as `ignored`, and `cargo xtask test` runs it beside a throwaway cluster.
fn postgres_base() -> String {
    std::env::var("MESHPORT_TEST_POSTGRES_URL").unwrap_or_else(|_| {
        panic!(
            "MESHPORT_TEST_POSTGRES_URL is not set: the PostgreSQL half of a platform test runs beside a cluster; \
             run it with `cargo xtask with-postgres cargo test -p meshport-platform -- --ignored` (`cargo xtask test` does)"
        )
    })
}

/// A new, empty database on the cluster of `base`, for one test.
async fn postgres_database(base: &str) -> String {
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    let mut conn = sqlx::PgConnection::connect(base)
        .await
        .expect("the test PostgreSQL answers");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .unwrap();
    let (prefix, _) = base.rsplit_once('/').unwrap();
    format!("{prefix}/{name}")
}

/// A platform in process: its state, router, runners, and a token per demo user.
struct Harness {
    state: AppState,
    router: Router,
    tokens: BTreeMap<&'static str, String>,
    /// The platform's clock: it stands still until a test advances it.
    clock: Clock,
    stop: tokio::sync::watch::Sender<bool>,
    runners: Vec<tokio::task::JoinHandle<()>>,
    _dir: Option<tempfile::TempDir>,
}

impl Harness {
    async fn start(database: &str, ports: &Path) -> Harness {
        let mut config = Config::new(database);
        config.ports_dir = ports.to_owned();
        config.lease = Duration::from_millis(1500);
        config.query_timeout = Duration::from_secs(2);
        config.clock = Clock::manual(meshport_platform::store::now_ms());
        let clock = config.clock.clone();
        let state = AppState::open(config).await.unwrap();
        demo::governance_seed(&state).await.unwrap();
        let mut tokens = BTreeMap::new();
        for (user, _) in demo::USERS {
            tokens.insert(*user, token_create(state.store(), user).await.unwrap());
        }
        sqlx::query(
            "INSERT INTO users (name, created_at) VALUES ('nobody', 0) ON CONFLICT (name) DO NOTHING",
        )
        .execute(state.store().pool())
        .await
        .unwrap();
        tokens.insert("nobody", token_create(state.store(), "nobody").await.unwrap());
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let runners = jobs::runner_spawn(state.clone(), 2, stopped);
        Harness {
            router: app(state.clone()),
            state,
            tokens,
            clock,
            stop,
            runners,
            _dir: None,
        }
    }

    async fn call(
        &self,
        method: Method,
        path: &str,
        user: Option<&str>,
        body: Option<&Value>,
        key: Option<&str>,
    ) -> (StatusCode, Value, axum::http::HeaderMap) {
        let mut request = Request::builder().method(method).uri(path);
        if let Some(user) = user {
            request = request.header("authorization", format!("Bearer {}", self.tokens[user]));
        }
        if let Some(key) = key {
            request = request.header("idempotency-key", key);
        }
        let (status, headers, bytes) = send(&self.router, request, body).await;
        let value = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into()))
        };
        if status.is_client_error() || status.is_server_error() {
            assert_eq!(
                headers.get("content-type").map(|v| v.to_str().unwrap()),
                Some("application/problem+json"),
                "{path}: every error is a problem: {value}"
            );
            assert!(
                value["type"]
                    .as_str()
                    .unwrap()
                    .starts_with("urn:meshport:problem:"),
                "{value}"
            );
            assert_eq!(value["status"], status.as_u16(), "{value}");
        }
        (status, value, headers)
    }

    async fn put(&self, path: &str, user: &str, body: &Value) -> (StatusCode, Value, axum::http::HeaderMap) {
        self.call(Method::PUT, path, Some(user), Some(body), None).await
    }

    async fn get(&self, path: &str, user: &str) -> (StatusCode, Value) {
        let (status, value, _) = self.call(Method::GET, path, Some(user), None, None).await;
        (status, value)
    }

    async fn submit(
        &self,
        user: &str,
        request: &Value,
        key: &str,
    ) -> (StatusCode, Value, axum::http::HeaderMap) {
        self.call(
            Method::POST,
            "/v1/provisioning-requests",
            Some(user),
            Some(request),
            Some(key),
        )
        .await
    }

    async fn wait(&self, id: &str) -> ProvisioningJob {
        for _ in 0..400 {
            let (_, job) = self.get(&format!("/v1/provisioning-requests/{id}"), "cora").await;
            let job: ProvisioningJob = serde_json::from_value(job).unwrap();
            if job.state.is_finished() {
                return job;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("job {id} did not finish");
    }

    async fn stop(self) {
        let _ = self.stop.send(true);
        // A runner stops at its next step boundary; a job's step takes seconds at most.
        for runner in self.runners {
            tokio::time::timeout(Duration::from_secs(30), runner)
                .await
                .expect("a job runner did not stop within 30 s of being told to")
                .expect("a job runner panicked");
        }
        self.state.store().close().await;
    }
}

/// The demo orders request under fresh ids, so tests never share a product, schema or role.
fn orders_request() -> Value {
    let (_, mut request) = demo::demo_requests().into_iter().next().unwrap();
    let product_id = uuid::Uuid::new_v4().to_string();
    let contract_id = uuid::Uuid::new_v4().to_string();
    request["product"]["id"] = json!(product_id);
    request["product"]["name"] = json!(format!("Orders {}", &product_id[..8]));
    request["product"]["outputPorts"][0]["contractId"] = json!(contract_id);
    request["contracts"][0]["id"] = json!(contract_id);
    request
}

/// A platform test that runs `$body` with `(url, dir)` on each database, as two tests: `NAME::sqlite`
/// on a SQLite file, and `NAME::postgres` on a new database of the harness's PostgreSQL. The PostgreSQL
/// half is `ignored` by a plain `cargo test` (a visible count), run by `cargo xtask test` (`--ignored`,
/// beside its cluster), and fails when run without one.
macro_rules! platform_test {
    ($name:ident, |$url:ident, $dir:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($url: &str, $dir: &Path) $body

            #[tokio::test(flavor = "multi_thread")]
            async fn sqlite() {
                let dir = tempfile::tempdir().unwrap();
                run(&sqlite_database(dir.path()), dir.path()).await;
            }

            #[tokio::test(flavor = "multi_thread")]
            #[ignore = "the PostgreSQL half: `cargo xtask test` runs it beside a throwaway cluster"]
            async fn postgres() {
                let dir = tempfile::tempdir().unwrap();
                run(&postgres_database(&postgres_base()).await, dir.path()).await;
            }
        }
    };
}

/// A platform test of `check` on a started harness, on each database (see [`platform_test`]).
macro_rules! on_every_database {
    ($name:ident, $check:ident) => {
        platform_test!($name, |url, dir| {
            let harness = Harness::start(url, &dir.join("ports")).await;
            $check(&harness).await;
            harness.stop().await;
        });
    };
}

#[tokio::test(flavor = "multi_thread")]
async fn the_committed_openapi_description_is_fresh_and_served() {
    let path = workspace_root().join("schemas/platform.openapi.json");
    let mut fresh = serde_json::to_string_pretty(meshport_platform::http::openapi_json()).unwrap();
    fresh.push('\n');
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    if current != fresh {
        std::fs::write(&path, &fresh).unwrap();
        panic!(
            "schemas/platform.openapi.json was stale and is now rewritten: review and commit it \
             (regenerate with `cargo test -p meshport-platform --test platform the_committed_openapi`)"
        );
    }
    let spec: Value = serde_json::from_str(&fresh).unwrap();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/v1/health",
        "/v1/products",
        "/v1/products/{id}",
        "/v1/products/{id}/versions",
        "/v1/contracts/{id}",
        "/v1/provisioning-requests",
        "/v1/provisioning-requests/{id}",
        "/v1/provisioning-requests/{id}/cancel",
        "/v1/provisioning-requests/{id}/retry",
        "/v1/products/{id}/unprovision",
        "/v1/changes",
        "/v1/policy-packs",
        "/v1/policy-packs/{name}",
        "/v1/audit",
    ] {
        assert!(spec["paths"].get(path).is_some(), "the description lacks {path}");
    }
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start(
        &format!("sqlite://{}", dir.path().join("p.db").display()),
        dir.path(),
    )
    .await;
    let (status, served, _) = harness
        .call(Method::GET, "/v1/openapi.json", None, None, None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(served, spec, "the platform serves the committed description");
    let (status, health, _) = harness.call(Method::GET, "/v1/health", None, None, None).await;
    assert_eq!((status, health["status"].as_str()), (StatusCode::OK, Some("ok")));
    harness.stop().await;
}

async fn provisions_end_to_end(h: &Harness) {
    let request = orders_request();
    let product_id = request["product"]["id"].as_str().unwrap().to_owned();
    let (status, job, headers) = h
        .submit("owen", &request, &uuid::Uuid::new_v4().to_string())
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{job}");
    let id = job["id"].as_str().unwrap().to_owned();
    assert_eq!(
        headers["location"],
        format!("/v1/provisioning-requests/{id}").as_str()
    );
    assert_eq!(job["state"], "queued");
    let job = h.wait(&id).await;
    assert_eq!(job.state, JobState::Succeeded, "{job:#?}");
    let names: Vec<&str> = job.steps.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        ["validate", "plan", "port:order-lines", "register", "publish"]
    );
    assert!(
        job.steps
            .iter()
            .all(|s| s.status == meshport_model::platform::StepStatus::Succeeded && s.finished_at.is_some())
    );
    assert!(
        job.steps[1]
            .messages
            .iter()
            .any(|m| m.contains("infrastructure processing (spark): planned: no adapter installed")),
        "{:?}",
        job.steps[1].messages
    );

    // The port's contract says where the data lives, and the tables are there.
    let contract_id = request["contracts"][0]["id"].as_str().unwrap();
    let (status, contract) = h.get(&format!("/v1/contracts/{contract_id}"), "cora").await;
    assert_eq!(status, StatusCode::OK);
    let server = contract["servers"].as_array().unwrap().last().unwrap().clone();
    let tables = port_tables(h, &server).await;
    assert_eq!(tables, ["order_lines"], "{server}");
    let (status, product) = h.get(&format!("/v1/products/{product_id}"), "cora").await;
    assert_eq!(
        (status, product["id"].as_str()),
        (StatusCode::OK, Some(product_id.as_str()))
    );
    let (_, versions) = h
        .get(&format!("/v1/products/{product_id}/versions"), "cora")
        .await;
    assert_eq!(versions["items"][0]["requestId"], id.as_str());
    let (_, list) = h.get("/v1/products?domain=orders&limit=1000", "cora").await;
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == product_id.as_str())
    );

    // The change feed has the contract and the product, after the packs.
    let (_, feed) = h.get("/v1/changes?after=0&limit=5000", "cora").await;
    let ours: Vec<(&str, bool)> = feed["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["id"] == product_id.as_str() || c["id"] == contract_id)
        .map(|c| (c["entity"].as_str().unwrap(), c["deleted"].as_bool().unwrap()))
        .collect();
    assert_eq!(ours, [("contract", false), ("product", false)]);

    // Unprovision destroys what apply built and leaves tombstones.
    let (status, job, _) = h
        .call(
            Method::POST,
            &format!("/v1/products/{product_id}/unprovision"),
            Some("owen"),
            None,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{job}");
    let job = h.wait(job["id"].as_str().unwrap()).await;
    assert_eq!(job.state, JobState::Succeeded, "{job:#?}");
    assert!(
        port_tables(h, &server).await.is_empty(),
        "the port's tables are gone"
    );
    let (status, _) = h.get(&format!("/v1/products/{product_id}"), "cora").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let after = feed["next"].as_i64().unwrap();
    let (_, feed) = h.get(&format!("/v1/changes?after={after}"), "cora").await;
    let tombstones: Vec<&str> = feed["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["deleted"] == true)
        .map(|c| c["entity"].as_str().unwrap())
        .collect();
    assert_eq!(tombstones, ["contract", "product"]);
}

/// The tables at a port's `servers` entry: in the SQLite file it names, or its PostgreSQL schema.
async fn port_tables(h: &Harness, server: &Value) -> Vec<String> {
    if server["type"] == "custom" {
        let path = server["path"].as_str().unwrap();
        if !Path::new(path).exists() {
            return Vec::new();
        }
        let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{path}"))
            .await
            .unwrap();
        sqlx::query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .fetch_all(&mut conn)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get::<String, _>("name"))
            .collect()
    } else {
        assert_eq!(server["type"], "postgres");
        let mut conn = sqlx::PgConnection::connect(h.state.store().url()).await.unwrap();
        sqlx::query("SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1")
            .bind(server["schema"].as_str().unwrap())
            .fetch_all(&mut conn)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get::<String, _>("name"))
            .collect()
    }
}

on_every_database!(
    a_request_is_provisioned_followed_and_unprovisioned,
    provisions_end_to_end
);

async fn idempotency(h: &Harness) {
    let request = orders_request();
    let key = uuid::Uuid::new_v4().to_string();
    let (first_status, first, _) = h.submit("owen", &request, &key).await;
    assert_eq!(first_status, StatusCode::ACCEPTED);
    let (status, replay, headers) = h.submit("owen", &request, &key).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert_eq!(replay, first, "a replay answers the original response");
    assert_eq!(headers["idempotent-replayed"], "true");
    let mut other = request.clone();
    other["product"]["description"]["purpose"] = json!("Something else.");
    let (status, problem, _) = h.submit("owen", &other, &key).await;
    assert_eq!(
        (status, problem["type"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("urn:meshport:problem:idempotency-key-reused")
        )
    );
    let (status, problem, _) = h
        .call(
            Method::POST,
            "/v1/provisioning-requests",
            Some("owen"),
            Some(&request),
            None,
        )
        .await;
    assert_eq!(
        (status, problem["type"].as_str()),
        (
            StatusCode::BAD_REQUEST,
            Some("urn:meshport:problem:idempotency-key-missing")
        )
    );
    h.wait(first["id"].as_str().unwrap()).await;

    // Sent many times at once with one key, a request makes one job.
    let request = orders_request();
    let key = uuid::Uuid::new_v4().to_string();
    let answers = futures_join(8, || h.submit("owen", &request, &key)).await;
    let ids: BTreeSet<String> = answers
        .iter()
        .filter(|(s, _, _)| *s == StatusCode::ACCEPTED)
        .map(|(_, job, _)| job["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 1, "{answers:?}");
    assert!(answers.iter().all(|(s, v, _)| *s == StatusCode::ACCEPTED
        || v["type"] == "urn:meshport:problem:idempotency-key-in-flight"));
    let product_id = request["product"]["id"].as_str().unwrap();
    let jobs: i64 = sqlx::query("SELECT COUNT(*) AS n FROM jobs WHERE product_id = $1")
        .bind(product_id)
        .fetch_one(h.state.store().pool())
        .await
        .unwrap()
        .get("n");
    assert_eq!(jobs, 1);
    h.wait(ids.iter().next().unwrap()).await;
}

async fn futures_join<F, Fut, T>(n: usize, make: F) -> Vec<T>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let futures: Vec<_> = (0..n).map(|_| make()).collect();
    let mut out = Vec::new();
    // Poll them together: a join of the futures, without a dependency for it.
    let mut pinned: Vec<_> = futures.into_iter().map(Box::pin).collect();
    let results = std::sync::Mutex::new(Vec::new());
    std::future::poll_fn(|cx| {
        let mut pending = false;
        let mut index = 0;
        while index < pinned.len() {
            match pinned[index].as_mut().poll(cx) {
                std::task::Poll::Ready(value) => {
                    results.lock().unwrap().push(value);
                    drop(pinned.remove(index));
                }
                std::task::Poll::Pending => {
                    pending = true;
                    index += 1;
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    out.append(&mut results.into_inner().unwrap());
    out
}

on_every_database!(
    idempotency_keys_replay_refuse_and_never_provision_twice,
    idempotency
);

async fn refusals(h: &Harness) {
    // Unknown field: the standard's schema names it.
    let mut request = orders_request();
    request["product"]["colour"] = json!("blue");
    let (status, problem, _) = h.submit("owen", &request, "k-unknown").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["type"], "urn:meshport:problem:validation-failed");
    assert!(
        problem["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["path"] == "/product" && f["message"].as_str().unwrap().contains("colour")),
        "{problem}"
    );
    // A required policy of the platform's packs refuses, with rule, pointer and hint.
    let mut request = orders_request();
    request["infrastructure"]["security"]["encryptionAtRest"] = json!(false);
    let (status, problem, _) = h.submit("owen", &request, "k-policy").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    let finding = problem["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"].as_str().unwrap().contains("encryption"))
        .cloned()
        .unwrap_or_else(|| panic!("{problem}"));
    assert_eq!(finding["severity"], "error");
    assert!(!finding["hint"].as_str().unwrap().is_empty());
    // The refused key is released: the corrected request may use it.
    let fixed = orders_request();
    let (status, job, _) = h.submit("owen", &fixed, "k-policy").await;
    assert_eq!(status, StatusCode::ACCEPTED, "{job}");
    h.wait(job["id"].as_str().unwrap()).await;
    // Not JSON, too large, no such path, no such method.
    let response = h
        .router
        .clone()
        .oneshot(
            Request::post("/v1/provisioning-requests")
                .header("authorization", format!("Bearer {}", h.tokens["owen"]))
                .header("idempotency-key", "k-bad")
                .body(Body::from("{not json"))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let big = json!({"blob": "x".repeat(5 * 1024 * 1024)});
    let (status, problem, _) = h.submit("owen", &big, "k-big").await;
    assert_eq!(
        (status, problem["type"].as_str()),
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            Some("urn:meshport:problem:payload-too-large")
        )
    );
    let (status, _, _) = h.call(Method::GET, "/v1/nowhere", Some("owen"), None, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = h
        .call(Method::DELETE, "/v1/products", Some("owen"), None, None)
        .await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    let (status, problem) = h.get("/v1/products?limit=0", "owen").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
    let (status, problem) = h.get("/v1/products?colour=blue", "owen").await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "unknown query parameters are refused: {problem}"
    );
    // NUL, which PostgreSQL text cannot hold, is refused the same on every store.
    let mut request = orders_request();
    request["product"]["domain"] = json!("or\u{0}ders");
    let (status, problem, _) = h.submit("owen", &request, "k-nul").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(
        h.get("/v1/products/a%00b", "owen").await.0,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        h.get("/v1/products?domain=a%00b", "owen").await.0,
        StatusCode::BAD_REQUEST
    );
    // A pack body with an unknown field: 422 naming it.
    let pack = json!({"name": "marketing", "version": "9.0.0", "scope": "domain:marketing", "files": {}, "colour": 1});
    let (status, problem, _) = h.put("/v1/policy-packs/marketing", "mia", &pack).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        problem["detail"].as_str().unwrap().contains("colour"),
        "{problem}"
    );
}

on_every_database!(bad_input_gets_a_problem_that_names_the_field, refusals);

async fn authorization(h: &Harness) {
    let protected = [
        (Method::GET, "/v1/products"),
        (Method::GET, "/v1/products/x"),
        (Method::GET, "/v1/products/x/versions"),
        (Method::GET, "/v1/contracts/x"),
        (Method::POST, "/v1/provisioning-requests"),
        (Method::GET, "/v1/provisioning-requests/x"),
        (Method::POST, "/v1/provisioning-requests/x/cancel"),
        (Method::POST, "/v1/provisioning-requests/x/retry"),
        (Method::POST, "/v1/products/x/unprovision"),
        (Method::GET, "/v1/changes"),
        (Method::GET, "/v1/policy-packs"),
        (Method::GET, "/v1/policy-packs/global"),
        (Method::PUT, "/v1/policy-packs/global"),
        (Method::GET, "/v1/audit"),
    ];
    for (method, path) in &protected {
        let (status, problem, _) = h.call(method.clone(), path, None, None, None).await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "{method} {path} without a token: {problem}"
        );
        let response = h
            .router
            .clone()
            .oneshot(
                Request::builder()
                    .method(method.clone())
                    .uri(*path)
                    .header("authorization", "Bearer mpt_0000000000000000_forged")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "{method} {path} with a forged token"
        );
    }
    // A user with no role reads nothing.
    for path in [
        "/v1/products",
        "/v1/changes",
        "/v1/policy-packs",
        "/v1/provisioning-requests/x",
    ] {
        assert_eq!(h.get(path, "nobody").await.0, StatusCode::FORBIDDEN, "{path}");
    }
    // Provisioning: only owners of the product's domain.
    let request = orders_request();
    for user in ["mia", "fin", "sam", "cora", "ada", "nobody"] {
        let (status, problem, _) = h.submit(user, &request, &format!("k-{user}")).await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "{user} may not provision into orders: {problem}"
        );
    }
    let (status, job, _) = h.submit("owen", &request, "k-owen").await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let id = job["id"].as_str().unwrap().to_owned();
    for user in ["mia", "cora", "sam"] {
        let (status, _, _) = h
            .call(
                Method::POST,
                &format!("/v1/provisioning-requests/{id}/cancel"),
                Some(user),
                None,
                None,
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{user} cancels");
        let (status, _, _) = h
            .call(
                Method::POST,
                &format!("/v1/provisioning-requests/{id}/retry"),
                Some(user),
                None,
                None,
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{user} retries");
    }
    let job = h.wait(&id).await;
    assert_eq!(job.state, JobState::Succeeded);
    let product_id = request["product"]["id"].as_str().unwrap();
    for user in ["mia", "cora", "sam", "ada"] {
        let (status, _, _) = h
            .call(
                Method::POST,
                &format!("/v1/products/{product_id}/unprovision"),
                Some(user),
                None,
                None,
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{user} unprovisions orders");
    }
    // A product cannot be moved into another domain by an owner of the new domain alone.
    let mut moved = request.clone();
    moved["product"]["domain"] = json!("marketing");
    moved["contracts"][0]["domain"] = json!("marketing");
    let (status, problem, _) = h.submit("mia", &moved, "k-move").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{problem}");
    // Packs: the global one by admins, a domain's by its owners.
    let (_, global) = h.get("/v1/policy-packs/global", "cora").await;
    let mut global: meshport_model::platform::PolicyPack = serde_json::from_value(global).unwrap();
    global.version = "1.0.1".into();
    for user in ["owen", "sam", "cora"] {
        let (status, _, _) = h
            .call(
                Method::PUT,
                "/v1/policy-packs/global",
                Some(user),
                Some(&serde_json::to_value(&global).unwrap()),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{user} publishes the global pack");
    }
    let (status, published, _) = h
        .call(
            Method::PUT,
            "/v1/policy-packs/global",
            Some("ada"),
            Some(&serde_json::to_value(&global).unwrap()),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{published}");
    assert_eq!(
        (published["version"].as_str(), published["publishedBy"].as_str()),
        (Some("1.0.1"), Some("ada"))
    );
    let (status, problem, _) = h
        .call(
            Method::PUT,
            "/v1/policy-packs/global",
            Some("ada"),
            Some(&serde_json::to_value(&global).unwrap()),
            None,
        )
        .await;
    assert_eq!(
        (status, problem["type"].as_str()),
        (
            StatusCode::CONFLICT,
            Some("urn:meshport:problem:version-not-raised")
        )
    );
    let (_, marketing) = h.get("/v1/policy-packs/marketing", "cora").await;
    let mut marketing: meshport_model::platform::PolicyPack = serde_json::from_value(marketing).unwrap();
    marketing.version = "1.1.0".into();
    let body = serde_json::to_value(&marketing).unwrap();
    assert_eq!(
        h.put("/v1/policy-packs/marketing", "owen", &body).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        h.put("/v1/policy-packs/marketing", "ada", &body).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        h.put("/v1/policy-packs/marketing", "mia", &body).await.0,
        StatusCode::OK
    );
    let mut broken = marketing.clone();
    broken.version = "1.2.0".into();
    broken
        .files
        .insert("broken.rego".into(), "package x\ndeny contains msg if {".into());
    let (status, problem, _) = h
        .call(
            Method::PUT,
            "/v1/policy-packs/marketing",
            Some("mia"),
            Some(&serde_json::to_value(&broken).unwrap()),
            None,
        )
        .await;
    assert_eq!(
        (status, problem["type"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("urn:meshport:problem:invalid-policy-pack")
        )
    );
    // The audit log: admins only, and it recorded the refusals and the writes.
    for user in ["owen", "sam", "cora", "mia"] {
        assert_eq!(
            h.get("/v1/audit", user).await.0,
            StatusCode::FORBIDDEN,
            "{user} reads the audit log"
        );
    }
    let (status, audit) = h.get("/v1/audit?limit=1000", "ada").await;
    assert_eq!(status, StatusCode::OK);
    let entries = audit["items"].as_array().unwrap();
    let seen = |actor: &str, action: &str, outcome: &str| {
        entries
            .iter()
            .any(|e| e["actor"] == actor && e["action"] == action && e["outcome"] == outcome)
    };
    assert!(seen("mia", "provisioning-request.submit", "forbidden"));
    assert!(seen("owen", "provisioning-request.submit", "accepted"));
    assert!(seen("ada", "policy-pack.publish", "succeeded"));
    assert!(seen("owen", "policy-pack.publish", "forbidden"));
    assert!(seen("platform", "provisioning-request.run", "succeeded"));
    assert!(
        entries
            .iter()
            .all(|e| !e["requestId"].as_str().unwrap().is_empty())
    );
}

on_every_database!(
    every_endpoint_checks_who_calls_and_what_they_may_touch,
    authorization
);

async fn state_machine(h: &Harness) {
    // Two columns of one physical name: the checks cannot see it, the database refuses the table, so
    // the port step fails; a retry runs it again and fails again.
    let mut request = orders_request();
    request["contracts"][0]["schema"][0]["properties"][1]["physicalName"] = json!("order_id");
    let (status, job, _) = h
        .submit("owen", &request, &uuid::Uuid::new_v4().to_string())
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{job}");
    let id = job["id"].as_str().unwrap().to_owned();
    let job = h.wait(&id).await;
    assert_eq!(job.state, JobState::Failed, "{job:#?}");
    assert!(
        job.error.as_deref().unwrap().contains("port:order-lines"),
        "{job:#?}"
    );
    let statuses: Vec<&str> = job.steps.iter().map(|s| s.status.as_str()).collect();
    assert_eq!(
        statuses,
        ["succeeded", "succeeded", "failed", "skipped", "skipped"]
    );
    let (status, retried, _) = h
        .call(
            Method::POST,
            &format!("/v1/provisioning-requests/{id}/retry"),
            Some("owen"),
            None,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{retried}");
    assert_eq!(retried["attempt"], 2);
    let again = h.wait(&id).await;
    assert_eq!((again.state, again.attempt), (JobState::Failed, 2));
    // Transitions the machine does not allow: 409 naming the current state.
    let request = orders_request();
    let (_, job, _) = h
        .submit("owen", &request, &uuid::Uuid::new_v4().to_string())
        .await;
    let id = job["id"].as_str().unwrap().to_owned();
    let done = h.wait(&id).await;
    assert_eq!(done.state, JobState::Succeeded);
    for action in ["cancel", "retry"] {
        let (status, problem, _) = h
            .call(
                Method::POST,
                &format!("/v1/provisioning-requests/{id}/{action}"),
                Some("owen"),
                None,
                None,
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{action} a succeeded request");
        assert_eq!(
            (problem["type"].as_str(), problem["currentState"].as_str()),
            (Some("urn:meshport:problem:invalid-state"), Some("succeeded"))
        );
    }
    let (status, _, _) = h
        .call(
            Method::POST,
            "/v1/provisioning-requests/pr_none/cancel",
            Some("owen"),
            None,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

on_every_database!(jobs_follow_their_state_machine, state_machine);

/// Sends `request` with `body` as JSON (if any) to `router`: the answer's status, headers and body.
async fn send(
    router: &Router,
    mut request: axum::http::request::Builder,
    body: Option<&Value>,
) -> (StatusCode, axum::http::HeaderMap, axum::body::Bytes) {
    let body = match body {
        Some(body) => {
            request = request.header("content-type", "application/json");
            Body::from(serde_json::to_vec(body).unwrap())
        }
        None => Body::empty(),
    };
    let response = router.clone().oneshot(request.body(body).unwrap()).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, bytes)
}

/// A platform without runners, called by `owen`: its jobs stay where the test leaves them.
struct Idle {
    state: AppState,
    router: Router,
    token: String,
}

impl Idle {
    async fn start(url: &str, dir: &Path) -> Idle {
        let mut config = Config::new(url);
        config.ports_dir = dir.join("ports");
        let state = AppState::open(config).await.unwrap();
        demo::governance_seed(&state).await.unwrap();
        let token = token_create(state.store(), "owen").await.unwrap();
        Idle {
            router: app(state.clone()),
            state,
            token,
        }
    }

    async fn call(&self, method: &str, path: String, body: Option<Value>) -> (StatusCode, Value) {
        let request = Request::builder()
            .method(method)
            .uri(path)
            .header("authorization", format!("Bearer {}", self.token))
            .header("idempotency-key", uuid::Uuid::new_v4().to_string());
        let (status, _, bytes) = send(&self.router, request, body.as_ref()).await;
        (status, serde_json::from_slice::<Value>(&bytes).unwrap())
    }
}

platform_test!(a_queued_request_is_cancelled_before_it_runs, |url, dir| {
    // No runners: the job stays queued until cancelled.
    let idle = Idle::start(url, dir).await;
    let (state, call) = (&idle.state, |method, path, body| idle.call(method, path, body));
    let (status, job) = call("POST", "/v1/provisioning-requests".into(), Some(orders_request())).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let id = job["id"].as_str().unwrap();
    let (status, cancelled) = call("POST", format!("/v1/provisioning-requests/{id}/cancel"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(cancelled["state"], "cancelled");
    assert!(
        cancelled["steps"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["status"] == "skipped")
    );
    let (status, problem) = call("POST", format!("/v1/provisioning-requests/{id}/retry"), None).await;
    assert_eq!(
        (status, problem["currentState"].as_str()),
        (StatusCode::CONFLICT, Some("cancelled"))
    );
    state.store().close().await;
});

platform_test!(
    a_job_whose_run_panics_fails_at_its_step_and_can_be_retried,
    |url, dir| {
        // No runners: the test claims the job and runs it with a run that panics, as a bug would.
        let idle = Idle::start(url, dir).await;
        let (state, call) = (&idle.state, |method, path, body| idle.call(method, path, body));
        let (status, job) = call("POST", "/v1/provisioning-requests".into(), Some(orders_request())).await;
        assert_eq!(status, StatusCode::ACCEPTED);
        let id = job["id"].as_str().unwrap().to_owned();
        let claimed = jobs::job_claim(state).await.unwrap();
        assert_eq!(claimed.as_deref(), Some(id.as_str()));
        jobs::run_claimed(state, &id, async {
            panic!("secret value quokka in a broken step")
        })
        .await;

        let (status, failed) = call("GET", format!("/v1/provisioning-requests/{id}"), None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(failed["state"], "failed", "{failed:#}");
        let steps = failed["steps"].as_array().unwrap();
        let first = &steps[0];
        assert_eq!(first["status"], "failed", "{failed:#}");
        let said = first["messages"][0].as_str().unwrap();
        assert!(said.contains("failed unexpectedly"), "{failed:#}");
        assert!(steps[1..].iter().all(|s| s["status"] == "skipped"), "{failed:#}");
        let error = failed["error"].as_str().unwrap();
        let step = first["name"].as_str().unwrap();
        assert!(error.starts_with(&format!("step `{step}` failed")), "{error}");
        assert!(
            error.contains(&id),
            "the job's error names its id for the log: {error}"
        );
        // The panic's message stays in the platform's log: it may hold any value. (Its marker is
        // a word, not digits, which a job's random hex id could hold: one did, "…a4711…".)
        assert!(!failed.to_string().contains("quokka"), "{failed:#}");

        // Failed, not stuck: it can be retried, and a runner that claims it runs it again.
        let (status, retried) = call("POST", format!("/v1/provisioning-requests/{id}/retry"), None).await;
        assert!(status.is_success(), "{status} {retried:#}");
        let claimed = jobs::job_claim(state).await.unwrap();
        assert_eq!(claimed.as_deref(), Some(id.as_str()));
        state.store().close().await;
    }
);

/// The sequence number of the feed's newest change.
async fn feed_head(store: &meshport_platform::store::Store) -> i64 {
    sqlx::query("SELECT value FROM counters WHERE name = 'changes'")
        .fetch_one(store.pool())
        .await
        .unwrap()
        .get("value")
}

/// Writers append concurrently while a reader follows the feed: the reader sees every change once, in
/// order, and never finds one behind its cursor later.
async fn change_feed(h: &Harness) {
    let store = h.state.store().clone();
    let start = feed_head(&store).await;
    let writers = 8;
    let per_writer = 25;
    let mut tasks = Vec::new();
    for w in 0..writers {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            for n in 0..per_writer {
                let product = json!({"apiVersion": "v1.0.0", "kind": "DataProduct", "id": format!("feed-{w}-{n}"), "name": "Feed", "version": "1.0.0", "status": "active", "domain": "orders"});
                let mut tx = store.write().await.unwrap();
                meshport_platform::catalog::product_publish(&mut tx, &product, &[]).await.unwrap();
                // Hold the transaction open a moment: a late commit is what could hide a change.
                tokio::time::sleep(Duration::from_millis((n % 3) as u64)).await;
                tx.commit().await.unwrap();
            }
        }));
    }
    let mut seen: Vec<i64> = Vec::new();
    let mut cursor = start;
    let expected = (writers * per_writer) as usize;
    let reader = async {
        while seen.len() < expected {
            let (status, page) = h
                .get(&format!("/v1/changes?after={cursor}&limit=7"), "cora")
                .await;
            assert_eq!(status, StatusCode::OK);
            for change in page["changes"].as_array().unwrap() {
                let seq = change["seq"].as_i64().unwrap();
                assert!(
                    seq > cursor,
                    "a change at {seq} appeared behind the cursor {cursor}"
                );
                seen.push(seq);
                cursor = seq;
            }
            assert_eq!(page["next"].as_i64().unwrap(), cursor);
            tokio::task::yield_now().await;
        }
    };
    tokio::time::timeout(Duration::from_secs(60), reader)
        .await
        .expect("the reader saw every change");
    for task in tasks {
        task.await.unwrap();
    }
    let want: Vec<i64> = (start + 1..=start + expected as i64).collect();
    assert_eq!(seen, want, "every change once, in order, without gaps");
    // Compaction: a product published again and one removed, then everything old is purged.
    let mut tx = store.write().await.unwrap();
    let again = json!({"apiVersion": "v1.0.0", "kind": "DataProduct", "id": "feed-0-0", "name": "Feed again", "version": "1.0.1", "status": "active", "domain": "orders"});
    meshport_platform::catalog::product_publish(&mut tx, &again, &[])
        .await
        .unwrap();
    meshport_platform::catalog::product_remove(&mut tx, "feed-0-1")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    meshport_platform::catalog::changes_purge(&store, meshport_platform::store::now_ms() + 1000)
        .await
        .unwrap();
    // A cursor inside the compacted part may have missed the deletion: 410.
    let (status, problem) = h.get(&format!("/v1/changes?after={start}"), "cora").await;
    assert_eq!(
        (status, problem["type"].as_str()),
        (StatusCode::GONE, Some("urn:meshport:problem:cursor-expired"))
    );
    // From 0, the compacted feed is the whole catalog: each live product once, at its newest.
    let (status, feed) = h.get("/v1/changes?after=0&limit=5000", "cora").await;
    assert_eq!(status, StatusCode::OK, "{feed}");
    let products: Vec<&Value> = feed["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["entity"] == "product" && c["id"].as_str().unwrap().starts_with("feed-"))
        .collect();
    assert_eq!(
        products.len(),
        expected - 1,
        "one removed, its tombstone compacted away"
    );
    let republished: Vec<&&Value> = products.iter().filter(|c| c["id"] == "feed-0-0").collect();
    assert_eq!(republished.len(), 1);
    assert_eq!(republished[0]["document"]["version"], "1.0.1");
}

on_every_database!(the_change_feed_never_misses_a_late_commit, change_feed);

/// A product's and a contract's changes keep no copy of their documents: the feed reads them from the
/// catalog's rows. A reader behind sees the newest document early, and a change of an entity removed
/// since reads as removed, so that following the feed still ends at the catalog.
async fn change_feed_by_reference(h: &Harness) {
    let store = h.state.store().clone();
    let start = feed_head(&store).await;
    let product = |name: &str, version: &str| json!({"apiVersion": "v1.0.0", "kind": "DataProduct", "id": "by-ref-1", "name": name, "version": version, "status": "active", "domain": "orders"});
    let contract = json!({"apiVersion": "v3.1.0", "kind": "DataContract", "id": "by-ref-c1", "version": "1.0.0", "status": "active"});
    let mut tx = store.write().await.unwrap();
    meshport_platform::catalog::product_publish(
        &mut tx,
        &product("First", "1.0.0"),
        std::slice::from_ref(&contract),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let mut tx = store.write().await.unwrap();
    meshport_platform::catalog::product_publish(&mut tx, &product("Second", "1.1.0"), &[])
        .await
        .unwrap();
    meshport_platform::catalog::product_publish(
        &mut tx,
        &json!({"apiVersion": "v1.0.0", "kind": "DataProduct", "id": "by-ref-2", "name": "Gone", "version": "1.0.0", "status": "active", "domain": "orders"}),
        &[],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let copies: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM changes WHERE seq > $1 AND entity IN ('product', 'contract') AND document IS NOT NULL",
    )
    .bind(start)
    .fetch_one(store.pool())
    .await
    .unwrap()
    .get("n");
    assert_eq!(
        copies, 0,
        "a product's or a contract's change copied its document"
    );

    let feed = |after: i64| async move {
        let (status, page) = h.get(&format!("/v1/changes?after={after}"), "cora").await;
        assert_eq!(status, StatusCode::OK, "{page}");
        page["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["entity"].as_str().unwrap().to_owned(),
                    c["id"].as_str().unwrap().to_owned(),
                    c["deleted"].as_bool().unwrap(),
                    c["document"]["name"].as_str().map(str::to_owned),
                    c["document"]["id"].as_str().map(str::to_owned),
                )
            })
            .collect::<Vec<_>>()
    };
    let some = |text: &str| Some(text.to_owned());
    assert_eq!(
        feed(start).await,
        vec![
            (
                "contract".into(),
                "by-ref-c1".into(),
                false,
                None,
                some("by-ref-c1")
            ),
            (
                "product".into(),
                "by-ref-1".into(),
                false,
                some("Second"),
                some("by-ref-1")
            ),
            (
                "product".into(),
                "by-ref-1".into(),
                false,
                some("Second"),
                some("by-ref-1")
            ),
            (
                "product".into(),
                "by-ref-2".into(),
                false,
                some("Gone"),
                some("by-ref-2")
            ),
        ],
        "each change carries its entity's document as the catalog holds it now"
    );
    let mut tx = store.write().await.unwrap();
    assert!(
        meshport_platform::catalog::product_remove(&mut tx, "by-ref-2")
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();
    let after = feed(start).await;
    assert_eq!(
        after[3..],
        [
            ("product".into(), "by-ref-2".into(), true, None, None),
            ("product".into(), "by-ref-2".into(), true, None, None),
        ],
        "a change of a product removed since reads as removed, and its tombstone follows"
    );
}

on_every_database!(
    the_change_feed_reads_products_and_contracts_from_the_catalog,
    change_feed_by_reference
);

/// The platform on a real port, through the typed client: the contract test of `meshport-client`.
#[tokio::test(flavor = "multi_thread")]
async fn the_client_speaks_the_platform_on_a_real_port() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::new(&format!("sqlite://{}", dir.path().join("p.db").display()));
    config.ports_dir = dir.path().join("ports");
    let state = AppState::open(config).await.unwrap();
    demo::governance_seed(&state).await.unwrap();
    let owen = token_create(state.store(), "owen").await.unwrap();
    let mia = token_create(state.store(), "mia").await.unwrap();
    let ada = token_create(state.store(), "ada").await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let platform = Platform::serve(state, listener).unwrap();
    let client = |token: &str| Client::new(&platform.url(), Secret::new(token)).unwrap();
    let owner = client(&owen);
    assert_eq!(owner.health().await.unwrap().database, "sqlite");
    assert_eq!(
        owner.openapi().await.unwrap(),
        *meshport_platform::http::openapi_json()
    );

    let request = orders_request();
    let submitted = owner
        .request_submit_document(&request, "real-port")
        .await
        .unwrap();
    assert!(!submitted.replayed);
    assert!(
        submitted
            .url
            .ends_with(&format!("/v1/provisioning-requests/{}", submitted.job.id))
    );
    let replay = owner
        .request_submit_document(&request, "real-port")
        .await
        .unwrap();
    assert!(replay.replayed);
    assert_eq!(replay.job.id, submitted.job.id);
    let other = client(&mia)
        .request_submit_document(&request, "mia")
        .await
        .unwrap_err();
    assert_eq!((other.status(), other.slug()), (Some(403), Some("forbidden")));
    let mut invalid = orders_request();
    // A version that is not a string; one that is not semantic versioning is a warning (issue 23).
    invalid["product"]["version"] = json!(7);
    let refused = owner
        .request_submit_document(&invalid, "invalid")
        .await
        .unwrap_err();
    assert_eq!(refused.slug(), Some("validation-failed"));
    assert!(refused.findings().iter().any(|f| f.path == "/product/version"));

    let mut job = submitted.job;
    for _ in 0..200 {
        job = owner.request_get(&job.id).await.unwrap();
        if job.state.is_finished() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(job.state, JobState::Succeeded);
    let conflict = owner.request_cancel(&job.id).await.unwrap_err();
    assert_eq!(
        conflict.problem().and_then(|p| p.current_state.as_deref()),
        Some("succeeded")
    );
    let product_id = request["product"]["id"].as_str().unwrap();
    assert_eq!(owner.product_get(product_id).await.unwrap()["id"], product_id);
    assert_eq!(owner.product_versions(product_id).await.unwrap().len(), 1);
    let feed = owner.changes_list(0, Some(1000)).await.unwrap();
    assert!(feed.changes.iter().any(|c| c.id == product_id));
    assert!(
        owner
            .policy_packs_list()
            .await
            .unwrap()
            .iter()
            .any(|p| p.name == "global")
    );
    assert_eq!(
        owner.audit_list(None, None).await.unwrap_err().status(),
        Some(403)
    );
    assert!(
        !client(&ada)
            .audit_list(None, Some(10))
            .await
            .unwrap()
            .items
            .is_empty()
    );
    let gone = owner
        .product_unprovision(product_id, Some("unprovision"))
        .await
        .unwrap();
    assert_eq!(gone.job.kind, meshport_model::platform::JobKind::Unprovision);
    platform.shutdown().await;
}

/// The binary, started as a user starts it.
struct Serve {
    child: std::process::Child,
    url: String,
    tokens: BTreeMap<String, String>,
}

impl Drop for Serve {
    /// A test that fails leaves no platform running.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(database: &str, ports: &Path, extra: &[&str]) -> Serve {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_meshport-platform"))
        .args([
            "serve",
            "--demo",
            "--addr",
            "127.0.0.1:0",
            "--database",
            database,
            "--ports-dir",
        ])
        .arg(ports)
        .args(extra)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let mut url = String::new();
    let mut tokens = BTreeMap::new();
    while tokens.len() < demo::USERS.len() {
        let line = lines
            .next()
            .expect("serve prints its address and tokens")
            .unwrap();
        if let Some(rest) = line.strip_prefix("listening on ") {
            url = rest.to_owned();
        } else if let Some(rest) = line.strip_prefix("token\t") {
            let mut parts = rest.split('\t');
            tokens.insert(parts.next().unwrap().to_owned(), parts.next().unwrap().to_owned());
        }
    }
    std::thread::spawn(move || for _ in lines {});
    Serve { child, url, tokens }
}

async fn crash_and_resume(database: &str, dir: &Path) {
    let ports = dir.join("ports");
    let mut first = serve(
        database,
        &ports,
        &["--step-delay-ms", "700", "--lease-ms", "1500"],
    );
    let client = Client::new(&first.url, Secret::new(first.tokens["owen"].clone())).unwrap();
    let request = orders_request();
    let id = client
        .request_submit_document(&request, "crash")
        .await
        .unwrap()
        .job
        .id;
    // Kill -9 while the port step runs: mid-job, where the adapter may have built part of the port.
    // A deadline, not a count: on a loaded machine (the whole suite on two cores) the first steps
    // can take longer than a fixed number of polls.
    let mut killed = false;
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while std::time::Instant::now() < deadline {
        let job = client.request_get(&id).await.unwrap();
        let running = job
            .steps
            .iter()
            .find(|s| s.status == meshport_model::platform::StepStatus::Running);
        if running.is_some_and(|s| s.name == "port:order-lines") {
            first.child.kill().unwrap();
            first.child.wait().unwrap();
            killed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    drop(first);
    assert!(killed, "the job reached its port step");
    // Start again on the same database: the lease runs out and the job resumes.
    let mut second = serve(database, &ports, &["--lease-ms", "1500"]);
    let client = Client::new(&second.url, Secret::new(second.tokens["owen"].clone())).unwrap();
    let mut done = client.request_get(&id).await.unwrap();
    for _ in 0..300 {
        if done.state.is_finished() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        done = client.request_get(&id).await.unwrap();
    }
    assert_eq!(done.state, JobState::Succeeded, "{done:#?}");
    assert!(
        done.steps
            .iter()
            .all(|s| s.status == meshport_model::platform::StepStatus::Succeeded)
    );
    // The adapter's objects are there, once: one server entry, the port's one table.
    let contract_id = request["contracts"][0]["id"].as_str().unwrap();
    let contract = client.contract_get(contract_id).await.unwrap();
    let built: Vec<&Value> = contract["servers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["server"] == "order-lines-sqlite" || s["server"] == "order-lines-postgres")
        .collect();
    assert_eq!(built.len(), 1, "{contract:#}");
    // The submit answered once: a replay of the key gives the same job.
    let replay = client.request_submit_document(&request, "crash").await.unwrap();
    assert!(replay.replayed);
    assert_eq!(replay.job.id, id);
    let admin = Client::new(&second.url, Secret::new(second.tokens["ada"].clone())).unwrap();
    let audit = admin.audit_list(None, Some(1000)).await.unwrap();
    let runs = audit
        .items
        .iter()
        .filter(|e| e.target == id && e.action == "provisioning-request.run")
        .count();
    assert_eq!(runs, 1, "the job finished once");
    let _ = std::process::Command::new("kill")
        .arg(second.child.id().to_string())
        .status();
    assert!(
        second.child.wait().unwrap().success(),
        "SIGTERM stops the platform cleanly"
    );
}

platform_test!(a_job_survives_kill_9_of_the_platform, |url, dir| {
    crash_and_resume(url, dir).await;
});

#[tokio::test(flavor = "multi_thread")]
#[ignore = "PostgreSQL only: `cargo xtask test` runs it beside a throwaway cluster"]
async fn two_instances_on_postgres_run_each_job_once() {
    let base = postgres_base();
    let url = postgres_database(&base).await;
    let dir = tempfile::tempdir().unwrap();
    let a = Harness::start(&url, &dir.path().join("ports")).await;
    let b = Harness::start(&url, &dir.path().join("ports")).await;
    let requests: Vec<Value> = (0..12).map(|_| orders_request()).collect();
    let mut answers = Vec::new();
    for (n, request) in requests.iter().enumerate() {
        let key = format!("twice-{n}");
        // Each request twice with one key, once through each instance, at once.
        let (x, y) = tokio::join!(a.submit("owen", request, &key), b.submit("owen", request, &key));
        answers.push((x, y));
    }
    let mut ids = BTreeSet::new();
    for ((s1, j1, _), (s2, j2, _)) in &answers {
        let accepted: Vec<&Value> = [(s1, j1), (s2, j2)]
            .iter()
            .filter(|(s, _)| **s == StatusCode::ACCEPTED)
            .map(|(_, j)| *j)
            .collect();
        assert!(!accepted.is_empty(), "{j1} {j2}");
        let first = accepted[0]["id"].as_str().unwrap().to_owned();
        assert!(
            accepted.iter().all(|j| j["id"] == first.as_str()),
            "one key, one job"
        );
        ids.insert(first);
    }
    assert_eq!(ids.len(), requests.len());
    for id in &ids {
        let job = a.wait(id).await;
        assert_eq!(job.state, JobState::Succeeded, "{job:#?}");
        assert_eq!(job.attempt, 1);
    }
    let jobs: i64 = sqlx::query("SELECT COUNT(*) AS n FROM jobs")
        .fetch_one(a.state.store().pool())
        .await
        .unwrap()
        .get("n");
    assert_eq!(jobs as usize, requests.len(), "zero duplicate jobs");
    let runs: i64 = sqlx::query("SELECT COUNT(*) AS n FROM audit WHERE action = 'provisioning-request.run'")
        .fetch_one(a.state.store().pool())
        .await
        .unwrap()
        .get("n");
    assert_eq!(runs as usize, requests.len(), "each job ran to its end once");
    let owners: BTreeSet<String> = sqlx::query("SELECT DISTINCT lease_owner FROM jobs")
        .fetch_all(a.state.store().pool())
        .await
        .unwrap()
        .iter()
        .filter_map(|r| r.try_get::<Option<String>, _>("lease_owner").ok().flatten())
        .collect();
    assert!(owners.is_empty(), "finished jobs hold no lease: {owners:?}");
    a.stop().await;
    b.stop().await;
}

#[test]
fn token_create_prints_the_token_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("p.db").display());
    let bin = env!("CARGO_BIN_EXE_meshport-platform");
    let add = std::process::Command::new(bin)
        .args(["user", "add", "zoe", "--role", "owner:orders", "--database", &db])
        .output()
        .unwrap();
    assert!(add.status.success(), "{}", String::from_utf8_lossy(&add.stderr));
    let out = std::process::Command::new(bin)
        .args(["token", "create", "--user", "zoe", "--database", &db])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.starts_with("mpt_") && stdout.trim_end().lines().count() == 1,
        "{stdout:?}"
    );
    let stored = std::fs::read(dir.path().join("p.db")).unwrap();
    let secret = stdout.trim().rsplit_once('_').unwrap().1;
    assert!(
        !String::from_utf8_lossy(&stored).contains(secret),
        "the database holds the token's hash only"
    );
    let missing = std::process::Command::new(bin)
        .args(["token", "create", "--user", "nobody", "--database", &db])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("user add nobody"));
}

#[test]
fn import_reads_json_lines_and_names_the_bad_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("p.db").display());
    let bin = env!("CARGO_BIN_EXE_meshport-platform");
    let lines: Vec<String> = (0..50)
        .map(|n| json!({"apiVersion": "v1.0.0", "kind": "DataProduct", "id": format!("00000000-0000-4000-8000-{n:012}"), "name": format!("P{n}"), "version": "1.0.0", "status": "active", "domain": "finance"}).to_string())
        .collect();
    std::fs::write(dir.path().join("p.jsonl"), lines.join("\n")).unwrap();
    let out = std::process::Command::new(bin)
        .args(["import"])
        .arg(dir.path().join("p.jsonl"))
        .args(["--database", &db, "--batch", "20"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("imported 50 product(s)"));
    std::fs::write(
        dir.path().join("bad.jsonl"),
        format!("{}\n{{not json\n", lines[0]),
    )
    .unwrap();
    let out = std::process::Command::new(bin)
        .args(["import"])
        .arg(dir.path().join("bad.jsonl"))
        .args(["--database", &db])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("bad.jsonl:2:"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::write(
        dir.path().join("invalid.jsonl"),
        json!({"kind": "DataProduct", "apiVersion": "v1.0.0", "id": "x", "version": 7, "status": "active"})
            .to_string(),
    )
    .unwrap();
    let out = std::process::Command::new(bin)
        .args(["import"])
        .arg(dir.path().join("invalid.jsonl"))
        .args(["--database", &db])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("document 1"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

// ---------------------------------------------------------------------------------------------
// Trust and access: quality on the data, incidents, lineage, access that is granted for real
// ---------------------------------------------------------------------------------------------

const DEMO_ORDERS: &str = "3f1c2a9e-6b7d-4e21-9a53-0c8f4d2b7e61";
const CHANNEL_CHECK: &str = "order-lines:order_lines.channel:0";

async fn post(h: &Harness, path: &str, user: &str, body: Option<Value>) -> (StatusCode, Value) {
    let (status, value, _) = h.call(Method::POST, path, Some(user), body.as_ref(), None).await;
    (status, value)
}

/// A connection to the platform's PostgreSQL database as `role` (trust authentication).
async fn connect_as(database: &str, role: &str) -> Result<sqlx::PgConnection, sqlx::Error> {
    let options: sqlx::postgres::PgConnectOptions = database.parse().unwrap();
    sqlx::PgConnection::connect_with(&options.username(role)).await
}

async fn quality_and_incidents(h: &Harness) {
    // The demo's history: a year of nothing, then a kiosk channel the contract does not list.
    let (status, incidents) = h.get("/v1/incidents?state=open", "sam").await;
    assert_eq!(status, StatusCode::OK, "{incidents}");
    let open: Vec<&Value> = incidents["items"].as_array().unwrap().iter().collect();
    assert_eq!(open.len(), 1, "the demo opens exactly one incident: {incidents}");
    let incident = open[0].clone();
    let id = incident["id"].as_str().unwrap().to_owned();
    assert_eq!(incident["check"], CHANNEL_CHECK);
    assert_eq!(incident["productId"], DEMO_ORDERS);
    assert_eq!(
        incident["failures"], 4,
        "later failures attach to the one incident: {incident}"
    );

    // Running the checks for real shows the same failure, measured on the port's rows.
    let path = format!("/v1/products/{DEMO_ORDERS}/quality-runs");
    for (user, why) in [
        ("cora", "a consumer"),
        ("mia", "an owner of another domain"),
        ("nobody", "no role"),
    ] {
        let (status, problem) = post(h, &path, user, None).await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "{why} may not run checks: {problem}"
        );
    }
    let (status, run) = post(h, &path, "sam", None).await;
    assert_eq!(status, StatusCode::CREATED, "{run}");
    let results = run["results"].as_array().unwrap();
    let channel = results.iter().find(|r| r["check"] == CHANNEL_CHECK).unwrap();
    assert_eq!(channel["status"], "failed", "{channel}");
    let measured = channel["value"].as_f64().unwrap();
    assert!((4.0..4.2).contains(&measured), "about 4% kiosk lines: {channel}");
    assert_eq!(run["failed"], 1, "{run}");
    assert!(
        results
            .iter()
            .filter(|r| r["check"] != CHANNEL_CHECK)
            .all(|r| r["status"] == "passed"),
        "{run}"
    );
    let row_count = results.iter().find(|r| r["metric"] == "rowCount").unwrap();
    assert_eq!(row_count["value"], 5000.0);
    assert_eq!(
        run["notExecutable"][0]["type"], "text",
        "text rules are listed as not executable: {run}"
    );
    let (status, run) = post(h, &path, "owen", None).await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "the domain's owner may run them too: {run}"
    );
    let (_, after) = h.get(&format!("/v1/incidents/{id}"), "cora").await;
    assert_eq!(after["failures"], 6, "the new failures attached: {after}");

    // The report: latest, history for trends, SLOs.
    let (status, report) = h
        .get(&format!("/v1/products/{DEMO_ORDERS}/quality"), "cora")
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let history = report["history"].as_array().unwrap();
    let trend = history.iter().find(|c| c["check"] == CHANNEL_CHECK).unwrap()["points"]
        .as_array()
        .unwrap();
    assert_eq!(trend.len(), 16, "14 demo days and two runs now");
    assert_eq!(trend[0]["status"], "passed");
    assert!(
        trend[0]["value"].as_f64().unwrap() < trend[15]["value"].as_f64().unwrap(),
        "not flat"
    );
    let slo = |name: &str| {
        report["slos"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["slo"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(slo("freshness")["status"], "met", "{report}");
    assert_eq!(slo("completeness")["status"], "met");
    assert_eq!(slo("passRate")["status"], "breached", "{}", slo("passRate"));
    let (status, _) = h
        .get(&format!("/v1/products/{DEMO_ORDERS}/quality?days=0"), "cora")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, problem) = post(
        h,
        "/v1/products/5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a/quality-runs",
        "sam",
        None,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "an imported product has no data here: {problem}"
    );
    assert_eq!(problem["type"], "urn:meshport:problem:not-provisioned");
    let (status, _) = post(h, "/v1/products/no-such/quality-runs", "sam", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The steward works the incident; the state machine refuses what it does not allow.
    let act = |action: &str| format!("/v1/incidents/{id}/{action}");
    let (status, problem) = post(h, &act("resolve"), "sam", Some(json!({"comment": "done"}))).await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(problem["currentState"], "open");
    for user in ["cora", "owen", "mia"] {
        let (status, problem) = post(h, &act("acknowledge"), user, None).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{user} is no steward: {problem}");
    }
    let (status, _) = post(h, &act("comment"), "cora", Some(json!({"text": "me too"}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "consumers read");
    let (status, _) = post(h, &act("comment"), "mia", Some(json!({"text": "me too"}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "owners of another domain read");
    let (status, commented) = post(
        h,
        &act("comment"),
        "owen",
        Some(json!({"text": "The kiosk pilot started on the 28th."})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "owners may comment: {commented}");
    let (status, acked) = post(h, &act("acknowledge"), "sam", None).await;
    assert_eq!(
        (status, acked["state"].as_str()),
        (StatusCode::OK, Some("acknowledged")),
        "{acked}"
    );
    let (status, problem) = post(h, &act("acknowledge"), "sam", None).await;
    assert_eq!(
        (status, problem["currentState"].as_str()),
        (StatusCode::CONFLICT, Some("acknowledged"))
    );
    let (status, problem) = post(h, &act("assign"), "sam", Some(json!({"assignee": "cora"}))).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "only stewards and owners take incidents: {problem}"
    );
    let (status, problem) = post(h, &act("assign"), "sam", Some(json!({"assignee": "sam", "x": 1}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert!(
        problem["detail"].as_str().unwrap().contains('x'),
        "names the unknown field: {problem}"
    );
    let (status, assigned) = post(h, &act("assign"), "sam", Some(json!({"assignee": "owen"}))).await;
    assert_eq!(
        (status, assigned["assignee"].as_str()),
        (StatusCode::OK, Some("owen")),
        "{assigned}"
    );
    let (_, mine) = h.get("/v1/incidents?assignee=owen&domain=orders", "owen").await;
    assert_eq!(mine["items"].as_array().unwrap().len(), 1);
    let (status, problem) = post(h, &act("resolve"), "sam", Some(json!({"comment": "  "}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    let (status, resolved) = post(
        h,
        &act("resolve"),
        "sam",
        Some(json!({"comment": "kiosk added to the contract's channels"})),
    )
    .await;
    assert_eq!(
        (status, resolved["state"].as_str()),
        (StatusCode::OK, Some("resolved")),
        "{resolved}"
    );
    let actions: Vec<&str> = resolved["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "opened",
            "failed-again",
            "failed-again",
            "failed-again",
            "failed-again",
            "failed-again",
            "commented",
            "acknowledged",
            "assigned",
            "resolved"
        ]
    );
    assert!(
        resolved["events"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["at"].is_string() && e["actor"].is_string())
    );
    for (action, body) in [
        ("resolve", json!({"comment": "again"})),
        ("assign", json!({"assignee": "sam"})),
        ("acknowledge", Value::Null),
    ] {
        let body = (!body.is_null()).then_some(body);
        let (status, problem) = post(h, &act(action), "sam", body).await;
        assert_eq!(
            (status, problem["currentState"].as_str()),
            (StatusCode::CONFLICT, Some("resolved")),
            "{action}"
        );
    }
    // A steward reopens a resolved incident by hand, saying why; each action is carried out once
    // per idempotency key, and a key is not reused for another action.
    let (status, _) = post(h, &act("reopen"), "owen", Some(json!({"comment": "still wrong"}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "owners do not reopen");
    let (status, problem) = post(h, &act("reopen"), "sam", Some(json!({"comment": " "}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    let key = uuid::Uuid::new_v4().to_string();
    let why = json!({"comment": "kiosk rows came back"});
    let (status, first, headers) = h
        .call(Method::POST, &act("reopen"), Some("sam"), Some(&why), Some(&key))
        .await;
    assert_eq!(
        (status, first["state"].as_str()),
        (StatusCode::OK, Some("reopened")),
        "{first}"
    );
    assert!(headers.get("idempotent-replayed").is_none());
    let (status, again, headers) = h
        .call(Method::POST, &act("reopen"), Some("sam"), Some(&why), Some(&key))
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a replay is answered, not refused: {again}"
    );
    assert_eq!(again, first, "a replay answers what the first send answered");
    assert_eq!(
        headers.get("idempotent-replayed").map(|v| v.to_str().unwrap()),
        Some("true")
    );
    let (status, problem, _) = h
        .call(
            Method::POST,
            &act("comment"),
            Some("sam"),
            Some(&json!({"text": "other"})),
            Some(&key),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["type"], "urn:meshport:problem:idempotency-key-reused");
    let (status, problem) = post(h, &act("reopen"), "sam", Some(json!({"comment": "twice"}))).await;
    assert_eq!(
        (status, problem["currentState"].as_str()),
        (StatusCode::CONFLICT, Some("reopened"))
    );
    let key = uuid::Uuid::new_v4().to_string();
    let note = json!({"text": "Sent twice by a flaky network, shown once."});
    for _ in 0..2 {
        let (status, _, _) = h
            .call(
                Method::POST,
                &act("comment"),
                Some("sam"),
                Some(&note),
                Some(&key),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
    }
    let (_, now) = h.get(&format!("/v1/incidents/{id}"), "sam").await;
    let times = now["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["comment"] == note["text"])
        .count();
    assert_eq!(times, 1, "a keyed comment sent twice lands once: {now}");
    let (status, _) = post(h, &act("acknowledge"), "sam", None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, again) = post(
        h,
        &act("resolve"),
        "sam",
        Some(json!({"comment": "really fixed"})),
    )
    .await;
    assert_eq!(again["state"], "resolved", "{status}: {again}");
    // The data is unchanged, so the next run fails the check again: the incident reopens.
    let (_, _) = post(h, &path, "sam", None).await;
    let (_, reopened) = h.get(&format!("/v1/incidents/{id}"), "cora").await;
    assert_eq!(reopened["state"], "reopened", "{reopened}");
    let (_, list) = h.get("/v1/incidents?domain=orders&state=reopened", "cora").await;
    assert_eq!(
        list["items"].as_array().unwrap().len(),
        1,
        "still one incident per check"
    );
    let (status, _) = h.get("/v1/incidents?state=burning", "cora").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = h.get("/v1/incidents/inc_missing", "cora").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // What the desktop cache will read offline.
    let (_, feed) = h.get("/v1/changes?after=0&limit=5000", "cora").await;
    let entities: BTreeSet<&str> = feed["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["entity"].as_str().unwrap())
        .collect();
    for entity in ["quality", "incident", "access-request"] {
        assert!(entities.contains(entity), "{entity} in the feed: {entities:?}");
    }
    let (_, audit) = h.get("/v1/audit?limit=1000", "ada").await;
    let audited: BTreeSet<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["action"].as_str().unwrap())
        .collect();
    for action in [
        "quality.run",
        "incident.acknowledge",
        "incident.assign",
        "incident.comment",
        "incident.resolve",
        "incident.reopen",
    ] {
        assert!(audited.contains(action), "{action}: {audited:?}");
    }
}

async fn a_failing_query_is_an_error_result(h: &Harness) {
    let mut request = orders_request();
    let rules = request["contracts"][0]["schema"][0]["quality"]
        .as_array_mut()
        .unwrap();
    rules.push(json!({"type": "sql", "query": "SELECT COUNT(*) FROM no_such_table", "mustBe": 0}));
    rules.push(json!({"type": "sql", "query": "DELETE FROM order_lines", "mustBe": 0}));
    rules.push(json!({"type": "custom", "engine": "soda", "implementation": "checks: []"}));
    let product = request["product"]["id"].as_str().unwrap().to_owned();
    let (status, job, _) = h
        .submit("owen", &request, &uuid::Uuid::new_v4().to_string())
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{job}");
    assert_eq!(
        h.wait(job["id"].as_str().unwrap()).await.state,
        JobState::Succeeded
    );
    let (status, run) = post(h, &format!("/v1/products/{product}/quality-runs"), "sam", None).await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "a failing query never fails the run: {run}"
    );
    let results = run["results"].as_array().unwrap();
    let missing = results
        .iter()
        .find(|r| r["check"].as_str().unwrap().ends_with(":5"))
        .unwrap();
    assert_eq!(missing["status"], "error", "{missing}");
    assert!(
        missing["message"].as_str().unwrap().contains("no_such_table"),
        "the database's message: {missing}"
    );
    let delete = results
        .iter()
        .find(|r| r["check"].as_str().unwrap().ends_with(":6"))
        .unwrap();
    // The wrapping SELECT makes this DELETE a syntax error on any connection: the proof that checks run
    // read-only is `contract_sql_reads_its_own_port_and_nothing_else` (a write inside a SELECT, and a
    // second statement that deletes, each refused and the rows counted after).
    assert_eq!(delete["status"], "error", "checks run read-only: {delete}");
    let row_count = results.iter().find(|r| r["metric"] == "rowCount").unwrap();
    assert_eq!(
        row_count["status"], "failed",
        "an empty port has no rows: {row_count}"
    );
    assert_eq!(row_count["value"], 0.0);
    let custom = run["notExecutable"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["type"] == "custom")
        .unwrap();
    assert!(custom["reason"].as_str().unwrap().contains("soda"), "{custom}");
}

async fn lineage(h: &Harness) {
    let (status, graph) = h
        .get(&format!("/v1/lineage?product={DEMO_ORDERS}&depth=3"), "cora")
        .await;
    assert_eq!(status, StatusCode::OK, "{graph}");
    let nodes: Vec<(i64, &str, &str)> = graph["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["distance"].as_i64().unwrap(),
                n["name"].as_str().unwrap(),
                n["domain"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        nodes,
        [
            (0, "Order Lines", "orders"),
            (1, "Campaign Attribution", "marketing"),
            (2, "Daily Revenue", "finance")
        ],
        "a chain across three domains"
    );
    assert_eq!(graph["edges"].as_array().unwrap().len(), 2, "{graph}");
    let (_, near) = h
        .get(&format!("/v1/lineage?product={DEMO_ORDERS}&depth=1"), "cora")
        .await;
    assert_eq!(
        near["nodes"].as_array().unwrap().len(),
        2,
        "depth bounds the walk"
    );
    let (_, revenue) = h
        .get(
            "/v1/lineage?product=2b1a0f9e-8d7c-4b6a-9f5e-4d3c2b1a0f9e&depth=2",
            "cora",
        )
        .await;
    let upstream: BTreeSet<&str> = revenue["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["distance"].as_i64().unwrap() < 0)
        .map(|n| n["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        upstream,
        BTreeSet::from(["Campaign Attribution", "Customer Master", "Order Lines", "Orders"]),
        "{revenue}"
    );
    for query in [
        "product=missing",
        &format!("product={DEMO_ORDERS}&depth=11"),
        "depth=2",
    ] {
        let (status, _) = h.get(&format!("/v1/lineage?{query}"), "cora").await;
        assert!(
            status == StatusCode::NOT_FOUND || status == StatusCode::BAD_REQUEST,
            "{query}: {status}"
        );
    }
    let (status, _) = h
        .get(&format!("/v1/lineage?product={DEMO_ORDERS}"), "nobody")
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

async fn access(h: &Harness, database: &str) {
    let postgres = database.starts_with("postgres");
    let (_, pending) = h.get("/v1/access-requests?state=requested", "owen").await;
    let pending = pending["items"].as_array().unwrap();
    assert_eq!(pending.len(), 1, "the demo's pending request: {pending:?}");
    let id = pending[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(pending[0]["consumer"], "cora");
    let (_, theirs) = h.get("/v1/access-requests", "mia").await;
    assert!(
        theirs["items"].as_array().unwrap().is_empty(),
        "another domain's owner does not see it"
    );
    let (status, _) = h.get(&format!("/v1/access-requests/{id}"), "mia").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let rows = format!("/v1/products/{DEMO_ORDERS}/ports/order-lines/rows?limit=3");

    // Refused before approval, in every way a consumer could try.
    let (status, _) = h.get(&rows, "cora").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "no grant, no rows");
    let schema = sqlx::query("SELECT location FROM port_resources WHERE product_id = $1")
        .bind(DEMO_ORDERS)
        .fetch_one(h.state.store().pool())
        .await
        .unwrap()
        .try_get::<String, _>("location")
        .unwrap();
    let decide = |verdict: &str| format!("/v1/access-requests/{id}/{verdict}");
    for user in ["cora", "mia", "sam", "ada"] {
        let (status, problem) = post(h, &decide("approve"), user, None).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{user} may not approve: {problem}");
    }

    // Approval grants for real.
    let (status, active) = post(
        h,
        &decide("approve"),
        "owen",
        Some(json!({"reason": "forecasting is a listed use"})),
    )
    .await;
    assert_eq!(
        (status, active["state"].as_str()),
        (StatusCode::OK, Some("active")),
        "{active}"
    );
    assert_eq!(active["decidedBy"], "owen");
    if postgres {
        assert_eq!(active["grant"]["role"], "mesh_cora", "{active}");
        let mut cora = connect_as(database, "mesh_cora")
            .await
            .expect("the granted role logs in");
        let count: i64 = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) AS n FROM \"{schema}\".order_lines"
        )))
        .fetch_one(&mut cora)
        .await
        .expect("the granted role reads the port")
        .try_get("n")
        .unwrap();
        assert_eq!(count, 5000);
        cora.close().await.unwrap();
        let (status, problem) = h.get(&rows, "cora").await;
        assert_eq!(
            status,
            StatusCode::CONFLICT,
            "PostgreSQL ports are read in the database: {problem}"
        );
    } else {
        let (status, page) = h.get(&rows, "cora").await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert_eq!(page["rows"].as_array().unwrap().len(), 3);
        assert!(page["columns"].as_array().unwrap().contains(&json!("channel")));
        let next = page["nextCursor"].as_str().unwrap();
        let (_, second) = h.get(&format!("{rows}&cursor={next}"), "cora").await;
        assert_ne!(second["rows"][0], page["rows"][0], "pages move on");
        let (_, kiosk) = h.get(&format!("{rows}&channel=kiosk"), "cora").await;
        let channel = kiosk["columns"]
            .as_array()
            .unwrap()
            .iter()
            .position(|c| c == "channel")
            .unwrap();
        assert!(
            kiosk["rows"]
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r[channel] == "kiosk"),
            "{kiosk}"
        );
        let (status, problem) = h.get(&format!("{rows}&colour=red"), "cora").await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
        assert!(
            problem["detail"].as_str().unwrap().contains("channel"),
            "lists the columns: {problem}"
        );
        let (status, _) = h.get(&format!("{rows}&table=nope"), "cora").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let (status, _) = h.get(&rows, "owen").await;
        assert_eq!(status, StatusCode::OK, "the domain's owners read their ports");
        let (status, _) = h.get(&rows, "mia").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "a grant is the consumer's own");
    }
    let (_, graph) = h
        .get(&format!("/v1/lineage?product={DEMO_ORDERS}&depth=1"), "cora")
        .await;
    assert_eq!(
        graph["nodes"][0]["outputPorts"][0]["consumers"],
        json!(["cora"]),
        "lineage shows who holds access"
    );
    let (status, problem) = post(h, &decide("approve"), "owen", None).await;
    assert_eq!(
        (status, problem["currentState"].as_str()),
        (StatusCode::CONFLICT, Some("active"))
    );

    // Revocation takes it away.
    let (status, revoked) = post(
        h,
        &decide("revoke"),
        "owen",
        Some(json!({"reason": "project ended"})),
    )
    .await;
    assert_eq!(
        (status, revoked["state"].as_str()),
        (StatusCode::OK, Some("revoked")),
        "{revoked}"
    );
    if postgres {
        let mut cora = connect_as(database, "mesh_cora").await.unwrap();
        let refused = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM \"{schema}\".order_lines"
        )))
        .fetch_one(&mut cora)
        .await
        .unwrap_err();
        assert!(refused.to_string().contains("permission denied"), "{refused}");
    } else {
        let (status, _) = h.get(&rows, "cora").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "revoked, refused");
    }
    for verdict in ["approve", "reject", "revoke"] {
        let (status, problem) = post(h, &decide(verdict), "owen", None).await;
        assert_eq!(
            (status, problem["currentState"].as_str()),
            (StatusCode::CONFLICT, Some("revoked")),
            "{verdict}"
        );
    }

    // Asking: what is refused, and why.
    let ask = |body: Value| body;
    let cases = [
        (
            ask(json!({"productId": "nope", "outputPort": "order-lines", "purpose": "x"})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "productId",
        ),
        (
            ask(json!({"productId": DEMO_ORDERS, "outputPort": "orders", "purpose": "x"})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "order-lines",
        ),
        (
            ask(json!({"productId": DEMO_ORDERS, "outputPort": "order-lines", "purpose": " "})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "purpose",
        ),
        (
            ask(
                json!({"productId": DEMO_ORDERS, "outputPort": "order-lines", "purpose": "x", "until": "2020-01-01T00:00:00Z"}),
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "until",
        ),
        (
            ask(
                json!({"productId": DEMO_ORDERS, "outputPort": "order-lines", "purpose": "x", "until": "soon"}),
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "RFC 3339",
        ),
        (
            ask(
                json!({"productId": "5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a", "outputPort": "order-lines", "purpose": "x"}),
            ),
            StatusCode::CONFLICT,
            "not provisioned",
        ),
    ];
    for (body, want, says) in cases {
        let (status, problem) = post(h, "/v1/access-requests", "cora", Some(body.clone())).await;
        assert_eq!(status, want, "{body}: {problem}");
        assert!(
            problem["detail"].as_str().unwrap().contains(says),
            "{body}: {problem}"
        );
    }
    let (status, _) = post(
        h,
        "/v1/access-requests",
        "nobody",
        Some(json!({"productId": DEMO_ORDERS, "outputPort": "order-lines", "purpose": "x"})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // An owner cannot approve their own request; another owner rejects it.
    let (status, own) = post(
        h,
        "/v1/access-requests",
        "owen",
        Some(json!({"productId": DEMO_ORDERS, "outputPort": "order-lines", "purpose": "audit"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{own}");
    let (status, again) = post(
        h,
        "/v1/access-requests",
        "owen",
        Some(json!({"productId": DEMO_ORDERS, "outputPort": "order-lines", "purpose": "audit"})),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "one pending request per port: {again}"
    );
    let own_id = own["id"].as_str().unwrap();
    let (status, problem) = post(h, &format!("/v1/access-requests/{own_id}/approve"), "owen", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{problem}");
    let (status, rejected) = post(h, &format!("/v1/access-requests/{own_id}/reject"), "owen", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "nor reject it: {rejected}");

    // Asked with an idempotency key (a desktop's outbox sending again after a lost answer), the
    // request is made once: the repeat answers it, marked a replay, instead of a duplicate's 409. The
    // key is the caller's own: another user sending it asks for themselves. It is not reusable for
    // another request.
    let key = uuid::Uuid::new_v4().to_string();
    let body = json!({"productId": DEMO_ORDERS, "outputPort": "order-lines", "purpose": "asked offline"});
    let ask_with = |user: &'static str, body: Value, key: String| async move {
        h.call(
            Method::POST,
            "/v1/access-requests",
            Some(user),
            Some(&body),
            Some(&key),
        )
        .await
    };
    let (status, first, headers) = ask_with("mia", body.clone(), key.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert!(headers.get("idempotent-replayed").is_none());
    let first_id = first["id"].as_str().unwrap().to_owned();
    let (status, again, headers) = ask_with("mia", body.clone(), key.clone()).await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "a replay is answered, not refused: {again}"
    );
    assert_eq!(again["id"], first["id"], "one request per key");
    assert_eq!(
        headers.get("idempotent-replayed").map(|v| v.to_str().unwrap()),
        Some("true")
    );
    assert_eq!(
        headers.get("location").map(|v| v.to_str().unwrap().to_owned()),
        Some(format!("/v1/access-requests/{first_id}"))
    );
    let (status, problem, _) = ask_with(
        "mia",
        json!({"productId": DEMO_ORDERS, "outputPort": "order-lines", "purpose": "something else"}),
        key.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["type"], "urn:meshport:problem:idempotency-key-reused");
    let (status, theirs, headers) = ask_with("fin", body.clone(), key.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{theirs}");
    assert!(
        headers.get("idempotent-replayed").is_none(),
        "mia's key answers only mia"
    );
    assert_eq!(theirs["consumer"], "fin");
    assert_ne!(theirs["id"], first["id"]);
    let (_, mine) = h
        .get(
            &format!("/v1/access-requests?product={DEMO_ORDERS}&consumer=mia"),
            "mia",
        )
        .await;
    let asked: Vec<&Value> = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["purpose"] == "asked offline")
        .collect();
    assert_eq!(asked.len(), 1, "asked once: {mine}");
    for id in [first_id.as_str(), theirs["id"].as_str().unwrap()] {
        let (status, done) = post(
            h,
            &format!("/v1/access-requests/{id}/reject"),
            "owen",
            Some(json!({"reason": "the idempotency check is over"})),
        )
        .await;
        assert_eq!(
            (status, done["state"].as_str()),
            (StatusCode::OK, Some("rejected")),
            "{done}"
        );
    }

    // An end date takes access away by itself.
    let until = meshport_platform::store::rfc3339(h.clock.now_ms() + 1500);
    let (status, short) = post(h, "/v1/access-requests", "fin", Some(json!({"productId": DEMO_ORDERS, "outputPort": "order-lines", "purpose": "month-end check", "until": until}))).await;
    assert_eq!(status, StatusCode::CREATED, "{short}");
    let short_id = short["id"].as_str().unwrap();
    let (status, granted) = post(
        h,
        &format!("/v1/access-requests/{short_id}/approve"),
        "owen",
        None,
    )
    .await;
    assert_eq!(granted["state"], "active", "{status} {granted}");
    h.clock.advance(Duration::from_millis(1600));
    if !postgres {
        let (status, _) = h.get(&rows, "fin").await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "past its end date, refused before the sweep"
        );
    }
    assert_eq!(meshport_platform::access::expire(&h.state).await.unwrap(), 1);
    let (_, expired) = h.get(&format!("/v1/access-requests/{short_id}"), "fin").await;
    assert_eq!(expired["state"], "expired", "{expired}");
    if postgres {
        let mut fin = connect_as(database, "mesh_fin").await.unwrap();
        let refused = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT 1 FROM \"{schema}\".order_lines LIMIT 1"
        )))
        .fetch_one(&mut fin)
        .await;
        assert!(refused.is_err(), "expired, refused in the database");
    }
    let (_, audit) = h.get("/v1/audit?limit=1000", "ada").await;
    let audited: BTreeSet<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["action"].as_str().unwrap())
        .collect();
    for action in [
        "access-request.create",
        "access-request.approve",
        "access-request.grant",
        "access-request.revoke",
        "access-request.expire",
    ] {
        assert!(audited.contains(action), "{action}: {audited:?}");
    }
}

async fn unprovisioning_closes_access(h: &Harness) {
    let (_, pending) = h
        .get(
            &format!("/v1/access-requests?product={DEMO_ORDERS}&state=requested"),
            "owen",
        )
        .await;
    let pending_id = pending["items"][0]["id"]
        .as_str()
        .expect("owen's own request is pending")
        .to_owned();
    let (_, active) = h.get("/v1/incidents?domain=orders", "sam").await;
    let open: Vec<String> = active["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["productId"] == DEMO_ORDERS && i["state"] != "resolved")
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(!open.is_empty(), "the channel check's incident is open: {active}");
    let (status, job, _) = h
        .call(
            Method::POST,
            &format!("/v1/products/{DEMO_ORDERS}/unprovision"),
            Some("owen"),
            None,
            Some("unprovision-demo"),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{job}");
    let done = h.wait(job["id"].as_str().unwrap()).await;
    assert_eq!(done.state, JobState::Succeeded, "{done:#?}");
    let (_, closed) = h.get(&format!("/v1/access-requests/{pending_id}"), "owen").await;
    assert_eq!(closed["state"], "rejected", "no data, nothing to grant: {closed}");
    assert_eq!(closed["reason"], "the port was unprovisioned");
    // Its incidents can neither be fixed nor fail again: resolved by the platform, saying why.
    for id in &open {
        let (_, incident) = h.get(&format!("/v1/incidents/{id}"), "sam").await;
        assert_eq!(incident["state"], "resolved", "{incident}");
        let last = incident["events"].as_array().unwrap().last().unwrap();
        assert_eq!(last["actor"], "platform", "{last}");
        assert!(
            last["comment"].as_str().unwrap().contains("unprovisioned"),
            "{last}"
        );
    }
    let steps = serde_json::to_string(&done.steps).unwrap();
    assert!(steps.contains("open incident(s)"), "{steps}");
}

platform_test!(
    stewards_work_incidents_and_consumers_get_access_for_real,
    |url, dir| {
        let harness = Harness::start(url, &dir.join("ports")).await;
        demo::demo_seed(&harness.state).await.unwrap();
        quality_and_incidents(&harness).await;
        lineage(&harness).await;
        access(&harness, url).await;
        a_failing_query_is_an_error_result(&harness).await;
        unprovisioning_closes_access(&harness).await;
        harness.stop().await;
    }
);

/// Counts a port table's rows as `role`, in the database: refused without a grant.
async fn read_as(database: &str, role: &str, schema: &str) -> Result<i64, sqlx::Error> {
    let mut conn = connect_as(database, role).await?;
    let counted = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) AS n FROM \"{schema}\".order_lines"
    )))
    .fetch_one(&mut conn)
    .await
    .and_then(|row| row.try_get("n"));
    conn.close().await?;
    counted
}

/// Lets connections into `database` (a URL on `base`'s cluster) or refuses them all: to the platform,
/// a PostgreSQL that does not answer. Connections already open stay (the store's pool).
async fn connections_allow(base: &str, database: &str, allow: bool) {
    let name = database.rsplit('/').next().unwrap();
    let mut admin = sqlx::PgConnection::connect(base).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "ALTER DATABASE {name} ALLOW_CONNECTIONS {allow}"
    )))
    .execute(&mut admin)
    .await
    .unwrap();
    admin.close().await.unwrap();
}

/// The audit entries of `action` on `target`, as `(outcome, detail)`.
async fn audited(h: &Harness, action: &str, target: &str) -> Vec<(String, String)> {
    let (status, audit) = h.get("/v1/audit?limit=1000", "ada").await;
    assert_eq!(status, StatusCode::OK, "{audit}");
    audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["action"] == action && a["target"] == target)
        .map(|a| {
            (
                a["outcome"].as_str().unwrap().to_owned(),
                a["detail"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// A revocation PostgreSQL cannot carry out (it refuses connections) is never lost: the owner's
/// decision and the end date stand, the failure is audited, the grant is honestly still there, and
/// the trust upkeep takes it away once the database answers.
/// PostgreSQL only: on SQLite a grant is the record the rows endpoint reads, nothing to fail.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "PostgreSQL only: `cargo xtask test` runs it beside a throwaway cluster"]
async fn a_revocation_that_fails_is_audited_and_retried_until_it_holds() {
    let base = postgres_base();
    let url = postgres_database(&base).await;
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::start(&url, &dir.path().join("ports")).await;
    let request = orders_request();
    let product_id = request["product"]["id"].as_str().unwrap().to_owned();
    let (status, job, _) = h
        .submit("owen", &request, &uuid::Uuid::new_v4().to_string())
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{job}");
    let job = h.wait(job["id"].as_str().unwrap()).await;
    assert_eq!(job.state, JobState::Succeeded, "{job:#?}");
    // The store's pool keeps the connections it opens: enough for the platform to go on while new
    // ones are refused.
    let pool = h.state.store().pool();
    let mut warm = Vec::new();
    for _ in 0..6 {
        warm.push(pool.acquire().await.unwrap());
    }
    drop(warm);
    let upkeep = || meshport_platform::access::revocations_retry(&h.state);
    let pending = || async {
        sqlx::query("SELECT role, attempts FROM pending_revocations ORDER BY role")
            .fetch_all(h.state.store().pool())
            .await
            .unwrap()
            .iter()
            .map(|r| (r.get::<String, _>("role"), r.get::<i64, _>("attempts")))
            .collect::<Vec<_>>()
    };
    let granted = |user: &'static str, until: Option<String>| {
        let product_id = product_id.clone();
        let h = &h;
        async move {
            let mut body =
                json!({"productId": product_id, "outputPort": "order-lines", "purpose": "forecasting"});
            if let Some(until) = until {
                body["until"] = json!(until);
            }
            let (status, asked) = post(h, "/v1/access-requests", user, Some(body)).await;
            assert_eq!(status, StatusCode::CREATED, "{asked}");
            let id = asked["id"].as_str().unwrap().to_owned();
            let (status, active) = post(h, &format!("/v1/access-requests/{id}/approve"), "owen", None).await;
            assert_eq!(
                (status, active["state"].as_str()),
                (StatusCode::OK, Some("active")),
                "{active}"
            );
            (id, active["grant"]["schema"].as_str().unwrap().to_owned())
        }
    };

    // Revoked by the owner while PostgreSQL refuses: the decision stands, the failure is audited.
    let (id, schema) = granted("cora", None).await;
    assert_eq!(
        read_as(&url, "mesh_cora", &schema).await.unwrap(),
        0,
        "granted, cora reads"
    );
    connections_allow(&base, &url, false).await;
    let (status, revoked) = post(
        &h,
        &format!("/v1/access-requests/{id}/revoke"),
        "owen",
        Some(json!({"reason": "project ended"})),
    )
    .await;
    assert_eq!(
        (status, revoked["state"].as_str()),
        (StatusCode::OK, Some("revoked")),
        "{revoked}"
    );
    let failed = audited(&h, "access-request.ungrant", &id).await;
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0].0, "failed");
    assert!(
        failed[0].1.contains("mesh_cora") && failed[0].1.contains("retries"),
        "{failed:?}"
    );
    assert_eq!(
        pending().await,
        [("mesh_cora".to_owned(), 3)],
        "three tries, then kept"
    );
    assert_eq!(upkeep().await.unwrap(), 0, "still refused, still pending");
    assert_eq!(pending().await, [("mesh_cora".to_owned(), 4)]);
    connections_allow(&base, &url, true).await;
    assert_eq!(
        read_as(&url, "mesh_cora", &schema).await.unwrap(),
        0,
        "until the revocation holds, the grant is there: which is why it is pending"
    );
    // The next tick of the upkeep takes it away.
    assert_eq!(upkeep().await.unwrap(), 1);
    let refused = read_as(&url, "mesh_cora", &schema).await.unwrap_err();
    assert!(refused.to_string().contains("permission denied"), "{refused}");
    assert!(pending().await.is_empty());
    let outcomes: Vec<String> = audited(&h, "access-request.ungrant", &id)
        .await
        .into_iter()
        .map(|(outcome, _)| outcome)
        .collect();
    assert_eq!(outcomes, ["succeeded", "failed"], "newest first");
    assert_eq!(upkeep().await.unwrap(), 0, "nothing left to retry");

    // An end date passing while PostgreSQL refuses: expired on record, taken away at the next tick.
    let until = meshport_platform::store::rfc3339(h.clock.now_ms() + 60_000);
    let (id, schema) = granted("fin", Some(until)).await;
    assert_eq!(read_as(&url, "mesh_fin", &schema).await.unwrap(), 0);
    connections_allow(&base, &url, false).await;
    h.clock.advance(Duration::from_secs(61));
    assert_eq!(meshport_platform::access::expire(&h.state).await.unwrap(), 1);
    let (_, expired) = h.get(&format!("/v1/access-requests/{id}"), "fin").await;
    assert_eq!(expired["state"], "expired", "{expired}");
    let failed = audited(&h, "access-request.ungrant", &id).await;
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0].0, "failed");
    connections_allow(&base, &url, true).await;
    assert_eq!(
        read_as(&url, "mesh_fin", &schema).await.unwrap(),
        0,
        "still granted"
    );
    assert_eq!(upkeep().await.unwrap(), 1);
    let refused = read_as(&url, "mesh_fin", &schema).await.unwrap_err();
    assert!(refused.to_string().contains("permission denied"), "{refused}");
    assert!(pending().await.is_empty());
    h.stop().await;
}

/// Roles belong to the cluster: two platforms (databases) on one cluster provisioning a port of one
/// name share its `<schema>_read` role, and unprovisioning in one must not fail on the other's.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "PostgreSQL only: `cargo xtask test` runs it beside a throwaway cluster"]
async fn two_databases_on_one_cluster_unprovision_the_same_port() {
    let base = postgres_base();
    use meshport_platform::adapters::PortSpec;
    use meshport_platform::adapters::sql::{SqlAdapter, SqlTarget};
    let (_, request) = demo::demo_requests().into_iter().next().unwrap();
    let spec = PortSpec {
        product_id: "shared-product",
        product_name: "Shared",
        port: "lines",
        contract: &request["contracts"][0],
    };
    let a = SqlAdapter::new(SqlTarget::Postgres {
        url: postgres_database(&base).await,
    });
    let b = SqlAdapter::new(SqlTarget::Postgres {
        url: postgres_database(&base).await,
    });
    let built_a = a.apply(&spec).await.unwrap();
    let built_b = b.apply(&spec).await.unwrap();
    assert_eq!(
        built_a.location, built_b.location,
        "one schema name, so one role name"
    );
    a.destroy(&built_a.location)
        .await
        .expect("the role is kept for the other database");
    b.destroy(&built_b.location)
        .await
        .expect("and dropped with the last");
}

// ---------------------------------------------------------------------------------------------
// Isolation: contract SQL reaches its own port only; ids belong to the domain that registered them
// ---------------------------------------------------------------------------------------------

/// `request` moved to the marketing domain (mia's), with what the marketing pack asks of a product.
fn as_marketing(mut request: Value) -> Value {
    request["product"]["domain"] = json!("marketing");
    request["contracts"][0]["domain"] = json!("marketing");
    request["product"]["customProperties"] = json!([{"property": "attributionModel", "value": "last-touch"}]);
    request
}

/// A port's location as its contract's `servers` entry says: the SQLite file or the PostgreSQL schema.
async fn port_location(h: &Harness, contract_id: &str) -> String {
    let (status, contract) = h.get(&format!("/v1/contracts/{contract_id}"), "cora").await;
    assert_eq!(status, StatusCode::OK, "{contract}");
    let server = contract["servers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["type"] == "postgres" || s["format"] == "sqlite")
        .unwrap_or_else(|| panic!("a provisioned servers entry: {contract}"))
        .clone();
    server["schema"]
        .as_str()
        .or(server["path"].as_str())
        .unwrap()
        .to_owned()
}

/// Submits `request` as `user` and waits for its job to succeed.
async fn provision(h: &Harness, user: &str, request: &Value) {
    let (status, job, _) = h.submit(user, request, &uuid::Uuid::new_v4().to_string()).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{job}");
    let job = h.wait(job["id"].as_str().unwrap()).await;
    assert_eq!(job.state, JobState::Succeeded, "{job:?}");
}

async fn row_count(h: &Harness, location: &str) -> Option<f64> {
    h.state
        .adapter()
        .port_measure(
            location,
            &["SELECT COUNT(*) FROM order_lines".to_owned()],
            Duration::from_secs(10),
        )
        .await
        .unwrap()
        .pop()
        .unwrap()
        .unwrap()
}

async fn contract_sql_stays_in_its_port(h: &Harness, database: &str) {
    let postgres = database.starts_with("postgres");
    // Orders (owen): a port with rows, one of them in a channel the other domain would like to count.
    let mut orders = orders_request();
    let orders_id = orders["product"]["id"].as_str().unwrap().to_owned();
    let orders_contract = orders["contracts"][0]["id"].as_str().unwrap().to_owned();
    if postgres {
        // A value of the port's own data quoted by the database's message must not reach readers.
        orders["contracts"][0]["schema"][0]["quality"]
            .as_array_mut()
            .unwrap()
            .push(json!({"type": "sql", "query": "SELECT CAST(MIN(channel) AS integer) FROM ${table}", "mustBe": 0}));
    }
    provision(h, "owen", &orders).await;
    let orders_port = port_location(h, &orders_contract).await;
    let table = if postgres {
        format!("\"{orders_port}\".order_lines")
    } else {
        "order_lines".to_owned()
    };
    let rows: Vec<String> = (1..=5)
        .map(|n| {
            format!(
                "INSERT INTO {table} (order_id, line_number, sku, quantity, unit_price_eur, channel, order_date, loaded_at) \
                 VALUES ('o-{n}', 1, 'sku-{n}', 1, 9.5, '{}', '2026-11-30', '2026-11-30T12:00:00Z')",
                if n == 5 { "kiosk" } else { "web" }
            )
        })
        .collect();
    h.state.adapter().port_execute(&orders_port, &rows).await.unwrap();

    // Marketing (mia): a product of its own whose contract SQL tries everything else.
    let mut hostile = as_marketing(orders_request());
    let hostile_id = hostile["product"]["id"].as_str().unwrap().to_owned();
    let hostile_contract = hostile["contracts"][0]["id"].as_str().unwrap().to_owned();
    hostile["product"]["name"] = json!(format!("Curious {}", &hostile_id[..8]));
    let platform_file = database.strip_prefix("sqlite://").unwrap_or_default();
    let injected_delete = "1) AS DOUBLE PRECISION); DELETE FROM order_lines; SELECT CAST((1";
    let mut attacks: Vec<(&str, String)> = vec![
        (
            "a runaway recursive query",
            "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT COUNT(*) FROM r".into(),
        ),
        ("a second statement that deletes", injected_delete.into()),
    ];
    if postgres {
        let platform_role: String = sqlx::query_scalar::<_, String>("SELECT CAST(current_user AS TEXT)")
            .fetch_one(h.state.store().pool())
            .await
            .unwrap();
        attacks.extend([
            (
                "another domain's port",
                format!("SELECT COUNT(*) FROM \"{orders_port}\".order_lines WHERE channel = 'kiosk'"),
            ),
            (
                "the platform's tokens",
                "SELECT CAST(secret_sha256 AS integer) FROM public.tokens LIMIT 1".into(),
            ),
            ("pg_catalog's secrets", "SELECT COUNT(*) FROM pg_catalog.pg_authid".into()),
            ("a server file", "SELECT length(pg_read_file('/etc/hostname'))".into()),
            ("a server folder", "SELECT COUNT(*) FROM pg_ls_dir('.')".into()),
            (
                "switching back to the platform's role",
                format!("SELECT length(set_config('role', '{platform_role}', false))"),
            ),
            (
                "SQL run from a string",
                "SELECT length(CAST(query_to_xml('SELECT secret_sha256 FROM public.tokens', true, false, '') AS text))"
                    .into(),
            ),
            (
                "a top-level write after the first statement",
                "1) AS DOUBLE PRECISION); WITH d AS (DELETE FROM order_lines RETURNING 1) SELECT CAST((SELECT COUNT(*) FROM d"
                    .into(),
            ),
        ]);
    } else {
        attacks.extend([
            (
                "another domain's port",
                format!(
                    "1) AS DOUBLE PRECISION); ATTACH DATABASE '{orders_port}' AS o; SELECT CAST((SELECT COUNT(*) FROM o.order_lines"
                ),
            ),
            (
                "the platform's tokens",
                format!(
                    "1) AS DOUBLE PRECISION); ATTACH DATABASE '{platform_file}' AS p; SELECT CAST((SELECT COUNT(*) FROM p.tokens"
                ),
            ),
            ("an extension", "SELECT load_extension('/usr/lib/nothing.so')".into()),
        ]);
    }
    let rules = hostile["contracts"][0]["schema"][0]["quality"]
        .as_array_mut()
        .unwrap();
    let first_attack = rules.len();
    for (_, query) in &attacks {
        rules.push(json!({"type": "sql", "query": query, "mustBe": 0}));
    }
    if postgres {
        // PostgreSQL lets `lo_create` write even in a read-only transaction: every check is rolled back.
        rules.push(json!({"type": "sql", "query": "SELECT CAST(lo_create(0) AS bigint)", "mustBe": 0}));
    }
    provision(h, "mia", &hostile).await;
    let hostile_port = port_location(h, &hostile_contract).await;
    let own: Vec<String> = (1..=3)
        .map(|n| {
            let table = if postgres {
                format!("\"{hostile_port}\".order_lines")
            } else {
                "order_lines".to_owned()
            };
            format!(
                "INSERT INTO {table} (order_id, line_number, sku, quantity, unit_price_eur, channel, order_date, loaded_at) \
                 VALUES ('m-{n}', 1, 'sku', 1, 1.0, 'web', '2026-11-30', '2026-11-30T12:00:00Z')"
            )
        })
        .collect();
    h.state.adapter().port_execute(&hostile_port, &own).await.unwrap();

    let started = std::time::Instant::now();
    let (status, run) = post(h, &format!("/v1/products/{hostile_id}/quality-runs"), "sam", None).await;
    assert_eq!(status, StatusCode::CREATED, "{run}");
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "the runaway query stopped at the limit: {:?}",
        started.elapsed()
    );
    let results = run["results"].as_array().unwrap();
    for (i, (what, _)) in attacks.iter().enumerate() {
        let check = format!("{}:order_lines:{}", "order-lines", first_attack + i);
        let result = results
            .iter()
            .find(|r| r["check"] == check.as_str())
            .unwrap_or_else(|| panic!("{what}: no result {check} in {run}"));
        assert_eq!(result["status"], "error", "{what} is refused: {result}");
        assert!(result["value"].is_null(), "{what}: no value: {result}");
        assert!(
            result["message"].as_str().unwrap().starts_with("SQLSTATE "),
            "{what}: the SQLSTATE is kept: {result}"
        );
    }
    assert_eq!(
        row_count(h, &orders_port).await,
        Some(5.0),
        "the other port is untouched"
    );
    assert_eq!(
        row_count(h, &hostile_port).await,
        Some(3.0),
        "nothing was deleted"
    );
    if postgres {
        let large_objects: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM pg_largeobject_metadata")
            .fetch_one(h.state.store().pool())
            .await
            .unwrap();
        assert_eq!(large_objects, 0, "nothing a check writes outlives it");
    }

    // No reader sees a value they could not read: not a token hash, a server file, another port's rows.
    let hashes: Vec<String> = sqlx::query_scalar("SELECT secret_sha256 FROM tokens")
        .fetch_all(h.state.store().pool())
        .await
        .unwrap();
    let (status, orders_run) = post(h, &format!("/v1/products/{orders_id}/quality-runs"), "sam", None).await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "the runner keeps serving: {orders_run}"
    );
    let hostname = std::fs::read_to_string("/etc/hostname").unwrap_or_default();
    for (product, reader) in [(&hostile_id, "cora"), (&orders_id, "cora"), (&hostile_id, "mia")] {
        let (status, report) = h.get(&format!("/v1/products/{product}/quality"), reader).await;
        assert_eq!(status, StatusCode::OK, "{report}");
        let text = report.to_string();
        for hash in &hashes {
            assert!(!text.contains(hash.as_str()), "a token hash in the report");
        }
        assert!(
            !text.contains("kiosk"),
            "a value of the port's data in the report: {text}"
        );
        if !hostname.trim().is_empty() {
            assert!(!text.contains(hostname.trim()), "a server file in the report");
        }
    }
    if postgres {
        let cast = orders_run["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["message"].as_str().is_some_and(|m| m.contains("22P02")))
            .unwrap_or_else(|| panic!("the failing cast: {orders_run}"));
        assert!(
            cast["message"].as_str().unwrap().contains("\"…\""),
            "the quoted value is redacted: {cast}"
        );
    }
}

platform_test!(contract_sql_reads_its_own_port_and_nothing_else, |url, dir| {
    let harness = Harness::start(url, &dir.join("ports")).await;
    contract_sql_stays_in_its_port(&harness, url).await;
    harness.stop().await;
});

/// The read-only transaction is a guard of its own: even a read role that was given write privileges
/// (by hand, outside the platform) cannot write through a check. On a read-write connection this
/// statement deletes the rows, so this test fails there.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "PostgreSQL only: `cargo xtask test` runs it beside a throwaway cluster"]
async fn checks_run_read_only_even_for_a_role_that_may_write() {
    let url = postgres_database(&postgres_base()).await;
    let dir = tempfile::tempdir().unwrap();
    let h = Harness::start(&url, &dir.path().join("ports")).await;
    let orders = orders_request();
    provision(&h, "owen", &orders).await;
    let schema = port_location(&h, orders["contracts"][0]["id"].as_str().unwrap()).await;
    h.state
        .adapter()
        .port_execute(
            &schema,
            &[
                format!(
                    "INSERT INTO \"{schema}\".order_lines (order_id, line_number, sku, quantity, unit_price_eur, channel, \
                     order_date, loaded_at) VALUES ('o-1', 1, 's', 1, 1.0, 'web', '2026-11-30', '2026-11-30T12:00:00Z')"
                ),
                format!("GRANT DELETE ON ALL TABLES IN SCHEMA \"{schema}\" TO \"{schema}_read\""),
            ],
        )
        .await
        .unwrap();
    let delete = "SELECT CAST((1) AS DOUBLE PRECISION); \
                  WITH d AS (DELETE FROM order_lines RETURNING 1) SELECT CAST((SELECT COUNT(*) FROM d) AS DOUBLE PRECISION)";
    let measured = h
        .state
        .adapter()
        .port_measure(&schema, &[delete.to_owned()], Duration::from_secs(10))
        .await
        .unwrap();
    let message = measured[0].as_ref().expect_err("the write is refused");
    assert!(
        message.starts_with("SQLSTATE 25006"),
        "read-only transaction: {message}"
    );
    assert_eq!(row_count(&h, &schema).await, Some(1.0), "the row is still there");
    h.stop().await;
}

/// The sandbox does not lean on the platform's own role: a platform that connects as a least-privilege
/// role (CREATEROLE, owner of its database only, as the README shows) gets the same refusals, and no
/// start-up warning; one that connects as a superuser is warned.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "PostgreSQL only: `cargo xtask test` runs it beside a throwaway cluster"]
async fn a_least_privilege_platform_is_sandboxed_the_same() {
    let base = postgres_base();
    let superuser = meshport_platform::store::Store::connect(&base).await.unwrap();
    let warnings = superuser.role_warnings().await.unwrap();
    assert!(
        warnings.iter().any(|w| w.contains("superuser")),
        "a superuser platform is warned: {warnings:?}"
    );
    let role = format!("lp_{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
    let mut conn = sqlx::PgConnection::connect(&base).await.unwrap();
    for sql in [
        format!("CREATE ROLE {role} LOGIN CREATEROLE"),
        format!("CREATE DATABASE {role} OWNER {role}"),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut conn)
            .await
            .unwrap();
    }
    let options: sqlx::postgres::PgConnectOptions = base.parse().unwrap();
    let url = format!(
        "postgres://{role}@{}:{}/{role}",
        options.get_host(),
        options.get_port()
    );
    let dir = tempfile::tempdir().unwrap();
    let harness = Harness::start(&url, &dir.path().join("ports")).await;
    assert_eq!(
        harness.state.store().role_warnings().await.unwrap(),
        Vec::<String>::new(),
        "a least-privilege role is not warned"
    );
    contract_sql_stays_in_its_port(&harness, &url).await;
    harness.stop().await;
}

async fn audited_by(h: &Harness, actor: &str, action: &str) -> Vec<Value> {
    let (status, page) = h.get("/v1/audit?limit=500", "ada").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["actor"] == actor && e["action"] == action)
        .cloned()
        .collect()
}

async fn ids_belong_to_their_domain(h: &Harness) {
    let orders = orders_request();
    let orders_id = orders["product"]["id"].as_str().unwrap().to_owned();
    let contract_id = orders["contracts"][0]["id"].as_str().unwrap().to_owned();
    provision(h, "owen", &orders).await;

    // Marketing names Orders' contract id for a port of its own: 409 id-taken, naming the domain.
    let mut taken = as_marketing(orders_request());
    taken["product"]["outputPorts"][0]["contractId"] = json!(contract_id);
    taken["contracts"][0]["id"] = json!(contract_id);
    let refusals_before = audited_by(h, "mia", "provisioning-request.submit").await.len();
    let (status, problem, _) = h.submit("mia", &taken, &uuid::Uuid::new_v4().to_string()).await;
    assert_eq!(status, StatusCode::CONFLICT, "{problem}");
    assert_eq!(problem["type"], "urn:meshport:problem:id-taken", "{problem}");
    let detail = problem["detail"].as_str().unwrap();
    assert!(
        detail.contains("domain `orders`") && detail.contains(&contract_id),
        "{detail}"
    );
    let refusals = audited_by(h, "mia", "provisioning-request.submit").await;
    assert_eq!(refusals.len(), refusals_before + 1, "the refusal is audited");
    let (_, contract) = h.get(&format!("/v1/contracts/{contract_id}"), "cora").await;
    assert_eq!(
        contract["domain"], "orders",
        "the contract is still Orders': {contract}"
    );

    // Only its output port naming the contract (bundled under another id) is the same takeover.
    let mut pointed = as_marketing(orders_request());
    pointed["product"]["outputPorts"][0]["contractId"] = json!(contract_id);
    let (status, problem, _) = h.submit("mia", &pointed, &uuid::Uuid::new_v4().to_string()).await;
    assert!(
        status == StatusCode::CONFLICT || status == StatusCode::UNPROCESSABLE_ENTITY,
        "an output port cannot point at another domain's contract: {status} {problem}"
    );

    // Naming the product id is refused as before (403), and nothing changed.
    let mut product = as_marketing(orders_request());
    product["product"]["id"] = json!(orders_id);
    let (status, problem, _) = h.submit("mia", &product, &uuid::Uuid::new_v4().to_string()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{problem}");
    let (_, published) = h.get(&format!("/v1/products/{orders_id}"), "cora").await;
    assert_eq!(published["domain"], "orders");

    // Reading it from an input port is what contracts are for.
    let mut reader = as_marketing(orders_request());
    reader["product"]["inputPorts"] =
        json!([{"name": "order-lines", "version": "1.0.0", "contractId": contract_id}]);
    provision(h, "mia", &reader).await;

    // A new version of one's own product keeps its ids.
    let mut next = orders.clone();
    next["product"]["version"] = json!("1.1.0");
    next["contracts"][0]["version"] = json!("1.1.0");
    provision(h, "owen", &next).await;

    // Unprovisioned, the ids still belong to Orders.
    let (status, job) = post(h, &format!("/v1/products/{orders_id}/unprovision"), "owen", None).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{job}");
    assert_eq!(
        h.wait(job["id"].as_str().unwrap()).await.state,
        JobState::Succeeded
    );
    let (status, problem, _) = h.submit("mia", &taken, &uuid::Uuid::new_v4().to_string()).await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "after unprovisioning too: {problem}"
    );
    let mut moved = as_marketing(orders_request());
    moved["product"]["id"] = json!(orders_id);
    let (status, problem, _) = h.submit("mia", &moved, &uuid::Uuid::new_v4().to_string()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the product id too: {problem}");

    // Two domains racing for one new contract id: one holds it, the other is refused or fails.
    let shared = uuid::Uuid::new_v4().to_string();
    let mut first = orders_request();
    first["product"]["outputPorts"][0]["contractId"] = json!(shared);
    first["contracts"][0]["id"] = json!(shared);
    let mut second = as_marketing(orders_request());
    second["product"]["outputPorts"][0]["contractId"] = json!(shared);
    second["contracts"][0]["id"] = json!(shared);
    let (key_a, key_b) = (uuid::Uuid::new_v4().to_string(), uuid::Uuid::new_v4().to_string());
    let (a, b) = tokio::join!(h.submit("owen", &first, &key_a), h.submit("mia", &second, &key_b));
    let mut holders = Vec::new();
    for ((status, job, _), request) in [(a, &first), (b, &second)] {
        if status == StatusCode::CONFLICT {
            assert_eq!(job["type"], "urn:meshport:problem:id-taken", "{job}");
            continue;
        }
        assert_eq!(status, StatusCode::ACCEPTED, "{job}");
        let job = h.wait(job["id"].as_str().unwrap()).await;
        match job.state {
            JobState::Succeeded => holders.push(request["product"]["domain"].clone()),
            JobState::Failed => assert!(format!("{job:?}").contains("belongs to product"), "{job:?}"),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(holders.len(), 1, "exactly one domain holds the id: {holders:?}");
    let (_, contract) = h.get(&format!("/v1/contracts/{shared}"), "cora").await;
    assert_eq!(contract["domain"], holders[0]);
}

on_every_database!(
    a_contract_id_belongs_to_the_domain_that_registered_it,
    ids_belong_to_their_domain
);

// ---------------------------------------------------------------------------------------------
// The authorization matrix: every operation that writes, tried by everyone who may not, on real ids
// ---------------------------------------------------------------------------------------------

/// A digest of every table of the platform's store but the audit log (which records the refusals):
/// equal digests mean that nothing changed.
async fn store_digest(h: &Harness) -> BTreeMap<String, String> {
    use meshport_platform::store::Backend;
    let pool = h.state.store().pool();
    let postgres = h.state.store().backend() == Backend::Postgres;
    let tables: Vec<String> = if postgres {
        sqlx::query_scalar(
            "SELECT CAST(table_name AS TEXT) FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
        )
    } else {
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    }
    .fetch_all(pool)
    .await
    .unwrap();
    let mut digest = BTreeMap::new();
    for table in tables
        .into_iter()
        .filter(|t| t != "audit" && t != "_sqlx_migrations")
    {
        let sql = if postgres {
            format!(
                "SELECT COALESCE(md5(string_agg(CAST(x AS TEXT), '|' ORDER BY CAST(x AS TEXT))), '') FROM \"{table}\" x"
            )
        } else {
            let columns: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT name FROM pragma_table_info('{table}')"
            )))
            .fetch_all(pool)
            .await
            .unwrap();
            let row: Vec<String> = columns.iter().map(|c| format!("quote(\"{c}\")")).collect();
            format!(
                "SELECT COALESCE(group_concat(r, '|'), '') FROM (SELECT {} AS r FROM \"{table}\" ORDER BY 1)",
                row.join(" || ',' || ")
            )
        };
        let value: String = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .fetch_one(pool)
            .await
            .unwrap();
        digest.insert(table, value);
    }
    digest
}

/// One try of an operation: who calls, and what they must get.
struct Attempt {
    operation: &'static str,
    method: Method,
    path: String,
    body: Option<Value>,
    /// `(caller, status)`: `forged` sends a token the platform never issued.
    refused: Vec<(&'static str, StatusCode)>,
}

/// Everyone from the next domain: marketing's owner (`mia`), steward (`stu`) and consumer (`cal`), a
/// consumer of every domain (`cora`), a user with no role (`nobody`) and a forged token.
const OUTSIDERS: [(&str, StatusCode); 6] = [
    ("mia", StatusCode::FORBIDDEN),
    ("stu", StatusCode::FORBIDDEN),
    ("cal", StatusCode::FORBIDDEN),
    ("cora", StatusCode::FORBIDDEN),
    ("nobody", StatusCode::FORBIDDEN),
    ("forged", StatusCode::UNAUTHORIZED),
];

async fn authorization_matrix(h: &Harness) {
    use meshport_platform::auth::{Grant, user_upsert};
    let mut tokens = h.tokens.clone();
    for (user, grant) in [("stu", "steward:marketing"), ("cal", "consumer:marketing")] {
        user_upsert(h.state.store(), user, &[Grant::parse(grant).unwrap()])
            .await
            .unwrap();
        tokens.insert(user, token_create(h.state.store(), user).await.unwrap());
    }
    tokens.insert("forged", "mpt_0000000000000000_forged".to_owned());

    // Orders' ids: a provisioned product and its job, an open incident (the empty port has too few
    // rows), a pending access request.
    let orders = orders_request();
    let product = orders["product"]["id"].as_str().unwrap().to_owned();
    let (status, job, _) = h.submit("owen", &orders, &uuid::Uuid::new_v4().to_string()).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{job}");
    let job = h.wait(job["id"].as_str().unwrap()).await;
    assert_eq!(job.state, JobState::Succeeded, "{job:?}");
    let (status, run) = post(h, &format!("/v1/products/{product}/quality-runs"), "sam", None).await;
    assert_eq!(status, StatusCode::CREATED, "{run}");
    let (_, incidents) = h.get("/v1/incidents?domain=orders", "sam").await;
    let incident = incidents["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["productId"] == product.as_str())
        .unwrap_or_else(|| panic!("an incident of {product}: {incidents}"))["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, access) = post(
        h,
        "/v1/access-requests",
        "cora",
        Some(json!({"productId": product, "outputPort": "order-lines", "purpose": "Forecasting."})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{access}");
    let access = access["id"].as_str().unwrap().to_owned();
    let job = job.id;

    let all_but = |allowed: &[&str]| -> Vec<(&'static str, StatusCode)> {
        OUTSIDERS
            .iter()
            .filter(|(who, _)| !allowed.contains(who))
            .copied()
            .collect()
    };
    let mut next_version = orders.clone();
    next_version["product"]["version"] = json!("1.1.0");
    let pack = |scope: &str, name: &str| {
        json!({"name": name, "version": "1.0.0", "scope": scope,
               "files": {"policy.rego": "package main\n\ndeny contains msg if { false; msg := \"never\" }\n"}})
    };
    let attempts = vec![
        Attempt {
            operation: "request_submit",
            method: Method::POST,
            path: "/v1/provisioning-requests".into(),
            body: Some(next_version),
            refused: all_but(&[]),
        },
        Attempt {
            operation: "request_cancel",
            method: Method::POST,
            path: format!("/v1/provisioning-requests/{job}/cancel"),
            body: None,
            refused: all_but(&[]),
        },
        Attempt {
            operation: "request_retry",
            method: Method::POST,
            path: format!("/v1/provisioning-requests/{job}/retry"),
            body: None,
            refused: all_but(&[]),
        },
        Attempt {
            operation: "product_unprovision",
            method: Method::POST,
            path: format!("/v1/products/{product}/unprovision"),
            body: None,
            refused: all_but(&[]),
        },
        Attempt {
            operation: "pack_put",
            method: Method::PUT,
            path: "/v1/policy-packs/orders-extra".into(),
            body: Some(pack("domain:orders", "orders-extra")),
            refused: all_but(&[]),
        },
        Attempt {
            operation: "pack_put",
            method: Method::PUT,
            path: "/v1/policy-packs/global".into(),
            body: Some(pack("global", "global")),
            refused: [("owen", StatusCode::FORBIDDEN), ("sam", StatusCode::FORBIDDEN)]
                .into_iter()
                .chain(all_but(&[]))
                .collect(),
        },
        Attempt {
            operation: "quality_run",
            method: Method::POST,
            path: format!("/v1/products/{product}/quality-runs"),
            body: None,
            refused: all_but(&[]),
        },
        Attempt {
            operation: "incident_acknowledge",
            method: Method::POST,
            path: format!("/v1/incidents/{incident}/acknowledge"),
            body: None,
            refused: [("owen", StatusCode::FORBIDDEN)]
                .into_iter()
                .chain(all_but(&[]))
                .collect(),
        },
        Attempt {
            operation: "incident_assign",
            method: Method::POST,
            path: format!("/v1/incidents/{incident}/assign"),
            body: Some(json!({"assignee": "stu"})),
            refused: [("owen", StatusCode::FORBIDDEN)]
                .into_iter()
                .chain(all_but(&[]))
                .collect(),
        },
        Attempt {
            operation: "incident_comment",
            method: Method::POST,
            path: format!("/v1/incidents/{incident}/comment"),
            body: Some(json!({"text": "from next door"})),
            refused: all_but(&[]),
        },
        Attempt {
            operation: "incident_resolve",
            method: Method::POST,
            path: format!("/v1/incidents/{incident}/resolve"),
            body: Some(json!({"comment": "not ours"})),
            refused: [("owen", StatusCode::FORBIDDEN)]
                .into_iter()
                .chain(all_but(&[]))
                .collect(),
        },
        Attempt {
            operation: "incident_reopen",
            method: Method::POST,
            path: format!("/v1/incidents/{incident}/reopen"),
            body: Some(json!({"comment": "not ours"})),
            refused: [("owen", StatusCode::FORBIDDEN)]
                .into_iter()
                .chain(all_but(&[]))
                .collect(),
        },
        Attempt {
            // Anyone with a role may ask; the owners decide.
            operation: "access_create",
            method: Method::POST,
            path: "/v1/access-requests".into(),
            body: Some(json!({"productId": product, "outputPort": "order-lines", "purpose": "Curiosity."})),
            refused: vec![
                ("nobody", StatusCode::FORBIDDEN),
                ("forged", StatusCode::UNAUTHORIZED),
            ],
        },
        Attempt {
            operation: "access_approve",
            method: Method::POST,
            path: format!("/v1/access-requests/{access}/approve"),
            body: Some(json!({"reason": "ok"})),
            refused: [("sam", StatusCode::FORBIDDEN)]
                .into_iter()
                .chain(all_but(&[]))
                .collect(),
        },
        Attempt {
            operation: "access_reject",
            method: Method::POST,
            path: format!("/v1/access-requests/{access}/reject"),
            body: Some(json!({"reason": "no"})),
            refused: [("sam", StatusCode::FORBIDDEN)]
                .into_iter()
                .chain(all_but(&[]))
                .collect(),
        },
        Attempt {
            operation: "access_revoke",
            method: Method::POST,
            path: format!("/v1/access-requests/{access}/revoke"),
            body: Some(json!({"reason": "no"})),
            refused: [("sam", StatusCode::FORBIDDEN)]
                .into_iter()
                .chain(all_but(&[]))
                .collect(),
        },
    ];

    // The matrix covers every operation of the API description that is not a GET: a new one fails here.
    let description: Value = serde_json::from_str(
        &std::fs::read_to_string(workspace_root().join("schemas/platform.openapi.json")).unwrap(),
    )
    .unwrap();
    let mut writes = BTreeSet::new();
    let mut reads = Vec::new();
    for (path, operations) in description["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            let id = operation["operationId"].as_str().unwrap_or_default().to_owned();
            match method.as_str() {
                "get" => reads.push((id, path.clone())),
                "post" | "put" | "patch" | "delete" => {
                    writes.insert(id);
                }
                _ => {}
            }
        }
    }
    let covered: BTreeSet<String> = attempts.iter().map(|a| a.operation.to_owned()).collect();
    assert_eq!(
        covered, writes,
        "every write operation of schemas/platform.openapi.json has its row in the authorization matrix"
    );

    let mut refusals = 0;
    for attempt in &attempts {
        for (who, want) in &attempt.refused {
            let before = store_digest(h).await;
            let request = Request::builder()
                .method(attempt.method.clone())
                .uri(&attempt.path)
                .header("authorization", format!("Bearer {}", tokens[who]))
                .header("idempotency-key", uuid::Uuid::new_v4().to_string());
            let (status, _, bytes) = send(&h.router, request, attempt.body.as_ref()).await;
            assert_eq!(
                status,
                *want,
                "{} {} as {who}: {}",
                attempt.method,
                attempt.path,
                String::from_utf8_lossy(&bytes)
            );
            assert_eq!(
                store_digest(h).await,
                before,
                "{} {} as {who} changed nothing",
                attempt.method,
                attempt.path
            );
            refusals += 1;
        }
    }
    eprintln!(
        "authorization matrix: {refusals} refusals over {} write operations",
        writes.len()
    );

    // Every operation but the two public ones refuses a forged token and a missing one.
    for (id, path) in reads {
        if matches!(id.as_str(), "health" | "openapi") {
            continue;
        }
        let path = path
            .replace("{id}", &product)
            .replace("{port}", "order-lines")
            .replace("{name}", "global");
        for token in [Some("mpt_0000000000000000_forged"), None] {
            let mut request = Request::builder().method(Method::GET).uri(&path);
            if let Some(token) = token {
                request = request.header("authorization", format!("Bearer {token}"));
            }
            let response = h
                .router
                .clone()
                .oneshot(request.body(Body::empty()).unwrap())
                .await
                .unwrap();
            assert_eq!(
                response.status(),
                StatusCode::UNAUTHORIZED,
                "GET {path} ({id}) with {token:?}"
            );
        }
    }
}

on_every_database!(
    every_write_refuses_everyone_who_may_not_and_changes_nothing,
    authorization_matrix
);

// ---------------------------------------------------------------------------------------------
// Bounded answers: lists and histories come in pages; the incident list costs one statement
// ---------------------------------------------------------------------------------------------

/// Reads `path` page by page, `limit` at a time, until a page has no `nextCursor`; asserts no page
/// holds more than `limit` items and every page but the last is full. `items` picks a page's items.
async fn every_page(
    h: &Harness,
    path: &str,
    limit: usize,
    items: impl Fn(&Value) -> Vec<Value>,
) -> Vec<Vec<Value>> {
    let join = if path.contains('?') { '&' } else { '?' };
    let mut pages = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(cursor) => format!("{path}{join}limit={limit}&cursor={cursor}"),
            None => format!("{path}{join}limit={limit}"),
        };
        let (status, page) = h.get(&url, "cora").await;
        assert_eq!(status, StatusCode::OK, "{url}: {page}");
        let got = items(&page);
        assert!(got.len() <= limit, "{url}: {} items for limit {limit}", got.len());
        pages.push(got);
        match page["nextCursor"].as_str() {
            Some(next) => {
                assert_eq!(
                    pages.last().unwrap().len(),
                    limit,
                    "{url}: only a full page has a next one"
                );
                assert_ne!(cursor.as_deref(), Some(next), "{url}: the cursor moves on");
                cursor = Some(next.to_owned());
            }
            None => return pages,
        }
        assert!(pages.len() < 1000, "{path}: the pages never end");
    }
}

/// A bad `limit` or `cursor` is a 400 problem whose detail names the parameter.
async fn refuses_bad_paging(h: &Harness, path: &str, max: i64) {
    let join = if path.contains('?') { '&' } else { '?' };
    let garbage = "bm90LWEtY3Vyc29y"; // base64url of "not-a-cursor"
    for (query, parameter) in [
        ("limit=0".to_owned(), "limit"),
        (format!("limit={}", max + 1), "limit"),
        ("limit=ten".to_owned(), "limit"),
        ("cursor=%25%25".to_owned(), "cursor"),
        ("cursor=%00".to_owned(), "cursor"),
        (format!("cursor={garbage}"), "cursor"),
    ] {
        let url = format!("{path}{join}{query}");
        let (status, problem) = h.get(&url, "cora").await;
        if parameter == "cursor" && path.contains("policy-packs") && query.ends_with(garbage) {
            // A pack list's cursor is the last name read: any name is a place to start after.
            assert_eq!(status, StatusCode::OK, "{url}: {problem}");
            continue;
        }
        assert_eq!(status, StatusCode::BAD_REQUEST, "{url}: {problem}");
        assert!(
            problem["detail"].as_str().unwrap().contains(parameter),
            "{url}: the problem names `{parameter}`: {problem}"
        );
    }
}

async fn packs_and_versions_come_in_pages(h: &Harness) {
    // Packs: the three the demo governs with, and seven more.
    for n in 0..7 {
        let pack = json!({
            "name": format!("extra-{n}"), "version": "1.0.0", "scope": "global",
            "files": {"extra.rego": "package main\n"},
        });
        let (status, body, _) = h.put(&format!("/v1/policy-packs/extra-{n}"), "ada", &pack).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let items = |page: &Value| page["items"].as_array().unwrap().clone();
    let (_, first) = h.get("/v1/policy-packs", "cora").await;
    let all = items(&first);
    assert_eq!(all.len(), 10, "the default page holds them all: {first}");
    assert!(first.get("nextCursor").is_none(), "{first}");
    assert!(
        all.iter().all(|p| p["files"] == json!({})),
        "a list carries no files"
    );
    for limit in [1, 3, 4, 10] {
        let pages = every_page(h, "/v1/policy-packs", limit, items).await;
        assert_eq!(pages.len(), 10usize.div_ceil(limit), "limit {limit}");
        let names: Vec<Value> = pages.concat().iter().map(|p| p["name"].clone()).collect();
        let expected: Vec<Value> = all.iter().map(|p| p["name"].clone()).collect();
        assert_eq!(
            names, expected,
            "every pack once, in name order, at limit {limit}"
        );
    }
    refuses_bad_paging(h, "/v1/policy-packs", 1000).await;

    // Versions: five of one product, some registered in the same millisecond.
    let id = uuid::Uuid::new_v4().to_string();
    let versions: Vec<Value> = (0..5)
        .map(|n| json!({"id": id, "name": "Paged", "domain": "orders", "status": "active", "version": format!("1.{n}.0")}))
        .collect();
    for chunk in versions.chunks(2) {
        meshport_platform::catalog::products_import(h.state.store(), chunk, 2)
            .await
            .unwrap();
    }
    let path = format!("/v1/products/{id}/versions");
    let (_, whole) = h.get(&path, "cora").await;
    let all = items(&whole);
    assert_eq!(all.len(), 5, "{whole}");
    for limit in [1, 2, 5] {
        let pages = every_page(h, &path, limit, items).await;
        assert_eq!(
            pages.concat(),
            all,
            "every version once, oldest first, at limit {limit}"
        );
    }
    let listed: Vec<&str> = all.iter().map(|v| v["version"].as_str().unwrap()).collect();
    assert_eq!(listed, ["1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0"]);
    refuses_bad_paging(h, &path, 1000).await;
    let (status, _) = h.get("/v1/products/never-registered/versions", "cora").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn quality_history_comes_in_pages(h: &Harness) {
    let request = orders_request();
    let product_id = request["product"]["id"].as_str().unwrap().to_owned();
    let (status, job, _) = h
        .submit("owen", &request, &uuid::Uuid::new_v4().to_string())
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{job}");
    assert_eq!(
        h.wait(job["id"].as_str().unwrap()).await.state,
        JobState::Succeeded
    );
    let runs = 7;
    for _ in 0..runs {
        let (status, run) = post(
            h,
            &format!("/v1/products/{product_id}/quality-runs"),
            "owen",
            None,
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{run}");
    }
    let path = format!("/v1/products/{product_id}/quality");
    let (status, whole) = h.get(&path, "cora").await;
    assert_eq!(status, StatusCode::OK, "{whole}");
    assert!(
        whole.get("nextCursor").is_none(),
        "the default page holds a week of runs: {whole}"
    );
    let history = whole["history"].as_array().unwrap().clone();
    assert!(!history.is_empty());
    for check in &history {
        assert_eq!(check["points"].as_array().unwrap().len(), runs, "{check}");
    }
    // The first page is the newest runs; each next page the runs before; each page oldest first.
    for limit in [1, 2, 3, 7] {
        let pages = every_page(h, &path, limit, |report| {
            let points = report["history"][0]["points"].as_array().unwrap().clone();
            let check = &report["history"][0]["check"];
            assert!(
                report["history"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|c| c["points"].as_array().unwrap().len() == points.len()),
                "every check has a point per run of the page: {report}"
            );
            assert_eq!(check, &history[0]["check"]);
            points
        })
        .await;
        let mut points: Vec<Value> = Vec::new();
        for page in pages.into_iter().rev() {
            points.extend(page);
        }
        assert_eq!(
            points,
            history[0]["points"].as_array().unwrap().clone(),
            "limit {limit}"
        );
    }
    refuses_bad_paging(h, &path, 2000).await;
    let (status, problem) = h.get(&format!("{path}?days=0"), "cora").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("days"), "{problem}");
}

async fn paging(h: &Harness) {
    packs_and_versions_come_in_pages(h).await;
    quality_history_comes_in_pages(h).await;
}

on_every_database!(lists_and_histories_come_in_pages_followed_to_the_end, paging);

/// The rules that count a table's rows share one pass over it. When that pass fails (here an invalid
/// pattern), each of its rules runs alone: the broken rule is the one error, and the others keep
/// their exact numbers, in rows and in percent.
async fn one_pass_per_table_and_the_rule_that_breaks_it(h: &Harness) {
    let mut request = orders_request();
    let product_id = request["product"]["id"].as_str().unwrap().to_owned();
    let contract_id = request["contracts"][0]["id"].as_str().unwrap().to_owned();
    let object = &mut request["contracts"][0]["schema"][0];
    object["quality"] = json!([{"metric": "rowCount", "mustBe": 5}]);
    for property in object["properties"].as_array_mut().unwrap() {
        property.as_object_mut().unwrap().remove("quality");
        if property["name"] == "channel" {
            property["quality"] = json!([
                {"metric": "nullValues", "mustBe": 0},
                {"metric": "invalidValues", "arguments": {"validValues": ["web", "store"]}, "mustBe": 1},
                {"metric": "invalidValues", "arguments": {"validValues": ["web"]}, "unit": "percent", "mustBe": 20},
                {"metric": "invalidValues", "arguments": {"pattern": "(unclosed"}, "mustBe": 0},
                {"metric": "missingValues", "arguments": {"missingValues": ["kiosk"]}, "mustBe": 1}
            ]);
        }
    }
    provision(h, "owen", &request).await;
    let location = port_location(h, &contract_id).await;
    let table = if location.contains('/') {
        "order_lines".to_owned()
    } else {
        format!("\"{location}\".order_lines")
    };
    let rows: Vec<String> = (1..=5)
        .map(|n| {
            format!(
                "INSERT INTO {table} (order_id, line_number, sku, quantity, unit_price_eur, channel, order_date, loaded_at) \
                 VALUES ('o-{n}', 1, 'sku-{n}', 1, 9.5, '{}', '2026-11-30', '2026-11-30T12:00:00Z')",
                if n == 5 { "kiosk" } else { "web" }
            )
        })
        .collect();
    h.state.adapter().port_execute(&location, &rows).await.unwrap();

    let (status, run) = post(
        h,
        &format!("/v1/products/{product_id}/quality-runs"),
        "owen",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{run}");
    let results = run["results"].as_array().unwrap();
    let value = |check: &str| {
        let result = results
            .iter()
            .find(|r| r["check"].as_str().unwrap().ends_with(check))
            .unwrap_or_else(|| panic!("{check} in {run}"));
        (result["status"].clone(), result["value"].clone())
    };
    assert_eq!(value("order_lines:0"), (json!("passed"), json!(5.0)), "{run}");
    assert_eq!(value("order_lines.channel:0"), (json!("passed"), json!(0.0)));
    assert_eq!(value("order_lines.channel:1"), (json!("passed"), json!(1.0)));
    assert_eq!(value("order_lines.channel:2"), (json!("passed"), json!(20.0)));
    assert_eq!(value("order_lines.channel:4"), (json!("passed"), json!(1.0)));
    let broken = results
        .iter()
        .find(|r| r["check"].as_str().unwrap().ends_with("order_lines.channel:3"))
        .unwrap();
    assert_eq!(broken["status"], "error", "{broken}");
    assert!(
        broken["message"].as_str().is_some_and(|m| !m.is_empty()),
        "the database's reason: {broken}"
    );
    assert_eq!(run["errors"], 1, "one rule broke, not its pass: {run}");
}

on_every_database!(
    a_table_is_read_once_for_its_counts,
    one_pass_per_table_and_the_rule_that_breaks_it
);

/// An import writes, a batch in a few statements, what publishing its products one at a time would:
/// each version, the catalog row of the last, a change per product in order, each product's output
/// and input ports once by name, and its id's owner (the first importer).
async fn import_writes_what_publishing_does(h: &Harness) {
    let store = h.state.store();
    let pool = store.pool();
    let seq_before: i64 = sqlx::query("SELECT COALESCE(MAX(seq), 0) AS n FROM changes")
        .fetch_one(pool)
        .await
        .unwrap()
        .get("n");
    let ids: Vec<String> = (0..4).map(|_| uuid::Uuid::new_v4().to_string()).collect();
    let contract = |n: usize| format!("00000000-0000-4000-8000-{n:012}");
    let product = |n: usize, version: &str, ports: usize| {
        let domain = ["Orders", "finance"][n % 2];
        let outputs: Vec<Value> = (0..ports)
            .map(|p| json!({"name": format!("out-{p}"), "version": "1.0.0", "contractId": contract(10 * n + p)}))
            .chain((ports > 0).then(|| json!({"name": "out-0", "version": "2.0.0", "contractId": contract(99)})))
            .collect();
        json!({"apiVersion": "v1.0.0", "kind": "DataProduct", "id": ids[n], "name": format!("Imported {n}"),
               "version": version, "status": "active", "domain": domain, "tags": ["a", "b"],
               "description": {"purpose": format!("product {n}")},
               "inputPorts": [{"name": "in", "version": "1.0.0", "contractId": contract(77)}],
               "outputPorts": outputs})
    };
    // Product 1 comes three times (the last with one port), within a batch and across two.
    let products = vec![
        product(0, "1.0.0", 2),
        product(1, "1.0.0", 3),
        product(1, "1.1.0", 2),
        product(2, "1.0.0", 0),
        product(1, "1.2.0", 1),
        product(3, "1.0.0", 2),
    ];
    let imported = meshport_platform::catalog::products_import(store, &products, 4)
        .await
        .unwrap();
    assert_eq!(imported, 6);

    let changes: Vec<(i64, String, String)> =
        sqlx::query("SELECT seq, entity, entity_id FROM changes WHERE seq > $1 ORDER BY seq")
            .bind(seq_before)
            .fetch_all(pool)
            .await
            .unwrap()
            .iter()
            .map(|r| (r.get("seq"), r.get("entity"), r.get("entity_id")))
            .collect();
    let expected: Vec<(i64, String, String)> = products
        .iter()
        .enumerate()
        .map(|(n, p)| {
            (
                seq_before + 1 + n as i64,
                "product".to_owned(),
                p["id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(changes, expected, "a change per product, numbered in order");
    let counter: i64 = sqlx::query("SELECT value FROM counters WHERE name = 'changes'")
        .fetch_one(pool)
        .await
        .unwrap()
        .get("value");
    assert_eq!(counter, seq_before + 6, "the counter follows the changes");

    for (n, version, ports) in [(0, "1.0.0", 2), (1, "1.2.0", 1), (2, "1.0.0", 0), (3, "1.0.0", 2)] {
        let row =
            sqlx::query("SELECT domain, name, version, purpose, tags, document FROM products WHERE id = $1")
                .bind(&ids[n])
                .fetch_one(pool)
                .await
                .unwrap();
        assert_eq!(row.get::<String, _>("version"), version, "product {n}");
        assert_eq!(row.get::<String, _>("domain"), ["orders", "finance"][n % 2]);
        assert_eq!(row.get::<String, _>("name"), format!("Imported {n}"));
        assert_eq!(
            row.get::<Option<String>, _>("purpose"),
            Some(format!("product {n}"))
        );
        assert_eq!(row.get::<String, _>("tags"), r#"["a","b"]"#);
        let document: Value = serde_json::from_str(&row.get::<String, _>("document")).unwrap();
        assert_eq!(document, product(n, version, ports));
        let lineage: Vec<(String, String, String)> = sqlx::query(
            "SELECT direction, port, contract_id FROM lineage_ports WHERE product_id = $1 ORDER BY direction, port",
        )
        .bind(&ids[n])
        .fetch_all(pool)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get("direction"), r.get("port"), r.get("contract_id")))
        .collect();
        let mut expected = vec![("in".to_owned(), "in".to_owned(), contract(77))];
        expected.extend((0..ports).map(|p| ("out".to_owned(), format!("out-{p}"), contract(10 * n + p))));
        assert_eq!(
            lineage, expected,
            "the ports of product {n}'s last version, each name once"
        );
        let owner: (String, String) =
            sqlx::query("SELECT product_id, domain FROM id_owners WHERE kind = 'product' AND id = $1")
                .bind(&ids[n])
                .fetch_one(pool)
                .await
                .map(|r| (r.get("product_id"), r.get("domain")))
                .unwrap();
        assert_eq!(owner, (ids[n].clone(), ["orders", "finance"][n % 2].to_owned()));
    }
    let versions: Vec<String> =
        sqlx::query("SELECT version FROM product_versions WHERE product_id = $1 ORDER BY version")
            .bind(&ids[1])
            .fetch_all(pool)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get("version"))
            .collect();
    assert_eq!(versions, ["1.0.0", "1.1.0", "1.2.0"], "every version registered");
    let (status, body) = h.get(&format!("/v1/products/{}", ids[1]), "cora").await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

on_every_database!(
    an_import_writes_what_publishing_does,
    import_writes_what_publishing_does
);

/// Counts the statements sqlx logs at TRACE: only the connections a test opens with
/// `log_statements(Trace)` log there (the platform's log at DEBUG), so other tests running at the
/// same time, on other threads (SQLite runs each connection on a worker thread), count nothing.
/// The test's SQLite and PostgreSQL variants both log there, so they take turns counting
/// ([`COUNTING`]): run side by side, each counted the other's statements too.
static COUNTING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn traced_statements() -> &'static std::sync::atomic::AtomicUsize {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tracing_subscriber::Layer;
    use tracing_subscriber::layer::SubscriberExt;
    static COUNT: std::sync::OnceLock<&'static AtomicUsize> = std::sync::OnceLock::new();
    struct Count(&'static AtomicUsize);
    impl<S: tracing::Subscriber> Layer<S> for Count {
        fn on_event(&self, _: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
    COUNT.get_or_init(|| {
        let count: &'static AtomicUsize = Box::leak(Box::new(AtomicUsize::new(0)));
        let only = tracing_subscriber::filter::filter_fn(|meta| {
            meta.target() == "sqlx::query" && *meta.level() == tracing::Level::TRACE
        });
        tracing::subscriber::set_global_default(
            tracing_subscriber::registry().with(Count(count).with_filter(only)),
        )
        .expect("no other test sets a global subscriber");
        count
    })
}

async fn incidents_list_in_one_statement(h: &Harness, database: &str) {
    use meshport_model::trust::{CheckStatus, QualityCheck, QualityResult};
    use meshport_platform::incidents;
    use sqlx::ConnectOptions;
    use std::sync::atomic::Ordering;
    // Thirty incidents of one product, with one to four failures each, some worked by a steward.
    let product_id = uuid::Uuid::new_v4().to_string();
    let plan = meshport_platform::quality::Plan {
        product_id: product_id.clone(),
        product_name: "Many incidents".into(),
        domain: "orders".into(),
        executable: Vec::new(),
        not_executable: Vec::new(),
        measures: Vec::new(),
        pass_rate_targets: Default::default(),
    };
    let total = 30;
    for n in 0..total {
        let result = QualityResult {
            check: QualityCheck {
                check: format!("port:table.column:{n}"),
                port: "port".into(),
                object: "table".into(),
                property: Some("column".into()),
                index: n,
                kind: "library".into(),
                metric: Some("nullValues".into()),
                description: None,
                dimension: None,
                severity: "error".into(),
                threshold: "mustBe 0".into(),
                unit: "rows".into(),
            },
            status: CheckStatus::Failed,
            value: Some(n as f64),
            message: Some(format!("{n} null values")),
            at: "2026-03-01T12:00:00Z".into(),
        };
        for _ in 0..=n % 4 {
            let mut tx = h.state.store().write().await.unwrap();
            incidents::failure_record(&mut tx, &plan, &result, meshport_platform::store::now_ms())
                .await
                .unwrap();
            tx.commit().await.unwrap();
        }
    }
    let product = format!("/v1/incidents?product={product_id}");
    let (_, listed) = h.get(&format!("{product}&limit=500"), "cora").await;
    let listed = listed["items"].as_array().unwrap().clone();
    assert_eq!(listed.len(), total);
    for (n, incident) in listed.iter().enumerate().filter(|(n, _)| n % 5 == 0) {
        let id = incident["id"].as_str().unwrap();
        let (status, body) = post(
            h,
            &format!("/v1/incidents/{id}/acknowledge"),
            "sam",
            Some(json!({"comment": "looking"})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        if n % 10 == 0 {
            let (status, body) = post(
                h,
                &format!("/v1/incidents/{id}/comment"),
                "owen",
                Some(json!({"text": format!("note {n}")})),
            )
            .await;
            assert_eq!(status, StatusCode::OK, "{body}");
        }
    }

    // The list answers each incident as reading it alone does, timeline included, in every page.
    let pages = every_page(h, &product, 7, |page| page["items"].as_array().unwrap().clone()).await;
    let listed = pages.concat();
    assert_eq!(listed.len(), total);
    let mut ids = BTreeSet::new();
    for incident in &listed {
        let id = incident["id"].as_str().unwrap();
        assert!(ids.insert(id.to_owned()), "{id} listed twice");
        let (_, alone) = h.get(&format!("/v1/incidents/{id}"), "cora").await;
        assert_eq!(incident, &alone, "the list and the incident agree");
    }
    let events: usize = listed.iter().map(|i| i["events"].as_array().unwrap().len()).sum();
    assert_eq!(
        events,
        (0..total).map(|n| n % 4 + 1).sum::<usize>() + 6 + 3,
        "every event once"
    );
    let newest_first: Vec<&str> = listed.iter().map(|i| i["id"].as_str().unwrap()).collect();
    let mut sorted = newest_first.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(newest_first, sorted);

    // One statement per page, whatever its length.
    let _turn = COUNTING.lock().await;
    let count = traced_statements();
    let options: sqlx::any::AnyConnectOptions = database.parse().unwrap();
    let mut conn = options
        .log_statements(log::LevelFilter::Trace)
        .connect()
        .await
        .unwrap();
    let filter = incidents::Filter {
        product: Some(product_id.clone()),
        ..incidents::Filter::default()
    };
    incidents::list_on(&mut conn, &filter, None, 1).await.unwrap();
    for limit in [1, 5, 30, 500] {
        let before = count.load(Ordering::SeqCst);
        let page = incidents::list_on(&mut conn, &filter, None, limit).await.unwrap();
        let statements = count.load(Ordering::SeqCst) - before;
        assert_eq!(page.items.len(), (limit as usize).min(total));
        assert_eq!(
            statements,
            1,
            "a page of {} incidents read in {statements} statements",
            page.items.len()
        );
    }
    let mut cursor = None;
    let before = count.load(Ordering::SeqCst);
    let mut pages = 0;
    loop {
        let page = incidents::list_on(&mut conn, &filter, cursor.as_deref(), 4)
            .await
            .unwrap();
        pages += 1;
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(
        count.load(Ordering::SeqCst) - before,
        pages,
        "one statement a page"
    );
    sqlx::Connection::close(conn).await.unwrap();
}

platform_test!(the_incident_list_reads_a_page_in_one_statement, |url, dir| {
    let harness = Harness::start(url, &dir.join("ports")).await;
    incidents_list_in_one_statement(&harness, url).await;
    harness.stop().await;
});

platform_test!(
    a_column_dropped_or_altered_outside_the_platform_fails_its_schema_check,
    |url, dir| {
        let harness = Harness::start(url, &dir.join("ports")).await;
        demo::demo_seed(&harness.state).await.unwrap();
        schema_drift(&harness, url).await;
        harness.stop().await;
    }
);

/// The demo's Order Lines contract.
const ORDER_LINES_CONTRACT: &str = "7e4b9c21-0d3a-4f6e-8b15-2a9c8d7f6e50";

/// Each run checks the port's tables against the contract, as `datacontract test` does: every column
/// present, of its type, and without NULLs where required. Changed outside the platform, the table
/// fails those checks, each with its own incident.
async fn schema_drift(h: &Harness, url: &str) {
    use sqlx::Executor;
    let path = format!("/v1/products/{DEMO_ORDERS}/quality-runs");
    let columns = [
        "order_id",
        "line_number",
        "sku",
        "quantity",
        "unit_price_eur",
        "channel",
        "order_date",
        "loaded_at",
    ];
    let check = |column: &str, id: &str| format!("order-lines:order_lines.{column}:{id}");
    let result = |run: &Value, check: &str| -> Value {
        run["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["check"] == check)
            .unwrap_or_else(|| panic!("no result for {check}: {run}"))
            .clone()
    };

    // As provisioned: every column present and of its type; no NULL where required.
    let (status, run) = post(h, &path, "sam", None).await;
    assert_eq!(status, StatusCode::CREATED, "{run}");
    for column in columns {
        for id in ["field_is_present", "field_type"] {
            let r = result(&run, &check(column, id));
            assert_eq!(r["status"], "passed", "{r}");
            assert_eq!(r["type"], "schema", "{r}");
        }
    }
    let required: Vec<&str> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["metric"] == "field_required")
        .map(|r| r["property"].as_str().unwrap())
        .collect();
    assert!(
        required.contains(&"sku") && !required.contains(&"channel"),
        "{required:?}"
    );
    assert_eq!(result(&run, &check("sku", "field_required"))["status"], "passed");

    // Outside the platform: `channel` dropped, `sku` replaced by a nullable column of another type.
    let location = port_location(h, ORDER_LINES_CONTRACT).await;
    let statements = [
        "ALTER TABLE order_lines DROP COLUMN channel",
        "ALTER TABLE order_lines RENAME COLUMN sku TO sku_before",
        "ALTER TABLE order_lines ADD COLUMN sku BYTEA",
    ];
    if url.starts_with("postgres") {
        let mut conn = sqlx::PgConnection::connect(h.state.store().url()).await.unwrap();
        let search = format!("SET search_path TO \"{location}\"");
        conn.execute(sqlx::AssertSqlSafe(search)).await.unwrap();
        for sql in statements {
            conn.execute(sql).await.unwrap();
        }
    } else {
        let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{location}"))
            .await
            .unwrap();
        for sql in statements {
            let sql = sqlx::AssertSqlSafe(sql.replace("BYTEA", "BLOB"));
            conn.execute(sql).await.unwrap();
        }
    }
    let (status, run) = post(h, &path, "sam", None).await;
    assert_eq!(status, StatusCode::CREATED, "{run}");
    let dropped = result(&run, &check("channel", "field_is_present"));
    assert_eq!(dropped["status"], "failed", "{dropped}");
    assert!(
        dropped["message"].as_str().unwrap().contains("is missing"),
        "{dropped}"
    );
    assert_eq!(
        result(&run, &check("sku", "field_is_present"))["status"],
        "passed"
    );
    let retyped = result(&run, &check("sku", "field_type"));
    assert_eq!(retyped["status"], "failed", "{retyped}");
    let nulls = result(&run, &check("sku", "field_required"));
    assert_eq!(nulls["status"], "failed", "{nulls}");
    assert_eq!(nulls["value"], 5000.0, "{nulls}");
    assert!(
        nulls["message"].as_str().unwrap().contains("5000 NULL values"),
        "{nulls}"
    );
    // The columns nobody touched still pass.
    for column in ["order_id", "quantity", "loaded_at"] {
        assert_eq!(result(&run, &check(column, "field_type"))["status"], "passed");
    }

    // Each failed schema check opened an incident of its own.
    let (status, incidents) = h.get("/v1/incidents?state=open", "sam").await;
    assert_eq!(status, StatusCode::OK, "{incidents}");
    let open: Vec<&str> = incidents["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["check"].as_str().unwrap())
        .collect();
    for failed in [
        check("channel", "field_is_present"),
        check("sku", "field_type"),
        check("sku", "field_required"),
    ] {
        assert!(
            open.contains(&failed.as_str()),
            "no incident for {failed}: {open:?}"
        );
    }
}

/// A new SQLite database has 16 KiB pages: a product's document (often several KiB) fits a page
/// instead of a chain of 4 KiB overflow pages, so an import of big products makes fewer, larger
/// writes (`MESHPORT_BENCH_ONLY=import cargo bench -p meshport-platform --bench platform`), while a
/// submit's small rows do not suffer (`MESHPORT_BENCH_ONLY=submit`). A database made before keeps
/// its pages.
#[tokio::test]
async fn a_new_sqlite_store_has_16_kib_pages() {
    let dir = tempfile::tempdir().unwrap();
    let store = meshport_platform::store::Store::open(&sqlite_database(dir.path()))
        .await
        .unwrap();
    let page: i64 = sqlx::query_scalar("PRAGMA page_size")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(page, 16_384);
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(mode, "wal");
}

/// The desktop app's first launch seeds the demo mesh in a process of its own (`embedded_seed`), then
/// opens the seeded platform in its own process (`embedded_start`), which must find it seeded and
/// seed nothing again: the same products and the same two provisioning jobs, not four. The embedded
/// platform reads with two connections besides its writer.
#[tokio::test(flavor = "multi_thread")]
async fn the_embedded_platform_is_seeded_once_then_started_on_its_seed() {
    let dir = tempfile::tempdir().unwrap();
    let platform_dir = dir.path().join("platform");
    assert!(
        !meshport_platform::embedded_seeded(&platform_dir).await,
        "nothing there yet"
    );
    meshport_platform::embedded_seed(&platform_dir).await.unwrap();
    assert!(meshport_platform::embedded_seeded(&platform_dir).await);

    let counts = |store: meshport_platform::store::Store| async move {
        let count = |sql: &'static str| {
            let store = store.clone();
            async move {
                sqlx::query(sql)
                    .fetch_one(store.pool())
                    .await
                    .unwrap()
                    .get::<i64, _>("n")
            }
        };
        (
            count("SELECT COUNT(*) AS n FROM products").await,
            count("SELECT COUNT(*) AS n FROM jobs").await,
            count("SELECT COUNT(*) AS n FROM jobs WHERE state = 'succeeded'").await,
        )
    };
    let seeded = meshport_platform::store::Store::open(&sqlite_database(&platform_dir))
        .await
        .unwrap();
    let after_seed = counts(seeded.clone()).await;
    seeded.close().await;
    assert!(after_seed.0 > 0, "the demo catalog is there: {after_seed:?}");
    assert_eq!(
        (after_seed.1, after_seed.2),
        (2, 2),
        "two products provisioned: {after_seed:?}"
    );

    let (platform, token) = meshport_platform::embedded_start(&platform_dir, "owen")
        .await
        .unwrap();
    assert!(token.starts_with("mpt_"));
    assert_eq!(
        counts(platform.state.store().clone()).await,
        after_seed,
        "seeded once"
    );
    assert_eq!(platform.state.store().pool().options().get_max_connections(), 2);
    platform.shutdown().await;
}

/// A request's span is entered only while its future is polled. The middleware held a guard of
/// `Span::enter` across its `.await`: while a request waited (here on SQLite's worker thread), the
/// span stayed entered on the runtime's thread, so another task polled there saw it as its current
/// span; in CI a job's runner cloned it after the request had ended, and the subscriber's registry
/// panicked ("tried to clone a span that already closed"), failing the job. One thread here makes
/// it certain: the other task runs exactly while the request waits.
#[test]
fn a_request_s_span_is_not_the_current_span_of_other_tasks_while_it_waits() {
    let _subscriber = tracing::subscriber::set_default(tracing_subscriber::registry());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let idle = Idle::start(&sqlite_database(dir.path()), dir.path()).await;
        use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
        let done = std::sync::Arc::new(AtomicBool::new(false));
        let waiting = std::sync::Arc::new(AtomicBool::new(false));
        // How often the other task ran while a request waited.
        let polls = std::sync::Arc::new(AtomicUsize::new(0));
        let watcher = tokio::spawn({
            let (done, waiting, polls) = (done.clone(), waiting.clone(), polls.clone());
            async move {
                let mut seen = BTreeSet::new();
                while !done.load(Ordering::SeqCst) {
                    if waiting.load(Ordering::SeqCst) {
                        if let Some(meta) = tracing::Span::current().metadata() {
                            seen.insert(meta.name().to_owned());
                        }
                        polls.fetch_add(1, Ordering::SeqCst);
                    }
                    tokio::task::yield_now().await;
                }
                seen
            }
        });
        // As many requests as it takes for the other task to run while one waits (SQLite answers
        // from its own thread, sometimes before the runtime gets to the other task).
        for _ in 0..200 {
            waiting.store(true, Ordering::SeqCst);
            let (status, _) = idle.call("GET", "/v1/products".into(), None).await;
            waiting.store(false, Ordering::SeqCst);
            assert_eq!(status, StatusCode::OK);
            if polls.load(Ordering::SeqCst) >= 10 {
                break;
            }
        }
        done.store(true, Ordering::SeqCst);
        let seen = watcher.await.unwrap();
        let polls = polls.load(Ordering::SeqCst);
        assert!(
            polls >= 10,
            "the other task ran only {polls} times while requests waited"
        );
        assert!(seen.is_empty(), "another task's current span: {seen:?}");
        idle.state.store().close().await;
    });
}
