//! The Meshport desktop shell: Tauri commands that each call one `meshport-core` operation.
//!
//! No logic lives here. State is the opened catalog; errors cross to the UI as `{code, message}`.

mod commands;

use meshport_core::Catalog;
use tauri::Manager;

/// The reference platform the app runs in-process as its default platform, once it has started.
#[derive(Debug)]
pub struct EmbeddedPlatform(pub meshport_platform::Platform);

/// What every command can reach.
#[derive(Debug)]
pub struct AppState {
    pub catalog: Catalog,
    /// The governance of the platform the app runs against: the demo mesh's packs for now.
    pub policies: meshport_core::PolicySet,
}

/// Starts the app with the default builder.
pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    run_app(tauri::Builder::default());
}

/// Starts the app on `builder`: opens the catalog (seeding the demo mesh on first start) and registers
/// the commands. The catalog is `$MESHPORT_DB` if set, else the user's data folder.
pub fn run_app(builder: tauri::Builder<tauri::Wry>) {
    builder
        .setup(|app| {
            let db = match std::env::var_os("MESHPORT_DB") {
                Some(path) => path.into(),
                None => meshport_core::paths::default_db_path()?,
            };
            tracing::info!(db = %db.display(), "opening the catalog");
            let catalog = tauri::async_runtime::block_on(meshport_core::catalog_open(&db))?;
            let policies = meshport_core::validate::policies_demo()?;
            app.manage(AppState { catalog, policies });
            // The embedded platform (the demo mesh) starts beside the window, not before it.
            let platform_dir = db
                .parent()
                .map(|d| d.join("platform"))
                .unwrap_or_else(|| "platform".into());
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                match meshport_platform::embedded_start(&platform_dir).await {
                    Ok(platform) => {
                        tracing::info!(url = %platform.url(), "embedded platform serving the demo mesh");
                        handle.manage(EmbeddedPlatform(platform));
                    }
                    Err(error) => tracing::error!(%error, "the embedded platform did not start"),
                }
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::products_list,
            commands::product_create
        ])
        .run(tauri::generate_context!())
        .expect("error while running Meshport");
}
