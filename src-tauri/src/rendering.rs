//! How the web view draws on Linux.
//!
//! WebKitGTK composites pages with OpenGL. Without a GPU that GL is Mesa's llvmpipe, a
//! software rasteriser: on such machines (virtual desktops, remote sessions, CI under Xvfb)
//! compositing cost SmartDial's web process ~90 MB more memory and turned idle frames
//! into 50–160 ms gaps, against 17–20 ms with WebKit drawing directly. Machines with a GPU
//! keep WebKit's default.

use std::path::Path;

/// WebKitGTK's own switch; a value the user set is always left alone.
const DISABLE_COMPOSITING: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

/// What was decided, for the log (which is not open yet when this runs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compositing {
    /// The user's environment already says.
    UserChoice,
    /// A GPU render node exists: WebKit's default.
    Gpu,
    /// No GPU: compositing switched off.
    DisabledWithoutGpu,
}

/// Must run before any thread starts and before GTK initialises: it sets an environment
/// variable WebKit reads once.
pub fn choose_compositing() -> Compositing {
    if std::env::var_os(DISABLE_COMPOSITING).is_some() {
        return Compositing::UserChoice;
    }
    if cfg!(target_os = "linux") && !has_render_node(Path::new("/dev/dri")) {
        std::env::set_var(DISABLE_COMPOSITING, "1");
        return Compositing::DisabledWithoutGpu;
    }
    Compositing::Gpu
}

/// A DRM render node (`renderD128`, ...) is what Mesa needs for hardware GL.
fn has_render_node(dri: &Path) -> bool {
    std::fs::read_dir(dri)
        .map(|entries| {
            entries
                .flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_render_node_means_a_gpu() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("card0"), b"").expect("card");
        assert!(
            !has_render_node(dir.path()),
            "card0 alone is a display, not GL"
        );
        std::fs::write(dir.path().join("renderD128"), b"").expect("render node");
        assert!(has_render_node(dir.path()));
    }

    #[test]
    fn no_dri_folder_means_no_gpu() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert!(!has_render_node(&dir.path().join("dri")));
    }
}
