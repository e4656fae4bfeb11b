//! Task settings, Preview, Send and History: plans are built by the core, journaled before
//! anything leaves, and sent by the core's engine; progress reaches the window as events.

use std::sync::Arc;

use serde::Serialize;
use smartdial_core::aliyun::robot_audit::RobotChoice;
use smartdial_core::aliyun::RequestProblem;
use smartdial_core::campaign::engine::{ControlHandle, Engine, EngineConfig};
use smartdial_core::campaign::events::EngineEvent;
use smartdial_core::campaign::journal::JournalError;
use smartdial_core::campaign::model::{BatchOverview, CampaignSummary, UnknownDecision};
use smartdial_core::campaign::plan::TaskSettings;
use smartdial_core::campaign::resume::{ResumeChoices, ResumeNeeds};
use smartdial_core::campaign::submission::{Sender, Submission};
use smartdial_core::clock::now_ms;
use smartdial_core::text::{Localized, UserError};
use tauri::{AppHandle, State};

use crate::commands::blocking;
use crate::connection::connect;
use crate::ipc;
use crate::state::{lock, AppState};
use smartdial_core::error_code::ErrorCode;

/// A run that could not go on, for the campaign it belongs to.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct CampaignError {
    #[ts(type = "number")]
    pub campaign_id: i64,
    pub error: UserError,
}

/// What the Preview step shows before the confirmation.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct PlanPreview {
    pub people: u32,
    pub batches: u32,
    pub skipped_rows: u32,
    /// The exact `BatchRobotSmartCall` parameters of batch 1 (no credentials: those are
    /// added when signing).
    pub first_batch: Vec<WireParam>,
    pub endpoint: String,
    pub demo: bool,
}

/// One request parameter as sent.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct WireParam {
    pub name: String,
    pub value: String,
}

/// Field-by-field checks of the task form, with the same rules the client applies before
/// sending (one source of truth). An empty list means the form is complete.
#[tauri::command]
pub fn validate_task(task: TaskSettings) -> Vec<RequestProblem> {
    task.form_problems(now_ms())
}

/// The robots of the account (or the demo's), for the robot picker.
#[tauri::command]
pub async fn list_robots(state: State<'_, AppState>) -> Result<Vec<RobotChoice>, UserError> {
    let connection = connect(&state).await?;
    let robots = connection
        .client
        .query_robot_info_list(None)
        .await
        .map_err(|e| e.to_user_error())?;
    Ok(robots.into_iter().map(RobotChoice::new).collect())
}

/// The plan for the imported contacts, with every batch's exact request checked the way
/// the client checks it before sending (batch 1's request is kept for the preview), and the
/// file the contacts came from.
/// Where the contacts of the session came from: a file, or an earlier campaign (a recall).
enum Origin {
    File(std::path::PathBuf),
    Recall(Box<CampaignSummary>),
}

fn prepare(state: &AppState, task: &TaskSettings) -> Result<(Submission, Origin), UserError> {
    let mut guard = lock(&state.sheet);
    let session = guard
        .as_mut()
        .ok_or_else(crate::commands::sheet::no_contacts)?;
    let list = session
        .contacts
        .as_mut()
        .ok_or_else(crate::commands::sheet::no_contacts)?;
    // Again now: since the review, others may have called these people.
    crate::commands::compliance::screen(state, list)?;
    let settings = state.settings();
    let submission = Submission::prepare(
        list,
        task,
        settings.batch_size as usize,
        &settings.calling,
        now_ms(),
    )?;
    let origin = match &session.recall_of {
        Some(source) => Origin::Recall(Box::new(source.clone())),
        None => Origin::File(session.path.clone()),
    };
    Ok((submission, origin))
}

#[tauri::command]
pub async fn preview_plan(
    state: State<'_, AppState>,
    task: TaskSettings,
) -> Result<PlanPreview, UserError> {
    let (submission, _) = prepare(&state, &task)?;
    let summary = submission.summary();
    // Exactly the parameters the client signs for batch 1 (credentials and the common
    // signature parameters are added when signing).
    let first_batch = submission
        .first_request()
        .map(|r| {
            r.to_params()
                .into_iter()
                .map(|(name, value)| WireParam { name, value })
                .collect()
        })
        .unwrap_or_default();
    // A million contacts' plan need not wait on the demo lock below.
    drop(submission);
    let demo = state.demo.lock().await.as_ref().map(|s| s.endpoint());
    Ok(PlanPreview {
        people: summary.total_numbers,
        batches: summary.batches,
        skipped_rows: summary.skipped_rows,
        first_batch,
        endpoint: demo.clone().unwrap_or_else(|| state.settings().endpoint),
        demo: demo.is_some(),
    })
}

fn journal_unavailable(err: &JournalError) -> UserError {
    err.to_user_error()
}

/// Journals the campaign (screening its people again in the same transaction: nobody
/// called meanwhile goes out twice), then starts sending in the background.
#[tauri::command]
pub async fn start_campaign(
    app: AppHandle,
    state: State<'_, AppState>,
    task: TaskSettings,
) -> Result<CampaignSummary, UserError> {
    tracing::info!("campaign start requested");
    let (submission, origin) = prepare(&state, &task)?;
    let connection = connect(&state).await?;
    let sender = Sender {
        profile: connection.profile.clone(),
        endpoint: connection.endpoint.clone(),
    };
    let new = match origin {
        // The file is read again for its fingerprint: off the async runtime.
        Origin::File(path) => {
            blocking(move || {
                submission
                    .into_campaign(&path, sender)
                    .map_err(UserError::from)
            })
            .await?
        }
        Origin::Recall(source) => submission.into_recall_campaign(&source, sender),
    };
    let journal = state.journal()?;
    let id = {
        let mut j = lock(&journal);
        j.create_campaign(&new, Some(&state.settings().calling), now_ms())
            .map_err(|e| journal_unavailable(&e))?
    };
    tracing::info!(
        campaign = id,
        people = new.total_numbers(),
        "campaign journaled"
    );
    crate::commands::templates::remember_last_used(
        &state,
        smartdial_core::task_templates::TaskTemplate {
            dialog_id: task.dialog_id.clone(),
            caller_numbers: task.caller_numbers.clone(),
            corp_name: task.corp_name.clone(),
            is_self_line: task.is_self_line,
            early_media_asr: task.early_media_asr,
        },
    );
    spawn_run(
        &app,
        &state,
        id,
        connection.client,
        ResumeChoices::default(),
    )?;
    let summary = lock(&journal)
        .campaign(id)
        .map_err(|e| journal_unavailable(&e))?;
    Ok(summary)
}

/// Runs (or continues) a campaign in the background and forwards its events.
fn spawn_run(
    app: &AppHandle,
    state: &AppState,
    id: i64,
    client: smartdial_core::aliyun::Client,
    choices: ResumeChoices,
) -> Result<(), UserError> {
    let journal = state.journal()?;
    let settings = state.settings();
    let config = EngineConfig {
        qps: f64::from(settings.qps),
        concurrency: settings.concurrency as usize,
        calling: Some(settings.calling.clone()),
        ..EngineConfig::default()
    }
    .clamped();
    let control = ControlHandle::new();
    lock(&state.runs).insert(id, control.clone());
    let engine = Engine::new(journal, Arc::new(client), config);
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<EngineEvent>();
    let forward = app.clone();
    tauri::async_runtime::spawn(async move {
        while let Some(event) = rx.recv().await {
            if let Err(err) = ipc::emit::<ipc::CampaignEvent>(&forward, &event) {
                tracing::warn!(%err, "could not forward a campaign event");
            }
        }
    });
    let runs = app.clone();
    tauri::async_runtime::spawn(async move {
        match engine.run_with(id, choices, &control, Some(tx)).await {
            Ok(report) => tracing::info!(campaign = id, end = ?report.end, "run ended"),
            Err(err) => {
                let user = err.to_user_error();
                tracing::warn!(campaign = id, code = %user.code, "run failed");
                let _ = ipc::emit::<ipc::CampaignErrorEvent>(
                    &runs,
                    &CampaignError {
                        campaign_id: id,
                        error: user,
                    },
                );
            }
        }
        use tauri::Manager;
        if let Some(state) = runs.try_state::<AppState>() {
            lock(&state.runs).remove(&id);
        }
    });
    Ok(())
}

fn control_of(state: &AppState, id: i64) -> Result<ControlHandle, UserError> {
    lock(&state.runs).get(&id).cloned().ok_or_else(|| {
        UserError::new(
            ErrorCode::CampaignNotRunning,
            Localized::new(
                "这个外呼活动当前没有在发送",
                "This campaign is not sending right now",
            ),
            Localized::new(
                "可以在“历史”里继续发送它。",
                "You can continue it from History.",
            ),
        )
    })
}

#[tauri::command]
pub fn pause_campaign(state: State<'_, AppState>, id: i64) -> Result<(), UserError> {
    control_of(&state, id)?.pause();
    Ok(())
}

/// Cancels what was not sent: the run sending it stops, or, with no run here (a campaign
/// left paused or stopped before a restart, which `CampaignActions` lets the marketer
/// cancel), the journal cancels it under the campaign's lease.
#[tauri::command]
pub fn cancel_campaign(state: State<'_, AppState>, id: i64) -> Result<(), UserError> {
    let run = lock(&state.runs).get(&id).cloned();
    match run {
        Some(control) => control.cancel(),
        None => {
            cancel_unsent(state, id)?;
        }
    }
    Ok(())
}

/// What must be decided before a campaign can go on (a passed schedule, a smaller batch
/// size); the window asks before calling [`resume_campaign`].
#[tauri::command]
pub fn resume_needs(state: State<'_, AppState>, id: i64) -> Result<ResumeNeeds, UserError> {
    let journal = state.journal()?;
    let needs = lock(&journal)
        .resume_needs(id, now_ms())
        .map_err(|e| journal_unavailable(&e))?;
    Ok(needs)
}

/// Resumes a paused run, or starts a new run for a campaign left unfinished (after a
/// restart, a pause by a limit, or an `unknown` decision) with the user's `choices`.
/// Refused with the reason when the campaign needs a choice it was not given.
#[tauri::command]
pub async fn resume_campaign(
    app: AppHandle,
    state: State<'_, AppState>,
    id: i64,
    choices: Option<ResumeChoices>,
) -> Result<(), UserError> {
    let choices = choices.unwrap_or_default();
    if let Some(control) = lock(&state.runs).get(&id).cloned() {
        control.resume();
        return Ok(());
    }
    if let Some(refusal) = resume_needs(state.clone(), id)?.refusal(&choices, now_ms()) {
        return Err(refusal);
    }
    let connection = connect(&state).await?;
    spawn_run(&app, &state, id, connection.client, choices)
}

/// Never sends what is left of a campaign that is not running (a passed schedule, a
/// campaign no longer wanted); what was sent stays sent.
#[tauri::command]
pub fn cancel_unsent(state: State<'_, AppState>, id: i64) -> Result<CampaignSummary, UserError> {
    let journal = state.journal()?;
    let mut j = lock(&journal);
    j.cancel_unsent(id, now_ms())
        .map_err(|e| e.to_user_error())?;
    j.campaign(id).map_err(|e| journal_unavailable(&e))
}

/// Settles `unknown` batches: send them again (the people in them may be called twice) or
/// mark them as sent after checking in the console. `index` `None` means all of them.
#[tauri::command]
pub fn decide_unknown(
    state: State<'_, AppState>,
    id: i64,
    index: Option<u32>,
    resend: bool,
) -> Result<u32, UserError> {
    let decision = if resend {
        UnknownDecision::Resend
    } else {
        UnknownDecision::MarkSent
    };
    let journal = state.journal()?;
    // Under the campaign's lease, in core: refused while a run (here or in another process)
    // is sending the campaign.
    let settled = lock(&journal)
        .settle_unknown(id, index, Some(decision), now_ms())
        .map_err(|e| e.to_user_error())?;
    Ok(settled.changed as u32)
}

#[tauri::command]
pub fn list_campaigns(state: State<'_, AppState>) -> Result<Vec<CampaignSummary>, UserError> {
    let journal = state.journal()?;
    let campaigns = lock(&journal)
        .campaigns()
        .map_err(|e| journal_unavailable(&e))?;
    Ok(campaigns)
}

#[tauri::command]
pub fn campaign_batches(
    state: State<'_, AppState>,
    id: i64,
) -> Result<Vec<BatchOverview>, UserError> {
    let journal = state.journal()?;
    let batches = lock(&journal)
        .batch_overviews(id)
        .map_err(|e| journal_unavailable(&e))?;
    Ok(batches)
}

/// Campaigns a crash or a closed window left unfinished, to offer resuming them.
#[tauri::command]
pub fn unfinished_campaign(
    state: State<'_, AppState>,
) -> Result<Option<CampaignSummary>, UserError> {
    let journal = state.journal()?;
    let j = lock(&journal);
    match j.latest_unfinished().map_err(|e| journal_unavailable(&e))? {
        Some(id) => Ok(Some(j.campaign(id).map_err(|e| journal_unavailable(&e))?)),
        None => Ok(None),
    }
}

/// True while any campaign is sending: the window asks before closing.
#[tauri::command]
pub fn sending_now(state: State<'_, AppState>) -> bool {
    !lock(&state.runs).is_empty()
}
