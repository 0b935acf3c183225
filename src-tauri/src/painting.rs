//! How WebKitGTK paints the window: Skia on OpenGL (its default), or Skia on the CPU when the machine
//! has no GPU to run OpenGL on, its frames then composed by OpenGL on the CPU with a core left free
//! (the binary decides before any thread starts, see `main.rs`).

/// The variable WebKitGTK's processes read to paint with Skia on the CPU instead of on OpenGL.
pub const CPU_PAINTING: &str = "WEBKIT_SKIA_ENABLE_CPU_RENDERING";

/// Whether the app should ask WebKit to paint on the CPU: only when the user did not choose
/// (`asked`: the variable is already set, either way), and OpenGL would run in software anyway (no
/// GPU render node, or software OpenGL asked for).
pub fn paints_on_the_cpu(asked: bool, render_node: bool, software_gl: bool) -> bool {
    !asked && (!render_node || software_gl)
}

/// The variable Mesa's llvmpipe (OpenGL on the CPU) reads for how many threads rasterize its frames.
pub const SOFTWARE_GL_THREADS: &str = "LP_NUM_THREADS";

/// How many threads llvmpipe should rasterize WebKit's frames with, when the app should say
/// (`None`: leave Mesa's default): only where OpenGL runs on the CPU anyway (no GPU render node, or
/// software OpenGL asked for) and the user did not choose (`asked`: the variable is already set).
/// Then one core fewer than the machine's `cores`, at least one. WebKit composes every frame with
/// OpenGL, and llvmpipe's default is a thread per core: each frame then takes every core, and the
/// page's own main thread and the shell's work for it (the check of a keystroke) wait until the
/// frame is done.
pub fn software_gl_threads(asked: bool, render_node: bool, software_gl: bool, cores: usize) -> Option<usize> {
    (!asked && (!render_node || software_gl)).then(|| cores.saturating_sub(1).max(1))
}

/// How the window paints, as the environment now says, for the log.
pub fn painter() -> &'static str {
    match std::env::var(CPU_PAINTING) {
        Ok(v) if v != "0" => "Skia on the CPU",
        _ => "Skia on OpenGL",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cpu_paints_only_where_opengl_would_be_software_and_the_user_did_not_choose() {
        // A GPU: WebKit's default.
        assert!(!paints_on_the_cpu(false, true, false));
        // No render node (a VM, Xvfb), or software OpenGL asked for: the CPU.
        assert!(paints_on_the_cpu(false, false, false));
        assert!(paints_on_the_cpu(false, true, true));
        // The user's own choice stands, whatever the machine.
        assert!(!paints_on_the_cpu(true, false, false));
        assert!(!paints_on_the_cpu(true, true, true));
    }

    #[test]
    fn opengl_on_the_cpu_leaves_a_core_to_the_page_and_the_shell() {
        // A GPU: Mesa's default, whatever the cores.
        assert_eq!(software_gl_threads(false, true, false, 2), None);
        // OpenGL on the CPU: a core fewer than the machine has, at least one.
        assert_eq!(software_gl_threads(false, false, false, 2), Some(1));
        assert_eq!(software_gl_threads(false, false, false, 8), Some(7));
        assert_eq!(software_gl_threads(false, true, true, 4), Some(3));
        assert_eq!(software_gl_threads(false, false, false, 1), Some(1));
        // The user's own choice stands.
        assert_eq!(software_gl_threads(true, false, false, 2), None);
    }
}
