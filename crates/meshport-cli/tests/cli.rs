//! Integration tests of the `meshport` binary, run as a user runs it.

use std::process::Command;

fn meshport() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_meshport"));
    // Hermetic: never the user's data folder, and no `.meshport/policies` above the working directory.
    cmd.env_remove("MESHPORT_DB")
        .env_remove("MESHPORT_PLATFORM")
        .env_remove("MESHPORT_TOKEN")
        .env_remove("MESHPORT_LOG")
        .env_remove("MESHPORT_PROFILE")
        .env("XDG_DATA_HOME", "/nonexistent-meshport-test")
        .env("XDG_CONFIG_HOME", "/nonexistent-meshport-test")
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

/// `meshport … | head`: the reader closes the pipe before the output is written; the command ends
/// as it would have, without an error about the pipe.
#[test]
fn output_to_a_closed_pipe_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let product = dir.path().join("product.yaml");
    std::fs::write(
        &product,
        "apiVersion: v1.0.0\nkind: DataProduct\nid: p1\nname: P\nversion: 1.0.0\nstatus: draft\ndomain: orders\n",
    )
    .unwrap();
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = meshport()
        .arg("validate")
        .arg(&product)
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stderr.contains("Broken pipe"), "{stderr}");
    assert!(
        out.status.code().is_some_and(|c| c != 2),
        "{:?}: {stderr}",
        out.status
    );
}

#[test]
fn an_unreadable_local_store_is_a_clear_error_with_status_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = meshport()
        .args(["draft", "list", "--db"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("opening the local store"), "{stderr}");
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
/// standard's own column-validity example is a valid contract that the demo's global pack still
/// refuses (no sensitivity level).
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
    // The customer request relates a column to `countries.code`, reference data another product
    // publishes: a warning inside a request, whose contracts are a slice of the mesh.
    let findings: Vec<_> = files
        .iter()
        .flat_map(|f| f["findings"].as_array().unwrap())
        .map(|f| (f["rule"].as_str().unwrap(), f["severity"].as_str().unwrap()))
        .collect();
    assert!(files.iter().all(|f| f["valid"] == true), "{report:#}");
    assert_eq!(findings, [("unknown-reference", "warning")], "{report:#}");

    let example = standards().join("odcs/examples/column-validity.odcs.yaml");
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

/// The official v3.1.0 examples that break their own standard (see the governance test
/// `every_official_example_is_valid`): three declare v3.0.2 but use what v3.1.0 added, and the full
/// example relates a property to an object the contract does not have.
const UPSTREAM_DEFECTS: [&str; 4] = [
    "all-data-types.odcs.yaml",
    "basic-four-dpo.odcs.yaml",
    "column-completeness.odcs.yaml",
    "full-example.odcs.yaml",
];

/// Every official ODCS and ODPS example is valid under plain `meshport validate` (the standard alone),
/// each alone and all in one folder, but for the upstream defects above; every invalid example is
/// refused, alone and together.
#[test]
fn the_standard_alone_accepts_every_example_and_refuses_every_invalid_one() {
    let examples: Vec<_> = ["odcs/examples", "odps/examples"]
        .iter()
        .flat_map(|dir| std::fs::read_dir(standards().join(dir)).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| !UPSTREAM_DEFECTS.contains(&p.file_name().unwrap().to_str().unwrap()))
        .collect();
    assert_eq!(examples.len(), 16);
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
    assert_eq!(report["files"].as_array().unwrap().len(), 16);
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
/// `conftest verify` does.
///
/// The expected verdicts are not Meshport's output written down: each names, in `source`, the
/// lines of conftest's documentation or acceptance tests (`open-policy-agent/conftest` at the
/// revision in `conftest`) it follows from, and each run the `conftest` command it stands for. A
/// verdict no such line gives is left out and said so (`leftOut`).
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
        let said = |value: &serde_json::Value, key: &str, what: &str| {
            let text = value[key].as_str().unwrap_or_default();
            assert!(
                !text.trim().is_empty(),
                "{}: {what} has no `{key}`: {value}",
                case.display()
            );
            text.to_owned()
        };
        assert!(
            said(&expected, "conftest", "the case").starts_with("open-policy-agent/conftest@"),
            "{}: the conftest revision the sources' lines refer to",
            case.display()
        );
        let source = said(&expected["tests"], "source", "the `policy test` expectation");
        assert!(source.contains(".bats:") || source.contains(".md:"), "{source}");
        said(&expected["tests"], "conftest", "the `policy test` expectation");
        for run in expected["runs"].as_array().unwrap() {
            assert!(said(run, "conftest", "a run").starts_with("conftest test "));
            for docs in run["inputs"].as_object().unwrap().values() {
                for doc in docs.as_array().unwrap() {
                    let source = said(doc, "source", "an expected verdict");
                    assert!(
                        source.contains(".bats:") || source.contains(".md:"),
                        "{}: a source names a line of conftest's tests or documentation: {source}",
                        case.display()
                    );
                }
            }
        }
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

/// A document that is a JSON array is validated element by element, each its own document of the
/// report. Meshport's choice, after conftest's engine (`policy/engine.go`, which tests every element
/// of a parsed array on its own); conftest documents it for multi-document YAML only, so it is not
/// one of the verdicts `conftest_folders_give_conftests_verdicts` compares.
#[test]
fn a_json_array_is_validated_element_by_element() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("policy/services.rego"),
        "package main\n\nimport rego.v1\n\ndeny contains msg if {\n  input.spec.type == \"LoadBalancer\"\n  \
         msg := sprintf(\"%s: load balancers are not allowed\", [input.metadata.name])\n}\n",
    );
    write(
        &dir.path().join("list.json"),
        r#"[{"kind": "Service", "metadata": {"name": "edge"}, "spec": {"type": "LoadBalancer"}},
            {"kind": "Service", "metadata": {"name": "internal"}, "spec": {"type": "ClusterIP"}}]"#,
    );
    let out = meshport()
        .current_dir(dir.path())
        .args([
            "validate",
            "--format",
            "json",
            "--policies",
            "policy",
            "list.json",
        ])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{report:#}");
    let files = report["files"].as_array().unwrap();
    assert_eq!(files.len(), 2, "{report:#}");
    let failures = |n: usize| -> Vec<&str> {
        files[n]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["severity"] == "error")
            .map(|f| f["message"].as_str().unwrap())
            .collect()
    };
    assert_eq!(failures(0), ["edge: load balancers are not allowed"]);
    assert!(failures(1).is_empty(), "{report:#}");
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

/// The demo's Order Lines product: its check `CHANNEL_CHECK` fails and has an open incident, and `cora`
/// has a pending access request for its port `order-lines`.
const DEMO_ORDERS: &str = "3f1c2a9e-6b7d-4e21-9a53-0c8f4d2b7e61";
const CHANNEL_CHECK: &str = "order-lines:order_lines.channel:0";

/// The SQLite demo platform (`meshport-platform serve --demo`), served in process on a loopback
/// port, with a token per demo user; stopped when dropped.
struct DemoPlatform {
    runtime: tokio::runtime::Runtime,
    platform: Option<meshport_platform::Platform>,
    tokens: std::collections::BTreeMap<&'static str, String>,
    _dir: tempfile::TempDir,
}

impl DemoPlatform {
    fn start() -> DemoPlatform {
        use meshport_platform::{AppState, Config, Platform, auth, demo};
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let (platform, tokens) = runtime.block_on(async {
            let mut config = Config::new(&format!("sqlite://{}", dir.path().join("platform.db").display()));
            config.ports_dir = dir.path().join("ports");
            config.workers = 2;
            // No scheduled check run or grant expiry in the middle of a test.
            config.trust_tick = std::time::Duration::from_secs(3600);
            let state = AppState::open(config).await.unwrap();
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let platform = Platform::serve(state.clone(), listener).unwrap();
            demo::demo_seed(&state).await.unwrap();
            let mut tokens = std::collections::BTreeMap::new();
            for (user, _) in demo::USERS {
                tokens.insert(*user, auth::token_create(state.store(), user).await.unwrap());
            }
            (platform, tokens)
        });
        DemoPlatform {
            runtime,
            platform: Some(platform),
            tokens,
            _dir: dir,
        }
    }

    fn url(&self) -> String {
        self.platform.as_ref().unwrap().url()
    }

    /// `meshport` as `user`: the platform and the token in the environment, as a user sets them.
    fn meshport(&self, user: &str) -> Command {
        let mut cmd = meshport();
        cmd.env("MESHPORT_PLATFORM", self.url())
            .env("MESHPORT_TOKEN", &self.tokens[user]);
        cmd
    }

    /// Runs `meshport ARGS` as `user`: exit code, stdout, stderr.
    fn run(&self, user: &str, args: &[&str]) -> (Option<i32>, String, String) {
        let out = self.meshport(user).args(args).output().unwrap();
        (
            out.status.code(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    }

    /// `meshport ARGS --format json` as `user`, which must succeed, read back.
    fn json(&self, user: &str, args: &[&str]) -> serde_json::Value {
        let (code, stdout, stderr) = self.run(user, &[args, &["--format", "json"]].concat());
        assert_eq!(code, Some(0), "{args:?}: {stderr}");
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{args:?}: {e}: {stdout}"))
    }

    fn client(&self, user: &str) -> meshport_client::Client {
        meshport_client::Client::new(
            &self.url(),
            meshport_client::Secret::new(self.tokens[user].clone()),
        )
        .unwrap()
    }
}

impl Drop for DemoPlatform {
    fn drop(&mut self) {
        if let Some(platform) = self.platform.take() {
            self.runtime.block_on(platform.shutdown());
        }
    }
}

/// A steward sees the demo's incident, runs the checks (exit 1, the same check failing), and works
/// the incident through its states; the state machine's refusals and a consumer's are exit 2 with
/// the reason and the current state.
#[test]
fn a_steward_works_the_demo_incident_from_the_command_line() {
    let demo = DemoPlatform::start();

    let (code, list, stderr) = demo.run("sam", &["incidents", "list", "--state", "open"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(list.starts_with("ID "), "{list}");
    let row = list
        .lines()
        .find(|l| l.contains("invalidValues of order_lines.channel"))
        .unwrap_or_else(|| panic!("{list}"));
    assert!(
        row.contains(" open ") && row.contains("Order Lines") && row.contains("orders"),
        "{row}"
    );
    assert!(list.trim_end().ends_with("1 incident(s)"), "{list}");
    let incidents = demo.json("sam", &["incidents", "list", "--product", DEMO_ORDERS]);
    let items = incidents["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{incidents:#}");
    assert_eq!(items[0]["check"], CHANNEL_CHECK);
    let id = items[0]["id"].as_str().unwrap().to_owned();
    assert!(row.starts_with(&id), "{row}");

    // The checks run for real: the same check fails, so the run exits 1.
    let (code, run, stderr) = demo.run("sam", &["quality", "run", DEMO_ORDERS]);
    assert_eq!(code, Some(1), "{run}{stderr}");
    let failed: Vec<&str> = run.lines().filter(|l| l.starts_with("FAILED ")).collect();
    assert_eq!(failed.len(), 1, "{run}");
    assert!(failed[0].contains(CHANNEL_CHECK), "{run}");
    assert!(failed[0].contains("mustBeLessThan 1"), "the threshold: {run}");
    assert!(run.contains("passed  order-lines:order_lines:0"), "{run}");
    assert!(run.contains("5000 rows"), "the measured row count: {run}");
    assert!(run.contains("not executable (1):"), "{run}");
    assert!(run.contains("a `text` rule"), "with the reason: {run}");
    assert!(
        run.trim_end().ends_with("1 failed, 0 warning(s), 0 error(s)"),
        "{run}"
    );
    let (code, json, _) = demo.run("sam", &["quality", "run", DEMO_ORDERS, "--format", "json"]);
    assert_eq!(code, Some(1));
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["failed"], 1, "{json:#}");
    assert_eq!(json["trigger"], "manual");

    // The report: latest, a trend per check, the SLOs with their detail.
    let (code, report, stderr) = demo.run("cora", &["quality", "show", DEMO_ORDERS, "--days", "30"]);
    assert_eq!(code, Some(0), "{stderr}");
    let channel = report
        .lines()
        .find(|l| l.contains(CHANNEL_CHECK))
        .unwrap_or_else(|| panic!("{report}"));
    assert!(channel.starts_with("FAILED"), "{channel}");
    let bars = channel.chars().filter(|c| ('▁'..='█').contains(c)).count();
    assert_eq!(bars, 14, "the last 14 runs: {channel}");
    assert!(channel.contains("not passed"), "{channel}");
    for slo in [
        "met       freshness",
        "met       completeness",
        "BREACHED  passRate",
    ] {
        assert!(report.contains(slo), "{slo}: {report}");
    }
    assert!(
        report.contains("results passed in the last 7 days"),
        "the detail: {report}"
    );

    // Only stewards work incidents.
    let (code, stdout, stderr) = demo.run("cora", &["incidents", "ack", &id]);
    assert_eq!(code, Some(2), "{stdout}");
    assert!(stderr.contains("Not allowed (403)"), "{stderr}");
    assert!(stderr.contains("steward"), "names who may: {stderr}");

    let (code, acked, stderr) = demo.run("sam", &["incidents", "ack", &id, "--comment", "Looking into it."]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(acked.contains("state     acknowledged"), "{acked}");
    let (code, assigned, stderr) = demo.run("sam", &["incidents", "assign", &id, "sam"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(assigned.contains("state     assigned"), "{assigned}");
    assert!(assigned.contains("assignee  sam"), "{assigned}");
    let (code, commented, stderr) = demo.run(
        "sam",
        &["incidents", "comment", &id, "A kiosk pilot started on the 28th."],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        commented.contains("\"A kiosk pilot started on the 28th.\""),
        "{commented}"
    );
    let (code, resolved, stderr) = demo.run(
        "sam",
        &[
            "incidents",
            "resolve",
            &id,
            "--comment",
            "Kiosk added to the contract's channels.",
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(resolved.contains("state     resolved"), "{resolved}");

    let (code, _, stderr) = demo.run("sam", &["incidents", "resolve", &id, "--comment", "again"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("(409)"), "{stderr}");
    assert!(stderr.contains("current state: resolved"), "{stderr}");
    assert!(stderr.contains("to fix:"), "{stderr}");
    let (code, problem, _) = demo.run(
        "sam",
        &[
            "incidents",
            "resolve",
            &id,
            "--comment",
            "again",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, Some(2));
    let problem: serde_json::Value = serde_json::from_str(&problem).unwrap();
    assert_eq!(problem["type"], "urn:meshport:problem:invalid-state");
    assert_eq!(problem["currentState"], "resolved");

    // The timeline, oldest first.
    let (code, shown, _) = demo.run("cora", &["incidents", "show", &id]);
    assert_eq!(code, Some(0));
    let actions: Vec<&str> = shown
        .lines()
        .filter(|l| l.starts_with("  2"))
        .map(|l| l.split_whitespace().nth(3).unwrap())
        .collect();
    assert_eq!(actions.first(), Some(&"opened"), "{shown}");
    assert_eq!(
        &actions[actions.len() - 4..],
        ["acknowledged", "assigned", "commented", "resolved"],
        "{shown}"
    );
    assert!(
        shown.contains("sam        resolved (assigned → resolved)"),
        "{shown}"
    );
    let (code, _, stderr) = demo.run("cora", &["incidents", "show", "inc_missing"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("Not found (404)"), "{stderr}");

    // A steward reopens it, saying why; an owner may not, and the reason is required.
    let (code, _, stderr) = demo.run("owen", &["incidents", "reopen", &id, "--comment", "still wrong"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("(403)"), "{stderr}");
    let (code, _, stderr) = demo.run("sam", &["incidents", "reopen", &id]);
    assert_eq!(code, Some(2), "clap refuses a reopen without a reason: {stderr}");
    assert!(stderr.contains("--comment"), "{stderr}");
    let (code, reopened, stderr) = demo.run(
        "sam",
        &[
            "incidents",
            "reopen",
            &id,
            "--comment",
            "Kiosk rows came back on the 3rd.",
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(reopened.contains("state     reopened"), "{reopened}");
}

/// An owner approves the demo's pending request; the consumer then reads the port's rows (through
/// the client and the command line) until the owner revokes the grant, after which reads are 403.
#[test]
fn an_owner_grants_then_revokes_access_and_the_consumer_reads_meanwhile() {
    let demo = DemoPlatform::start();

    let (code, list, stderr) = demo.run("owen", &["access", "list"]);
    assert_eq!(code, Some(0), "{stderr}");
    let row = list
        .lines()
        .find(|l| l.contains(" cora "))
        .unwrap_or_else(|| panic!("{list}"));
    assert!(
        row.contains("requested") && row.contains("order-lines") && row.contains("Order Lines"),
        "{row}"
    );
    let pending = demo.json(
        "owen",
        &["access", "list", "--state", "requested", "--consumer", "cora"],
    );
    let items = pending["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{pending:#}");
    let id = items[0]["id"].as_str().unwrap().to_owned();
    let (_, theirs, _) = demo.run("mia", &["access", "list"]);
    assert!(
        theirs.trim_end().ends_with("0 access request(s)"),
        "another domain's owner: {theirs}"
    );

    let rows = |user: &str| {
        let client = demo.client(user);
        let query = meshport_client::RowsQuery {
            limit: Some(5),
            filters: vec![("channel".into(), "kiosk".into())],
            ..Default::default()
        };
        demo.runtime
            .block_on(client.port_rows(DEMO_ORDERS, "order-lines", &query))
    };
    let refused = rows("cora").unwrap_err();
    assert_eq!(refused.status(), Some(403), "no grant yet: {refused}");

    // The consumer may not decide on their own request; the owner approves.
    let (code, _, stderr) = demo.run("cora", &["access", "approve", &id]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("(403)") && stderr.contains("owner"), "{stderr}");
    let (code, approved, stderr) = demo.run(
        "owen",
        &["access", "approve", &id, "--reason", "Forecasting is in scope."],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(approved.contains("state           active"), "{approved}");
    assert!(approved.contains("decided by      owen"), "{approved}");
    assert!(approved.contains("grant           rows-endpoint"), "{approved}");

    let page = rows("cora").unwrap();
    assert_eq!(page.table, "order_lines");
    assert_eq!(page.rows.len(), 5);
    let channel = page.columns.iter().position(|c| c == "channel").unwrap();
    assert!(page.rows.iter().all(|r| r[channel] == "kiosk"), "{page:?}");
    assert!(page.next_cursor.is_some());
    let (code, table, stderr) = demo.run(
        "cora",
        &[
            "access",
            "rows",
            DEMO_ORDERS,
            "order-lines",
            "--limit",
            "3",
            "--where",
            "channel=kiosk",
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(table.starts_with("table order_lines\norder_id "), "{table}");
    assert_eq!(
        table.lines().filter(|l| l.contains(" kiosk ")).count(),
        3,
        "{table}"
    );
    assert!(table.contains("3 row(s)\nmore: repeat with --cursor "), "{table}");
    let lineage = demo.json("cora", &["lineage", DEMO_ORDERS, "--depth", "1"]);
    let orders = lineage["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["distance"] == 0)
        .unwrap();
    assert_eq!(
        orders["outputPorts"][0]["consumers"],
        serde_json::json!(["cora"]),
        "lineage names the consumer: {orders:#}"
    );

    let (code, revoked, stderr) = demo.run("owen", &["access", "revoke", &id, "--reason", "Pilot over."]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(revoked.contains("state           revoked"), "{revoked}");
    let refused = rows("cora").unwrap_err();
    assert_eq!(refused.status(), Some(403), "revoked: {refused}");
    let (code, _, stderr) = demo.run("cora", &["access", "rows", DEMO_ORDERS, "order-lines"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("Not allowed (403)"), "{stderr}");
    assert!(
        stderr.contains("meshport access request"),
        "names the fix: {stderr}"
    );
    let (code, _, stderr) = demo.run("owen", &["access", "revoke", &id]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("current state: revoked"), "{stderr}");

    // Asking again, with an end date.
    let asked = demo.json(
        "cora",
        &[
            "access",
            "request",
            DEMO_ORDERS,
            "order-lines",
            "--purpose",
            "Second forecast pilot",
            "--until",
            "2099-01-01T00:00:00Z",
        ],
    );
    assert_eq!(asked["state"], "requested", "{asked:#}");
    assert_eq!(asked["consumer"], "cora");
    let (code, _, stderr) = demo.run(
        "cora",
        &[
            "access",
            "request",
            DEMO_ORDERS,
            "order-lines",
            "--purpose",
            "once more",
        ],
    );
    assert_eq!(code, Some(2), "one open request per port");
    assert!(stderr.contains("(409)"), "{stderr}");
}

#[test]
fn lineage_lists_the_products_downstream_of_orders() {
    let demo = DemoPlatform::start();
    let (code, text, stderr) = demo.run("cora", &["lineage", DEMO_ORDERS]);
    assert_eq!(code, Some(0), "{stderr}");
    let downstream = text
        .split("downstream:")
        .nth(1)
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        downstream.contains("[+1] Campaign Attribution (marketing)"),
        "{text}"
    );
    assert!(downstream.contains("[+2] Daily Revenue (finance)"), "{text}");
    assert!(
        downstream.contains("reads port order-lines of Order Lines"),
        "says what it reads: {text}"
    );
    let graph = demo.json("cora", &["lineage", DEMO_ORDERS]);
    let below: Vec<(&str, &str, i64)> = graph["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["distance"].as_i64().unwrap() > 0)
        .map(|n| {
            (
                n["name"].as_str().unwrap(),
                n["domain"].as_str().unwrap(),
                n["distance"].as_i64().unwrap(),
            )
        })
        .collect();
    assert!(
        below.contains(&("Campaign Attribution", "marketing", 1)),
        "{below:?}"
    );
    assert!(below.contains(&("Daily Revenue", "finance", 2)), "{below:?}");
    let (code, _, stderr) = demo.run("cora", &["lineage", "no-such-product"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("(404)"), "{stderr}");
}

#[test]
fn trust_commands_name_a_missing_token_and_refuse_bad_usage() {
    for args in [
        vec!["quality", "run", DEMO_ORDERS],
        vec!["quality", "show", DEMO_ORDERS],
        vec!["incidents", "list"],
        vec!["access", "list"],
        vec!["lineage", DEMO_ORDERS],
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
    for (args, says) in [
        (vec!["incidents", "list", "--state", "burning"], "possible values"),
        (vec!["incidents", "resolve", "inc_1"], "--comment"),
        (
            vec!["access", "rows", DEMO_ORDERS, "order-lines", "--where", "channel"],
            "COLUMN=VALUE",
        ),
        (vec!["access", "request", DEMO_ORDERS, "order-lines"], "--purpose"),
        (vec!["lineage", DEMO_ORDERS, "--depth", "0"], "--depth"),
    ] {
        let out = meshport()
            .args(&args)
            .env("MESHPORT_PLATFORM", closed_platform())
            .env("MESHPORT_TOKEN", "t")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
}

/// The catalog offline: a first sync is full, later ones incremental; search finds by prefix and
/// narrows by facet; with the platform gone, search still answers from the cache; a cursor the feed
/// no longer keeps (410) resyncs the whole cache.
#[test]
fn the_catalog_syncs_incrementally_and_searches_offline() {
    let mut demo = DemoPlatform::start();
    let data = tempfile::tempdir().unwrap();
    let url = demo.url();
    let token = demo.tokens["cora"].clone();
    let run = |_: &DemoPlatform, args: &[&str]| {
        let out = meshport()
            .env("MESHPORT_PLATFORM", &url)
            .env("MESHPORT_TOKEN", &token)
            .env("XDG_DATA_HOME", data.path())
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let json = |demo: &DemoPlatform, args: &[&str]| {
        let (code, stdout, stderr) = run(demo, &[args, &["--format", "json"]].concat());
        assert_eq!(code, Some(0), "{args:?}: {stderr}");
        serde_json::from_str::<serde_json::Value>(&stdout).unwrap()
    };
    let first = json(&demo, &["catalog", "sync"]);
    assert_eq!(
        first["full"], true,
        "the first sync replaces the cache whole: {first}"
    );
    assert_eq!(first["products"], 8, "six imported, two provisioned: {first}");
    assert_eq!(
        first["qualityHistoryFilled"], 2,
        "the two provisioned products' 90 days of quality history: {first}"
    );
    let again = json(&demo, &["catalog", "sync"]);
    assert_eq!(
        (again["full"].as_bool(), again["changes"].as_i64()),
        (Some(false), Some(0)),
        "{again}"
    );
    assert_eq!(again["qualityHistoryFilled"], 0, "filled once: {again}");

    // Search: a prefix, a column name, a facet.
    let found = json(&demo, &["catalog", "search", "ord"]);
    let names: Vec<&str> = found["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Orders"), "{found}");
    let narrowed = json(&demo, &["catalog", "search", "ord", "--domain", "orders"]);
    assert!(
        narrowed["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["domain"] == "orders"),
        "{narrowed}"
    );
    assert!(narrowed["total"].as_u64().unwrap() < found["total"].as_u64().unwrap());
    let column = json(&demo, &["catalog", "search", "unit_price"]);
    assert_eq!(
        column["hits"][0]["id"], DEMO_ORDERS,
        "a column of the contract finds its product: {column}"
    );
    let open = json(&demo, &["catalog", "search", "--open-incident"]);
    assert_eq!(open["total"], 1, "the demo's incident, from the feed: {open}");
    let domains = &found["facets"]["domain"];
    assert!(
        domains.as_array().unwrap().iter().any(|f| f["value"] == "orders"),
        "{domains}"
    );
    // One value of each facet listed, the most frequent; the sizes count them all.
    let one = json(&demo, &["catalog", "search", "ord", "--facet-limit", "1"]);
    for facet in ["domain", "status", "tag", "owner", "openIncident"] {
        let all = found["facets"][facet].as_array().unwrap();
        assert_eq!(found["facetSizes"][facet], all.len(), "{facet}: {found}");
        assert_eq!(one["facetSizes"][facet], all.len(), "{facet}: {one}");
        assert_eq!(
            one["facets"][facet].as_array().unwrap()[..],
            all[..all.len().min(1)],
            "{facet}: {one}"
        );
    }
    assert!(found["facetSizes"]["tag"].as_u64().unwrap() > 1, "{found}");

    // A change on the platform arrives incrementally.
    let ack = demo.run(
        "sam",
        &["incidents", "list", "--state", "open", "--format", "json"],
    );
    let id = serde_json::from_str::<serde_json::Value>(&ack.1).unwrap()["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(demo.run("sam", &["incidents", "ack", &id]).0, Some(0));
    let later = json(&demo, &["catalog", "sync"]);
    assert_eq!(
        (later["full"].as_bool(), later["changes"].as_i64()),
        (Some(false), Some(1)),
        "{later}"
    );

    // The platform compacts its feed past our cursor (the incident changed twice since, the first
    // change is superseded): the next
    // sync is a full one, swapped in whole.
    assert_eq!(
        demo.run("sam", &["incidents", "comment", &id, "looking"]).0,
        Some(0)
    );
    assert_eq!(
        demo.run("sam", &["incidents", "comment", &id, "found it"]).0,
        Some(0)
    );
    let store = demo.platform.as_ref().unwrap().state.store().clone();
    demo.runtime
        .block_on(meshport_platform::catalog::changes_purge(
            &store,
            meshport_platform::store::now_ms() + 1000,
        ))
        .unwrap();
    let resynced = json(&demo, &["catalog", "sync"]);
    assert_eq!(
        (resynced["full"].as_bool(), resynced["products"].as_u64()),
        (Some(true), Some(8)),
        "{resynced}"
    );
    let open = json(&demo, &["catalog", "search", "--open-incident"]);
    assert_eq!(open["total"], 1, "the resync kept the incident: {open}");

    // Offline: the platform is gone, search answers from the cache; sync fails with exit 2.
    let platform = demo.platform.take().unwrap();
    let state = platform.state.clone();
    demo.runtime.block_on(platform.shutdown());
    let offline = run(&demo, &["catalog", "search", "customer", "--platform", &url]);
    assert_eq!(offline.0, Some(0), "{}", offline.2);
    assert!(offline.1.contains("Customer 360"), "{}", offline.1);
    assert!(offline.1.contains("facets:"), "{}", offline.1);
    let failed = run(&demo, &["catalog", "sync", "--platform", &url]);
    assert_eq!(failed.0, Some(2), "{failed:?}");
    assert!(failed.2.contains("search still works offline"), "{}", failed.2);
    drop(state);
}

/// A v3.0.2 contract that uses v3.1.0's `timestamp` and has a version that is not semantic versioning.
const V3_0_2_WITH_TIMESTAMP: &str = "\
# Orders, as the warehouse team writes them.
apiVersion: v3.0.2 # the standard's version
kind: DataContract
id: orders
version: '2.0'
status: active
team:
  - username: ada # owner since 2024
    role: owner
schema:
  - name: orders
    properties:
      - name: placed_at
        logicalType: timestamp
    quality:
      - rule: rowCount
        mustBeGreaterThan: 0
";

/// `--severity RULE=LEVEL` raises or lowers a rule's findings, and the exit code follows; a rule or
/// level Meshport does not know is a usage error naming the known ones.
#[test]
fn severity_flags_raise_and_lower_rules() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("orders.odcs.yaml");
    write(&file, V3_0_2_WITH_TIMESTAMP);
    let out = meshport()
        .args(["validate", "--no-default-policies"])
        .arg(&file)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("error[schema-version]"), "{text}");
    assert!(text.contains("warning[semver]"), "{text}");
    let out = meshport()
        .args([
            "validate",
            "--no-default-policies",
            "--severity",
            "schema-version=warning",
        ])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = meshport()
        .args(["validate", "--no-default-policies", "--format", "json"])
        .args([
            "--severity",
            "schema-version=warning",
            "--severity",
            "semver=error",
        ])
        .arg(&file)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{report:#}");
    assert_eq!(report["files"][0]["valid"], false);
    let semver: Vec<_> = report["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "semver")
        .collect();
    assert_eq!(semver[0]["severity"], "error", "{report:#}");
    for bad in ["semvr=error", "semver=fatal", "semver"] {
        let out = meshport()
            .args(["validate", "--severity", bad])
            .arg(&file)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("semver"), "{bad}");
    }
    let out = meshport().args(["validate", "--rules"]).output().unwrap();
    let rules = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        rules
            .lines()
            .any(|l| l.starts_with("schema-version") && l.contains("error")),
        "{rules}"
    );
    assert!(
        rules
            .lines()
            .any(|l| l.starts_with("semver") && l.contains("warning")),
        "{rules}"
    );
}

/// A project's `.meshport/policies` pack manifest sets the standard's rules' severity, without Rego.
#[test]
fn a_project_manifest_sets_the_standards_severities() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join(".meshport/policies/pack.yaml"),
        "name: house\nversion: 1.0.0\nscope: global\nrules:\n  semver: required\n",
    );
    write(
        &dir.path().join("orders.odcs.yaml"),
        &V3_0_2_WITH_TIMESTAMP.replace("v3.0.2", "v3.1.0"),
    );
    let out = meshport()
        .current_dir(dir.path())
        .args(["validate", "orders.odcs.yaml"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("error[semver]"), "{text}");
}

/// `upgrade` prints a diff by default and changes nothing; `--write` rewrites the file, which then
/// passes ODCS v3.1.0 with its comments kept; what cannot be mapped is refused naming the field.
#[test]
fn upgrade_shows_a_diff_writes_and_refuses_what_it_cannot_map() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("orders.odcs.yaml");
    write(&file, V3_0_2_WITH_TIMESTAMP);
    let out = meshport().arg("upgrade").arg(&file).output().unwrap();
    let diff = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        diff.contains("-apiVersion: v3.0.2 # the standard's version"),
        "{diff}"
    );
    assert!(
        diff.contains("+apiVersion: v3.1.0 # the standard's version"),
        "{diff}"
    );
    assert!(diff.contains("+  members:"), "{diff}");
    assert!(diff.contains("+      - metric: rowCount"), "{diff}");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        V3_0_2_WITH_TIMESTAMP,
        "a diff changes nothing"
    );

    let out = meshport()
        .args(["upgrade", "--write"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(
        written.starts_with("# Orders, as the warehouse team writes them.\n"),
        "{written}"
    );
    assert!(
        written.contains("- username: ada # owner since 2024"),
        "{written}"
    );
    let out = meshport()
        .args(["validate", "--no-default-policies", "--format", "json"])
        .arg(&file)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{report:#}\n{written}");

    let unmappable = dir.path().join("freshness.odcs.yaml");
    let text = V3_0_2_WITH_TIMESTAMP.replace("rule: rowCount", "rule: freshness");
    write(&unmappable, &text);
    let out = meshport()
        .args(["upgrade", "--write"])
        .arg(&unmappable)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("/schema/0/quality/0/rule"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&unmappable).unwrap(),
        text,
        "a refused file is left unchanged"
    );

    let out = meshport()
        .args(["upgrade", "--to", "v3.2.0"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = meshport()
        .arg("upgrade")
        .arg(dir.path().join("missing.yaml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.yaml"));
}
