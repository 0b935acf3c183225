//! Generates the Tauri context and one permission per app command, so that capabilities can grant the
//! window exactly the commands it uses.

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(&[
        "catalog_search",
        "sync_status",
        "sync_now",
        "draft_save",
        "drafts_list",
        "draft_get",
        "draft_remove",
        "product_submit",
        "outbox_list",
        "view_painted",
        "request_new",
        "product_unprovision",
        "catalog_product",
        "product_view",
        "cache_size",
        "product_lineage",
        "incidents_list",
        "incident_get",
        "request_yaml",
        "request_edit",
        "request_review",
        "request_check",
        "owned_domains",
        "documents_import",
        "request_export",
        "job_get",
        "job_cancel",
        "job_retry",
    ]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("failed to run tauri-build");
}
