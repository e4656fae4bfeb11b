//! Why a journal operation failed, and what the user reads about it.

use std::path::PathBuf;

use crate::campaign::model::BatchState;
use crate::campaign::schema::MigrationError;
use crate::error_code::ErrorCode;
use crate::text::{Localized, UserError};

/// Why a journal operation failed.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("could not open the journal at {path}: {source}")]
    Open {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("could not create the journal folder {path}: {source}")]
    Folder {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Schema(#[from] MigrationError),
    #[error("journal database error: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("the journal holds unreadable data: {0}")]
    Corrupt(String),
    #[error("campaign {0} is not in the journal")]
    NotFound(i64),
    #[error("batch {index} of campaign {campaign_id} is not in the journal")]
    BatchNotFound { campaign_id: i64, index: u32 },
    /// Some of the campaign's people became not callable after they were screened (called
    /// by another campaign, put on the do-not-call list): review again.
    #[error("{stopped} numbers are on the do-not-call list or over their limits now")]
    Screened {
        stopped: usize,
        example: String,
        why: Localized,
    },
    #[error("could not check the do-not-call list and limits: {0}")]
    Screen(String),
    #[error("campaign {campaign_id} is being sent by another process (pid {pid})")]
    Busy {
        campaign_id: i64,
        pid: u32,
        heartbeat_ms: i64,
    },
    #[error("this process no longer holds campaign {0}")]
    LeaseLost(i64),
    #[error("batch {index} of campaign {campaign_id} is {state:?}, not ready to send")]
    NotSendable {
        campaign_id: i64,
        index: u32,
        state: BatchState,
    },
}

impl JournalError {
    /// The failure as the user reads it.
    pub fn to_user_error(&self) -> UserError {
        match self {
            JournalError::Open { path, .. } | JournalError::Folder { path, .. } => UserError::new(
                ErrorCode::JournalOpenFailed,
                Localized::new(
                    format!("无法打开发送记录数据库：{}", path.display()),
                    format!("Could not open the sending journal at {}", path.display()),
                ),
                Localized::new(
                    "请检查该文件夹是否存在、可写，磁盘是否已满；也可以用 SMARTDIAL_DATA_DIR 指定其他文件夹。",
                    "Check that the folder exists, is writable and the disk is not full, or point SMARTDIAL_DATA_DIR at another folder.",
                ),
            ),
            JournalError::Schema(MigrationError::TooNew { .. }) => UserError::new(
                ErrorCode::JournalTooNew,
                Localized::new(
                    "发送记录是由更新版本的智能外呼助手写入的。",
                    "The sending journal was written by a newer version of SmartDial.",
                ),
                Localized::new(
                    "请升级到最新版本后再打开。",
                    "Update SmartDial to the latest version, then try again.",
                ),
            ),
            JournalError::Schema(_) | JournalError::Sql(_) | JournalError::Corrupt(_) => {
                UserError::new(
                    ErrorCode::JournalFailed,
                    Localized::new(
                        format!("读写发送记录时出错：{self}"),
                        format!("Reading or writing the sending journal failed: {self}"),
                    ),
                    Localized::new(
                        "请确认磁盘空间充足且没有其他程序锁住该文件，然后重试。",
                        "Make sure the disk has space and no other program locks the file, then try again.",
                    ),
                )
            }
            JournalError::NotFound(id) => UserError::new(
                ErrorCode::CampaignNotFound,
                Localized::new(
                    format!("找不到外呼活动 #{id}。"),
                    format!("There is no campaign #{id}."),
                ),
                Localized::new(
                    "用 `smartdial campaigns` 查看所有活动的编号。",
                    "Run `smartdial campaigns` to see every campaign's number.",
                ),
            ),
            JournalError::BatchNotFound { campaign_id, index } => UserError::new(
                ErrorCode::CampaignBatchNotFound,
                Localized::new(
                    format!("外呼活动 #{campaign_id} 没有第 {} 批。", index + 1),
                    format!("Campaign #{campaign_id} has no batch {}.", index + 1),
                ),
                Localized::new("", ""),
            ),
            JournalError::Screened {
                stopped,
                example,
                why,
            } => UserError::new(
                ErrorCode::CampaignCalledMeanwhile,
                Localized::new(
                    format!(
                        "检查名单之后，有 {stopped} 人已不能拨打（例如 {example}：{}）。没有发送任何号码。",
                        why.zh_cn
                    ),
                    format!(
                        "Since the list was checked, {stopped} people can no longer be called (e.g. {example}: {}). Nothing was sent.",
                        why.en
                    ),
                ),
                Localized::new(
                    "请重新检查名单（他们会被自动排除）后再发送。",
                    "Check the list again (they are left out automatically), then send.",
                ),
            ),
            JournalError::Screen(detail) => {
                tracing::error!(%detail, "screening at journaling failed");
                UserError::new(
                    ErrorCode::JournalFailed,
                    Localized::new(
                        "无法检查免打扰名单和拨打上限（本地数据库出错），没有发送任何号码。",
                        "Could not check the do-not-call list and limits (local database error); nothing was sent.",
                    ),
                    Localized::new(
                        "请关闭其他正在使用 SmartDial 的窗口后重试。",
                        "Close other SmartDial windows and try again.",
                    ),
                )
            }
            JournalError::Busy {
                campaign_id, pid, ..
            } => UserError::new(
                ErrorCode::CampaignBusy,
                Localized::new(
                    format!("外呼活动 #{campaign_id} 正在由另一个程序（进程 {pid}）发送，不能同时发送。"),
                    format!("Campaign #{campaign_id} is being sent by another process (pid {pid}); it cannot be sent twice at once."),
                ),
                Localized::new(
                    "等待那个程序结束，或在那个窗口里暂停它；如果那个程序已经退出，30 秒后再试。",
                    "Wait for that process to finish or pause it there; if it has exited, try again in 30 seconds.",
                ),
            ),
            JournalError::LeaseLost(id) => UserError::new(
                ErrorCode::CampaignLeaseLost,
                Localized::new(
                    format!("外呼活动 #{id} 已被另一个程序接管，本程序停止发送。"),
                    format!("Another process took over campaign #{id}; this one stopped sending."),
                ),
                Localized::new(
                    "在接管的程序里查看进度；正在发送的批次已记录。",
                    "Follow the progress in the process that took over; batches in flight were recorded.",
                ),
            ),
            JournalError::NotSendable { campaign_id, index, state } => UserError::new(
                ErrorCode::CampaignBatchNotSendable,
                Localized::new(
                    format!("外呼活动 #{campaign_id} 的第 {} 批状态为 {}，不能发送。", index + 1, state.as_str()),
                    format!("Batch {} of campaign #{campaign_id} is {}, so it cannot be sent.", index + 1, state.as_str()),
                ),
                Localized::new("", ""),
            ),
        }
    }
}
