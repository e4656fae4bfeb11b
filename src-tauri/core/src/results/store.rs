//! Call results in the journal database: one row per person of a sent batch, replaced on
//! every fetch. All results SQL lives here; the table is created by the journal migration
//! that uses [`SCHEMA_SQL`].

use std::collections::HashMap;

use rusqlite::{params, Connection};

use super::model::{CallRecord, RecordSource};
use super::outcome::{read_hangup, CallOutcome, HangupReading};

/// The `call_records` table. Shipped as a journal migration: never edit, append a new
/// migration instead.
pub const SCHEMA_SQL: &str = r#"
CREATE TABLE call_records (
    campaign_id     INTEGER NOT NULL,
    batch_idx       INTEGER NOT NULL,
    -- 0-based position of the number in the batch's called_numbers.
    position        INTEGER NOT NULL,
    task_id         TEXT    NOT NULL,
    number          TEXT    NOT NULL,
    source_row      INTEGER,
    -- 'done' when the API had a record, 'pending' when it had none yet.
    call_state      TEXT    NOT NULL,
    status_code     TEXT,
    state_desc      TEXT,
    outcome         TEXT    NOT NULL,
    duration_secs   INTEGER,
    -- hangupDirection as the API sent it, and our reading ('robot', 'callee', 'unknown').
    hangup_raw      TEXT,
    hangup_reading  TEXT,
    dialog_count    INTEGER,
    -- Comma-separated.
    tags            TEXT,
    call_id         TEXT,
    call_time       TEXT,
    ended_at        TEXT,
    record_url      TEXT,
    record_expires_at_ms INTEGER,
    -- 'callDetail' or 'taskCallList'.
    source          TEXT,
    raw_json        TEXT,
    fetched_at_ms   INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, batch_idx, position),
    FOREIGN KEY (campaign_id, batch_idx) REFERENCES batches (campaign_id, idx) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX call_records_by_task ON call_records (task_id, number);
"#;

/// Who a stored row is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonKey {
    pub campaign_id: i64,
    pub batch_index: u32,
    pub position: u32,
    pub task_id: String,
    pub number: String,
    pub source_row: Option<u32>,
}

/// A row as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredResult {
    pub task_id: String,
    pub number: String,
    /// `None` while the API had no record.
    pub record: Option<CallRecord>,
    pub outcome: CallOutcome,
    pub fetched_at_ms: i64,
}

/// Records what the API said about one person (`None`: no record yet).
pub fn save(
    conn: &Connection,
    key: &PersonKey,
    record: Option<&CallRecord>,
    fetched_at_ms: i64,
) -> rusqlite::Result<()> {
    let outcome = record.map(|r| r.outcome).unwrap_or(CallOutcome::Pending);
    let state = if record.is_some() { "done" } else { "pending" };
    let tags = record.map(|r| r.tags.join(","));
    let raw = record.map(|r| r.raw.to_string());
    conn.prepare_cached(
        "INSERT OR REPLACE INTO call_records (campaign_id, batch_idx, position, task_id, number, \
         source_row, call_state, status_code, state_desc, outcome, duration_secs, hangup_raw, \
         hangup_reading, dialog_count, tags, call_id, call_time, ended_at, record_url, \
         record_expires_at_ms, source, raw_json, fetched_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, \
         ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)",
    )?
    .execute(params![
        key.campaign_id,
        key.batch_index,
        key.position,
        key.task_id,
        key.number,
        key.source_row,
        state,
        record.and_then(|r| r.status_code.clone()),
        record.and_then(|r| r.state_desc.clone()),
        outcome.as_str(),
        record.and_then(|r| r.duration_secs),
        record.and_then(|r| r.hangup_raw.clone()),
        record.map(|r| r.hangup.as_str()),
        record.and_then(|r| r.dialog_count),
        tags,
        record.and_then(|r| r.call_id.clone()),
        record.and_then(|r| r.call_time.clone()),
        record.and_then(|r| r.ended_at.clone()),
        record.and_then(|r| r.record_url.clone()),
        record.and_then(|r| r.record_expires_at_ms),
        record.map(|r| r.source.as_str()),
        raw,
        fetched_at_ms,
    ])?;
    Ok(())
}

/// Every stored result of a campaign, by (batch index, position).
pub fn load(
    conn: &Connection,
    campaign_id: i64,
) -> rusqlite::Result<HashMap<(u32, u32), StoredResult>> {
    let mut stmt = conn.prepare_cached(
        "SELECT batch_idx, position, task_id, number, call_state, status_code, state_desc, \
         outcome, duration_secs, hangup_raw, hangup_reading, dialog_count, tags, call_id, \
         call_time, ended_at, record_url, record_expires_at_ms, source, raw_json, fetched_at_ms \
         FROM call_records WHERE campaign_id = ?1",
    )?;
    let rows = stmt.query_map([campaign_id], |r| {
        let batch: u32 = r.get(0)?;
        let position: u32 = r.get(1)?;
        let state: String = r.get(4)?;
        let outcome_word: String = r.get(7)?;
        let outcome = CallOutcome::parse(&outcome_word).unwrap_or(CallOutcome::Failed);
        let record = if state == "done" {
            let tags: Option<String> = r.get(12)?;
            let raw: Option<String> = r.get(19)?;
            let source: Option<String> = r.get(18)?;
            let reading: Option<String> = r.get(10)?;
            let hangup_raw: Option<String> = r.get(9)?;
            Some(CallRecord {
                status_code: r.get(5)?,
                state_desc: r.get(6)?,
                outcome,
                duration_secs: r.get(8)?,
                hangup: reading
                    .as_deref()
                    .map(HangupReading::parse)
                    .unwrap_or_else(|| read_hangup(hangup_raw.as_deref())),
                hangup_raw,
                dialog_count: r.get(11)?,
                tags: tags
                    .unwrap_or_default()
                    .split(',')
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned)
                    .collect(),
                call_id: r.get(13)?,
                call_time: r.get(14)?,
                ended_at: r.get(15)?,
                record_url: r.get(16)?,
                record_expires_at_ms: r.get(17)?,
                source: source
                    .as_deref()
                    .and_then(RecordSource::parse)
                    .unwrap_or(RecordSource::CallDetail),
                raw: raw
                    .and_then(|t| serde_json::from_str(&t).ok())
                    .unwrap_or(serde_json::Value::Null),
            })
        } else {
            None
        };
        Ok((
            (batch, position),
            StoredResult {
                task_id: r.get(2)?,
                number: r.get(3)?,
                record,
                outcome,
                fetched_at_ms: r.get(20)?,
            },
        ))
    })?;
    rows.collect()
}

/// The batch (campaign id, index) that got `task_id`, if the journal has it.
pub fn batch_of_task(conn: &Connection, task_id: &str) -> rusqlite::Result<Option<(i64, u32)>> {
    use rusqlite::OptionalExtension;
    conn.query_row(
        "SELECT campaign_id, idx FROM batches WHERE task_id = ?1 ORDER BY campaign_id DESC LIMIT 1",
        [task_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
}
