//! Policy packs in Rego, evaluated with regorus, following conftest's conventions so that existing
//! policies run unchanged.
//!
//! A pack is either a Meshport pack, a folder of `.rego` files with a `pack.yaml` (name, version,
//! scope, the document kinds it checks, an enforcement level per rule), or a plain folder of `.rego`
//! files as conftest users keep them. A plain folder is a pack named after the folder, global in scope,
//! and evaluated as conftest evaluates it: only the packages named by the namespaces (`main` by
//! default), `deny` and `violation` rules as failures, `warn` rules as warnings, and `exception` rules
//! exempting the rules they name.
//!
//! Rules named `deny`, `warn` or `violation`, optionally with a `_suffix`, produce a message string or
//! an object with `msg` (Meshport also reads `path` and `hint`). The input is the document as JSON.
//! Files ending `_test.rego` hold `test_` rules, run by [`pack_test`] as `opa test` would.
//!
//! A manifest's `rules:` may also name the standard's own rules (`semver`, `unknown-reference`, ...;
//! see `semantic::RULES`) to raise or lower them for the documents the pack applies to; a manifest
//! that does only that needs no `.rego` file.
//!
//! Rules are found by asking the Rego engine for the rules each parsed module declares, so a rule
//! written indented, with `else`, or over several bodies is found like any other.
//!
//! Compiling a pack (the engine's analysis of its modules) costs more than evaluating it, so a
//! [`PolicySet`] compiles each pack the first time a document it applies to is evaluated, once per
//! set. At the pack's second document its rules are also compiled into one program for regorus's
//! virtual machine, which evaluates them about three times faster than the interpreter; the
//! interpreter remains for a pack's first document, packs the compiler refuses, and documents on
//! which the program fails (so that the failing rule is named).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

use meshport_model::{Finding, Severity};
use serde::Deserialize;
use serde_json::Value;

use crate::document;
use crate::schema_check::DocumentKind;
use crate::semantic;

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
    /// The document kinds the pack checks; every kind (and documents of no standard) when absent.
    #[serde(default)]
    kinds: Option<Vec<String>>,
    #[serde(default)]
    rules: BTreeMap<String, Enforcement>,
}

/// A source file of a pack: its path relative to the pack folder, and its text.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: String,
    pub text: String,
}

/// How a pack was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A folder with `pack.yaml`: every package of the pack is evaluated.
    Manifest,
    /// A plain folder of `.rego` files, evaluated as conftest does (namespaces, exceptions).
    Conftest,
}

/// A policy pack, read and parsed but not yet compiled.
#[derive(Debug, Clone)]
pub struct PolicyPack {
    pub name: String,
    /// `None` for a plain folder, which has no manifest to say it.
    pub version: Option<String>,
    pub scope: Scope,
    pub description: Option<String>,
    pub origin: Origin,
    /// The document kinds the pack checks; `None` for every document.
    pub kinds: Option<Vec<DocumentKind>>,
    /// The enforcement level of each rule, by rule name without its `deny_`/`warn_`/`violation_` prefix.
    pub rules: BTreeMap<String, Enforcement>,
    policies: Vec<Source>,
    tests: Vec<Source>,
    /// The policies parsed, once, when first needed: eagerly for packs read from disk, so that a
    /// broken pack is refused when it is loaded; lazily for the shipped packs, which are tested.
    parsed: OnceLock<Result<Parsed, PackError>>,
}

#[derive(Debug, Clone)]
struct Parsed {
    engine: regorus::Engine,
    /// `(package, rule)` of every rule the policies (not the tests) declare, in order.
    declared: Vec<(String, String)>,
}

/// A pack that cannot be used, naming the file (and line where there is one) and the fix.
#[derive(Debug, Clone, thiserror::Error)]
pub enum PackError {
    #[error("{pack}/pack.yaml: {message}")]
    Manifest { pack: String, message: String },
    #[error("{pack}: no .rego policy files besides tests")]
    NoPolicies { pack: String },
    #[error("{pack}: {message}")]
    Rego { pack: String, message: String },
    #[error("data: {message}")]
    Data { message: String },
}

impl PolicyPack {
    /// The pack a platform publishes (in its API and change feed): its Rego files and a manifest made
    /// from its fields. The platform and an offline client read a published pack the same way.
    pub fn from_published(pack: &meshport_model::platform::PolicyPack) -> Result<PolicyPack, PackError> {
        let manifest = serde_json::json!({
            "name": pack.name,
            "version": pack.version,
            "scope": pack.scope,
            "kinds": if pack.kinds.is_empty() { None } else { Some(&pack.kinds) },
            "rules": pack.rules,
        });
        let mut sources = vec![Source {
            path: "pack.yaml".into(),
            // JSON is YAML: the manifest reader takes it as it is.
            text: manifest.to_string(),
        }];
        sources.extend(pack.files.iter().map(|(path, text)| Source {
            path: path.clone(),
            text: text.clone(),
        }));
        PolicyPack::from_sources(&pack.name, sources)
    }

    /// Reads a pack from its files; `label` names the pack in errors and, for a plain folder of
    /// `.rego` files without `pack.yaml`, is its name (usually the folder's name).
    pub fn from_sources(label: &str, sources: Vec<Source>) -> Result<PolicyPack, PackError> {
        let pack = PolicyPack::from_sources_unparsed(label, sources)?;
        pack.verify(label)?;
        Ok(pack)
    }

    /// Parses the pack and checks that every rule its manifest lists exists, so that a broken pack is
    /// refused when it is loaded, not when it is used. `label` names the pack in errors.
    pub fn verify(&self, label: &str) -> Result<(), PackError> {
        let pack = self;
        let found: BTreeSet<&str> = pack
            .parsed()?
            .declared
            .iter()
            .filter(|(_, name)| rule_kind(name).is_some())
            .map(|(_, name)| rule_key(name))
            .collect();
        if let Some(missing) = pack
            .rules
            .keys()
            .find(|rule| !found.contains(rule.as_str()) && !semantic::is_rule(rule.as_str()))
        {
            return Err(PackError::Manifest {
                pack: label.to_owned(),
                message: format!(
                    "rule `{missing}` is listed but no `deny_{missing}`, `warn_{missing}` or \
                     `violation_{missing}` rule exists in the pack's .rego files, and it is not one of \
                     the standard's rules ({})",
                    semantic::RULES
                        .iter()
                        .map(|(name, ..)| *name)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
        Ok(())
    }

    /// Reads a pack's manifest without parsing its Rego, which happens when the pack is first used:
    /// for packs whose Rego is known good (the shipped ones, tested at build time).
    pub(crate) fn from_sources_unparsed(label: &str, sources: Vec<Source>) -> Result<PolicyPack, PackError> {
        let manifest = sources
            .iter()
            .find(|s| s.path == "pack.yaml" || s.path == "pack.yml")
            .map(|source| manifest_read(label, &source.text))
            .transpose()?;
        let (tests, policies): (Vec<_>, Vec<_>) = sources
            .into_iter()
            .filter(|s| s.path.ends_with(".rego"))
            .partition(|s| s.path.ends_with("_test.rego"));
        // A manifest that only sets the severity of the standard's rules needs no Rego.
        let standard_only = manifest
            .as_ref()
            .is_some_and(|(m, ..)| !m.rules.is_empty() && m.rules.keys().all(|r| semantic::is_rule(r)));
        if policies.is_empty() && !standard_only {
            return Err(PackError::NoPolicies {
                pack: label.to_owned(),
            });
        }
        Ok(match manifest {
            Some((manifest, scope, kinds)) => PolicyPack {
                name: manifest.name,
                version: Some(manifest.version),
                scope,
                description: manifest.description,
                origin: Origin::Manifest,
                kinds,
                rules: manifest.rules,
                policies,
                tests,
                parsed: OnceLock::new(),
            },
            None => PolicyPack {
                name: label.to_owned(),
                version: None,
                scope: Scope::Global,
                description: None,
                origin: Origin::Conftest,
                kinds: None,
                rules: BTreeMap::new(),
                policies,
                tests,
                parsed: OnceLock::new(),
            },
        })
    }

    fn parsed(&self) -> Result<&Parsed, PackError> {
        self.parsed
            .get_or_init(|| {
                let mut engine = self.engine(false)?;
                let declared = declared_rules(&mut engine);
                Ok(Parsed { engine, declared })
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The pack's `.rego` files, policies then tests, as it was read.
    pub fn sources(&self) -> impl Iterator<Item = &Source> {
        self.policies.iter().chain(&self.tests)
    }

    /// The pack's name with its version, e.g. `global 1.0.0`, or `policy (conftest folder)`.
    pub fn label(&self) -> String {
        match &self.version {
            Some(version) => format!("{} {version}", self.name),
            None => format!("{} (conftest folder)", self.name),
        }
    }

    /// Whether the pack checks a document of `kind` (`None`: of no standard) in `domain`.
    pub fn applies_to(&self, kind: Option<DocumentKind>, domain: Option<&str>) -> bool {
        let kind_ok = match (&self.kinds, kind) {
            (None, _) => true,
            (Some(kinds), Some(kind)) => kinds.contains(&kind),
            (Some(_), None) => false,
        };
        kind_ok && self.scope.applies_to(domain)
    }

    /// The packages this pack evaluates, given the namespaces asked for.
    fn packages(&self, declared: &[(String, String)], namespaces: &Namespaces) -> Vec<String> {
        let mut packages: Vec<String> = Vec::new();
        for (package, _) in declared {
            let wanted = match (self.origin, namespaces) {
                (Origin::Manifest, _) | (Origin::Conftest, Namespaces::All) => true,
                (Origin::Conftest, Namespaces::Named(names)) => names.contains(package),
            };
            if wanted && !packages.contains(package) {
                packages.push(package.clone());
            }
        }
        packages
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

    /// The severity of a finding from `rule`.
    fn severity(&self, rule: &str) -> Severity {
        match self.rules.get(rule_key(rule)) {
            Some(enforcement) => enforcement.severity(),
            None if rule_kind(rule) == Some("warn") => Severity::Warning,
            None => Severity::Error,
        }
    }

    /// The finding id of `rule` in `package`: `pack/rule` (without the kind prefix for a Meshport pack,
    /// so that it matches pack.yaml), with the package for a conftest folder's packages other than
    /// `main`.
    fn rule_id(&self, package: &str, rule: &str) -> String {
        match self.origin {
            Origin::Manifest => format!("{}/{}", self.name, rule_key(rule)),
            Origin::Conftest if package == "main" => format!("{}/{rule}", self.name),
            Origin::Conftest => format!("{}/{package}.{rule}", self.name),
        }
    }
}

fn manifest_read(label: &str, text: &str) -> Result<(Manifest, Scope, Option<Vec<DocumentKind>>), PackError> {
    let manifest_error = |message: String| PackError::Manifest {
        pack: label.to_owned(),
        message,
    };
    let tree = document::parse(text)
        .map_err(|e| manifest_error(e.to_string()))?
        .into_iter()
        .next()
        .ok_or_else(|| manifest_error("the file is empty".into()))?;
    let manifest: Manifest = serde_json::from_value(tree.value).map_err(|e| manifest_error(e.to_string()))?;
    let scope = Scope::parse(&manifest.scope).ok_or_else(|| {
        manifest_error(format!(
            "scope `{}` is neither `global` nor `domain:<name>`",
            manifest.scope
        ))
    })?;
    let kinds = manifest
        .kinds
        .as_ref()
        .map(|kinds| {
            kinds
                .iter()
                .map(|kind| {
                    DocumentKind::from_kind(kind).ok_or_else(|| {
                        manifest_error(format!(
                            "kind `{kind}` is not one of DataProduct, DataContract, ProvisioningRequest"
                        ))
                    })
                })
                .collect::<Result<Vec<_>, _>>()
        })
        .transpose()?;
    Ok((manifest, scope, kinds))
}

/// `(package, rule)` of every rule the engine's parsed modules declare, deduplicated, in order:
/// complete, partial set and object rules and defaults, but not functions, which are not queried.
fn declared_rules(engine: &mut regorus::Engine) -> Vec<(String, String)> {
    use regorus::unstable::{Parser, Rule, RuleHead};
    let mut found: Vec<(String, String)> = Vec::new();
    for module in engine.get_modules() {
        let Ok(package) = Parser::get_path_ref_components(&module.package.refr) else {
            continue;
        };
        let package: Vec<&str> = package.iter().map(|span| span.text()).collect();
        let package = package.join(".");
        for rule in &module.policy {
            let refr = match rule.as_ref() {
                Rule::Spec {
                    head: RuleHead::Compr { refr, .. } | RuleHead::Set { refr, .. },
                    ..
                } => refr,
                Rule::Default { refr, .. } => refr,
                Rule::Spec {
                    head: RuleHead::Func { .. },
                    ..
                } => continue,
            };
            let Some(name) = Parser::get_path_ref_components(refr)
                .ok()
                .and_then(|parts| parts.first().map(|span| span.text().to_owned()))
            else {
                continue;
            };
            let entry = (package.clone(), name);
            if !found.contains(&entry) {
                found.push(entry);
            }
        }
    }
    found
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

/// The name conftest matches `exception` entries against (its `removeRulePrefix`): a rule without
/// its `deny_`, `violation_` or `warn_` prefix, so `deny_run_as_root` is exempted by
/// `exception contains ["run_as_root"]`; a plain `deny`, `violation` or `warn` only by `""`.
fn exception_key(name: &str) -> &str {
    if matches!(name, "deny" | "violation" | "warn") {
        return "";
    }
    ["violation_", "deny_", "warn_"]
        .iter()
        .find_map(|prefix| name.strip_prefix(prefix))
        .unwrap_or(name)
}

/// Which packages of a conftest folder are evaluated, as conftest's `--namespace` and
/// `--all-namespaces` say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Namespaces {
    Named(Vec<String>),
    All,
}

impl Default for Namespaces {
    /// Conftest's default: `package main` only.
    fn default() -> Self {
        Namespaces::Named(vec!["main".to_owned()])
    }
}

/// How a set of packs is evaluated.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub namespaces: Namespaces,
    /// Documents merged under `data`, as conftest's `--data` loads them.
    pub data: Vec<Value>,
}

/// A failure rule that an `exception` rule exempted, reported instead of its findings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exempted {
    /// The finding id the rule's failures would have had, e.g. `policy/deny_run_as_root`.
    pub rule: String,
    /// The query that exempted it, as conftest prints it.
    pub query: String,
}

/// What evaluating the packs on one document found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evaluation {
    pub findings: Vec<Finding>,
    pub exceptions: Vec<Exempted>,
    /// The labels of the packs that applied to the document, in order.
    pub applied: Vec<String>,
}

/// Packs ready to evaluate documents. Each pack is compiled the first time it applies to a
/// document, and each evaluation clones its prepared engine. Cheap to share across threads.
#[derive(Debug, Clone)]
pub struct PolicySet {
    entries: Vec<Entry>,
    options: Options,
}

#[derive(Debug, Clone)]
struct Entry {
    pack: PolicyPack,
    compiled: OnceLock<Result<Compiled, PackError>>,
}

#[derive(Debug, Clone)]
struct Compiled {
    engine: regorus::Engine,
    /// Each evaluated package with its deny, warn and violation rules, e.g. `("main", ["deny_owner"])`,
    /// and whether it declares `exception`.
    packages: Vec<Package>,
    /// Every rule of `packages` (each package's rules, then its `exception` if it has one) compiled for
    /// regorus's virtual machine, which evaluates them several times faster than the interpreter.
    /// Compiling costs about as much as two evaluations, so it happens at the pack's second
    /// document: a one-file `meshport validate` never pays for it, the form and folders do once.
    /// `None` when the pack uses something the compiler does not support: the interpreter runs it.
    program: OnceLock<Option<Program>>,
    /// How many documents the pack has evaluated.
    uses: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

/// The pack's rules as one program for regorus's virtual machine, and the data it runs with.
#[derive(Clone)]
struct Program {
    program: std::sync::Arc<regorus::rvm::program::Program>,
    data: regorus::Value,
}

impl std::fmt::Debug for Program {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Program")
    }
}

/// The package of the rule that gathers a pack's rules into the program's one entry point.
const ENTRY_PACKAGE: &str = "meshport_entry";

#[derive(Debug, Clone)]
struct Package {
    name: String,
    rules: Vec<String>,
    /// The failure rules exempted by `exception`, when the package declares one; found per input.
    has_exception: bool,
}

impl PolicySet {
    /// A set evaluated with conftest's defaults (namespace `main`, no data).
    pub fn new(packs: Vec<PolicyPack>) -> Result<PolicySet, PackError> {
        PolicySet::with_options(packs, Options::default())
    }

    /// A set evaluated with `options`. Fails when the data documents conflict (two give one key
    /// different values), as OPA refuses them.
    pub fn with_options(packs: Vec<PolicyPack>, options: Options) -> Result<PolicySet, PackError> {
        let mut probe = regorus::Engine::new();
        for data in &options.data {
            if !data.is_object() {
                return Err(PackError::Data {
                    message: "a data document is not a mapping; data documents are merged under `data`, so each must be one".into(),
                });
            }
            probe
                .add_data(regorus::Value::from(data.clone()))
                .map_err(|e| PackError::Data {
                    message: format!("the data documents do not merge: {e}"),
                })?;
        }
        Ok(PolicySet {
            entries: packs
                .into_iter()
                .map(|pack| Entry {
                    pack,
                    compiled: OnceLock::new(),
                })
                .collect(),
            options,
        })
    }

    pub fn packs(&self) -> impl Iterator<Item = &PolicyPack> {
        self.entries.iter().map(|e| &e.pack)
    }

    /// Compiles every pack now instead of on first use, reporting the first that does not compile.
    pub fn compile_all(&self) -> Result<(), PackError> {
        for entry in &self.entries {
            entry.compiled(&self.options)?;
        }
        Ok(())
    }

    /// Sets the severity of the standard's findings (schema and semantic) to what the packs that apply
    /// to the document say for their rules, e.g. `semver: required` in a pack's `rules:` makes
    /// versions that are not semantic versioning errors. The last pack to name a rule wins.
    pub fn standard_severities(
        &self,
        findings: &mut [Finding],
        kind: Option<DocumentKind>,
        domain: Option<&str>,
    ) {
        for entry in self.entries.iter().filter(|e| e.pack.applies_to(kind, domain)) {
            for (rule, enforcement) in entry.pack.rules.iter().filter(|(r, _)| semantic::is_rule(r)) {
                for finding in findings.iter_mut().filter(|f| f.rule == *rule) {
                    finding.severity = enforcement.severity();
                }
            }
        }
    }

    /// Evaluates every pack that applies to a document of `kind` (`None`: of no standard) in `domain`
    /// on `input`. Never fails: a rule or pack that errors is itself a finding.
    pub fn evaluate(&self, input: &Value, kind: Option<DocumentKind>, domain: Option<&str>) -> Evaluation {
        self.evaluate_with(input, None, kind, domain)
    }

    /// [`evaluate`](Self::evaluate) with `input`'s Rego form made beforehand ([`rego_value`] or
    /// [`rego_value_with`]), or made here when `None`.
    pub fn evaluate_with(
        &self,
        input: &Value,
        rego_input: Option<regorus::Value>,
        kind: Option<DocumentKind>,
        domain: Option<&str>,
    ) -> Evaluation {
        let mut out = Evaluation::default();
        let mut rego_input = rego_input;
        for entry in self.entries.iter().filter(|e| e.pack.applies_to(kind, domain)) {
            let pack = &entry.pack;
            out.applied.push(pack.label());
            let compiled = match entry.compiled(&self.options) {
                Ok(compiled) => compiled,
                Err(error) => {
                    out.findings.push(Finding::error(
                        format!("{}/compile", pack.name),
                        "",
                        format!("policy pack `{}` does not compile: {error}", pack.name),
                        format!("Fix the Rego of policy pack `{}`.", pack.name),
                    ));
                    continue;
                }
            };
            let value = rego_input.get_or_insert_with(|| rego_value(input));
            let first = compiled.uses.fetch_add(1, std::sync::atomic::Ordering::Relaxed) == 0;
            let program = if first {
                None
            } else {
                compiled
                    .program
                    .get_or_init(|| program_compile(&compiled.engine, &compiled.packages))
                    .as_ref()
            };
            let run = program.and_then(|program| program_run(program, value));
            let mut engine = None;
            let mut values = run.map(Vec::into_iter);
            for package in &compiled.packages {
                let rules = match values.as_mut() {
                    Some(values) => {
                        let rules: Vec<_> = values.by_ref().take(package.rules.len()).collect();
                        let exception = if package.has_exception {
                            values.next().flatten()
                        } else {
                            None
                        };
                        RuleValues::Computed { rules, exception }
                    }
                    None => RuleValues::Interpret(engine.get_or_insert_with(|| {
                        let mut engine = compiled.engine.clone();
                        engine.set_input(value.clone());
                        engine
                    })),
                };
                evaluate_package(pack, package, rules, &mut out);
            }
        }
        out
    }
}

impl Entry {
    fn compiled(&self, options: &Options) -> Result<&Compiled, PackError> {
        self.compiled
            .get_or_init(|| compile(&self.pack, options))
            .as_ref()
            .map_err(Clone::clone)
    }
}

fn compile(pack: &PolicyPack, options: &Options) -> Result<Compiled, PackError> {
    let parsed = pack.parsed()?;
    let mut engine = parsed.engine.clone();
    for data in &options.data {
        engine
            .add_data(regorus::Value::from(data.clone()))
            .map_err(|e| PackError::Rego {
                pack: pack.name.clone(),
                message: format!("the data documents do not merge: {e}"),
            })?;
    }
    // Evaluating once analyzes and schedules the modules; clones keep that work, so each evaluation
    // starts from a prepared engine instead of redoing it.
    engine
        .eval_query("true".to_owned(), false)
        .map_err(|e| PackError::Rego {
            pack: pack.name.clone(),
            message: e.to_string(),
        })?;
    let packages = pack
        .packages(&parsed.declared, &options.namespaces)
        .into_iter()
        .map(|name| {
            let in_package = || parsed.declared.iter().filter(|(p, _)| *p == name);
            Package {
                rules: in_package()
                    .filter(|(_, rule)| rule_kind(rule).is_some())
                    .map(|(_, rule)| rule.clone())
                    .collect(),
                has_exception: pack.origin == Origin::Conftest
                    && in_package().any(|(_, rule)| rule == "exception"),
                name,
            }
        })
        .filter(|package: &Package| !package.rules.is_empty())
        .collect::<Vec<_>>();
    Ok(Compiled {
        engine,
        packages,
        program: OnceLock::new(),
        uses: Default::default(),
    })
}

/// Compiles the rules of `packages` into one program whose entry point is an array holding, for
/// each rule in order, `[]` when the rule is undefined or `[value]`. `None` if it does not compile.
fn program_compile(engine: &regorus::Engine, packages: &[Package]) -> Option<Program> {
    let mut refs = Vec::new();
    for package in packages {
        for rule in &package.rules {
            refs.push(format!("[v | v := data.{}.{rule}]", package.name));
        }
        if package.has_exception {
            refs.push(format!("[v | v := data.{}.exception]", package.name));
        }
    }
    let mut engine = engine.clone();
    let entry = format!("package {ENTRY_PACKAGE}\n\nresults := [{}]\n", refs.join(", "));
    engine.add_policy(format!("{ENTRY_PACKAGE}.rego"), entry).ok()?;
    let rule: regorus::Rc<str> = format!("data.{ENTRY_PACKAGE}.results").into();
    let policy = engine.compile_with_entrypoint(&rule).ok()?;
    let program =
        regorus::languages::rego::compiler::Compiler::compile_from_policy(&policy, &[rule.as_ref()]).ok()?;
    Some(Program {
        program,
        data: engine.get_data(),
    })
}

/// Runs the program on `input`: for each rule in order, its value, or `None` when it is undefined.
/// `None` if the program fails, so that the interpreter can say which rule failed.
fn program_run(program: &Program, input: &regorus::Value) -> Option<Vec<Option<regorus::Value>>> {
    let mut vm = regorus::rvm::vm::RegoVM::new();
    vm.load_program(program.program.clone());
    vm.set_data(program.data.clone()).ok()?;
    vm.set_input(input.clone());
    let results = vm.execute().ok()?;
    let results = results.as_array().ok()?;
    Some(
        results
            .iter()
            .map(|wrapped| wrapped.as_array().ok().and_then(|v| v.first().cloned()))
            .collect(),
    )
}

/// The document as a Rego value, converted once per document and directly from a borrow: through
/// serde (regorus's `From<serde_json::Value>`) the conversion took a third of a large request's
/// evaluation. Object keys repeat (every column has a `name`), so each distinct key is allocated once.
pub fn rego_value(value: &Value) -> regorus::Value {
    convert(value, &mut HashMap::new())
}

/// [`rego_value`] of `object` with its member `member` already converted (`converted`, kept between
/// calls while that member does not change): `object`'s own `member`, if any, is not looked at.
pub fn rego_value_with(object: &Value, member: &str, converted: regorus::Value) -> regorus::Value {
    let Value::Object(fields) = object else {
        return rego_value(object);
    };
    let keys = &mut HashMap::new();
    let mut map: BTreeMap<regorus::Value, regorus::Value> = fields
        .iter()
        .filter(|(key, _)| key.as_str() != member)
        .map(|(key, field)| (rego_key(key, keys), convert(field, keys)))
        .collect();
    map.insert(regorus::Value::from(member), converted);
    regorus::Value::from(map)
}

fn rego_key<'a>(key: &'a str, keys: &mut HashMap<&'a str, regorus::Value>) -> regorus::Value {
    keys.entry(key)
        .or_insert_with(|| regorus::Value::from(key))
        .clone()
}

fn convert<'a>(value: &'a Value, keys: &mut HashMap<&'a str, regorus::Value>) -> regorus::Value {
    match value {
        Value::Null => regorus::Value::Null,
        Value::Bool(b) => regorus::Value::from(*b),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => regorus::Value::from(i),
            (None, Some(u), _) => regorus::Value::from(u),
            (None, None, Some(f)) => regorus::Value::from(f),
            (None, None, None) => regorus::Value::Undefined,
        },
        Value::String(text) => regorus::Value::from(text.as_str()),
        Value::Array(items) => {
            regorus::Value::from(items.iter().map(|item| convert(item, keys)).collect::<Vec<_>>())
        }
        Value::Object(fields) => regorus::Value::from(
            fields
                .iter()
                .map(|(key, field)| (rego_key(key, keys), convert(field, keys)))
                .collect::<BTreeMap<_, _>>(),
        ),
    }
}

/// Where the values of a package's rules come from.
enum RuleValues<'a> {
    /// Computed by the pack's program: each rule's value (`None`: undefined), and `exception`'s.
    Computed {
        rules: Vec<Option<regorus::Value>>,
        exception: Option<regorus::Value>,
    },
    /// To be computed by the interpreter, whose input is set.
    Interpret(&'a mut regorus::Engine),
}

fn evaluate_package(pack: &PolicyPack, package: &Package, values: RuleValues<'_>, out: &mut Evaluation) {
    let name = &package.name;
    let refs: Vec<String> = package
        .rules
        .iter()
        .map(|rule| format!("data.{name}.{rule}"))
        .collect();
    let (values, exempted): (Vec<Result<regorus::Value, String>>, BTreeSet<String>) = match values {
        RuleValues::Computed { rules, exception } => (
            rules
                .into_iter()
                .map(|value| Ok(value.unwrap_or(regorus::Value::Undefined)))
                .collect(),
            exception.map(|e| exception_names(&e)).unwrap_or_default(),
        ),
        RuleValues::Interpret(engine) => {
            let exempted = if package.has_exception {
                engine
                    .eval_rule(format!("data.{name}.exception"))
                    .map(|e| exception_names(&e))
                    .unwrap_or_default()
            } else {
                BTreeSet::new()
            };
            // One query for all the rules of a package shares the helper rules they use; if a rule
            // is undefined (a complete rule without a value), the combined query is too: then go
            // rule by rule, which also says which rule fails.
            let combined = engine
                .eval_query(format!("[{}]", refs.join(", ")), false)
                .ok()
                .and_then(|results| results.result.into_iter().next())
                .and_then(|r| r.expressions.into_iter().next())
                .and_then(|e| e.value.as_array().ok().cloned())
                .filter(|values| values.len() == package.rules.len());
            let values = match combined {
                Some(values) => values.into_iter().map(Ok).collect(),
                None => refs
                    .iter()
                    .map(|r| engine.eval_rule(r.clone()).map_err(|e| e.to_string()))
                    .collect(),
            };
            (values, exempted)
        }
    };
    for ((rule, value), reference) in package.rules.iter().zip(values).zip(&refs) {
        let rule_id = pack.rule_id(name, rule);
        // As conftest does, an exception exempts warn rules as well as failures.
        if exempted.contains(exception_key(rule)) {
            out.exceptions.push(Exempted {
                rule: rule_id,
                query: format!("data.{name}.exception[_][_] == {:?}", exception_key(rule)),
            });
            continue;
        }
        match value {
            Ok(value) => collect(&value, &rule_id, pack.severity(rule), &mut out.findings),
            Err(error) => out.findings.push(Finding::error(
                rule_id,
                "",
                format!("the policy rule {reference} failed to evaluate: {error}"),
                format!("Fix the rule in policy pack `{}`.", pack.name),
            )),
        }
    }
}

/// The rule names an `exception` rule's value lists: conftest's `exception contains rules if {...}`
/// where `rules` is a set or array of names.
fn exception_names(value: &regorus::Value) -> BTreeSet<String> {
    let Ok(json) = serde_json::to_value(value) else {
        return BTreeSet::new();
    };
    let mut names = BTreeSet::new();
    for entry in json.as_array().into_iter().flatten() {
        match entry {
            Value::Array(items) => names.extend(items.iter().filter_map(Value::as_str).map(str::to_owned)),
            Value::String(name) => {
                names.insert(name.clone());
            }
            _ => {}
        }
    }
    names
}

/// Turns a rule's value (a set or array of messages or objects, a single message, or undefined) into
/// findings.
fn collect(value: &regorus::Value, rule_id: &str, severity: Severity, findings: &mut Vec<Finding>) {
    // A complete rule whose body does not hold (`violation := [...] if {...}`) is undefined: no
    // violation. (Serialized, undefined would read as the message "<undefined>".)
    if *value == regorus::Value::Undefined {
        return;
    }
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

/// Runs the pack's Rego unit tests as `opa test` does: every `test_` rule of every package, which
/// passes when it is true.
pub fn pack_test(pack: &PolicyPack) -> Result<Vec<TestOutcome>, PackError> {
    pack_test_with_data(pack, &[])
}

/// [`pack_test`] with documents merged under `data`, as `conftest verify --data` loads them.
pub fn pack_test_with_data(pack: &PolicyPack, data: &[Value]) -> Result<Vec<TestOutcome>, PackError> {
    let mut engine = pack.engine(true)?;
    for document in data {
        engine
            .add_data(rego_value(document))
            .map_err(|e| PackError::Data {
                message: format!("the data documents do not merge: {e}"),
            })?;
    }
    let tests: Vec<(String, String)> = declared_rules(&mut engine)
        .into_iter()
        .filter(|(_, name)| name.starts_with("test_"))
        .collect();
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

    /// A document's Rego form made from a member converted beforehand is the whole conversion's,
    /// whatever the document's own member holds and wherever it stands.
    #[test]
    fn a_member_converted_beforehand_makes_the_same_rego_value() {
        let contracts = serde_json::json!([{"id": "c-1", "schema": [{"name": "t", "properties": [
            {"name": "email", "tags": ["pii"], "logicalType": "string"}, {"name": "n", "examples": [1, 2.5, null]}]}]}]);
        let whole = serde_json::json!({"kind": "ProvisioningRequest", "contracts": contracts,
            "product": {"name": "Orders", "tags": ["pii"]}, "infrastructure": {}});
        let made = rego_value_with(&whole, "contracts", rego_value(&contracts));
        assert_eq!(made, rego_value(&whole));
        let mut without = whole.clone();
        without.as_object_mut().unwrap().remove("contracts");
        assert_eq!(
            rego_value_with(&without, "contracts", rego_value(&contracts)),
            made
        );
        // The document's own member is not looked at.
        let mut other = whole.clone();
        other["contracts"] = serde_json::json!("not these");
        assert_eq!(rego_value_with(&other, "contracts", rego_value(&contracts)), made);
        assert_ne!(rego_value(&other), made);
        // Not an object: converted as it is.
        assert_eq!(
            rego_value_with(&contracts, "x", regorus::Value::Null),
            rego_value(&contracts)
        );
    }

    fn source(path: &str, text: &str) -> Source {
        Source {
            path: path.into(),
            text: text.into(),
        }
    }

    #[test]
    fn rule_names_map_to_pack_yaml_keys_and_exception_names() {
        assert_eq!(rule_kind("deny_owner"), Some("deny"));
        assert_eq!(rule_kind("warn"), Some("warn"));
        assert_eq!(rule_kind("violation_x"), Some("violation"));
        assert_eq!(rule_kind("denylist"), None, "a prefix must be followed by `_`");
        assert_eq!(rule_key("deny_owner"), "owner");
        assert_eq!(rule_key("deny"), "deny");
        assert_eq!(exception_key("deny_run_as_root"), "run_as_root");
        assert_eq!(exception_key("violation_labels"), "labels");
        assert_eq!(exception_key("warn_unpinned"), "unpinned");
        assert_eq!(
            exception_key("deny"),
            "",
            "conftest matches a plain rule by the empty name"
        );
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

    /// The shipped packs and conftest-style folders run on regorus's virtual machine, and it finds
    /// exactly what the interpreter finds, exceptions included.
    #[test]
    fn the_virtual_machine_and_the_interpreter_agree() {
        let conftest = PolicyPack::from_sources(
            "policy",
            vec![source(
                "p.rego",
                "package main\n\ndeny[msg] { input.root; msg := \"root\" }\n\
                 deny_net[msg] { input.net; msg := \"net\" }\n\
                 warn[msg] { not input.team; msg := sprintf(\"no team in %v\", [input.name]) }\n\
                 exception[rules] { input.name == \"exporter\"; rules := [\"net\"] }\n",
            )],
        )
        .unwrap();
        let mut packs = crate::packs::shipped();
        packs.push(conftest);
        let options = Options::default();
        let inputs = [
            serde_json::json!({"kind": "DataProduct", "apiVersion": "v1.0.0", "domain": "marketing",
                "outputPorts": [{"name": "Bad_Name"}], "root": true, "net": true, "name": "exporter"}),
            serde_json::json!({"kind": "DataContract", "id": "c", "schema": [{"name": "t", "properties": [
                {"name": "email", "classification": "pii"}, {"name": "x", "tags": ["pii"],
                 "customProperties": [{"property": "maskingRule", "value": "shred"}]}]}],
                "root": true, "net": true, "name": "web", "team": "a"}),
        ];
        for pack in &packs {
            let compiled = compile(pack, &options).unwrap();
            let program = program_compile(&compiled.engine, &compiled.packages)
                .unwrap_or_else(|| panic!("{} does not compile to the VM", pack.name));
            for input in &inputs {
                let value = rego_value(input);
                let mut by_vm = Evaluation::default();
                let mut values = program_run(&program, &value).unwrap().into_iter();
                let mut by_interpreter = Evaluation::default();
                let mut engine = compiled.engine.clone();
                engine.set_input(value.clone());
                for package in &compiled.packages {
                    let rules: Vec<_> = values.by_ref().take(package.rules.len()).collect();
                    let exception = if package.has_exception {
                        values.next().flatten()
                    } else {
                        None
                    };
                    evaluate_package(
                        pack,
                        package,
                        RuleValues::Computed { rules, exception },
                        &mut by_vm,
                    );
                    evaluate_package(
                        pack,
                        package,
                        RuleValues::Interpret(&mut engine),
                        &mut by_interpreter,
                    );
                }
                assert_eq!(by_vm, by_interpreter, "{}", pack.name);
                if pack.name == "policy" {
                    assert!(!by_vm.findings.is_empty());
                }
            }
        }
    }

    /// The engine, not the layout of the text, says which rules exist: rules indented, written with
    /// `else`, over several bodies, in v0 syntax, and defaults are all found; locals and functions are
    /// not rules.
    #[test]
    fn the_engine_lists_every_rule_however_it_is_written() {
        let v1 = "package a.b\n\nimport rego.v1\n\n  deny_x contains msg if {\n    warn_inner := 1\n    msg := \"x\"\n  }\n\
                  deny_x contains \"again\" if input.y\n\
                  warn_y := \"w\" if { input.a } else := \"v\" if { input.b }\n\
                  default violation_z := false\n\
                  deny_fn(x) := x\n\
                  test_z if true\n";
        let v0 = "package main\n\ndeny[msg] {\n  msg := \"v0\"\n}\n";
        let pack = PolicyPack::from_sources("p", vec![source("a.rego", v1), source("b.rego", v0)]).unwrap();
        let declared = &pack.parsed().unwrap().declared;
        let names: Vec<_> = declared.iter().map(|(p, r)| format!("{p}.{r}")).collect();
        assert_eq!(
            names,
            [
                "a.b.deny_x",
                "a.b.warn_y",
                "a.b.violation_z",
                "a.b.test_z",
                "main.deny"
            ]
        );
        assert_eq!(pack.origin, Origin::Conftest);
        assert_eq!(pack.name, "p");
        assert_eq!(
            pack.packages(declared, &Namespaces::default()),
            ["main"],
            "conftest evaluates only `main` by default"
        );
        assert_eq!(pack.packages(declared, &Namespaces::All), ["a.b", "main"]);
        assert_eq!(
            pack.packages(declared, &Namespaces::Named(vec!["a.b".into()])),
            ["a.b"]
        );
    }
}
