//! Integration tests of the governance checks, driven by the standards' examples and fixtures.

use std::path::{Path, PathBuf};

use meshport_governance::document::{self, Format};

fn standards() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/standards")
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

#[test]
fn yaml_and_json_writing_keep_the_tree() {
    for dir in ["odcs/examples", "odps/examples", "odcs/invalid"] {
        for path in files(&standards().join(dir)) {
            let text = std::fs::read_to_string(&path).unwrap();
            let parsed = document::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(parsed.len(), 1, "{}", path.display());
            let tree = &parsed[0].value;
            for format in [Format::Yaml, Format::Json] {
                let written = document::write(tree, format);
                let back = document::parse(&written)
                    .unwrap_or_else(|e| panic!("{}: {e}\n{written}", path.display()));
                assert_eq!(
                    &back[0].value,
                    tree,
                    "{} via {format:?}:\n{written}",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn positions_are_lines_and_columns_of_the_source() {
    let text = "apiVersion: v3.1.0\nschema:\n  - name: orders\n    properties:\n      - name: id\n        logicalType: strin\n";
    let parsed = document::parse(text).unwrap().remove(0);
    let at = parsed
        .positions
        .locate("/schema/0/properties/0/logicalType")
        .unwrap();
    assert_eq!((at.line, at.column), (6, 22));
    // A pointer below a leaf falls back to its nearest located ancestor.
    let at = parsed.positions.locate("/schema/0/name/extra").unwrap();
    assert_eq!((at.line, at.column), (3, 11));
}

#[test]
fn a_syntax_error_names_line_and_column() {
    let err = document::parse("a: 1\nb: [unclosed\nc: 2\n").unwrap_err();
    assert!(err.line >= 2, "{err}");
    let err = document::parse("a: 1\na: 2\n").unwrap_err();
    assert!(
        err.message.contains("duplicate") || err.message.contains("key"),
        "{err}"
    );
}

mod policy {
    use meshport_governance::policy::{PackError, PolicyPack, PolicySet, Source, pack_test};
    use meshport_model::Severity;
    use serde_json::json;

    fn source(path: &str, text: &str) -> Source {
        Source {
            path: path.to_owned(),
            text: text.to_owned(),
        }
    }

    const MANIFEST: &str =
        "name: demo\nversion: 1.0.0\nscope: global\nrules:\n  owner: required\n  naming: optional\n";

    const POLICY: &str = r#"package main

import rego.v1

deny_owner contains result if {
	not input.team.members
	result := {"msg": "the product names no owner", "path": "/team", "hint": "Add a team member with role owner."}
}

warn_naming contains msg if {
	some i, port in input.outputPorts
	not regex.match(`^[a-z0-9]+(-[a-z0-9]+)*$`, port.name)
	msg := sprintf("output port %q is not kebab-case", [port.name])
}

warn contains "plain warn rules are read too" if input.status == "draft"
"#;

    const TESTS: &str = r#"package main

import rego.v1

test_owner_passes_with_members if {
	count(deny_owner) == 0 with input as {"team": {"members": [{"username": "a", "role": "owner"}]}}
}

test_owner_fails_without_team if {
	count(deny_owner) == 1 with input as {}
}

test_deliberately_wrong if {
	count(deny_owner) == 5 with input as {}
}
"#;

    fn pack() -> PolicyPack {
        PolicyPack::from_sources(
            "demo",
            vec![
                source("pack.yaml", MANIFEST),
                source("policy.rego", POLICY),
                source("policy_test.rego", TESTS),
            ],
        )
        .unwrap()
    }

    #[test]
    fn conftest_style_rules_become_findings_with_enforcement_levels() {
        let set = PolicySet::new(vec![pack()]).unwrap();
        let input = json!({"status": "draft", "outputPorts": [{"name": "Bad_Name", "version": "1.0.0"}]});
        let mut findings = set.evaluate(&input, None, Some("orders")).findings;
        findings.sort_by(|a, b| a.rule.cmp(&b.rule));
        let got: Vec<_> = findings
            .iter()
            .map(|f| (f.rule.as_str(), f.severity, f.path.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("demo/naming", Severity::Info, ""),
                ("demo/owner", Severity::Error, "/team"),
                ("demo/warn", Severity::Warning, "")
            ]
        );
        let owner = &findings[1];
        assert_eq!(owner.message, "the product names no owner");
        assert_eq!(owner.hint, "Add a team member with role owner.");
        assert_eq!(findings[0].message, "output port \"Bad_Name\" is not kebab-case");
    }

    #[test]
    fn a_clean_document_has_no_findings() {
        let set = PolicySet::new(vec![pack()]).unwrap();
        let input = json!({"status": "active", "team": {"members": [{"username": "a"}]}, "outputPorts": [{"name": "good-name"}]});
        assert_eq!(set.evaluate(&input, None, None).findings, []);
    }

    #[test]
    fn domain_packs_apply_to_their_domain_only() {
        let manifest = MANIFEST.replace("scope: global", "scope: domain:marketing");
        let pack = PolicyPack::from_sources(
            "m",
            vec![source("pack.yaml", &manifest), source("p.rego", POLICY)],
        )
        .unwrap();
        let set = PolicySet::new(vec![pack]).unwrap();
        assert!(set.evaluate(&json!({}), None, Some("orders")).findings.is_empty());
        assert!(
            !set.evaluate(&json!({}), None, Some("Marketing"))
                .findings
                .is_empty()
        );
    }

    #[test]
    fn pack_tests_pass_and_fail_like_opa_test() {
        let outcomes = pack_test(&pack()).unwrap();
        let got: Vec<_> = outcomes.iter().map(|o| (o.name.as_str(), o.passed)).collect();
        assert_eq!(
            got,
            [
                ("test_owner_passes_with_members", true),
                ("test_owner_fails_without_team", true),
                ("test_deliberately_wrong", false)
            ]
        );
    }

    #[test]
    fn broken_packs_are_refused_with_the_reason() {
        let err = PolicyPack::from_sources("x", vec![source("pack.yaml", MANIFEST)]).unwrap_err();
        assert!(matches!(err, PackError::NoPolicies { .. }), "{err}");
        let bad_scope = MANIFEST.replace("scope: global", "scope: everywhere");
        let err = PolicyPack::from_sources(
            "x",
            vec![source("pack.yaml", &bad_scope), source("p.rego", POLICY)],
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("neither `global` nor `domain:<name>`"),
            "{err}"
        );
        let unknown_rule = format!("{MANIFEST}  ghost: required\n");
        let err = PolicyPack::from_sources(
            "x",
            vec![source("pack.yaml", &unknown_rule), source("p.rego", POLICY)],
        )
        .unwrap_err();
        assert!(err.to_string().contains("rule `ghost` is listed"), "{err}");
        let err = PolicyPack::from_sources(
            "x",
            vec![
                source("pack.yaml", MANIFEST),
                source("p.rego", "package main\n\ndeny_owner contains msg if {\n"),
            ],
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("p.rego"),
            "the error names the file: {err}"
        );
    }
}

mod shipped_packs {
    use meshport_governance::packs;
    use meshport_governance::policy::pack_test;

    /// Every shipped pack loads, every Rego unit test passes, and every rule the pack declares has a
    /// test that passes a compliant input (`test_<rule>_passes…`) and one that catches a violation
    /// (`test_<rule>_fails…`).
    #[test]
    fn shipped_packs_load_and_their_tests_pass_and_cover_every_rule() {
        let packs = packs::shipped();
        let names: Vec<_> = packs.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["global", "marketing", "sales"]);
        for pack in &packs {
            pack.verify(&pack.name).unwrap();
            let outcomes = pack_test(pack).unwrap();
            let failed: Vec<_> = outcomes.iter().filter(|o| !o.passed).collect();
            assert!(failed.is_empty(), "{}: failing tests {failed:#?}", pack.name);
            assert!(!pack.rules.is_empty(), "{} declares no rules", pack.name);
            for rule in pack.rules.keys() {
                for outcome in ["passes", "fails"] {
                    let prefix = format!("test_{rule}_{outcome}");
                    assert!(
                        outcomes.iter().any(|o| o.name.starts_with(&prefix)),
                        "{}: rule {rule} has no test named {prefix}…",
                        pack.name
                    );
                }
            }
        }
    }
}

mod validation {
    use super::{files, standards};
    use meshport_governance::{Context, PolicySet, document, document_validate};
    use meshport_model::Finding;

    fn validate(path: &std::path::Path) -> Vec<Finding> {
        let text = std::fs::read_to_string(path).unwrap();
        let doc = document::parse(&text).unwrap().remove(0).value;
        document_validate(&doc, &PolicySet::new(vec![]).unwrap(), &Context::default()).findings
    }

    /// Every example of the standards is valid: no schema or semantic error.
    #[test]
    fn every_example_is_valid() {
        for dir in ["odcs/examples", "odps/examples"] {
            for path in files(&standards().join(dir)) {
                let errors: Vec<_> = validate(&path).into_iter().filter(Finding::is_error).collect();
                assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
            }
        }
    }

    /// Every invalid example is refused, for the reason its name gives: `(file, rule, path, words)`.
    #[test]
    fn every_invalid_example_is_refused_for_its_reason() {
        let expected: &[(&str, &str, &str, &str)] = &[
            ("additional-unknown-property", "schema", "", "unknownRootField"),
            ("invalid-api-version", "schema", "/apiVersion", "v4.0.0"),
            ("invalid-kind", "document-kind", "/kind", "DataModel"),
            (
                "invalid-quality-dimension",
                "schema",
                "/schema/0/properties/0/quality/0/dimension",
                "validity",
            ),
            (
                "invalid-quality-metric",
                "schema",
                "/schema/0/properties/0/quality/0/metric",
                "invalidMetric",
            ),
            (
                "invalid-quality-type",
                "schema",
                "/schema/0/properties/0/quality/0/type",
                "unknown",
            ),
            (
                "missing-required-fields",
                "schema",
                "",
                "\"id\" is a required property",
            ),
            (
                "quality-custom-missing-implementation",
                "quality-required-field",
                "/schema/0/properties/0/quality/0",
                "implementation",
            ),
            (
                "quality-element-field",
                "schema",
                "/schema/0/properties/0/quality/0",
                "element",
            ),
            (
                "quality-library-missing-metric",
                "quality-required-field",
                "/schema/0/properties/0/quality/0",
                "metric",
            ),
            (
                "quality-multiple-operators",
                "quality-operators",
                "/schema/0/properties/0/quality/0/mustNotBe",
                "mustBe, mustNotBe",
            ),
            (
                "quality-mustbebetween-wrong-size",
                "schema",
                "/schema/0/quality/0/mustBeBetween",
                "has less than 2 items",
            ),
            (
                "quality-sql-missing-query",
                "quality-required-field",
                "/schema/0/properties/0/quality/0",
                "query",
            ),
            (
                "relationship-property-level-with-from",
                "relationship-from-on-property",
                "/schema/0/properties/0/relationships/0/from",
                "from",
            ),
            (
                "relationship-schema-level-missing-from-to",
                "schema",
                "/schema/0/relationships/0",
                "\"from\" is a required property",
            ),
            (
                "schema-property-invalid-logicaltype",
                "schema",
                "/schema/0/properties/0/logicalType",
                "binary",
            ),
            (
                "schema-property-missing-name",
                "schema",
                "/schema/0/properties/0",
                "\"name\" is a required property",
            ),
            ("server-invalid-type", "schema", "/servers/0/type", "mongodb"),
            (
                "server-missing-conditional-fields",
                "server-required-field",
                "/servers/0",
                "stagingDir",
            ),
            (
                "server-missing-required-fields",
                "schema",
                "/servers/0",
                "\"server\" is a required property",
            ),
            (
                "sla-missing-required-value",
                "schema",
                "/slaProperties/0",
                "\"value\" is a required property",
            ),
        ];
        let invalid = files(&standards().join("odcs/invalid"));
        assert_eq!(
            invalid.len(),
            expected.len(),
            "every invalid example has an expectation"
        );
        for path in invalid {
            let stem = path
                .file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .trim_end_matches(".odcs.yaml");
            let (_, rule, pointer, words) = expected
                .iter()
                .find(|(file, ..)| *file == stem)
                .unwrap_or_else(|| panic!("no expectation for {stem}"));
            let findings = validate(&path);
            assert!(
                findings.iter().any(|f| f.is_error()
                    && f.rule == *rule
                    && f.path == *pointer
                    && f.message.contains(words)),
                "{stem}: expected {rule} at {pointer:?} mentioning {words:?}, got {findings:#?}"
            );
        }
    }
}

mod rego_versions {
    use meshport_governance::policy::{PolicyPack, PolicySet, Source};
    use serde_json::json;

    /// Policies written for older conftest (Rego v0: `deny[msg] { ... }`) run unchanged beside v1 ones.
    #[test]
    fn v0_and_v1_policies_run_side_by_side() {
        let sources = vec![
            Source {
                path: "pack.yaml".into(),
                text: "name: mixed\nversion: 1.0.0\nscope: global\n".into(),
            },
            Source {
                path: "old.rego".into(),
                text: "package main\n\ndeny[msg] {\n  not input.owner\n  msg := \"no owner\"\n}\n".into(),
            },
            Source {
                path: "new.rego".into(),
                text: "package main\n\nimport rego.v1\n\nwarn_tags contains \"no tags\" if not input.tags\n"
                    .into(),
            },
        ];
        let set = PolicySet::new(vec![PolicyPack::from_sources("mixed", sources).unwrap()]).unwrap();
        let mut got: Vec<_> = set
            .evaluate(&json!({}), None, None)
            .findings
            .into_iter()
            .map(|f| (f.rule, f.message))
            .collect();
        got.sort();
        assert_eq!(
            got,
            [
                ("mixed/deny".to_owned(), "no owner".to_owned()),
                ("mixed/tags".to_owned(), "no tags".to_owned())
            ]
        );
    }
}
