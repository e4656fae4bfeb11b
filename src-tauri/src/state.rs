//! What the app keeps between commands.

use smartdial_core::paths::AppPaths;

/// Shared state of the running app, managed by Tauri.
pub struct AppState {
    pub paths: AppPaths,
}

impl AppState {
    pub fn new(paths: AppPaths) -> Self {
        AppState { paths }
    }
}
