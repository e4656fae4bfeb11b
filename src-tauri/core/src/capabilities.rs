//! The numbers the desktop's forms show as bounds, read from the rules that enforce them,
//! so a limit changes in one place and the forms follow; and the campaign actions table
//! ([`crate::campaign::lifecycle`]) its buttons follow.

use serde::Serialize;

use crate::aliyun::RequestLimits;
use crate::campaign::lifecycle::{CampaignActions, CampaignActionsRow};
use crate::campaign::plan::MAX_BATCH_SIZE;
use crate::settings::{MAX_CONCURRENCY, MAX_QPS};

/// Bounds of the task form and the settings page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct FormLimits {
    /// Numbers per batch (`Settings::batch_size`).
    pub max_batch_size: u32,
    /// Requests per second (`Settings::qps`).
    pub max_qps: u32,
    /// Requests in flight (`Settings::concurrency`).
    pub max_concurrency: u32,
    /// Characters of the task name (`TaskName`).
    pub max_task_name_chars: u32,
    /// Caller numbers per task (`CalledShowNumber`).
    pub max_caller_numbers: u32,
    /// What each campaign state allows (pause, resume, cancel, unfinished), with and
    /// without batches waiting for a decision: the desktop looks its buttons up here.
    pub campaign_actions: Vec<CampaignActionsRow>,
}

impl FormLimits {
    /// The bounds the checks behind the forms apply.
    pub fn current() -> FormLimits {
        let request = RequestLimits::default();
        FormLimits {
            max_batch_size: MAX_BATCH_SIZE as u32,
            max_qps: MAX_QPS,
            max_concurrency: MAX_CONCURRENCY,
            max_task_name_chars: request.max_task_name_chars as u32,
            max_caller_numbers: request.max_show_numbers as u32,
            campaign_actions: CampaignActions::table(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Settings;

    /// The bounds are the ones the checks enforce: the highest accepted value passes and
    /// one more is refused.
    #[test]
    fn the_bounds_are_what_the_checks_accept() {
        let limits = FormLimits::current();
        let ok = Settings {
            batch_size: limits.max_batch_size,
            qps: limits.max_qps,
            concurrency: limits.max_concurrency,
            ..Settings::default()
        };
        assert!(ok.validate().is_ok());
        for over in [
            Settings {
                batch_size: limits.max_batch_size + 1,
                ..ok.clone()
            },
            Settings {
                qps: limits.max_qps + 1,
                ..ok.clone()
            },
            Settings {
                concurrency: limits.max_concurrency + 1,
                ..ok.clone()
            },
        ] {
            assert!(over.validate().is_err(), "{over:?}");
        }
        assert_eq!(
            limits.max_task_name_chars as usize,
            crate::campaign::plan::MAX_TASK_NAME_CHARS
        );
        assert_eq!(
            limits.max_caller_numbers as usize,
            crate::campaign::plan::MAX_CALLER_NUMBERS
        );
    }
}
