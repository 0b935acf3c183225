//! Integration tests of the core operations, as the desktop and the CLI call them.

use meshport_core::{demo, local_store_open, product_create, products_list};
use meshport_governance::{DocumentKind, schema_findings};
use serde_json::{Value, json};

fn valid_document() -> Value {
    json!({
        "apiVersion": "v1.0.0",
        "kind": "DataProduct",
        "id": "0d9b1f7e-3c55-4f0e-9e21-6b3f4c2a1d10",
        "name": "Returns Analytics",
        "version": "1.0.0",
        "status": "draft",
        "domain": "orders",
        "description": {"purpose": "Why customers return what they buy."}
    })
}

/// Saves `document` as the form does, with no policies: the standard's checks alone.
async fn save(store: &meshport_core::LocalStore, document: Value) -> meshport_model::product::SaveOutcome {
    let policies = meshport_governance::PolicySet::new(Vec::new()).unwrap();
    product_create(store, &policies, document).await.unwrap()
}

async fn open() -> (tempfile::TempDir, meshport_core::LocalStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = local_store_open(&dir.path().join("catalog.db")).await.unwrap();
    (dir, store)
}

#[test]
fn the_demo_mesh_is_valid_and_covers_five_domains() {
    let products = demo::products();
    let mut domains: Vec<_> = products.iter().filter_map(|p| p.domain.clone()).collect();
    domains.sort();
    domains.dedup();
    assert_eq!(
        domains,
        ["customer", "finance", "inventory", "marketing", "orders"]
    );
    for product in products {
        let findings = schema_findings(
            DocumentKind::DataProduct,
            &serde_json::to_value(&product).unwrap(),
        );
        assert!(findings.is_empty(), "{:?}: {findings:?}", product.name);
    }
}

#[tokio::test]
async fn a_new_local_store_is_seeded_with_the_demo_mesh() {
    let (_dir, store) = open().await;
    let list = products_list(&store).await.unwrap();
    assert_eq!(list.len(), demo::products().len());
    assert!(list.iter().any(|p| p.name == "Customer 360"));
}

#[tokio::test]
async fn a_valid_product_is_saved_and_listed() {
    let (_dir, store) = open().await;
    let outcome = save(&store, valid_document()).await;
    assert!(outcome.saved, "{:?}", outcome.findings);
    assert!(outcome.findings.is_empty());
    let list = products_list(&store).await.unwrap();
    assert!(
        list.iter()
            .any(|p| p.name == "Returns Analytics" && p.domain.as_deref() == Some("orders"))
    );
}

/// Each bad input is refused with an error finding on its field, and nothing is written.
#[tokio::test]
async fn bad_input_is_refused_on_its_field_and_nothing_is_written() {
    let cases: [(&str, Value, &str); 6] = [
        ("/name", json!(""), "`name` must not be empty or blank"),
        ("/name", json!("   "), "`name` must not be empty or blank"),
        ("/id", json!("not-a-uuid"), "is not a \"uuid\""),
        ("/status", json!("shiny"), "is not one of"),
        ("/version", json!(7), "is not of type \"string\""),
        ("/version", json!("1.0"), "is not semantic versioning"),
    ];
    let (_dir, store) = open().await;
    let before = products_list(&store).await.unwrap().len();
    for (pointer, value, expected) in cases {
        let mut document = valid_document();
        *document.pointer_mut(pointer).unwrap() = value.clone();
        let outcome = save(&store, document).await;
        assert!(!outcome.saved, "{pointer} = {value} was saved");
        let finding = outcome
            .findings
            .iter()
            .find(|f| f.path == pointer)
            .unwrap_or_else(|| panic!("no finding on {pointer}: {:?}", outcome.findings));
        assert!(finding.is_error());
        assert!(
            finding.message.contains(expected),
            "{pointer}: {}",
            finding.message
        );
        assert!(!finding.hint.is_empty());
    }
    assert_eq!(products_list(&store).await.unwrap().len(), before);
}

#[tokio::test]
async fn a_duplicate_id_is_a_finding_on_the_id() {
    let (_dir, store) = open().await;
    let mut document = valid_document();
    document["id"] = json!(demo::products()[0].id);
    let outcome = save(&store, document).await;
    assert!(!outcome.saved);
    assert_eq!(outcome.findings[0].path, "/id");
    assert_eq!(outcome.findings[0].rule, "catalog-unique-id");
}

/// The desktop app runs against the demo mesh and applies its packs: a draft that the demo's global
/// pack would refuse at submission (no lineage, no owner) is still saved, with the policy findings as
/// warnings on their fields, saying what submission will require.
#[tokio::test]
async fn a_draft_is_saved_with_the_demo_policies_findings_as_warnings() {
    let (_dir, store) = open().await;
    let policies = meshport_core::validate::policies_demo().unwrap();
    let outcome = product_create(&store, &policies, valid_document()).await.unwrap();
    assert!(outcome.saved, "{:?}", outcome.findings);
    let rules: Vec<_> = outcome.findings.iter().map(|f| f.rule.as_str()).collect();
    assert!(rules.contains(&"global/lineage_declared"), "{rules:?}");
    assert!(rules.contains(&"global/ownership"), "{rules:?}");
    for finding in &outcome.findings {
        assert_eq!(finding.severity, meshport_model::Severity::Warning, "{finding:?}");
        assert!(
            finding
                .hint
                .starts_with("Required before the product is submitted.")
        );
    }
}

fn model_fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../meshport-model/tests/fixtures/provisioning")
        .join(name)
}

fn standards() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/standards")
}

fn request_fixture() -> Value {
    meshport_core::validate::document_read(&model_fixture("customer-request.yaml"))
        .unwrap()
        .1
}

fn paths(findings: &[meshport_model::Finding]) -> Vec<&str> {
    findings.iter().map(|f| f.path.as_str()).collect()
}

/// The wizard's as-you-type check: a request's findings point into the request, a bare product's
/// into the product, and a submit refuses with exactly the findings the check gave.
#[tokio::test]
async fn a_request_is_checked_as_submit_checks_it_with_request_rooted_paths() {
    use meshport_core::request::request_check;
    let policies = meshport_core::validate::policies_demo().unwrap();
    let mut request = request_fixture();
    let clean = request_check(&policies, &request);
    assert!(!clean.iter().any(meshport_model::Finding::is_error), "{clean:?}");

    request["product"]["name"] = json!("");
    request["contracts"][0]["schema"][0]["properties"][1]["name"] = json!(" ");
    let findings = request_check(&policies, &request);
    let at = paths(&findings);
    assert!(at.contains(&"/product/name"), "{at:?}");
    assert!(at.contains(&"/contracts/0/schema/0/properties/1/name"), "{at:?}");

    let product = request["product"].clone();
    let bare = request_check(&policies, &product);
    assert!(paths(&bare).contains(&"/name"), "{:?}", paths(&bare));
    assert!(bare.iter().all(|f| !f.path.starts_with("/product")), "{bare:?}");

    let (_dir, store) = open().await;
    let outcome = meshport_core::outbox::product_submit(&store, &policies, "demo", None, &request)
        .await
        .unwrap();
    assert_eq!((outcome.findings, outcome.outbox), (findings, None));
}

/// The contracts kept between checks: a request that leaves them out under the key they were sent
/// with is checked as the whole request would be, findings in its contracts included; under another
/// key, or before any were sent, it is refused (the window sends them again), and a new set sent
/// replaces the kept one.
#[test]
fn a_request_without_its_contracts_is_checked_with_those_kept_under_its_key() {
    use meshport_core::request::{ContractsNotKept, KeptContracts, request_check};
    let policies = meshport_core::validate::policies_demo().unwrap();
    let mut request = request_fixture();
    request["contracts"][0]["schema"][0]["properties"][1]["name"] = json!(" ");
    let whole = request_check(&policies, &request);
    assert!(
        paths(&whole).contains(&"/contracts/0/schema/0/properties/1/name"),
        "{whole:?}"
    );
    let without = |name: &str| {
        let mut request = request.clone();
        request["product"]["name"] = json!(name);
        request.as_object_mut().unwrap().remove("contracts");
        request
    };
    let kept = KeptContracts::default();
    assert_eq!(
        kept.request_check(&policies, without("Orders"), Some("a-1")),
        Err(ContractsNotKept)
    );
    assert_eq!(
        kept.request_check(&policies, request.clone(), Some("a-1")),
        Ok(whole.clone())
    );
    // Keystroke after keystroke in the product, the contracts' finding stays, the product's follows.
    for name in ["Orders", "", "Orders"] {
        let mut typed = request.clone();
        typed["product"]["name"] = json!(name);
        assert_eq!(
            kept.request_check(&policies, without(name), Some("a-1")),
            Ok(request_check(&policies, &typed))
        );
    }
    assert_eq!(
        kept.request_check(&policies, without("Orders"), Some("a-2")),
        Err(ContractsNotKept)
    );
    // A refusal leaves the kept contracts to the key they were sent under.
    let mut typed = request.clone();
    typed["product"]["name"] = json!("Orders");
    assert_eq!(
        kept.request_check(&policies, without("Orders"), Some("a-1")),
        Ok(request_check(&policies, &typed))
    );
    // Without a key: the document as it is, contracts or none.
    let bare = without("Orders");
    assert_eq!(
        kept.request_check(&policies, bare.clone(), None),
        Ok(request_check(&policies, &bare))
    );
    // New contracts (fixed) under a new key replace the kept ones.
    let fixed = request_fixture();
    assert_eq!(
        kept.request_check(&policies, fixed.clone(), Some("a-2")),
        Ok(request_check(&policies, &fixed))
    );
    let mut fixed_without = fixed.clone();
    fixed_without.as_object_mut().unwrap().remove("contracts");
    assert_eq!(
        kept.request_check(&policies, fixed_without.clone(), Some("a-2")),
        Ok(request_check(&policies, &fixed))
    );
    assert_eq!(
        kept.request_check(&policies, fixed_without, Some("a-1")),
        Err(ContractsNotKept)
    );
    // A bare product is checked as one whatever the key.
    let product = request["product"].clone();
    assert_eq!(
        kept.request_check(&policies, product.clone(), Some("a-2")),
        Ok(request_check(&policies, &product))
    );
}

/// A new request is what the wizard starts from: a product as the form starts one (a new UUID each
/// time), no contracts, the standard infrastructure; the checks then ask for the product's name.
#[test]
fn a_new_request_starts_with_a_fresh_product_and_the_standard_infrastructure() {
    use meshport_core::request::{request_check, request_new};
    let (one, two) = (request_new(), request_new());
    let typed: meshport_model::ProvisioningRequest = serde_json::from_value(one.clone()).unwrap();
    assert_eq!(
        typed.product.status,
        meshport_model::product::ProductStatus::Draft
    );
    assert!(uuid_like(&typed.product.id), "{}", typed.product.id);
    assert_ne!(one["product"]["id"], two["product"]["id"]);
    assert_eq!(one["contracts"], json!([]));
    assert_eq!(
        one["infrastructure"],
        meshport_core::outbox::standard_infrastructure()
    );
    let policies = meshport_core::PolicySet::new(Vec::new()).unwrap();
    let findings = request_check(&policies, &one);
    assert!(paths(&findings).contains(&"/product/name"), "{findings:?}");
    assert!(
        findings.iter().all(|f| f.path.starts_with("/product")),
        "{findings:?}"
    );
}

fn uuid_like(text: &str) -> bool {
    let parts: Vec<usize> = text.split('-').map(str::len).collect();
    parts == [8, 4, 4, 4, 12] && text.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
}

/// Importing an official ODCS example and exporting it gives back the same document, value for
/// value; a contract alone comes with an empty product whose output port refers to it.
#[test]
fn an_official_contract_survives_import_then_export() {
    use meshport_core::request::{documents_import, request_export};
    let source = standards().join("odcs/examples/full-example.odcs.yaml");
    let request = documents_import(std::slice::from_ref(&source)).unwrap();
    let contract_id = "53581432-6c55-4ba2-a65f-72344a91553a";
    assert_eq!(request["kind"], "ProvisioningRequest");
    assert_eq!(request["contracts"][0]["id"], contract_id);
    assert_eq!(
        request["infrastructure"],
        meshport_core::outbox::standard_infrastructure()
    );
    let port = &request["product"]["outputPorts"][0];
    assert_eq!(
        (&port["contractId"], &port["version"]),
        (&json!(contract_id), &json!("1.1.0"))
    );
    assert_eq!(request["product"]["name"], "");

    let dir = tempfile::tempdir().unwrap();
    let written = request_export(&request, &dir.path().join("out")).unwrap();
    let product_id = request["product"]["id"].as_str().unwrap();
    let names: Vec<String> = written
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            format!("{product_id}.odps.yaml"),
            format!("{contract_id}.odcs.yaml")
        ]
    );
    let parse = |path: &std::path::Path| {
        let text = std::fs::read_to_string(path).unwrap();
        meshport_governance::document::parse(&text)
            .unwrap()
            .remove(0)
            .value
    };
    assert_eq!(parse(&written[1]), parse(&source));
    assert_eq!(parse(&written[0]), request["product"]);
}

/// A product and its contracts, given in any order, come back in the order of the product's output
/// ports; a bad file is an error naming it.
#[test]
fn a_product_and_its_contracts_import_in_output_port_order() {
    use meshport_core::request::{documents_import, request_export};
    let original = request_fixture();
    let dir = tempfile::tempdir().unwrap();
    let mut two_ports = original.clone();
    let mut second = original["contracts"][0].clone();
    second["id"] = json!("9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a");
    two_ports["contracts"].as_array_mut().unwrap().push(second);
    let mut port = original["product"]["outputPorts"][0].clone();
    port["name"] = json!("second-port");
    port["contractId"] = json!("9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a");
    two_ports["product"]["outputPorts"]
        .as_array_mut()
        .unwrap()
        .push(port);

    let mut files = request_export(&two_ports, dir.path()).unwrap();
    assert_eq!(files.len(), 3);
    files.reverse(); // the contracts first, the second port's first of all
    let imported = documents_import(&files).unwrap();
    // Product and contract files hold no infrastructure: the import asks for the standard one.
    two_ports["infrastructure"] = meshport_core::outbox::standard_infrastructure();
    assert_eq!(imported, two_ports);

    let bad = dir.path().join("broken.odcs.yaml");
    std::fs::write(
        &bad,
        "apiVersion: v3.1.0\nkind: DataContract\nid: x\nversion: 1.0.0\nstatus: active\nnope: 1\n",
    )
    .unwrap();
    let error = documents_import(&[files[2].clone(), bad.clone()]).unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("broken.odcs.yaml") && message.contains("nope"),
        "{message}"
    );
    let error = documents_import(&[files[2].clone(), files[2].clone()]).unwrap_err();
    assert!(error.to_string().contains("second data product"), "{error}");
}

/// The demo platform in process, as `owen`, who owns the customer domain.
async fn platform_demo(dir: &std::path::Path) -> (meshport_platform::Platform, meshport_core::Client) {
    use meshport_platform::{AppState, Config, Platform, auth, demo};
    let mut config = Config::new(&format!("sqlite://{}", dir.join("platform.db").display()));
    config.ports_dir = dir.join("ports");
    config.workers = 1;
    config.trust_tick = std::time::Duration::from_secs(3600);
    let state = AppState::open(config).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let platform = Platform::serve(state.clone(), listener).unwrap();
    demo::demo_seed(&state).await.unwrap();
    let token = auth::token_create(state.store(), "owen").await.unwrap();
    let client = meshport_core::Client::new(&platform.url(), meshport_core::Secret::new(token)).unwrap();
    (platform, client)
}

/// The job page's commands: a submission from the outbox is read, cancelled and retried by its job
/// id, each answer kept on the outbox row; errors carry codes the window branches on and the
/// platform's own words.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outbox_job_is_read_cancelled_and_retried_through_core() {
    use meshport_core::jobs::{job_cancel, job_get, job_retry};
    use meshport_model::platform::JobState;
    let dir = tempfile::tempdir().unwrap();
    let (platform, client) = platform_demo(dir.path()).await;
    let (_store_dir, store) = open().await;
    let policies = meshport_core::validate::policies_demo().unwrap();
    let outcome = meshport_core::outbox::product_submit(&store, &policies, "demo", None, &request_fixture())
        .await
        .unwrap();
    assert!(outcome.outbox.is_some(), "{:?}", outcome.findings);
    meshport_core::outbox::outbox_flush(&store, "demo", &client)
        .await
        .unwrap();
    let item = meshport_core::outbox::outbox_list(&store, Some("demo"))
        .await
        .unwrap()
        .remove(0);
    let job_id = item.job_id.clone().expect("a delivered submission names its job");

    let job = job_get(&store, &client, &job_id).await.unwrap();
    assert_eq!(job.id, job_id);
    // The platform's runners start at once: the cancel meets the job queued, running (cancelled at
    // its next step), running its last step (taken, and the job finishes all the same: seen once in
    // CI, the answer a succeeded job with the cancel requested) or already finished (refused).
    match job_cancel(&store, &client, &job_id).await {
        Ok(job) => assert!(
            matches!(job.state, JobState::Cancelled | JobState::Running)
                || (job.state.is_finished() && job.cancel_requested),
            "{job:?}"
        ),
        Err(error) => assert_eq!(error.code(), "conflict", "{error}"),
    }
    let mut finished = None;
    for _ in 0..400 {
        let job = job_get(&store, &client, &job_id).await.unwrap();
        if job.state.is_finished() {
            finished = Some(job);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    let finished = finished.expect("the job finishes");
    let item = meshport_core::outbox::outbox_list(&store, Some("demo"))
        .await
        .unwrap()
        .remove(0);
    assert_eq!(item.job_state, Some(finished.state));
    assert!(!item.is_waiting());

    match job_retry(&store, &client, &job_id).await {
        Ok(job) => {
            assert_eq!(finished.state, JobState::Failed, "only a failed job is retried");
            let item = meshport_core::outbox::outbox_list(&store, Some("demo"))
                .await
                .unwrap()
                .remove(0);
            assert_eq!(item.job_state, Some(job.state));
            assert!(item.is_waiting(), "a retried job is followed again");
        }
        Err(error) => {
            assert_ne!(finished.state, JobState::Failed);
            assert_eq!(error.code(), "conflict");
            let summary = error.summary();
            assert!(summary.contains(finished.state.as_str()), "{summary}");
            assert!(!summary.contains("/v1/"), "the platform's words alone: {summary}");
        }
    }
    let error = job_get(&store, &client, "pr_missing").await.unwrap_err();
    assert_eq!(error.code(), "not_found");

    let url = platform.url();
    platform.shutdown().await;
    let gone = meshport_core::Client::new(&url, meshport_core::Secret::new("mpt_x_y")).unwrap();
    let error = job_get(&store, &gone, &job_id).await.unwrap_err();
    assert_eq!(error.code(), "offline");
}

/// The wizard offers the domains the user may own products in: read from the platform (`owen` owns
/// two), kept in the profile's cache, and answered from there once the platform is gone; a cache that
/// never heard answers none.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_owned_domains_are_the_platforms_answer_then_the_last_known() {
    use meshport_core::session::Session;
    let dir = tempfile::tempdir().unwrap();
    let (platform, client) = platform_demo(dir.path()).await;
    let url = platform.url();
    let cache = dir.path().join("cache.db");
    let policies = || meshport_core::PolicySet::new(Vec::new()).unwrap();
    let session = Session::open("p", client, &cache, policies()).await.unwrap();
    assert_eq!(session.owned_domains().await, ["customer", "orders"]);
    drop(session);
    platform.shutdown().await;

    let offline = || meshport_core::Client::new(&url, meshport_core::Secret::new("mpt_x_y")).unwrap();
    let session = Session::open("p", offline(), &cache, policies()).await.unwrap();
    assert_eq!(session.owned_domains().await, ["customer", "orders"]);
    let never = Session::open("p", offline(), &dir.path().join("new.db"), policies())
        .await
        .unwrap();
    assert_eq!(never.owned_domains().await, Vec::<String>::new());
}

/// The wizard's review shows each document exactly as export writes it.
#[test]
fn the_review_yaml_is_what_export_writes() {
    use meshport_core::request::{documents_import, request_export, request_yaml};
    let source = standards().join("odcs/examples/full-example.odcs.yaml");
    let mut request = documents_import(std::slice::from_ref(&source)).unwrap();
    request["product"]["name"] = json!("Full example");
    let dir = tempfile::tempdir().unwrap();
    let written = request_export(&request, dir.path()).unwrap();
    let yaml = request_yaml(&request);
    assert_eq!(yaml.product, std::fs::read_to_string(&written[0]).unwrap());
    assert_eq!(yaml.contracts.len(), 1);
    assert_eq!(yaml.contracts[0].id, "53581432-6c55-4ba2-a65f-72344a91553a");
    assert_eq!(
        yaml.contracts[0].yaml,
        std::fs::read_to_string(&written[1]).unwrap()
    );
    assert!(yaml.product.contains("name: Full example"), "{}", yaml.product);
}

/// Unprovisioning from the window: one job per key however often it is sent, and another domain's
/// product is refused with the platform's words.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_product_is_unprovisioned_once_per_key_and_only_by_its_owner() {
    use meshport_core::jobs::product_unprovision;
    let dir = tempfile::tempdir().unwrap();
    let (platform, client) = platform_demo(dir.path()).await;
    // Order Lines, of the orders domain, which owen owns.
    let order_lines = "3f1c2a9e-6b7d-4e21-9a53-0c8f4d2b7e61";
    let first = product_unprovision(&client, order_lines, "unprovision-1")
        .await
        .unwrap();
    let again = product_unprovision(&client, order_lines, "unprovision-1")
        .await
        .unwrap();
    assert_eq!(first.id, again.id, "the same key started a second job");
    assert_eq!(first.product_id, order_lines);
    assert_eq!(first.kind, meshport_model::platform::JobKind::Unprovision);
    // Campaign Attribution, of the marketing domain: not owen's.
    let error = product_unprovision(&client, "7e6f5a4b-3c2d-4e1f-a0b9-c8d7e6f5a4b3", "unprovision-2")
        .await
        .unwrap_err();
    assert_eq!(error.code(), "forbidden", "{error}");
    platform.shutdown().await;
}

/// Actions on incidents go through the outbox: queued offline with their own key, delivered once
/// when the platform answers (a send whose answer was lost is replayed, not repeated), a changed
/// incident kept as a conflict with its state, a refusal with the platform's words.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn incident_actions_are_queued_delivered_once_and_conflicts_kept() {
    use meshport_core::actions::{action_dismiss, actions_flush, actions_list, incident_act};
    use meshport_model::offline::ActionState;
    use meshport_model::trust::{IncidentAction, IncidentState};
    let dir = tempfile::tempdir().unwrap();
    let (platform, _owen) = platform_demo(dir.path()).await;
    let as_user = |token: String| {
        meshport_core::Client::new(&platform.url(), meshport_core::Secret::new(token)).unwrap()
    };
    let sam = as_user(platform.demo_token("sam").await.unwrap());
    let cora = as_user(platform.demo_token("cora").await.unwrap());
    let incident = sam
        .incidents_list(&meshport_core::client::IncidentQuery {
            state: Some(IncidentState::Open),
            ..Default::default()
        })
        .await
        .unwrap()
        .items
        .remove(0);
    let (_store_dir, store) = open().await;

    // Nothing typed, nothing queued.
    let error = incident_act(
        &store,
        "p",
        &incident.id,
        &IncidentAction::Resolve { comment: " ".into() },
    )
    .await
    .unwrap_err();
    assert_eq!(error.code(), "invalid");
    assert!(error.to_string().contains("`comment` is empty"), "{error}");
    assert!(actions_list(&store, "p", None).await.unwrap().is_empty());

    // Offline: the action waits, with why.
    let ack = IncidentAction::Acknowledge {
        comment: Some("Looking at the kiosk rows.".into()),
    };
    let queued = incident_act(&store, "p", &incident.id, &ack).await.unwrap();
    assert_eq!(queued.state, ActionState::Queued);
    let gone =
        meshport_core::Client::new("http://127.0.0.1:9", meshport_core::Secret::new("mpt_x_y")).unwrap();
    let flushed = actions_flush(&store, "p", &gone).await.unwrap();
    assert!(flushed.offline);
    let waiting = actions_list(&store, "p", Some(&incident.id)).await.unwrap();
    assert_eq!((waiting[0].state, waiting[0].attempts), (ActionState::Queued, 1));
    assert!(waiting[0].message.is_some());

    // The first send reached the platform but its answer was lost: the flush sends the same key
    // again, and the platform answers without acknowledging twice.
    sam.incident_apply(&incident.id, &ack, &queued.idempotency_key)
        .await
        .unwrap();
    let flushed = actions_flush(&store, "p", &sam).await.unwrap();
    assert_eq!((flushed.delivered, flushed.conflicts), (1, 0));
    let now = sam.incident_get(&incident.id).await.unwrap();
    assert_eq!(now.state, IncidentState::Acknowledged);
    let acks = now.events.iter().filter(|e| e.action == "acknowledged").count();
    assert_eq!(acks, 1, "one acknowledgement: {:?}", now.events);

    // Taken again on a stale screen: a conflict, kept with the incident's state and what was typed.
    let again = IncidentAction::Acknowledge {
        comment: Some("Me too.".into()),
    };
    incident_act(&store, "p", &incident.id, &again).await.unwrap();
    // Refused: a consumer may not comment.
    let comment = IncidentAction::Comment {
        text: "Is this why my dashboard is off?".into(),
    };
    incident_act(&store, "c", &incident.id, &comment).await.unwrap();
    let flushed = actions_flush(&store, "p", &sam).await.unwrap();
    assert_eq!((flushed.delivered, flushed.conflicts), (0, 1));
    let items = actions_list(&store, "p", Some(&incident.id)).await.unwrap();
    let conflict = items.last().unwrap();
    assert_eq!(conflict.state, ActionState::Conflict);
    assert_eq!(conflict.current_state, Some(IncidentState::Acknowledged));
    assert_eq!(conflict.action, again, "what was typed is kept");
    assert!(
        conflict.message.as_deref().unwrap().contains("acknowledged"),
        "{conflict:?}"
    );
    let flushed = actions_flush(&store, "c", &cora).await.unwrap();
    assert_eq!(flushed.refused, 1);
    let refused = actions_list(&store, "c", None).await.unwrap().remove(0);
    assert_eq!(refused.state, ActionState::Refused);
    assert!(
        refused
            .message
            .as_deref()
            .unwrap()
            .contains("not a steward or an owner"),
        "{refused:?}"
    );
    assert!(
        !refused.message.as_deref().unwrap().contains("/v1/"),
        "the platform's words alone"
    );

    // A conflict read is dismissed; a queued action is not.
    action_dismiss(&store, "p", &conflict.id).await.unwrap();
    let queued = incident_act(&store, "p", &incident.id, &comment).await.unwrap();
    assert!(action_dismiss(&store, "p", &queued.id).await.is_err());
    assert!(action_dismiss(&store, "c", &refused.id).await.is_ok());
    platform.shutdown().await;
}

/// Access asked for offline is queued with its own key and sent once when the platform answers (a
/// send whose answer was lost is replayed, not asked twice); online, a refusal is the error and
/// nothing waits; a queued one the platform refuses is kept with its words until dismissed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn access_asked_offline_is_queued_and_asked_once() {
    use meshport_core::access::{Ask, access_ask, access_ask_dismiss, access_asks, access_flush};
    use meshport_model::offline::{AccessAsked, ActionState};
    let dir = tempfile::tempdir().unwrap();
    let (platform, _owen) = platform_demo(dir.path()).await;
    let sam = meshport_core::Client::new(
        &platform.url(),
        meshport_core::Secret::new(platform.demo_token("sam").await.unwrap()),
    )
    .unwrap();
    let gone =
        meshport_core::Client::new("http://127.0.0.1:9", meshport_core::Secret::new("mpt_x_y")).unwrap();
    let (_store_dir, store) = open().await;
    let order_lines = "3f1c2a9e-6b7d-4e21-9a53-0c8f4d2b7e61";
    let ask = Ask {
        product_id: order_lines,
        product_name: Some("Order Lines"),
        output_port: "order-lines",
        purpose: "  Reconcile the kiosk channel.  ",
        until: Some("2099-12-31"),
    };

    // Nothing said, nothing queued.
    let error = access_ask(&store, "p", &gone, Ask { purpose: " ", ..ask })
        .await
        .unwrap_err();
    assert!(error.to_string().contains("`purpose` is empty"), "{error}");
    assert!(access_asks(&store, "p").await.unwrap().is_empty());

    // Offline: queued, with what was asked and why it waits.
    let AccessAsked::Queued { ask: queued } = access_ask(&store, "p", &gone, ask).await.unwrap() else {
        panic!("the platform is out of reach: the request waits");
    };
    assert_eq!((queued.state, queued.attempts), (ActionState::Queued, 1));
    assert_eq!(queued.purpose, "Reconcile the kiosk channel.");
    assert_eq!(queued.until.as_deref(), Some("2099-12-31T23:59:59Z"));
    assert_eq!(queued.product_name.as_deref(), Some("Order Lines"));
    assert!(queued.message.is_some());
    assert!(access_flush(&store, "p", &gone).await.unwrap().offline);
    assert_eq!(access_asks(&store, "p").await.unwrap()[0].attempts, 2);

    // The platform took a send but its answer was lost: the flush sends the same key again and is
    // answered with that request, not a second one (nor a duplicate's refusal).
    let first = sam
        .access_request(
            order_lines,
            "order-lines",
            &queued.purpose,
            queued.until.as_deref(),
            Some(&queued.idempotency_key),
        )
        .await
        .unwrap();
    let flushed = access_flush(&store, "p", &sam).await.unwrap();
    assert_eq!(
        (flushed.delivered, flushed.refused, flushed.offline),
        (1, 0, false)
    );
    assert!(
        access_asks(&store, "p").await.unwrap().is_empty(),
        "taken: the cache holds it now"
    );
    let query = meshport_core::client::AccessQuery {
        product: Some(order_lines.into()),
        consumer: Some("sam".into()),
        ..Default::default()
    };
    let asked = sam.access_list(&query).await.unwrap().items;
    assert_eq!(asked.len(), 1, "asked once: {asked:?}");
    assert_eq!(asked[0].id, first.id);

    // Online, a refusal is the answer at once (one open request per port), and nothing waits.
    let error = access_ask(&store, "p", &sam, ask).await.unwrap_err();
    assert!(
        error.summary().contains("follow it instead of asking again"),
        "{error}"
    );
    assert!(access_asks(&store, "p").await.unwrap().is_empty());

    // Queued, then refused when sent: kept, in the platform's words, until dismissed.
    let wrong = Ask {
        output_port: "no-such-port",
        ..ask
    };
    access_ask(&store, "p", &gone, wrong).await.unwrap();
    let flushed = access_flush(&store, "p", &sam).await.unwrap();
    assert_eq!(flushed.refused, 1);
    let refused = access_asks(&store, "p").await.unwrap().remove(0);
    assert_eq!(refused.state, ActionState::Refused);
    let why = refused.message.clone().unwrap();
    assert!(why.contains("not an output port"), "{why}");
    assert!(!why.contains("/v1/"), "the platform's words alone: {why}");
    let waiting = access_ask(&store, "p", &gone, wrong).await.unwrap();
    let AccessAsked::Queued { ask: waiting } = waiting else {
        panic!("queued")
    };
    assert!(
        access_ask_dismiss(&store, "p", &waiting.id).await.is_err(),
        "a queued one is on its way"
    );
    assert!(
        access_ask_dismiss(&store, "other", &refused.id).await.is_err(),
        "another profile's"
    );
    access_ask_dismiss(&store, "p", &refused.id).await.unwrap();
    let left = access_asks(&store, "p").await.unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].id, waiting.id);
    platform.shutdown().await;
}

/// The trend charts' history: a sync brings the runs the feed still holds, then the platform's report
/// fills the 90 days and the thresholds, once; the demo's channel check fails from its tenth day.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_fills_the_quality_history_once_per_product() {
    use meshport_core::sync::{catalog_sync, quality_backfill};
    use meshport_model::trust::CheckStatus;
    let dir = tempfile::tempdir().unwrap();
    let (platform, client) = platform_demo(dir.path()).await;
    let cache = meshport_core::cache::Cache::open(&dir.path().join("cache.db"))
        .await
        .unwrap();
    catalog_sync(&client, &cache, |_| {}).await.unwrap();
    let order_lines = "3f1c2a9e-6b7d-4e21-9a53-0c8f4d2b7e61";
    let before = cache.quality_history(order_lines, 90, None).await.unwrap();
    // The feed's quality changes (each run's latest points) are there; the thresholds are not yet.
    assert!(
        !before.is_empty()
            && before
                .iter()
                .all(|t| !t.points.is_empty() && t.threshold.is_none())
    );

    let filled = quality_backfill(&client, &cache, 25).await.unwrap();
    assert!(filled >= 1, "Order Lines has a report");
    assert_eq!(
        quality_backfill(&client, &cache, 25).await.unwrap(),
        0,
        "filled once"
    );
    let trends = cache.quality_history(order_lines, 90, None).await.unwrap();
    let channel = trends
        .iter()
        .find(|t| {
            t.check.contains("channel") && t.threshold.as_deref().is_some_and(|x| x.contains("LessThan"))
        })
        .unwrap_or_else(|| panic!("the channel check with its threshold: {trends:?}"));
    assert!(channel.points.len() >= 10, "{} runs", channel.points.len());
    assert_eq!(channel.unit.as_deref(), Some("percent"));
    assert_eq!(channel.points.first().unwrap().status, CheckStatus::Passed);
    assert_eq!(channel.points.last().unwrap().status, CheckStatus::Failed);
    let mut at: Vec<&str> = channel.points.iter().map(|p| p.at.as_str()).collect();
    let sorted = at.clone();
    at.dedup();
    assert_eq!(at, sorted, "each run once, oldest first");
    platform.shutdown().await;
}

/// A sync compiles the platform's policy packs when they are new to the session, and keeps the
/// compiled set when a later sync brings the same packs: the checks as the user types do not pay
/// for compiling them again every round.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_compiles_the_policy_packs_only_when_they_change() {
    use meshport_core::session::Session;
    use std::sync::Arc;
    let dir = tempfile::tempdir().unwrap();
    let (platform, client) = platform_demo(dir.path()).await;
    let store = local_store_open(&dir.path().join("catalog.db")).await.unwrap();
    let fallback = meshport_core::PolicySet::new(Vec::new()).unwrap();
    let session = Session::open("p", client, &dir.path().join("cache.db"), fallback)
        .await
        .unwrap();
    let before = session.policies();
    assert_eq!(before.packs().count(), 0, "nothing synced yet: the fallback");

    session.sync_once(&store, |_| {}).await;
    let synced = session.policies();
    assert!(synced.packs().count() > 0, "the platform's packs, compiled");
    assert!(!Arc::ptr_eq(&before, &synced));

    session.sync_once(&store, |_| {}).await;
    assert!(
        Arc::ptr_eq(&synced, &session.policies()),
        "the same packs: the compiled set is kept"
    );
    platform.shutdown().await;
}
