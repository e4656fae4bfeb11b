//! Finding the task of a batch that was accepted without a `TaskId` (`Code: OK` and nothing
//! else): `QueryRobotTaskList` by the batch's task name and the China day it was sent. The id
//! is recorded only when exactly one task of exactly that name exists that day; two would
//! be a guess, and a wrong TaskId would show another campaign's calls as this one's.

use std::sync::Mutex;

use super::ResultsError;
use crate::aliyun::{CallError, Client};
use crate::campaign::journal::Journal;
use crate::campaign::model::{BatchRow, BatchState};
use crate::china_time;

/// Tasks asked for per lookup: more than one page of same-named tasks on one day means the
/// name does not identify the task anyway.
const PAGE_SIZE: u32 = 20;

/// Looks up and records the TaskId of every sent batch of `campaign_id` that has none,
/// updating `batches` in place. Returns how many were found. Only an account-level error
/// (the key, the balance) ends it with `Err`; any other failure leaves the batch as it was.
pub(crate) async fn find_missing_task_ids(
    client: &Client,
    journal: &Mutex<Journal>,
    campaign_id: i64,
    batches: &mut [BatchRow],
) -> Result<u32, ResultsError> {
    let mut found = 0;
    for batch in batches
        .iter_mut()
        .filter(|b| b.state == BatchState::Sent && b.task_id.is_none())
    {
        let sent_at = batch.first_sent_at_ms.unwrap_or(batch.updated_at_ms);
        let day = china_time::day(sent_at);
        let page = match client
            .query_robot_task_list(1, PAGE_SIZE, Some(&batch.task_name), Some(&day))
            .await
        {
            Ok(page) => page,
            Err(e) if e.is_account_level() => return Err(ResultsError::Api(e)),
            Err(e) => {
                log_skip(campaign_id, batch.index, &e);
                continue;
            }
        };
        let mut same_name = page
            .tasks
            .iter()
            .filter(|t| t.task_name.as_deref() == Some(batch.task_name.as_str()));
        let (Some(task), None) = (same_name.next(), same_name.next()) else {
            tracing::info!(
                campaign = campaign_id,
                batch = batch.index,
                "no single task of that name and day"
            );
            continue;
        };
        let Some(id) = task.id.clone().filter(|id| !id.trim().is_empty()) else {
            continue;
        };
        journal
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .set_found_task_id(campaign_id, batch.index, &id)?;
        tracing::info!(
            campaign = campaign_id,
            batch = batch.index,
            "task found by name and day"
        );
        batch.task_id = Some(id);
        batch.problem = None;
        found += 1;
    }
    Ok(found)
}

fn log_skip(campaign_id: i64, index: u32, e: &CallError) {
    tracing::warn!(
        campaign = campaign_id,
        batch = index,
        code = e.code().unwrap_or(""),
        "task lookup failed"
    );
}
