//! Integration tests of the `meshport` binary, run as a user runs it.

use std::process::Command;

fn meshport() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_meshport"));
    // Hermetic: never the user's data folder.
    cmd.env_remove("MESHPORT_DB").env("XDG_DATA_HOME", "/nonexistent-meshport-test");
    cmd
}

#[test]
fn version_prints_the_crate_version() {
    let out = meshport().arg("--version").output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap().trim(), format!("meshport {}", env!("CARGO_PKG_VERSION")));
}

#[test]
fn products_list_reads_the_catalog_given_by_db() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("catalog.db");
    let out = meshport().args(["products", "list", "--format", "json", "--db"]).arg(&db).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let list: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list.len(), 6, "the demo mesh");
    assert!(db.exists());

    let text = meshport().args(["products", "list", "--db"]).arg(&db).output().unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.starts_with("DOMAIN"), "{text}");
    assert!(text.contains("Customer 360"));
    assert!(text.trim_end().ends_with("6 data products"));
}

#[test]
fn an_unreadable_catalog_is_a_clear_error_with_status_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = meshport().args(["products", "list", "--db"]).arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("opening the catalog"), "{stderr}");
}
