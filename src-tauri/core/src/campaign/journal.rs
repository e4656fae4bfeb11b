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

mod attempts;
mod decisions;
mod error;
mod interrupted;
mod queries;
mod rows;
mod withheld;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{params, Connection, TransactionBehavior};

use super::lease;
use super::model::NewCampaign;
use super::schema;
use crate::compliance::rules::CallingRules;
use crate::compliance::screen::Screen;

pub use attempts::{AttemptOutcome, Begun};
pub use decisions::Settled;
pub use error::JournalError;
pub(crate) use interrupted::mark_interrupted;
pub use interrupted::{in_flight_problem, interrupted_reason, unknown_hint};
pub(crate) use withheld::SCHEMA_SQL as WITHHELD_SCHEMA_SQL;

/// How long a writer waits for another process's transaction before giving up. Journal
/// transactions take milliseconds; this only matters when a disk stalls.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

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
    /// With `rules`, refuses ([`JournalError::Screened`]) when any of its numbers is on the
    /// do-not-call list or over the per-number limits now. The front ends screened the
    /// contacts before planning; this check and the insert are one transaction, so two
    /// processes submitting the same people at once cannot both pass it (the first one's
    /// planned batches count against the second). `None` only for tests and benchmarks.
    pub fn create_campaign(
        &mut self,
        new: &NewCampaign,
        rules: Option<&CallingRules>,
        now_ms: i64,
    ) -> Result<i64, JournalError> {
        let settings_json = serde_json::to_string(&new.settings)
            .map_err(|e| JournalError::Corrupt(format!("settings: {e}")))?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        if let Some(rules) = rules {
            let mut keys: Vec<u64> = new
                .batches
                .iter()
                .flat_map(|b| b.called_numbers.iter())
                .filter_map(crate::compliance::number_key)
                .collect();
            keys.sort_unstable();
            keys.dedup();
            let screen = Screen::build_on(&tx, &keys, rules, now_ms)
                .map_err(|e| JournalError::Screen(e.to_string()))?;
            if let Some((number, block)) = screen.example() {
                return Err(JournalError::Screened {
                    stopped: screen.len(),
                    example: number,
                    why: block.message(),
                });
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
}
