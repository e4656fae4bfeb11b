//! About the app itself: version and folders.

use serde::Serialize;
use smartdial_core::text::UserError;
use tauri::State;

use crate::state::AppState;

/// What the About box and the settings page show.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
    pub log_dir: String,
    pub os: String,
}

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> Result<AppInfo, UserError> {
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        data_dir: state.paths.data_dir.display().to_string(),
        log_dir: state.paths.log_dir.display().to_string(),
        os: std::env::consts::OS.to_owned(),
    })
}

/// The window reports its first render; the time since start-up goes to the log (it is the
/// figure behind the "first paint < 1.5 s" target).
#[tauri::command]
pub fn ui_ready(state: State<'_, AppState>) -> u32 {
    let elapsed = state.started.elapsed();
    tracing::info!(
        ms = elapsed.as_millis() as u64,
        "first render of the window"
    );
    elapsed.as_millis().min(u128::from(u32::MAX)) as u32
}
