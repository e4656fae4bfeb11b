//! The Settings page: read and save preferences.

use smartdial_core::settings::Settings;
use smartdial_core::text::UserError;
use tauri::{AppHandle, Manager, State};

use crate::state::AppState;

#[tauri::command]
pub fn get_settings(state: State<'_, AppState>) -> Result<Settings, UserError> {
    Ok(state.settings())
}

#[tauri::command]
pub fn save_settings(
    app: AppHandle,
    state: State<'_, AppState>,
    settings: Settings,
) -> Result<Settings, UserError> {
    settings.save(&state.paths.settings_file())?;
    state.replace_settings(settings.clone());
    // A shorter retention applies now (off the window's thread), not at the next start.
    tauri::async_runtime::spawn_blocking(move || {
        crate::commands::recordings::apply_retention(&app.state::<AppState>());
    });
    tracing::info!(
        batch_size = settings.batch_size,
        qps = settings.qps,
        "settings saved"
    );
    Ok(settings)
}
