//! A campaign's results as stored: every person, their variables, their latest outcome.

use std::collections::HashMap;

use super::model::{CampaignResults, PersonResult, Variable};
use super::outcome::{CallOutcome, HangupReading};
use super::store;
use super::ResultsError;
use crate::campaign::journal::Journal;
use crate::campaign::model::{BatchRow, BatchState};
use crate::china_time;

/// Every person of a campaign with their stored result; no network. `now_ms` decides
/// whether recording links are still valid.
pub fn load_results(
    journal: &Journal,
    campaign_id: i64,
    now_ms: i64,
) -> Result<CampaignResults, ResultsError> {
    let campaign = journal.campaign(campaign_id)?;
    let batches = journal.batches(campaign_id)?;
    let stored = store::load(journal.conn(), campaign_id)?;
    let mut names: Vec<String> = Vec::new();
    let mut people = Vec::with_capacity(campaign.total_numbers as usize);
    for batch in &batches {
        let head = variable_names(batch.tts_param_head.as_deref());
        for n in &head {
            if !names.contains(n) {
                names.push(n.clone());
            }
        }
        let values = variable_values(batch.tts_param.as_deref());
        let sent = batch.state == BatchState::Sent && batch.task_id.is_some();
        let untracked = batch.state == BatchState::Sent && batch.task_id.is_none();
        for (pos, number) in batch.called_numbers.iter().enumerate() {
            let position = pos as u32;
            let found = stored.get(&(batch.index, position));
            let record = found.and_then(|s| s.record.as_ref());
            let outcome = match found {
                _ if untracked => CallOutcome::Untracked,
                _ if !sent => CallOutcome::NotSent,
                Some(s) => s.outcome,
                None => CallOutcome::Pending,
            };
            let params = values
                .get(number.as_str())
                .or_else(|| values.get("all"))
                .cloned()
                .unwrap_or_default();
            let variables = head
                .iter()
                .enumerate()
                .map(|(i, name)| Variable {
                    name: name.clone(),
                    value: params.get(i).cloned().unwrap_or_default(),
                })
                .collect();
            let record_expires_at_ms = record.and_then(|r| r.record_expires_at_ms);
            let record_url = record.and_then(|r| r.record_url.clone());
            people.push(PersonResult {
                campaign_id,
                batch_index: batch.index,
                position,
                task_id: batch.task_id.clone(),
                number: number.clone(),
                source_row: batch.source_rows.get(pos).copied(),
                variables,
                outcome,
                outcome_label: outcome.label(),
                status_code: record.and_then(|r| r.status_code.clone()),
                state_desc: record.and_then(|r| r.state_desc.clone()),
                duration_secs: record.and_then(|r| r.duration_secs),
                hangup_raw: record.and_then(|r| r.hangup_raw.clone()),
                hangup: record.map_or(HangupReading::Unknown, |r| r.hangup),
                dialog_count: record.and_then(|r| r.dialog_count),
                tags: record.map(|r| r.tags.clone()).unwrap_or_default(),
                call_id: record.and_then(|r| r.call_id.clone()),
                call_time: record.and_then(|r| r.call_time.clone()),
                ended_at: record.and_then(|r| r.ended_at.clone()),
                call_time_ms: record
                    .and_then(|r| r.call_time.as_deref())
                    .and_then(china_time::parse_api),
                ended_at_ms: record
                    .and_then(|r| r.ended_at.as_deref())
                    .and_then(china_time::parse_api),
                recording_available: record_url.is_some()
                    && record_expires_at_ms.is_some_and(|t| t > now_ms),
                record_url,
                record_expires_at_ms,
                source: record.map(|r| r.source),
                fetched_at_ms: found.map(|s| s.fetched_at_ms),
            });
        }
    }
    Ok(CampaignResults::new(campaign, people, names))
}

/// The newest campaign in the journal.
pub fn most_recent_campaign(journal: &Journal) -> Result<i64, ResultsError> {
    journal
        .campaigns()?
        .iter()
        .max_by_key(|c| (c.created_at_ms, c.id))
        .map(|c| c.id)
        .ok_or(ResultsError::NoCampaign)
}

/// The batch holding `task_id`, if this journal sent it.
pub fn batch_for_task(journal: &Journal, task_id: &str) -> Result<Option<BatchRow>, ResultsError> {
    match store::batch_of_task(journal.conn(), task_id)? {
        Some((campaign, index)) => Ok(Some(journal.batch(campaign, index)?)),
        None => Ok(None),
    }
}

/// `TtsParamHead`: a JSON array of names.
fn variable_names(head: Option<&str>) -> Vec<String> {
    head.and_then(|h| serde_json::from_str::<Vec<serde_json::Value>>(h).ok())
        .unwrap_or_default()
        .iter()
        .map(scalar)
        .collect()
}

/// `TtsParam`: `[{"number": "...", "params": [...]}]` → number → values.
fn variable_values(param: Option<&str>) -> HashMap<String, Vec<String>> {
    let items: Vec<serde_json::Value> = param
        .and_then(|p| serde_json::from_str(p).ok())
        .unwrap_or_default();
    items
        .iter()
        .filter_map(|item| {
            let number = scalar(item.get("number")?);
            let params = item.get("params")?.as_array()?.iter().map(scalar).collect();
            Some((number, params))
        })
        .collect()
}

fn scalar(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_are_read_by_number_with_all_as_fallback() {
        let names = variable_names(Some(r#"["姓名","日期"]"#));
        assert_eq!(names, ["姓名", "日期"]);
        let values = variable_values(Some(
            r#"[{"number":"13900001111","params":["张三","明天"]},{"number":"all","params":["客户",3]}]"#,
        ));
        assert_eq!(values["13900001111"], ["张三", "明天"]);
        assert_eq!(values["all"], ["客户", "3"]);
        assert!(variable_values(Some("not json")).is_empty());
        assert!(variable_names(None).is_empty());
    }
}
