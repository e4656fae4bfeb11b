//! What the journal stores and what the desktop app and the CLI show: campaign and batch
//! states, summaries, batch rows, and the inputs that create a campaign.

use serde::{Deserialize, Serialize};

use super::numbers::CalledNumbers;
use super::settings::TaskSettings;
use super::tts::TtsValues;
use crate::text::{Localized, UserError};

/// Where one batch (one `BatchRobotSmartCall` request) stands.
///
/// ```text
/// planned ──▶ sending ──▶ sent
///    ▲           ├──────▶ rejected   (the server said no; nobody was called)
///    │           └──────▶ unknown    (the request may have arrived: needs a decision)
///    └─ resume (retryable rejects, resent unknowns)      planned ──▶ cancelled
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum BatchState {
    /// Not sent yet.
    Planned,
    /// Committed as leaving: a request is, or may be, on its way.
    Sending,
    /// Accepted: the server returned a TaskId.
    Sent,
    /// Refused by the server; see `retryable`.
    Rejected,
    /// The request may or may not have arrived (timeout, dropped connection, 5xx, crash).
    Unknown,
    /// Will not be sent: the campaign was cancelled before it started, or everyone in it
    /// was put on the do-not-call list before its turn came.
    Cancelled,
}

impl BatchState {
    pub const ALL: [BatchState; 6] = [
        BatchState::Planned,
        BatchState::Sending,
        BatchState::Sent,
        BatchState::Rejected,
        BatchState::Unknown,
        BatchState::Cancelled,
    ];

    /// The word stored in the journal (and printed by the CLI).
    pub fn as_str(self) -> &'static str {
        match self {
            BatchState::Planned => "planned",
            BatchState::Sending => "sending",
            BatchState::Sent => "sent",
            BatchState::Rejected => "rejected",
            BatchState::Unknown => "unknown",
            BatchState::Cancelled => "cancelled",
        }
    }

    pub fn parse(word: &str) -> Option<BatchState> {
        BatchState::ALL.into_iter().find(|s| s.as_str() == word)
    }

    /// The state in words (the same words the window uses).
    pub fn label(self) -> Localized {
        let (zh, en) = match self {
            BatchState::Planned => ("待发送", "Not sent yet"),
            BatchState::Sending => ("发送中", "Sending"),
            BatchState::Sent => ("已提交", "Sent"),
            BatchState::Rejected => ("被拒绝", "Refused"),
            BatchState::Unknown => ("不确定", "Unknown"),
            BatchState::Cancelled => ("已取消", "Cancelled"),
        };
        Localized::new(zh, en)
    }
}

/// Where a campaign as a whole stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum CampaignState {
    /// Journaled, nothing sent yet.
    Ready,
    /// A process is sending it (or was, until it crashed: see `CampaignSummary::busy`).
    Running,
    /// Stopped on purpose or by a business limit; `resume` continues it.
    Paused,
    /// Stopped by an account-level error (no balance, key disabled, ...); fix, then resume.
    Stopped,
    /// Cancelled: the batches that had not started never will.
    Cancelled,
    /// Every batch has left or was refused; some may still need a decision (`unknown`).
    Finished,
}

impl CampaignState {
    pub const ALL: [CampaignState; 6] = [
        CampaignState::Ready,
        CampaignState::Running,
        CampaignState::Paused,
        CampaignState::Stopped,
        CampaignState::Cancelled,
        CampaignState::Finished,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CampaignState::Ready => "ready",
            CampaignState::Running => "running",
            CampaignState::Paused => "paused",
            CampaignState::Stopped => "stopped",
            CampaignState::Cancelled => "cancelled",
            CampaignState::Finished => "finished",
        }
    }

    pub fn parse(word: &str) -> Option<CampaignState> {
        CampaignState::ALL.into_iter().find(|s| s.as_str() == word)
    }

    /// The state in words (the same words the window uses).
    pub fn label(self) -> Localized {
        let (zh, en) = match self {
            CampaignState::Ready => ("等待开始", "Ready"),
            CampaignState::Running => ("发送中", "Sending"),
            CampaignState::Paused => ("已暂停", "Paused"),
            CampaignState::Stopped => ("已停止", "Stopped"),
            CampaignState::Cancelled => ("已取消", "Cancelled"),
            CampaignState::Finished => ("已完成", "Finished"),
        };
        Localized::new(zh, en)
    }
}

/// One batch of a campaign about to be journaled, held as compactly as the plan holds it:
/// the journal writes the `CalledNumber` and `TtsParam` text one batch at a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBatch {
    pub task_name: String,
    pub called_numbers: CalledNumbers,
    pub tts_param_head: Option<String>,
    /// The contacts' template values, in the order of `called_numbers`; `Some` exactly when
    /// `tts_param_head` is.
    pub tts_values: Option<TtsValues>,
    /// Sheet row numbers of the numbers, in the same order.
    pub source_rows: Vec<u32>,
}

impl NewBatch {
    /// `TtsParam` as journaled and sent; written on each call.
    pub fn tts_param(&self) -> Option<String> {
        self.tts_values
            .as_ref()
            .map(|v| v.to_json(&self.called_numbers))
    }
}

/// A campaign about to be journaled: where it came from and every batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCampaign {
    /// The file name the user imported (no folder: it may name a person).
    pub source_name: String,
    /// SHA-256 of the file's bytes, hex.
    pub source_sha256: String,
    /// The column mapping used, as JSON.
    pub mapping_json: String,
    pub settings: TaskSettings,
    /// The AccessKey profile's name (never the key).
    pub profile: String,
    pub endpoint: String,
    pub batches: Vec<NewBatch>,
}

impl NewCampaign {
    /// How many people the campaign calls.
    pub fn total_numbers(&self) -> usize {
        self.batches.iter().map(|b| b.called_numbers.len()).sum()
    }
}

/// How many batches are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct BatchCounts {
    pub planned: u32,
    pub sending: u32,
    pub sent: u32,
    pub rejected: u32,
    pub unknown: u32,
    pub cancelled: u32,
}

impl BatchCounts {
    pub fn total(&self) -> u32 {
        self.planned + self.sending + self.sent + self.rejected + self.unknown + self.cancelled
    }

    pub fn add(&mut self, state: BatchState, n: u32) {
        let slot = match state {
            BatchState::Planned => &mut self.planned,
            BatchState::Sending => &mut self.sending,
            BatchState::Sent => &mut self.sent,
            BatchState::Rejected => &mut self.rejected,
            BatchState::Unknown => &mut self.unknown,
            BatchState::Cancelled => &mut self.cancelled,
        };
        *slot += n;
    }

    /// True when every batch was accepted: the only outcome the CLI exits 0 for.
    pub fn all_sent(&self) -> bool {
        self.total() > 0 && self.sent == self.total()
    }
}

/// One line of the campaign list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct CampaignSummary {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub created_at_ms: i64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub updated_at_ms: i64,
    pub source_name: String,
    pub source_sha256: String,
    pub task_name: String,
    pub dialog_id: String,
    pub profile: String,
    pub endpoint: String,
    pub state: CampaignState,
    /// Why it is paused or stopped.
    pub reason: Option<UserError>,
    pub total_numbers: u32,
    /// People in batches that were accepted.
    pub sent_numbers: u32,
    pub batches: BatchCounts,
    /// Another process holds the campaign right now.
    pub busy: bool,
}

/// One batch as the journal holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchRow {
    pub campaign_id: i64,
    /// 0-based position in the campaign.
    pub index: u32,
    pub task_name: String,
    pub called_numbers: Vec<String>,
    pub tts_param_head: Option<String>,
    pub tts_param: Option<String>,
    pub source_rows: Vec<u32>,
    pub state: BatchState,
    pub attempts: u32,
    /// A rejected batch that may be sent again once the cause is fixed.
    pub retryable: bool,
    pub task_id: Option<String>,
    pub request_id: Option<String>,
    pub error_code: Option<String>,
    /// For `rejected` and `unknown`: what happened and what to do.
    pub problem: Option<UserError>,
    /// How an `unknown` batch was settled: `resent` or `marked-sent`.
    pub decision: Option<String>,
    pub updated_at_ms: i64,
    pub first_sent_at_ms: Option<i64>,
    pub finished_at_ms: Option<i64>,
}

/// One batch as the screens list it: its state and outcome without its numbers and
/// parameters, which for a 100,000-person campaign are megabytes the list never shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct BatchOverview {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub campaign_id: i64,
    /// 0-based position in the campaign.
    pub index: u32,
    pub task_name: String,
    /// How many people the batch calls.
    pub people: u32,
    pub state: BatchState,
    pub attempts: u32,
    /// A rejected batch that may be sent again once the cause is fixed.
    pub retryable: bool,
    pub task_id: Option<String>,
    pub error_code: Option<String>,
    /// For `rejected` and `unknown`: what happened and what to do.
    pub problem: Option<UserError>,
    /// How an `unknown` batch was settled: `resent` or `marked-sent`.
    pub decision: Option<String>,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub updated_at_ms: i64,
}

/// What the user decided for batches whose outcome is `unknown`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum UnknownDecision {
    /// Send them again (the people in them may be called twice).
    Resend,
    /// The user checked (query API or console) that they arrived.
    MarkSent,
}

/// The one clock, at the path the journal and the engine have always used.
pub use crate::clock::{SystemClock, WallClock};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_has_its_own_words_in_each_language() {
        let campaign: Vec<Localized> = CampaignState::ALL.iter().map(|s| s.label()).collect();
        let batch: Vec<Localized> = BatchState::ALL.iter().map(|s| s.label()).collect();
        for labels in [campaign, batch] {
            for (i, l) in labels.iter().enumerate() {
                assert!(!l.zh_cn.chars().any(|c| c.is_ascii_alphabetic()), "{l:?}");
                assert!(l.en.is_ascii(), "{l:?}");
                assert!(
                    labels[..i]
                        .iter()
                        .all(|o| o.zh_cn != l.zh_cn && o.en != l.en),
                    "{l:?}"
                );
            }
        }
    }

    #[test]
    fn state_words_round_trip() {
        for s in BatchState::ALL {
            assert_eq!(BatchState::parse(s.as_str()), Some(s));
        }
        for s in CampaignState::ALL {
            assert_eq!(CampaignState::parse(s.as_str()), Some(s));
        }
        assert_eq!(BatchState::parse("pending"), None);
    }

    #[test]
    fn counts_only_all_sent_when_every_batch_is() {
        let mut c = BatchCounts::default();
        assert!(!c.all_sent());
        c.add(BatchState::Sent, 3);
        assert!(c.all_sent());
        c.add(BatchState::Unknown, 1);
        assert!(!c.all_sent());
        assert_eq!(c.total(), 4);
    }
}
