//! Integration tests of the model: generated schemas are fresh, and standard examples read and write
//! back the same tree.

use std::path::{Path, PathBuf};

use meshport_model::{DataProduct, schema};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

fn standards() -> PathBuf {
    workspace_root().join("../shared/standards")
}

/// Regenerates `schemas/` and fails, naming the command, if any committed file differed.
#[test]
fn generated_schemas_are_fresh() {
    let dir = workspace_root().join("schemas");
    std::fs::create_dir_all(&dir).unwrap();
    let mut stale = Vec::new();
    for (stem, value) in schema::all() {
        let path = dir.join(format!("{stem}.schema.json"));
        let fresh = schema::to_file_text(&value);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current != fresh {
            std::fs::write(&path, fresh).unwrap();
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "stale generated schemas, now rewritten: {stale:?}\n\
         Review and commit them (regenerate with `cargo test -p meshport-model --test model`)."
    );
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

#[test]
fn odps_examples_round_trip() {
    let files = yaml_files(&standards().join("odps/examples"));
    assert!(!files.is_empty());
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let tree: serde_json::Value = serde_yaml_ng::from_str(&text).unwrap();
        let product: DataProduct = serde_json::from_value(tree.clone())
            .unwrap_or_else(|e| panic!("{} does not parse: {e}", path.display()));
        let back = serde_json::to_value(&product).unwrap();
        assert_eq!(back, tree, "{} does not round-trip", path.display());
    }
}

#[test]
fn unknown_status_is_refused() {
    let doc = serde_json::json!({"apiVersion": "v1.0.0", "kind": "DataProduct", "id": "x", "status": "shiny"});
    let err = serde_json::from_value::<DataProduct>(doc).unwrap_err().to_string();
    assert!(err.contains("unknown variant `shiny`"), "{err}");
}
