//! The task settings: what the user chose for a campaign, the same for every batch. One
//! type for the form, the plan, the journal (`campaigns.settings_json`) and the dry run;
//! its JSON is the stored format, so fields and their order never change. Everything of
//! `BatchRobotSmartCall` that is the same for every batch; holds no secret (the AccessKey
//! is only named, by profile). Each batch's own name is in
//! [`BatchRow::task_name`](super::model::BatchRow::task_name).

use serde::{Deserialize, Serialize};

use super::plan::{PlanError, MAX_CALLER_NUMBERS};
use crate::aliyun::validate::{
    validate_corp_name, validate_dialog_id, validate_schedule_time, validate_show_numbers,
    validate_task_name, RequestLimits, RequestProblem,
};
use crate::sheet::cell::has_control_chars;

/// What the user chose for the task, shared by every batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct TaskSettings {
    /// The robot script (`DialogId`), a string in this API.
    pub dialog_id: String,
    /// Purchased caller numbers (`CalledShowNumber`), 1–100.
    pub caller_numbers: Vec<String>,
    /// Company name (`CorpName`); required unless `is_self_line`.
    pub corp_name: Option<String>,
    pub is_self_line: bool,
    pub early_media_asr: bool,
    /// `ScheduleTime` in Unix milliseconds; `None` calls at once.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub schedule_time_ms: Option<i64>,
    /// Base task name; batches get a ` (3/12)` suffix when there is more than one.
    pub task_name: String,
}

impl TaskSettings {
    /// The task form checked field by field, with the rules the client applies to every
    /// request before sending: the fields the user fills in (robot, caller numbers, company
    /// or own line, task name, schedule). Empty means the form is complete.
    pub fn form_problems(&self, now_ms: i64) -> Vec<RequestProblem> {
        let limits = RequestLimits::default();
        let mut problems = validate_dialog_id(&self.dialog_id);
        problems.extend(validate_show_numbers(&self.caller_numbers, &limits));
        problems.extend(validate_corp_name(
            self.corp_name.as_deref(),
            self.is_self_line,
        ));
        problems.extend(validate_task_name(&self.task_name, &limits));
        problems.extend(validate_schedule_time(self.schedule_time_ms, now_ms));
        problems
    }

    /// Checks the schedule against the current time (passed in, so tests are deterministic).
    /// Separate from [`BatchPlan::build`](super::plan::BatchPlan::build) because time passes between planning and sending.
    pub fn check_schedule(&self, now_ms: i64) -> Result<(), PlanError> {
        match self.schedule_time_ms {
            Some(t) if t <= now_ms => Err(PlanError::ScheduleInPast {
                schedule_time_ms: t,
            }),
            _ => Ok(()),
        }
    }

    pub(crate) fn check(&self) -> Result<(), PlanError> {
        if self.dialog_id.trim().is_empty() {
            return Err(PlanError::DialogIdMissing);
        }
        if self.caller_numbers.is_empty() {
            return Err(PlanError::CallerNumbersMissing);
        }
        if self.caller_numbers.len() > MAX_CALLER_NUMBERS {
            return Err(PlanError::TooManyCallerNumbers {
                count: self.caller_numbers.len(),
            });
        }
        if let Some(bad) = self
            .caller_numbers
            .iter()
            .find(|n| !crate::aliyun::validate::is_plain_number(n))
        {
            return Err(PlanError::CallerNumberInvalid {
                number: bad.clone(),
            });
        }
        let corp_missing = self
            .corp_name
            .as_deref()
            .is_none_or(|c| c.trim().is_empty());
        if !self.is_self_line && corp_missing {
            return Err(PlanError::CorpNameMissing);
        }
        let name = self.task_name.trim();
        if name.is_empty() {
            return Err(PlanError::TaskNameMissing);
        }
        if has_control_chars(name) {
            return Err(PlanError::TaskNameInvalid);
        }
        Ok(())
    }
}
