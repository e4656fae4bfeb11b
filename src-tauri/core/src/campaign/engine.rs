//! The sending engine: takes a journaled campaign and sends its planned batches, paced,
//! retried only where that is certainly safe, and recorded before and after every request.
//!
//! ```no_run
//! # async fn demo<D: smartdial_core::campaign::dialer::Dialer>(
//! #     journal: smartdial_core::campaign::journal::Journal, dialer: D, campaign_id: i64,
//! # ) -> Result<(), smartdial_core::campaign::engine::EngineError> {
//! use std::sync::{Arc, Mutex};
//! use smartdial_core::campaign::engine::{ControlHandle, Engine, EngineConfig};
//!
//! let engine = Engine::new(Arc::new(Mutex::new(journal)), Arc::new(dialer), EngineConfig::default());
//! let control = ControlHandle::new();
//! let (events, mut rx) = tokio::sync::mpsc::unbounded_channel();
//! tokio::spawn(async move { while let Some(event) = rx.recv().await { println!("{event:?}"); } });
//! let report = engine.run(campaign_id, &control, Some(events)).await?;
//! println!("{:?}: {} of {} batches sent", report.end, report.campaign.batches.sent,
//!     report.campaign.batches.total());
//! # Ok(()) }
//! ```

mod control;
mod dispatch;
mod report;
mod run;
mod send;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{RngCore, SeedableRng};

use super::dialer::Dialer;
use super::events::{CampaignUpdate, EngineEvent};
use super::journal::{Journal, JournalError};
use super::lease::HEARTBEAT_EVERY_MS;
use super::model::{CampaignState, SystemClock, WallClock};
use super::pacing::RateLimiter;
use super::resume::ResumeChoices;
use super::retry::RetryPolicy;
use dispatch::dispatch;
use run::{heartbeat_loop, lock, Halt, RunShared};

pub use control::{ControlCommand, ControlHandle, EventSender};
pub use report::{user_paused_reason, EngineError, RunEnd, RunReport};

/// Requests per second by default.
///
/// The documented quota for the robot APIs is 100 calls/s per account, shared by every API
/// of that kind and every tool using the account (result queries of the same campaign
/// included). One request carries up to 1000 numbers, so 10/s already hands the platform
/// 10,000 numbers a second, far more than its lines dial at once; going faster only risks
/// `Throttling.*`. The per-caller business limits (1/min, 5/h, 20/24 h per number and
/// caller, `isv.BUSINESS_LIMIT_CONTROL`) count calls to a person, not requests, so no request
/// rate avoids them: they pause the campaign instead.
pub const DEFAULT_QPS: f64 = 10.0;

/// The documented account quota: the engine refuses to be set faster.
pub const MAX_QPS: f64 = 100.0;

/// Requests in flight at once by default: enough to keep `DEFAULT_QPS` with replies taking
/// up to ~400 ms, few enough that a stop (e.g. no balance) leaves at most this many batches
/// whose request had already left.
pub const DEFAULT_CONCURRENCY: usize = 4;

/// The most requests in flight the engine allows.
pub const MAX_CONCURRENCY: usize = 32;

/// How a run sends.
#[derive(Debug, Clone, PartialEq)]
pub struct EngineConfig {
    /// Requests per second (first attempts and retries alike).
    pub qps: f64,
    /// Requests in flight at once.
    pub concurrency: usize,
    pub retry: RetryPolicy,
    /// How often the lease heartbeat is written.
    pub heartbeat_every: Duration,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            qps: DEFAULT_QPS,
            concurrency: DEFAULT_CONCURRENCY,
            retry: RetryPolicy::default(),
            heartbeat_every: Duration::from_millis(HEARTBEAT_EVERY_MS),
        }
    }
}

impl EngineConfig {
    /// The settings within the bounds the engine accepts.
    pub fn clamped(mut self) -> Self {
        if !self.qps.is_finite() || self.qps <= 0.0 {
            self.qps = DEFAULT_QPS;
        }
        self.qps = self.qps.min(MAX_QPS);
        self.concurrency = self.concurrency.clamp(1, MAX_CONCURRENCY);
        self.retry.max_attempts = self.retry.max_attempts.max(1);
        self
    }
}

/// Sends campaigns from a journal through a [`Dialer`].
pub struct Engine<D> {
    journal: Arc<Mutex<Journal>>,
    dialer: Arc<D>,
    config: EngineConfig,
    clock: Arc<dyn WallClock>,
    rng: Arc<Mutex<Box<dyn RngCore + Send>>>,
}

impl<D: Dialer> Engine<D> {
    pub fn new(journal: Arc<Mutex<Journal>>, dialer: Arc<D>, config: EngineConfig) -> Self {
        Engine {
            journal,
            dialer,
            config: config.clamped(),
            clock: Arc::new(SystemClock),
            rng: Arc::new(Mutex::new(Box::new(StdRng::from_os_rng()))),
        }
    }

    /// Uses another wall clock for journal timestamps.
    pub fn with_clock(mut self, clock: Arc<dyn WallClock>) -> Self {
        self.clock = clock;
        self
    }

    /// Uses another random source for retry jitter.
    pub fn with_rng(mut self, rng: Box<dyn RngCore + Send>) -> Self {
        self.rng = Arc::new(Mutex::new(rng));
        self
    }

    pub fn config(&self) -> &EngineConfig {
        &self.config
    }

    /// Sends every `planned` batch of the campaign (after making retryable refusals planned
    /// again). Holds the campaign's lease for the whole run, so a second process trying the
    /// same campaign gets [`JournalError::Busy`].
    pub async fn run(
        &self,
        campaign_id: i64,
        control: &ControlHandle,
        events: Option<EventSender>,
    ) -> Result<RunReport, EngineError> {
        self.run_with(campaign_id, ResumeChoices::default(), control, events)
            .await
    }

    /// [`Engine::run`], first applying the user's choices (about `unknown` batches, a passed
    /// schedule, a smaller batch size) while holding the lease, so no other process is
    /// sending the campaign meanwhile.
    pub async fn run_with(
        &self,
        campaign_id: i64,
        choices: ResumeChoices,
        control: &ControlHandle,
        events: Option<EventSender>,
    ) -> Result<RunReport, EngineError> {
        let now = self.clock.now_ms();
        let (lease, settings) = {
            let mut journal = lock(&self.journal);
            if journal.campaign(campaign_id)?.state == CampaignState::Cancelled {
                return Err(EngineError::Cancelled(campaign_id));
            }
            let lease = journal.claim(campaign_id, now)?;
            let prepared = apply_choices(&mut journal, campaign_id, choices, now)
                .and_then(|_| journal.requeue_retryable(campaign_id, now))
                .and_then(|_| journal.settings(campaign_id));
            match prepared {
                Ok(settings) => (lease, settings),
                Err(err) => {
                    let _ = journal.release(&lease);
                    return Err(err.into());
                }
            }
        };
        let shared = Arc::new(RunShared {
            journal: self.journal.clone(),
            dialer: self.dialer.clone(),
            clock: self.clock.clone(),
            rng: self.rng.clone(),
            limiter: RateLimiter::new(self.config.qps),
            retry: self.config.retry,
            lease,
            settings,
            events,
            halt: AtomicBool::new(false),
            lease_lost: AtomicBool::new(false),
        });
        let heartbeat = tokio::spawn(heartbeat_loop(shared.clone(), self.config.heartbeat_every));
        let outcome = dispatch(&shared, control, self.config.concurrency).await;
        heartbeat.abort();
        self.finish(&shared, outcome)
    }

    fn finish(
        &self,
        shared: &RunShared<D>,
        outcome: Result<Halt, EngineError>,
    ) -> Result<RunReport, EngineError> {
        let id = shared.lease.campaign_id;
        let now = self.clock.now_ms();
        let mut journal = lock(&self.journal);
        let halt = match outcome {
            Ok(halt) => halt,
            Err(err) => {
                // Leave the campaign to recovery: release so `resume` can start at once.
                let _ = journal.set_campaign_state(
                    id,
                    CampaignState::Paused,
                    Some(&err.to_user_error()),
                    now,
                );
                let _ = journal.release(&shared.lease);
                return Err(err);
            }
        };
        let halt = if shared.lease_lost.load(Ordering::SeqCst) {
            Halt::LeaseLost
        } else {
            halt
        };
        // A pause with nothing left to send (the last batch came back without a TaskId, or
        // in doubt) is the end of the run: the batches say what needs a look.
        let halt = match halt {
            Halt::Deferred(_) if journal.resume_needs(id, now)?.unsent_batches == 0 => Halt::Done,
            other => other,
        };
        let (end, state, reason) = match halt {
            Halt::Done => (RunEnd::Finished, Some(CampaignState::Finished), None),
            Halt::Deferred(reason) => (
                RunEnd::Paused(reason.clone()),
                Some(CampaignState::Paused),
                Some(reason),
            ),
            Halt::Stopped(reason) => (
                RunEnd::Stopped(reason.clone()),
                Some(CampaignState::Stopped),
                Some(reason),
            ),
            Halt::Cancelled => {
                journal.cancel_planned(id, now)?;
                (RunEnd::Cancelled, None, None)
            }
            Halt::Detached => (
                RunEnd::Detached,
                Some(CampaignState::Paused),
                Some(user_paused_reason()),
            ),
            Halt::LeaseLost => (RunEnd::LeaseLost, None, None),
        };
        if let Some(state) = state {
            journal.set_campaign_state(id, state, reason.as_ref(), now)?;
        }
        if end != RunEnd::LeaseLost {
            journal.release(&shared.lease)?;
        }
        let campaign = journal.campaign(id)?;
        drop(journal);
        shared.emit(EngineEvent::Campaign(CampaignUpdate {
            campaign_id: id,
            state: campaign.state,
            reason: campaign.reason.clone(),
        }));
        Ok(RunReport { end, campaign })
    }
}

/// The user's choices, in the order that keeps each meaningful: settle unknown batches,
/// give what is left a new time, then re-split what is left.
fn apply_choices(
    journal: &mut Journal,
    id: i64,
    choices: ResumeChoices,
    now: i64,
) -> Result<(), JournalError> {
    if let Some(decision) = choices.unknown {
        journal.decide_unknown(id, None, decision, now)?;
    }
    if let Some(reschedule) = choices.reschedule {
        journal.reschedule(id, reschedule.schedule_time_ms(), now)?;
    }
    if let Some(size) = choices.batch_size {
        journal.resplit_unsent(id, size as usize, now)?;
    }
    Ok(())
}
