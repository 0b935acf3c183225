//! The `meshport-desktop` binary: chooses how WebKit paints, then starts the Tauri app defined in the
//! library.

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    #[cfg(target_os = "linux")]
    paint_on_the_cpu_without_a_gpu();
    meshport_desktop::run();
}

/// On a machine without a GPU, WebKitGTK's default painter (Skia on OpenGL) draws through Mesa's
/// llvmpipe, OpenGL emulated on the CPU: LLVM compiles Skia's shaders again at every launch (0.8 s of
/// CPU on a 2-core machine; Mesa keeps no llvmpipe machine code on disk) and the window holds about
/// 40 MB more. Skia's own CPU painter draws the same frames without that. So when no GPU can render
/// (no render node in `/dev/dri`, as in a VM, a remote desktop or Xvfb) or software OpenGL is asked for
/// (`LIBGL_ALWAYS_SOFTWARE`), WebKit paints on the CPU. A `WEBKIT_SKIA_ENABLE_CPU_RENDERING` already in
/// the environment, either way, is left as it is.
#[cfg(target_os = "linux")]
fn paint_on_the_cpu_without_a_gpu() {
    use meshport_desktop::painting::{CPU_PAINTING, paints_on_the_cpu};
    let render_node = std::fs::read_dir("/dev/dri").is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
    });
    let asked = std::env::var_os(CPU_PAINTING).is_some();
    let software = std::env::var_os("LIBGL_ALWAYS_SOFTWARE").is_some_and(|v| v != "0" && !v.is_empty());
    if paints_on_the_cpu(asked, render_node, software) {
        // SAFETY: the first statement of `main`, before the app starts any thread: nothing can read
        // the environment while it changes (the Rust runtime starts no thread before `main`). WebKit's
        // processes, started later, inherit it; there is no API to tell them otherwise.
        #[expect(
            unsafe_code,
            reason = "WebKit reads its painter from its processes' environment only"
        )]
        unsafe {
            std::env::set_var(CPU_PAINTING, "1")
        };
    }
}
