//! The task settings: what the user chose for a campaign, the same for every batch. One
//! type for the form, the plan, the journal (`campaigns.settings_json`) and the dry run;
//! its JSON is the stored format, so fields and their order never change. Everything of
//! `BatchRobotSmartCall` that is the same for every batch; holds no secret (the AccessKey
//! is only named, by profile). Each batch's own name is in
//! [`BatchRow::task_name`](super::model::BatchRow::task_name).

use serde::{Deserialize, Serialize};

use super::plan::PlanError;
use crate::aliyun::validate::{
    validate_corp_name, validate_dialog_id, validate_schedule_time, validate_show_numbers,
    validate_task_name, validate_task_name_characters, RequestLimits, RequestProblem,
};

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
    /// Separate from [`BatchPlan::build`](super::plan::BatchPlan::build) because time
    /// passes between planning and sending.
    pub fn check_schedule(&self, now_ms: i64) -> Result<(), PlanError> {
        match validate_schedule_time(self.schedule_time_ms, now_ms).pop() {
            Some(p) => Err(PlanError::Task(p)),
            None => Ok(()),
        }
    }

    /// The settings a plan can be built from: the first field rule they break. The rules are
    /// the form's (and so the client's), plus no control characters in the name; caller
    /// numbers given twice are left to each batch's request check, and the name's length
    /// too, as batch names are cut to fit.
    pub(crate) fn check(&self) -> Result<(), PlanError> {
        let limits = RequestLimits::default();
        let first = validate_dialog_id(&self.dialog_id)
            .into_iter()
            .chain(validate_show_numbers(&self.caller_numbers, &limits))
            .chain(validate_corp_name(
                self.corp_name.as_deref(),
                self.is_self_line,
            ))
            .chain(validate_task_name(&self.task_name, &limits))
            .chain(validate_task_name_characters(&self.task_name))
            .find(|p| {
                !matches!(
                    p,
                    RequestProblem::DuplicateNumbers { .. }
                        | RequestProblem::TaskNameTooLong { .. }
                )
            });
        match first {
            Some(p) => Err(PlanError::Task(p)),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> TaskSettings {
        TaskSettings {
            dialog_id: "1".into(),
            caller_numbers: vec!["057188880000".into()],
            corp_name: Some("公司".into()),
            is_self_line: false,
            early_media_asr: false,
            schedule_time_ms: Some(2_000),
            task_name: "回访".into(),
        }
    }

    #[test]
    fn the_plan_refuses_settings_with_the_first_problem_the_form_shows() {
        let cases: [fn(&mut TaskSettings); 7] = [
            |s| s.dialog_id = " ".into(),
            |s| s.caller_numbers.clear(),
            |s| s.caller_numbers = (0..101).map(|i| format!("0571{i:08}")).collect(),
            |s| s.caller_numbers = vec!["+8657188880000".into()],
            |s| s.corp_name = None,
            |s| s.task_name = "  ".into(),
            // Two problems: the first is named, as the form lists it first.
            |s| {
                s.dialog_id.clear();
                s.corp_name = None;
            },
        ];
        assert!(valid().check().is_ok() && valid().form_problems(1_000).is_empty());
        for (i, change) in cases.into_iter().enumerate() {
            let mut s = valid();
            change(&mut s);
            let form = s.form_problems(1_000);
            let err = s.check().unwrap_err();
            assert_eq!(err, PlanError::Task(form[0].clone()), "case {i}");
            assert!(err.code().as_str().starts_with("plan."), "case {i}");
        }
        // The schedule: the same rule, checked when time has come to send.
        let err = valid().check_schedule(2_000).unwrap_err();
        assert_eq!(
            err,
            PlanError::Task(valid().form_problems(2_000)[0].clone())
        );
        assert_eq!(err.code().as_str(), "plan.schedule_in_past");
    }

    #[test]
    fn names_with_control_characters_are_refused_by_the_plan_and_long_ones_cut_by_it() {
        let mut s = valid();
        s.task_name = "五月\n回访".into();
        assert_eq!(
            s.check().unwrap_err().code().as_str(),
            "plan.task_name_invalid"
        );
        s.task_name = "长".repeat(40);
        assert!(s.check().is_ok());
        // Caller numbers given twice are refused by each batch's request check.
        s.caller_numbers = vec!["057188880000".into(), "057188880000".into()];
        assert!(s.check().is_ok());
        assert_eq!(s.form_problems(0)[0].code(), "show_number.duplicate");
    }
}
