//! The smallest Tauri 2 app: one window showing a static page. Benchmarks compare Meshport with it.

/// The page's first frame was painted, `since_load_ms` after the page began (its clock): printed for
/// `cargo xtask bench-desktop`, as Meshport logs its catalog's first paint.
#[tauri::command]
fn painted(since_load_ms: f64) {
    println!("page painted since_load_ms={since_load_ms}");
}

fn main() {
    tauri::Builder::default()
        // When the webview began to load the page: `cargo xtask bench-desktop` reads the line, to
        // compare Meshport's with it.
        .on_page_load(|_, payload| {
            if payload.event() == tauri::webview::PageLoadEvent::Started {
                println!("page load started");
            }
        })
        .invoke_handler(tauri::generate_handler![painted])
        .run(tauri::generate_context!())
        .expect("error while running the hello-world app");
}
