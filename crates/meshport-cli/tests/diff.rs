//! `meshport diff`, run as a user runs it, on copies of the standards' official examples edited the
//! way releases edit them (tests/fixtures/diff).

use std::path::{Path, PathBuf};
use std::process::Command;

use meshport_catalog::cache::Cache;
use meshport_model::platform::{Change, ChangeEntity, ChangePage};
use serde_json::{Value, json};

/// The simple ODPS example's id and its output port's contract.
const PRODUCT: &str = "064c4630-8aad-4dc0-ba95-0f69940e6b18";
const CONTRACT: &str = "87654321-4321-4321-4321-cba987654321";

fn meshport() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_meshport"));
    // Hermetic: never the user's data or config folder (profiles, caches).
    cmd.env_remove("MESHPORT_DB")
        .env_remove("MESHPORT_PLATFORM")
        .env_remove("MESHPORT_PROFILE")
        .env_remove("MESHPORT_TOKEN")
        .env_remove("MESHPORT_LOG")
        .env("XDG_DATA_HOME", "/nonexistent-meshport-test")
        .env("XDG_CONFIG_HOME", "/nonexistent-meshport-test")
        .current_dir(std::env::temp_dir());
    cmd
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/diff")
        .join(name)
        .display()
        .to_string()
}

fn run_with(cmd: &mut Command, args: &[&str]) -> (Option<i32>, String, String) {
    let out = cmd.arg("diff").args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    run_with(&mut meshport(), args)
}

fn json_of(args: &[&str]) -> (Option<i32>, Value) {
    let (code, stdout, stderr) = run(&[args, &["--format", "json"]].concat());
    let report = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout} {stderr}"));
    (code, report)
}

fn kinds(report: &Value) -> Vec<(String, bool)> {
    report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["kind"].as_str().unwrap().to_owned(),
                c["breaking"].as_bool().unwrap(),
            )
        })
        .collect()
}

#[test]
fn compatible_contract_changes_exit_0() {
    let (code, stdout, stderr) = run(&[
        &fixture("full-example.odcs.yaml"),
        &fixture("full-example-compatible.odcs.yaml"),
    ]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    for kind in [
        "column-added",
        "type-widened",
        "description-changed",
        "tags-changed",
    ] {
        assert!(stdout.contains(kind), "{kind}: {stdout}");
    }
    assert!(!stdout.contains("BREAKING"), "{stdout}");
    assert!(stdout.contains("receivers.receiver_email"), "{stdout}");
    assert!(
        stdout
            .trim_end()
            .lines()
            .last()
            .unwrap()
            .starts_with("verdict: compatible"),
        "{stdout}"
    );
}

#[test]
fn a_removed_column_a_narrowed_type_and_a_required_column_exit_1() {
    let old = fixture("full-example.odcs.yaml");
    let new = fixture("full-example-breaking.odcs.yaml");
    let (code, stdout, stderr) = run(&[&old, &new]);
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    for line in [
        "receivers.receiver_type",
        "column-removed",
        "receivers.receiver_name",
        "type-narrowed",
        "varchar(255) to varchar(100)",
        "receivers.receiver_segment",
        "required-column-added",
    ] {
        assert!(stdout.contains(line), "{line}: {stdout}");
    }
    let breaking_line = stdout.lines().find(|l| l.contains("column-removed")).unwrap();
    assert!(breaking_line.starts_with("BREAKING"), "{breaking_line}");
    let verdict = stdout.trim_end().lines().last().unwrap();
    assert!(
        verdict.starts_with("verdict: breaking") && verdict.contains("bump the version to 2.0.0"),
        "{verdict}"
    );

    let (code, report) = json_of(&[&old, &new]);
    assert_eq!(code, Some(1));
    assert_eq!(
        kinds(&report),
        [
            ("type-narrowed".to_owned(), true),
            ("column-removed".to_owned(), true),
            ("required-column-added".to_owned(), true),
        ]
    );
    assert_eq!(
        (
            &report["kind"],
            &report["oldVersion"],
            &report["newVersion"],
            &report["majorBumped"],
            &report["verdict"]
        ),
        (
            &json!("contract"),
            &json!("1.1.0"),
            &json!("1.2.0"),
            &json!(false),
            &json!("breaking")
        )
    );
    let removed = &report["changes"][1];
    assert_eq!(removed["side"], "old");
    assert_eq!(removed["pointer"], "/schema/1/properties/3");
    assert_eq!(
        (&removed["table"], &removed["column"]),
        (&json!("receivers"), &json!("receiver_type"))
    );
    assert!(report["downstream"].as_array().unwrap().is_empty());
    assert_eq!(report["impactComputed"], false);
    assert!(
        report["notes"].to_string().contains("meshport catalog sync"),
        "no cache, said: {report}"
    );
}

#[test]
fn breaking_changes_under_a_new_major_version_exit_0_with_a_note() {
    let (code, stdout, stderr) = run(&[
        &fixture("full-example.odcs.yaml"),
        &fixture("full-example-major.odcs.yaml"),
    ]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("BREAKING"), "{stdout}");
    assert!(
        stdout.contains("note: the major version went up (1.1.0 → 2.0.0)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("verdict: breaking, under a new major version"),
        "{stdout}"
    );
}

#[test]
fn a_removed_allowed_value_exits_1() {
    let (code, stdout, stderr) = run(&[
        &fixture("column-validity.odcs.yaml"),
        &fixture("column-validity-enum-removed.odcs.yaml"),
    ]);
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    let line = stdout.lines().find(|l| l.contains("enum-value-removed")).unwrap();
    assert!(line.starts_with("BREAKING"), "{line}");
    assert!(line.contains("Air_Quality.air_quality_status"), "{line}");
    assert!(line.contains("\"n/a\""), "{line}");
}

#[test]
fn a_product_is_compared_through_its_ports_contracts() {
    let args = [
        fixture("simple-data-product.odps.yaml"),
        fixture("simple-data-product-v1.1.odps.yaml"),
        "--contract".into(),
        fixture("processed-data-1.1.0.odcs.yaml"),
        "--contract".into(),
        fixture("processed-data-1.0.0.odcs.yaml"),
    ];
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, stdout, stderr) = run(&args);
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    assert!(
        stdout.starts_with(&format!(
            "data product {PRODUCT} (Simple Data Product): v1.0.0 → v1.1.0"
        )),
        "{stdout}"
    );
    for line in [
        "processed-data/transactions_tbl.is_open",
        "processed-data/transactions_tbl.age",
        "port-version-changed",
        "bump the version to v2.0.0",
    ] {
        assert!(stdout.contains(line), "{line}: {stdout}");
    }
    let (code, report) = json_of(&args);
    assert_eq!(code, Some(1));
    assert_eq!(
        kinds(&report),
        [
            ("port-version-changed".to_owned(), false),
            ("type-narrowed".to_owned(), true),
            ("column-removed".to_owned(), true),
        ]
    );
    assert_eq!(report["changes"][2]["contractId"], CONTRACT);
    assert_eq!(report["changes"][2]["port"], "processed-data");
    assert_eq!(
        report["breakingPorts"],
        json!([{"name": "processed-data", "version": "1.0.0", "contractId": CONTRACT}])
    );

    let bumped = [
        fixture("simple-data-product.odps.yaml"),
        fixture("simple-data-product-v2.odps.yaml"),
        "--contract".into(),
        fixture("processed-data-1.0.0.odcs.yaml"),
        "--contract".into(),
        fixture("processed-data-1.1.0.odcs.yaml"),
    ];
    let (code, stdout, _) = run(&bumped.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(code, Some(0), "{stdout}");
    assert!(stdout.contains("major version went up"), "{stdout}");
}

#[test]
fn bad_input_exits_2_naming_the_file_and_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let contract = fixture("full-example.odcs.yaml");
    let product = fixture("simple-data-product.odps.yaml");

    let missing = dir.path().join("nope.yaml").display().to_string();
    let (code, _, stderr) = run(&[&missing, &contract]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("nope.yaml") && stderr.contains("check the path"),
        "{stderr}"
    );

    let other = dir.path().join("compose.yaml");
    std::fs::write(&other, "services:\n  web:\n    image: nginx\n").unwrap();
    let (code, _, stderr) = run(&[&other.display().to_string(), &contract]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("compose.yaml") && stderr.contains("kind"),
        "{stderr}"
    );

    let broken = dir.path().join("broken.odcs.yaml");
    std::fs::write(
        &broken,
        std::fs::read_to_string(&contract)
            .unwrap()
            .replace("version: 1.1.0 # Version (follows semantic versioning)", ""),
    )
    .unwrap();
    let (code, _, stderr) = run(&[&contract, &broken.display().to_string()]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("broken.odcs.yaml")
            && stderr.contains("version")
            && stderr.contains("meshport validate"),
        "{stderr}"
    );

    let (code, _, stderr) = run(&[&product, &contract]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("is a data product")
            && stderr.contains("a data contract")
            && stderr.contains("two data products"),
        "{stderr}"
    );

    let (code, _, stderr) = run(&[&product, &fixture("simple-data-product-v1.1.odps.yaml")]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("simple-data-product.odps.yaml")
            && stderr.contains(CONTRACT)
            && stderr.contains("--contract FILE")
            && stderr.contains("meshport catalog sync"),
        "{stderr}"
    );

    let (code, _, stderr) = run(&[&contract, &contract, "--contract", &product]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("--contract takes data contracts"), "{stderr}");

    let (code, _, stderr) = run(&[&contract, &contract, "--cache", &missing]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("no cache at"), "{stderr}");
}

fn change(seq: i64, entity: ChangeEntity, id: &str, document: Value) -> Change {
    Change {
        seq,
        at: "2026-12-01T00:00:00Z".into(),
        entity,
        id: id.into(),
        deleted: false,
        document: Some(document),
    }
}

fn access(id: &str, consumer: &str, state: &str) -> Value {
    json!({"id": id, "productId": PRODUCT, "productName": "Simple Data Product", "domain": "test",
        "outputPort": "processed-data", "consumer": consumer, "purpose": "weekly report", "state": state,
        "requestedAt": "2026-11-01T00:00:00Z", "updatedAt": "2026-11-02T00:00:00Z"})
}

/// A cache holding the simple product, its port's contract (1.0.0), a product reading that port, an
/// unrelated one, an active grant on the port and a revoked one.
fn cache_build(path: &Path) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let cache = Cache::open(path).await.unwrap();
        let upstream = json!({"apiVersion": "v0.9.0", "kind": "DataProduct", "id": PRODUCT, "status": "active",
            "name": "Simple Data Product", "version": "v1.0.0",
            "inputPorts": [{"name": "source-data", "version": "1.0.0", "contractId": "12345678-1234-1234-1234-123456789abc"}],
            "outputPorts": [{"name": "processed-data", "description": "Processed output data", "type": "tables",
                "version": "1.0.0", "contractId": CONTRACT}]});
        let reader = json!({"apiVersion": "v1.0.0", "kind": "DataProduct", "id": "d0wn5tre-am00-0000-0000-000000000001",
            "status": "active", "name": "Weekly Report", "domain": "finance", "version": "1.0.0",
            "inputPorts": [{"name": "processed", "version": "1.0.0", "contractId": CONTRACT}]});
        let unrelated = json!({"apiVersion": "v1.0.0", "kind": "DataProduct", "id": "unre1ated-0000-0000-0000-000000000002",
            "status": "active", "name": "Stock Levels", "version": "1.0.0",
            "inputPorts": [{"name": "other", "version": "1.0.0", "contractId": "c0ffee00-0000-0000-0000-000000000000"}]});
        let contract: Value = {
            let text = std::fs::read_to_string(fixture("processed-data-1.0.0.odcs.yaml")).unwrap();
            meshport_governance::document::parse(&text).unwrap().remove(0).value
        };
        let changes = vec![
            change(1, ChangeEntity::Product, PRODUCT, upstream),
            change(2, ChangeEntity::Product, "d0wn5tre-am00-0000-0000-000000000001", reader),
            change(3, ChangeEntity::Product, "unre1ated-0000-0000-0000-000000000002", unrelated),
            change(4, ChangeEntity::Contract, CONTRACT, contract),
            change(5, ChangeEntity::AccessRequest, "r1", access("r1", "dana", "active")),
            change(6, ChangeEntity::AccessRequest, "r2", access("r2", "eli", "revoked")),
        ];
        let page = ChangePage {
            next: 6,
            changes,
            has_more: false,
        };
        cache.page_apply("http://127.0.0.1:9", &page).await.unwrap();
        cache.sync_succeeded("2026-12-01T00:00:01Z").await.unwrap();
    });
}

#[test]
fn the_cache_resolves_contracts_and_names_the_downstream_products_and_the_grants() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache.db");
    cache_build(&cache);
    let cache = cache.display().to_string();
    let old = fixture("simple-data-product.odps.yaml");
    let new = fixture("simple-data-product-v1.1.odps.yaml");

    // The port's contract comes from the cache: one version for both sides, so only the port moved.
    let (code, stdout, stderr) = run(&[&old, &new, "--cache", &cache]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("port-version-changed"), "{stdout}");

    // NEW's version of the contract given: a breaking change on the port, and who it reaches.
    let given = fixture("processed-data-1.1.0.odcs.yaml");
    let (code, stdout, stderr) = run(&[&old, &new, "--contract", &given, "--cache", &cache]);
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    let downstream = stdout
        .split("Downstream:")
        .nth(1)
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(
        downstream
            .contains("product d0wn5tre-am00-0000-0000-000000000001 (Weekly Report) reads `processed-data`"),
        "{stdout}"
    );
    assert!(downstream.contains("input port `processed`"), "{stdout}");
    assert!(
        downstream.contains("consumer dana holds an active grant on `processed-data`"),
        "{stdout}"
    );
    assert!(!downstream.contains("eli"), "a revoked grant: {stdout}");
    assert!(!downstream.contains("Stock Levels"), "{stdout}");

    let (code, report) = json_of(&[&old, &new, "--contract", &given, "--cache", &cache]);
    assert_eq!(code, Some(1));
    assert_eq!(report["impactComputed"], true);
    assert_eq!(
        report["downstream"],
        json!([{"productId": "d0wn5tre-am00-0000-0000-000000000001", "name": "Weekly Report", "domain": "finance",
            "inputPort": "processed", "upstreamProductId": PRODUCT, "upstreamPort": "processed-data",
            "contractId": CONTRACT}])
    );
    assert_eq!(
        report["consumers"],
        json!([{"consumer": "dana", "productId": PRODUCT, "port": "processed-data", "requestId": "r1"}])
    );

    // A bare contract: the products serving it, and their downstream.
    let (code, stdout, stderr) = run(&[
        &fixture("processed-data-1.0.0.odcs.yaml"),
        &given,
        "--cache",
        &cache,
    ]);
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    assert!(
        stdout.contains(&format!(
            "Used by:\n  product {PRODUCT} (Simple Data Product): output port `processed-data` version 1.0.0"
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains("(Weekly Report) reads `processed-data`"),
        "{stdout}"
    );
    assert!(stdout.contains("consumer dana"), "{stdout}");
}

/// Without --cache, the cache of the platform named (--platform, MESHPORT_PLATFORM) or of the
/// profile in use is read.
#[test]
fn the_default_cache_is_the_profile_s_or_the_platform_s() {
    let data = tempfile::tempdir().unwrap();
    let config = tempfile::tempdir().unwrap();
    let app = |dir: &Path| -> PathBuf { dir.join("dev.meshport.desktop") };
    std::fs::create_dir_all(app(data.path()).join("cache")).unwrap();
    cache_build(&app(data.path()).join("cache/profile-prod.db"));
    cache_build(&app(data.path()).join("cache/http_127_0_0_1_9.db"));
    std::fs::create_dir_all(app(config.path())).unwrap();
    std::fs::write(
        app(config.path()).join("profiles.json"),
        r#"{"active": "prod", "profiles": [{"name": "prod", "url": "http://127.0.0.1:8", "user": "owen"}]}"#,
    )
    .unwrap();
    let args = [
        fixture("simple-data-product.odps.yaml"),
        fixture("simple-data-product-v1.1.odps.yaml"),
        "--contract".into(),
        fixture("processed-data-1.1.0.odcs.yaml"),
    ];
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let with_dirs = || {
        let mut cmd = meshport();
        cmd.env("XDG_DATA_HOME", data.path())
            .env("XDG_CONFIG_HOME", config.path());
        cmd
    };
    let (code, stdout, stderr) = run_with(&mut with_dirs(), &args);
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    assert!(
        stdout.contains("consumer dana"),
        "the active profile's cache: {stdout}"
    );
    let (code, stdout, stderr) = run_with(
        &mut with_dirs(),
        &[&args[..], &["--platform", "http://127.0.0.1:9"]].concat(),
    );
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    assert!(stdout.contains("consumer dana"), "the platform's cache: {stdout}");
    let (code, _, stderr) = run_with(&mut with_dirs(), &[&args[..], &["--profile", "staging"]].concat());
    assert_eq!(code, Some(2), "a profile named that does not exist");
    assert!(stderr.contains("staging"), "{stderr}");
}

/// `--draft ID`: a local draft (a provisioning request carrying its port's next contract) against the
/// catalog's current version of its product, from the cache; who the break reaches.
#[test]
fn a_draft_is_compared_with_the_catalogs_version_of_its_product() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache.db");
    cache_build(&cache);
    let cache = cache.display().to_string();
    let db = dir.path().join("catalog.db").display().to_string();
    let read = |name: &str| -> Value {
        let text = std::fs::read_to_string(fixture(name)).unwrap();
        meshport_governance::document::parse(&text)
            .unwrap()
            .remove(0)
            .value
    };
    let request = json!({
        "apiVersion": "meshport/v1", "kind": "ProvisioningRequest",
        "product": read("simple-data-product-v1.1.odps.yaml"),
        "contracts": [read("processed-data-1.1.0.odcs.yaml")],
        "infrastructure": {},
    });
    let file = dir.path().join("draft.json");
    std::fs::write(&file, request.to_string()).unwrap();
    let out = meshport()
        .args(["--db", &db, "draft", "save"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let saved = String::from_utf8(out.stdout).unwrap();
    let id = saved.split_whitespace().nth(3).unwrap().to_owned();

    let (code, stdout, stderr) = run_with(
        meshport().args(["--db", &db]),
        &["--draft", &id, "--cache", &cache],
    );
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    assert!(
        stdout.contains("column-removed") && stdout.contains("type-narrowed"),
        "{stdout}"
    );
    assert!(
        stdout.contains("(Weekly Report) reads `processed-data`"),
        "{stdout}"
    );

    // A draft of a product the catalog does not have yet breaks nobody: said, exit 2.
    let mut fresh = request.clone();
    fresh["product"]["id"] = "9e0f5d1c-0000-4000-8000-000000000001".into();
    std::fs::write(&file, fresh.to_string()).unwrap();
    let out = meshport()
        .args(["--db", &db, "draft", "save"])
        .arg(&file)
        .output()
        .unwrap();
    let id = String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .nth(3)
        .unwrap()
        .to_owned();
    let (code, _, stderr) = run_with(
        meshport().args(["--db", &db]),
        &["--draft", &id, "--cache", &cache],
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("not in the catalog"), "{stderr}");
}
