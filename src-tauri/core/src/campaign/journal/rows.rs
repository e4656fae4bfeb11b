//! Journal rows read into named structs: every column by name, every stored word and
//! number checked, so a damaged file is reported as such instead of misread.

use crate::campaign::settings::TaskSettings;
use rusqlite::{params, Connection, OptionalExtension, Row};

use super::JournalError;
use crate::campaign::lease::{self, LeaseHolder};
use crate::campaign::model::{
    BatchCounts, BatchOverview, BatchRow, BatchState, CampaignState, CampaignSummary,
};
use crate::error_code::ErrorCode;
use crate::text::{Localized, UserError};

pub(super) const BATCH_COLUMNS: &str = "campaign_id, idx, task_name, called_numbers, \
    tts_param_head, tts_param, source_rows, state, attempts, retryable, task_id, request_id, \
    error_code, problem_json, decision, updated_at_ms, first_sent_at_ms, finished_at_ms";

pub(super) const BATCH_OVERVIEW_COLUMNS: &str = "campaign_id, idx, task_name, number_count, \
    state, attempts, retryable, task_id, error_code, problem_json, decision, updated_at_ms";

/// A campaign row (`c`) with its lease row (`l`, left-joined: there may be none).
pub(super) const CAMPAIGN_COLUMNS: &str = "c.id, c.created_at_ms, c.updated_at_ms, \
    c.source_name, c.source_sha256, c.settings_json, c.dialog_id, c.total_numbers, c.profile, \
    c.endpoint, c.state, c.reason_code, c.reason_zh, c.reason_en, \
    l.owner AS lease_owner, l.pid AS lease_pid, l.heartbeat_ms AS lease_heartbeat_ms";

/// The `FROM` clause [`CAMPAIGN_COLUMNS`] reads.
pub(super) const CAMPAIGN_FROM: &str = "campaigns c LEFT JOIN leases l ON l.campaign_id = c.id";

/// One row of `campaigns` as stored, with whoever last held its lease.
pub(super) struct CampaignRecord {
    pub(super) id: i64,
    created_at_ms: i64,
    updated_at_ms: i64,
    source_name: String,
    source_sha256: String,
    settings_json: String,
    dialog_id: String,
    total_numbers: i64,
    profile: String,
    endpoint: String,
    state: String,
    reason_code: Option<String>,
    reason_zh: Option<String>,
    reason_en: Option<String>,
    lease: Option<LeaseHolder>,
}

impl CampaignRecord {
    pub(super) fn read(r: &Row<'_>) -> rusqlite::Result<CampaignRecord> {
        let owner: Option<String> = r.get("lease_owner")?;
        let lease = match owner {
            Some(owner) => Some(LeaseHolder {
                owner,
                pid: r.get("lease_pid")?,
                heartbeat_ms: r.get("lease_heartbeat_ms")?,
            }),
            None => None,
        };
        Ok(CampaignRecord {
            id: r.get("id")?,
            created_at_ms: r.get("created_at_ms")?,
            updated_at_ms: r.get("updated_at_ms")?,
            source_name: r.get("source_name")?,
            source_sha256: r.get("source_sha256")?,
            settings_json: r.get("settings_json")?,
            dialog_id: r.get("dialog_id")?,
            total_numbers: r.get("total_numbers")?,
            profile: r.get("profile")?,
            endpoint: r.get("endpoint")?,
            state: r.get("state")?,
            reason_code: r.get("reason_code")?,
            reason_zh: r.get("reason_zh")?,
            reason_en: r.get("reason_en")?,
            lease,
        })
    }

    /// The summary shown for it, with its batch tally; `busy` when its lease is live at
    /// `now_ms`.
    pub(super) fn into_summary(
        self,
        tally: Tally,
        now_ms: i64,
        lease_ttl_ms: i64,
    ) -> Result<CampaignSummary, JournalError> {
        let id = self.id;
        let settings: TaskSettings = serde_json::from_str(&self.settings_json)
            .map_err(|e| JournalError::Corrupt(format!("campaign {id} settings: {e}")))?;
        let state = CampaignState::parse(&self.state)
            .ok_or_else(|| JournalError::Corrupt(format!("campaign state {:?}", self.state)))?;
        let reason = self.reason_code.map(|code| {
            UserError::new(
                ErrorCode::from_stored(&code),
                Localized::new(
                    self.reason_zh.unwrap_or_default(),
                    self.reason_en.unwrap_or_default(),
                ),
                Localized::new("", ""),
            )
        });
        let busy = self
            .lease
            .is_some_and(|holder| lease::is_live(&holder, now_ms, lease_ttl_ms));
        Ok(CampaignSummary {
            id,
            created_at_ms: self.created_at_ms,
            updated_at_ms: self.updated_at_ms,
            source_name: self.source_name,
            source_sha256: self.source_sha256,
            task_name: settings.task_name,
            dialog_id: self.dialog_id,
            profile: self.profile,
            endpoint: self.endpoint,
            state,
            reason,
            total_numbers: u32::try_from(self.total_numbers).unwrap_or(u32::MAX),
            sent_numbers: tally.sent_numbers,
            batches: tally.counts,
            busy,
        })
    }
}

/// How many batches of a campaign are in each state, and how many numbers were sent.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Tally {
    pub(super) counts: BatchCounts,
    pub(super) sent_numbers: u32,
}

/// One group of `SELECT campaign_id, state, COUNT(*), SUM(number_count) ... GROUP BY
/// campaign_id, state`.
pub(super) struct StateCount {
    pub(super) campaign_id: i64,
    state: String,
    batches: i64,
    numbers: i64,
}

impl StateCount {
    pub(super) const SELECT: &'static str =
        "SELECT campaign_id, state, COUNT(*) AS batches, SUM(number_count) AS numbers \
         FROM batches";
    pub(super) const GROUP: &'static str = "GROUP BY campaign_id, state";

    pub(super) fn read(r: &Row<'_>) -> rusqlite::Result<StateCount> {
        Ok(StateCount {
            campaign_id: r.get("campaign_id")?,
            state: r.get("state")?,
            batches: r.get("batches")?,
            numbers: r.get("numbers")?,
        })
    }

    /// Adds this group to its campaign's tally.
    pub(super) fn add_to(&self, tally: &mut Tally) -> Result<(), JournalError> {
        let state = parse_batch_state(&self.state)?;
        tally
            .counts
            .add(state, u32::try_from(self.batches).unwrap_or(u32::MAX));
        if state == BatchState::Sent {
            tally.sent_numbers = u32::try_from(self.numbers).unwrap_or(u32::MAX);
        }
        Ok(())
    }
}

/// Where a batch stands between attempts: its state and how many attempts it had.
pub(super) struct BatchProgress {
    pub(super) state: BatchState,
    pub(super) attempts: i64,
}

impl BatchProgress {
    pub(super) fn read(
        conn: &Connection,
        campaign_id: i64,
        index: u32,
    ) -> Result<BatchProgress, JournalError> {
        let found = conn
            .query_row(
                "SELECT state, attempts FROM batches WHERE campaign_id = ?1 AND idx = ?2",
                params![campaign_id, index],
                |r| Ok((r.get::<_, String>("state")?, r.get::<_, i64>("attempts")?)),
            )
            .optional()?;
        let (state, attempts) = found.ok_or(JournalError::BatchNotFound { campaign_id, index })?;
        Ok(BatchProgress {
            state: parse_batch_state(&state)?,
            attempts,
        })
    }
}

pub(super) fn read_batch(r: &Row<'_>) -> rusqlite::Result<Result<BatchRow, JournalError>> {
    let numbers: String = r.get("called_numbers")?;
    let rows_json: String = r.get("source_rows")?;
    let state_word: String = r.get("state")?;
    let attempts: i64 = r.get("attempts")?;
    let index: i64 = r.get("idx")?;
    let problem: Option<String> = r.get("problem_json")?;
    let build = || -> Result<BatchRow, JournalError> {
        let state = parse_batch_state(&state_word)?;
        let source_rows: Vec<u32> = serde_json::from_str(&rows_json)
            .map_err(|e| JournalError::Corrupt(format!("source rows: {e}")))?;
        Ok(BatchRow {
            campaign_id: r.get("campaign_id")?,
            index: parse_index(index)?,
            task_name: r.get("task_name")?,
            called_numbers: if numbers.is_empty() {
                Vec::new()
            } else {
                numbers.split(',').map(str::to_owned).collect()
            },
            tts_param_head: r.get("tts_param_head")?,
            tts_param: r.get("tts_param")?,
            source_rows,
            state,
            attempts: u32::try_from(attempts).unwrap_or(0),
            retryable: r.get("retryable")?,
            task_id: r.get("task_id")?,
            request_id: r.get("request_id")?,
            error_code: r.get("error_code")?,
            problem: parse_problem(problem.as_deref())?,
            decision: r.get("decision")?,
            updated_at_ms: r.get("updated_at_ms")?,
            first_sent_at_ms: r.get("first_sent_at_ms")?,
            finished_at_ms: r.get("finished_at_ms")?,
        })
    };
    Ok(build())
}

pub(super) fn read_batch_overview(
    r: &Row<'_>,
) -> rusqlite::Result<Result<BatchOverview, JournalError>> {
    let index: i64 = r.get("idx")?;
    let people: i64 = r.get("number_count")?;
    let state_word: String = r.get("state")?;
    let attempts: i64 = r.get("attempts")?;
    let problem: Option<String> = r.get("problem_json")?;
    let build = || -> Result<BatchOverview, JournalError> {
        Ok(BatchOverview {
            campaign_id: r.get("campaign_id")?,
            index: parse_index(index)?,
            task_name: r.get("task_name")?,
            people: u32::try_from(people)
                .map_err(|_| JournalError::Corrupt(format!("batch size {people}")))?,
            state: parse_batch_state(&state_word)?,
            attempts: u32::try_from(attempts).unwrap_or(0),
            retryable: r.get("retryable")?,
            task_id: r.get("task_id")?,
            error_code: r.get("error_code")?,
            problem: parse_problem(problem.as_deref())?,
            decision: r.get("decision")?,
            updated_at_ms: r.get("updated_at_ms")?,
        })
    };
    Ok(build())
}

fn parse_index(index: i64) -> Result<u32, JournalError> {
    u32::try_from(index).map_err(|_| JournalError::Corrupt(format!("batch index {index}")))
}

pub(super) fn parse_batch_state(word: &str) -> Result<BatchState, JournalError> {
    BatchState::parse(word).ok_or_else(|| JournalError::Corrupt(format!("batch state {word:?}")))
}

fn parse_problem(json: Option<&str>) -> Result<Option<UserError>, JournalError> {
    json.map(serde_json::from_str)
        .transpose()
        .map_err(|e| JournalError::Corrupt(format!("batch problem: {e}")))
}
