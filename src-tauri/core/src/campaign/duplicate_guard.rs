//! The duplicate-campaign guard: the same people, the same robot, again within a day is
//! almost always a mistake (a double click, a re-import), and it rings real phones twice.

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use super::model::NewCampaign;
use crate::china_time;
use crate::error_code::ErrorCode;
use crate::text::{Localized, UserError};

/// How far back the guard looks.
pub const WINDOW_MS: i64 = 24 * 60 * 60 * 1000;

/// An earlier campaign that already reached some of the same numbers with the same DialogId.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DuplicateCampaign {
    pub campaign_id: i64,
    pub dialog_id: String,
    /// When the earlier campaign last sent (or was created, if it has not sent yet).
    pub ran_at_ms: i64,
    /// How many of the new campaign's numbers it had.
    pub overlapping_numbers: u32,
    pub new_numbers: u32,
}

impl DuplicateCampaign {
    /// The refusal as the user reads it, with the earlier campaign's time in local time.
    pub fn to_user_error(&self) -> UserError {
        let when = china_time::describe(self.ran_at_ms);
        let all = self.overlapping_numbers == self.new_numbers;
        let (zh_what, en_what) = if all {
            (
                format!("这 {} 个号码", self.new_numbers),
                format!("These {} numbers", self.new_numbers),
            )
        } else {
            (
                format!(
                    "{} 个号码中有 {} 个",
                    self.new_numbers, self.overlapping_numbers
                ),
                format!(
                    "{} of these {} numbers",
                    self.overlapping_numbers, self.new_numbers
                ),
            )
        };
        UserError::new(
            ErrorCode::CampaignDuplicate,
            Localized::new(
                format!(
                    "{zh_what}已在 {} 的外呼活动 #{} 中用同一个机器人（DialogId {}）提交过。24 小时内再次提交会让这些人再接到一次电话。",
                    when.zh_cn, self.campaign_id, self.dialog_id
                ),
                format!(
                    "{en_what} were already submitted with the same robot (DialogId {}) in campaign #{} at {}. Submitting them again within 24 hours calls these people a second time.",
                    self.dialog_id, self.campaign_id, when.en
                ),
            ),
            Localized::new(
                "如果确实要再打一次，请明确确认（命令行加 --allow-duplicate）；如果是想继续那次活动，请用“继续发送”（smartdial resume）。",
                "If you really mean to call them again, confirm it explicitly (--allow-duplicate on the command line); to continue that campaign instead, use resume (smartdial resume).",
            ),
        )
    }
}

/// Looks for the most recent campaign in the last 24 hours with the same DialogId that
/// has sent, is sending or will send (planned batches) any of `new`'s numbers. Batches that
/// were refused or cancelled called nobody, so they do not count.
pub(crate) fn find_duplicate(
    conn: &Connection,
    new: &NewCampaign,
    now_ms: i64,
) -> rusqlite::Result<Option<DuplicateCampaign>> {
    // Sorted rather than hashed: a million numbers took 35 MB in a set, 50 MB while it grew;
    // the slice is 16 bytes a number, and the lookups below are a binary search each.
    let mut wanted: Vec<&str> = Vec::with_capacity(new.total_numbers());
    wanted.extend(new.batches.iter().flat_map(|b| b.called_numbers.iter()));
    wanted.sort_unstable();
    wanted.dedup();
    if wanted.is_empty() {
        return Ok(None);
    }
    let mut stmt = conn.prepare(
        "SELECT c.id, COALESCE(b.first_sent_at_ms, c.created_at_ms), b.called_numbers \
         FROM campaigns c JOIN batches b ON b.campaign_id = c.id \
         WHERE c.dialog_id = ?1 AND b.state IN ('planned', 'sending', 'sent', 'unknown') \
         AND COALESCE(b.first_sent_at_ms, c.created_at_ms) >= ?2 \
         ORDER BY c.id DESC, b.idx",
    )?;
    let mut rows = stmt.query(params![new.settings.dialog_id, now_ms - WINDOW_MS])?;
    // (campaign, latest time, overlap), for the newest campaign that overlaps.
    let mut found: Option<(i64, i64, u32)> = None;
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        let at: i64 = row.get(1)?;
        let numbers: String = row.get(2)?;
        if let Some((fid, _, _)) = found {
            if fid != id {
                break;
            }
        }
        let overlap = numbers
            .split(',')
            .filter(|n| wanted.binary_search(n).is_ok())
            .count() as u32;
        if overlap == 0 {
            continue;
        }
        found = Some(match found {
            Some((fid, fat, fo)) => (fid, fat.max(at), fo + overlap),
            None => (id, at, overlap),
        });
    }
    Ok(found.map(
        |(campaign_id, ran_at_ms, overlapping_numbers)| DuplicateCampaign {
            campaign_id,
            dialog_id: new.settings.dialog_id.clone(),
            ran_at_ms,
            overlapping_numbers,
            new_numbers: wanted.len() as u32,
        },
    ))
}
