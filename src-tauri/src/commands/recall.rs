//! Recall (重呼) from the results view: which outcomes can be called again, then the chosen
//! people as the wizard's contact list, so the review, the task step and sending treat a
//! recall like any campaign (do-not-call list, limits and calling hours included).

use serde::Serialize;
use smartdial_core::campaign::model::CampaignSummary;
use smartdial_core::campaign::settings::TaskSettings;
use smartdial_core::clock::now_ms;
use smartdial_core::results::recall::{
    draft_recall, needs_refresh, outcome_choices, RecallOutcome, DEFAULT_OUTCOMES,
};
use smartdial_core::results::{load_results, CallOutcome};
use smartdial_core::sheet::contacts::ContactSummary;
use smartdial_core::text::UserError;
use tauri::State;

use crate::commands::sheet::SheetSession;
use crate::state::{lock, AppState};

/// What the recall dialog shows.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct RecallOptions {
    pub campaign: CampaignSummary,
    pub outcomes: Vec<RecallOutcome>,
    /// Refresh the results first (someone is still pending, or the last refresh is old).
    pub needs_refresh: bool,
}

/// The recall loaded into the wizard: the review's counts and the task to start from.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct RecallPrepared {
    pub summary: ContactSummary,
    /// The source campaign's settings with the recall's name and no schedule.
    pub task: TaskSettings,
}

#[tauri::command]
pub fn recall_options(state: State<'_, AppState>, id: i64) -> Result<RecallOptions, UserError> {
    let journal = state.journal()?;
    let j = lock(&journal);
    let now = now_ms();
    let results = load_results(&j, id, now).map_err(|e| e.to_user_error())?;
    Ok(RecallOptions {
        outcomes: outcome_choices(&results, &DEFAULT_OUTCOMES),
        needs_refresh: needs_refresh(&results, now),
        campaign: results.campaign,
    })
}

#[tauri::command]
pub fn prepare_recall(
    state: State<'_, AppState>,
    id: i64,
    outcomes: Vec<CallOutcome>,
) -> Result<RecallPrepared, UserError> {
    let (mut draft, settings) = {
        let journal = state.journal()?;
        let j = lock(&journal);
        let results = load_results(&j, id, now_ms()).map_err(|e| e.to_user_error())?;
        let draft = draft_recall(&j, &results, &outcomes)?;
        let settings = j.settings(id).map_err(|e| e.to_user_error())?;
        (draft, settings)
    };
    crate::commands::compliance::screen(&state, &mut draft.contacts)?;
    let task = TaskSettings {
        task_name: draft.task_name.clone(),
        schedule_time_ms: None,
        ..settings
    };
    let summary = draft.contacts.summary();
    tracing::info!(
        source = id,
        people = draft.counts.selected,
        "recall prepared"
    );
    *lock(&state.sheet) = Some(SheetSession {
        path: std::path::PathBuf::from(&draft.source.source_name),
        sheets: Vec::new(),
        data: draft.contacts.sheet().clone(),
        contacts: Some(draft.contacts),
        recall_of: Some(draft.source),
    });
    Ok(RecallPrepared { summary, task })
}
