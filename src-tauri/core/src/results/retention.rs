//! How long archived recordings are kept, what they take on disk, deleting a campaign's
//! recordings, and which recordings are about to be lost (their link expires soon and no copy
//! was saved).
//!
//! A deleted recording keeps its journal row with `deleted_at_ms` set, so the archive never
//! downloads it again: deleting evidence is a decision, not a gap to fill.

use std::path::{Component, Path};

use rusqlite::{params, Connection};
use serde::Serialize;

use super::ResultsError;
use crate::campaign::journal::Journal;

/// Marks recordings deleted (a journal migration: never edit, append a new one).
pub const SCHEMA_SQL: &str = r#"
ALTER TABLE recordings ADD COLUMN deleted_at_ms INTEGER;
"#;

const DAY_MS: i64 = 24 * 3600 * 1000;

/// Links expiring within this are worth a reminder: the user still has time to fetch them.
pub const REMIND_WITHIN_MS: i64 = 6 * 3600 * 1000;

/// The longest retention a user can set (ten years); `None` keeps recordings forever.
pub const MAX_KEEP_DAYS: u32 = 3650;

/// What the archived recordings take on disk.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct RecordingsUsage {
    pub files: u32,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes: u64,
}

/// What a deletion removed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct DeletedRecordings {
    pub files: u32,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes: u64,
    /// Files that could not be removed (still journaled as present; tried again next time).
    pub failed: u32,
}

/// A campaign with answered calls whose recording was not saved and whose link expires soon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ExpiringRecordings {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub campaign_id: i64,
    pub task_name: String,
    pub count: u32,
    /// The first link to expire (Unix ms).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub first_expiry_ms: i64,
}

/// The archived recordings still on disk, of one campaign or of all (`None`).
pub fn usage(journal: &Journal, campaign_id: Option<i64>) -> rusqlite::Result<RecordingsUsage> {
    journal.conn().query_row(
        "SELECT COUNT(*), COALESCE(SUM(bytes), 0) FROM recordings \
         WHERE deleted_at_ms IS NULL AND (?1 IS NULL OR campaign_id = ?1)",
        [campaign_id],
        |r| {
            Ok(RecordingsUsage {
                files: r.get(0)?,
                bytes: r.get::<_, i64>(1)? as u64,
            })
        },
    )
}

/// Deletes the recordings saved more than `keep_days` days before `now_ms` (nothing for
/// `None`: keep forever). Age counts from when the copy was saved.
pub fn apply_retention(
    journal: &Journal,
    data_dir: &Path,
    keep_days: Option<u32>,
    now_ms: i64,
) -> Result<DeletedRecordings, ResultsError> {
    let Some(days) = keep_days else {
        return Ok(DeletedRecordings::default());
    };
    let conn = journal.conn();
    let cutoff = now_ms.saturating_sub(i64::from(days).saturating_mul(DAY_MS));
    let rows = select(
        conn,
        "SELECT campaign_id, batch_idx, position, path, bytes FROM recordings \
         WHERE deleted_at_ms IS NULL AND fetched_at_ms < ?1",
        cutoff,
    )?;
    let done = delete_rows(conn, data_dir, &rows, now_ms)?;
    if done.files > 0 {
        tracing::info!(
            files = done.files,
            bytes = done.bytes,
            days,
            "old recordings deleted"
        );
    }
    Ok(done)
}

/// Deletes every saved recording of one campaign (the user confirmed it).
pub fn delete_campaign_recordings(
    journal: &Journal,
    data_dir: &Path,
    campaign_id: i64,
    now_ms: i64,
) -> Result<DeletedRecordings, ResultsError> {
    let conn = journal.conn();
    let rows = select(
        conn,
        "SELECT campaign_id, batch_idx, position, path, bytes FROM recordings \
         WHERE deleted_at_ms IS NULL AND campaign_id = ?1",
        campaign_id,
    )?;
    let done = delete_rows(conn, data_dir, &rows, now_ms)?;
    // The campaign's folder goes too when nothing else is in it.
    let _ = std::fs::remove_dir(data_dir.join("recordings").join(campaign_id.to_string()));
    tracing::info!(
        campaign = campaign_id,
        files = done.files,
        "campaign recordings deleted"
    );
    Ok(done)
}

/// Per campaign: answered calls with a link that expires within `within_ms` of `now_ms`
/// (and has not yet) whose recording is not saved. Oldest expiry first.
pub fn expiring_unarchived(
    journal: &Journal,
    now_ms: i64,
    within_ms: i64,
) -> rusqlite::Result<Vec<ExpiringRecordings>> {
    let mut stmt = journal.conn().prepare(
        "SELECT c.campaign_id, COALESCE(json_extract(k.settings_json, '$.taskName'), ''), \
                COUNT(*), MIN(c.record_expires_at_ms) \
         FROM call_records c \
         JOIN campaigns k ON k.id = c.campaign_id \
         LEFT JOIN recordings r ON r.campaign_id = c.campaign_id \
              AND r.batch_idx = c.batch_idx AND r.position = c.position \
         WHERE c.outcome = 'answered' AND r.path IS NULL AND c.record_url IS NOT NULL \
           AND c.record_expires_at_ms > ?1 AND c.record_expires_at_ms <= ?2 \
         GROUP BY c.campaign_id ORDER BY MIN(c.record_expires_at_ms)",
    )?;
    let rows = stmt.query_map(params![now_ms, now_ms.saturating_add(within_ms)], |r| {
        Ok(ExpiringRecordings {
            campaign_id: r.get(0)?,
            task_name: r.get(1)?,
            count: r.get(2)?,
            first_expiry_ms: r.get(3)?,
        })
    })?;
    rows.collect()
}

struct Row {
    campaign_id: i64,
    batch_index: u32,
    position: u32,
    path: String,
    bytes: u64,
}

fn select(conn: &Connection, sql: &str, arg: i64) -> rusqlite::Result<Vec<Row>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([arg], |r| {
        Ok(Row {
            campaign_id: r.get(0)?,
            batch_index: r.get(1)?,
            position: r.get(2)?,
            path: r.get(3)?,
            bytes: r.get::<_, i64>(4)? as u64,
        })
    })?;
    rows.collect()
}

/// Removes each file (one already gone counts as removed), then marks its row deleted.
fn delete_rows(
    conn: &Connection,
    data_dir: &Path,
    rows: &[Row],
    now_ms: i64,
) -> Result<DeletedRecordings, ResultsError> {
    let mut done = DeletedRecordings::default();
    for row in rows {
        if !inside_recordings(&row.path) {
            // Never follow a journaled path out of the recordings folder.
            tracing::warn!(
                campaign = row.campaign_id,
                "recording path outside the archive"
            );
            done.failed += 1;
            continue;
        }
        match std::fs::remove_file(data_dir.join(&row.path)) {
            Ok(()) => {}
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => {
                tracing::warn!(%err, campaign = row.campaign_id, "could not delete a recording");
                done.failed += 1;
                continue;
            }
        }
        conn.execute(
            "UPDATE recordings SET deleted_at_ms = ?4 \
             WHERE campaign_id = ?1 AND batch_idx = ?2 AND position = ?3",
            params![row.campaign_id, row.batch_index, row.position, now_ms],
        )?;
        done.files += 1;
        done.bytes += row.bytes;
    }
    Ok(done)
}

/// The saved file of one person, as a path inside `data_dir` (checked to stay in the
/// recordings folder); `None` when nothing is saved for them.
pub fn saved_file(
    journal: &Journal,
    data_dir: &Path,
    campaign_id: i64,
    batch_index: u32,
    position: u32,
) -> rusqlite::Result<Option<std::path::PathBuf>> {
    Ok(
        super::archive::archived(journal.conn(), campaign_id, batch_index, position)?
            .filter(|saved| inside_recordings(&saved.path))
            .map(|saved| data_dir.join(saved.path)),
    )
}

/// `recordings/…` with no `..`, root or drive: the only paths the archive writes.
pub fn inside_recordings(relative: &str) -> bool {
    let path = Path::new(relative);
    path.starts_with("recordings") && path.components().all(|c| matches!(c, Component::Normal(_)))
}
