//! `cargo xtask architecture`: the platform crate's module graph, read from its `use` lines and
//! `crate::` paths, checked against its layers (ARCHITECTURE.md): a module imports only from its own
//! layer or below, never in a circle, and only the wiring (`lib.rs`, `server`) names `http`.
//!
//! A path is resolved to the longest module of the crate it names (`crate::services::quality::Plan`
//! is an edge to `services::quality`). Test modules (`#[cfg(test)]` to the end of a file) are left
//! out: they may reach anything they test.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// The platform's layers, bottom first: a module's layer is that of its first path segment.
pub const PLATFORM_LAYERS: &[(&str, u8)] = &[
    ("error", 0),
    ("store", 0),
    ("adapters", 1),
    ("state", 2),
    ("services", 3),
    ("demo", 4),
    ("http", 5),
    ("server", 6),
    ("", 7),
];

/// The modules that may name `http`: the crate root and `server`, which serve it.
const HTTP_WIRING: &[&str] = &["", "server"];

/// A module's imports of other modules of the crate.
pub type Graph = BTreeMap<String, BTreeSet<String>>;

/// Reads the module graph of the library crate whose `lib.rs` is in `src`.
pub fn module_graph(src: &Path) -> Result<Graph, String> {
    let mut files = Vec::new();
    collect(src, src, &mut files)?;
    let modules: BTreeSet<String> = files.iter().map(|(m, _)| m.clone()).collect();
    let mut graph = Graph::new();
    for (module, text) in &files {
        let code = match text.find("#[cfg(test)]") {
            Some(at) => &text[..at],
            None => text.as_str(),
        };
        let code = without_comments(code);
        let mut edges = BTreeSet::new();
        let mut paths = crate_paths(&code, module);
        paths.extend(child_paths(&code, module, &modules));
        for path in paths {
            if let Some(target) = resolve(&path, &modules)
                && target != *module
            {
                edges.insert(target);
            }
        }
        graph.insert(module.clone(), edges);
    }
    Ok(graph)
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) -> Result<(), String> {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(root, &path, out)?;
            continue;
        }
        if path.extension().and_then(|e| e.to_str()) != Some("rs") {
            continue;
        }
        let relative = path.strip_prefix(root).map_err(|e| e.to_string())?;
        let mut parts: Vec<String> = relative
            .with_extension("")
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        // `main.rs` is a binary of its own, importing the library from outside.
        if parts == ["main"] || parts.first().map(String::as_str) == Some("bin") {
            continue;
        }
        if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
            parts.pop();
        }
        let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        out.push((parts.join("::"), text));
    }
    Ok(())
}

/// Every path a file names inside the crate, as `a::b::c` from the crate root: `crate::…` anywhere,
/// `super::…` resolved against `module`, and each branch of a `use crate::{…}` group.
fn crate_paths(code: &str, module: &str) -> Vec<String> {
    let mut paths = Vec::new();
    for (prefix, base) in [("crate::", String::new()), ("super::", parent(module))] {
        let mut rest = code;
        while let Some(at) = rest.find(prefix) {
            let before = rest[..at].chars().last();
            rest = &rest[at + prefix.len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            for tail in expand(rest) {
                let full = if base.is_empty() {
                    tail
                } else {
                    format!("{base}::{tail}")
                };
                paths.push(full);
            }
        }
    }
    paths
}

/// The code without its line comments (doc comments name paths that are not imports).
fn without_comments(code: &str) -> String {
    code.lines()
        .map(|l| match l.find("//") {
            Some(at) => &l[..at],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The paths a `use` tail names: `a::b` or `a::{b, c::{d}}` (`self` names the group's own path).
fn expand(tail: &str) -> Vec<String> {
    let head: String = tail
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
        .collect();
    let head = head.trim_end_matches(':').to_owned();
    let after = &tail[head.len()..].trim_start_matches(':');
    if !after.starts_with('{') {
        return vec![head];
    }
    let mut depth = 0;
    let mut end = after.len();
    for (i, c) in after.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    end = i;
                    break;
                }
            }
            _ => {}
        }
    }
    let inner = &after[1..end];
    let mut out = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    let mut branches = Vec::new();
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                branches.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    branches.push(&inner[start..]);
    for branch in branches {
        let branch = branch.trim();
        if branch.is_empty() {
            continue;
        }
        for sub in expand(branch) {
            if sub == "self" || sub.is_empty() {
                out.push(head.clone());
            } else if head.is_empty() {
                out.push(sub);
            } else {
                out.push(format!("{head}::{sub}"));
            }
        }
    }
    out
}

/// The paths a module names of its own children, relatively (`plan::fmt` in `quality`, or
/// `self::plan::fmt`).
fn child_paths(code: &str, module: &str, modules: &BTreeSet<String>) -> Vec<String> {
    let prefix = if module.is_empty() {
        String::new()
    } else {
        format!("{module}::")
    };
    let children = modules.iter().filter_map(|m| {
        m.strip_prefix(prefix.as_str())
            .filter(|c| !m.is_empty() && !c.contains("::"))
    });
    let mut paths = Vec::new();
    for child in children {
        let needle = format!("{child}::");
        let mut rest = code;
        while let Some(at) = rest.find(&needle) {
            let before = &rest[..at];
            rest = &rest[at + needle.len()..];
            let attached = before.ends_with("self::")
                || !before.ends_with("::") && !before.ends_with(|c: char| c.is_alphanumeric() || c == '_');
            if attached && !before.ends_with("crate::") && !before.ends_with("super::") {
                paths.push(format!("{prefix}{child}"));
            }
        }
    }
    paths
}

fn parent(module: &str) -> String {
    match module.rfind("::") {
        Some(at) => module[..at].to_owned(),
        None => String::new(),
    }
}

/// The longest module of `modules` that `path` starts with.
fn resolve(path: &str, modules: &BTreeSet<String>) -> Option<String> {
    let parts: Vec<&str> = path.split("::").collect();
    (1..=parts.len())
        .rev()
        .map(|n| parts[..n].join("::"))
        .find(|candidate| modules.contains(candidate))
        .or_else(|| modules.contains("").then(String::new))
}

fn layer(module: &str) -> Option<u8> {
    let first = module.split("::").next().unwrap_or_default();
    PLATFORM_LAYERS
        .iter()
        .find(|(name, _)| *name == first)
        .map(|(_, rank)| *rank)
}

fn shown(module: &str) -> &str {
    if module.is_empty() { "lib.rs" } else { module }
}

/// What breaks the rules: a module of no layer, an import upward, `http` named below the wiring,
/// and every circle.
pub fn violations(graph: &Graph) -> Vec<String> {
    let mut found = Vec::new();
    for (from, targets) in graph {
        let Some(from_layer) = layer(from) else {
            found.push(format!(
                "`{}` belongs to no layer; add it to PLATFORM_LAYERS and ARCHITECTURE.md",
                shown(from)
            ));
            continue;
        };
        for to in targets {
            let to_layer = layer(to).unwrap_or(u8::MAX);
            if to_layer > from_layer {
                found.push(format!(
                    "`{}` imports `{}` from a layer above it",
                    shown(from),
                    shown(to)
                ));
            }
            if to.split("::").next() == Some("http")
                && from.split("::").next() != Some("http")
                && !HTTP_WIRING.contains(&from.as_str())
            {
                found.push(format!("`{}` imports from `http`", shown(from)));
            }
        }
    }
    for circle in circles(graph) {
        let names: Vec<&str> = circle.iter().map(|m| shown(m)).collect();
        found.push(format!("a circle: {}", names.join(" -> ")));
    }
    found
}

/// The strongly connected components of more than one module (Tarjan's algorithm, iteratively
/// small enough here to be recursive).
fn circles(graph: &Graph) -> Vec<Vec<String>> {
    struct Walk<'g> {
        graph: &'g Graph,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        next: usize,
        out: Vec<Vec<String>>,
    }
    impl<'g> Walk<'g> {
        fn visit(&mut self, v: &'g str) {
            self.index.insert(v, self.next);
            self.low.insert(v, self.next);
            self.next += 1;
            self.stack.push(v);
            self.on_stack.insert(v);
            for w in self.graph.get(v).into_iter().flatten() {
                let w = w.as_str();
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let low = self.low[v].min(self.low[w]);
                    self.low.insert(v, low);
                } else if self.on_stack.contains(w) {
                    let low = self.low[v].min(self.index[w]);
                    self.low.insert(v, low);
                }
            }
            if self.low[v] == self.index[v] {
                let mut component = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack.remove(w);
                    component.push(w.to_owned());
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.reverse();
                    self.out.push(component);
                }
            }
        }
    }
    let mut walk = Walk {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !walk.index.contains_key(v.as_str()) {
            walk.visit(v);
        }
    }
    walk.out
}

/// The graph as lines `module -> a, b`, by layer.
pub fn render(graph: &Graph) -> String {
    let mut modules: Vec<&String> = graph.keys().collect();
    modules.sort_by_key(|m| (layer(m).unwrap_or(u8::MAX), m.as_str()));
    let mut out = String::new();
    for module in modules {
        let targets: Vec<&str> = graph[module].iter().map(|t| shown(t)).collect();
        out.push_str(&format!(
            "[{}] {} -> {}\n",
            layer(module).map_or("?".to_owned(), |l| l.to_string()),
            shown(module),
            if targets.is_empty() {
                "(nothing)".to_owned()
            } else {
                targets.join(", ")
            }
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(edges: &[(&str, &[&str])]) -> Graph {
        edges
            .iter()
            .map(|(from, to)| (from.to_string(), to.iter().map(|t| t.to_string()).collect()))
            .collect()
    }

    #[test]
    fn groups_super_and_inline_paths_are_all_read() {
        let code = "use crate::{state::AppState, services::{catalog::{self, Tx}, auth}};\n\
                    fn f() { crate::store::now_ms(); super::sibling::g(); } // crate::http::x\n";
        let mut paths = crate_paths(&without_comments(code), "services::jobs");
        paths.sort();
        assert_eq!(
            paths,
            [
                "services::auth",
                "services::catalog",
                "services::catalog::Tx",
                "services::sibling::g",
                "state::AppState",
                "store::now_ms"
            ]
        );
    }

    #[test]
    fn an_upward_import_a_circle_and_http_below_the_wiring_are_refused() {
        let bad = graph(&[
            ("store", &["services::catalog"]),
            ("services::catalog", &["services::lineage"]),
            ("services::lineage", &["services::catalog"]),
            ("demo", &["http::products"]),
            ("http::products", &[]),
        ]);
        let found = violations(&bad).join("\n");
        assert!(
            found.contains("`store` imports `services::catalog` from a layer above it"),
            "{found}"
        );
        assert!(
            found.contains("a circle: services::catalog -> services::lineage"),
            "{found}"
        );
        assert!(
            found.contains("`demo` imports `http::products` from a layer above it"),
            "{found}"
        );
        assert!(found.contains("`demo` imports from `http`"), "{found}");
        let good = graph(&[
            ("server", &["http", "services::jobs"]),
            ("services::jobs", &["store"]),
        ]);
        assert!(violations(&good).is_empty());
    }

    #[test]
    fn the_platform_crate_keeps_its_layers() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../meshport-platform/src");
        let graph = module_graph(&src).unwrap();
        assert!(graph.len() > 20, "read {} modules", graph.len());
        assert!(
            graph["services::jobs"].contains("services::catalog"),
            "{}",
            render(&graph)
        );
        let found = violations(&graph);
        assert!(found.is_empty(), "{}\n\n{}", found.join("\n"), render(&graph));
    }
}
