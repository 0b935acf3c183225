//! Integration tests of the `meshport` binary, run as a user runs it.

use std::process::Command;

fn meshport() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_meshport"));
    // Hermetic: never the user's data folder, and no `.meshport/policies` above the working directory.
    cmd.env_remove("MESHPORT_DB")
        .env_remove("MESHPORT_PLATFORM")
        .env_remove("MESHPORT_TOKEN")
        .env_remove("MESHPORT_LOG")
        .env("XDG_DATA_HOME", "/nonexistent-meshport-test")
        .current_dir(std::env::temp_dir());
    cmd
}

#[test]
fn version_prints_the_crate_version() {
    let out = meshport().arg("--version").output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim(),
        format!("meshport {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn products_list_reads_the_catalog_given_by_db() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("catalog.db");
    let out = meshport()
        .args(["products", "list", "--format", "json", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let list: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list.len(), 6, "the demo mesh");
    assert!(db.exists());

    let text = meshport()
        .args(["products", "list", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.starts_with("DOMAIN"), "{text}");
    assert!(text.contains("Customer 360"));
    assert!(text.trim_end().ends_with("6 data products"));
}

#[test]
fn an_unreadable_catalog_is_a_clear_error_with_status_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = meshport()
        .args(["products", "list", "--db"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("opening the catalog"), "{stderr}");
}

fn standards() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/standards")
}

fn fixtures() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../meshport-model/tests/fixtures/provisioning")
}

fn packs() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../meshport-governance/packs")
}

/// The provisioning fixtures pass every check, the demo mesh's policies included (exit 0); the
/// standard's own full example is a valid contract that the demo's global pack still refuses (no
/// sensitivity level).
#[test]
fn validate_json_report_on_valid_documents() {
    let out = meshport()
        .args(["validate", "--policies", "demo", "--format", "json"])
        .arg(fixtures())
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{report:#}");
    let files = report["files"].as_array().unwrap();
    let kinds: Vec<_> = files.iter().map(|f| f["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["ProvisioningRequest", "ProvisioningRequest"]);
    assert!(
        files
            .iter()
            .all(|f| f["valid"] == true && f["findings"] == serde_json::json!([])),
        "{report:#}"
    );

    let example = standards().join("odcs/examples/full-example.odcs.yaml");
    let out = meshport()
        .args(["validate", "--policies", "demo", "--format", "json"])
        .arg(&example)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let file = &report["files"][0];
    assert_eq!(file["kind"], "DataContract");
    let errors: Vec<_> = file["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .collect();
    assert_eq!(errors.len(), 1, "{report:#}");
    assert_eq!(errors[0]["rule"], "global/contract_sensitivity");
    for key in ["rule", "severity", "path", "message", "hint"] {
        assert!(errors[0][key].is_string(), "{key}");
    }
}

/// An invalid contract exits 1 and the text output names the file, line and column of the value.
#[test]
fn validate_text_points_at_line_and_column() {
    let path = standards().join("odcs/invalid/schema-property-invalid-logicaltype.odcs.yaml");
    let out = meshport()
        .args(["validate", "--no-default-policies"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let line = text
        .lines()
        .find(|l| l.contains("[schema]"))
        .unwrap_or_else(|| panic!("{text}"));
    let text_of_file = std::fs::read_to_string(&path).unwrap();
    let expected_line = text_of_file
        .lines()
        .position(|l| l.contains("logicalType: binary"))
        .unwrap()
        + 1;
    assert!(
        line.starts_with(&format!("{}:{expected_line}:22: error[schema]", path.display())),
        "{line}"
    );
    assert!(line.contains("(at /schema/0/properties/0/logicalType)"), "{line}");
    assert!(text.contains("    hint: "));
}

/// SARIF 2.1.0 with a region per result, so CI systems show findings inline.
#[test]
fn validate_sarif_has_rules_results_and_regions() {
    let path = standards().join("odcs/invalid/quality-multiple-operators.odcs.yaml");
    let out = meshport()
        .args(["validate", "--policies", "demo", "--format", "sarif"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "meshport");
    let result = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "quality-operators")
        .unwrap_or_else(|| panic!("{sarif:#}"));
    assert_eq!(result["level"], "error");
    let region = &result["locations"][0]["physicalLocation"]["region"];
    assert!(region["startLine"].as_u64().unwrap() > 1);
    assert!(
        run["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == "quality-operators")
    );
}

/// Policy findings from the demo's global pack arrive on their field; a domain pack from --policies too.
#[test]
fn validate_applies_shipped_and_given_policy_packs() {
    let dir = tempfile::tempdir().unwrap();
    let product = dir.path().join("product.yaml");
    std::fs::write(
        &product,
        "apiVersion: v1.0.0\nkind: DataProduct\nid: 7b0c1a2e-3d4f-4a5b-8c6d-7e8f9a0b1c2d\nname: Leads\n\
         version: 1.0.0\nstatus: draft\ndomain: marketing\noutputPorts:\n  - name: Leads_Daily\n    version: 1.0.0\n",
    )
    .unwrap();
    let out = meshport()
        .args(["validate", "--policies", "demo", "--format", "json"])
        .arg(&product)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = report["files"][0]["findings"].as_array().unwrap();
    let rules: Vec<_> = findings.iter().map(|f| f["rule"].as_str().unwrap()).collect();
    for expected in [
        "global/lineage_declared",
        "global/ownership",
        "global/port_naming",
        "marketing/attribution_model",
    ] {
        assert!(rules.contains(&expected), "{expected} missing from {rules:?}");
    }
    let naming = findings
        .iter()
        .find(|f| f["rule"] == "global/port_naming")
        .unwrap();
    assert_eq!(naming["path"], "/outputPorts/0/name");
    assert_eq!(naming["severity"], "warning");

    // Without the demo set, only the given pack applies.
    let out = meshport()
        .args([
            "validate",
            "--format",
            "json",
            "--no-default-policies",
            "--policies",
        ])
        .arg(packs().join("marketing"))
        .arg(&product)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<_> = report["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(rules, ["marketing/attribution_model"]);
}

#[test]
fn validate_usage_and_read_errors_exit_2() {
    let out = meshport().arg("validate").output().unwrap();
    assert_eq!(out.status.code(), Some(2), "no PATH is a usage error");
    let out = meshport()
        .args(["validate", "/nonexistent/contract.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/contract.yaml"));
}

/// `convert` writes what the model reads: YAML to JSON and back keep the tree.
#[test]
fn convert_round_trips_between_yaml_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let source = standards().join("odcs/examples/full-example.odcs.yaml");
    let json = meshport()
        .args(["convert", "--to", "json"])
        .arg(&source)
        .output()
        .unwrap();
    assert!(json.status.success(), "{}", String::from_utf8_lossy(&json.stderr));
    let json_path = dir.path().join("c.json");
    std::fs::write(&json_path, &json.stdout).unwrap();
    let yaml = meshport()
        .args(["convert", "--to", "yaml"])
        .arg(&json_path)
        .output()
        .unwrap();
    assert!(yaml.status.success());
    let yaml_path = dir.path().join("c.yaml");
    std::fs::write(&yaml_path, &yaml.stdout).unwrap();
    let again = meshport()
        .args(["convert", "--to", "json"])
        .arg(&yaml_path)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(again.stdout).unwrap(),
        String::from_utf8(json.stdout).unwrap()
    );
}

#[test]
fn convert_names_the_field_a_document_gets_wrong() {
    let out = meshport()
        .args(["convert", "--to", "json"])
        .arg(standards().join("odcs/invalid/schema-property-invalid-logicaltype.odcs.yaml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("schema[0].properties[0].logicalType"), "{stderr}");
    assert!(stderr.contains("binary"), "{stderr}");
}

#[test]
fn policy_test_runs_the_shipped_packs_tests() {
    let out = meshport().args(["policy", "test"]).arg(packs()).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("pack global 1.0.0 (global)"), "{text}");
    assert!(text.contains("PASS data."), "{text}");
    let summary = text.lines().last().unwrap();
    assert!(summary.ends_with(" passed, 0 failed"), "{summary}");
}

#[test]
fn policy_test_reports_a_failing_test_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("pack.yaml"),
        "name: t\nversion: 1.0.0\nscope: global\nrules:\n  x: required\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("p.rego"),
        "package main\n\nimport rego.v1\n\ndeny_x contains \"x\" if input.x\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("p_test.rego"),
        "package main\n\nimport rego.v1\n\ntest_x_fails if count(deny_x) == 1 with input as {\"x\": true}\n\
         test_x_wrong if count(deny_x) == 1 with input as {}\n",
    )
    .unwrap();
    let out = meshport()
        .args(["policy", "test"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("PASS data.main.test_x_fails"), "{text}");
    assert!(text.contains("FAIL data.main.test_x_wrong"), "{text}");
    assert!(text.trim_end().ends_with("1 passed, 1 failed"));
}

/// Every official ODCS and ODPS example is valid under plain `meshport validate` (the standard alone),
/// each alone and all in one folder; every invalid example is refused, alone and together.
#[test]
fn the_standard_alone_accepts_every_example_and_refuses_every_invalid_one() {
    let examples: Vec<_> = ["odcs/examples", "odps/examples"]
        .iter()
        .flat_map(|dir| std::fs::read_dir(standards().join(dir)).unwrap())
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(examples.len(), 20);
    let together = tempfile::tempdir().unwrap();
    for example in &examples {
        let out = meshport().arg("validate").arg(example).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{}:\n{text}", example.display());
        assert!(text.contains("policies: none, the standard alone"), "{text}");
        std::fs::copy(example, together.path().join(example.file_name().unwrap())).unwrap();
    }
    let out = meshport()
        .args(["validate", "--format", "json"])
        .arg(together.path())
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{report:#}");
    assert_eq!(report["files"].as_array().unwrap().len(), 20);
    // A product whose contract is not among the files is warned about, not refused.
    let warned: Vec<_> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["findings"].as_array().unwrap())
        .filter(|f| f["rule"] == "port-contract")
        .collect();
    assert!(!warned.is_empty() && warned.iter().all(|f| f["severity"] == "warning"));

    let invalid: Vec<_> = std::fs::read_dir(standards().join("odcs/invalid"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    for file in &invalid {
        let out = meshport().arg("validate").arg(file).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{} must be refused", file.display());
    }
    let out = meshport()
        .args(["validate", "--format", "json"])
        .arg(standards().join("odcs/invalid"))
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1));
    let files = report["files"].as_array().unwrap();
    assert_eq!(files.len(), invalid.len());
    assert!(files.iter().all(|f| f["valid"] == false), "{report:#}");
}

fn write(path: &std::path::Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const NO_LATEST_TAG: &str = "package main\n\nimport rego.v1\n\n\
    deny contains msg if {\n  some c in input.spec.template.spec.containers\n  endswith(c.image, \":latest\")\n  \
    msg := sprintf(\"container %s uses the latest tag\", [c.name])\n}\n";

/// The project's `.meshport/policies` folder is found from the working directory upwards and
/// applied, and the text output says so; `--no-default-policies` leaves it out. A Kubernetes
/// manifest is not refused for being no standard: the policies run on it as conftest runs them.
#[test]
fn project_policies_are_found_upwards_and_run_on_documents_of_no_standard() {
    let project = tempfile::tempdir().unwrap();
    write(&project.path().join(".meshport/policies/k8s.rego"), NO_LATEST_TAG);
    let deployment = project.path().join("deploy/app.yaml");
    write(
        &deployment,
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  template:\n    spec:\n      \
         containers:\n        - name: web\n          image: nginx:latest\n",
    );
    let out = meshport()
        .current_dir(project.path().join("deploy"))
        .args(["validate", "app.yaml"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("error[policies/deny] container web uses the latest tag"),
        "{text}"
    );
    assert!(text.contains("info[no-standard]"), "{text}");
    assert!(
        text.contains("policies: policies (conftest folder) on 1 document(s)"),
        "{text}"
    );

    let out = meshport()
        .current_dir(project.path().join("deploy"))
        .args(["validate", "--no-default-policies", "app.yaml"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn unknown_policy_names_and_folders_without_rego_exit_2_naming_the_sets() {
    let out = meshport()
        .args(["validate", "--policies", "nope"])
        .arg(standards().join("odcs/examples/column-validity.odcs.yaml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("`nope` is neither a folder nor a pack set") && stderr.contains("`demo`"),
        "{stderr}"
    );
    let empty = tempfile::tempdir().unwrap();
    let out = meshport()
        .args(["validate", "--policies"])
        .arg(empty.path())
        .arg(standards().join("odcs/examples/column-validity.odcs.yaml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("holds no .rego files"));
    let out = meshport().args(["policy", "list"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("demo ") && text.contains("global 1.0.0 (global)"),
        "{text}"
    );
}

/// A report with an error, a warning and a valid document, in every CI format.
fn ci_report(format: &str) -> (Option<i32>, String, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap().keep();
    write(&dir.join("policy/k8s.rego"), NO_LATEST_TAG);
    write(
        &dir.join("docs/app.yaml"),
        "kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          \
         image: nginx:latest\n---\nkind: Deployment\nspec: {}\n",
    );
    std::fs::copy(
        standards().join("odcs/invalid/quality-multiple-operators.odcs.yaml"),
        dir.join("docs/contract.yaml"),
    )
    .unwrap();
    let out = meshport()
        .args(["validate", "--format", format, "--policies"])
        .arg(dir.join("policy"))
        .arg(dir.join("docs"))
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap(), dir)
}

/// JUnit XML read back with an XML parser: a suite per document, a failing case per failing rule.
#[test]
fn validate_junit_is_well_formed_xml_with_a_suite_per_document() {
    use quick_xml::events::Event;
    let (code, xml, dir) = ci_report("junit");
    assert_eq!(code, Some(1));
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut suites, mut cases, mut failures) = (Vec::new(), Vec::new(), 0);
    let mut root = None;
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) => {
                let attr = |name: &str| {
                    e.try_get_attribute(name).unwrap().map(|a| {
                        a.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                            .unwrap()
                            .into_owned()
                    })
                };
                match e.name().0 {
                    "testsuites" => root = Some((attr("tests"), attr("failures"))),
                    "testsuite" => suites.push(attr("name").unwrap()),
                    "testcase" => cases.push(attr("name").unwrap()),
                    "failure" => failures += 1,
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let docs = dir.join("docs");
    assert_eq!(
        suites,
        [
            format!("{}/app.yaml#1", docs.display()),
            format!("{}/app.yaml#2", docs.display()),
            format!("{}/contract.yaml", docs.display()),
        ]
    );
    assert!(cases.contains(&"policy/deny".to_owned()), "{cases:?}");
    assert!(cases.contains(&"quality-operators".to_owned()), "{cases:?}");
    let (tests, failed) = root.unwrap();
    assert_eq!(tests.unwrap(), cases.len().to_string());
    assert_eq!(failed.unwrap(), failures.to_string());
    assert_eq!(failures, 2, "{xml}");
}

/// GitHub Actions workflow commands, read back by their grammar: `::level props::message` with the
/// runner's escapes undone.
#[test]
fn validate_github_prints_workflow_commands_with_file_line_and_column() {
    let (code, text, dir) = ci_report("github");
    assert_eq!(code, Some(1));
    let unescape = |s: &str| {
        s.replace("%0A", "\n")
            .replace("%0D", "\r")
            .replace("%3A", ":")
            .replace("%2C", ",")
            .replace("%25", "%")
    };
    let mut commands = Vec::new();
    for line in text.lines().filter(|l| l.starts_with("::")) {
        let rest = &line[2..];
        let (head, message) = rest.split_once("::").unwrap();
        let (level, props) = head.split_once(' ').unwrap();
        let props: std::collections::BTreeMap<_, _> = props
            .split(',')
            .map(|p| p.split_once('=').unwrap())
            .map(|(k, v)| (k.to_owned(), unescape(v)))
            .collect();
        commands.push((level.to_owned(), props, unescape(message)));
    }
    let contract = format!("{}/contract.yaml", dir.join("docs").display());
    let operators = commands
        .iter()
        .find(|(_, p, _)| p["title"] == "quality-operators")
        .unwrap_or_else(|| panic!("{text}"));
    assert_eq!(operators.0, "error");
    assert_eq!(operators.1["file"], contract);
    assert!(operators.1["line"].parse::<usize>().unwrap() > 1);
    assert!(operators.1.contains_key("col"));
    assert!(commands.iter().any(|(level, p, m)| level == "error"
        && p["title"] == "policy/deny"
        && m.starts_with("container web uses the latest tag")));
    assert!(
        commands.iter().any(|(level, _, _)| level == "notice"),
        "no-standard info is a notice"
    );
    assert!(
        text.lines()
            .last()
            .unwrap()
            .starts_with("meshport validate: 3 document(s)")
    );
}

/// SARIF validated against the SARIF 2.1.0 JSON Schema (the rtm.5 schema Microsoft publishes in the
/// `@microsoft/jest-sarif` npm package, MIT; the last 2.1.0 schema a package registry carries).
#[test]
fn validate_sarif_conforms_to_the_sarif_2_1_0_schema() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sarif-2.1.0-rtm.5.json"),
    )
    .unwrap();
    // rtm.5's `language` patterns have a stray `]` that regex engines refuse; the final 2.1.0 schema
    // corrected them to this.
    let text = text.replace(
        r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#,
        r#""^[a-zA-Z]{2}(-[a-zA-Z]{2})?$""#,
    );
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let (code, sarif, _) = ci_report("sarif");
    assert_eq!(code, Some(1));
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let errors: Vec<String> = validator.iter_errors(&sarif).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(sarif["runs"][0]["results"].as_array().unwrap().len() >= 3);
    // The schema is strict enough to catch a broken log.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken));
}

/// Conftest folders run unchanged: for each case under `tests/fixtures/conftest` (policies written
/// as conftest users keep them, in the image of conftest's own examples: v0 and v1 Rego, `violation`
/// objects, `exception` rules, `--data`, namespaces, multi-document YAML, a Kubernetes manifest, a
/// compose file), `meshport validate` gives the verdicts conftest documents for each input document
/// (failures, warnings, exceptions), and `meshport policy test` passes the `_test.rego` files as
/// `opa test` does.
#[test]
fn conftest_folders_give_conftests_verdicts() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/conftest");
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    assert_eq!(cases.len(), 4);
    for case in &cases {
        let expected: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(case.join("expected.json")).unwrap()).unwrap();
        for run in expected["runs"].as_array().unwrap() {
            let args: Vec<&str> = run["args"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap())
                .collect();
            let inputs = run["inputs"].as_object().unwrap();
            let out = meshport()
                .current_dir(case)
                .args(["validate", "--format", "json", "--policies", "policy"])
                .args(&args)
                .args(inputs.keys())
                .output()
                .unwrap();
            let report: serde_json::Value = serde_json::from_slice(&out.stdout)
                .unwrap_or_else(|_| panic!("{}: {}", case.display(), String::from_utf8_lossy(&out.stderr)));
            let failing = inputs
                .values()
                .flat_map(|docs| docs.as_array().unwrap())
                .any(|doc| !doc["failures"].as_array().unwrap().is_empty());
            assert_eq!(out.status.code(), Some(if failing { 1 } else { 0 }), "{report:#}");
            let files = report["files"].as_array().unwrap();
            let mut index = 0;
            for (input, docs) in inputs {
                for (n, want) in docs.as_array().unwrap().iter().enumerate() {
                    let file = &files[index];
                    index += 1;
                    assert_eq!(file["path"], input.as_str());
                    assert_eq!(file["kind"], "other", "{input}: no standard applies");
                    let messages = |severity: &str| {
                        let mut got: Vec<String> = file["findings"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .filter(|f| {
                                f["severity"] == severity
                                    && f["rule"].as_str().unwrap().starts_with("policy/")
                            })
                            .map(|f| f["message"].as_str().unwrap().to_owned())
                            .collect();
                        got.sort();
                        got
                    };
                    let strings = |key: &str| -> Vec<String> {
                        want[key]
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|s| s.as_str().unwrap().to_owned())
                            .collect()
                    };
                    let mut exceptions: Vec<String> = file["exceptions"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|e| {
                            e["rule"]
                                .as_str()
                                .unwrap()
                                .trim_start_matches("policy/")
                                .to_owned()
                        })
                        .collect();
                    exceptions.sort();
                    let at = format!("{} {args:?} {input} document {}", case.display(), n + 1);
                    assert_eq!(messages("error"), strings("failures"), "failures of {at}");
                    assert_eq!(messages("warning"), strings("warnings"), "warnings of {at}");
                    assert_eq!(exceptions, strings("exceptions"), "exceptions of {at}");
                }
            }
            assert_eq!(index, files.len());
        }
        let test_args: Vec<&str> = expected["tests"]["args"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|a| a.as_str().unwrap())
            .collect();
        let out = meshport()
            .current_dir(case)
            .args(["policy", "test", "policy"])
            .args(&test_args)
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        let tests = &expected["tests"];
        assert_eq!(
            text.lines().last().unwrap(),
            format!("{} passed, {} failed", tests["passed"], tests["failed"]),
            "{}: {text}",
            case.display()
        );
        assert_eq!(out.status.code(), Some(0));
    }
}

/// A loopback URL nothing listens on: a port the system just handed out and that was closed again.
fn closed_platform() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

fn request_file() -> std::path::PathBuf {
    fixtures().join("customer-request.yaml")
}

#[test]
fn submit_without_the_token_variable_exits_2_naming_it() {
    let out = meshport()
        .args([
            "submit",
            "--platform",
            &closed_platform(),
            "--token-env",
            "MESHPORT_TEST_TOKEN",
        ])
        .arg(request_file())
        .env_remove("MESHPORT_TEST_TOKEN")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("MESHPORT_TEST_TOKEN"), "{stderr}");
    assert!(out.stdout.is_empty());

    // The default variable is named the same way, by every platform command.
    for args in [
        vec!["request", "status", "pr_1"],
        vec!["request", "cancel", "pr_1"],
        vec!["unprovision", "p_1"],
    ] {
        let out = meshport()
            .args(&args)
            .env("MESHPORT_PLATFORM", closed_platform())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains("MESHPORT_TOKEN"), "{args:?}: {stderr}");
    }
}

#[test]
fn an_unreachable_platform_exits_2_naming_its_url_and_never_the_token() {
    let token = "mpt_test_0123456789_not-a-real-token";
    let platform = closed_platform();
    let out = meshport()
        .args(["submit", "--platform", &platform, "--idempotency-key", "k-1"])
        .arg(request_file())
        .env("MESHPORT_TOKEN", token)
        .env("MESHPORT_LOG", "meshport_client=debug")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(&format!(
            "cannot reach the platform at {platform}/v1/provisioning-requests"
        )),
        "{stderr}"
    );
    // A keyed POST is retried, each attempt under the call's one request id.
    assert!(stderr.contains("trying again"), "{stderr}");
    let ids: std::collections::BTreeSet<&str> = stderr
        .lines()
        .filter_map(|l| l.split("request_id=").nth(1))
        .map(|rest| rest.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(ids.len(), 1, "{stderr}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        !stderr.contains(token) && !stdout.contains(token),
        "{stderr}{stdout}"
    );

    let out = meshport()
        .args(["request", "status", "pr_1", "--platform", &platform])
        .env("MESHPORT_TOKEN", token)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains(&platform), "{stderr}");
    assert!(!stderr.contains(token), "{stderr}");
}

#[test]
fn submit_refuses_locally_what_it_cannot_send() {
    let dir = tempfile::tempdir().unwrap();
    let product = dir.path().join("product.yaml");
    std::fs::write(&product, "apiVersion: v1.0.0\nkind: DataProduct\nid: p\n").unwrap();
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{\"kind\": ").unwrap();
    let missing = dir.path().join("missing.yaml");
    for (file, says) in [
        (&product, "is a DataProduct, not a provisioning request"),
        (&broken, "broken.json: line"),
        (&missing, "cannot read"),
    ] {
        let out = meshport()
            .args(["submit", "--platform", &closed_platform()])
            .arg(file)
            .env("MESHPORT_TOKEN", "t")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", file.display());
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains(says), "{stderr}");
    }
}

#[test]
fn the_platform_and_the_token_are_never_arguments_left_out_or_taken() {
    let out = meshport().arg("submit").arg(request_file()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("--platform"));

    let out = meshport()
        .args(["submit", "--platform", "http://127.0.0.1:9", "--token", "t"])
        .arg(request_file())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("--token"));

    let out = meshport()
        .args(["submit", "--platform", "127.0.0.1:8080"])
        .arg(request_file())
        .env("MESHPORT_TOKEN", "t")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("`127.0.0.1:8080` is not a platform URL"),
        "{stderr}"
    );
}
