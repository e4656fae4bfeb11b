//! Cancelling, stopping and terminating robot tasks, and what each means for the people not
//! called yet — the text the desktop shows in its confirmation.
//!
//! The control APIs are documented for `CreateRobotTask` tasks; whether they accept a
//! `BatchRobotSmartCall` TaskId is UNCERTAIN. A refusal becomes
//! `task_control.unsupported`, pointing the user at the console.

use serde::Serialize;

use crate::aliyun::tasks::TaskControl;
use crate::aliyun::{CallError, Client, ErrorClass};
use crate::error_code::ErrorCode;
use crate::text::{Localized, UserError};

/// What an action does, for the confirmation dialog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ControlExplanation {
    pub control: TaskControl,
    /// The API action.
    pub action: String,
    /// The button / dialog title.
    pub title: Localized,
    /// When it can be used.
    pub applies_to: Localized,
    /// What happens to the people not called yet.
    pub effect_on_uncalled: Localized,
    /// Whether the task can be continued afterwards.
    pub reversible: bool,
}

/// The explanation for one action.
pub fn explain(control: TaskControl) -> ControlExplanation {
    let (title, applies, effect, reversible) = match control {
        TaskControl::CancelScheduled => (
            Localized::new("取消定时任务", "Cancel the scheduled task"),
            Localized::new(
                "只适用于尚未开始的定时任务。",
                "Only for a scheduled task that has not started yet.",
            ),
            Localized::new(
                "这个任务里的所有人都不会被呼叫。取消后不能恢复；如需再呼叫，要重新提交。",
                "Nobody in this task will be called. This cannot be undone; to call them later you must submit them again.",
            ),
            false,
        ),
        TaskControl::Stop => (
            Localized::new("暂停任务", "Pause the task"),
            Localized::new("只适用于正在执行的任务。", "Only for a task that is running."),
            Localized::new(
                "已经在通话中的电话会继续；还没拨打的人暂时不会被呼叫，之后可以在控制台继续任务(StartRobotTask)。",
                "Calls already in progress continue; people not called yet are held back until the task is started again (StartRobotTask, e.g. in the console).",
            ),
            true,
        ),
        TaskControl::Terminate => (
            Localized::new("终止任务", "Terminate the task"),
            Localized::new(
                "适用于正在执行或已暂停的任务。",
                "For a task that is running or paused.",
            ),
            Localized::new(
                "还没拨打的人将永远不会被这个任务呼叫，终止后不能恢复；已完成的通话结果保留。",
                "People not called yet will never be called by this task; it cannot be resumed. Results of calls already made are kept.",
            ),
            false,
        ),
    };
    ControlExplanation {
        control,
        action: control.action().to_owned(),
        title,
        applies_to: applies,
        effect_on_uncalled: effect,
        reversible,
    }
}

/// What the API did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ControlResult {
    pub control: TaskControl,
    pub task_id: String,
    /// The API confirmed the change.
    pub done: bool,
}

/// Cancels, stops or terminates one task. The request is sent once (these actions change
/// things; a timeout is reported, not repeated).
pub async fn control_task(
    client: &Client,
    control: TaskControl,
    task_id: &str,
) -> Result<ControlResult, UserError> {
    let id = task_id.trim();
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid_task_id(id));
    }
    match client.control_robot_task(control, id).await {
        Ok(true) => Ok(ControlResult {
            control,
            task_id: id.to_owned(),
            done: true,
        }),
        Ok(false) => Err(wrong_state(control, id)),
        Err(e) if is_unsupported(&e) => Err(unsupported(control, id, &e)),
        Err(e) => Err(e.to_user_error()),
    }
}

/// A refusal that is about the task id, not the account or the network.
fn is_unsupported(e: &CallError) -> bool {
    e.class() == ErrorClass::Permanent
        && !e.is_account_level()
        && e.code().is_some_and(|c| {
            c.contains("INVALID_PARAMETERS")
                || c.contains("InvalidParameter")
                || c.starts_with("InvalidTaskId")
                || c.contains("NOT_EXIST")
                || c.contains("NotFound")
        })
}

fn action_words(control: TaskControl) -> (&'static str, &'static str) {
    match control {
        TaskControl::CancelScheduled => ("取消", "cancel"),
        TaskControl::Stop => ("暂停", "pause"),
        TaskControl::Terminate => ("终止", "terminate"),
    }
}

fn invalid_task_id(id: &str) -> UserError {
    UserError::new(
        ErrorCode::TaskControlInvalidTaskId,
        Localized::new(
            format!("“{id}”不是有效的任务编号(TaskId 应该全是数字)。"),
            format!("\"{id}\" is not a valid TaskId (it should be all digits)."),
        ),
        Localized::new(
            "用 `smartdial campaigns 活动编号` 查看每批的 TaskId。",
            "Run `smartdial campaigns CAMPAIGN` to see each batch's TaskId.",
        ),
    )
}

fn wrong_state(control: TaskControl, id: &str) -> UserError {
    let (zh, en) = action_words(control);
    UserError::new(
        ErrorCode::TaskControlRefused,
        Localized::new(
            format!("阿里云没有{zh}任务 {id}：任务当前的状态不允许这样做(例如已经开始或已经结束)。"),
            format!("Alibaba Cloud did not {en} task {id}: its current state does not allow it (for example it already started or finished)."),
        ),
        Localized::new(
            "用 `smartdial status TASK_ID` 查看任务状态，或在语音服务控制台的任务管理页面查看。",
            "Check the task with `smartdial status TASK_ID` or on the Voice Service console's task page.",
        ),
    )
}

fn unsupported(control: TaskControl, id: &str, e: &CallError) -> UserError {
    let (zh, en) = action_words(control);
    let code = e.code().unwrap_or_default();
    UserError::new(
        ErrorCode::TaskControlUnsupported,
        Localized::new(
            format!("阿里云拒绝{zh}任务 {id}({code})：批量外呼(BatchRobotSmartCall)创建的任务可能不支持这个操作。"),
            format!("Alibaba Cloud refused to {en} task {id} ({code}): tasks created by BatchRobotSmartCall may not support this action."),
        ),
        Localized::new(
            "请在语音服务控制台的任务管理页面(https://dyvms.console.aliyun.com/job/list)操作这个任务。",
            "Manage the task on the Voice Service console's task page (https://dyvms.console.aliyun.com/job/list).",
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_explains_its_effect_in_both_languages() {
        for c in TaskControl::ALL {
            let e = explain(c);
            assert_eq!(e.action, c.action());
            assert!(!e.effect_on_uncalled.zh_cn.is_empty() && !e.effect_on_uncalled.en.is_empty());
        }
        assert!(explain(TaskControl::Stop).reversible);
        assert!(!explain(TaskControl::Terminate).reversible);
    }
}
