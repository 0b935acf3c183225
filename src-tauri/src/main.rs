//! The `meshport-desktop` binary: limits the allocator's arenas and chooses how WebKit paints, then
//! starts the Tauri app defined in the library (or, with `--seed-demo-platform DIR`, only seeds the
//! embedded platform's demo mesh: the app runs itself so at its first launch).

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    two_malloc_arenas();
    if let Some(code) = meshport_desktop::seed_demo_command() {
        std::process::exit(code);
    }
    #[cfg(target_os = "linux")]
    paint_without_a_gpu();
    meshport_desktop::run();
}

/// glibc's allocator gives threads up to eight arenas per core, each keeping the memory freed in it.
/// The app has about 30 threads (the embedded platform's and the cache's SQLite connections, tokio's,
/// GTK's and WebKit's), so on two cores it used all 16 arenas: they held 26 MB, of which 11 MB free.
/// With two arenas its process holds 9 to 10 MB less (PSS idle on the catalog, 114–116 MB against
/// 123–126 MB, three launches each); the app's work is a few threads at a time, which two arenas
/// serve without waiting on each other.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn two_malloc_arenas() {
    // SAFETY: `mallopt` only sets a parameter of glibc's allocator, and is called here before any
    // thread exists (the first statement of `main`; the Rust runtime starts none before it), so no
    // allocation runs beside it. Its answer (1 on success) changes nothing either way: the default stays.
    #[expect(unsafe_code, reason = "glibc's arena limit is set through its C API only")]
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// On a machine without a GPU, WebKitGTK's default painter (Skia on OpenGL) draws through Mesa's
/// llvmpipe, OpenGL emulated on the CPU: LLVM compiles Skia's shaders again at every launch (0.8 s of
/// CPU on a 2-core machine; Mesa keeps no llvmpipe machine code on disk) and the window holds about
/// 40 MB more. Skia's own CPU painter draws the same frames without that. So when no GPU can render
/// (no render node in `/dev/dri`, as in a VM, a remote desktop or Xvfb) or software OpenGL is asked for
/// (`LIBGL_ALWAYS_SOFTWARE`), WebKit paints on the CPU. A `WEBKIT_SKIA_ENABLE_CPU_RENDERING` already in
/// the environment, either way, is left as it is.
///
/// WebKit still composes the painted layers into each frame with OpenGL, there llvmpipe, which by
/// default rasterizes with a thread per core: on two cores a frame took both, and a keystroke's check
/// in the shell, and its answer in the page, waited behind the keystroke's frame. So llvmpipe is given
/// a core fewer (`LP_NUM_THREADS`, unless already set): the keystroke's round trip on the 200-column
/// request, p95 17–18 → 12 ms on two cores.
#[cfg(target_os = "linux")]
fn paint_without_a_gpu() {
    use meshport_desktop::painting::{
        CPU_PAINTING, SOFTWARE_GL_THREADS, paints_on_the_cpu, software_gl_threads,
    };
    let render_node = std::fs::read_dir("/dev/dri").is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
    });
    let asked = std::env::var_os(CPU_PAINTING).is_some();
    let software = std::env::var_os("LIBGL_ALWAYS_SOFTWARE").is_some_and(|v| v != "0" && !v.is_empty());
    let mut set = Vec::new();
    if paints_on_the_cpu(asked, render_node, software) {
        set.push((CPU_PAINTING, "1".to_owned()));
    }
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let threads_asked = std::env::var_os(SOFTWARE_GL_THREADS).is_some();
    if let Some(threads) = software_gl_threads(threads_asked, render_node, software, cores) {
        set.push((SOFTWARE_GL_THREADS, threads.to_string()));
    }
    for (name, value) in set {
        // SAFETY: the first statement of `main`, before the app starts any thread: nothing can read
        // the environment while it changes (the Rust runtime starts no thread before `main`). WebKit's
        // processes, started later, inherit it; there is no API to tell them otherwise.
        #[expect(
            unsafe_code,
            reason = "WebKit and Mesa read these from their processes' environment only"
        )]
        unsafe {
            std::env::set_var(name, value)
        };
    }
}
