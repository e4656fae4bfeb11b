//! Call results: what happened to each person a campaign called, read from the API, kept in
//! the journal, shown per campaign, exported to Excel; and control of running tasks.
//!
//! A successful `BatchRobotSmartCall` only means the task was accepted (`docs/api/dyvms.md`
//! pitfall 10), so results have to be asked for:
//!
//! - [`refresh`]: [`refresh_campaign`] asks about everyone whose result can still change,
//!   paced under the quota, retried where safe, cancellable ([`CancelToken`]), with
//!   [`RefreshProgress`] events.
//! - [`view`]: [`load_results`] — every person of a campaign with their outcome, variables
//!   and counts ([`CampaignResults`]), straight from the journal (no network).
//! - [`outcome`]: status codes → [`CallOutcome`] with zh-CN / English labels.
//! - [`status`]: one task or callee, asked directly (the CLI's `smartdial status`).
//! - [`control`]: cancel / stop / terminate tasks, with what that means for people not
//!   called yet.
//! - [`export`]: the .xlsx report.
//! - [`store`]: the `call_records` table.

pub mod archive;
pub mod cancel;
pub mod control;
pub mod export;
pub mod model;
pub mod outcome;
pub mod query;
pub mod recall;
pub mod refresh;
pub mod retention;
pub mod status;
pub mod store;
mod task_lookup;
pub mod view;

#[cfg(test)]
mod tests;

pub use cancel::CancelToken;
pub use model::{
    CallRecord, CampaignResults, OutcomeCount, PersonResult, RecordSource, ResultsPage, Variable,
};
pub use outcome::{CallOutcome, HangupReading};
pub use refresh::{
    refresh_campaign, QueryMode, RefreshOptions, RefreshProgress, RefreshReport, Refresher,
};
pub use view::{load_results, most_recent_campaign};

use crate::aliyun::CallError;
use crate::campaign::journal::JournalError;
use crate::error_code::ErrorCode;
use crate::text::{Localized, UserError};

/// Why reading, refreshing or exporting results failed.
#[derive(Debug, thiserror::Error)]
pub enum ResultsError {
    #[error(transparent)]
    Journal(#[from] JournalError),
    #[error("journal database error: {0}")]
    Sql(#[from] rusqlite::Error),
    /// An API failure that ends the operation: for a refresh, an account-level one (bad
    /// key, no balance, clock far off, ...) — nobody else can be asked about either.
    #[error(transparent)]
    Api(CallError),
    /// The user cancelled before anything could be reported.
    #[error("cancelled")]
    Cancelled,
    #[error("there are no campaigns in the journal yet")]
    NoCampaign,
    /// A refusal already phrased for the user.
    #[error("{}", .0.message.en)]
    Status(UserError),
}

impl ResultsError {
    pub fn to_user_error(&self) -> UserError {
        match self {
            ResultsError::Journal(e) => e.to_user_error(),
            ResultsError::Sql(e) => UserError::new(
                ErrorCode::ResultsJournal,
                Localized::new(
                    "读取或保存通话结果时数据库出错。".to_owned(),
                    format!(
                        "The journal database failed while reading or saving call results: {e}"
                    ),
                ),
                Localized::new(
                    "请稍后重试；如果反复出现，请检查磁盘空间。",
                    "Try again; if it keeps happening, check the free disk space.",
                ),
            ),
            ResultsError::Api(e) => e.to_user_error(),
            ResultsError::Status(e) => e.clone(),
            ResultsError::Cancelled => UserError::new(
                ErrorCode::ResultsCancelled,
                Localized::new("已取消查询。", "The query was cancelled."),
                Localized::new("", ""),
            ),
            ResultsError::NoCampaign => UserError::new(
                ErrorCode::ResultsNoCampaign,
                Localized::new("还没有外呼活动。", "There are no campaigns yet."),
                Localized::new(
                    "先用 `smartdial submit` 发送一个活动。",
                    "Send a campaign first with `smartdial submit`.",
                ),
            ),
        }
    }
}
