//! Generates the Tauri context of the baseline app.

fn main() {
    tauri_build::build();
}
