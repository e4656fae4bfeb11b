//! Typed requests and responses of the dyvms actions SmartDial uses
//! (`docs/api/dyvms-models.md`): `BatchRobotSmartCall`, `QueryRobotInfoList` and
//! `QueryCallDetailByTaskId`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What SmartDial sends to start one robot outbound-call task.
///
/// `to_params` gives the wire parameters (booleans as `true`/`false`, numbers comma-joined);
/// `validate` (in [`super::validate`]) checks everything the API is documented to reject.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchRobotSmartCallRequest {
    /// Callees (`CalledNumber`), 1 to [`super::validate::RequestLimits::max_called_numbers`].
    pub called_numbers: Vec<String>,
    /// Caller ids shown to callees (`CalledShowNumber`), numbers you bought, 1–100.
    pub called_show_numbers: Vec<String>,
    /// The robot / communication script id (`DialogId`, a string for this action).
    pub dialog_id: String,
    /// `TaskName`, at most 30 characters.
    pub task_name: String,
    /// `CorpName`, required unless `is_self_line`.
    pub corp_name: Option<String>,
    /// `EarlyMediaAsr`.
    pub early_media_asr: bool,
    /// `IsSelfLine`.
    pub is_self_line: bool,
    /// `ScheduleTime` in Unix milliseconds; `Some` also sends `ScheduleCall=true`.
    pub schedule_time_ms: Option<i64>,
    /// `TtsParamHead`: a JSON array of variable names.
    pub tts_param_head: Option<String>,
    /// `TtsParam`: a JSON array of `{"number": …, "params": [...]}`.
    pub tts_param: Option<String>,
}

impl BatchRobotSmartCallRequest {
    /// The action's own wire parameters (the signer adds the common ones).
    pub fn to_params(&self) -> BTreeMap<String, String> {
        let mut p = BTreeMap::new();
        p.insert("CalledNumber".to_owned(), self.called_numbers.join(","));
        p.insert(
            "CalledShowNumber".to_owned(),
            self.called_show_numbers.join(","),
        );
        p.insert("DialogId".to_owned(), self.dialog_id.clone());
        p.insert("TaskName".to_owned(), self.task_name.clone());
        if let Some(corp) = self.corp_name.as_ref().filter(|c| !c.is_empty()) {
            p.insert("CorpName".to_owned(), corp.clone());
        }
        p.insert("EarlyMediaAsr".to_owned(), bool_param(self.early_media_asr));
        p.insert("IsSelfLine".to_owned(), bool_param(self.is_self_line));
        match self.schedule_time_ms {
            Some(ms) => {
                p.insert("ScheduleCall".to_owned(), bool_param(true));
                p.insert("ScheduleTime".to_owned(), ms.to_string());
            }
            None => {
                p.insert("ScheduleCall".to_owned(), bool_param(false));
            }
        }
        if let Some(head) = &self.tts_param_head {
            p.insert("TtsParamHead".to_owned(), head.clone());
        }
        if let Some(param) = &self.tts_param {
            p.insert("TtsParam".to_owned(), param.clone());
        }
        p
    }
}

/// Booleans go on the wire in lower case, as the docs show (the Python SDKs send `True`;
/// whether the server is case-sensitive is UNCERTAIN).
pub fn bool_param(value: bool) -> String {
    if value { "true" } else { "false" }.to_owned()
}

/// Any successful (`Code: OK`) response, kept whole.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiResponse {
    /// HTTP status of the response.
    pub http_status: u16,
    /// `Code` (always `OK` in a returned `ApiResponse`).
    pub code: String,
    /// `Message`, if any.
    pub message: Option<String>,
    /// `RequestId`: quote it to Alibaba Cloud support.
    pub request_id: Option<String>,
    /// The whole JSON body as received.
    pub body: serde_json::Value,
}

impl ApiResponse {
    /// A top-level string field such as `TaskId`.
    pub fn str_field(&self, name: &str) -> Option<&str> {
        self.body.get(name).and_then(serde_json::Value::as_str)
    }
}

/// `BatchRobotSmartCall` accepted the task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchCallAccepted {
    /// `None` when the reply said `OK` without a `TaskId`: the task exists all the same (the
    /// people in it will be called), it just cannot be looked up by id.
    pub task_id: Option<String>,
    pub request_id: Option<String>,
}

/// One robot (communication script) from `QueryRobotInfoList`'s `Data`. Every field is
/// optional and numbers are given as text, because the docs show the shape only loosely.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct RobotInfo {
    pub id: Option<String>,
    pub robot_name: Option<String>,
    pub robot_type: Option<String>,
    pub audit_status: Option<String>,
    pub gmt_create: Option<String>,
    pub gmt_modified: Option<String>,
    pub partner_id: Option<String>,
    pub asr_id: Option<String>,
    pub asr_type: Option<String>,
    pub remark: Option<String>,
}

impl RobotInfo {
    pub(crate) fn from_json(v: &serde_json::Value) -> RobotInfo {
        RobotInfo {
            id: text(v, &["id", "Id", "robotId"]),
            robot_name: text(v, &["robotName", "RobotName"]),
            robot_type: text(v, &["robotType", "RobotType"]),
            audit_status: text(v, &["auditStatus", "AuditStatus"]),
            gmt_create: text(v, &["gmtCreate", "GmtCreate"]),
            gmt_modified: text(v, &["gmtModified", "GmtModified"]),
            partner_id: text(v, &["partnerId", "PartnerId"]),
            asr_id: text(v, &["asrId", "AsrId"]),
            asr_type: text(v, &["asrType", "AsrType"]),
            remark: text(v, &["remark", "Remark"]),
        }
    }
}

/// One callee's call record from `QueryCallDetailByTaskId`'s `Data`. The docs say the listed
/// fields are "for reference only", so the parsed object is kept in `raw` as well.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CallDetail {
    pub callee: Option<String>,
    pub callee_show_number: Option<String>,
    pub call_id: Option<String>,
    pub status_code: Option<String>,
    pub state_desc: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub gmt_create: Option<String>,
    /// Billed duration in seconds.
    pub duration: Option<i64>,
    pub hangup_direction: Option<String>,
    pub tags: Option<String>,
    pub dialog_count: Option<i64>,
    pub record_file: Option<String>,
    pub record_status: Option<String>,
    pub raw: serde_json::Value,
}

impl CallDetail {
    pub(crate) fn from_json(v: &serde_json::Value) -> CallDetail {
        CallDetail {
            callee: text(v, &["callee", "Callee"]),
            callee_show_number: text(v, &["calleeShowNumber", "CalleeShowNumber"]),
            call_id: text(v, &["callId", "CallId"]),
            status_code: text(v, &["statusCode", "StatusCode"]),
            state_desc: text(v, &["stateDesc", "StateDesc"]),
            start_date: text(v, &["startDate", "StartDate"]),
            end_date: text(v, &["endDate", "EndDate"]),
            gmt_create: text(v, &["gmtCreate", "GmtCreate"]),
            duration: number(v, &["duration", "Duration"]),
            hangup_direction: text(v, &["hangupDirection", "HangupDirection"]),
            tags: text(v, &["tags", "Tags"]),
            dialog_count: number(v, &["dialogCount", "DialogCount"]),
            record_file: text(v, &["recordFile", "RecordFile"]),
            record_status: text(v, &["recordStatus", "RecordStatus"]),
            raw: v.clone(),
        }
    }
}

/// The first of `names` present, as text (numbers and booleans are printed). The docs spell
/// fields in two cases and type numbers both ways, so every reader of `Data` uses this.
pub(crate) fn text(v: &serde_json::Value, names: &[&str]) -> Option<String> {
    names.iter().find_map(|n| match v.get(*n)? {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(x) => Some(x.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        serde_json::Value::Null => None,
        other => Some(other.to_string()),
    })
}

/// The first of `names` present, as an integer (numbers or numeric strings).
pub(crate) fn number(v: &serde_json::Value, names: &[&str]) -> Option<i64> {
    names.iter().find_map(|n| match v.get(*n)? {
        serde_json::Value::Number(x) => x.as_i64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn to_params_uses_wire_names_and_lowercase_booleans() {
        let req = BatchRobotSmartCallRequest {
            called_numbers: vec!["13900001111".into(), "13900002222".into()],
            called_show_numbers: vec!["057112345678".into()],
            dialog_id: "1234567".into(),
            task_name: "外呼 任务*~1".into(),
            corp_name: Some("阿里云 测试*公司~".into()),
            early_media_asr: false,
            is_self_line: false,
            schedule_time_ms: Some(1_735_689_600_000),
            tts_param_head: Some(r#"["name1","name2"]"#.into()),
            tts_param: Some("[]".into()),
        };
        let p = req.to_params();
        assert_eq!(p["CalledNumber"], "13900001111,13900002222");
        assert_eq!(p["ScheduleCall"], "true");
        assert_eq!(p["ScheduleTime"], "1735689600000");
        assert_eq!(p["EarlyMediaAsr"], "false");
        assert_eq!(p["CorpName"], "阿里云 测试*公司~");
        let now = BatchRobotSmartCallRequest {
            schedule_time_ms: None,
            corp_name: None,
            ..req
        };
        let p = now.to_params();
        assert_eq!(p["ScheduleCall"], "false");
        assert!(!p.contains_key("ScheduleTime"));
        assert!(!p.contains_key("CorpName"));
    }

    #[test]
    fn lenient_field_reading() {
        let v =
            serde_json::json!({"id": 42, "robotName": "客服", "duration": "17", "dialogCount": 3});
        let r = RobotInfo::from_json(&v);
        assert_eq!(r.id.as_deref(), Some("42"));
        assert_eq!(r.robot_name.as_deref(), Some("客服"));
        let d = CallDetail::from_json(&v);
        assert_eq!(d.duration, Some(17));
        assert_eq!(d.dialog_count, Some(3));
    }
}
