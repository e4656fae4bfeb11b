//! One task, asked directly: its state (where the robot-task API knows it) and its callees'
//! call records. Used by `smartdial status`; stores nothing.

use std::sync::Arc;

use serde::Serialize;

use super::cancel::CancelToken;
use super::model::CallRecord;
use super::outcome::CallOutcome;
use super::query::{Fetcher, Stop};
use super::refresh::RefreshOptions;
use super::ResultsError;
use crate::aliyun::tasks::RobotTaskInfo;
use crate::aliyun::Client;
use crate::campaign::model::{BatchRow, WallClock};
use crate::error_code::ErrorCode;
use crate::text::{Localized, UserError};

const DAY_MS: i64 = 24 * 3600 * 1000;

/// One callee's call.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CalleeStatus {
    pub number: String,
    pub outcome: CallOutcome,
    pub outcome_label: Localized,
    /// `None` while the API has no record.
    pub record: Option<CallRecord>,
}

/// What the API says about a task.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskStatusReport {
    pub task_id: String,
    /// From `QueryRobotTaskDetail`, when it accepts this TaskId.
    pub task: Option<RobotTaskInfo>,
    /// Why the task state is missing (the robot-task API refused the TaskId).
    pub task_note: Option<UserError>,
    pub calls: Vec<CalleeStatus>,
    pub requests: u32,
}

fn status_of(number: String, record: Option<CallRecord>) -> CalleeStatus {
    let outcome = record.as_ref().map_or(CallOutcome::Pending, |r| r.outcome);
    CalleeStatus {
        number,
        outcome,
        outcome_label: outcome.label(),
        record,
    }
}

fn stopped(s: Stop) -> ResultsError {
    match s {
        Stop::Call(e) => ResultsError::Api(e),
        Stop::Cancelled => ResultsError::Cancelled,
    }
}

fn need_callee(task_id: &str) -> UserError {
    UserError::new(
        ErrorCode::StatusNeedCallee,
        Localized::new(
            format!("阿里云不提供任务 {task_id} 的通话列表，这个任务也不在本机的记录里。"),
            format!("Alibaba Cloud does not list the calls of task {task_id}, and this computer's journal does not know the task."),
        ),
        Localized::new(
            "请用 --callee 号码 查询单个被叫。",
            "Ask about one number with --callee NUMBER.",
        ),
    )
}

/// Asks about `task_id`: one `callee`, or every call of the task (the journal's `batch`
/// gives the numbers and the day when the call list is refused).
pub async fn query_status(
    client: &Client,
    task_id: &str,
    callee: Option<&str>,
    batch: Option<&BatchRow>,
    options: &RefreshOptions,
    clock: Arc<dyn WallClock>,
) -> Result<TaskStatusReport, ResultsError> {
    let now = clock.now_ms();
    let fetcher = Fetcher::new(
        client.clone(),
        options.qps,
        options.retry,
        clock,
        options.rng_seed,
        CancelToken::new(),
    );
    let (task, task_note) = match client.query_robot_task_detail(task_id).await {
        Ok(info) => (info, None),
        Err(e) if e.is_account_level() => return Err(ResultsError::Api(e)),
        Err(e) => (None, Some(e.to_user_error())),
    };
    // The day the calls were placed: the batch's send time, else "yesterday or today".
    let day = batch
        .and_then(|b| b.first_sent_at_ms)
        .unwrap_or(now - DAY_MS);
    let mut calls = Vec::new();
    if let Some(number) = callee {
        let record = fetcher
            .callee_record(task_id, number, day)
            .await
            .map_err(stopped)?;
        calls.push(status_of(number.to_owned(), record));
    } else {
        let expected = batch.map_or(1000, |b| b.called_numbers.len());
        match fetcher.task_call_list(task_id, 100, expected).await {
            Ok(rows) => {
                let fetched = fetcher.now_ms();
                let mut listed: Vec<CalleeStatus> = rows
                    .iter()
                    .map(|r| {
                        status_of(
                            r.called.clone().unwrap_or_default(),
                            Some(CallRecord::from_task_call(r, fetched)),
                        )
                    })
                    .collect();
                if let Some(b) = batch {
                    for n in &b.called_numbers {
                        if !listed.iter().any(|c| &c.number == n) {
                            listed.push(status_of(n.clone(), None));
                        }
                    }
                }
                calls = listed;
            }
            Err(Stop::Call(e)) if e.is_account_level() => return Err(ResultsError::Api(e)),
            Err(Stop::Call(e)) => {
                let Some(b) = batch else {
                    let mut err = need_callee(task_id);
                    err.hint = Localized::new(
                        format!("{}(接口回复：{})", err.hint.zh_cn, e.to_user_error().code),
                        format!("{} (the API said: {})", err.hint.en, e.to_user_error().code),
                    );
                    return Err(ResultsError::Status(err));
                };
                for n in &b.called_numbers {
                    let record = fetcher
                        .callee_record(task_id, n, day)
                        .await
                        .map_err(stopped)?;
                    calls.push(status_of(n.clone(), record));
                }
            }
            Err(Stop::Cancelled) => {}
        }
    }
    Ok(TaskStatusReport {
        task_id: task_id.to_owned(),
        task,
        task_note,
        calls,
        requests: fetcher.requests() + 1,
    })
}
