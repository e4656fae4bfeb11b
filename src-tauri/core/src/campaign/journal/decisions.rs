//! What the user and the engine decide about a campaign: its state, cancelling, settling
//! batches whose outcome is unknown, a new time, smaller batches, a TaskId found later.

use rusqlite::{params, TransactionBehavior};

use super::{Journal, JournalError};
use crate::campaign::model::{CampaignState, CampaignSummary, UnknownDecision};
use crate::campaign::resplit;
use crate::text::UserError;

/// What [`Journal::settle_unknown`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settled {
    /// How many batches the decision changed.
    pub changed: usize,
    /// The campaign afterwards.
    pub campaign: CampaignSummary,
}

impl Journal {
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

    /// Settles the `unknown` batches of `id` (all, or only `index`) without sending
    /// anything, under the campaign's lease: a sender still running the campaign is refused
    /// ([`JournalError::Busy`]) rather than raced. With nothing left to send afterwards
    /// (and not cancelled), the campaign is finished, as the engine finishes a run that has
    /// no planned batch left. The one way both front ends settle batches outside a run
    /// (a run applies [`ResumeChoices::unknown`](crate::campaign::resume::ResumeChoices)
    /// under its own lease).
    pub fn settle_unknown(
        &mut self,
        id: i64,
        index: Option<u32>,
        decision: Option<UnknownDecision>,
        now_ms: i64,
    ) -> Result<Settled, JournalError> {
        let lease = self.claim(id, now_ms)?;
        let settled = (|| {
            let changed = match decision {
                Some(decision) => self.decide_unknown(id, index, decision, now_ms)?,
                None => 0,
            };
            let unsent = self.resume_needs(id, now_ms)?.unsent_batches;
            let state = self.campaign(id)?.state;
            if unsent == 0 && state != CampaignState::Cancelled {
                self.set_campaign_state(id, CampaignState::Finished, None, now_ms)?;
            }
            Ok(Settled {
                changed,
                campaign: self.campaign(id)?,
            })
        })();
        let _ = self.release(&lease);
        settled
    }

    /// Applies the user's decision to every `unknown` batch of a campaign (or only to
    /// `index`). `Resend` makes them `planned` again, `MarkSent` makes them `sent`.
    /// Returns how many changed. The caller holds the campaign's lease.
    pub(crate) fn decide_unknown(
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
    /// [`crate::campaign::resplit`]), in one transaction.
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
}
