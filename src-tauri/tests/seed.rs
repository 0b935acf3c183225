//! `meshport-desktop --seed-demo-platform DIR`: the process the app runs of itself at its first launch
//! to seed the embedded platform's demo mesh, run here as the app runs it (no window, no display).

use std::process::Command;

fn desktop() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_meshport-desktop"));
    cmd.env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1");
    cmd
}

#[test]
fn the_binary_seeds_the_demo_platform_and_exits_without_a_window() {
    let dir = tempfile::tempdir().unwrap();
    let platform = dir.path().join("platform");
    let run = desktop()
        .arg(meshport_desktop::SEED_DEMO)
        .arg(&platform)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{:?}\n{said}\n{}",
        run.status,
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        tauri::async_runtime::block_on(meshport_platform::embedded_seeded(&platform)),
        "the folder holds the seeded demo mesh: {said}"
    );
    // Its two provisioned products' ports are there, with their generated rows.
    let ports = std::fs::read_dir(platform.join("ports")).unwrap().count();
    assert!(ports >= 2, "{ports} port files");
}

#[test]
fn without_its_folder_it_exits_2_and_says_what_it_takes() {
    let run = desktop().arg(meshport_desktop::SEED_DEMO).output().unwrap();
    assert_eq!(run.status.code(), Some(2));
    let said = String::from_utf8_lossy(&run.stderr);
    assert!(
        said.contains("--seed-demo-platform takes the embedded platform's folder"),
        "{said}"
    );
}
