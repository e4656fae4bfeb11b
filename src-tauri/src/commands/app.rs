//! About the app itself: version and folders.

use serde::Serialize;
use smartdial_core::text::{Localized, UserError};
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;

use crate::state::AppState;
use smartdial_core::error_code::ErrorCode;

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

/// The bounds the task form and the settings page show, from the checks that enforce them.
#[tauri::command]
pub fn form_limits() -> smartdial_core::capabilities::FormLimits {
    smartdial_core::capabilities::FormLimits::current()
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

/// Opens the log folder in the system's file manager. The path comes from Rust, never from
/// the web view, so the window cannot open arbitrary paths.
#[tauri::command]
pub fn open_log_folder(app: AppHandle, state: State<'_, AppState>) -> Result<(), UserError> {
    let dir = &state.paths.log_dir;
    let _ = std::fs::create_dir_all(dir);
    app.opener()
        .open_path(dir.display().to_string(), None::<&str>)
        .map_err(|err| {
            tracing::warn!(%err, "could not open the log folder");
            UserError::new(
                ErrorCode::AppOpenFolderFailed,
                Localized::new(
                    format!("无法打开日志文件夹:{}", dir.display()),
                    format!("The log folder could not be opened: {}", dir.display()),
                ),
                Localized::new(
                    "请复制这个路径,在文件管理器里打开。",
                    "Copy the path and open it in your file manager.",
                ),
            )
        })
}
