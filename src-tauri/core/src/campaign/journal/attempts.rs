//! One request attempt in the journal: committed as `sending` before the request leaves,
//! then finished with what the server answered.

use rusqlite::{params, TransactionBehavior};

use super::interrupted::problem_json;
use super::rows::BatchProgress;
use super::withheld::{screen_batch, Screened};
use super::{Journal, JournalError};
use crate::campaign::lease::{self, Lease};
use crate::campaign::model::BatchState;
use crate::campaign::untracked;
use crate::text::UserError;

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

/// What committing a batch as leaving did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Begun {
    /// Send attempt `attempt` of the batch as the journal now holds it: `withheld` numbers
    /// put on the do-not-call list since journaling were taken out first (re-read the row).
    Sending { attempt: u32, withheld: usize },
    /// Everyone in it is on the do-not-call list now: it was cancelled, nothing leaves.
    Withheld { withheld: usize },
}

impl Begun {
    /// The attempt to send, if anything is to be sent.
    pub fn attempt(self) -> Option<u32> {
        match self {
            Begun::Sending { attempt, .. } => Some(attempt),
            Begun::Withheld { .. } => None,
        }
    }
}

impl Journal {
    /// Commits `index` as `sending` before its request leaves: the first attempt takes a
    /// `planned` batch, a retry keeps a batch this holder already has `sending`. Fails if
    /// the lease was lost or the batch is in any other state. A first attempt first takes
    /// out the numbers put on the do-not-call list since the campaign was journaled (a
    /// retry resends exactly what was screened then).
    pub fn begin_attempt(
        &mut self,
        lease: &Lease,
        index: u32,
        retry: bool,
        now_ms: i64,
    ) -> Result<Begun, JournalError> {
        let id = lease.campaign_id;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        lease::check_and_touch(&tx, lease, now_ms)?;
        let BatchProgress { state, attempts } = BatchProgress::read(&tx, id, index)?;
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
        let withheld = if retry {
            0
        } else {
            match screen_batch(&tx, id, index, now_ms)? {
                Screened::Kept { withheld } => withheld,
                Screened::Emptied { withheld } => {
                    tx.commit()?;
                    return Ok(Begun::Withheld { withheld });
                }
            }
        };
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
        Ok(Begun::Sending {
            attempt: u32::try_from(attempt).unwrap_or(u32::MAX),
            withheld,
        })
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
        let BatchProgress { state, attempts } = BatchProgress::read(&tx, campaign_id, index)?;
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
}
