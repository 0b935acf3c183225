//! How WebKitGTK paints the window: Skia on OpenGL (its default), or Skia on the CPU when the machine
//! has no GPU to run OpenGL on (the binary decides before any thread starts, see `main.rs`).

/// The variable WebKitGTK's processes read to paint with Skia on the CPU instead of on OpenGL.
pub const CPU_PAINTING: &str = "WEBKIT_SKIA_ENABLE_CPU_RENDERING";

/// Whether the app should ask WebKit to paint on the CPU: only when the user did not choose
/// (`asked`: the variable is already set, either way), and OpenGL would run in software anyway (no
/// GPU render node, or software OpenGL asked for).
pub fn paints_on_the_cpu(asked: bool, render_node: bool, software_gl: bool) -> bool {
    !asked && (!render_node || software_gl)
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
}
