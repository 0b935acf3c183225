//! The smallest Tauri 2 app: one window showing a static page. Benchmarks compare Meshport with it.

fn main() {
    tauri::Builder::default()
        .run(tauri::generate_context!())
        .expect("error while running the hello-world app");
}
