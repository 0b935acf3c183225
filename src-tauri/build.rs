//! Generates the Tauri context and one permission per app command, so that capabilities can grant the
//! window exactly the commands it uses.

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(&["products_list", "product_create"]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("failed to run tauri-build");
}
