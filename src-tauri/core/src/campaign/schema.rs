//! The journal's SQLite schema, as an ordered list of migrations.
//!
//! `PRAGMA user_version` holds how many migrations a file has had. Opening a journal runs the
//! missing ones in one transaction each, so an old file is upgraded in place and a crash in
//! the middle of an upgrade leaves the previous version intact. To change the schema, append
//! a migration: never edit one that has shipped.

use rusqlite::Connection;

/// One schema step: the SQL that takes a journal from version `index` to `index + 1`.
pub struct Migration {
    /// What the step adds, for error messages.
    pub name: &'static str,
    pub sql: &'static str,
}

/// Every migration, oldest first. Version N means the first N have run.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        name: "campaigns, batches, attempts and leases",
        sql: r#"
CREATE TABLE campaigns (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at_ms   INTEGER NOT NULL,
    updated_at_ms   INTEGER NOT NULL,
    source_name     TEXT    NOT NULL,
    source_sha256   TEXT    NOT NULL,
    mapping_json    TEXT    NOT NULL,
    -- TaskSettings as JSON; never holds a secret (the AccessKey is only named by profile).
    settings_json   TEXT    NOT NULL,
    -- Copied out of settings_json so the duplicate guard can use an index.
    dialog_id       TEXT    NOT NULL,
    total_numbers   INTEGER NOT NULL,
    profile         TEXT    NOT NULL,
    endpoint        TEXT    NOT NULL,
    state           TEXT    NOT NULL,
    -- Why the campaign is paused or stopped: a UserError code and its two messages.
    reason_code     TEXT,
    reason_zh       TEXT,
    reason_en       TEXT
);
CREATE INDEX campaigns_by_dialog ON campaigns (dialog_id, created_at_ms);

CREATE TABLE batches (
    campaign_id     INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    idx             INTEGER NOT NULL,
    task_name       TEXT    NOT NULL,
    -- Comma-separated, exactly as sent in CalledNumber.
    called_numbers  TEXT    NOT NULL,
    number_count    INTEGER NOT NULL,
    tts_param_head  TEXT,
    tts_param       TEXT,
    -- JSON array of 1-based sheet row numbers, in the order of called_numbers.
    source_rows     TEXT    NOT NULL,
    state           TEXT    NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    -- 1 when a rejected batch may be sent again once the cause is fixed (throttling,
    -- business limits, balance): nobody was called.
    retryable       INTEGER NOT NULL DEFAULT 0,
    task_id         TEXT,
    request_id      TEXT,
    error_code      TEXT,
    -- The UserError (code, zh-CN and English message, hint) as JSON.
    problem_json    TEXT,
    -- How an `unknown` batch was settled: 'resent' or 'marked-sent'.
    decision        TEXT,
    created_at_ms   INTEGER NOT NULL,
    updated_at_ms   INTEGER NOT NULL,
    first_sent_at_ms INTEGER,
    finished_at_ms  INTEGER,
    PRIMARY KEY (campaign_id, idx)
) WITHOUT ROWID;
CREATE INDEX batches_by_state ON batches (campaign_id, state, idx);

-- Every request that left (or may have left), for the audit trail.
CREATE TABLE attempts (
    campaign_id     INTEGER NOT NULL,
    batch_idx       INTEGER NOT NULL,
    attempt         INTEGER NOT NULL,
    started_at_ms   INTEGER NOT NULL,
    finished_at_ms  INTEGER,
    outcome         TEXT,
    error_code      TEXT,
    request_id      TEXT,
    PRIMARY KEY (campaign_id, batch_idx, attempt),
    FOREIGN KEY (campaign_id, batch_idx) REFERENCES batches (campaign_id, idx) ON DELETE CASCADE
) WITHOUT ROWID;

-- Which process is sending a campaign. A row is live while its heartbeat is fresh (and, on
-- Linux, its process exists); only the holder may move a batch to `sending`.
CREATE TABLE leases (
    campaign_id     INTEGER PRIMARY KEY REFERENCES campaigns (id) ON DELETE CASCADE,
    owner           TEXT    NOT NULL,
    pid             INTEGER NOT NULL,
    acquired_at_ms  INTEGER NOT NULL,
    heartbeat_ms    INTEGER NOT NULL
);
"#,
    },
    Migration {
        name: "call results",
        sql: crate::results::store::SCHEMA_SQL,
    },
    Migration {
        name: "do-not-call list and per-number limit indexes",
        sql: crate::compliance::dnc::SCHEMA_SQL,
    },
    Migration {
        name: "archived recordings",
        sql: crate::results::archive::SCHEMA_SQL,
    },
    Migration {
        name: "numbers withheld at send time (listed since journaling)",
        sql: super::journal::WITHHELD_SCHEMA_SQL,
    },
    Migration {
        name: "recordings deleted by retention or by hand",
        sql: crate::results::retention::SCHEMA_SQL,
    },
];

/// The schema version this build writes.
pub fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// Why the schema could not be brought up to date.
#[derive(Debug, thiserror::Error)]
pub enum MigrationError {
    /// The file was written by a newer SmartDial: we must not guess at its tables.
    #[error("journal schema version {found} is newer than this build understands ({supported})")]
    TooNew { found: i64, supported: i64 },
    #[error("journal migration {version} ({name}) failed: {source}")]
    Step {
        version: i64,
        name: &'static str,
        #[source]
        source: rusqlite::Error,
    },
    #[error("could not read the journal schema version: {0}")]
    Version(#[source] rusqlite::Error),
}

/// Runs the migrations `conn` has not had yet; returns the version it ends at.
pub fn migrate(conn: &mut Connection) -> Result<i64, MigrationError> {
    migrate_with(conn, MIGRATIONS)
}

/// [`migrate`] over an explicit list, so tests can prove that appending a step upgrades an
/// existing file.
pub fn migrate_with(
    conn: &mut Connection,
    migrations: &[Migration],
) -> Result<i64, MigrationError> {
    let supported = migrations.len() as i64;
    let mut version: i64 = conn
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(MigrationError::Version)?;
    if version > supported {
        return Err(MigrationError::TooNew {
            found: version,
            supported,
        });
    }
    while version < supported {
        let Some(step) = usize::try_from(version)
            .ok()
            .and_then(|i| migrations.get(i))
        else {
            // A negative user_version: not a file any SmartDial wrote.
            return Err(MigrationError::TooNew {
                found: version,
                supported,
            });
        };
        let next = version + 1;
        let fail = |source| MigrationError::Step {
            version: next,
            name: step.name,
            source,
        };
        // IMMEDIATE: two processes opening an old file at once must not both migrate it.
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(fail)?;
        let current: i64 = tx
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .map_err(fail)?;
        if current != version {
            // Someone else migrated while we waited for the lock.
            drop(tx);
            version = current;
            continue;
        }
        tx.execute_batch(step.sql).map_err(fail)?;
        tx.pragma_update(None, "user_version", next).map_err(fail)?;
        tx.commit().map_err(fail)?;
        version = next;
    }
    Ok(version)
}
