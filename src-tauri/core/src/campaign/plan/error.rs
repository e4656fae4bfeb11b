//! Why a plan could not be built, as a user reads it.

use super::MAX_ENCODED_PARAMS;
use crate::aliyun::validate::{NumberList, RequestProblem};
use crate::error_code::ErrorCode;
use crate::text::{Localized, UserError};

/// Why a plan could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("no sendable contacts ({skipped} rows skipped)")]
    NoContacts { skipped: usize },
    #[error("batch size {size} is outside 1..=1000")]
    BatchSizeInvalid { size: usize },
    /// A task setting breaks a field rule (the first one found; see
    /// [`TaskSettings::check_schedule`](crate::campaign::settings::TaskSettings::check_schedule)).
    #[error("task settings: {} ({})", .0.message().en, .0.code())]
    Task(RequestProblem),
    #[error("row {row} alone encodes to {encoded_len} bytes, more than one request carries")]
    ContactTooLong { row: u32, encoded_len: usize },
    #[error("stored plan is inconsistent at batch {batch}")]
    Corrupt { batch: usize },
}

impl PlanError {
    /// The stable code, e.g. `plan.corp_name_missing`.
    pub fn code(&self) -> ErrorCode {
        self.user_parts().0
    }

    /// The error as a user reads it.
    pub fn to_user_error(&self) -> UserError {
        let (code, m, h) = self.user_parts();
        UserError::new(code, m, h)
    }

    fn user_parts(&self) -> (ErrorCode, Localized, Localized) {
        use RequestProblem as P;
        match self {
            PlanError::NoContacts { skipped } => (
                ErrorCode::PlanNoContacts,
                l(
                    format!("没有可以拨打的号码（{skipped} 行有问题或被排除）"),
                    format!("No numbers to call ({skipped} rows have problems or were excluded)"),
                ),
                l("请先修正号码问题", "Fix the number problems first"),
            ),
            PlanError::BatchSizeInvalid { size } => (
                ErrorCode::PlanBatchSizeInvalid,
                l(
                    format!("每批号码数 {size} 不在 1–1000 之间"),
                    format!("Batch size {size} is not between 1 and 1000"),
                ),
                l("请填写 1 到 1000 之间的数", "Enter a number from 1 to 1000"),
            ),
            // The task form shows each rule's own message next to its field; a plan refused
            // for one says it in a sentence with what to do, as it always has.
            PlanError::Task(P::DialogIdMissing) => (
                ErrorCode::PlanDialogIdMissing,
                l(
                    "没有选择机器人话术（DialogId）",
                    "No robot script (DialogId) chosen",
                ),
                l("请选择一个已审核通过的机器人", "Choose an approved robot"),
            ),
            PlanError::Task(P::NumbersMissing {
                list: NumberList::Show,
            }) => (
                ErrorCode::PlanCallerNumbersMissing,
                l("没有选择主叫号码", "No caller number chosen"),
                l(
                    "请至少选择一个已购买的号码",
                    "Choose at least one purchased number",
                ),
            ),
            PlanError::Task(P::TooManyNumbers {
                list: NumberList::Show,
                count,
                max,
            }) => (
                ErrorCode::PlanTooManyCallerNumbers,
                l(
                    format!("选择了 {count} 个主叫号码，最多 {max} 个"),
                    format!("{count} caller numbers chosen; at most {max}"),
                ),
                l("请减少主叫号码", "Choose fewer caller numbers"),
            ),
            PlanError::Task(P::NumberNotDigits {
                list: NumberList::Show,
                number,
            }) => (
                ErrorCode::PlanCallerNumberInvalid,
                l(
                    format!("主叫号码“{number}”只能包含数字"),
                    format!("Caller number \"{number}\" must be digits only"),
                ),
                l("请检查主叫号码", "Check the caller number"),
            ),
            PlanError::Task(P::CorpNameMissing) => (
                ErrorCode::PlanCorpNameMissing,
                l(
                    "没有填写公司名称（非自有线路时必填）",
                    "Company name is required unless you use your own line",
                ),
                l(
                    "请填写公司名称，或勾选“自有线路”",
                    "Enter the company name, or tick 'own line'",
                ),
            ),
            PlanError::Task(P::TaskNameMissing) => (
                ErrorCode::PlanTaskNameMissing,
                l("没有填写任务名称", "The task name is empty"),
                l("请填写任务名称", "Enter a task name"),
            ),
            PlanError::Task(P::TaskNameControlChars) => (
                ErrorCode::PlanTaskNameInvalid,
                l(
                    "任务名称里有换行等控制字符",
                    "The task name contains line breaks or other control characters",
                ),
                l("请修改任务名称", "Edit the task name"),
            ),
            PlanError::Task(P::ScheduleInPast { .. }) => (
                ErrorCode::PlanScheduleInPast,
                l(
                    "定时拨打的时间已经过去",
                    "The scheduled time is in the past",
                ),
                l(
                    "请选择一个将来的时间，或改为立即拨打",
                    "Choose a future time, or call now",
                ),
            ),
            // Rules the plan leaves to each batch's request check: named as that check does.
            PlanError::Task(p) => (
                ErrorCode::request(p.code()),
                p.message(),
                l(
                    "请修改设置或联系人表后再提交。",
                    "Fix the settings or the sheet, then submit again.",
                ),
            ),
            PlanError::ContactTooLong { row, .. } => (
                ErrorCode::PlanContactTooLong,
                l(
                    format!(
                        "第 {row} 行的变量内容太长：单这一行就超过一次请求能带的上限（约 {} KB）",
                        MAX_ENCODED_PARAMS / 1000
                    ),
                    format!(
                        "Row {row}'s variable values are too long: this row alone is more than one request can carry (about {} KB)",
                        MAX_ENCODED_PARAMS / 1000
                    ),
                ),
                l(
                    format!("请缩短第 {row} 行的变量内容，或排除这一行"),
                    format!("Shorten the variable values in row {row}, or exclude the row"),
                ),
            ),
            PlanError::Corrupt { batch } => (
                ErrorCode::PlanCorrupt,
                l(
                    format!("保存的拨打计划已损坏（第 {} 批）", batch + 1),
                    format!("The saved plan is damaged (batch {})", batch + 1),
                ),
                l(
                    "请重新导入号码并生成计划",
                    "Import the numbers and build the plan again",
                ),
            ),
        }
    }
}

impl From<PlanError> for UserError {
    fn from(e: PlanError) -> Self {
        e.to_user_error()
    }
}

fn l(zh_cn: impl Into<String>, en: impl Into<String>) -> Localized {
    Localized::new(zh_cn, en)
}
