//! Results: what happened to each call. Results live in the journal; the window gets the
//! counts and pages of people, refreshes on demand (and on a timer while it is open), and
//! exports the report.

use serde::Serialize;
use smartdial_core::aliyun::tasks::TaskControl;
use smartdial_core::campaign::model::CampaignSummary;
use smartdial_core::clock::now_ms;
use smartdial_core::results::control::{control_task, explain, ControlExplanation, ControlResult};
use smartdial_core::results::export::write_results;
use smartdial_core::results::retention::{usage, RecordingsUsage};
use smartdial_core::results::{
    load_results, refresh_campaign, CallOutcome, CampaignResults, CancelToken, OutcomeCount,
    RefreshOptions, RefreshProgress, RefreshReport, ResultsPage,
};
use smartdial_core::text::{Localized, UserError};
use tauri::{AppHandle, Manager, State};
use tauri_plugin_opener::OpenerExt;

use crate::commands::blocking;
use crate::connection::connect;
use crate::state::{lock, AppState};
use smartdial_core::error_code::ErrorCode;

/// The top of the results view: counts for the chart and the filter.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct ResultsOverview {
    pub campaign: CampaignSummary,
    pub counts: Vec<OutcomeCount>,
    pub variable_names: Vec<String>,
    pub people: u32,
    pub pending: u32,
    #[ts(type = "number | null")]
    pub last_fetched_at_ms: Option<i64>,
    pub hangup_note: Localized,
    /// The campaign's saved recordings on disk.
    pub recordings: RecordingsUsage,
    /// Recordings are being saved in the background now.
    pub archiving: bool,
    /// People taken out before sending: put on the do-not-call list after the campaign was
    /// created, so never called.
    pub withheld: u32,
}

fn load(state: &AppState, id: i64) -> Result<CampaignResults, UserError> {
    let journal = state.journal()?;
    let j = lock(&journal);
    load_results(&j, id, now_ms()).map_err(|e| e.to_user_error())
}

#[tauri::command]
pub fn results_overview(state: State<'_, AppState>, id: i64) -> Result<ResultsOverview, UserError> {
    let results = load(&state, id)?;
    let (recordings, withheld) = {
        let journal = state.journal()?;
        let j = lock(&journal);
        let withheld = j.withheld_count(id).map_err(|e| e.to_user_error())?;
        (usage(&j, Some(id)).unwrap_or_default(), withheld)
    };
    Ok(ResultsOverview {
        recordings,
        withheld,
        archiving: lock(&state.archiving).contains(&id),
        people: results.people.len() as u32,
        campaign: results.campaign,
        counts: results.counts,
        variable_names: results.variable_names,
        pending: results.pending,
        last_fetched_at_ms: results.last_fetched_at_ms,
        hangup_note: results.hangup_note,
    })
}

#[tauri::command]
pub fn results_page(
    state: State<'_, AppState>,
    id: i64,
    offset: u32,
    limit: u32,
    outcome: Option<CallOutcome>,
    search: Option<String>,
) -> Result<ResultsPage, UserError> {
    Ok(load(&state, id)?.into_page(outcome, search.as_deref(), offset as usize, limit as usize))
}

/// Asks the query APIs about everyone whose result is not final yet; progress goes out as
/// `results-progress` events. One refresh per campaign at a time. Then the recordings not
/// saved yet are saved in the background (`recordings-archive` events): links expire.
#[tauri::command]
pub async fn refresh_results(
    app: AppHandle,
    state: State<'_, AppState>,
    id: i64,
) -> Result<RefreshReport, UserError> {
    let cancel = CancelToken::new();
    {
        let mut refreshing = lock(&state.refreshing);
        if refreshing.contains_key(&id) {
            return Err(UserError::new(
                ErrorCode::ResultsRefreshing,
                Localized::new(
                    "正在刷新这个活动的结果",
                    "This campaign's results are being refreshed",
                ),
                Localized::new("请等这次刷新完成。", "Wait for this refresh to finish."),
            ));
        }
        refreshing.insert(id, cancel.clone());
    }
    let outcome = async {
        let connection = connect(&state).await?;
        let journal = state.journal()?;
        let settings = state.settings();
        let options = RefreshOptions {
            qps: smartdial_core::results::refresh::refresh_qps(f64::from(settings.qps)),
            ..RefreshOptions::default()
        };
        let emitter = app.clone();
        let progress = move |p: RefreshProgress| {
            let _ = crate::ipc::emit::<crate::ipc::ResultsProgressEvent>(&emitter, &p);
        };
        refresh_campaign(
            &journal,
            &connection.client,
            id,
            &options,
            &progress,
            &cancel,
        )
        .await
        .map_err(|e| e.to_user_error())
    }
    .await;
    lock(&state.refreshing).remove(&id);
    if outcome.is_ok() {
        crate::commands::recordings::spawn_archive(&app, id);
    }
    outcome
}

#[tauri::command]
pub fn cancel_refresh(state: State<'_, AppState>, id: i64) {
    if let Some(token) = lock(&state.refreshing).get(&id) {
        token.cancel();
    }
}

/// Writes the report (.xlsx) in the app's language: one row per person, a summary sheet and
/// the codes on a last sheet. Off the UI thread:
/// a big campaign's report takes seconds to write.
#[tauri::command]
pub async fn export_results(app: AppHandle, id: i64, path: String) -> Result<u32, UserError> {
    blocking(move || {
        let state = app.state::<AppState>();
        let results = load(&state, id)?;
        let lang = state.settings().lang;
        write_results(&results, std::path::Path::new(&path), lang)
            .map(|n| n as u32)
            .map_err(|e| e.to_user_error())
    })
    .await
}

/// What cancelling, stopping or terminating a task means for the people not yet called,
/// for the confirmation dialog.
#[tauri::command]
pub fn explain_task_control(control: TaskControl) -> ControlExplanation {
    explain(control)
}

#[tauri::command]
pub async fn control_campaign_task(
    state: State<'_, AppState>,
    control: TaskControl,
    task_id: String,
) -> Result<ControlResult, UserError> {
    let connection = connect(&state).await?;
    control_task(&connection.client, control, &task_id).await
}

/// Opens one person's recording in the browser while its link is valid. The link is looked
/// up here, so the window cannot make the app open arbitrary addresses.
#[tauri::command]
pub fn open_recording(
    app: AppHandle,
    state: State<'_, AppState>,
    id: i64,
    batch_index: u32,
    position: u32,
) -> Result<(), UserError> {
    let results = load(&state, id)?;
    let person = results
        .people
        .iter()
        .find(|p| p.batch_index == batch_index && p.position == position);
    let url = person
        .filter(|p| p.recording_available)
        .and_then(|p| p.record_url.clone())
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
        .ok_or_else(|| {
            UserError::new(
                ErrorCode::ResultsRecordingUnavailable,
                Localized::new(
                    "录音链接已过期或不存在",
                    "The recording link has expired or does not exist",
                ),
                Localized::new(
                    "录音链接只在 48 小时内有效;请先刷新结果获取新的链接。",
                    "Recording links last 48 hours; refresh the results to get a new one.",
                ),
            )
        })?;
    app.opener().open_url(url, None::<&str>).map_err(|err| {
        tracing::warn!(%err, "could not open a recording");
        UserError::new(
            ErrorCode::ResultsOpenFailed,
            Localized::new("无法打开录音", "The recording could not be opened"),
            Localized::new(
                "请检查默认浏览器设置后重试。",
                "Check the default browser, then try again.",
            ),
        )
    })
}
