//! What a sender that died mid-batch leaves behind, and what the user reads about it.

use rusqlite::{params, Connection};

use super::JournalError;
use crate::error_code::ErrorCode;
use crate::text::{Localized, UserError};

/// Batches of `campaign_id` still `sending` become `unknown`; a `running` campaign becomes
/// `paused`. Called with no live lease on the campaign.
pub(crate) fn mark_interrupted(
    conn: &Connection,
    campaign_id: i64,
    now_ms: i64,
) -> Result<usize, JournalError> {
    let n = conn.execute(
        "UPDATE batches SET state = 'unknown', error_code = 'journal.interrupted', \
         problem_json = ?3, updated_at_ms = ?2, finished_at_ms = ?2 \
         WHERE campaign_id = ?1 AND state = 'sending'",
        params![campaign_id, now_ms, problem_json(&in_flight_problem())],
    )?;
    conn.execute(
        "UPDATE attempts SET outcome = 'unknown', error_code = 'journal.interrupted', \
         finished_at_ms = ?2 WHERE campaign_id = ?1 AND finished_at_ms IS NULL",
        params![campaign_id, now_ms],
    )?;
    let reason = interrupted_reason();
    conn.execute(
        "UPDATE campaigns SET state = 'paused', reason_code = ?2, reason_zh = ?3, reason_en = ?4, \
         updated_at_ms = ?5 WHERE id = ?1 AND state = 'running'",
        params![
            campaign_id,
            reason.code.to_string(),
            reason.message.zh_cn,
            reason.message.en,
            now_ms
        ],
    )?;
    Ok(n)
}

/// Why a batch that was in flight when its process died is `unknown`.
pub fn in_flight_problem() -> UserError {
    UserError::new(
        ErrorCode::JournalInterrupted,
        Localized::new(
            "发送这一批时程序退出了，无法确定阿里云是否收到了请求。",
            "The program stopped while this batch was being sent; it is not known whether Alibaba Cloud received it.",
        ),
        unknown_hint(),
    )
}

/// What to do about any `unknown` batch.
pub fn unknown_hint() -> Localized {
    Localized::new(
        "先在阿里云控制台或用查询接口核对这批号码是否已经在呼叫，然后选择“标记为已发送”（smartdial resume --mark-unknown-sent）或“重新发送”（--resend-unknown，已收到的号码会被再打一次）。",
        "First check in the Alibaba Cloud console or with the query API whether these numbers are being called, then choose mark as sent (smartdial resume --mark-unknown-sent) or resend (--resend-unknown; numbers that were received get called again).",
    )
}

pub(super) fn problem_json(problem: &UserError) -> String {
    serde_json::to_string(problem).unwrap_or_default()
}

/// Why a campaign found `running` with nobody sending it is paused.
pub fn interrupted_reason() -> UserError {
    UserError::new(
        ErrorCode::CampaignInterrupted,
        Localized::new(
            "发送程序意外退出，活动已暂停。",
            "The sending process stopped unexpectedly; the campaign is paused.",
        ),
        Localized::new(
            "用 `smartdial resume` 继续；退出时正在发送的批次状态未知，需要你决定重发或标记为已发送。",
            "Continue with `smartdial resume`; batches that were in flight are unknown and need your decision: resend or mark as sent.",
        ),
    )
}
