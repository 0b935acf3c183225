//! `cargo xtask`: the project's two front doors, `start` and `test`, in Rust so they run wherever cargo
//! does. Each step installs what is missing (Debian packages, npm packages, tauri-driver) before it
//! needs it, so both work on a brand-new machine.
//!
//! Std only: this binary is built before anything else and must build in seconds.

use std::env;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

/// Debian packages the desktop build and the end-to-end test need (see ARCHITECTURE.md).
const DEBIAN_PACKAGES: &[&str] = &[
    "build-essential",
    "pkg-config",
    "libwebkit2gtk-4.1-dev",
    "libxdo-dev",
    "libssl-dev",
    "librsvg2-dev",
    "xvfb",
    "xauth",
    "webkit2gtk-driver",
    "xdotool",
];

const TAURI_DRIVER_VERSION: &str = "2.1.0";

type Result<T = (), E = String> = std::result::Result<T, E>;

fn main() -> ExitCode {
    let all: Vec<String> = env::args().collect();
    let args = all.get(1..).unwrap_or_default();
    let result = match args.first().map(String::as_str) {
        Some("start") => start(&args[1..]),
        Some("test") => test(&args[1..]),
        Some("deps") => system_packages().and_then(|()| npm_ci()),
        Some("bench-desktop") => bench_desktop(),
        Some("e2e") => system_packages()
            .and_then(|()| npm_ci())
            .and_then(|()| npm("build"))
            .and_then(|()| end_to_end()),
        _ => {
            eprintln!(
                "usage: cargo xtask <command>\n\n\
                 commands:\n  \
                 start [--debug]   install what is missing, build, and open Meshport with its demo catalog\n  \
                 test [--no-e2e]   install what is missing and run every suite: lint, Rust, UI, end to end\n  \
                 e2e               build the UI and the desktop app, and run the end-to-end test only\n  \
                 bench-desktop     start time and memory (PSS) of Meshport beside a hello-world Tauri app\n  \
                 deps              install the Debian and npm packages only"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the workspace root exists")
}

fn target_dir() -> PathBuf {
    env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

fn step(title: &str) {
    println!("\n==> {title}");
}

/// Runs a command to completion, failing with its command line if it fails.
fn run(program: &str, args: &[&str], dir: &Path) -> Result {
    run_cmd(Command::new(program).args(args).current_dir(dir))
}

fn run_cmd(cmd: &mut Command) -> Result {
    let line = format!(
        "{} {}",
        cmd.get_program().to_string_lossy(),
        cmd.get_args()
            .map(OsStr::to_string_lossy)
            .collect::<Vec<_>>()
            .join(" ")
    );
    let started = Instant::now();
    let status = cmd.status().map_err(|e| format!("cannot run `{line}`: {e}"))?;
    println!("    ({line}: {:.1} s)", started.elapsed().as_secs_f64());
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{line}` failed with {status}"))
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

/// Installs the Debian packages that are missing, with apt-get (through sudo when not root).
fn system_packages() -> Result {
    let missing: Vec<&str> = DEBIAN_PACKAGES
        .iter()
        .copied()
        .filter(|pkg| {
            !Command::new("dpkg-query")
                .args(["-W", "-f=${Status}", pkg])
                .output()
                .is_ok_and(|o| o.stdout.ends_with(b"install ok installed"))
        })
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    step(&format!("installing Debian packages: {}", missing.join(" ")));
    let sudo: &[&str] = if is_root() { &[] } else { &["sudo"] };
    let apt = |args: &[&str]| {
        let mut all: Vec<&str> = sudo.to_vec();
        all.extend_from_slice(args);
        let mut cmd = Command::new(all[0]);
        cmd.args(&all[1..]).env("DEBIAN_FRONTEND", "noninteractive");
        run_cmd(&mut cmd)
    };
    apt(&["apt-get", "update", "-qq"])?;
    let mut install = vec!["apt-get", "install", "-y", "-qq", "--no-install-recommends"];
    install.extend(&missing);
    apt(&install)
}

/// `npm ci` in ui/ unless node_modules already matches the lock file.
fn npm_ci() -> Result {
    let ui = root().join("ui");
    let stamp = ui.join("node_modules/.package-lock.json");
    let lock = ui.join("package-lock.json");
    let fresh = match (
        stamp.metadata().and_then(|m| m.modified()),
        lock.metadata().and_then(|m| m.modified()),
    ) {
        (Ok(installed), Ok(locked)) => installed >= locked,
        _ => false,
    };
    if fresh && env::var_os("CI").is_none() {
        return Ok(());
    }
    step("installing UI packages (npm ci)");
    run("npm", &["ci", "--no-audit", "--no-fund"], &ui)
}

fn npm(script: &str) -> Result {
    step(&format!("ui: npm run {script}"));
    run("npm", &["run", script], &root().join("ui"))
}

fn cargo(args: &[&str]) -> Result {
    step(&format!("cargo {}", args.join(" ")));
    run(env::var("CARGO").as_deref().unwrap_or("cargo"), args, &root())
}

fn desktop_binary(profile: &str) -> PathBuf {
    target_dir().join(profile).join("meshport-desktop")
}

fn has_display() -> bool {
    env::var_os("DISPLAY").is_some() || env::var_os("WAYLAND_DISPLAY").is_some()
}

fn start(args: &[String]) -> Result {
    let debug = args.iter().any(|a| a == "--debug");
    system_packages()?;
    npm_ci()?;
    npm("build")?;
    let (profile, build_args): (&str, &[&str]) = if debug {
        ("debug", &["build", "-p", "meshport-desktop"])
    } else {
        ("release", &["build", "--release", "-p", "meshport-desktop"])
    };
    cargo(build_args)?;
    let binary = desktop_binary(profile);
    step(&format!("starting {}", binary.display()));
    if has_display() {
        run_cmd(&mut Command::new(&binary))
    } else {
        println!("    no DISPLAY: running under a virtual display (xvfb-run); see README for a screenshot");
        run_cmd(
            Command::new("xvfb-run")
                .args(["-a", "-s", "-screen 0 1280x900x24"])
                .arg(&binary),
        )
    }
}

fn test(args: &[String]) -> Result {
    let e2e = !args.iter().any(|a| a == "--no-e2e");
    let started = Instant::now();
    system_packages()?;
    npm_ci()?;
    cargo(&["fmt", "--all", "--check"])?;
    // The desktop crate embeds ui/dist at compile time, so the UI is built (and type-checked) first.
    npm("build")?;
    npm("lint")?;
    cargo(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--locked",
        "--",
        "-D",
        "warnings",
    ])?;
    cargo(&["test", "--locked"])?;
    npm("test")?;
    if e2e {
        end_to_end()?;
    }
    println!("\nall suites passed in {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// Kills a child and everything it started (its process group) when dropped, so a failing step
/// leaves nothing running: tauri-driver starts WebKitWebDriver, which starts the app.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let group = format!("-{}", self.0.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        sleep(Duration::from_millis(300));
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.0.wait();
    }
}

fn spawn(cmd: &mut Command) -> Result<Guard> {
    use std::os::unix::process::CommandExt;
    cmd.process_group(0)
        .spawn()
        .map(Guard)
        .map_err(|e| format!("cannot start {:?}: {e}", cmd.get_program()))
}

/// A TCP port on loopback that nothing listens on now.
fn free_port() -> Result<u16> {
    std::net::TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}

fn wait_for(what: &str, timeout: Duration, mut ready: impl FnMut() -> bool) -> Result {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if ready() {
            return Ok(());
        }
        sleep(Duration::from_millis(100));
    }
    Err(format!("{what} did not come up within {} s", timeout.as_secs()))
}

/// Builds the desktop app and drives its real window under Xvfb with tauri-driver and WebKitWebDriver.
fn end_to_end() -> Result {
    cargo(&["build", "--locked", "-p", "meshport-desktop"])?;
    let tools = target_dir().join("tools");
    let driver = tools.join("bin/tauri-driver");
    if !driver.exists() {
        let root = tools.to_string_lossy().into_owned();
        cargo(&[
            "install",
            "tauri-driver",
            "--locked",
            "--version",
            TAURI_DRIVER_VERSION,
            "--root",
            &root,
        ])?;
    }

    step("end to end: the real window under Xvfb, driven by tauri-driver");
    let (_xvfb, display) = start_xvfb()?;

    // A data folder of its own: the test never touches the user's catalog.
    let home = env::temp_dir().join(format!("meshport-e2e-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&home);
    std::fs::create_dir_all(&home).map_err(|e| format!("cannot create {}: {e}", home.display()))?;
    let port = free_port()?.to_string();
    let native_port = free_port()?.to_string();
    let _driver = spawn(
        Command::new(&driver)
            .args(["--port", &port, "--native-port", &native_port])
            .env("DISPLAY", &display)
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_CACHE_HOME", home.join("cache"))
            // No GPU under Xvfb; WebKit's compositing would only fail over to software anyway.
            .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1"),
    )?;
    wait_for("tauri-driver", Duration::from_secs(20), || {
        std::net::TcpStream::connect(format!("127.0.0.1:{port}")).is_ok()
    })?;
    let binary = desktop_binary("debug");
    let result = run_cmd(
        Command::new("node")
            .args(["--test", "--test-concurrency=1", "tests/e2e/"])
            .current_dir(root())
            .env("MESHPORT_DESKTOP_BIN", &binary)
            .env("TAURI_DRIVER_PORT", &port),
    );
    let _ = std::fs::remove_dir_all(&home);
    result
}

/// Measures start-up and memory of the release desktop app beside a hello-world Tauri app, each in
/// the same run under the same Xvfb: time until the window is mapped, then, once settled, the PSS
/// summed over the app and every process it started (WebKit's web and network processes).
fn bench_desktop() -> Result {
    system_packages()?;
    npm_ci()?;
    npm("build")?;
    cargo(&[
        "build",
        "--release",
        "--locked",
        "-p",
        "meshport-desktop",
        "-p",
        "hello-tauri",
    ])?;
    let release = target_dir().join("release");
    for name in ["meshport-desktop", "hello-tauri"] {
        let size = release.join(name).metadata().map(|m| m.len()).unwrap_or(0);
        println!("    {name}: release binary {:.1} MB", size as f64 / 1e6);
    }
    let display = start_xvfb()?;
    let runs: usize = env::var("RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(3);
    println!(
        "\n{:<18} {:>14} {:>12} {:>12} {:>10}",
        "app", "window after", "PSS total", "RSS total", "processes"
    );
    let mut medians = Vec::new();
    for (name, title) in [("meshport-desktop", "Meshport"), ("hello-tauri", "hello-tauri")] {
        let mut samples = Vec::new();
        for _ in 0..runs {
            samples.push(measure_app(&release.join(name), title, &display.1)?);
        }
        samples.sort_by_key(|s| s.pss_kb);
        let median = samples[samples.len() / 2];
        println!(
            "{name:<18} {:>12.2} s {:>9.1} MB {:>9.1} MB {:>10}",
            median.window_secs,
            median.pss_kb as f64 / 1024.0,
            median.rss_kb as f64 / 1024.0,
            median.processes
        );
        medians.push(median);
    }
    println!(
        "\nMeshport uses {:.2}x the PSS of a hello-world Tauri app (median of {runs} runs, WEBKIT_DISABLE_COMPOSITING_MODE=1)",
        medians[0].pss_kb as f64 / medians[1].pss_kb as f64
    );
    Ok(())
}

#[derive(Debug, Clone, Copy)]
struct Sample {
    window_secs: f64,
    pss_kb: u64,
    rss_kb: u64,
    processes: usize,
}

fn start_xvfb() -> Result<(Guard, String)> {
    let display = (90..200)
        .find(|n| !Path::new(&format!("/tmp/.X{n}-lock")).exists())
        .ok_or("no free X display number")?;
    let display = format!(":{display}");
    let xvfb = spawn(
        Command::new("Xvfb")
            .args([&display, "-screen", "0", "1280x900x24", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null()),
    )?;
    let socket = format!("/tmp/.X11-unix/X{}", &display[1..]);
    wait_for("Xvfb", Duration::from_secs(20), || Path::new(&socket).exists())?;
    Ok((xvfb, display))
}

fn measure_app(binary: &Path, title: &str, display: &str) -> Result<Sample> {
    let home = env::temp_dir().join(format!("meshport-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&home);
    let started = Instant::now();
    let app = spawn(
        Command::new(binary)
            .env("DISPLAY", display)
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_CACHE_HOME", home.join("cache"))
            .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::null()),
    )?;
    let pattern = format!("^{title}$");
    wait_for("the window", Duration::from_secs(30), || {
        Command::new("xdotool")
            .args(["search", "--onlyvisible", "--name", &pattern])
            .env("DISPLAY", display)
            .output()
            .is_ok_and(|o| o.status.success() && !o.stdout.is_empty())
    })?;
    let window_secs = started.elapsed().as_secs_f64();
    // Let the page load and render (Meshport reads and shows its catalog) before measuring.
    sleep(Duration::from_secs(5));
    let pids = descendants(app.0.id());
    let (mut pss_kb, mut rss_kb) = (0, 0);
    for pid in &pids {
        if let Ok(text) = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")) {
            pss_kb += field_kb(&text, "Pss:");
            rss_kb += field_kb(&text, "Rss:");
        }
    }
    drop(app);
    let _ = std::fs::remove_dir_all(&home);
    Ok(Sample {
        window_secs,
        pss_kb,
        rss_kb,
        processes: pids.len(),
    })
}

/// `pid` and all its descendants, from /proc.
fn descendants(pid: u32) -> Vec<u32> {
    let mut parents: Vec<(u32, u32)> = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(child) = entry.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else {
            continue;
        };
        if let Ok(stat) = std::fs::read_to_string(format!("/proc/{child}/stat")) {
            // The parent pid is the second field after the parenthesised command name.
            let ppid = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1));
            if let Some(ppid) = ppid.and_then(|p| p.parse().ok()) {
                parents.push((child, ppid));
            }
        }
    }
    let mut found = vec![pid];
    let mut i = 0;
    while i < found.len() {
        let current = found[i];
        found.extend(
            parents
                .iter()
                .filter(|(_, ppid)| *ppid == current)
                .map(|(child, _)| *child),
        );
        i += 1;
    }
    found
}

fn field_kb(text: &str, field: &str) -> u64 {
    text.lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}
