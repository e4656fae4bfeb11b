//! Progress of a sending run as typed events: the CLI draws a progress bar from them and the
//! desktop app forwards them to the window as Tauri events.

use serde::{Deserialize, Serialize};

use super::model::{BatchCounts, BatchState, CampaignState};
use crate::text::UserError;

/// One thing that happened during a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum EngineEvent {
    /// The run took the campaign and is about to send.
    Started(Progress),
    /// A batch changed state.
    Batch(BatchUpdate),
    /// A batch will be sent again after a wait (it certainly did not arrive, or was throttled).
    Retrying(RetryNotice),
    /// Counts after a batch finished.
    Progress(Progress),
    /// The campaign changed state (paused, stopped, cancelled, finished, running again).
    Campaign(CampaignUpdate),
}

/// A batch's new state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct BatchUpdate {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub campaign_id: i64,
    pub index: u32,
    pub state: BatchState,
    pub attempt: u32,
    pub number_count: u32,
    pub task_id: Option<String>,
    pub error_code: Option<String>,
    /// For `rejected` and `unknown`: what happened and what to do.
    pub problem: Option<UserError>,
}

/// A retry about to happen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct RetryNotice {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub campaign_id: i64,
    pub index: u32,
    /// The attempt that failed.
    pub attempt: u32,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub delay_ms: u64,
    pub code: String,
    /// Why: the front ends word a throttled request differently from a failure.
    pub kind: RetryKind,
}

/// Why a batch is sent again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum RetryKind {
    /// Alibaba Cloud throttled the request (`Throttling…`): nothing happened yet.
    Throttled,
    /// Any other failure that is safe to repeat (the request never arrived).
    Failed,
}

impl RetryKind {
    /// The kind of a retry after a failure with this code (the API's or SmartDial's).
    pub fn of(code: &str) -> RetryKind {
        if crate::aliyun::advice::is_throttling(code) {
            RetryKind::Throttled
        } else {
            RetryKind::Failed
        }
    }
}

/// Where the run stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub campaign_id: i64,
    pub counts: BatchCounts,
    pub sent_numbers: u32,
    pub total_numbers: u32,
    /// Seconds until every planned batch has left, at the current pace; `None` until the
    /// first batch finished.
    pub eta_seconds: Option<u32>,
}

/// The campaign's new state and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct CampaignUpdate {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub campaign_id: i64,
    pub state: CampaignState,
    pub reason: Option<UserError>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttling_codes_make_throttled_retries_and_the_rest_failed_ones() {
        for code in [
            "Throttling",
            "Throttling.User",
            "Throttling.Api",
            "Throttling.New",
        ] {
            assert_eq!(RetryKind::of(code), RetryKind::Throttled, "{code}");
        }
        for code in [
            "network.unreachable",
            "ServiceUnavailable",
            "isv.BUSINESS_LIMIT_CONTROL",
        ] {
            assert_eq!(RetryKind::of(code), RetryKind::Failed, "{code}");
        }
    }
}
