//! What a campaign needs from the marketer before it can go on, and the choices they make:
//! a scheduled time that has passed (new time, now, or cancel the rest), a server that takes
//! fewer numbers per request than the plan (re-split what was not sent), batches whose
//! outcome is unknown (resend or mark sent). The engine applies the choices under the
//! campaign's lease, so no other sender is running while the journal changes.

use serde::{Deserialize, Serialize};

use super::model::{BatchRow, BatchState, UnknownDecision};
use super::settings::TaskSettings;
use crate::china_time;
use crate::error_code::ErrorCode;
use crate::text::{Localized, UserError};

/// A batch whose ScheduleTime is this close (or past) is not sent: it would reach the
/// server after its time and be refused, or ring people at a time nobody chose.
pub const SCHEDULE_MARGIN_MS: i64 = 60_000;

/// The codes with which the server says a request carries more numbers than it takes. The
/// API page says 1–100 in one place and 1–1000 in another.
pub const CALLEE_LIMIT_CODES: [&str; 2] = [
    "isv.VOICE_ROBOT_CALLEE_LIMIT",
    "isv.MOBILE_COUNT_OVER_LIMIT",
];

/// When the batches not sent yet should ring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Reschedule {
    /// As soon as each batch is accepted.
    Now,
    /// At this time (Unix milliseconds).
    At {
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        ms: i64,
    },
}

impl Reschedule {
    pub fn schedule_time_ms(self) -> Option<i64> {
        match self {
            Reschedule::Now => None,
            Reschedule::At { ms } => Some(ms),
        }
    }
}

/// The marketer's answers, applied before a run sends anything.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", default)]
pub struct ResumeChoices {
    pub unknown: Option<UnknownDecision>,
    /// A new time for the batches not sent yet.
    pub reschedule: Option<Reschedule>,
    /// Re-split the batches not sent yet to at most this many numbers each.
    pub batch_size: Option<u32>,
}

/// What must be decided before a campaign can go on; empty when nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ResumeNeeds {
    /// The campaign's ScheduleTime, when it has passed and batches are still to be sent.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub schedule_passed_at: Option<i64>,
    /// The smaller batch size to offer, when the server refused a batch as too large.
    pub suggested_batch_size: Option<u32>,
    /// Batches not sent yet, the people in them, and the largest of those batches.
    pub unsent_batches: u32,
    pub unsent_people: u32,
    pub largest_unsent: u32,
}

impl ResumeNeeds {
    /// Why resuming with `choices` would only be refused again, if it would: a passed
    /// schedule without a new time, a new time that has passed too, or a too-large batch
    /// size kept. The one rule both front ends ask before starting a run.
    pub fn refusal(&self, choices: &ResumeChoices, now_ms: i64) -> Option<UserError> {
        if let Some(Reschedule::At { ms }) = choices.reschedule {
            if schedule_passed(ms, now_ms) {
                return Some(schedule_passed_reason(ms));
            }
        }
        if let (Some(at), None) = (self.schedule_passed_at, choices.reschedule) {
            return Some(schedule_passed_reason(at));
        }
        match (self.suggested_batch_size, choices.batch_size) {
            (Some(size), None) => Some(callee_limit_reason(self.largest_unsent as usize, size)),
            _ => None,
        }
    }

    /// Works them out from the journal's view of the campaign.
    pub fn of(settings: &TaskSettings, batches: &[BatchRow], now_ms: i64) -> ResumeNeeds {
        let unsent: Vec<&BatchRow> = batches.iter().filter(|b| is_unsent(b)).collect();
        let unsent_people = unsent.iter().map(|b| b.called_numbers.len() as u32).sum();
        let too_large = unsent.iter().any(|b| {
            b.error_code
                .as_deref()
                .is_some_and(|c| CALLEE_LIMIT_CODES.contains(&c))
        });
        let largest = unsent
            .iter()
            .map(|b| b.called_numbers.len() as u32)
            .max()
            .unwrap_or(0);
        ResumeNeeds {
            schedule_passed_at: settings
                .schedule_time_ms
                .filter(|at| !unsent.is_empty() && schedule_passed(*at, now_ms)),
            suggested_batch_size: too_large.then(|| suggested_batch_size(largest)),
            unsent_batches: unsent.len() as u32,
            unsent_people,
            largest_unsent: largest,
        }
    }
}

/// Not sent and sendable: planned, or refused in a way that called nobody.
pub fn is_unsent(batch: &BatchRow) -> bool {
    match batch.state {
        BatchState::Planned => true,
        BatchState::Rejected => batch.retryable,
        _ => false,
    }
}

/// Whether a batch sent now would reach the server too late for `at`.
pub fn schedule_passed(at: i64, now_ms: i64) -> bool {
    at <= now_ms + SCHEDULE_MARGIN_MS
}

/// The documented smaller limit (100) when the batches were larger, else half.
pub fn suggested_batch_size(largest: u32) -> u32 {
    if largest > 100 {
        100
    } else {
        (largest / 2).max(1)
    }
}

/// Why a run paused: the schedule passed before every batch was sent.
pub fn schedule_passed_reason(at: i64) -> UserError {
    let when = china_time::describe(at);
    UserError::new(
        ErrorCode::CampaignSchedulePassed,
        Localized::new(
            format!("预约的呼叫时间 {} 已经过了（或不到 1 分钟），剩下的批次没有发送。", when.zh_cn),
            format!("The scheduled call time {} has passed (or is less than a minute away); the remaining batches were not sent.", when.en),
        ),
        Localized::new(
            "继续发送时可以为剩下的批次选一个新时间（或马上呼叫），也可以取消它们（smartdial resume --schedule 时间 / --now，或 smartdial cancel）。",
            "When you resume, pick a new time for the remaining batches (or call now), or cancel them (smartdial resume --schedule TIME / --now, or smartdial cancel).",
        ),
    )
}

/// Why a run stopped: the server takes fewer numbers per request than the plan's batches.
pub fn callee_limit_reason(batch_numbers: usize, suggested: u32) -> UserError {
    UserError::new(
        ErrorCode::CampaignCalleeLimit,
        Localized::new(
            format!("阿里云一次只接受更少的号码：有 {batch_numbers} 个号码的批次被拒绝了（没有人被呼叫），所以停止了发送。"),
            format!("Alibaba Cloud takes fewer numbers per request: a batch of {batch_numbers} numbers was refused (nobody was called), so sending stopped."),
        ),
        Localized::new(
            format!("把还没发出的批次重新分成每批最多 {suggested} 个号码后继续（smartdial resume --batch-size {suggested}）；已发出的不会重复发送。"),
            format!("Re-split the batches not sent yet into at most {suggested} numbers each and continue (smartdial resume --batch-size {suggested}); nothing already sent is sent again."),
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_smaller_documented_limit_is_offered_first() {
        assert_eq!(suggested_batch_size(1000), 100);
        assert_eq!(suggested_batch_size(101), 100);
        assert_eq!(suggested_batch_size(100), 50);
        assert_eq!(suggested_batch_size(1), 1);
    }

    #[test]
    fn a_schedule_within_the_margin_counts_as_passed() {
        assert!(schedule_passed(1_000, 1_000));
        assert!(schedule_passed(1_000 + SCHEDULE_MARGIN_MS, 1_000));
        assert!(!schedule_passed(1_001 + SCHEDULE_MARGIN_MS, 1_000));
    }

    #[test]
    fn a_resume_is_refused_until_the_choices_answer_the_needs() {
        let needs = ResumeNeeds {
            schedule_passed_at: Some(0),
            suggested_batch_size: Some(100),
            ..ResumeNeeds::default()
        };
        let now = 1_000_000;
        let code = |c: ResumeChoices| needs.refusal(&c, now).map(|e| e.code);
        assert_eq!(
            code(ResumeChoices::default()),
            Some(ErrorCode::CampaignSchedulePassed)
        );
        let past = Some(Reschedule::At { ms: now });
        let later = Some(Reschedule::At {
            ms: now + 2 * SCHEDULE_MARGIN_MS,
        });
        let at = |reschedule, batch_size| ResumeChoices {
            reschedule,
            batch_size,
            unknown: None,
        };
        assert_eq!(
            code(at(past, Some(100))),
            Some(ErrorCode::CampaignSchedulePassed)
        );
        assert_eq!(code(at(later, None)), Some(ErrorCode::CampaignCalleeLimit));
        assert_eq!(code(at(later, Some(100))), None);
        assert_eq!(code(at(Some(Reschedule::Now), Some(50))), None);
    }

    #[test]
    fn choices_read_from_the_ui_json() {
        let c: ResumeChoices =
            serde_json::from_str(r#"{"reschedule":{"kind":"at","ms":5},"batchSize":100}"#)
                .unwrap_or_default();
        assert_eq!(c.reschedule, Some(Reschedule::At { ms: 5 }));
        assert_eq!(c.batch_size, Some(100));
        assert_eq!(c.unknown, None);
    }
}
