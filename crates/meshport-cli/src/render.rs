//! How `meshport validate` prints its report: text for people, JSON for scripts, and for CI systems
//! SARIF 2.1.0 (code-scanning views), JUnit XML (test reports) and GitHub Actions workflow commands
//! (annotations on the pull request).

use std::collections::BTreeMap;
use std::io::{self, Write};

use meshport_core::PolicySet;
use meshport_core::document::Positions;
use meshport_core::validate::DocumentReport;
use meshport_model::finding::ValidationReport;
use meshport_model::{Finding, Severity};
use serde_json::json;

/// `file:line:column: severity[rule] message`, the hint below, the exceptions, a summary line, and
/// which policy packs checked how many documents.
pub fn text(out: &mut impl Write, docs: &[DocumentReport], policies: &PolicySet) -> io::Result<()> {
    let mut counts: BTreeMap<Severity, usize> = BTreeMap::new();
    for doc in docs {
        let report = &doc.report;
        if report.findings.is_empty() {
            writeln!(out, "{}: ok ({})", report.path, report.kind)?;
        }
        for finding in &report.findings {
            *counts.entry(finding.severity).or_default() += 1;
            text_finding(out, &report.path, &doc.positions, finding)?;
        }
        for exception in &report.exceptions {
            writeln!(
                out,
                "{}: exception[{}] not applied: {}",
                report.path, exception.rule, exception.query
            )?;
        }
    }
    let invalid = docs.iter().filter(|d| !d.report.valid).count();
    let exceptions: usize = docs.iter().map(|d| d.report.exceptions.len()).sum();
    writeln!(
        out,
        "{} document(s), {} invalid: {} error(s), {} warning(s), {} info, {} exception(s)",
        docs.len(),
        invalid,
        counts.get(&Severity::Error).unwrap_or(&0),
        counts.get(&Severity::Warning).unwrap_or(&0),
        counts.get(&Severity::Info).unwrap_or(&0),
        exceptions,
    )?;
    writeln!(out, "{}", packs_applied(docs, policies))
}

/// One finding as `file:line:column: severity[rule] message (at pointer)` with its hint below; also
/// how `meshport submit` prints the findings the platform refused a request with.
pub fn text_finding(
    out: &mut impl Write,
    path: &str,
    positions: &Positions,
    finding: &Finding,
) -> io::Result<()> {
    let at = positions
        .locate(&finding.path)
        .map(|p| format!(":{}:{}", p.line, p.column))
        .unwrap_or_default();
    let pointer = if finding.path.is_empty() {
        String::new()
    } else {
        format!(" (at {})", finding.path)
    };
    writeln!(
        out,
        "{path}{at}: {}[{}] {}{pointer}",
        finding.severity, finding.rule, finding.message
    )?;
    writeln!(out, "    hint: {}", finding.hint)
}

/// Which packs were loaded and how many documents each checked, so that nobody wonders why a rule
/// did or did not fire.
fn packs_applied(docs: &[DocumentReport], policies: &PolicySet) -> String {
    let labels: Vec<String> = policies.packs().map(|p| p.label()).collect();
    if labels.is_empty() {
        return "policies: none, the standard alone (add --policies DIR or --policies demo, or a \
                .meshport/policies folder)"
            .to_owned();
    }
    let applied: Vec<String> = labels
        .iter()
        .map(|label| {
            let n = docs.iter().filter(|d| d.report.packs.contains(label)).count();
            format!("{label} on {n} document(s)")
        })
        .collect();
    format!("policies: {}", applied.join(", "))
}

/// The report as one JSON object: `{"files": [{"path", "kind", "valid", "findings": [...]}]}`.
pub fn json(out: &mut impl Write, docs: &[DocumentReport]) -> io::Result<()> {
    let report = ValidationReport {
        files: docs.iter().map(|d| d.report.clone()).collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    writeln!(out)
}

/// SARIF 2.1.0: one run, one result per finding, with the file, line and column of the value.
pub fn sarif(out: &mut impl Write, docs: &[DocumentReport]) -> io::Result<()> {
    let mut rules: BTreeMap<&str, &str> = BTreeMap::new();
    let mut results = Vec::new();
    for doc in docs {
        for finding in &doc.report.findings {
            rules
                .entry(finding.rule.as_str())
                .or_insert(finding.hint.as_str());
            let mut location = json!({
                "physicalLocation": { "artifactLocation": { "uri": doc.report.path.replace('\\', "/") } }
            });
            if let Some(at) = doc.positions.locate(&finding.path) {
                location["physicalLocation"]["region"] =
                    json!({ "startLine": at.line, "startColumn": at.column });
            }
            if !finding.path.is_empty() {
                location["logicalLocations"] =
                    json!([{ "fullyQualifiedName": finding.path, "kind": "member" }]);
            }
            results.push(json!({
                "ruleId": finding.rule,
                "level": match finding.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Info => "note",
                },
                "message": { "text": format!("{} Hint: {}", finding.message, finding.hint) },
                "locations": [location],
            }));
        }
    }
    let rules: Vec<_> = rules.keys().map(|id| json!({ "id": id, "name": id })).collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "meshport",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/meshport/meshport",
                "rules": rules,
            }},
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

/// JUnit XML: a `testsuite` per document and a `testcase` per rule that reported on it. A rule with
/// an error is a `failure`; warnings and info pass with their text in `system-out`; a rule exempted by
/// an exception is `skipped`. A document nothing reported on has one passing case, `valid`.
pub fn junit(out: &mut impl Write, docs: &[DocumentReport]) -> io::Result<()> {
    use quick_xml::Writer;
    use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

    struct Case {
        name: String,
        failures: Vec<String>,
        notes: Vec<String>,
        skipped: Option<String>,
    }
    let names = suite_names(docs);
    let mut suites = Vec::new();
    for (doc, suite_name) in docs.iter().zip(&names) {
        let mut cases: Vec<Case> = Vec::new();
        for finding in &doc.report.findings {
            let index = match cases.iter().position(|c| c.name == finding.rule) {
                Some(index) => index,
                None => {
                    cases.push(Case {
                        name: finding.rule.clone(),
                        failures: Vec::new(),
                        notes: Vec::new(),
                        skipped: None,
                    });
                    cases.len() - 1
                }
            };
            let at = doc
                .positions
                .locate(&finding.path)
                .map(|p| format!("{}:{}:{}: ", doc.report.path, p.line, p.column))
                .unwrap_or_default();
            let pointer = if finding.path.is_empty() {
                String::new()
            } else {
                format!(" (at {})", finding.path)
            };
            let line = format!(
                "{at}{}: {}{pointer} hint: {}",
                finding.severity, finding.message, finding.hint
            );
            if finding.is_error() {
                cases[index].failures.push(line);
            } else {
                cases[index].notes.push(line);
            }
        }
        for exception in &doc.report.exceptions {
            cases.push(Case {
                name: exception.rule.clone(),
                failures: Vec::new(),
                notes: Vec::new(),
                skipped: Some(format!("exception: {}", exception.query)),
            });
        }
        if cases.is_empty() {
            cases.push(Case {
                name: "valid".to_owned(),
                failures: Vec::new(),
                notes: Vec::new(),
                skipped: None,
            });
        }
        suites.push((suite_name, &doc.report.kind, cases));
    }
    let count = |f: &dyn Fn(&Case) -> bool| -> usize {
        suites
            .iter()
            .map(|(_, _, cases)| cases.iter().filter(|c| f(c)).count())
            .sum()
    };
    let (tests, failures, skipped) = (
        count(&|_| true),
        count(&|c| !c.failures.is_empty()),
        count(&|c| c.skipped.is_some()),
    );
    let mut writer = Writer::new_with_indent(&mut *out, b' ', 2);
    writer
        .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
        .map_err(io::Error::other)?;
    let mut root = BytesStart::new("testsuites");
    root.push_attribute(("name", "meshport validate"));
    root.push_attribute(("tests", tests.to_string().as_str()));
    root.push_attribute(("failures", failures.to_string().as_str()));
    root.push_attribute(("skipped", skipped.to_string().as_str()));
    writer.write_event(Event::Start(root)).map_err(io::Error::other)?;
    for (name, kind, cases) in &suites {
        let mut suite = BytesStart::new("testsuite");
        suite.push_attribute(("name", name.as_str()));
        suite.push_attribute(("tests", cases.len().to_string().as_str()));
        let suite_failures = cases.iter().filter(|c| !c.failures.is_empty()).count();
        suite.push_attribute(("failures", suite_failures.to_string().as_str()));
        let suite_skipped = cases.iter().filter(|c| c.skipped.is_some()).count();
        suite.push_attribute(("skipped", suite_skipped.to_string().as_str()));
        writer
            .write_event(Event::Start(suite))
            .map_err(io::Error::other)?;
        for case in cases {
            let mut element = BytesStart::new("testcase");
            element.push_attribute(("classname", format!("{name} ({kind})").as_str()));
            element.push_attribute(("name", case.name.as_str()));
            writer
                .write_event(Event::Start(element))
                .map_err(io::Error::other)?;
            if !case.failures.is_empty() {
                let mut failure = BytesStart::new("failure");
                failure.push_attribute(("message", case.failures[0].as_str()));
                failure.push_attribute(("type", "error"));
                writer
                    .write_event(Event::Start(failure))
                    .map_err(io::Error::other)?;
                writer
                    .write_event(Event::Text(BytesText::new(&case.failures.join("\n"))))
                    .map_err(io::Error::other)?;
                writer
                    .write_event(Event::End(BytesEnd::new("failure")))
                    .map_err(io::Error::other)?;
            }
            if let Some(reason) = &case.skipped {
                let mut skip = BytesStart::new("skipped");
                skip.push_attribute(("message", reason.as_str()));
                writer.write_event(Event::Empty(skip)).map_err(io::Error::other)?;
            }
            if !case.notes.is_empty() {
                writer
                    .create_element("system-out")
                    .write_text_content(BytesText::new(&case.notes.join("\n")))
                    .map_err(io::Error::other)?;
            }
            writer
                .write_event(Event::End(BytesEnd::new("testcase")))
                .map_err(io::Error::other)?;
        }
        writer
            .write_event(Event::End(BytesEnd::new("testsuite")))
            .map_err(io::Error::other)?;
    }
    writer
        .write_event(Event::End(BytesEnd::new("testsuites")))
        .map_err(io::Error::other)?;
    writeln!(out)
}

/// The suite name of each document: its path, with `#N` (1-based) for files of several documents.
fn suite_names(docs: &[DocumentReport]) -> Vec<String> {
    let mut names = Vec::with_capacity(docs.len());
    for (i, doc) in docs.iter().enumerate() {
        let path = &doc.report.path;
        let before = docs[..i].iter().filter(|d| &d.report.path == path).count();
        let total = docs.iter().filter(|d| &d.report.path == path).count();
        names.push(if total > 1 {
            format!("{path}#{}", before + 1)
        } else {
            path.clone()
        });
    }
    names
}

/// GitHub Actions workflow commands: `::error file=F,line=L,col=C,title=RULE::message`, `::warning`
/// and `::notice` likewise, which the runner turns into annotations on the changed lines.
pub fn github(out: &mut impl Write, docs: &[DocumentReport]) -> io::Result<()> {
    for doc in docs {
        for finding in &doc.report.findings {
            let command = match finding.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let mut properties = vec![format!("file={}", github_property(&doc.report.path))];
            if let Some(at) = doc.positions.locate(&finding.path) {
                properties.push(format!("line={}", at.line));
                properties.push(format!("col={}", at.column));
            }
            properties.push(format!("title={}", github_property(&finding.rule)));
            writeln!(
                out,
                "::{command} {}::{}",
                properties.join(","),
                github_data(&format!("{} Hint: {}", finding.message, finding.hint))
            )?;
        }
    }
    let errors = docs
        .iter()
        .flat_map(|d| &d.report.findings)
        .filter(|f| f.is_error())
        .count();
    writeln!(
        out,
        "meshport validate: {} document(s), {} invalid, {errors} error(s)",
        docs.len(),
        docs.iter().filter(|d| !d.report.valid).count()
    )
}

/// Escapes a workflow command's message, as the Actions runner's `toCommandValue` does.
fn github_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a workflow command's property value, where `:` and `,` separate properties.
fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use meshport_model::finding::FileReport;

    use super::*;

    #[test]
    fn text_without_positions_omits_line_and_column() {
        let finding = Finding::error(
            "semver",
            "/version",
            "version `1` is not semantic versioning",
            "Write 1.0.0.",
        );
        let doc = DocumentReport {
            report: FileReport {
                path: "p.json".into(),
                kind: "DataProduct".into(),
                valid: false,
                findings: vec![finding],
                exceptions: Vec::new(),
                packs: Vec::new(),
            },
            positions: Positions::default(),
        };
        let mut out = Vec::new();
        text(&mut out, &[doc], &PolicySet::new(Vec::new()).unwrap()).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert_eq!(
            out,
            "p.json: error[semver] version `1` is not semantic versioning (at /version)\n    hint: Write 1.0.0.\n\
             1 document(s), 1 invalid: 1 error(s), 0 warning(s), 0 info, 0 exception(s)\n\
             policies: none, the standard alone (add --policies DIR or --policies demo, or a .meshport/policies folder)\n"
        );
    }
}
