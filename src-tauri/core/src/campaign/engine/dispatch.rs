//! The dispatch loop of one run: starts planned batches in order, as pace, concurrency and
//! the user's commands allow, and collects what the batch tasks report.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio::time::Instant;

use super::run::{batch_update, lock, withheld_update, BatchDone, Halt, RunShared, Signal};
use super::send::send_batch;
use super::{user_paused_reason, ControlCommand, ControlHandle, EngineError};
use crate::campaign::dialer::Dialer;
use crate::campaign::events::{EngineEvent, Progress};
use crate::campaign::journal::{Begun, JournalError};
use crate::campaign::model::{BatchRow, BatchState, CampaignState};
use crate::campaign::resume;

type Joined = Result<Result<BatchDone, EngineError>, tokio::task::JoinError>;

/// A batch committed as leaving, or cancelled because everyone in it was put on the
/// do-not-call list since the campaign was journaled.
enum Started {
    Sending(u32, BatchRow),
    Cancelled(BatchRow),
}

/// Sends the campaign's planned batches until none is left, the user stops the run, or a
/// batch asks for a pause or a stop; returns why it stopped.
pub(super) async fn dispatch<D: Dialer>(
    shared: &Arc<RunShared<D>>,
    control: &ControlHandle,
    concurrency: usize,
) -> Result<Halt, EngineError> {
    Dispatch::new(shared, control, concurrency).run().await
}

/// The loop's state: what is in flight, what the user last asked, and why it is stopping.
struct Dispatch<'a, D> {
    shared: &'a Arc<RunShared<D>>,
    commands: watch::Receiver<ControlCommand>,
    /// False once every control handle is gone: nobody can change the command any more.
    commands_open: bool,
    inflight: JoinSet<Result<BatchDone, EngineError>>,
    concurrency: usize,
    halt: Option<Halt>,
    failure: Option<EngineError>,
    /// Batches before this index were started (or found not planned) in this run.
    next_index: u32,
    paused: bool,
    /// For the remaining-time estimate: when the run started, how many batches it finished,
    /// and the shortest time per batch the pace allows.
    started: Instant,
    finished_in_run: u32,
    interval: Duration,
    /// Waiting for the calling hours until then (China time, Unix ms).
    waiting_until: Option<i64>,
}

impl<'a, D: Dialer> Dispatch<'a, D> {
    fn new(shared: &'a Arc<RunShared<D>>, control: &ControlHandle, concurrency: usize) -> Self {
        Dispatch {
            shared,
            commands: control.subscribe(),
            commands_open: true,
            inflight: JoinSet::new(),
            concurrency,
            halt: None,
            failure: None,
            next_index: 0,
            paused: false,
            started: Instant::now(),
            finished_in_run: 0,
            interval: shared.limiter.interval(),
            waiting_until: None,
        }
    }

    async fn run(mut self) -> Result<Halt, EngineError> {
        let shared = self.shared;
        let id = shared.campaign_id();
        shared.emit(EngineEvent::Started(shared.progress(None)?));

        loop {
            // Collect whatever finished.
            while let Some(joined) = self.inflight.try_join_next() {
                self.on_done(joined);
            }
            if self.halt.is_some()
                || self.failure.is_some()
                || shared.lease_lost.load(Ordering::SeqCst)
            {
                break;
            }
            let command = *self.commands.borrow_and_update();
            match command {
                ControlCommand::Cancel => {
                    self.halt = Some(Halt::Cancelled);
                    break;
                }
                ControlCommand::Detach => {
                    self.halt = Some(Halt::Detached);
                    break;
                }
                ControlCommand::Pause => {
                    if !self.paused {
                        self.paused = true;
                        shared.set_state(CampaignState::Paused, Some(user_paused_reason()))?;
                    }
                }
                ControlCommand::Run => {
                    if self.paused {
                        self.paused = false;
                        // Running again clears the reason: a wait is announced anew.
                        self.waiting_until = None;
                        shared.set_state(CampaignState::Running, None)?;
                    }
                }
            }
            if self.paused || self.inflight.len() >= self.concurrency {
                self.wait_for_change().await;
                continue;
            }
            let next = lock(&shared.journal).next_planned(id, self.next_index)?;
            let Some(batch) = next else {
                break;
            };
            // A scheduled campaign that runs (or was paused) past its time: sending more
            // would only be refused, or ring people at a time nobody chose.
            if let Some(at) = shared.settings.schedule_time_ms {
                if resume::schedule_passed(at, shared.clock.now_ms()) {
                    self.halt = Some(Halt::Deferred(resume::schedule_passed_reason(at)));
                    break;
                }
            }
            if let Some(until) = shared.hours_wait() {
                if self.waiting_until != Some(until) {
                    self.waiting_until = Some(until);
                    let reason = waiting_reason(shared, until);
                    shared.set_state(CampaignState::Running, Some(reason))?;
                }
                self.sleep_towards(until).await;
                continue;
            }
            if self.waiting_until.take().is_some() {
                shared.set_state(CampaignState::Running, None)?;
            }
            // Wait for a slot, but let a pause or cancel interrupt the wait.
            let command_changed = tokio::select! {
                _ = shared.limiter.acquire() => None,
                changed = self.commands.changed(), if self.commands_open => Some(changed.is_ok()),
            };
            if let Some(open) = command_changed {
                self.commands_open = open;
                continue;
            }
            if *self.commands.borrow() != ControlCommand::Run {
                continue;
            }
            let begun = {
                let mut journal = lock(&shared.journal);
                match journal.begin_attempt(
                    &shared.lease,
                    batch.index,
                    false,
                    shared.clock.now_ms(),
                ) {
                    // Numbers listed since journaling were taken out: send the row as it
                    // is now, never the one read before.
                    Ok(Begun::Sending { attempt, withheld }) if withheld > 0 => {
                        Started::Sending(attempt, journal.batch(id, batch.index)?)
                    }
                    Ok(Begun::Sending { attempt, .. }) => Started::Sending(attempt, batch),
                    Ok(Begun::Withheld { .. }) => {
                        Started::Cancelled(journal.batch(id, batch.index)?)
                    }
                    Err(JournalError::LeaseLost(_)) => {
                        shared.lease_lost.store(true, Ordering::SeqCst);
                        break;
                    }
                    Err(err) => return Err(err.into()),
                }
            };
            let (attempt, batch) = match begun {
                Started::Sending(attempt, batch) => (attempt, batch),
                Started::Cancelled(cancelled) => {
                    self.next_index = cancelled.index + 1;
                    shared.emit(withheld_update(shared, &cancelled));
                    continue;
                }
            };
            self.next_index = batch.index + 1;
            shared.emit(batch_update(
                shared,
                &batch,
                BatchState::Sending,
                attempt,
                None,
                None,
            ));
            let task_shared = shared.clone();
            self.inflight
                .spawn(async move { send_batch(task_shared, batch, attempt).await });
        }
        self.wind_down().await
    }

    /// No new batch starts; in-flight ones finish and are recorded. When the run is stopping
    /// early they also give up retrying (nobody was called, so they stay sendable); when it
    /// simply ran out of batches they keep retrying as usual.
    async fn wind_down(mut self) -> Result<Halt, EngineError> {
        if self.halt.is_some() || self.failure.is_some() {
            self.shared.halt.store(true, Ordering::SeqCst);
        }
        while let Some(joined) = self.inflight.join_next().await {
            self.on_done(joined);
        }
        if let Some(err) = self.failure {
            return Err(err);
        }
        if self.shared.lease_lost.load(Ordering::SeqCst) {
            return Ok(Halt::LeaseLost);
        }
        Ok(self.halt.unwrap_or(Halt::Done))
    }

    /// Waits for the calling hours at most half a minute at a time (the wall clock can
    /// jump: a laptop sleeps), or less when a batch finishes or the user's command changes.
    async fn sleep_towards(&mut self, until: i64) {
        let left = until
            .saturating_sub(self.shared.clock.now_ms())
            .clamp(10, 30_000);
        self.wait(Some(Duration::from_millis(left as u64))).await;
    }

    /// Waits until a batch finishes or the user's command changes; paused with nothing in
    /// flight and nobody left to resume us, re-checks now and then (the lease heartbeat may
    /// also have been lost meanwhile).
    async fn wait_for_change(&mut self) {
        let recheck = self
            .inflight
            .is_empty()
            .then_some(Duration::from_millis(500));
        self.wait(recheck).await;
    }

    /// Waits for a batch to finish, the user's command to change, or `at_most` to pass.
    async fn wait(&mut self, at_most: Option<Duration>) {
        let has_inflight = !self.inflight.is_empty();
        let sleep = at_most.unwrap_or_default();
        let joined = tokio::select! {
            joined = self.inflight.join_next(), if has_inflight => joined,
            changed = self.commands.changed(), if self.commands_open => {
                if changed.is_err() { self.commands_open = false; }
                None
            }
            _ = tokio::time::sleep(sleep), if at_most.is_some() => None,
        };
        if let Some(joined) = joined {
            self.on_done(joined);
        }
    }

    /// Takes in what a batch task reported: a pause or stop it asks for, or its failure;
    /// then tells the listeners the progress and the time left.
    fn on_done(&mut self, joined: Joined) {
        let shared = self.shared;
        self.finished_in_run += 1;
        let done = match joined {
            Ok(Ok(done)) => done,
            Ok(Err(err)) => {
                shared.halt.store(true, Ordering::SeqCst);
                self.failure.get_or_insert(err);
                return;
            }
            Err(join) => {
                shared.halt.store(true, Ordering::SeqCst);
                self.failure
                    .get_or_insert(EngineError::Task(join.to_string()));
                return;
            }
        };
        match done.signal {
            Some(Signal::Stop(reason)) => {
                shared.halt.store(true, Ordering::SeqCst);
                // An account-level stop outranks a business-limit pause.
                if !matches!(self.halt, Some(Halt::Stopped(_))) {
                    self.halt = Some(Halt::Stopped(reason));
                }
            }
            Some(Signal::Defer(reason)) => {
                shared.halt.store(true, Ordering::SeqCst);
                if self.halt.is_none() {
                    self.halt = Some(Halt::Deferred(reason));
                }
            }
            Some(Signal::LeaseLost) => {
                shared.halt.store(true, Ordering::SeqCst);
                shared.lease_lost.store(true, Ordering::SeqCst);
            }
            None => {}
        }
        // The pace so far, but never faster than the cap allows.
        let per_batch = (self.started.elapsed() / self.finished_in_run.max(1)).max(self.interval);
        if let Ok(progress) = shared.progress(None) {
            let remaining = progress.counts.planned + progress.counts.sending;
            let eta = (per_batch.as_secs_f64() * f64::from(remaining)).ceil();
            shared.emit(EngineEvent::Progress(Progress {
                eta_seconds: Some(eta.min(f64::from(u32::MAX)) as u32),
                ..progress
            }));
        }
    }
}

/// "Waiting for the calling hours: sending starts at …" as the campaign's reason.
fn waiting_reason<D>(shared: &RunShared<D>, until: i64) -> crate::text::UserError {
    use crate::text::{Localized, UserError};
    let when = crate::china_time::describe(until);
    let hours = shared
        .calling
        .as_ref()
        .map(|r| r.describe_hours())
        .unwrap_or_else(|| Localized::new("", ""));
    UserError::new(
        crate::error_code::ErrorCode::CampaignWaitingForHours,
        Localized::new(
            format!("等待可呼叫时段：将于 {} 开始发送（{}）。", when.zh_cn, hours.zh_cn),
            format!(
                "Waiting for the calling hours: sending starts at {} ({}).",
                when.en, hours.en
            ),
        ),
        Localized::new(
            "不需要操作，到时间会自动继续；也可以暂停或取消。可呼叫时段可以在设置中修改。",
            "Nothing to do: it continues on its own. You can pause or cancel; the calling hours are in the settings.",
        ),
    )
}
