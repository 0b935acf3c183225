//! The offline journey through the CLI with a profile whose token lives in the real OS keyring: the
//! Secret Service of a gnome-keyring daemon on a private D-Bus session, which `cargo xtask test`
//! starts (no mock). Hence `#[ignore]`: run it as the harness does,
//!
//!   dbus-run-session -- sh -c 'echo -n pw | gnome-keyring-daemon --unlock --components=secrets; \
//!     cargo test -p meshport-cli --test keyring -- --ignored'
//!
//! profile add → login (a refused token stores nothing) → sync → validate with the synced packs →
//! draft → platform down → submit (queued) → platform back → outbox flush (delivered, succeeded) →
//! the same key again is the same job → the token is nowhere on disk nor in any output.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use meshport_platform::{AppState, Config, Platform, auth, demo};

fn config(dir: &Path) -> Config {
    let mut config = Config::new(&format!("sqlite://{}", dir.join("platform.db").display()));
    config.workers = 2;
    config.trust_tick = std::time::Duration::from_secs(3600);
    config
}

struct Env {
    runtime: tokio::runtime::Runtime,
    platform: Option<Platform>,
    addr: std::net::SocketAddr,
    token: String,
    home: tempfile::TempDir,
    _platform_dir: tempfile::TempDir,
    /// Every byte every command printed, to scan for the token.
    printed: String,
}

impl Env {
    fn start() -> Env {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let (platform, token) = runtime.block_on(async {
            let state = AppState::open(config(dir.path())).await.unwrap();
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let platform = Platform::serve(state.clone(), listener).unwrap();
            demo::demo_seed(&state).await.unwrap();
            let token = auth::token_create(state.store(), "owen").await.unwrap();
            (platform, token)
        });
        let addr: std::net::SocketAddr = platform.url().trim_start_matches("http://").parse().unwrap();
        Env {
            runtime,
            platform: Some(platform),
            addr,
            token,
            home: tempfile::tempdir().unwrap(),
            _platform_dir: dir,
            printed: String::new(),
        }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn stop(&mut self) {
        if let Some(platform) = self.platform.take() {
            self.runtime.block_on(platform.shutdown());
        }
    }

    /// The platform started again on its database and port, as after a restart of its process.
    fn restart(&mut self) {
        let config = config(self._platform_dir.path());
        let addr = self.addr;
        self.platform = Some(self.runtime.block_on(async move {
            let state = AppState::open(config).await.unwrap();
            let listener = tokio::net::TcpListener::bind(addr).await.unwrap();
            Platform::serve(state, listener).unwrap()
        }));
    }

    /// `meshport ARGS` with this user's own config and data folders, debug logs on; stdin given.
    fn run(&mut self, args: &[&str], stdin: &str) -> (Option<i32>, String, String) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_meshport"))
            .args(args)
            .env_remove("MESHPORT_DB")
            .env_remove("MESHPORT_PLATFORM")
            .env_remove("MESHPORT_TOKEN")
            .env_remove("MESHPORT_PROFILE")
            .env("MESHPORT_LOG", "debug")
            .env("XDG_DATA_HOME", self.home.path().join("data"))
            .env("XDG_CONFIG_HOME", self.home.path().join("config"))
            .current_dir(self.home.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        let (stdout, stderr) = (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        );
        self.printed.push_str(&stdout);
        self.printed.push_str(&stderr);
        (out.status.code(), stdout, stderr)
    }

    fn ok(&mut self, args: &[&str]) -> String {
        let (code, stdout, stderr) = self.run(args, "");
        assert_eq!(code, Some(0), "meshport {args:?}: {stdout}{stderr}");
        stdout
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        self.stop();
    }
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn returns_request() -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../meshport-platform/demo/returns-request.yaml");
    let text = std::fs::read_to_string(path).unwrap();
    serde_yaml_ng::from_str(&text).unwrap()
}

#[test]
#[ignore = "needs a Secret Service (the harness starts gnome-keyring on a private D-Bus session)"]
fn a_profile_in_the_keyring_syncs_validates_and_delivers_an_offline_submit_once() {
    let mut env = Env::start();
    let url = env.url();
    let token = env.token.clone();

    env.ok(&["profile", "add", "mesh", "--url", &url, "--user", "owen"]);
    let list = env.ok(&["profile", "list"]);
    assert!(list.contains("* mesh") && list.contains("token: none"), "{list}");

    // A token the platform refuses is not stored.
    let (code, _, stderr) = env.run(&["login", "--profile", "mesh"], "not-a-token\n");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("refused this token"), "{stderr}");
    assert!(env.ok(&["profile", "list"]).contains("token: none"));

    let (code, stdout, stderr) = env.run(&["login"], &format!("{token}\n"));
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(env.ok(&["profile", "list"]).contains("token: in keyring"));

    // The profile's platform, with the token from the keyring.
    let synced = env.ok(&["catalog", "sync"]);
    assert!(synced.contains("full sync"), "{synced}");
    let found = env.ok(&["catalog", "search", "orders"]);
    assert!(found.contains("Orders"), "{found}");

    // Governance offline: the synced packs judge a product with no steward, as the platform would.
    let mut product = returns_request()["product"].clone();
    product["team"]["members"] = serde_json::json!([{"username": "owen", "role": "owner"}]);
    let file = env.home.path().join("no-steward.json");
    std::fs::write(&file, product.to_string()).unwrap();
    let (code, stdout, _) = env.run(&["validate", file.to_str().unwrap()], "");
    assert_eq!(code, Some(1), "{stdout}");
    assert!(stdout.contains("data steward"), "{stdout}");

    // A draft, submitted while the platform is down: queued with its key.
    let mut request = returns_request();
    request["product"]["name"] = "Order Returns (offline)".into();
    let file = env.home.path().join("returns.json");
    std::fs::write(&file, request.to_string()).unwrap();
    let saved = env.ok(&["draft", "save", file.to_str().unwrap()]);
    let draft_id = saved.split_whitespace().nth(3).unwrap().to_owned();
    assert!(env.ok(&["draft", "list"]).contains("Order Returns (offline)"));

    env.stop();
    let queued = env.ok(&["draft", "submit", &draft_id]);
    assert!(
        queued.contains("queued") && queued.contains("cannot be reached"),
        "{queued}"
    );
    assert!(
        env.ok(&["draft", "list"]).contains("no drafts"),
        "the draft left with the submit"
    );
    let (code, _, stderr) = env.run(&["outbox", "flush"], "");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("cannot be reached"), "{stderr}");

    env.restart();
    let flushed = env.ok(&["outbox", "flush", "--follow"]);
    assert!(
        flushed.contains("delivered") && flushed.contains("succeeded"),
        "{flushed}"
    );
    let items: serde_json::Value =
        serde_json::from_str(&env.ok(&["outbox", "list", "--format", "json"])).unwrap();
    let item = &items[0];
    assert_eq!(item["state"], "delivered");
    assert!(
        item["attempts"].as_u64().unwrap() >= 2,
        "one unsent attempt, one delivered: {item}"
    );

    // A send repeated with the same key (a crash after the send, before the answer was stored) is
    // the platform's first job, not a second provisioning.
    let client = meshport_client::Client::new(&url, meshport_client::Secret::new(token.clone())).unwrap();
    let again = env
        .runtime
        .block_on(client.request_submit_document(&request, item["idempotencyKey"].as_str().unwrap()))
        .unwrap();
    assert!(again.replayed);
    assert_eq!(again.job.id, item["jobId"].as_str().unwrap());

    // A bare product, as the desktop form writes it: submitted with the platform's standard
    // infrastructure, online this time, and built.
    let mut product = returns_request()["product"].clone();
    product["id"] = "0d6f2f4e-8c1a-4f55-9a0e-6b2d9c7e5a31".into();
    product["name"] = "Returns by Reason".into();
    product.as_object_mut().unwrap().remove("outputPorts");
    let file = env.home.path().join("bare.json");
    std::fs::write(&file, product.to_string()).unwrap();
    let saved = env.ok(&["draft", "save", file.to_str().unwrap()]);
    let bare_id = saved.split_whitespace().nth(3).unwrap().to_owned();
    let submitted = env.ok(&["draft", "submit", &bare_id]);
    assert!(submitted.contains("Returns by Reason"), "{submitted}");
    let flushed = env.ok(&["outbox", "flush", "--follow"]);
    assert!(
        flushed
            .lines()
            .any(|l| l.contains("Returns by Reason") && l.contains("succeeded")),
        "{flushed}"
    );

    // The token is in no file Meshport wrote and in nothing it printed (debug logs included).
    let mut files = Vec::new();
    files_under(env.home.path(), &mut files);
    assert!(files.iter().any(|f| f.ends_with("profiles.json")));
    assert!(files.iter().any(|f| f.extension().is_some_and(|e| e == "db")));
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        assert!(
            !bytes.windows(token.len()).any(|w| w == token.as_bytes()),
            "the token is in {}",
            path.display()
        );
    }
    assert!(!env.printed.contains(&token), "the token was printed");

    env.ok(&["profile", "remove", "mesh"]);
    env.ok(&["profile", "add", "mesh", "--url", &url, "--user", "owen"]);
    assert!(
        env.ok(&["profile", "list"]).contains("token: none"),
        "removing the profile removed its token from the keyring"
    );
}
