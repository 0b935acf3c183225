//! The smallest Tauri 2 app: one window showing a static page. Benchmarks compare Meshport with it.

fn main() {
    tauri::Builder::default()
        // When the webview began to load the page: `cargo xtask bench-desktop` reads the line, to
        // compare Meshport's with it.
        .on_page_load(|_, payload| {
            if payload.event() == tauri::webview::PageLoadEvent::Started {
                println!("page load started");
            }
        })
        .run(tauri::generate_context!())
        .expect("error while running the hello-world app");
}
