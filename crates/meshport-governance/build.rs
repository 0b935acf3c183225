//! Embeds the shipped policy packs (`packs/<name>/`) into the crate, so the binaries carry them and
//! the library reads no files at run time; and writes the standards' official schemas
//! (`schemas/standards/`) without their annotations, which validation never reads.

use std::fmt::Write as _;
use std::path::Path;

/// The crate's folder as cargo names it when it runs this script (not when it compiled it: a build
/// script compiled for another checkout of the same source, in a shared target folder, would read
/// that checkout's files, or fail once it is gone).
fn manifest_dir() -> std::path::PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .expect("cargo sets CARGO_MANIFEST_DIR for build scripts")
        .into()
}

fn main() {
    let root = manifest_dir().join("packs");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut packs: Vec<_> = std::fs::read_dir(&root)
        .expect("packs/ exists")
        .map(|e| e.unwrap().path())
        .collect();
    packs.sort();
    let mut out = String::from("/// Every shipped pack: its folder name and its files (path, text).\n");
    out.push_str("pub static SHIPPED: &[(&str, &[(&str, &str)])] = &[\n");
    for pack in packs.iter().filter(|p| p.is_dir()) {
        println!("cargo:rerun-if-changed={}", pack.display());
        let mut files: Vec<_> = std::fs::read_dir(pack)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        let name = pack.file_name().unwrap().to_string_lossy();
        writeln!(out, "    ({name:?}, &[").unwrap();
        for file in files.iter().filter(|f| f.is_file()) {
            println!("cargo:rerun-if-changed={}", file.display());
            let file_name = file.file_name().unwrap().to_string_lossy();
            writeln!(
                out,
                "        ({file_name:?}, include_str!({:?})),",
                file.display().to_string()
            )
            .unwrap();
        }
        out.push_str("    ]),\n");
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("packs.rs");
    std::fs::write(dest, out).unwrap();
    standards_compact();
}

/// Each `schemas/standards/*.json` minified and without the keywords that only annotate
/// (`description`, `examples`, `title`, `default`, `deprecated`, `$comment`): a third of the text,
/// which a `meshport validate` run parses and compiles at start; ODCS schemas are also split into the
/// document without its servers and a schema per server type ([`servers_split`]), written to
/// `standards_servers.rs`. The whole compact schema is written too (`full-*.json`), for the tests that
/// hold the split to it. The vendored files stay as published; the tests compare those.
fn standards_compact() {
    let dir = manifest_dir().join("../../schemas/standards");
    println!("cargo:rerun-if-changed={}", dir.display());
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).to_path_buf();
    let mut servers = String::from(
        "/// Each ODCS schema's server types: (schema file, server type, `\"\"` for a type it does not \
         list, the schema of such a server).\npub static SERVER_SCHEMAS: &[(&str, &str, &str)] = &[\n",
    );
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("schemas/standards/ exists")
        .map(|e| e.unwrap())
        .collect();
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        println!("cargo:rerun-if-changed={}", path.display());
        let mut schema: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
            .expect("the vendored schemas are JSON");
        strip_annotations(&mut schema);
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        // The whole schema, compact, for the tests that hold the split below to it.
        std::fs::write(out.join(format!("full-{name}")), schema.to_string()).unwrap();
        for (server_type, text) in servers_split(&mut schema) {
            writeln!(servers, "    ({name:?}, {server_type:?}, {text:?}),").unwrap();
        }
        std::fs::write(out.join(&name), schema.to_string()).unwrap();
    }
    servers.push_str("];\n");
    std::fs::write(out.join("standards_servers.rs"), servers).unwrap();
}

/// Takes the servers out of an ODCS schema, whose `Server` is a list of `if: {type: const}` / `then`
/// branches, one per server type (a third of the schema): `servers` items are left unchecked by the
/// schema that remains, and each server type gets a schema of its own (the `Server` definition with
/// that type's branch alone, and the definitions it refers to), plus one with no branch for a type
/// the standard does not list. For a server of type T the branches of the other types are `if`s that
/// fail, which neither assert nor annotate, so checking a server against T's schema is checking it
/// against the whole `Server`; the tests hold the two to the same errors. A run then compiles the
/// server types its documents use, not all of them. Returns `(type, schema text)`, `""` the type of
/// the schema with no branch; nothing (and the schema unchanged) when the schema is not of that shape.
fn servers_split(schema: &mut serde_json::Value) -> Vec<(String, String)> {
    use serde_json::{Map, Value, json};
    let server_ref = json!({"$ref": "#/$defs/Server"});
    if schema.pointer("/properties/servers/items") != Some(&server_ref) {
        return Vec::new();
    }
    let Some(branches) = schema
        .pointer("/$defs/Server/allOf")
        .and_then(Value::as_array)
        .cloned()
    else {
        return Vec::new();
    };
    let type_of = |branch: &Value| {
        branch
            .pointer("/if/properties/type/const")
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    if branches
        .iter()
        .any(|b| type_of(b).is_none() || b.pointer("/then/$ref").is_none())
    {
        return Vec::new();
    }
    let defs = schema["$defs"].clone();
    let mut rest = schema.clone();
    let rest_defs = rest["$defs"].as_object_mut().unwrap();
    rest_defs.remove("Server");
    rest_defs.remove("ServerSource");
    rest["properties"]["servers"]["items"] = Value::Bool(true);
    if rest.to_string().contains("#/$defs/Server") {
        return Vec::new(); // Referred to from elsewhere: keep the schema whole.
    }
    let mut split = Vec::new();
    let mut variants: Vec<(String, Vec<Value>)> = branches
        .iter()
        .map(|b| (type_of(b).unwrap(), vec![b.clone()]))
        .collect();
    variants.push((String::new(), Vec::new()));
    for (server_type, kept) in variants {
        let mut server = defs["Server"].clone();
        server["allOf"] = Value::Array(kept);
        // The definitions `Server` needs, copied by their path under `$defs`.
        let mut needed = Map::new();
        needed.insert("Server".into(), server.clone());
        let mut pending = refs_in(&server);
        let mut seen = std::collections::BTreeSet::new();
        while let Some(reference) = pending.pop() {
            if !seen.insert(reference.clone()) {
                continue;
            }
            let pointer = reference.trim_start_matches("#/$defs");
            let target = defs
                .pointer(pointer)
                .unwrap_or_else(|| panic!("{reference} resolves"))
                .clone();
            pending.extend(refs_in(&target));
            let mut at = &mut needed;
            let segments: Vec<&str> = pointer.trim_start_matches('/').split('/').collect();
            for segment in &segments[..segments.len() - 1] {
                at = at
                    .entry(segment.to_string())
                    .or_insert_with(|| Value::Object(Map::new()))
                    .as_object_mut()
                    .unwrap();
            }
            at.insert(segments[segments.len() - 1].to_string(), target);
        }
        let mut own = Map::new();
        if let Some(draft) = schema.get("$schema") {
            own.insert("$schema".into(), draft.clone());
        }
        own.insert("$ref".into(), "#/$defs/Server".into());
        own.insert("$defs".into(), Value::Object(needed));
        split.push((server_type, Value::Object(own).to_string()));
    }
    *schema = rest;
    split
}

/// Every `$ref` under `value` that points into `$defs`.
fn refs_in(value: &serde_json::Value) -> Vec<String> {
    use serde_json::Value;
    match value {
        Value::Object(map) => map
            .iter()
            .flat_map(|(key, child)| match (key.as_str(), child) {
                ("$ref", Value::String(r)) if r.starts_with("#/$defs/") => vec![r.clone()],
                _ => refs_in(child),
            })
            .collect(),
        Value::Array(items) => items.iter().flat_map(refs_in).collect(),
        _ => Vec::new(),
    }
}

/// Removes annotation keywords from a schema and its subschemas, never touching data (`enum`,
/// `const`, `required`) or the names under `properties` and `$defs`.
fn strip_annotations(schema: &mut serde_json::Value) {
    use serde_json::Value;
    const ANNOTATIONS: [&str; 6] = [
        "description",
        "examples",
        "title",
        "default",
        "deprecated",
        "$comment",
    ];
    let Value::Object(map) = schema else {
        return;
    };
    for key in ANNOTATIONS {
        map.remove(key);
    }
    for (key, value) in map.iter_mut() {
        match key.as_str() {
            // Maps of names to subschemas (ODCS keeps its server types one level deeper in `$defs`).
            "properties" | "$defs" | "definitions" | "patternProperties" | "dependentSchemas" => {
                for child in value.as_object_mut().into_iter().flat_map(|m| m.values_mut()) {
                    if key == "$defs"
                        && child
                            .as_object()
                            .is_some_and(|c| c.keys().all(|k| !is_keyword(k)))
                    {
                        for grandchild in child.as_object_mut().unwrap().values_mut() {
                            strip_annotations(grandchild);
                        }
                    } else {
                        strip_annotations(child);
                    }
                }
            }
            "items"
            | "additionalProperties"
            | "unevaluatedProperties"
            | "not"
            | "if"
            | "then"
            | "else"
            | "contains"
            | "propertyNames"
            | "additionalItems"
            | "unevaluatedItems" => strip_annotations(value),
            "allOf" | "anyOf" | "oneOf" | "prefixItems" => {
                for child in value.as_array_mut().into_iter().flatten() {
                    strip_annotations(child);
                }
            }
            _ => {}
        }
    }
}

/// Whether `key` is a JSON Schema keyword (of the vocabularies the standards' schemas use), as
/// opposed to a name under which `$defs` groups further definitions (ODCS's `ServerSource`).
fn is_keyword(key: &str) -> bool {
    key.starts_with('$')
        || [
            "type",
            "properties",
            "items",
            "allOf",
            "anyOf",
            "oneOf",
            "not",
            "if",
            "then",
            "else",
            "required",
            "enum",
            "const",
            "additionalProperties",
            "unevaluatedProperties",
            "format",
            "pattern",
            "minItems",
            "maxItems",
            "uniqueItems",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "minLength",
            "maxLength",
            "minProperties",
            "maxProperties",
            "description",
            "examples",
            "title",
            "default",
            "deprecated",
            "patternProperties",
            "propertyNames",
            "contains",
            "dependentRequired",
            "dependentSchemas",
            "multipleOf",
        ]
        .contains(&key)
}
