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

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{RngCore, SeedableRng};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinSet;
use tokio::time::Instant;

use super::dialer::{DialFailure, Dialer, FailureClass};
use super::events::{BatchUpdate, CampaignUpdate, EngineEvent, Progress, RetryKind, RetryNotice};
use super::journal::{unknown_hint, AttemptOutcome, Journal, JournalError};
use super::lease::{Lease, HEARTBEAT_EVERY_MS};
use super::model::{
    BatchRow, BatchState, CampaignSettings, CampaignState, CampaignSummary, SystemClock, WallClock,
};
use super::pacing::RateLimiter;
use super::resume::{self, ResumeChoices};
use super::retry::RetryPolicy;
use super::untracked;
use crate::error_code::ErrorCode;
use crate::text::{Localized, UserError};

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

/// What the user asked the run to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ControlCommand {
    /// Send.
    Run,
    /// Start no new batch; let in-flight ones finish; wait for `Run` or `Cancel`.
    Pause,
    /// Start no new batch; let in-flight ones finish; cancel the rest for good.
    Cancel,
    /// Start no new batch; let in-flight ones finish; end the run leaving the campaign
    /// paused, to be resumed later (the CLI's Ctrl-C, closing the app).
    Detach,
}

/// Steers a run from elsewhere (the UI, a signal handler). Cheap to clone.
#[derive(Debug, Clone)]
pub struct ControlHandle {
    tx: Arc<watch::Sender<ControlCommand>>,
}

impl Default for ControlHandle {
    fn default() -> Self {
        ControlHandle::new()
    }
}

impl ControlHandle {
    pub fn new() -> Self {
        ControlHandle {
            tx: Arc::new(watch::channel(ControlCommand::Run).0),
        }
    }

    pub fn pause(&self) {
        self.set(ControlCommand::Pause);
    }

    pub fn resume(&self) {
        self.set(ControlCommand::Run);
    }

    pub fn cancel(&self) {
        self.set(ControlCommand::Cancel);
    }

    pub fn detach(&self) {
        self.set(ControlCommand::Detach);
    }

    pub fn current(&self) -> ControlCommand {
        *self.tx.borrow()
    }

    fn set(&self, command: ControlCommand) {
        // Cancel and detach are final for a run: a late "resume" must not undo them.
        self.tx.send_if_modified(|current| {
            let last = matches!(*current, ControlCommand::Cancel | ControlCommand::Detach);
            if last || *current == command {
                return false;
            }
            *current = command;
            true
        });
    }

    fn subscribe(&self) -> watch::Receiver<ControlCommand> {
        self.tx.subscribe()
    }
}

/// Where the events of a run go.
pub type EventSender = mpsc::UnboundedSender<EngineEvent>;

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunEnd {
    /// No planned batch is left (some may be `unknown` or `rejected`: see the counts).
    Finished,
    /// Paused by a business limit or restricted period (with the reason) or by the user.
    Paused(UserError),
    /// Stopped by an account-level error: later batches are untouched.
    Stopped(UserError),
    /// Cancelled: batches not started are `cancelled`.
    Cancelled,
    /// Ended on request, the campaign left paused for a later resume.
    Detached,
    /// Another process took the campaign over.
    LeaseLost,
}

/// The end of a run and the campaign as it stands after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunReport {
    pub end: RunEnd,
    pub campaign: CampaignSummary,
}

/// Why a run could not go on.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Journal(#[from] JournalError),
    #[error("a sending task failed: {0}")]
    Task(String),
    #[error("campaign {0} was cancelled")]
    Cancelled(i64),
}

impl EngineError {
    pub fn to_user_error(&self) -> UserError {
        match self {
            EngineError::Journal(e) => e.to_user_error(),
            EngineError::Cancelled(id) => UserError::new(
                ErrorCode::CampaignCancelled,
                Localized::new(
                    format!("外呼活动 #{id} 已取消，不能再继续发送。"),
                    format!("Campaign #{id} was cancelled; it cannot be resumed."),
                ),
                Localized::new(
                    "如需再打给这些人，请重新提交联系人表。",
                    "To call these people after all, submit the sheet again.",
                ),
            ),
            EngineError::Task(detail) => UserError::new(
                ErrorCode::Internal,
                Localized::new(
                    "发送过程中出现内部错误。".to_owned(),
                    format!("An internal error interrupted sending: {detail}"),
                ),
                Localized::new(
                    "已记录的批次不会重复发送；用 `smartdial resume` 继续。",
                    "Recorded batches will not be sent twice; continue with `smartdial resume`.",
                ),
            ),
        }
    }
}

/// The reason shown for a campaign the user paused.
pub fn user_paused_reason() -> UserError {
    UserError::new(
        ErrorCode::CampaignPausedByUser,
        Localized::new("已暂停发送。", "Sending is paused."),
        Localized::new(
            "继续发送时，未发送的批次会接着发出（smartdial resume）。",
            "When you resume (smartdial resume), the batches not sent yet will go out.",
        ),
    )
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

/// Why dispatching stopped.
enum Halt {
    Done,
    Deferred(UserError),
    Stopped(UserError),
    Cancelled,
    Detached,
    LeaseLost,
}

/// What a finished batch asks of the dispatcher.
enum Signal {
    Defer(UserError),
    Stop(UserError),
    LeaseLost,
}

struct BatchDone {
    signal: Option<Signal>,
}

/// What the dispatcher and the batch tasks of one run share.
struct RunShared<D> {
    journal: Arc<Mutex<Journal>>,
    dialer: Arc<D>,
    clock: Arc<dyn WallClock>,
    rng: Arc<Mutex<Box<dyn RngCore + Send>>>,
    limiter: RateLimiter,
    retry: RetryPolicy,
    lease: Lease,
    settings: CampaignSettings,
    events: Option<EventSender>,
    /// Set when the run is winding down: in-flight batches must not retry.
    halt: AtomicBool,
    lease_lost: AtomicBool,
}

impl<D> RunShared<D> {
    fn emit(&self, event: EngineEvent) {
        if let Some(tx) = &self.events {
            let _ = tx.send(event);
        }
    }

    fn campaign_id(&self) -> i64 {
        self.lease.campaign_id
    }

    fn progress(&self, eta_seconds: Option<u32>) -> Result<Progress, JournalError> {
        let summary = lock(&self.journal).campaign(self.campaign_id())?;
        Ok(Progress {
            campaign_id: summary.id,
            counts: summary.batches,
            sent_numbers: summary.sent_numbers,
            total_numbers: summary.total_numbers,
            eta_seconds,
        })
    }

    fn set_state(
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
fn lock(journal: &Mutex<Journal>) -> MutexGuard<'_, Journal> {
    journal
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

async fn heartbeat_loop<D>(shared: Arc<RunShared<D>>, every: Duration) {
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

async fn dispatch<D: Dialer>(
    shared: &Arc<RunShared<D>>,
    control: &ControlHandle,
    concurrency: usize,
) -> Result<Halt, EngineError> {
    let id = shared.campaign_id();
    let mut commands = control.subscribe();
    let mut commands_open = true;
    let mut inflight: JoinSet<Result<BatchDone, EngineError>> = JoinSet::new();
    let mut halt: Option<Halt> = None;
    let mut failure: Option<EngineError> = None;
    let mut next_index: u32 = 0;
    let mut paused = false;
    let started = Instant::now();
    let mut finished_in_run: u32 = 0;
    let interval = shared.limiter.interval();

    shared.emit(EngineEvent::Started(shared.progress(None)?));

    loop {
        // Collect whatever finished.
        while let Some(joined) = inflight.try_join_next() {
            finished_in_run += 1;
            on_done(
                shared,
                joined,
                &mut halt,
                &mut failure,
                started,
                finished_in_run,
                interval,
            );
        }
        if halt.is_some() || failure.is_some() || shared.lease_lost.load(Ordering::SeqCst) {
            break;
        }
        match *commands.borrow_and_update() {
            ControlCommand::Cancel => {
                halt = Some(Halt::Cancelled);
                break;
            }
            ControlCommand::Detach => {
                halt = Some(Halt::Detached);
                break;
            }
            ControlCommand::Pause => {
                if !paused {
                    paused = true;
                    shared.set_state(CampaignState::Paused, Some(user_paused_reason()))?;
                }
            }
            ControlCommand::Run => {
                if paused {
                    paused = false;
                    shared.set_state(CampaignState::Running, None)?;
                }
            }
        }
        if paused || inflight.len() >= concurrency {
            wait_for_change(
                &mut inflight,
                &mut commands,
                &mut commands_open,
                shared,
                &mut halt,
                &mut failure,
                started,
                &mut finished_in_run,
                interval,
            )
            .await;
            continue;
        }
        let next = lock(&shared.journal).next_planned(id, next_index)?;
        let Some(batch) = next else {
            break;
        };
        // A scheduled campaign that runs (or was paused) past its time: sending more would
        // only be refused, or ring people at a time nobody chose.
        if let Some(at) = shared.settings.schedule_time_ms {
            if resume::schedule_passed(at, shared.clock.now_ms()) {
                halt = Some(Halt::Deferred(resume::schedule_passed_reason(at)));
                break;
            }
        }
        // Wait for a slot, but let a pause or cancel interrupt the wait.
        tokio::select! {
            _ = shared.limiter.acquire() => {}
            changed = commands.changed(), if commands_open => {
                if changed.is_err() { commands_open = false; }
                continue;
            }
        }
        if *commands.borrow() != ControlCommand::Run {
            continue;
        }
        let attempt = match lock(&shared.journal).begin_attempt(
            &shared.lease,
            batch.index,
            false,
            shared.clock.now_ms(),
        ) {
            Ok(attempt) => attempt,
            Err(JournalError::LeaseLost(_)) => {
                shared.lease_lost.store(true, Ordering::SeqCst);
                break;
            }
            Err(err) => return Err(err.into()),
        };
        next_index = batch.index + 1;
        shared.emit(batch_update(
            shared,
            &batch,
            BatchState::Sending,
            attempt,
            None,
            None,
        ));
        let task_shared = shared.clone();
        inflight.spawn(async move { send_batch(task_shared, batch, attempt).await });
    }

    // Wind down: no new batch starts; in-flight ones finish and are recorded. When the run
    // is stopping early they also give up retrying (nobody was called, so they stay
    // sendable); when it simply ran out of batches they keep retrying as usual.
    if halt.is_some() || failure.is_some() {
        shared.halt.store(true, Ordering::SeqCst);
    }
    while let Some(joined) = inflight.join_next().await {
        finished_in_run += 1;
        on_done(
            shared,
            joined,
            &mut halt,
            &mut failure,
            started,
            finished_in_run,
            interval,
        );
    }
    if let Some(err) = failure {
        return Err(err);
    }
    if shared.lease_lost.load(Ordering::SeqCst) {
        return Ok(Halt::LeaseLost);
    }
    Ok(halt.unwrap_or(Halt::Done))
}

#[allow(clippy::too_many_arguments)]
async fn wait_for_change<D: Dialer>(
    inflight: &mut JoinSet<Result<BatchDone, EngineError>>,
    commands: &mut watch::Receiver<ControlCommand>,
    commands_open: &mut bool,
    shared: &Arc<RunShared<D>>,
    halt: &mut Option<Halt>,
    failure: &mut Option<EngineError>,
    started: Instant,
    finished_in_run: &mut u32,
    interval: Duration,
) {
    let has_inflight = !inflight.is_empty();
    tokio::select! {
        joined = inflight.join_next(), if has_inflight => {
            if let Some(joined) = joined {
                *finished_in_run += 1;
                on_done(shared, joined, halt, failure, started, *finished_in_run, interval);
            }
        }
        changed = commands.changed(), if *commands_open => {
            if changed.is_err() { *commands_open = false; }
        }
        // Paused with nothing in flight and nobody left to resume us: re-check now and then
        // (the lease heartbeat may also have been lost meanwhile).
        _ = tokio::time::sleep(Duration::from_millis(500)), if !has_inflight => {}
    }
}

fn on_done<D>(
    shared: &RunShared<D>,
    joined: Result<Result<BatchDone, EngineError>, tokio::task::JoinError>,
    halt: &mut Option<Halt>,
    failure: &mut Option<EngineError>,
    started: Instant,
    finished_in_run: u32,
    interval: Duration,
) {
    let done = match joined {
        Ok(Ok(done)) => done,
        Ok(Err(err)) => {
            shared.halt.store(true, Ordering::SeqCst);
            failure.get_or_insert(err);
            return;
        }
        Err(join) => {
            shared.halt.store(true, Ordering::SeqCst);
            failure.get_or_insert(EngineError::Task(join.to_string()));
            return;
        }
    };
    match done.signal {
        Some(Signal::Stop(reason)) => {
            shared.halt.store(true, Ordering::SeqCst);
            // An account-level stop outranks a business-limit pause.
            if !matches!(halt, Some(Halt::Stopped(_))) {
                *halt = Some(Halt::Stopped(reason));
            }
        }
        Some(Signal::Defer(reason)) => {
            shared.halt.store(true, Ordering::SeqCst);
            if halt.is_none() {
                *halt = Some(Halt::Deferred(reason));
            }
        }
        Some(Signal::LeaseLost) => {
            shared.halt.store(true, Ordering::SeqCst);
            shared.lease_lost.store(true, Ordering::SeqCst);
        }
        None => {}
    }
    // The pace so far, but never faster than the cap allows.
    let per_batch = (started.elapsed() / finished_in_run.max(1)).max(interval);
    if let Ok(progress) = shared.progress(None) {
        let remaining = progress.counts.planned + progress.counts.sending;
        let eta = (per_batch.as_secs_f64() * f64::from(remaining)).ceil();
        shared.emit(EngineEvent::Progress(Progress {
            eta_seconds: Some(eta.min(f64::from(u32::MAX)) as u32),
            ..progress
        }));
    }
}

fn batch_update<D>(
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

/// Sends one batch (already committed as `sending`) until it is accepted, refused, unknown,
/// or out of safe retries, recording every attempt.
async fn send_batch<D: Dialer>(
    shared: Arc<RunShared<D>>,
    batch: BatchRow,
    mut attempt: u32,
) -> Result<BatchDone, EngineError> {
    let id = shared.campaign_id();
    let request = super::request::for_batch(&shared.settings, &batch);
    loop {
        let result = shared.dialer.dial(&request).await;
        let failure = match result {
            Ok(accepted) => {
                let outcome = AttemptOutcome::Accepted {
                    task_id: accepted.task_id.clone(),
                    request_id: accepted.request_id,
                };
                record(&shared, &batch, attempt, &outcome)?;
                // Sent all the same, but an OK without a TaskId is not normal: stop starting
                // batches until the marketer has looked.
                let signal = accepted
                    .task_id
                    .is_none()
                    .then(|| Signal::Defer(untracked::pause_reason(&batch.task_name)));
                shared.emit(batch_update(
                    &shared,
                    &batch,
                    BatchState::Sent,
                    attempt,
                    accepted.task_id,
                    None,
                ));
                return Ok(BatchDone { signal });
            }
            Err(failure) => failure,
        };
        let halted = shared.halt.load(Ordering::SeqCst);
        let too_large = resume::CALLEE_LIMIT_CODES.contains(&failure.code.as_str());
        let (outcome, signal) = match failure.class {
            // Every batch of this size would be refused alike; nobody was called, so the
            // unsent batches can be re-split and sent.
            _ if too_large => (
                rejected(&failure, true),
                Some(Signal::Stop(resume::callee_limit_reason(
                    batch.called_numbers.len(),
                    resume::suggested_batch_size(batch.called_numbers.len() as u32),
                ))),
            ),
            FailureClass::RetrySafe if shared.retry.may_retry(attempt) && !halted => {
                record(
                    &shared,
                    &batch,
                    attempt,
                    &AttemptOutcome::WillRetry {
                        code: failure.code.clone(),
                    },
                )?;
                let delay = {
                    let mut rng = shared.rng.lock().unwrap_or_else(|p| p.into_inner());
                    shared
                        .retry
                        .delay(attempt, failure.retry_after, rng.as_mut())
                };
                shared.emit(EngineEvent::Retrying(RetryNotice {
                    campaign_id: id,
                    index: batch.index,
                    attempt,
                    delay_ms: delay.as_millis() as u64,
                    code: failure.code.clone(),
                    kind: RetryKind::of(&failure.code),
                }));
                tokio::time::sleep(delay).await;
                shared.limiter.acquire().await;
                if shared.halt.load(Ordering::SeqCst) {
                    // Winding down: this batch never reached the server, so it stays
                    // sendable for the next run.
                    record(&shared, &batch, attempt, &rejected(&failure, true))?;
                    shared.emit(batch_update(
                        &shared,
                        &batch,
                        BatchState::Rejected,
                        attempt,
                        None,
                        Some(&failure),
                    ));
                    return Ok(BatchDone { signal: None });
                }
                match lock(&shared.journal).begin_attempt(
                    &shared.lease,
                    batch.index,
                    true,
                    shared.clock.now_ms(),
                ) {
                    Ok(next) => attempt = next,
                    Err(JournalError::LeaseLost(_)) => {
                        drop(record(&shared, &batch, attempt, &rejected(&failure, true)));
                        return Ok(BatchDone {
                            signal: Some(Signal::LeaseLost),
                        });
                    }
                    Err(err) => return Err(err.into()),
                }
                shared.emit(batch_update(
                    &shared,
                    &batch,
                    BatchState::Sending,
                    attempt,
                    None,
                    None,
                ));
                continue;
            }
            // Winding down: nobody was called, so it may go next run.
            FailureClass::RetrySafe if halted => (rejected(&failure, true), None),
            // Out of attempts: the network or the quota is down for everyone, so pause the
            // campaign rather than grind every remaining batch through the same retries.
            FailureClass::RetrySafe => (
                rejected(&failure, true),
                Some(Signal::Defer(failure.user.clone())),
            ),
            FailureClass::Defer => (
                rejected(&failure, true),
                Some(Signal::Defer(failure.user.clone())),
            ),
            FailureClass::Permanent if failure.account_level => (
                rejected(&failure, true),
                Some(Signal::Stop(failure.user.clone())),
            ),
            // A refusal SmartDial cannot explain may hit every later batch alike: pause.
            FailureClass::Permanent if !failure.explained => (
                rejected(&failure, false),
                Some(Signal::Defer(unexplained_reason(&batch, &failure))),
            ),
            FailureClass::Permanent => (rejected(&failure, false), None),
            // Sending on after an answer that may have called people would only pile up more
            // batches in the same doubt.
            FailureClass::OutcomeUnknown => (
                AttemptOutcome::Unknown {
                    code: failure.code.clone(),
                    problem: unknown_problem(&failure),
                },
                Some(Signal::Defer(unexplained_reason(&batch, &failure))),
            ),
        };
        let state = record(&shared, &batch, attempt, &outcome)?;
        let shown = match &outcome {
            AttemptOutcome::Unknown { problem, .. } => DialFailure {
                user: problem.clone(),
                ..failure
            },
            _ => failure,
        };
        shared.emit(batch_update(
            &shared,
            &batch,
            state,
            attempt,
            None,
            Some(&shown),
        ));
        return Ok(BatchDone { signal });
    }
}

/// What the user reads for an `unknown` batch: the failure as the client explained it, with
/// the decision to make (check, then mark as sent or resend) as the hint.
fn unknown_problem(failure: &DialFailure) -> UserError {
    UserError {
        hint: unknown_hint(),
        ..failure.user.clone()
    }
}

/// Why a run paused on an answer that may have called people or that SmartDial does not
/// know: the batch, what came back, and what to do before resuming.
fn unexplained_reason(batch: &BatchRow, failure: &DialFailure) -> UserError {
    let n = batch.index + 1;
    let name = &batch.task_name;
    let unknown = failure.class == FailureClass::OutcomeUnknown;
    let (zh_then, en_then) = if unknown {
        (
            "不知道这一批是否已被阿里云收到",
            "it is not known whether Alibaba Cloud received this batch",
        )
    } else {
        (
            "阿里云给出了 SmartDial 不认识的回答",
            "Alibaba Cloud gave an answer SmartDial does not know",
        )
    };
    UserError::new(
        ErrorCode::CampaignPausedUnexplained,
        Localized::new(
            format!(
                "第 {n} 批（任务“{name}”）：{zh_then}（{}），为避免重复呼叫或白白发出更多批次，已暂停发送。",
                failure.user.message.zh_cn.trim_end_matches('。')
            ),
            format!(
                "Batch {n} (task \"{name}\"): {en_then} ({}), so sending is paused rather than risk calling people twice or sending more batches in vain.",
                failure.user.message.en.trim_end_matches('.')
            ),
        ),
        if unknown {
            unknown_hint()
        } else {
            Localized::new(
                "查看这一批的错误说明；问题解决后点“继续发送”发出其余批次（smartdial resume）。",
                "Read this batch's error; once the cause is dealt with, resume to send the remaining batches (smartdial resume).",
            )
        },
    )
}

fn rejected(failure: &DialFailure, retryable: bool) -> AttemptOutcome {
    AttemptOutcome::Rejected {
        code: failure.code.clone(),
        problem: failure.user.clone(),
        retryable,
        request_id: failure.request_id.clone(),
    }
}

fn record<D>(
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
