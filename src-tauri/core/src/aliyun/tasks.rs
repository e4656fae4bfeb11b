//! The robot-task APIs (`QueryRobotTaskCallList`, `QueryRobotTaskCallDetail`,
//! `QueryRobotTaskDetail`) and task control (`CancelOrderRobotTask`, `StopRobotTask`,
//! `CancelRobotTask`).
//!
//! The docs tie these to `CreateRobotTask` tasks; whether they accept a `BatchRobotSmartCall`
//! TaskId is UNCERTAIN (`docs/api/dyvms.md` §4.1), so callers must expect a refusal and fall
//! back to `QueryCallDetailByTaskId`. Task ids are strings in some of these APIs and longs in
//! others; a `BatchRobotSmartCall` TaskId is all digits, so both work on the wire.

use std::collections::BTreeMap;

use serde::Serialize;

use super::client::Client;
use super::error::CallError;
use super::models::{number, text, ApiResponse};
use super::response::parse_data;

/// One callee's row in `QueryRobotTaskCallList` (and the core of `QueryRobotTaskCallDetail`).
/// Every field is optional: the docs call their field lists "for reference only".
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RobotTaskCall {
    pub task_id: Option<String>,
    pub caller: Option<String>,
    /// The number called.
    pub called: Option<String>,
    /// Seconds.
    pub duration: Option<i64>,
    /// Tags, comma-separated.
    pub label: Option<String>,
    pub dialog_count: Option<i64>,
    /// The status code (`callResult`), e.g. `200002`.
    pub call_result: Option<String>,
    /// As the API sends it (`0`/`1`); its meaning is documented both ways.
    pub hangup_direction: Option<String>,
    pub call_id: Option<String>,
    /// `yyyy-MM-dd HH:mm:ss`, China time.
    pub call_start_time: Option<String>,
    pub call_end_time: Option<String>,
    /// Only in `QueryRobotTaskCallDetail`.
    pub record_file: Option<String>,
    pub record_status: Option<String>,
    pub raw: serde_json::Value,
}

impl RobotTaskCall {
    pub(crate) fn from_json(v: &serde_json::Value) -> RobotTaskCall {
        RobotTaskCall {
            task_id: text(v, &["taskId", "TaskId"]),
            caller: text(v, &["caller", "Caller"]),
            called: text(v, &["called", "Called", "callee", "Callee"]),
            duration: number(v, &["duration", "Duration"]),
            label: text(v, &["label", "Label", "tags"]),
            dialog_count: number(v, &["dialogCount", "DialogCount"]),
            call_result: text(v, &["callResult", "CallResult", "statusCode"]),
            hangup_direction: text(v, &["hangupDirection", "HangupDirection"]),
            call_id: text(v, &["callId", "CallId"]),
            call_start_time: text(v, &["callStartTime", "CallStartTime", "startDate"]),
            call_end_time: text(v, &["callEndTime", "CallEndTime", "endDate"]),
            record_file: text(v, &["recordFile", "RecordFile"]),
            record_status: text(v, &["recordStatus", "RecordStatus"]),
            raw: v.clone(),
        }
    }
}

/// A robot task as `QueryRobotTaskDetail` describes it.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RobotTaskInfo {
    pub id: Option<String>,
    pub task_name: Option<String>,
    /// INIT, READY, DISPATCH, EXCUTING [sic], MANUAL_STOP, SYSTEM_STOP, ARREARS_STOP, CANCEL,
    /// SYSTEM_CANCEL, FINISH.
    pub status: Option<String>,
    /// SINGLE (at once) or ORDER (scheduled).
    pub schedule_type: Option<String>,
    pub create_time: Option<String>,
    pub fire_time: Option<String>,
    pub complete_time: Option<String>,
    /// Calls in the task (`QueryRobotTaskList` only).
    pub total_count: Option<i64>,
    /// Calls completed (`QueryRobotTaskList` only).
    pub finish_count: Option<i64>,
    pub raw: serde_json::Value,
}

impl RobotTaskInfo {
    pub(crate) fn from_json(v: &serde_json::Value) -> RobotTaskInfo {
        RobotTaskInfo {
            id: text(v, &["Id", "id"]),
            task_name: text(v, &["taskName", "TaskName"]),
            status: text(v, &["status", "Status"]),
            schedule_type: text(v, &["scheduleType", "ScheduleType"]),
            create_time: text(v, &["createTime", "CreateTime"]),
            fire_time: text(v, &["fireTime", "FireTime"]),
            complete_time: text(v, &["completeTime", "CompleteTime"]),
            total_count: number(v, &["totalCount", "TotalCount"]),
            finish_count: number(v, &["finishCount", "FinishCount"]),
            raw: v.clone(),
        }
    }
}

/// What to do with a running or scheduled task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum TaskControl {
    /// `CancelOrderRobotTask`: cancel a scheduled task that has not started.
    CancelScheduled,
    /// `StopRobotTask`: pause a running task (`StartRobotTask` continues it).
    Stop,
    /// `CancelRobotTask`: terminate a running task for good.
    Terminate,
}

impl TaskControl {
    pub const ALL: [TaskControl; 3] = [
        TaskControl::CancelScheduled,
        TaskControl::Stop,
        TaskControl::Terminate,
    ];

    /// The API action.
    pub fn action(self) -> &'static str {
        match self {
            TaskControl::CancelScheduled => "CancelOrderRobotTask",
            TaskControl::Stop => "StopRobotTask",
            TaskControl::Terminate => "CancelRobotTask",
        }
    }
}

/// One page of `QueryRobotTaskCallList`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RobotTaskCallPage {
    pub rows: Vec<RobotTaskCall>,
    /// `TotalCount` when the reply has one (undocumented for this action).
    pub total: Option<u64>,
}

/// One page of `QueryRobotTaskList`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RobotTaskPage {
    pub tasks: Vec<RobotTaskInfo>,
    /// `TotalCount`: tasks matching the filters.
    pub total: Option<u64>,
}

impl Client {
    /// One page (1-based) of the account's robot tasks, optionally filtered by name and
    /// creation day (`yyyy-MM-dd`). Whether `BatchRobotSmartCall` tasks appear is UNCERTAIN.
    pub async fn query_robot_task_list(
        &self,
        page_no: u32,
        page_size: u32,
        task_name: Option<&str>,
        day: Option<&str>,
    ) -> Result<RobotTaskPage, CallError> {
        const ACTION: &str = "QueryRobotTaskList";
        let mut params = params(&[
            ("PageNo", page_no.max(1).to_string()),
            ("PageSize", page_size.max(1).to_string()),
        ]);
        if let Some(name) = task_name {
            params.insert("TaskName".to_owned(), name.to_owned());
        }
        if let Some(day) = day {
            params.insert("Time".to_owned(), day.to_owned());
        }
        let reply = self.call(ACTION, params).await?;
        let data = data_value(ACTION, &reply)?;
        let tasks = list_items(ACTION, &reply, data)?
            .iter()
            .map(RobotTaskInfo::from_json)
            .collect();
        Ok(RobotTaskPage {
            tasks,
            total: total_count(&reply),
        })
    }

    /// One page (1-based) of a task's call rows. Rows only appear for calls that were made.
    pub async fn query_robot_task_call_list(
        &self,
        task_id: &str,
        page_no: u32,
        page_size: u32,
    ) -> Result<RobotTaskCallPage, CallError> {
        const ACTION: &str = "QueryRobotTaskCallList";
        let params = params(&[
            ("TaskId", task_id.to_owned()),
            ("PageNo", page_no.max(1).to_string()),
            ("PageSize", page_size.max(1).to_string()),
        ]);
        let reply = self.call(ACTION, params).await?;
        let data = data_value(ACTION, &reply)?;
        let rows = list_items(ACTION, &reply, data)?
            .iter()
            .map(RobotTaskCall::from_json)
            .collect();
        Ok(RobotTaskCallPage {
            rows,
            total: total_count(&reply),
        })
    }

    /// One callee's call in a robot task on the day of `query_date_ms`; `None` while there is none.
    pub async fn query_robot_task_call_detail(
        &self,
        task_id: &str,
        callee: &str,
        query_date_ms: i64,
    ) -> Result<Option<RobotTaskCall>, CallError> {
        const ACTION: &str = "QueryRobotTaskCallDetail";
        let params = params(&[
            ("TaskId", task_id.to_owned()),
            ("Callee", callee.to_owned()),
            ("QueryDate", query_date_ms.to_string()),
        ]);
        let reply = self.call(ACTION, params).await?;
        Ok(match data_value(ACTION, &reply)? {
            serde_json::Value::Null => None,
            serde_json::Value::Object(map) if map.is_empty() => None,
            serde_json::Value::Array(items) => items.first().map(RobotTaskCall::from_json),
            other => Some(RobotTaskCall::from_json(&other)),
        })
    }

    /// A task's status and times; `None` when the reply has no data.
    pub async fn query_robot_task_detail(
        &self,
        task_id: &str,
    ) -> Result<Option<RobotTaskInfo>, CallError> {
        const ACTION: &str = "QueryRobotTaskDetail";
        let reply = self
            .call(ACTION, params(&[("Id", task_id.to_owned())]))
            .await?;
        Ok(match data_value(ACTION, &reply)? {
            serde_json::Value::Null => None,
            serde_json::Value::Object(map) if map.is_empty() => None,
            other => Some(RobotTaskInfo::from_json(&other)),
        })
    }

    /// Cancels, stops or terminates a task. `Ok(false)` when the API answered `Data: false`
    /// (the task's state does not allow it). Never retried: these actions change things.
    pub async fn control_robot_task(
        &self,
        control: TaskControl,
        task_id: &str,
    ) -> Result<bool, CallError> {
        let action = control.action();
        let reply = self
            .call(action, params(&[("TaskId", task_id.to_owned())]))
            .await?;
        Ok(match data_value(action, &reply)? {
            serde_json::Value::Bool(b) => b,
            serde_json::Value::String(s) => s.trim().eq_ignore_ascii_case("true"),
            // Code OK without Data: the request was accepted.
            serde_json::Value::Null => true,
            _ => false,
        })
    }
}

fn total_count(reply: &ApiResponse) -> Option<u64> {
    reply.body.get("TotalCount").and_then(|v| match v {
        serde_json::Value::Number(n) => n.as_u64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    })
}

fn params(pairs: &[(&str, String)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

fn data_value(action: &str, reply: &ApiResponse) -> Result<serde_json::Value, CallError> {
    parse_data(reply.body.get("Data")).map_err(|detail| CallError::UnexpectedData {
        action: action.to_owned(),
        request_id: reply.request_id.clone(),
        detail,
    })
}

/// The rows of a list reply: an array, or the first array inside an object.
fn list_items(
    action: &str,
    reply: &ApiResponse,
    data: serde_json::Value,
) -> Result<Vec<serde_json::Value>, CallError> {
    match data {
        serde_json::Value::Array(items) => Ok(items),
        serde_json::Value::Null => Ok(Vec::new()),
        serde_json::Value::Object(map) => Ok(map
            .into_iter()
            .find_map(|(_, v)| match v {
                serde_json::Value::Array(items) => Some(items),
                _ => None,
            })
            .unwrap_or_default()),
        _ => Err(CallError::UnexpectedData {
            action: action.to_owned(),
            request_id: reply.request_id.clone(),
            detail: "Data is not a list".to_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_rows_are_read_leniently() {
        let v = serde_json::json!({"called": 13900001111u64, "duration": "12", "callResult": 200002,
            "hangupDirection": 0, "label": "意向客户"});
        let r = RobotTaskCall::from_json(&v);
        assert_eq!(r.called.as_deref(), Some("13900001111"));
        assert_eq!(r.duration, Some(12));
        assert_eq!(r.call_result.as_deref(), Some("200002"));
        assert_eq!(r.hangup_direction.as_deref(), Some("0"));
        assert_eq!(r.label.as_deref(), Some("意向客户"));
    }

    #[test]
    fn control_actions_are_the_documented_names() {
        let names: Vec<_> = TaskControl::ALL.iter().map(|c| c.action()).collect();
        assert_eq!(
            names,
            ["CancelOrderRobotTask", "StopRobotTask", "CancelRobotTask"]
        );
    }
}
