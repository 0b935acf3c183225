//! Rewriting ODCS v3.0.x contracts as v3.1.0, where the standard defines the change, editing the text
//! in place so that comments, key order and quoting elsewhere stay as they were.
//!
//! The changes: `apiVersion`; `team` as a list of members becomes the team object
//! (`team: {members: [...]}`, RFC 16); a library quality rule's `rule` becomes `metric` (its
//! v3.0.x names `duplicateCount` and `validValues` become `duplicateValues` and `invalidValues` with
//! the valid values as `arguments`); `exclusiveMinimum`/`exclusiveMaximum` given as booleans in
//! `logicalTypeOptions` take the bound's value (JSON Schema's form, which v3.1.0 adopts); an SLA's
//! `unity` becomes `unit`. The result must pass the v3.1.0 schema; whatever does not (a field
//! v3.1.0 no longer allows, a rule name with no v3.1.0 metric) is refused with the field named, and
//! the text is left unchanged.
//!
//! Each edit replaces the span of one key, scalar or node; a replaced node is written in block style
//! at its indentation, so comments inside that node (and only there) are lost. The edited text is
//! read back and compared with the intended document before it is returned.

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};
use serde_json::{Map, Value, json};

use crate::document::{self, Format};
use crate::standards::Standard;

/// One document's upgrade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentUpgrade {
    /// Rewritten from `from`, with a sentence per change.
    Upgraded { from: String, changes: Vec<String> },
    /// Already at the version asked for.
    Current,
    /// Not an ODCS contract: left as it is.
    NotAContract,
}

/// A file's text rewritten, and what happened to each of its documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upgraded {
    pub text: String,
    pub documents: Vec<DocumentUpgrade>,
}

impl Upgraded {
    /// Whether any document changed.
    pub fn changed(&self) -> bool {
        self.documents
            .iter()
            .any(|d| matches!(d, DocumentUpgrade::Upgraded { .. }))
    }
}

/// Why a file was not rewritten.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UpgradeError {
    #[error("{0}")]
    Syntax(#[from] document::ParseError),
    /// What cannot be mapped, each with the JSON pointer of its field (in document `document`, from 0).
    #[error("{}", refusals.iter().map(|r| format!("{}: {}", r.path, r.message)).collect::<Vec<_>>().join("; "))]
    Refused { document: usize, refusals: Vec<Refusal> },
    #[error("upgrades go to {latest}; {0} is not one", latest = Standard::ODCS_LATEST.api_version())]
    Target(String),
}

/// A field `upgrade` cannot map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub path: String,
    pub message: String,
}

/// The v3.0.x library rule names and their v3.1.0 metrics. v3.1.0's own metric names are accepted
/// as rule names too.
const RULE_METRICS: [(&str, &str); 7] = [
    ("duplicateCount", "duplicateValues"),
    ("validValues", "invalidValues"),
    ("rowCount", "rowCount"),
    ("nullValues", "nullValues"),
    ("missingValues", "missingValues"),
    ("invalidValues", "invalidValues"),
    ("duplicateValues", "duplicateValues"),
];

const OPERATORS: [&str; 8] = [
    "mustBe",
    "mustNotBe",
    "mustBeGreaterThan",
    "mustBeGreaterOrEqualTo",
    "mustBeLessThan",
    "mustBeLessOrEqualTo",
    "mustBeBetween",
    "mustNotBeBetween",
];

/// Rewrites every ODCS v3.0.x contract in `text` (YAML or JSON, one or more documents) as `to`, which
/// must be the newest ODCS version. Other documents are left as they are.
pub fn contracts_upgrade(text: &str, to: &str) -> Result<Upgraded, UpgradeError> {
    if to != Standard::ODCS_LATEST.api_version() {
        return Err(UpgradeError::Target(to.to_owned()));
    }
    let parsed = document::parse(text)?;
    let marked = MarkedYaml::load_from_str(text).map_err(|e| document::ParseError {
        line: e.marker().line(),
        column: e.marker().col() + 1,
        message: e.info().to_owned(),
    })?;
    let source = Source::new(text);
    let mut edits: Vec<Edit> = Vec::new();
    let mut documents = Vec::new();
    let mut expected = Vec::new();
    for (index, (doc, node)) in parsed.iter().zip(&marked).enumerate() {
        let value = &doc.value;
        let is_contract = value.get("kind").and_then(Value::as_str) == Some("DataContract")
            || (value.get("kind").is_none()
                && value
                    .get("apiVersion")
                    .and_then(Value::as_str)
                    .is_some_and(|v| v.starts_with("v3.")));
        if !is_contract {
            documents.push(DocumentUpgrade::NotAContract);
            expected.push(value.clone());
            continue;
        }
        let from = value
            .get("apiVersion")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if from == to {
            documents.push(DocumentUpgrade::Current);
            expected.push(value.clone());
            continue;
        }
        if !["v3.0.0", "v3.0.1", "v3.0.2"].contains(&from) {
            return Err(UpgradeError::Refused {
                document: index,
                refusals: vec![Refusal {
                    path: "/apiVersion".into(),
                    message: format!(
                        "`apiVersion` is `{from}`; upgrade rewrites ODCS v3.0.0, v3.0.1 and v3.0.2 contracts"
                    ),
                }],
            });
        }
        let mut plan = Plan {
            source: &source,
            value: value.clone(),
            edits: Vec::new(),
            changes: Vec::new(),
            refusals: Vec::new(),
        };
        plan.run(node, to);
        if plan.refusals.is_empty() {
            // Whatever v3.1.0 still refuses is not something the standard says how to map.
            for finding in Standard::ODCS_LATEST.findings(&plan.value) {
                plan.refusals.push(Refusal {
                    path: finding.path,
                    message: format!(
                        "{} (ODCS v3.1.0 refuses it and defines no mapping)",
                        finding.message
                    ),
                });
            }
        }
        if !plan.refusals.is_empty() {
            return Err(UpgradeError::Refused {
                document: index,
                refusals: plan.refusals,
            });
        }
        edits.extend(plan.edits);
        expected.push(plan.value);
        documents.push(DocumentUpgrade::Upgraded {
            from: from.to_owned(),
            changes: plan.changes,
        });
    }
    let mut out = source.apply(edits);
    // The edits must give exactly the intended documents; if the text defeats them (anchors, odd
    // layouts), write the documents out whole instead, which loses their comments.
    let faithful = document::parse(&out)
        .map(|docs| docs.into_iter().map(|d| d.value).collect::<Vec<_>>() == expected)
        .unwrap_or(false);
    if !faithful {
        out = expected
            .iter()
            .map(|v| document::write(v, Format::Yaml))
            .collect::<Vec<_>>()
            .join("---\n");
        for doc in &mut documents {
            if let DocumentUpgrade::Upgraded { changes, .. } = doc {
                changes.push(
                    "written out whole: the text could not be edited in place, so its comments are gone"
                        .into(),
                );
            }
        }
    }
    Ok(Upgraded { text: out, documents })
}

/// A replacement of the characters `start..end` (char indices) by `text`.
#[derive(Debug)]
struct Edit {
    start: usize,
    end: usize,
    text: String,
}

/// The text being edited, with its char indices mapped to byte offsets.
struct Source<'a> {
    text: &'a str,
    /// The byte offset of each char index (and of the end).
    offsets: Vec<usize>,
}

impl<'a> Source<'a> {
    fn new(text: &'a str) -> Source<'a> {
        let mut offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        offsets.push(text.len());
        Source { text, offsets }
    }

    fn byte(&self, index: usize) -> usize {
        self.offsets[index.min(self.offsets.len() - 1)]
    }

    fn slice(&self, start: usize, end: usize) -> &'a str {
        &self.text[self.byte(start)..self.byte(end)]
    }

    fn char_at(&self, index: usize) -> Option<char> {
        self.slice(index, index + 1).chars().next()
    }

    /// The char index where the line holding `index` starts.
    fn line_start(&self, index: usize) -> usize {
        let byte = self.byte(index);
        let start = self.text[..byte].rfind('\n').map_or(0, |i| i + 1);
        self.offsets.partition_point(|&b| b < start)
    }

    /// Where a node really ends: the end of its last scalar or closing bracket, not the start of the
    /// next token (where the parser ends a block collection, after comments and blank lines).
    fn end_of(&self, node: &MarkedYaml<'_>) -> usize {
        match &node.data {
            YamlData::Sequence(items) if self.is_flow(node) => {
                self.flow_end(node.span.start.index(), items.is_empty())
            }
            YamlData::Mapping(entries) if self.is_flow(node) => {
                self.flow_end(node.span.start.index(), entries.is_empty())
            }
            YamlData::Sequence(items) => items
                .iter()
                .map(|i| self.end_of(i))
                .max()
                .unwrap_or(node.span.start.index()),
            YamlData::Mapping(entries) => entries
                .iter()
                .map(|(k, v)| self.end_of(k).max(self.end_of(v)))
                .max()
                .unwrap_or(node.span.start.index()),
            _ => self.scalar_end(node),
        }
    }

    fn is_flow(&self, node: &MarkedYaml<'_>) -> bool {
        matches!(self.char_at(node.span.start.index()), Some('[' | '{'))
    }

    /// The index after the bracket closing the flow collection opened at `start`.
    fn flow_end(&self, start: usize, _empty: bool) -> usize {
        let mut depth = 0usize;
        let mut quote: Option<char> = None;
        let rest = self.slice(start, self.offsets.len() - 1);
        for (i, c) in rest.chars().enumerate() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '[' | '{') => depth += 1,
                (None, ']' | '}') => {
                    depth -= 1;
                    if depth == 0 {
                        return start + i + 1;
                    }
                }
                _ => {}
            }
        }
        self.offsets.len() - 1
    }

    /// A scalar's end, including a closing quote the span may leave out.
    fn scalar_end(&self, node: &MarkedYaml<'_>) -> usize {
        let (start, end) = (node.span.start.index(), node.span.end.index());
        match self.char_at(start) {
            Some(q @ ('"' | '\'')) if end <= start + 1 || self.char_at(end - 1) != Some(q) => {
                let rest = self.slice(start + 1, self.offsets.len() - 1);
                rest.find(q)
                    .map_or(end, |i| start + 2 + rest[..i].chars().count())
            }
            _ => end,
        }
    }

    fn apply(&self, mut edits: Vec<Edit>) -> String {
        edits.sort_by_key(|e| e.start);
        let mut out = String::with_capacity(self.text.len() + 64);
        let mut at = 0;
        for edit in edits {
            out.push_str(self.slice(at, edit.start));
            out.push_str(&edit.text);
            at = edit.end;
        }
        out.push_str(self.slice(at, self.offsets.len() - 1));
        out
    }
}

/// The edits and changes for one document, made on its value and its text together.
struct Plan<'s, 'a> {
    source: &'s Source<'a>,
    value: Value,
    edits: Vec<Edit>,
    changes: Vec<String>,
    refusals: Vec<Refusal>,
}

impl Plan<'_, '_> {
    fn run(&mut self, root: &MarkedYaml<'_>, to: &str) {
        if let Some((_, node)) = entry(root, "apiVersion") {
            self.set_scalar(node, to);
            self.value["apiVersion"] = json!(to);
            self.changes.push(format!("apiVersion: {to}"));
        }
        if let Some((key, node)) = entry(root, "team")
            && let YamlData::Sequence(_) = node.data
        {
            let members = self.value["team"].take();
            self.value["team"] = json!({ "members": members });
            if self.source.is_flow(node) || node.span.start.line() == key.span.start.line() {
                self.replace_value(key, node, &self.value["team"].clone());
            } else {
                self.wrap_sequence(key, node, "members");
            }
            self.changes
                .push("team: the list of members is now `team.members` (RFC 16)".into());
        }
        for (i, sla) in items(entry(root, "slaProperties").map(|(_, n)| n)) {
            if let Some((key, _)) = entry(sla, "unity") {
                let at = format!("/slaProperties/{i}");
                let Some(map) = self.value.pointer_mut(&at).and_then(Value::as_object_mut) else {
                    continue;
                };
                if map.contains_key("unit") {
                    self.refusals.push(Refusal {
                        path: format!("{at}/unity"),
                        message: "both `unity` and `unit` are set; keep one".into(),
                    });
                    continue;
                }
                rename(map, "unity", "unit");
                self.rename_key(key, "unit");
                self.changes.push(format!("{at}: `unity` is now `unit`"));
            }
        }
        for (i, object) in items(entry(root, "schema").map(|(_, n)| n)) {
            self.element(object, &format!("/schema/{i}"));
        }
    }

    /// A schema object or property, and its properties and items, recursively.
    fn element(&mut self, node: &MarkedYaml<'_>, at: &str) {
        for (j, rule) in items(entry(node, "quality").map(|(_, n)| n)) {
            self.quality_rule(rule, &format!("{at}/quality/{j}"));
        }
        if let Some((key, options)) = entry(node, "logicalTypeOptions") {
            self.exclusive_bounds(key, options, &format!("{at}/logicalTypeOptions"));
        }
        for (j, property) in items(entry(node, "properties").map(|(_, n)| n)) {
            self.element(property, &format!("{at}/properties/{j}"));
        }
        if let Some((_, item)) = entry(node, "items") {
            self.element(item, &format!("{at}/items"));
        }
    }

    fn quality_rule(&mut self, node: &MarkedYaml<'_>, at: &str) {
        let Some(rule) = self.value.pointer(at).cloned() else {
            return;
        };
        let kind = rule.get("type").and_then(Value::as_str).unwrap_or("library");
        if kind != "library" || rule.get("metric").is_some() {
            return;
        }
        let Some(name) = rule.get("rule").and_then(Value::as_str) else {
            return; // No metric and no rule: the v3.1.0 schema check names it.
        };
        let Some(metric) = RULE_METRICS.iter().find(|(r, _)| *r == name).map(|(_, m)| *m) else {
            self.refusals.push(Refusal {
                path: format!("{at}/rule"),
                message: format!(
                    "library rule `{name}` has no ODCS v3.1.0 metric (nullValues, missingValues, invalidValues, \
                     duplicateValues, rowCount); write the rule as one of them, or as a `sql` rule"
                ),
            });
            return;
        };
        if name == "validValues" {
            // v3.0.x: `rule: validValues` with the list beside it, every value valid. v3.1.0: the
            // count of invalid values, the list as an argument, and that count must be 0.
            let mut map: Map<String, Value> = Map::new();
            for (key, value) in rule.as_object().into_iter().flatten() {
                match key.as_str() {
                    "rule" => {
                        map.insert("metric".into(), json!(metric));
                    }
                    "validValues" => {
                        map.insert("arguments".into(), json!({ "validValues": value }));
                    }
                    _ => {
                        map.insert(key.clone(), value.clone());
                    }
                }
            }
            if !OPERATORS.iter().any(|op| map.contains_key(*op)) {
                map.insert("mustBe".into(), json!(0));
            }
            let new = Value::Object(map);
            self.replace_item(node, &new);
            *self.value.pointer_mut(at).expect("the rule exists") = new;
        } else {
            let Some((key, value)) = entry(node, "rule") else {
                return;
            };
            self.rename_key(key, "metric");
            self.set_scalar(value, metric);
            let map = self
                .value
                .pointer_mut(at)
                .and_then(Value::as_object_mut)
                .expect("the rule is a mapping");
            rename(map, "rule", "metric");
            map["metric"] = json!(metric);
        }
        self.changes
            .push(format!("{at}: library rule `{name}` is now metric `{metric}`"));
    }

    /// `exclusiveMinimum: true` beside `minimum: 5` becomes `exclusiveMinimum: 5`; `false` goes.
    fn exclusive_bounds(&mut self, key: &MarkedYaml<'_>, node: &MarkedYaml<'_>, at: &str) {
        let Some(options) = self.value.pointer(at).and_then(Value::as_object).cloned() else {
            return;
        };
        let mut changed = false;
        let mut out = options.clone();
        for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
            match options.get(exclusive) {
                Some(Value::Bool(false)) => {
                    out.shift_remove(exclusive);
                    changed = true;
                }
                Some(Value::Bool(true)) => match options.get(bound) {
                    Some(limit) => {
                        out.insert(exclusive.into(), limit.clone());
                        out.shift_remove(bound);
                        changed = true;
                    }
                    None => self.refusals.push(Refusal {
                        path: format!("{at}/{exclusive}"),
                        message: format!(
                            "`{exclusive}: true` without `{bound}`: there is no bound to make exclusive"
                        ),
                    }),
                },
                _ => {}
            }
        }
        if changed {
            let new = Value::Object(out);
            self.replace_value(key, node, &new);
            *self.value.pointer_mut(at).expect("the options exist") = new;
            self.changes.push(format!(
                "{at}: exclusiveMinimum/exclusiveMaximum now hold the bound, as in JSON Schema"
            ));
        }
    }

    fn set_scalar(&mut self, node: &MarkedYaml<'_>, text: &str) {
        let start = node.span.start.index();
        let end = self.source.scalar_end(node);
        let quote = self.source.char_at(start).filter(|c| matches!(c, '"' | '\''));
        let text = match quote {
            Some(q) => format!("{q}{text}{q}"),
            None => text.to_owned(),
        };
        self.edits.push(Edit { start, end, text });
    }

    fn rename_key(&mut self, key: &MarkedYaml<'_>, name: &str) {
        self.set_scalar(key, name);
    }

    /// Replaces the value of a mapping entry with `value` written in block style: under the key, at
    /// the value's indentation (or two more than the key's).
    fn replace_value(&mut self, key: &MarkedYaml<'_>, node: &MarkedYaml<'_>, value: &Value) {
        let key_column = key.span.start.col();
        let start = node.span.start.index();
        let end = self.source.end_of(node);
        let on_key_line = node.span.start.line() == key.span.start.line();
        let indent = if !on_key_line && node.span.start.col() > key_column {
            node.span.start.col()
        } else {
            key_column + 2
        };
        let block = indented(value, indent, true);
        if on_key_line {
            // `team: [...]`: from just after the colon.
            let colon = self
                .source
                .slice(self.source.scalar_end(key), start)
                .find(':')
                .map_or(start, |i| {
                    self.source.scalar_end(key)
                        + self.source.slice(self.source.scalar_end(key), start)[..i]
                            .chars()
                            .count()
                        + 1
                });
            self.edits.push(Edit {
                start: colon,
                end,
                text: format!("\n{}", block.trim_end_matches('\n')),
            });
        } else {
            // A block value: its whole lines, so that comment lines before it stay.
            self.edits.push(Edit {
                start: self.source.line_start(start),
                end,
                text: block.trim_end_matches('\n').to_owned(),
            });
        }
    }

    /// Puts a block sequence, the value of `key`, under a new key `name`: a `name:` line before it and
    /// its lines indented by two, so that everything in it, comments included, stays as written.
    fn wrap_sequence(&mut self, key: &MarkedYaml<'_>, node: &MarkedYaml<'_>, name: &str) {
        let first = self.source.line_start(node.span.start.index());
        let last = self.source.end_of(node);
        let end = self
            .source
            .slice(last, self.source.offsets.len() - 1)
            .find('\n')
            .map_or(self.source.offsets.len() - 1, |i| {
                last + self.source.slice(last, last + i).chars().count()
            });
        let column = node.span.start.col().max(key.span.start.col() + 2);
        let mut text = format!("{}{name}:\n", " ".repeat(column));
        for (i, line) in self.source.slice(first, end).split('\n').enumerate() {
            if i > 0 {
                text.push('\n');
            }
            if !line.trim().is_empty() {
                text.push_str("  ");
            }
            text.push_str(line);
        }
        self.edits.push(Edit {
            start: first,
            end,
            text,
        });
    }

    /// Replaces a sequence item (`- ...`) with `value` written in block style at the item's column.
    fn replace_item(&mut self, node: &MarkedYaml<'_>, value: &Value) {
        let start = node.span.start.index();
        let end = self.source.end_of(node);
        let block = indented(value, node.span.start.col(), false);
        self.edits.push(Edit {
            start,
            end,
            text: block.trim_end_matches('\n').to_owned(),
        });
    }
}

/// `value` as block YAML, each line indented by `indent` spaces (the first too, if `first`).
fn indented(value: &Value, indent: usize, first: bool) -> String {
    let text = document::write(value, Format::Yaml);
    let pad = " ".repeat(indent);
    text.lines()
        .enumerate()
        .map(|(i, line)| {
            if (i > 0 || first) && !line.is_empty() {
                format!("{pad}{line}\n")
            } else {
                format!("{line}\n")
            }
        })
        .collect()
}

/// Renames `from` to `to` in `map`, keeping its place.
fn rename(map: &mut Map<String, Value>, from: &str, to: &str) {
    let entries: Vec<(String, Value)> = std::mem::take(map).into_iter().collect();
    for (key, value) in entries {
        map.insert(if key == from { to.to_owned() } else { key }, value);
    }
}

/// The key and value nodes of `name` in a mapping node.
fn entry<'n, 'i>(node: &'n MarkedYaml<'i>, name: &str) -> Option<(&'n MarkedYaml<'i>, &'n MarkedYaml<'i>)> {
    match &node.data {
        YamlData::Mapping(entries) => entries
            .iter()
            .find(|(key, _)| matches!(&key.data, YamlData::Value(Scalar::String(s)) if s == name)),
        _ => None,
    }
}

fn items<'n, 'i>(node: Option<&'n MarkedYaml<'i>>) -> impl Iterator<Item = (usize, &'n MarkedYaml<'i>)> {
    node.into_iter()
        .flat_map(|n| match &n.data {
            YamlData::Sequence(items) => items.iter().collect::<Vec<_>>(),
            _ => Vec::new(),
        })
        .enumerate()
}

/// A unified diff of `old` and `new` (the file at `path` before and after its upgrade), three lines
/// of context, as `diff -u` prints it: a changed line is shown removed, then added.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    // The common head and tail are left out of the quadratic part: upgrades change a few lines.
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ma, mb) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    // Longest common subsequence of the middle, then the edit script.
    let mut lcs = vec![vec![0u32; mb.len() + 1]; ma.len() + 1];
    for i in (0..ma.len()).rev() {
        for j in (0..mb.len()).rev() {
            lcs[i][j] = if ma[i] == mb[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    // Each line: (' ' | '-' | '+', text, index in old, index in new).
    let mut script: Vec<(char, &str, usize, usize)> = (0..head).map(|i| (' ', a[i], i, i)).collect();
    let (mut i, mut j) = (0, 0);
    while i < ma.len() || j < mb.len() {
        if i < ma.len() && j < mb.len() && ma[i] == mb[j] {
            script.push((' ', ma[i], head + i, head + j));
            i += 1;
            j += 1;
        } else if i < ma.len() && (j == mb.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            // Removals first where either order is as short, as `diff -u` writes a replaced line.
            script.push(('-', ma[i], head + i, head + j));
            i += 1;
        } else {
            script.push(('+', mb[j], head + i, head + j));
            j += 1;
        }
    }
    for k in 0..tail {
        script.push((' ', a[a.len() - tail + k], a.len() - tail + k, b.len() - tail + k));
    }
    let mut out = format!("--- {path}\n+++ {path} (upgraded)\n");
    let changed: Vec<usize> = (0..script.len()).filter(|&k| script[k].0 != ' ').collect();
    let mut k = 0;
    while k < changed.len() {
        let start = changed[k].saturating_sub(3);
        let mut end = (changed[k] + 4).min(script.len());
        while k + 1 < changed.len() && changed[k + 1] < end + 3 {
            k += 1;
            end = (changed[k] + 4).min(script.len());
        }
        let hunk = &script[start..end];
        let old_lines = hunk.iter().filter(|l| l.0 != '+').count();
        let new_lines = hunk.iter().filter(|l| l.0 != '-').count();
        out.push_str(&format!(
            "@@ -{},{old_lines} +{},{new_lines} @@\n",
            hunk[0].2 + 1,
            hunk[0].3 + 1
        ));
        for (sign, line, ..) in hunk {
            out.push(*sign);
            out.push_str(line);
            if !line.ends_with('\n') {
                out.push_str("\n\\ No newline at end of file\n");
            }
        }
        k += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diffs_read_like_diff_u() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let new = "a\nb\nc\nD\ne\nf\ng\nh\n";
        assert_eq!(
            unified_diff("x", old, new),
            "--- x\n+++ x (upgraded)\n@@ -1,7 +1,7 @@\n a\n b\n c\n-d\n+D\n e\n f\n g\n"
        );
    }

    fn upgrade(text: &str) -> String {
        contracts_upgrade(text, "v3.1.0").unwrap().text
    }

    #[test]
    fn edits_keep_comments_and_order() {
        let text = "\
# A contract
apiVersion: v3.0.2 # the version
kind: DataContract
id: x
version: 1.0.0
status: active
team:
  # owners first
  - username: ada # since 2024
    role: owner
slaProperties:
  - property: latency
    value: 4
    unity: d # days
";
        let out = upgrade(text);
        assert_eq!(
            out,
            "\
# A contract
apiVersion: v3.1.0 # the version
kind: DataContract
id: x
version: 1.0.0
status: active
team:
  # owners first
  members:
    - username: ada # since 2024
      role: owner
slaProperties:
  - property: latency
    value: 4
    unit: d # days
"
        );
    }

    #[test]
    fn compact_team_lists_and_quality_rules() {
        let text = "\
apiVersion: \"v3.0.0\"
kind: DataContract
id: x
version: 1.0.0
status: active
team:
- username: ada
schema:
  - name: t
    quality:
      - rule: rowCount
        mustBeGreaterThan: 0
    properties:
      - name: unit
        quality:
          - rule: validValues
            validValues: [kg, lb]
          - type: library
            rule: duplicateCount
            mustBeLessThan: 10
";
        let out = upgrade(text);
        let value = document::parse(&out).unwrap().remove(0).value;
        assert_eq!(value["apiVersion"], "v3.1.0");
        assert!(out.starts_with("apiVersion: \"v3.1.0\"\n"), "{out}");
        assert_eq!(value["team"], json!({"members": [{"username": "ada"}]}));
        assert_eq!(value["schema"][0]["quality"][0]["metric"], "rowCount");
        assert_eq!(
            value["schema"][0]["properties"][0]["quality"][0],
            json!({"metric": "invalidValues", "arguments": {"validValues": ["kg", "lb"]}, "mustBe": 0})
        );
        assert_eq!(
            value["schema"][0]["properties"][0]["quality"][1],
            json!({"type": "library", "metric": "duplicateValues", "mustBeLessThan": 10})
        );
        assert!(Standard::ODCS_LATEST.accepts(&value), "{out}");
    }

    #[test]
    fn what_cannot_be_mapped_is_refused_with_its_field() {
        let text = "apiVersion: v3.0.2\nkind: DataContract\nid: x\nversion: 1.0.0\nstatus: active\n\
                    schema:\n  - name: t\n    quality:\n      - rule: freshness\n        mustBeLessThan: 3\n";
        let UpgradeError::Refused { refusals, .. } = contracts_upgrade(text, "v3.1.0").unwrap_err() else {
            panic!("refused expected");
        };
        assert_eq!(refusals[0].path, "/schema/0/quality/0/rule");
        assert!(contracts_upgrade(text, "v3.2.0").is_err());
    }

    #[test]
    fn current_and_foreign_documents_are_left_alone() {
        let text = "apiVersion: v3.1.0\nkind: DataContract\nid: x\nversion: 1.0.0\nstatus: active\n---\nkind: Deployment\n";
        let upgraded = contracts_upgrade(text, "v3.1.0").unwrap();
        assert_eq!(upgraded.text, text);
        assert_eq!(
            upgraded.documents,
            [DocumentUpgrade::Current, DocumentUpgrade::NotAContract]
        );
    }
}
