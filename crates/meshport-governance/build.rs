//! Embeds the shipped policy packs (`packs/<name>/`) into the crate, so the binaries carry them and
//! the library reads no files at run time; and writes the standards' official schemas
//! (`schemas/standards/`) without their annotations, which validation never reads.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("packs");
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
/// which a `meshport validate` run parses and compiles at start. The vendored files stay as
/// published; the tests compare those.
fn standards_compact() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas/standards");
    println!("cargo:rerun-if-changed={}", dir.display());
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).to_path_buf();
    for entry in std::fs::read_dir(&dir).expect("schemas/standards/ exists") {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        println!("cargo:rerun-if-changed={}", path.display());
        let mut schema: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
            .expect("the vendored schemas are JSON");
        strip_annotations(&mut schema);
        std::fs::write(out.join(path.file_name().unwrap()), schema.to_string()).unwrap();
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
