//! Updates: checking the signed release manifest and installing a new version when the user
//! agrees. Done here rather than through the updater plugin's JavaScript API so that the rule
//! "never while a campaign is sending" is enforced where the sending state lives, and so the
//! web view gets no updater permission at all (`docs/updates.md`).

use serde::Serialize;
use smartdial_core::text::{Localized, UserError};
use tauri::{AppHandle, State};
use tauri_plugin_updater::{Update, Updater, UpdaterExt};

use crate::state::{lock, AppState};
use smartdial_core::error_code::ErrorCode;

/// A newer version the manifest offers.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct UpdateInfo {
    pub version: String,
    pub current_version: String,
    /// Release notes from the manifest, as written there (plain text or Markdown).
    pub notes: Option<String>,
    /// Publication date, RFC 3339, when the manifest gives one.
    pub date: Option<String>,
}

/// The update found by the last check, kept for `install_update` (managed state of its own
/// so the app state stays about campaigns).
#[derive(Default)]
pub struct PendingUpdate(std::sync::Mutex<Option<Update>>);

/// Refuses while any campaign has a live run (sending or paused): installing restarts the
/// app, which would interrupt it.
pub fn refuse_while_sending(runs: usize) -> Result<(), UserError> {
    if runs == 0 {
        return Ok(());
    }
    Err(UserError::new(
        ErrorCode::UpdateBusySending,
        Localized::new(
            "正在发送外呼,现在不能安装更新。",
            "A campaign is sending, so the update cannot be installed now.",
        ),
        Localized::new(
            "安装更新会重启应用。请等发送完成(或取消发送)后,再在“设置 > 检查更新”中安装。",
            "Installing restarts the app. Wait until sending has finished (or cancel it), then install from Settings > Check for updates.",
        ),
    ))
}

fn check_failed(detail: &str) -> UserError {
    UserError::new(
        ErrorCode::UpdateCheckFailed,
        Localized::new(
            "暂时无法检查更新。",
            "Could not check for updates right now.",
        ),
        Localized::new(
            format!("可能是没有联网,或者还没有发布新版本。当前版本可以正常使用。({detail})"),
            format!("The computer may be offline, or no release is published yet. This version keeps working. ({detail})"),
        ),
    )
}

fn install_failed(detail: &str) -> UserError {
    UserError::new(
        ErrorCode::UpdateInstallFailed,
        Localized::new("更新没有安装成功。", "The update was not installed."),
        Localized::new(
            format!("当前版本没有变化,可以继续使用;稍后在“设置 > 检查更新”中重试。({detail})"),
            format!("The current version is unchanged and keeps working; try again later from Settings > Check for updates. ({detail})"),
        ),
    )
}

/// Replaces the manifest address of `tauri.conf.json`, for a staging release or a test
/// server. Downloads are still checked against the built-in public key, and release builds
/// still refuse plain `http://`.
pub const ENDPOINT_ENV: &str = "SMARTDIAL_UPDATE_ENDPOINT";

fn updater(app: &AppHandle) -> Result<Updater, String> {
    let endpoint = std::env::var(ENDPOINT_ENV)
        .ok()
        .filter(|e| !e.trim().is_empty());
    let Some(endpoint) = endpoint else {
        return app.updater().map_err(|e| e.to_string());
    };
    let url: tauri::Url = endpoint
        .trim()
        .parse()
        .map_err(|e| format!("{ENDPOINT_ENV}: {e}"))?;
    tracing::info!(%url, "update manifest address from the environment");
    app.updater_builder()
        .endpoints(vec![url])
        .and_then(|b| b.build())
        .map_err(|e| e.to_string())
}

/// Asks the release manifest whether a newer, correctly signed version exists. `None` when
/// this is the newest. Failures (offline, no release yet) come back as an error the window
/// shows only on the settings page.
#[tauri::command]
pub async fn check_update(
    app: AppHandle,
    pending: State<'_, PendingUpdate>,
) -> Result<Option<UpdateInfo>, UserError> {
    let updater = updater(&app).map_err(|err| {
        tracing::warn!(%err, "updater not available");
        check_failed(&err)
    })?;
    let found = updater.check().await.map_err(|err| {
        // Expected offline and before the first release: info, not a warning.
        tracing::info!(%err, "update check failed");
        check_failed(&err.to_string())
    })?;
    let info = found.as_ref().map(|u| UpdateInfo {
        version: u.version.clone(),
        current_version: u.current_version.clone(),
        notes: u.body.clone(),
        date: u.date.map(|d| d.to_string()),
    });
    match &info {
        Some(i) => tracing::info!(version = %i.version, "update available"),
        None => tracing::info!("no update available"),
    }
    *lock(&pending.0) = found;
    Ok(info)
}

/// The check the window makes when it opens: nothing when the settings switch is off, and
/// a failure (offline, no release yet) is only logged, never shown.
#[tauri::command]
pub async fn check_update_at_start(
    app: AppHandle,
    state: State<'_, AppState>,
    pending: State<'_, PendingUpdate>,
) -> Result<Option<UpdateInfo>, UserError> {
    if !state.settings().check_updates {
        tracing::info!("update check at start is switched off");
        return Ok(None);
    }
    Ok(check_update(app, pending).await.unwrap_or(None))
}

/// Downloads, verifies and installs the update the last check found, then restarts. The
/// user has agreed in the window; Rust still refuses while a campaign is sending, both
/// before the download and again just before installing.
#[tauri::command]
pub async fn install_update(
    app: AppHandle,
    state: State<'_, AppState>,
    pending: State<'_, PendingUpdate>,
) -> Result<(), UserError> {
    refuse_while_sending(lock(&state.runs).len())?;
    let update = lock(&pending.0).clone().ok_or_else(|| {
        UserError::new(
            ErrorCode::UpdateNone,
            Localized::new("没有可安装的更新。", "There is no update to install."),
            Localized::new(
                "请先在“设置”中点击“检查更新”。",
                "Click Check for updates in Settings first.",
            ),
        )
    })?;
    tracing::info!(version = %update.version, "downloading update");
    // The plugin checks the download against the manifest's signature and the public key
    // in tauri.conf.json; a bad signature is an error here and nothing is installed.
    let bytes = update.download(|_, _| {}, || {}).await.map_err(|err| {
        tracing::warn!(%err, "update download failed");
        install_failed(&err.to_string())
    })?;
    refuse_while_sending(lock(&state.runs).len())?;
    update.install(bytes).map_err(|err| {
        tracing::warn!(%err, "update install failed");
        install_failed(&err.to_string())
    })?;
    tracing::info!(version = %update.version, "update installed, restarting");
    app.restart();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn installing_is_refused_while_a_campaign_runs() {
        assert!(refuse_while_sending(0).is_ok());
        let err = refuse_while_sending(1).expect_err("refused");
        assert_eq!(err.code, "update.busy_sending");
        assert!(err.hint.zh_cn.contains("发送完成"));
        assert!(err.hint.en.contains("Wait until sending has finished"));
    }
}
