//! How a run ended, and why one could not go on.

use crate::campaign::journal::JournalError;
use crate::campaign::model::CampaignSummary;
use crate::error_code::ErrorCode;
use crate::text::{Localized, UserError};

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunEnd {
    /// No planned batch is left (some may be `unknown` or `rejected`: see the counts).
    Finished,
    /// Paused by a business limit or restricted period (with the reason) or by the user.
    Paused(UserError),
    /// Stopped by an account-level error: later batches are untouched.
    Stopped(UserError),
    /// Cancelled: batches not started are `cancelled`.
    Cancelled,
    /// Ended on request, the campaign left paused for a later resume.
    Detached,
    /// Another process took the campaign over.
    LeaseLost,
}

/// The end of a run and the campaign as it stands after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunReport {
    pub end: RunEnd,
    pub campaign: CampaignSummary,
}

/// Why a run could not go on.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Journal(#[from] JournalError),
    #[error("a sending task failed: {0}")]
    Task(String),
    #[error("campaign {0} was cancelled")]
    Cancelled(i64),
}

impl EngineError {
    pub fn to_user_error(&self) -> UserError {
        match self {
            EngineError::Journal(e) => e.to_user_error(),
            EngineError::Cancelled(id) => UserError::new(
                ErrorCode::CampaignCancelled,
                Localized::new(
                    format!("外呼活动 #{id} 已取消，不能再继续发送。"),
                    format!("Campaign #{id} was cancelled; it cannot be resumed."),
                ),
                Localized::new(
                    "如需再打给这些人，请重新提交联系人表。",
                    "To call these people after all, submit the sheet again.",
                ),
            ),
            EngineError::Task(detail) => UserError::new(
                ErrorCode::Internal,
                Localized::new(
                    "发送过程中出现内部错误。".to_owned(),
                    format!("An internal error interrupted sending: {detail}"),
                ),
                Localized::new(
                    "已记录的批次不会重复发送；用 `smartdial resume` 继续。",
                    "Recorded batches will not be sent twice; continue with `smartdial resume`.",
                ),
            ),
        }
    }
}

/// The reason shown for a campaign the user paused.
pub fn user_paused_reason() -> UserError {
    UserError::new(
        ErrorCode::CampaignPausedByUser,
        Localized::new("已暂停发送。", "Sending is paused."),
        Localized::new(
            "继续发送时，未发送的批次会接着发出（smartdial resume）。",
            "When you resume (smartdial resume), the batches not sent yet will go out.",
        ),
    )
}
