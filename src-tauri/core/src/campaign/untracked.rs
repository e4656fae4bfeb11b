//! Batches the server accepted without a `TaskId`. `Code: OK` means the task exists and its
//! people will be called, so such a batch is *sent*, never sendable again; but its results
//! cannot be asked for by id until the task is found by its name and day.

use crate::china_time;
use crate::error_code::ErrorCode;
use crate::text::{Localized, UserError};

/// What the marketer reads about a batch accepted without a `TaskId`.
pub fn problem(task_name: &str, numbers: u32, sent_at_ms: i64) -> UserError {
    let day = china_time::day(sent_at_ms);
    UserError::new(
        ErrorCode::BatchSentWithoutTaskId,
        Localized::new(
            format!(
                "阿里云已接受任务“{task_name}”（{numbers} 人），这些人会被呼叫，但回复里没有任务编号，所以暂时查不到通话结果。这一批不会再发送。"
            ),
            format!(
                "Alibaba Cloud accepted task \"{task_name}\" ({numbers} people): they will be called, but the reply carried no task id, so their results cannot be looked up yet. This batch will not be sent again."
            ),
        ),
        Localized::new(
            format!(
                "刷新结果时，SmartDial 会按任务名称“{task_name}”和日期 {day}（北京时间）查找这个任务（QueryRobotTaskList）；也可以在阿里云语音服务控制台的任务列表里按同样的名称和日期查找。"
            ),
            format!(
                "When you refresh the results, SmartDial looks the task up by its name \"{task_name}\" and day {day} (China time) with QueryRobotTaskList; you can also find it in the Alibaba Cloud Voice Service console's task list by the same name and day."
            ),
        ),
    )
}

/// Why a run paused after a batch came back accepted without a `TaskId`.
pub fn pause_reason(task_name: &str) -> UserError {
    UserError::new(
        ErrorCode::BatchSentWithoutTaskId,
        Localized::new(
            format!(
                "任务“{task_name}”已被阿里云接受，但回复里没有任务编号，这不正常，所以先暂停了发送。已发出的这一批不会再发送。"
            ),
            format!(
                "Task \"{task_name}\" was accepted by Alibaba Cloud but the reply had no task id, which is not normal, so sending is paused. That batch will not be sent again."
            ),
        ),
        Localized::new(
            "先在结果页刷新，看能否找到这个任务；确认无误后点“继续发送”发出其余批次。",
            "Refresh the results to see whether the task is found; once satisfied, resume to send the remaining batches.",
        ),
    )
}
