//! What the dispatcher and the batch tasks of one run share, and the lease heartbeat.

use crate::campaign::settings::TaskSettings;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use rand::RngCore;

use super::EventSender;
use crate::campaign::dialer::DialFailure;
use crate::campaign::events::{BatchUpdate, CampaignUpdate, EngineEvent, Progress};
use crate::campaign::journal::{AttemptOutcome, Journal, JournalError};
use crate::campaign::lease::Lease;
use crate::campaign::model::{BatchRow, BatchState, CampaignState, WallClock};
use crate::campaign::pacing::RateLimiter;
use crate::campaign::retry::RetryPolicy;
use crate::compliance::rules::CallingRules;
use crate::text::UserError;

/// Why dispatching stopped.
pub(super) enum Halt {
    Done,
    Deferred(UserError),
    Stopped(UserError),
    Cancelled,
    Detached,
    LeaseLost,
}

/// What a finished batch asks of the dispatcher.
pub(super) enum Signal {
    Defer(UserError),
    Stop(UserError),
    LeaseLost,
}

pub(super) struct BatchDone {
    pub(super) signal: Option<Signal>,
}

/// What the dispatcher and the batch tasks of one run share.
pub(super) struct RunShared<D> {
    pub(super) journal: Arc<Mutex<Journal>>,
    pub(super) dialer: Arc<D>,
    pub(super) clock: Arc<dyn WallClock>,
    pub(super) rng: Arc<Mutex<Box<dyn RngCore + Send>>>,
    pub(super) limiter: RateLimiter,
    pub(super) retry: RetryPolicy,
    pub(super) lease: Lease,
    pub(super) settings: TaskSettings,
    pub(super) calling: Option<CallingRules>,
    pub(super) events: Option<EventSender>,
    /// Set when the run is winding down: in-flight batches must not retry.
    pub(super) halt: AtomicBool,
    pub(super) lease_lost: AtomicBool,
}

impl<D> RunShared<D> {
    pub(super) fn emit(&self, event: EngineEvent) {
        if let Some(tx) = &self.events {
            let _ = tx.send(event);
        }
    }

    pub(super) fn campaign_id(&self) -> i64 {
        self.lease.campaign_id
    }

    pub(super) fn progress(&self, eta_seconds: Option<u32>) -> Result<Progress, JournalError> {
        let summary = lock(&self.journal).campaign(self.campaign_id())?;
        Ok(Progress {
            campaign_id: summary.id,
            counts: summary.batches,
            sent_numbers: summary.sent_numbers,
            total_numbers: summary.total_numbers,
            eta_seconds,
        })
    }

    /// When the next batch may start if not now: a campaign calling now waits for the
    /// calling hours (a scheduled one was checked against them when it was planned, and
    /// its calls start at the schedule, not when the request leaves).
    pub(super) fn hours_wait(&self) -> Option<i64> {
        let rules = self.calling.as_ref()?;
        if self.settings.schedule_time_ms.is_some() {
            return None;
        }
        let now = self.clock.now_ms();
        rules
            .hours
            .submit_from(now, rules.stop_margin_ms())
            .filter(|&at| at > now)
    }

    pub(super) fn set_state(
        &self,
        state: CampaignState,
        reason: Option<UserError>,
    ) -> Result<(), JournalError> {
        lock(&self.journal).set_campaign_state(
            self.campaign_id(),
            state,
            reason.as_ref(),
            self.clock.now_ms(),
        )?;
        self.emit(EngineEvent::Campaign(CampaignUpdate {
            campaign_id: self.campaign_id(),
            state,
            reason,
        }));
        Ok(())
    }
}

/// The journal is only ever locked for one short synchronous transaction, never across an
/// await. A poisoned lock means a panic mid-transaction, which SQLite rolled back, so the
/// data behind it is still consistent.
pub(super) fn lock(journal: &Mutex<Journal>) -> MutexGuard<'_, Journal> {
    journal
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub(super) async fn heartbeat_loop<D>(shared: Arc<RunShared<D>>, every: Duration) {
    loop {
        tokio::time::sleep(every).await;
        let result = lock(&shared.journal).heartbeat(&shared.lease, shared.clock.now_ms());
        if let Err(JournalError::LeaseLost(_)) = result {
            shared.lease_lost.store(true, Ordering::SeqCst);
            shared.halt.store(true, Ordering::SeqCst);
            return;
        }
    }
}

pub(super) fn batch_update<D>(
    shared: &RunShared<D>,
    batch: &BatchRow,
    state: BatchState,
    attempt: u32,
    task_id: Option<String>,
    failure: Option<&DialFailure>,
) -> EngineEvent {
    EngineEvent::Batch(BatchUpdate {
        campaign_id: shared.campaign_id(),
        index: batch.index,
        state,
        attempt,
        number_count: batch.called_numbers.len() as u32,
        task_id,
        error_code: failure.map(|f| f.code.clone()),
        problem: failure.map(|f| f.user.clone()),
    })
}

/// A batch cancelled when its turn came: everyone in it is on the do-not-call list now.
pub(super) fn withheld_update<D>(shared: &RunShared<D>, batch: &BatchRow) -> EngineEvent {
    EngineEvent::Batch(BatchUpdate {
        campaign_id: shared.campaign_id(),
        index: batch.index,
        state: BatchState::Cancelled,
        attempt: 0,
        number_count: batch.called_numbers.len() as u32,
        task_id: None,
        error_code: batch.problem.as_ref().map(|p| p.code.to_string()),
        problem: batch.problem.clone(),
    })
}

pub(super) fn record<D>(
    shared: &RunShared<D>,
    batch: &BatchRow,
    attempt: u32,
    outcome: &AttemptOutcome,
) -> Result<BatchState, JournalError> {
    lock(&shared.journal).finish_attempt(
        shared.campaign_id(),
        batch.index,
        attempt,
        outcome,
        shared.clock.now_ms(),
    )
}
