//! The SQLite journal: the truth about what was sent.
//!
//! Every state change of a batch is one short transaction. The rule that keeps anyone from
//! being called twice: a batch is committed as `sending` (in a transaction that also checks
//! this process holds the campaign's lease) *before* its request leaves, and only a
//! `planned` batch can become `sending`. After a crash the batch is still `sending`, so it
//! becomes `unknown` and waits for the user's decision instead of being sent again.
//!
//! ```no_run
//! use smartdial_core::campaign::journal::Journal;
//! use smartdial_core::campaign::model::{SystemClock, WallClock};
//! use smartdial_core::paths::AppPaths;
//!
//! let journal = Journal::open(&AppPaths::discover().journal_file(), SystemClock.now_ms())?;
//! for campaign in journal.campaigns()? {
//!     println!("#{} {:?} {}/{}", campaign.id, campaign.state, campaign.batches.sent,
//!         campaign.batches.total());
//! }
//! # Ok::<(), smartdial_core::campaign::journal::JournalError>(())
//! ```

mod error;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};

use super::duplicate_guard::{self, DuplicateCampaign};
use super::lease::{self, Lease};
use super::model::{
    BatchCounts, BatchOverview, BatchRow, BatchState, CampaignSettings, CampaignState,
    CampaignSummary, NewCampaign, UnknownDecision,
};
use super::resplit;
use super::resume::ResumeNeeds;
use super::schema;
use super::untracked;
use crate::error_code::ErrorCode;
use crate::text::{Localized, UserError};

pub use error::JournalError;

/// How long a writer waits for another process's transaction before giving up. Journal
/// transactions take milliseconds; this only matters when a disk stalls.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// How one request attempt ended, as the engine reports it to the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttemptOutcome {
    /// The server accepted the batch (`task_id` is `None` when its reply had none).
    Accepted {
        task_id: Option<String>,
        request_id: String,
    },
    /// The request certainly did not arrive or was throttled: it will be sent again.
    WillRetry { code: String },
    /// The server refused it; nobody in it was called.
    Rejected {
        code: String,
        problem: UserError,
        /// It may be sent again once the cause is fixed.
        retryable: bool,
        request_id: Option<String>,
    },
    /// It may have arrived.
    Unknown { code: String, problem: UserError },
}

impl AttemptOutcome {
    fn word(&self) -> &'static str {
        match self {
            AttemptOutcome::Accepted { .. } => "accepted",
            AttemptOutcome::WillRetry { .. } => "will-retry",
            AttemptOutcome::Rejected { .. } => "rejected",
            AttemptOutcome::Unknown { .. } => "unknown",
        }
    }
}

/// An open journal. One per thread; wrap it in a mutex to share it.
pub struct Journal {
    conn: Connection,
    path: PathBuf,
    lease_ttl_ms: i64,
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal").field("path", &self.path).finish()
    }
}

const BATCH_COLUMNS: &str = "campaign_id, idx, task_name, called_numbers, tts_param_head, \
    tts_param, source_rows, state, attempts, retryable, task_id, request_id, error_code, \
    problem_json, decision, updated_at_ms, first_sent_at_ms, finished_at_ms";

/// Runs `f` again while SQLite answers "database is locked", for up to [`BUSY_TIMEOUT`].
/// Switching a new file to WAL needs an exclusive lock, and SQLite refuses it at once (its
/// busy handler is not consulted there) when another process is opening the same file: two
/// `smartdial submit` started together on a fresh data folder would otherwise fail.
fn retry_while_busy<T>(mut f: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    loop {
        match f() {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(20));
            }
            other => return other,
        }
    }
}

impl Journal {
    /// Opens (creating if needed) the journal at `path`, upgrades its schema, and turns
    /// batches left `sending` by a process that is gone into `unknown`.
    pub fn open(path: &Path, now_ms: i64) -> Result<Journal, JournalError> {
        Journal::open_with_lease_ttl(path, now_ms, lease::DEFAULT_TTL_MS)
    }

    /// [`Journal::open`] with a custom lease time-to-live (tests use a short one).
    pub fn open_with_lease_ttl(
        path: &Path,
        now_ms: i64,
        lease_ttl_ms: i64,
    ) -> Result<Journal, JournalError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| JournalError::Folder {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let open_err = |source| JournalError::Open {
            path: path.to_path_buf(),
            source,
        };
        let mut conn = Connection::open(path).map_err(open_err)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(open_err)?;
        // WAL: readers (the UI listing campaigns) never block the sender. synchronous=FULL:
        // a `sending` row must survive a power cut, not only a process crash, before the
        // request leaves; a few fsyncs per batch are nothing next to a network round trip.
        let _mode: String = retry_while_busy(|| {
            conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
        })
        .map_err(open_err)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(open_err)?;
        conn.pragma_update(None, "foreign_keys", true)
            .map_err(open_err)?;
        // After a checkpoint, shrink the WAL file back to 1 MiB instead of keeping its peak.
        conn.pragma_update(None, "journal_size_limit", 1_048_576)
            .map_err(open_err)?;
        schema::migrate(&mut conn)?;
        let mut journal = Journal {
            conn,
            path: path.to_path_buf(),
            lease_ttl_ms,
        };
        journal.recover_interrupted(now_ms)?;
        Ok(journal)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn lease_ttl_ms(&self) -> i64 {
        self.lease_ttl_ms
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    pub(crate) fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<i64, JournalError> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |row| row.get(0))?)
    }

    /// Batches left `sending` by a process that no longer holds its campaign become
    /// `unknown` (the request may have left before the crash), and campaigns left `running`
    /// become `paused`. Returns how many batches changed.
    pub fn recover_interrupted(&mut self, now_ms: i64) -> Result<usize, JournalError> {
        let ttl = self.lease_ttl_ms;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let candidates: Vec<i64> = {
            let mut stmt = tx.prepare(
                "SELECT id FROM campaigns WHERE state = 'running' \
                 OR id IN (SELECT DISTINCT campaign_id FROM batches WHERE state = 'sending')",
            )?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<Result<_, _>>()?
        };
        let mut changed = 0;
        for campaign_id in candidates {
            if lease::live_holder(&tx, campaign_id, now_ms, ttl)?.is_some() {
                continue;
            }
            changed += mark_interrupted(&tx, campaign_id, now_ms)?;
        }
        tx.commit()?;
        Ok(changed)
    }

    /// Journals a new campaign with all its batches `planned` and returns its id.
    ///
    /// Unless `allow_duplicate`, refuses ([`JournalError::Duplicate`]) when any of its numbers
    /// was submitted with the same DialogId in the last 24 hours. The check and the insert
    /// are one transaction, so two processes submitting the same file at once cannot both
    /// pass it.
    pub fn create_campaign(
        &mut self,
        new: &NewCampaign,
        allow_duplicate: bool,
        now_ms: i64,
    ) -> Result<i64, JournalError> {
        let settings_json = serde_json::to_string(&new.settings)
            .map_err(|e| JournalError::Corrupt(format!("settings: {e}")))?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        if !allow_duplicate {
            if let Some(dup) = duplicate_guard::find_duplicate(&tx, new, now_ms)? {
                return Err(JournalError::Duplicate(dup));
            }
        }
        tx.execute(
            "INSERT INTO campaigns (created_at_ms, updated_at_ms, source_name, source_sha256, \
             mapping_json, settings_json, dialog_id, total_numbers, profile, endpoint, state) \
             VALUES (?1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'ready')",
            params![
                now_ms,
                new.source_name,
                new.source_sha256,
                new.mapping_json,
                settings_json,
                new.settings.dialog_id,
                new.total_numbers() as i64,
                new.profile,
                new.endpoint,
            ],
        )?;
        let id = tx.last_insert_rowid();
        {
            let mut insert = tx.prepare(
                "INSERT INTO batches (campaign_id, idx, task_name, called_numbers, number_count, \
                 tts_param_head, tts_param, source_rows, state, created_at_ms, updated_at_ms) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'planned', ?9, ?9)",
            )?;
            for (index, batch) in new.batches.iter().enumerate() {
                let rows = serde_json::to_string(&batch.source_rows)
                    .map_err(|e| JournalError::Corrupt(format!("source rows: {e}")))?;
                insert.execute(params![
                    id,
                    index as i64,
                    batch.task_name,
                    batch.called_numbers.as_param(),
                    batch.called_numbers.len() as i64,
                    batch.tts_param_head,
                    batch.tts_param(),
                    rows,
                    now_ms,
                ])?;
            }
        }
        tx.commit()?;
        Ok(id)
    }

    /// The earlier campaign [`Journal::create_campaign`] would refuse `new` because of, if
    /// any: lets a user interface warn before asking for confirmation.
    pub fn find_duplicate(
        &self,
        new: &NewCampaign,
        now_ms: i64,
    ) -> Result<Option<DuplicateCampaign>, JournalError> {
        Ok(duplicate_guard::find_duplicate(&self.conn, new, now_ms)?)
    }

    /// Every campaign, newest first.
    pub fn campaigns(&self) -> Result<Vec<CampaignSummary>, JournalError> {
        let ids: Vec<i64> = {
            let mut stmt = self
                .conn
                .prepare("SELECT id FROM campaigns ORDER BY id DESC")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<Result<_, _>>()?
        };
        ids.into_iter().map(|id| self.campaign(id)).collect()
    }

    /// One campaign's summary.
    pub fn campaign(&self, id: i64) -> Result<CampaignSummary, JournalError> {
        let row = self
            .conn
            .query_row(
                "SELECT created_at_ms, updated_at_ms, source_name, source_sha256, settings_json, \
                 dialog_id, total_numbers, profile, endpoint, state, reason_code, reason_zh, \
                 reason_en FROM campaigns WHERE id = ?1",
                [id],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, i64>(6)?,
                        r.get::<_, String>(7)?,
                        r.get::<_, String>(8)?,
                        r.get::<_, String>(9)?,
                        r.get::<_, Option<String>>(10)?,
                        r.get::<_, Option<String>>(11)?,
                        r.get::<_, Option<String>>(12)?,
                    ))
                },
            )
            .optional()?
            .ok_or(JournalError::NotFound(id))?;
        let (created, updated, source_name, sha, settings_json, dialog_id, total, profile) =
            (row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7);
        let settings: CampaignSettings = serde_json::from_str(&settings_json)
            .map_err(|e| JournalError::Corrupt(format!("campaign {id} settings: {e}")))?;
        let state = CampaignState::parse(&row.9)
            .ok_or_else(|| JournalError::Corrupt(format!("campaign state {:?}", row.9)))?;
        let reason = row.10.map(|code| {
            UserError::new(
                ErrorCode::from_stored(&code),
                Localized::new(row.11.unwrap_or_default(), row.12.unwrap_or_default()),
                Localized::new("", ""),
            )
        });
        let (batches, sent_numbers) = self.counts_and_sent_numbers(id)?;
        let busy =
            lease::live_holder(&self.conn, id, now_for_reads(), self.lease_ttl_ms)?.is_some();
        Ok(CampaignSummary {
            id,
            created_at_ms: created,
            updated_at_ms: updated,
            source_name,
            source_sha256: sha,
            task_name: settings.task_name,
            dialog_id,
            profile,
            endpoint: row.8,
            state,
            reason,
            total_numbers: u32::try_from(total).unwrap_or(u32::MAX),
            sent_numbers,
            batches,
            busy,
        })
    }

    /// The task settings a campaign is sent with.
    pub fn settings(&self, id: i64) -> Result<CampaignSettings, JournalError> {
        let json: String = self
            .conn
            .query_row(
                "SELECT settings_json FROM campaigns WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(JournalError::NotFound(id))?;
        serde_json::from_str(&json)
            .map_err(|e| JournalError::Corrupt(format!("campaign {id} settings: {e}")))
    }

    /// How many batches are in each state.
    pub fn counts(&self, id: i64) -> Result<BatchCounts, JournalError> {
        Ok(self.counts_and_sent_numbers(id)?.0)
    }

    fn counts_and_sent_numbers(&self, id: i64) -> Result<(BatchCounts, u32), JournalError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT state, COUNT(*), SUM(number_count) FROM batches WHERE campaign_id = ?1 \
             GROUP BY state",
        )?;
        let mut counts = BatchCounts::default();
        let mut sent_numbers = 0u32;
        let rows = stmt.query_map([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        for row in rows {
            let (state, n, numbers) = row?;
            let state = BatchState::parse(&state)
                .ok_or_else(|| JournalError::Corrupt(format!("batch state {state:?}")))?;
            counts.add(state, u32::try_from(n).unwrap_or(u32::MAX));
            if state == BatchState::Sent {
                sent_numbers = u32::try_from(numbers).unwrap_or(u32::MAX);
            }
        }
        Ok((counts, sent_numbers))
    }

    /// Every batch of a campaign, in order.
    pub fn batches(&self, id: i64) -> Result<Vec<BatchRow>, JournalError> {
        self.campaign_exists(id)?;
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {BATCH_COLUMNS} FROM batches WHERE campaign_id = ?1 ORDER BY idx"
        ))?;
        let rows = stmt.query_map([id], read_batch)?;
        rows.map(|r| r.map_err(JournalError::from).and_then(|b| b))
            .collect()
    }

    /// A campaign's batches without their numbers and parameters, in order.
    pub fn batch_overviews(&self, id: i64) -> Result<Vec<BatchOverview>, JournalError> {
        self.campaign_exists(id)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT campaign_id, idx, task_name, number_count, state, attempts, retryable, \
             task_id, error_code, problem_json, decision, updated_at_ms \
             FROM batches WHERE campaign_id = ?1 ORDER BY idx",
        )?;
        let rows = stmt.query_map([id], read_batch_overview)?;
        rows.map(|r| r.map_err(JournalError::from).and_then(|b| b))
            .collect()
    }

    /// One batch.
    pub fn batch(&self, id: i64, index: u32) -> Result<BatchRow, JournalError> {
        self.conn
            .query_row(
                &format!("SELECT {BATCH_COLUMNS} FROM batches WHERE campaign_id = ?1 AND idx = ?2"),
                params![id, index],
                read_batch,
            )
            .optional()?
            .ok_or(JournalError::BatchNotFound {
                campaign_id: id,
                index,
            })?
    }

    /// The first `planned` batch at or after `from`, if any.
    pub fn next_planned(&self, id: i64, from: u32) -> Result<Option<BatchRow>, JournalError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {BATCH_COLUMNS} FROM batches WHERE campaign_id = ?1 AND state = 'planned' \
             AND idx >= ?2 ORDER BY idx LIMIT 1"
        ))?;
        stmt.query_row(params![id, from], read_batch)
            .optional()?
            .transpose()
    }

    /// The newest campaign that still has something to do: batches not sent yet, retryable
    /// refusals, or unknown outcomes. Cancelled campaigns are never "unfinished".
    pub fn latest_unfinished(&self) -> Result<Option<i64>, JournalError> {
        Ok(self
            .conn
            .query_row(
                "SELECT c.id FROM campaigns c WHERE c.state != 'cancelled' AND EXISTS ( \
                 SELECT 1 FROM batches b WHERE b.campaign_id = c.id AND (b.state IN \
                 ('planned', 'sending', 'unknown') OR (b.state = 'rejected' AND b.retryable = 1))) \
                 ORDER BY c.id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Commits `index` as `sending` before its request leaves: the first attempt takes a
    /// `planned` batch, a retry keeps a batch this holder already has `sending`. Fails if
    /// the lease was lost or the batch is in any other state. Returns the attempt number.
    pub fn begin_attempt(
        &mut self,
        lease: &Lease,
        index: u32,
        retry: bool,
        now_ms: i64,
    ) -> Result<u32, JournalError> {
        let id = lease.campaign_id;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        lease::check_and_touch(&tx, lease, now_ms)?;
        let (state, attempts): (String, i64) = tx
            .query_row(
                "SELECT state, attempts FROM batches WHERE campaign_id = ?1 AND idx = ?2",
                params![id, index],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or(JournalError::BatchNotFound {
                campaign_id: id,
                index,
            })?;
        let state = BatchState::parse(&state)
            .ok_or_else(|| JournalError::Corrupt(format!("batch state {state:?}")))?;
        let expected = if retry {
            BatchState::Sending
        } else {
            BatchState::Planned
        };
        if state != expected {
            return Err(JournalError::NotSendable {
                campaign_id: id,
                index,
                state,
            });
        }
        let attempt = attempts + 1;
        tx.execute(
            "UPDATE batches SET state = 'sending', attempts = ?3, updated_at_ms = ?4, \
             first_sent_at_ms = COALESCE(first_sent_at_ms, ?4), retryable = 0 \
             WHERE campaign_id = ?1 AND idx = ?2",
            params![id, index, attempt, now_ms],
        )?;
        tx.execute(
            "INSERT INTO attempts (campaign_id, batch_idx, attempt, started_at_ms) \
             VALUES (?1, ?2, ?3, ?4)",
            params![id, index, attempt, now_ms],
        )?;
        tx.execute(
            "UPDATE campaigns SET state = 'running', reason_code = NULL, reason_zh = NULL, \
             reason_en = NULL, updated_at_ms = ?2 WHERE id = ?1 AND state != 'running'",
            params![id, now_ms],
        )?;
        tx.commit()?;
        Ok(u32::try_from(attempt).unwrap_or(u32::MAX))
    }

    /// Records how attempt `attempt` of batch `index` ended.
    ///
    /// The result is written even if the lease was lost meanwhile (the server's answer is
    /// the truth), as long as the batch was not moved on since: still `sending`, or turned
    /// `unknown` by a recovery, with the same attempt count. Returns the batch's new state.
    pub fn finish_attempt(
        &mut self,
        campaign_id: i64,
        index: u32,
        attempt: u32,
        outcome: &AttemptOutcome,
        now_ms: i64,
    ) -> Result<BatchState, JournalError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (code, request_id) = match outcome {
            AttemptOutcome::Accepted { request_id, .. } => (None, Some(request_id.clone())),
            AttemptOutcome::WillRetry { code } => (Some(code.clone()), None),
            AttemptOutcome::Rejected {
                code, request_id, ..
            } => (Some(code.clone()), request_id.clone()),
            AttemptOutcome::Unknown { code, .. } => (Some(code.clone()), None),
        };
        tx.execute(
            "UPDATE attempts SET finished_at_ms = ?4, outcome = ?5, error_code = ?6, \
             request_id = ?7 WHERE campaign_id = ?1 AND batch_idx = ?2 AND attempt = ?3",
            params![
                campaign_id,
                index,
                attempt,
                now_ms,
                outcome.word(),
                code,
                request_id
            ],
        )?;
        let current: Option<(String, i64)> = tx
            .query_row(
                "SELECT state, attempts FROM batches WHERE campaign_id = ?1 AND idx = ?2",
                params![campaign_id, index],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((state_word, attempts)) = current else {
            return Err(JournalError::BatchNotFound { campaign_id, index });
        };
        let state = BatchState::parse(&state_word)
            .ok_or_else(|| JournalError::Corrupt(format!("batch state {state_word:?}")))?;
        let ours = attempts == i64::from(attempt)
            && matches!(state, BatchState::Sending | BatchState::Unknown);
        if !ours {
            tx.commit()?;
            return Ok(state);
        }
        let new_state = match outcome {
            AttemptOutcome::Accepted {
                task_id,
                request_id,
            } => {
                // Sent without a TaskId keeps a note saying how to find the task.
                let note = match task_id {
                    Some(_) => None,
                    None => {
                        let (name, count): (String, u32) = tx.query_row(
                            "SELECT task_name, number_count FROM batches \
                             WHERE campaign_id = ?1 AND idx = ?2",
                            params![campaign_id, index],
                            |r| Ok((r.get(0)?, r.get(1)?)),
                        )?;
                        Some(problem_json(&untracked::problem(&name, count, now_ms)))
                    }
                };
                tx.execute(
                    "UPDATE batches SET state = 'sent', task_id = ?3, request_id = ?4, \
                     error_code = NULL, problem_json = ?6, updated_at_ms = ?5, \
                     finished_at_ms = ?5 WHERE campaign_id = ?1 AND idx = ?2",
                    params![campaign_id, index, task_id, request_id, now_ms, note],
                )?;
                BatchState::Sent
            }
            AttemptOutcome::WillRetry { code } => {
                tx.execute(
                    "UPDATE batches SET error_code = ?3, updated_at_ms = ?4 \
                     WHERE campaign_id = ?1 AND idx = ?2",
                    params![campaign_id, index, code, now_ms],
                )?;
                state
            }
            AttemptOutcome::Rejected {
                code,
                problem,
                retryable,
                request_id,
            } => {
                tx.execute(
                    "UPDATE batches SET state = 'rejected', retryable = ?3, error_code = ?4, \
                     problem_json = ?5, request_id = ?6, updated_at_ms = ?7, finished_at_ms = ?7 \
                     WHERE campaign_id = ?1 AND idx = ?2",
                    params![
                        campaign_id,
                        index,
                        retryable,
                        code,
                        problem_json(problem),
                        request_id,
                        now_ms
                    ],
                )?;
                BatchState::Rejected
            }
            AttemptOutcome::Unknown { code, problem } => {
                tx.execute(
                    "UPDATE batches SET state = 'unknown', error_code = ?3, problem_json = ?4, \
                     updated_at_ms = ?5, finished_at_ms = ?5 WHERE campaign_id = ?1 AND idx = ?2",
                    params![campaign_id, index, code, problem_json(problem), now_ms],
                )?;
                BatchState::Unknown
            }
        };
        tx.execute(
            "UPDATE campaigns SET updated_at_ms = ?2 WHERE id = ?1",
            params![campaign_id, now_ms],
        )?;
        tx.commit()?;
        Ok(new_state)
    }

    /// Sets the campaign's state and the reason shown with it.
    pub fn set_campaign_state(
        &mut self,
        id: i64,
        state: CampaignState,
        reason: Option<&UserError>,
        now_ms: i64,
    ) -> Result<(), JournalError> {
        let n = self.conn.execute(
            "UPDATE campaigns SET state = ?2, reason_code = ?3, reason_zh = ?4, reason_en = ?5, \
             updated_at_ms = ?6 WHERE id = ?1",
            params![
                id,
                state.as_str(),
                reason.map(|r| r.code.to_string()).as_deref(),
                reason.map(|r| r.message.zh_cn.as_str()),
                reason.map(|r| r.message.en.as_str()),
                now_ms,
            ],
        )?;
        if n == 0 {
            return Err(JournalError::NotFound(id));
        }
        Ok(())
    }

    /// Cancels every batch that has not started; returns how many.
    pub fn cancel_planned(&mut self, id: i64, now_ms: i64) -> Result<usize, JournalError> {
        self.campaign_exists(id)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let n = tx.execute(
            "UPDATE batches SET state = 'cancelled', updated_at_ms = ?2, finished_at_ms = ?2 \
             WHERE campaign_id = ?1 AND state = 'planned'",
            params![id, now_ms],
        )?;
        tx.execute(
            "UPDATE campaigns SET state = 'cancelled', reason_code = NULL, reason_zh = NULL, \
             reason_en = NULL, updated_at_ms = ?2 WHERE id = ?1",
            params![id, now_ms],
        )?;
        tx.commit()?;
        Ok(n)
    }

    /// Never sends the batches of `id` not sent yet, under the campaign's lease: a sender
    /// still running it is refused ([`JournalError::Busy`]) rather than raced.
    pub fn cancel_unsent(&mut self, id: i64, now_ms: i64) -> Result<usize, JournalError> {
        let lease = self.claim(id, now_ms)?;
        let cancelled = self.cancel_planned(id, now_ms);
        let _ = self.release(&lease);
        cancelled
    }

    /// Applies the user's decision to every `unknown` batch of a campaign (or only to
    /// `index`). `Resend` makes them `planned` again, `MarkSent` makes them `sent`.
    /// Returns how many changed.
    pub fn decide_unknown(
        &mut self,
        id: i64,
        index: Option<u32>,
        decision: UnknownDecision,
        now_ms: i64,
    ) -> Result<usize, JournalError> {
        self.campaign_exists(id)?;
        let (state, word) = match decision {
            UnknownDecision::Resend => ("planned", "resent"),
            UnknownDecision::MarkSent => ("sent", "marked-sent"),
        };
        let n = self.conn.execute(
            "UPDATE batches SET state = ?2, decision = ?3, updated_at_ms = ?4, \
             finished_at_ms = CASE WHEN ?2 = 'sent' THEN ?4 ELSE NULL END \
             WHERE campaign_id = ?1 AND state = 'unknown' AND (?5 IS NULL OR idx = ?5)",
            params![id, state, word, now_ms, index],
        )?;
        Ok(n)
    }

    /// Makes rejected batches that may be sent again (throttling, business limits, account
    /// problems since fixed) `planned`; returns how many.
    pub fn requeue_retryable(&mut self, id: i64, now_ms: i64) -> Result<usize, JournalError> {
        self.campaign_exists(id)?;
        Ok(self.conn.execute(
            "UPDATE batches SET state = 'planned', retryable = 0, updated_at_ms = ?2, \
             finished_at_ms = NULL WHERE campaign_id = ?1 AND state = 'rejected' AND retryable = 1",
            params![id, now_ms],
        )?)
    }

    /// Gives the batches not sent yet a new ScheduleTime (`None`: at once). Sent batches keep
    /// the time they were sent with; the campaign's settings record the new one.
    pub fn reschedule(
        &mut self,
        id: i64,
        schedule_time_ms: Option<i64>,
        now_ms: i64,
    ) -> Result<(), JournalError> {
        let mut settings = self.settings(id)?;
        settings.schedule_time_ms = schedule_time_ms;
        let json = serde_json::to_string(&settings)
            .map_err(|e| JournalError::Corrupt(format!("campaign {id} settings: {e}")))?;
        self.conn.execute(
            "UPDATE campaigns SET settings_json = ?2, updated_at_ms = ?3 WHERE id = ?1",
            params![id, json, now_ms],
        )?;
        Ok(())
    }

    /// Replaces the batches that called nobody by batches of at most `max` numbers (see
    /// [`super::resplit`]), in one transaction.
    pub fn resplit_unsent(
        &mut self,
        id: i64,
        max: usize,
        now_ms: i64,
    ) -> Result<resplit::Resplit, JournalError> {
        let base = self.settings(id)?.task_name;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let done = resplit::resplit_unsent(&tx, id, &base, max, now_ms)?;
        tx.execute(
            "UPDATE campaigns SET updated_at_ms = ?2 WHERE id = ?1",
            params![id, now_ms],
        )?;
        tx.commit()?;
        Ok(done)
    }

    /// Records the TaskId found for a batch that was accepted without one (by its name and
    /// day); its note on how to find the task goes. Only ever fills a missing id.
    pub fn set_found_task_id(
        &mut self,
        id: i64,
        index: u32,
        task_id: &str,
    ) -> Result<(), JournalError> {
        self.conn.execute(
            "UPDATE batches SET task_id = ?3, problem_json = NULL \
             WHERE campaign_id = ?1 AND idx = ?2 AND state = 'sent' AND task_id IS NULL",
            params![id, index, task_id],
        )?;
        Ok(())
    }

    /// What must be decided before the campaign can go on (see [`super::resume`]).
    pub fn resume_needs(&self, id: i64, now_ms: i64) -> Result<ResumeNeeds, JournalError> {
        let settings = self.settings(id)?;
        let batches = self.batches(id)?;
        Ok(ResumeNeeds::of(&settings, &batches, now_ms))
    }

    fn campaign_exists(&self, id: i64) -> Result<(), JournalError> {
        let found: Option<i64> = self
            .conn
            .query_row("SELECT id FROM campaigns WHERE id = ?1", [id], |r| r.get(0))
            .optional()?;
        found.map(|_| ()).ok_or(JournalError::NotFound(id))
    }
}

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

fn problem_json(problem: &UserError) -> String {
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

/// Wall time for read-only liveness checks (listing campaigns). Sending paths take the
/// injected clock instead.
fn now_for_reads() -> i64 {
    crate::clock::WallClock::now_ms(&crate::clock::SystemClock)
}

fn read_batch(r: &Row<'_>) -> rusqlite::Result<Result<BatchRow, JournalError>> {
    let numbers: String = r.get(3)?;
    let rows_json: String = r.get(6)?;
    let state_word: String = r.get(7)?;
    let attempts: i64 = r.get(8)?;
    let index: i64 = r.get(1)?;
    let problem: Option<String> = r.get(13)?;
    let build = || -> Result<BatchRow, JournalError> {
        let state = parse_batch_state(&state_word)?;
        let source_rows: Vec<u32> = serde_json::from_str(&rows_json)
            .map_err(|e| JournalError::Corrupt(format!("source rows: {e}")))?;
        Ok(BatchRow {
            campaign_id: r.get(0)?,
            index: u32::try_from(index)
                .map_err(|_| JournalError::Corrupt(format!("batch index {index}")))?,
            task_name: r.get(2)?,
            called_numbers: if numbers.is_empty() {
                Vec::new()
            } else {
                numbers.split(',').map(str::to_owned).collect()
            },
            tts_param_head: r.get(4)?,
            tts_param: r.get(5)?,
            source_rows,
            state,
            attempts: u32::try_from(attempts).unwrap_or(0),
            retryable: r.get(9)?,
            task_id: r.get(10)?,
            request_id: r.get(11)?,
            error_code: r.get(12)?,
            problem: parse_problem(problem.as_deref())?,
            decision: r.get(14)?,
            updated_at_ms: r.get(15)?,
            first_sent_at_ms: r.get(16)?,
            finished_at_ms: r.get(17)?,
        })
    };
    Ok(build())
}

fn read_batch_overview(r: &Row<'_>) -> rusqlite::Result<Result<BatchOverview, JournalError>> {
    let index: i64 = r.get(1)?;
    let people: i64 = r.get(3)?;
    let state_word: String = r.get(4)?;
    let attempts: i64 = r.get(5)?;
    let problem: Option<String> = r.get(9)?;
    let build = || -> Result<BatchOverview, JournalError> {
        Ok(BatchOverview {
            campaign_id: r.get(0)?,
            index: u32::try_from(index)
                .map_err(|_| JournalError::Corrupt(format!("batch index {index}")))?,
            task_name: r.get(2)?,
            people: u32::try_from(people)
                .map_err(|_| JournalError::Corrupt(format!("batch size {people}")))?,
            state: parse_batch_state(&state_word)?,
            attempts: u32::try_from(attempts).unwrap_or(0),
            retryable: r.get(6)?,
            task_id: r.get(7)?,
            error_code: r.get(8)?,
            problem: parse_problem(problem.as_deref())?,
            decision: r.get(10)?,
            updated_at_ms: r.get(11)?,
        })
    };
    Ok(build())
}

fn parse_batch_state(word: &str) -> Result<BatchState, JournalError> {
    BatchState::parse(word).ok_or_else(|| JournalError::Corrupt(format!("batch state {word:?}")))
}

fn parse_problem(json: Option<&str>) -> Result<Option<UserError>, JournalError> {
    json.map(serde_json::from_str)
        .transpose()
        .map_err(|e| JournalError::Corrupt(format!("batch problem: {e}")))
}
