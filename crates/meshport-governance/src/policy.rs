//! Policy packs in Rego, evaluated with regorus, following conftest's conventions so that existing
//! policies run unchanged.
//!
//! A pack is a folder of `.rego` files and a `pack.yaml` (name, version, scope, an enforcement level per
//! rule). Rules named `deny`, `warn` or `violation`, optionally with a `_suffix`, produce a message
//! string or an object with `msg` (Meshport also reads `path` and `hint`). The input is the document as
//! JSON. Files ending `_test.rego` hold `test_` rules, run by [`pack_test`] as `opa test` would.
//!
//! Rules are found as conftest and OPA write them: top-level statements whose head starts at column 0.

use std::collections::BTreeMap;

use meshport_model::{Finding, Severity};
use serde::Deserialize;
use serde_json::Value;

use crate::document;

/// Where a pack applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every document.
    Global,
    /// Only documents of this domain (compared case-insensitively).
    Domain(String),
}

impl Scope {
    fn parse(text: &str) -> Option<Scope> {
        match text.split_once(':') {
            None if text == "global" => Some(Scope::Global),
            Some(("domain", name)) if !name.trim().is_empty() => Some(Scope::Domain(name.trim().to_owned())),
            _ => None,
        }
    }

    fn applies_to(&self, domain: Option<&str>) -> bool {
        match self {
            Scope::Global => true,
            Scope::Domain(name) => domain.is_some_and(|d| d.eq_ignore_ascii_case(name)),
        }
    }
}

impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Scope::Global => f.write_str("global"),
            Scope::Domain(name) => write!(f, "domain:{name}"),
        }
    }
}

/// How strongly a pack enforces a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Enforcement {
    Required,
    Recommended,
    Optional,
}

impl Enforcement {
    pub fn severity(self) -> Severity {
        match self {
            Enforcement::Required => Severity::Error,
            Enforcement::Recommended => Severity::Warning,
            Enforcement::Optional => Severity::Info,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    name: String,
    version: String,
    scope: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    rules: BTreeMap<String, Enforcement>,
}

/// A source file of a pack: its path relative to the pack folder, and its text.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: String,
    pub text: String,
}

/// A policy pack, read and checked but not yet compiled.
#[derive(Debug, Clone)]
pub struct PolicyPack {
    pub name: String,
    pub version: String,
    pub scope: Scope,
    pub description: Option<String>,
    /// The enforcement level of each rule, by rule name without its `deny_`/`warn_`/`violation_` prefix.
    pub rules: BTreeMap<String, Enforcement>,
    policies: Vec<Source>,
    tests: Vec<Source>,
}

/// A pack that cannot be used, naming the file (and line where there is one) and the fix.
#[derive(Debug, Clone, thiserror::Error)]
pub enum PackError {
    #[error("{pack}: no pack.yaml; add one with name, version, scope and rules")]
    NoManifest { pack: String },
    #[error("{pack}/pack.yaml: {message}")]
    Manifest { pack: String, message: String },
    #[error("{pack}: no .rego policy files besides tests")]
    NoPolicies { pack: String },
    #[error("{pack}: {message}")]
    Rego { pack: String, message: String },
}

impl PolicyPack {
    /// Reads a pack from its files; `label` names the pack in errors (usually its folder).
    pub fn from_sources(label: &str, sources: Vec<Source>) -> Result<PolicyPack, PackError> {
        let manifest = sources
            .iter()
            .find(|s| s.path == "pack.yaml" || s.path == "pack.yml")
            .ok_or_else(|| PackError::NoManifest {
                pack: label.to_owned(),
            })?;
        let manifest_error = |message: String| PackError::Manifest {
            pack: label.to_owned(),
            message,
        };
        let tree = document::parse(&manifest.text)
            .map_err(|e| manifest_error(e.to_string()))?
            .into_iter()
            .next()
            .ok_or_else(|| manifest_error("the file is empty".into()))?;
        let manifest: Manifest =
            serde_json::from_value(tree.value).map_err(|e| manifest_error(e.to_string()))?;
        let scope = Scope::parse(&manifest.scope).ok_or_else(|| {
            manifest_error(format!(
                "scope `{}` is neither `global` nor `domain:<name>`",
                manifest.scope
            ))
        })?;
        let (tests, policies): (Vec<_>, Vec<_>) = sources
            .into_iter()
            .filter(|s| s.path.ends_with(".rego"))
            .partition(|s| s.path.ends_with("_test.rego"));
        if policies.is_empty() {
            return Err(PackError::NoPolicies {
                pack: label.to_owned(),
            });
        }
        let pack = PolicyPack {
            name: manifest.name,
            version: manifest.version,
            scope,
            description: manifest.description,
            rules: manifest.rules,
            policies,
            tests,
        };
        // Compile once now so that a broken pack is refused when it is loaded, not when it is used.
        pack.engine(false)?;
        let found: Vec<String> = pack
            .rule_names()
            .into_iter()
            .map(|(_, name)| rule_key(&name).to_owned())
            .collect();
        if let Some(missing) = pack.rules.keys().find(|rule| !found.contains(rule)) {
            return Err(manifest_error(format!(
                "rule `{missing}` is listed but no `deny_{missing}`, `warn_{missing}` or `violation_{missing}` \
                 rule exists in the pack's .rego files"
            )));
        }
        Ok(pack)
    }

    fn engine(&self, with_tests: bool) -> Result<regorus::Engine, PackError> {
        let mut engine = regorus::Engine::new();
        let sources = self
            .policies
            .iter()
            .chain(if with_tests { &self.tests[..] } else { &[] });
        for source in sources {
            let path = format!("{}/{}", self.name, source.path);
            // Rego v1 first (OPA 1.x and current conftest); if a file does not parse as v1, read it as
            // v0, the syntax of most existing conftest policies (`deny[msg] { ... }`), so they run
            // unchanged. The error reported is the v1 one.
            engine.set_rego_v0(false);
            if let Err(v1_error) = engine.add_policy(path.clone(), source.text.clone()) {
                engine.set_rego_v0(true);
                engine
                    .add_policy(path, source.text.clone())
                    .map_err(|_| PackError::Rego {
                        pack: self.name.clone(),
                        message: v1_error.to_string(),
                    })?;
            }
        }
        engine.set_rego_v0(false);
        Ok(engine)
    }

    /// `(package, rule)` of every deny, warn and violation rule in the pack's policies.
    fn rule_names(&self) -> Vec<(String, String)> {
        top_level_rules(&self.policies, |name| rule_kind(name).is_some())
    }

    /// The severity of a finding from `rule`.
    fn severity(&self, rule: &str) -> Severity {
        match self.rules.get(rule_key(rule)) {
            Some(enforcement) => enforcement.severity(),
            None if rule.starts_with("warn") => Severity::Warning,
            None => Severity::Error,
        }
    }
}

/// `deny`, `warn` or `violation` for a rule name that is one of them or starts with one and `_`.
fn rule_kind(name: &str) -> Option<&'static str> {
    ["deny", "warn", "violation"]
        .into_iter()
        .find(|kind| name == *kind || name.strip_prefix(kind).is_some_and(|rest| rest.starts_with('_')))
}

/// The name pack.yaml lists a rule under: without its kind prefix (`deny_owner` → `owner`).
fn rule_key(name: &str) -> &str {
    match rule_kind(name) {
        Some(kind) if name.len() > kind.len() => &name[kind.len() + 1..],
        _ => name,
    }
}

/// Finds `(package, rule)` pairs of top-level rules whose name passes `wanted`, deduplicated in order.
fn top_level_rules(sources: &[Source], wanted: impl Fn(&str) -> bool) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = Vec::new();
    for source in sources {
        let mut package = String::new();
        for line in source.text.lines() {
            if let Some(rest) = line.strip_prefix("package ") {
                package = rest.trim().to_owned();
                continue;
            }
            let name: String = line
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let rest = line[name.len()..].trim_start();
            let is_head = rest.is_empty()
                || ["contains", "if", "{", "[", "=", ":="]
                    .iter()
                    .any(|t| rest.starts_with(t));
            if !name.is_empty() && is_head && wanted(&name) {
                let entry = (package.clone(), name);
                if !found.contains(&entry) {
                    found.push(entry);
                }
            }
        }
    }
    found
}

/// Compiled packs, ready to evaluate documents. Cheap to share; each evaluation clones an engine.
#[derive(Debug, Clone)]
pub struct PolicySet {
    compiled: Vec<Compiled>,
}

#[derive(Debug, Clone)]
struct Compiled {
    pack: PolicyPack,
    engine: regorus::Engine,
    /// Each package with its deny, warn and violation rules, e.g. `("main", ["deny_owner"])`.
    packages: Vec<(String, Vec<String>)>,
}

impl PolicySet {
    pub fn new(packs: Vec<PolicyPack>) -> Result<PolicySet, PackError> {
        let compiled = packs
            .into_iter()
            .map(|pack| {
                let mut engine = pack.engine(false)?;
                // Evaluating once analyzes and schedules the modules; clones keep that work, so each
                // evaluation below starts from a prepared engine instead of redoing it.
                engine
                    .eval_query("true".to_owned(), false)
                    .map_err(|e| PackError::Rego {
                        pack: pack.name.clone(),
                        message: e.to_string(),
                    })?;
                let mut packages: Vec<(String, Vec<String>)> = Vec::new();
                for (package, rule) in pack.rule_names() {
                    match packages.iter_mut().find(|(p, _)| *p == package) {
                        Some((_, rules)) => rules.push(rule),
                        None => packages.push((package, vec![rule])),
                    }
                }
                Ok(Compiled {
                    pack,
                    engine,
                    packages,
                })
            })
            .collect::<Result<_, PackError>>()?;
        Ok(PolicySet { compiled })
    }

    pub fn packs(&self) -> impl Iterator<Item = &PolicyPack> {
        self.compiled.iter().map(|c| &c.pack)
    }

    /// Evaluates every pack whose scope covers `domain` on `input`. Never fails: a rule that errors is
    /// itself a finding.
    pub fn evaluate(&self, input: &Value, domain: Option<&str>) -> Vec<Finding> {
        let mut findings = Vec::new();
        for compiled in self.compiled.iter().filter(|c| c.pack.scope.applies_to(domain)) {
            let mut engine = compiled.engine.clone();
            engine.set_input(regorus::Value::from(input.clone()));
            for (package, rules) in &compiled.packages {
                // One query for all the rules of a package shares the helper rules they use; a
                // query per rule would compute those again for every rule. If a rule is undefined
                // (a complete rule without a value), the combined query is too: then go rule by rule.
                let refs: Vec<String> = rules
                    .iter()
                    .map(|rule| format!("data.{package}.{rule}"))
                    .collect();
                let combined = engine.eval_query(format!("[{}]", refs.join(", ")), false);
                let values = match combined {
                    Ok(results) => results
                        .result
                        .into_iter()
                        .next()
                        .and_then(|r| r.expressions.into_iter().next())
                        .and_then(|e| e.value.as_array().ok().cloned()),
                    Err(_) => None,
                };
                for (i, rule) in rules.iter().enumerate() {
                    let rule_id = format!("{}/{}", compiled.pack.name, rule_key(rule));
                    let value = match &values {
                        Some(values) if values.len() == rules.len() => Ok(values[i].clone()),
                        _ => engine.eval_rule(refs[i].clone()),
                    };
                    match value {
                        Ok(value) => collect(&value, &rule_id, compiled.pack.severity(rule), &mut findings),
                        Err(error) => findings.push(Finding::error(
                            rule_id,
                            "",
                            format!("the policy rule {} failed to evaluate: {error}", refs[i]),
                            format!("Fix the rule in policy pack `{}`.", compiled.pack.name),
                        )),
                    }
                }
            }
        }
        findings
    }
}

/// Turns a rule's value (a set or array of messages or objects, a single message, or undefined) into
/// findings.
fn collect(value: &regorus::Value, rule_id: &str, severity: Severity, findings: &mut Vec<Finding>) {
    let json = match serde_json::to_value(value) {
        Ok(json) => json,
        Err(_) => return,
    };
    let items = match json {
        Value::Array(items) => items,
        Value::String(_) | Value::Object(_) => vec![json],
        // `undefined` (no violation), `false`, `true` without a message: nothing to report.
        _ => return,
    };
    for item in items {
        let (message, path, hint) = match &item {
            Value::String(message) => (message.clone(), String::new(), None),
            Value::Object(fields) => (
                fields
                    .get("msg")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .unwrap_or_else(|| item.to_string()),
                fields
                    .get("path")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                fields.get("hint").and_then(Value::as_str).map(str::to_owned),
            ),
            other => (other.to_string(), String::new(), None),
        };
        let hint = hint.unwrap_or_else(|| format!("See policy `{rule_id}`."));
        findings.push(Finding::new(rule_id, severity, path, message, hint));
    }
}

/// The outcome of one `test_` rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestOutcome {
    pub package: String,
    pub name: String,
    pub passed: bool,
    /// Why it failed, when it did not simply evaluate to false or undefined.
    pub error: Option<String>,
}

/// Runs the pack's Rego unit tests as `opa test` does: a `test_` rule passes when it is true.
pub fn pack_test(pack: &PolicyPack) -> Result<Vec<TestOutcome>, PackError> {
    let engine = pack.engine(true)?;
    let tests = top_level_rules(&pack.tests, |name| name.starts_with("test_"));
    Ok(tests
        .into_iter()
        .map(|(package, name)| {
            let mut engine = engine.clone();
            let (passed, error) = match engine.eval_rule(format!("data.{package}.{name}")) {
                Ok(value) => (value == regorus::Value::from(true), None),
                Err(error) => (false, Some(error.to_string())),
            };
            TestOutcome {
                package,
                name,
                passed,
                error,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_names_map_to_pack_yaml_keys() {
        assert_eq!(rule_kind("deny_owner"), Some("deny"));
        assert_eq!(rule_kind("warn"), Some("warn"));
        assert_eq!(rule_kind("violation_x"), Some("violation"));
        assert_eq!(rule_kind("denylist"), None, "a prefix must be followed by `_`");
        assert_eq!(rule_key("deny_owner"), "owner");
        assert_eq!(rule_key("deny"), "deny");
    }

    #[test]
    fn scopes_parse_and_match_domains_case_insensitively() {
        assert_eq!(Scope::parse("global"), Some(Scope::Global));
        assert_eq!(Scope::parse("domain:sales"), Some(Scope::Domain("sales".into())));
        assert_eq!(Scope::parse("domain:"), None);
        assert_eq!(Scope::parse("team:x"), None);
        assert!(Scope::Domain("sales".into()).applies_to(Some("Sales")));
        assert!(!Scope::Domain("sales".into()).applies_to(None));
    }

    #[test]
    fn only_top_level_heads_are_rules() {
        let source = Source {
            path: "p.rego".into(),
            text:
                "package a.b\n\ndeny_x contains msg if {\n  warn_inner := 1\n}\ndeny[msg] {\n}\nwarn_y := 1\n\
                   test_z if true\n"
                    .into(),
        };
        let rules = top_level_rules(std::slice::from_ref(&source), |n| rule_kind(n).is_some());
        let names: Vec<_> = rules.iter().map(|(p, r)| format!("{p}.{r}")).collect();
        assert_eq!(names, ["a.b.deny_x", "a.b.deny", "a.b.warn_y"]);
    }
}
