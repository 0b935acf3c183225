//! How `meshport validate` prints its report: text for people, JSON for scripts, SARIF 2.1.0 for CI
//! systems that show findings inline.

use std::collections::BTreeMap;
use std::io::{self, Write};

use meshport_core::validate::DocumentReport;
use meshport_model::Severity;
use meshport_model::finding::ValidationReport;
use serde_json::json;

/// `file:line:column: severity[rule] message`, the hint below, and a summary line.
pub fn text(out: &mut impl Write, docs: &[DocumentReport]) -> io::Result<()> {
    let mut counts: BTreeMap<Severity, usize> = BTreeMap::new();
    for doc in docs {
        let report = &doc.report;
        if report.findings.is_empty() {
            writeln!(out, "{}: ok ({})", report.path, report.kind)?;
        }
        for finding in &report.findings {
            *counts.entry(finding.severity).or_default() += 1;
            let at = doc
                .positions
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
                "{}{at}: {}[{}] {}{pointer}",
                report.path, finding.severity, finding.rule, finding.message
            )?;
            writeln!(out, "    hint: {}", finding.hint)?;
        }
    }
    let invalid = docs.iter().filter(|d| !d.report.valid).count();
    writeln!(
        out,
        "{} document(s), {} invalid: {} error(s), {} warning(s), {} info",
        docs.len(),
        invalid,
        counts.get(&Severity::Error).unwrap_or(&0),
        counts.get(&Severity::Warning).unwrap_or(&0),
        counts.get(&Severity::Info).unwrap_or(&0),
    )
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

#[cfg(test)]
mod tests {
    use meshport_governance::document::Positions;
    use meshport_model::Finding;
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
            },
            positions: Positions::default(),
        };
        let mut out = Vec::new();
        text(&mut out, &[doc]).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert_eq!(
            out,
            "p.json: error[semver] version `1` is not semantic versioning (at /version)\n    hint: Write 1.0.0.\n\
             1 document(s), 1 invalid: 1 error(s), 0 warning(s), 0 info\n"
        );
    }
}
