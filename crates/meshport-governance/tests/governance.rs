//! Integration tests of the governance checks, driven by the standards' examples and fixtures.

use std::path::{Path, PathBuf};

use meshport_governance::document::{self, Format};

fn standards() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/standards")
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
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
                let back = document::parse(&written).unwrap_or_else(|e| panic!("{}: {e}\n{written}", path.display()));
                assert_eq!(&back[0].value, tree, "{} via {format:?}:\n{written}", path.display());
            }
        }
    }
}

#[test]
fn positions_are_lines_and_columns_of_the_source() {
    let text = "apiVersion: v3.1.0\nschema:\n  - name: orders\n    properties:\n      - name: id\n        logicalType: strin\n";
    let parsed = document::parse(text).unwrap().remove(0);
    let at = parsed.positions.locate("/schema/0/properties/0/logicalType").unwrap();
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
    assert!(err.message.contains("duplicate") || err.message.contains("key"), "{err}");
}
