//! Generates the Tauri context and one permission per app command, so that capabilities can grant the
//! window exactly the commands it uses.

fn main() {
    pack_relative_relocations();
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
        "incident_act",
        "incident_actions",
        "action_dismiss",
        "access_list",
        "access_request",
        "access_ask_dismiss",
        "access_decide",
        "port_rows",
        "profiles_list",
        "profile_sign_in",
        "profile_use",
        "profile_remove",
        "quality_history",
        "quality_home",
        "notice_counts",
        "notices_seen",
    ]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("failed to run tauri-build");
}

/// Links the app with its relative relocations packed (`DT_RELR`) where the C library can load them
/// (glibc 2.36 and later). A position-independent binary of this size holds about 50,000 of them,
/// 24 bytes each: 1.2 MB that the loader reads at every launch and that stays mapped, against a few
/// KB packed. Elsewhere (another libc, an older glibc) the binary is linked as before.
fn pack_relative_relocations() {
    let linux_gnu = std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux")
        && std::env::var("CARGO_CFG_TARGET_ENV").as_deref() == Ok("gnu");
    let native = std::env::var("TARGET").ok() == std::env::var("HOST").ok();
    if linux_gnu && native && glibc_at_least(2, 36) {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}

/// Whether this machine's glibc (`getconf GNU_LIBC_VERSION`: "glibc 2.36") is `major.minor` or later.
fn glibc_at_least(major: u32, minor: u32) -> bool {
    let Ok(out) = std::process::Command::new("getconf")
        .arg("GNU_LIBC_VERSION")
        .output()
    else {
        return false;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    let mut version = text
        .trim()
        .strip_prefix("glibc ")
        .unwrap_or_default()
        .split('.')
        .map(|n| n.parse::<u32>().unwrap_or(0));
    let found = (version.next().unwrap_or(0), version.next().unwrap_or(0));
    found >= (major, minor)
}
