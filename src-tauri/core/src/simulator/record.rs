//! What the simulator saw: every `BatchRobotSmartCall` that reached its business layer, and a
//! line per API request. Tests read it (in-process or from `GET /__simulator/record`) to prove
//! what was really sent.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::aliyun::SignatureVersion;

/// Everything received since the start (or the last reset).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SimulatorRecord {
    /// Every `BatchRobotSmartCall` that passed the gateway checks (signature, timestamp,
    /// nonce) and was not faulted before processing, in arrival order — accepted or rejected
    /// by the business rules.
    pub batch_calls: Vec<RecordedBatchCall>,
    /// Every API request (admin requests excluded), faulted or not, in arrival order; only
    /// the newest 100 000 are kept.
    pub requests: Vec<RecordedRequest>,
    /// The recording files served (not the refused, expired links), in order.
    #[serde(default)]
    pub recordings_served: Vec<String>,
}

impl SimulatorRecord {
    /// The calls that created a task (whether or not the client got the answer).
    pub fn accepted(&self) -> impl Iterator<Item = &RecordedBatchCall> {
        self.batch_calls
            .iter()
            .filter(|c| c.result.task_id.is_some())
    }

    /// All callee numbers of accepted calls, in order.
    pub fn called_numbers(&self) -> Vec<String> {
        self.accepted()
            .flat_map(|c| c.called_numbers.iter().cloned())
            .collect()
    }

    /// Requests for one action.
    pub fn requests_for<'a>(
        &'a self,
        action: &'a str,
    ) -> impl Iterator<Item = &'a RecordedRequest> {
        self.requests.iter().filter(move |r| r.action == action)
    }
}

/// One `BatchRobotSmartCall` as the simulator received it, and what it answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordedBatchCall {
    /// The simulator clock when the call arrived.
    pub received_at: DateTime<Utc>,
    /// The TaskId returned, if a task was created (same as `result.task_id`).
    pub task_id: Option<String>,
    pub called_numbers: Vec<String>,
    pub called_show_number: String,
    pub dialog_id: String,
    pub task_name: String,
    pub corp_name: Option<String>,
    pub tts_param_head: Option<String>,
    pub tts_param: Option<String>,
    pub schedule_call: Option<String>,
    pub schedule_time: Option<String>,
    pub is_self_line: Option<String>,
    pub early_media_asr: Option<String>,
    pub result: RecordedResult,
}

/// The answer to one request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordedResult {
    /// The HTTP status sent (0 when the connection was dropped instead).
    pub http_status: u16,
    /// `Code` of the answer the business layer produced (`OK` or an error code).
    pub code: String,
    pub message: String,
    pub task_id: Option<String>,
    /// Whether the client received that answer; false when an after-processing fault
    /// replaced it with a 5xx or dropped the connection.
    pub delivered: bool,
    /// The injected fault that changed the answer, if any (e.g. `error500AfterProcessing`).
    pub fault: Option<String>,
}

/// One API request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordedRequest {
    /// 1-based arrival number.
    pub seq: u64,
    pub action: String,
    pub method: String,
    /// The simulator clock when the request arrived.
    pub received_at: DateTime<Utc>,
    /// Real milliseconds since the simulator started (for rate checks; the simulator clock
    /// may be frozen in tests).
    pub elapsed_ms: u64,
    pub http_status: u16,
    pub code: String,
    pub fault: Option<String>,
    /// The signature the request carried: `v3` (an `Authorization` header), `v1` (a
    /// `Signature` parameter) or none. With `code` `OK` it is the one that was verified.
    #[serde(default)]
    pub signature: Option<SignatureVersion>,
}
