//! Archived call recordings: saving them in the background after a refresh (or when the user
//! asks), what they take on disk, deleting a campaign's, the reminder about links that expire
//! before a copy was saved, and opening their folder. Every rule is core's
//! (`results::archive`, `results::retention`); this only runs it off the UI thread.

use serde::Serialize;
use smartdial_core::clock::now_ms;
use smartdial_core::error_code::ErrorCode;
use smartdial_core::results::archive::{
    archive_recordings_with_progress, download_client, ArchiveOptions, ArchiveReport,
    DEFAULT_PER_SECOND,
};
use smartdial_core::results::retention::{
    self, DeletedRecordings, ExpiringRecordings, RecordingsUsage, REMIND_WITHIN_MS,
};
use smartdial_core::results::{RefreshOptions, Refresher};
use smartdial_core::text::{Localized, UserError};
use tauri::{AppHandle, Manager, State};
use tauri_plugin_opener::OpenerExt;

use crate::commands::blocking;
use crate::connection::connect;
use crate::state::{lock, AppState};

/// An archive run of one campaign started or finished (`recordings-archive` event).
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ArchiveEvent {
    #[ts(type = "number")]
    pub campaign_id: i64,
    pub finished: bool,
    /// Recordings tried so far, of `total` not saved when the run started.
    pub done: u32,
    pub total: u32,
    /// What the run saved (when it finished without an error).
    pub report: Option<ArchiveReport>,
    pub error: Option<UserError>,
}

fn journal_error(err: impl std::fmt::Display) -> UserError {
    tracing::error!(%err, "recordings: journal error");
    UserError::new(
        ErrorCode::ResultsJournal,
        Localized::new(
            "读取或保存录音记录时数据库出错。",
            "The journal database failed while reading or saving recordings.",
        ),
        Localized::new(
            "请稍后重试；如果反复出现，请检查磁盘空间。",
            "Try again; if it keeps happening, check the free disk space.",
        ),
    )
}

/// Starts saving the campaign's recordings in the background unless a run of it is going;
/// `false` when one was. Progress and the result come as `recordings-archive` events.
pub fn spawn_archive(app: &AppHandle, id: i64) -> bool {
    let state = app.state::<AppState>();
    if !lock(&state.archiving).insert(id) {
        return false;
    }
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let started = ArchiveEvent {
            campaign_id: id,
            finished: false,
            done: 0,
            total: 0,
            report: None,
            error: None,
        };
        let _ = crate::ipc::emit::<crate::ipc::RecordingsArchiveEvent>(&app, &started);
        let state = app.state::<AppState>();
        let outcome = archive_now(&app, &state, id).await;
        lock(&state.archiving).remove(&id);
        let (report, error) = match outcome {
            Ok(report) => (Some(report), None),
            Err(err) => {
                tracing::warn!(code = %err.code, campaign = id, "archiving recordings failed");
                (None, Some(err))
            }
        };
        let tried = report
            .as_ref()
            .map_or(0, |r| r.archived + r.failed.len() as u32);
        let done = ArchiveEvent {
            campaign_id: id,
            finished: true,
            done: tried,
            total: tried,
            report,
            error,
        };
        let _ = crate::ipc::emit::<crate::ipc::RecordingsArchiveEvent>(&app, &done);
    });
    true
}

async fn archive_now(
    app: &AppHandle,
    state: &AppState,
    id: i64,
) -> Result<ArchiveReport, UserError> {
    let connection = connect(state).await?;
    let journal = state.journal()?;
    let refresher = Refresher::new(connection.client, RefreshOptions::default());
    let http = download_client().map_err(|err| {
        tracing::error!(%err, "no HTTP client for recordings");
        crate::commands::background_failed()
    })?;
    let options = ArchiveOptions {
        data_dir: state.paths.data_dir.clone(),
        per_second: DEFAULT_PER_SECOND,
    };
    let emitter = app.clone();
    let progress = move |done: u32, total: u32| {
        let event = ArchiveEvent {
            campaign_id: id,
            finished: false,
            done,
            total,
            report: None,
            error: None,
        };
        let _ = crate::ipc::emit::<crate::ipc::RecordingsArchiveEvent>(&emitter, &event);
    };
    let report =
        archive_recordings_with_progress(&journal, &refresher, &http, id, &options, &progress)
            .await
            .map_err(|e| e.to_user_error())?;
    apply_retention(state);
    Ok(report)
}

/// Deletes recordings older than the retention setting (nothing when they are kept forever).
pub fn apply_retention(state: &AppState) {
    let days = state.settings().recording_keep_days;
    if days.is_none() {
        return;
    }
    let Ok(journal) = state.journal() else { return };
    let j = lock(&journal);
    if let Err(err) = retention::apply_retention(&j, &state.paths.data_dir, days, now_ms()) {
        tracing::warn!(%err, "retention of recordings failed");
    }
}

/// Saves the campaign's recordings now (the reminder's action); `false` when a run of it is
/// already going.
#[tauri::command]
pub fn archive_campaign_recordings(app: AppHandle, id: i64) -> bool {
    spawn_archive(&app, id)
}

/// Whether recordings of the campaign are being saved now.
#[tauri::command]
pub fn archiving_recordings(state: State<'_, AppState>, id: i64) -> bool {
    lock(&state.archiving).contains(&id)
}

/// What the saved recordings take on disk: of one campaign, or of all (`None`).
#[tauri::command]
pub fn recordings_usage(
    state: State<'_, AppState>,
    id: Option<i64>,
) -> Result<RecordingsUsage, UserError> {
    let journal = state.journal()?;
    let j = lock(&journal);
    retention::usage(&j, id).map_err(journal_error)
}

/// Deletes every saved recording of the campaign (the window asked the user first).
#[tauri::command]
pub async fn delete_campaign_recordings(
    app: AppHandle,
    id: i64,
) -> Result<DeletedRecordings, UserError> {
    blocking(move || {
        let state = app.state::<AppState>();
        let journal = state.journal()?;
        let j = lock(&journal);
        retention::delete_campaign_recordings(&j, &state.paths.data_dir, id, now_ms())
            .map_err(|e| e.to_user_error())
    })
    .await
}

/// Campaigns with answered calls whose recording is not saved and whose link expires within
/// six hours: the reminder at start and on the results view.
#[tauri::command]
pub fn expiring_recordings(
    state: State<'_, AppState>,
) -> Result<Vec<ExpiringRecordings>, UserError> {
    let journal = state.journal()?;
    let j = lock(&journal);
    retention::expiring_unarchived(&j, now_ms(), REMIND_WITHIN_MS).map_err(journal_error)
}

/// Opens the folder of the campaign's saved recordings in the file manager. The path comes
/// from Rust, never from the window.
#[tauri::command]
pub fn open_recordings_folder(
    app: AppHandle,
    state: State<'_, AppState>,
    id: i64,
) -> Result<(), UserError> {
    let dir = state.paths.data_dir.join("recordings").join(id.to_string());
    let _ = std::fs::create_dir_all(&dir);
    app.opener()
        .open_path(dir.display().to_string(), None::<&str>)
        .map_err(|err| {
            tracing::warn!(%err, "could not open the recordings folder");
            UserError::new(
                ErrorCode::AppOpenFolderFailed,
                Localized::new(
                    format!("无法打开录音文件夹:{}", dir.display()),
                    format!(
                        "The recordings folder could not be opened: {}",
                        dir.display()
                    ),
                ),
                Localized::new(
                    "请复制这个路径,在文件管理器里打开。",
                    "Copy the path and open it in your file manager.",
                ),
            )
        })
}
