//! The engine against a scripted dialer, a real SQLite journal and tokio's paused clock.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::result_large_err
)] // tests fail loudly by design

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::rngs::StdRng;
use rand::SeedableRng;
use tokio::sync::mpsc;

use super::dialer::{DialAccepted, DialFailure, Dialer, FailureClass};
use super::engine::{ControlHandle, Engine, EngineConfig, RunEnd};
use super::events::EngineEvent;
use super::journal::Journal;
use super::model::{BatchState, CampaignState, WallClock};
use super::resume::{Reschedule, ResumeChoices};
use super::retry::RetryPolicy;
use super::tests::{campaign_with, T0};
use crate::aliyun::BatchRobotSmartCallRequest;
use crate::text::{Localized, UserError};

/// Answers each batch (by task name) from a script, then accepts.
#[derive(Default)]
struct ScriptedDialer {
    script: Mutex<HashMap<String, VecDeque<Result<DialAccepted, DialFailure>>>>,
    calls: Mutex<Vec<String>>,
    /// Every number of every request, with its TtsParam item, in the order sent.
    sent: Mutex<Vec<(String, String)>>,
    latency: Duration,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

impl ScriptedDialer {
    fn with_latency(latency: Duration) -> Self {
        ScriptedDialer {
            latency,
            ..Default::default()
        }
    }

    fn on(self, task: &str, answers: Vec<Result<DialAccepted, DialFailure>>) -> Self {
        self.script
            .lock()
            .unwrap()
            .insert(task.to_owned(), answers.into());
        self
    }

    fn calls_for(&self, task: &str) -> usize {
        self.calls
            .lock()
            .unwrap()
            .iter()
            .filter(|t| *t == task)
            .count()
    }

    fn total_calls(&self) -> usize {
        self.calls.lock().unwrap().len()
    }
}

impl Dialer for ScriptedDialer {
    async fn dial(
        &self,
        request: &BatchRobotSmartCallRequest,
    ) -> Result<DialAccepted, DialFailure> {
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_in_flight.fetch_max(now, Ordering::SeqCst);
        self.calls.lock().unwrap().push(request.task_name.clone());
        let items: Vec<serde_json::Value> = request
            .tts_param
            .as_deref()
            .map(|t| serde_json::from_str(t).unwrap())
            .unwrap_or_default();
        for (i, number) in request.called_numbers.iter().enumerate() {
            let item = items.get(i).map(|v| v.to_string()).unwrap_or_default();
            self.sent.lock().unwrap().push((number.clone(), item));
        }
        tokio::time::sleep(self.latency).await;
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        let scripted = self
            .script
            .lock()
            .unwrap()
            .get_mut(&request.task_name)
            .and_then(VecDeque::pop_front);
        scripted.unwrap_or_else(|| {
            Ok(DialAccepted {
                task_id: Some(format!("T-{}", request.task_name)),
                request_id: "R".into(),
            })
        })
    }
}

fn failure(
    class: FailureClass,
    code: &str,
    account_level: bool,
) -> Result<DialAccepted, DialFailure> {
    Err(DialFailure {
        class,
        code: code.into(),
        user: UserError::new(
            crate::error_code::ErrorCode::aliyun(code),
            Localized::new(format!("错误 {code}"), format!("error {code}")),
            Localized::new("", ""),
        ),
        account_level,
        retry_after: None,
        request_id: Some("RQ".into()),
        explained: true,
    })
}

/// `Code: OK` without a `TaskId`.
fn accepted_without_task_id() -> Result<DialAccepted, DialFailure> {
    Ok(DialAccepted {
        task_id: None,
        request_id: "R".into(),
    })
}

struct FixedClock;
impl WallClock for FixedClock {
    fn now_ms(&self) -> i64 {
        T0
    }
}

struct Setup {
    _dir: tempfile::TempDir,
    journal: Arc<Mutex<Journal>>,
    id: i64,
}

fn setup(batches: usize) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let mut journal = Journal::open(&dir.path().join("j.sqlite3"), T0).unwrap();
    let id = journal
        .create_campaign(&campaign_with("D1", batches, 3, 0), false, T0)
        .unwrap();
    Setup {
        _dir: dir,
        journal: Arc::new(Mutex::new(journal)),
        id,
    }
}

fn config(qps: f64, concurrency: usize) -> EngineConfig {
    EngineConfig {
        qps,
        concurrency,
        retry: RetryPolicy::default(),
        heartbeat_every: Duration::from_secs(5),
    }
}

fn engine(s: &Setup, dialer: Arc<ScriptedDialer>, cfg: EngineConfig) -> Engine<ScriptedDialer> {
    Engine::new(s.journal.clone(), dialer, cfg)
        .with_clock(Arc::new(FixedClock))
        .with_rng(Box::new(StdRng::seed_from_u64(3)))
}

fn states(s: &Setup) -> Vec<BatchState> {
    s.journal
        .lock()
        .unwrap()
        .batches(s.id)
        .unwrap()
        .iter()
        .map(|b| b.state)
        .collect()
}

#[tokio::test(start_paused = true)]
async fn every_batch_is_sent_once_at_the_capped_pace_and_concurrency() {
    let s = setup(12);
    let dialer = Arc::new(ScriptedDialer::with_latency(Duration::from_millis(700)));
    let (tx, mut rx) = mpsc::unbounded_channel();
    let start = tokio::time::Instant::now();
    let report = engine(&s, dialer.clone(), config(10.0, 3))
        .run(s.id, &ControlHandle::new(), Some(tx))
        .await
        .unwrap();
    assert_eq!(report.end, RunEnd::Finished);
    assert!(report.campaign.batches.all_sent());
    assert_eq!(report.campaign.state, CampaignState::Finished);
    assert_eq!(report.campaign.sent_numbers, 36);
    assert_eq!(dialer.total_calls(), 12);
    for b in 1..=12 {
        assert_eq!(dialer.calls_for(&format!("回访-{b}")), 1);
    }
    // 700 ms replies with 3 in flight allow ~4.3/s: concurrency, not QPS, is the limit here.
    assert!(dialer.max_in_flight.load(Ordering::SeqCst) <= 3);
    assert!(start.elapsed() >= Duration::from_millis(700 * 4));
    let mut saw_progress = false;
    let mut sent_events = 0;
    while let Ok(event) = rx.try_recv() {
        match event {
            EngineEvent::Progress(p) => {
                saw_progress = true;
                assert!(p.eta_seconds.is_some());
            }
            EngineEvent::Batch(b) if b.state == BatchState::Sent => sent_events += 1,
            _ => {}
        }
    }
    assert!(saw_progress);
    assert_eq!(sent_events, 12);
    let rows = s.journal.lock().unwrap().batches(s.id).unwrap();
    assert_eq!(rows[4].task_id.as_deref(), Some("T-回访-5"));
}

#[tokio::test(start_paused = true)]
async fn the_qps_cap_spaces_requests() {
    let s = setup(11);
    let dialer = Arc::new(ScriptedDialer::with_latency(Duration::from_millis(1)));
    let start = tokio::time::Instant::now();
    engine(&s, dialer, config(5.0, 8))
        .run(s.id, &ControlHandle::new(), None)
        .await
        .unwrap();
    // 11 requests at 5/s: 10 gaps of 200 ms.
    assert!(start.elapsed() >= Duration::from_millis(2_000));
    assert!(start.elapsed() < Duration::from_millis(2_100));
}

#[tokio::test(start_paused = true)]
async fn throttled_requests_are_retried_until_accepted_and_sent_once() {
    let s = setup(2);
    let throttled = || failure(FailureClass::RetrySafe, "Throttling.User", false);
    let dialer = Arc::new(
        ScriptedDialer::with_latency(Duration::from_millis(10))
            .on("回访-1", vec![throttled(), throttled(), throttled()]),
    );
    let (tx, mut rx) = mpsc::unbounded_channel();
    let report = engine(&s, dialer.clone(), config(10.0, 2))
        .run(s.id, &ControlHandle::new(), Some(tx))
        .await
        .unwrap();
    assert!(report.campaign.batches.all_sent());
    assert_eq!(dialer.calls_for("回访-1"), 4);
    let b0 = s.journal.lock().unwrap().batch(s.id, 0).unwrap();
    assert_eq!(b0.attempts, 4);
    assert_eq!(b0.state, BatchState::Sent);
    let retries = std::iter::from_fn(|| rx.try_recv().ok())
        .filter(|e| matches!(e, EngineEvent::Retrying(_)))
        .count();
    assert_eq!(retries, 3);
}

#[tokio::test(start_paused = true)]
async fn retries_are_bounded_and_leave_the_batch_sendable() {
    let s = setup(3);
    let throttled = || failure(FailureClass::RetrySafe, "Throttling.Api", false);
    let dialer =
        Arc::new(ScriptedDialer::default().on("回访-1", (0..10).map(|_| throttled()).collect()));
    let mut cfg = config(10.0, 1);
    cfg.retry.max_attempts = 3;
    let report = engine(&s, dialer.clone(), cfg)
        .run(s.id, &ControlHandle::new(), None)
        .await
        .unwrap();
    assert_eq!(dialer.calls_for("回访-1"), 3);
    assert_eq!(report.campaign.batches.rejected, 1);
    // Out of retries: the campaign pauses with the reason instead of grinding on.
    assert!(matches!(&report.end, RunEnd::Paused(r) if r.code == "aliyun.Throttling.Api"));
    assert_eq!(report.campaign.state, CampaignState::Paused);
    assert_eq!(report.campaign.batches.planned, 2);
    assert_eq!(dialer.total_calls(), 3);
    let b0 = s.journal.lock().unwrap().batch(s.id, 0).unwrap();
    assert!(b0.retryable);
    assert_eq!(b0.error_code.as_deref(), Some("Throttling.Api"));
}

#[tokio::test(start_paused = true)]
async fn an_unknown_outcome_is_never_retried_and_pauses_the_run() {
    let s = setup(3);
    let dialer = Arc::new(ScriptedDialer::default().on(
        "回访-2",
        vec![failure(
            FailureClass::OutcomeUnknown,
            "network.timeout.outcome_unknown",
            false,
        )],
    ));
    let report = engine(&s, dialer.clone(), config(10.0, 1))
        .run(s.id, &ControlHandle::new(), None)
        .await
        .unwrap();
    let RunEnd::Paused(reason) = &report.end else {
        panic!("expected Paused, got {:?}", report.end);
    };
    assert_eq!(reason.code, "campaign.paused_unexplained");
    assert!(reason.message.zh_cn.contains("第 2 批"), "{reason:?}");
    assert_eq!(report.campaign.state, CampaignState::Paused);
    assert_eq!(dialer.calls_for("回访-2"), 1);
    assert_eq!(
        states(&s),
        vec![BatchState::Sent, BatchState::Unknown, BatchState::Planned]
    );
    // Resuming sends what never left, and still not the batch in doubt.
    let again = engine(&s, dialer.clone(), config(10.0, 1))
        .run(s.id, &ControlHandle::new(), None)
        .await
        .unwrap();
    assert_eq!(again.end, RunEnd::Finished);
    assert_eq!(again.campaign.batches.unknown, 1);
    assert_eq!(dialer.calls_for("回访-2"), 1);
    assert_eq!(dialer.total_calls(), 3);
}

#[tokio::test(start_paused = true)]
async fn an_unexplained_refusal_rejects_the_batch_and_pauses_the_run() {
    let s = setup(3);
    let mut unexplained = failure(FailureClass::Permanent, "isv.SOMETHING_NEW", false);
    if let Err(f) = &mut unexplained {
        f.explained = false;
    }
    let dialer = Arc::new(ScriptedDialer::default().on("回访-1", vec![unexplained]));
    let report = engine(&s, dialer.clone(), config(10.0, 1))
        .run(s.id, &ControlHandle::new(), None)
        .await
        .unwrap();
    assert!(matches!(&report.end, RunEnd::Paused(r) if r.code == "campaign.paused_unexplained"));
    assert_eq!(
        states(&s),
        vec![
            BatchState::Rejected,
            BatchState::Planned,
            BatchState::Planned
        ]
    );
    assert_eq!(dialer.total_calls(), 1);
}

#[tokio::test(start_paused = true)]
async fn ok_without_a_task_id_is_sent_never_resent_and_pauses_the_run() {
    let s = setup(3);
    let dialer = Arc::new(ScriptedDialer::default().on("回访-1", vec![accepted_without_task_id()]));
    let report = engine(&s, dialer.clone(), config(10.0, 1))
        .run(s.id, &ControlHandle::new(), None)
        .await
        .unwrap();
    assert!(
        matches!(&report.end, RunEnd::Paused(r) if r.code == crate::error_code::ErrorCode::BatchSentWithoutTaskId),
        "{:?}",
        report.end
    );
    assert_eq!(
        states(&s),
        vec![BatchState::Sent, BatchState::Planned, BatchState::Planned]
    );
    let b0 = s.journal.lock().unwrap().batch(s.id, 0).unwrap();
    assert_eq!(b0.task_id, None);
    let note = b0.problem.expect("a note on how to find the task");
    assert!(note.hint.zh_cn.contains("回访-1"), "{note:?}");
    assert!(note.hint.zh_cn.contains("QueryRobotTaskList"), "{note:?}");
    // Resuming sends the other two; the accepted one is never sent again.
    let again = engine(&s, dialer.clone(), config(10.0, 1))
        .run(s.id, &ControlHandle::new(), None)
        .await
        .unwrap();
    assert_eq!(again.end, RunEnd::Finished);
    assert!(again.campaign.batches.all_sent());
    assert_eq!(dialer.calls_for("回访-1"), 1);
    assert_eq!(dialer.total_calls(), 3);
}

#[tokio::test(start_paused = true)]
async fn an_account_level_error_stops_the_campaign_and_leaves_later_batches_untouched() {
    let s = setup(5);
    let dialer = Arc::new(ScriptedDialer::default().on(
        "回访-2",
        vec![failure(
            FailureClass::Permanent,
            "isv.AMOUNT_NOT_ENOUGH",
            true,
        )],
    ));
    let report = engine(&s, dialer.clone(), config(10.0, 1))
        .run(s.id, &ControlHandle::new(), None)
        .await
        .unwrap();
    let RunEnd::Stopped(reason) = &report.end else {
        panic!("expected Stopped, got {:?}", report.end);
    };
    assert_eq!(reason.code, "aliyun.isv.AMOUNT_NOT_ENOUGH");
    assert_eq!(report.campaign.state, CampaignState::Stopped);
    assert_eq!(
        report
            .campaign
            .reason
            .as_ref()
            .map(|r| r.code.to_string())
            .as_deref(),
        Some("aliyun.isv.AMOUNT_NOT_ENOUGH")
    );
    assert_eq!(
        states(&s),
        vec![
            BatchState::Sent,
            BatchState::Rejected,
            BatchState::Planned,
            BatchState::Planned,
            BatchState::Planned
        ]
    );
    assert_eq!(dialer.total_calls(), 2);
    // After topping up, resuming sends the refused batch and the rest.
    let again = engine(&s, dialer.clone(), config(10.0, 1))
        .run(s.id, &ControlHandle::new(), None)
        .await
        .unwrap();
    assert!(again.campaign.batches.all_sent());
    assert_eq!(dialer.calls_for("回访-2"), 2);
    assert_eq!(dialer.calls_for("回访-1"), 1);
}

#[tokio::test(start_paused = true)]
async fn a_business_limit_pauses_with_the_reason() {
    let s = setup(3);
    let dialer = Arc::new(ScriptedDialer::default().on(
        "回访-1",
        vec![failure(
            FailureClass::Defer,
            "isv.BUSINESS_LIMIT_CONTROL",
            false,
        )],
    ));
    let report = engine(&s, dialer.clone(), config(10.0, 1))
        .run(s.id, &ControlHandle::new(), None)
        .await
        .unwrap();
    let RunEnd::Paused(reason) = &report.end else {
        panic!("expected Paused, got {:?}", report.end);
    };
    assert_eq!(reason.code, "aliyun.isv.BUSINESS_LIMIT_CONTROL");
    assert_eq!(report.campaign.state, CampaignState::Paused);
    assert_eq!(dialer.total_calls(), 1);
    assert_eq!(states(&s)[1..], [BatchState::Planned, BatchState::Planned]);
}

#[tokio::test(start_paused = true)]
async fn a_permanent_refusal_rejects_only_that_batch() {
    let s = setup(3);
    let dialer = Arc::new(ScriptedDialer::default().on(
        "回访-2",
        vec![failure(
            FailureClass::Permanent,
            "isv.MOBILE_NUMBER_ILLEGAL",
            false,
        )],
    ));
    let report = engine(&s, dialer.clone(), config(10.0, 1))
        .run(s.id, &ControlHandle::new(), None)
        .await
        .unwrap();
    assert_eq!(report.end, RunEnd::Finished);
    assert_eq!(
        states(&s),
        vec![BatchState::Sent, BatchState::Rejected, BatchState::Sent]
    );
    let b1 = s.journal.lock().unwrap().batch(s.id, 1).unwrap();
    assert!(!b1.retryable);
    assert_eq!(
        b1.problem.unwrap().message.en,
        "error isv.MOBILE_NUMBER_ILLEGAL"
    );
}

#[tokio::test(start_paused = true)]
async fn pause_then_cancel_lets_in_flight_batches_finish_and_cancels_the_rest() {
    let s = setup(6);
    let dialer = Arc::new(ScriptedDialer::with_latency(Duration::from_secs(1)));
    let control = ControlHandle::new();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let eng = engine(&s, dialer.clone(), config(100.0, 2));
    let run = eng.run(s.id, &control, Some(tx));
    let steer = async {
        // Wait until two batches are in flight, then pause, then cancel.
        while dialer.total_calls() < 2 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        control.pause();
        tokio::time::sleep(Duration::from_secs(5)).await;
        control.cancel();
        control.resume(); // too late: cancel is final
    };
    let (report, ()) = tokio::join!(run, steer);
    let report = report.unwrap();
    assert_eq!(report.end, RunEnd::Cancelled);
    assert_eq!(dialer.total_calls(), 2);
    assert_eq!(report.campaign.batches.sent, 2);
    assert_eq!(report.campaign.batches.cancelled, 4);
    assert_eq!(report.campaign.state, CampaignState::Cancelled);
    let paused = std::iter::from_fn(|| rx.try_recv().ok())
        .any(|e| matches!(e, EngineEvent::Campaign(c) if c.state == CampaignState::Paused));
    assert!(paused);
    // Cancelled is final.
    let again = engine(&s, dialer.clone(), config(100.0, 2))
        .run(s.id, &ControlHandle::new(), None)
        .await
        .expect_err("cancelled");
    assert_eq!(again.to_user_error().code, "campaign.cancelled");
    assert_eq!(dialer.total_calls(), 2);
}

#[tokio::test(start_paused = true)]
async fn pause_and_resume_continue_the_same_run() {
    let s = setup(4);
    let dialer = Arc::new(ScriptedDialer::with_latency(Duration::from_millis(100)));
    let control = ControlHandle::new();
    let eng = engine(&s, dialer.clone(), config(100.0, 1));
    let run = eng.run(s.id, &control, None);
    let steer = async {
        while dialer.total_calls() < 1 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        control.pause();
        tokio::time::sleep(Duration::from_secs(3)).await;
        assert_eq!(dialer.total_calls(), 1);
        control.resume();
    };
    let (report, ()) = tokio::join!(run, steer);
    let report = report.unwrap();
    assert_eq!(report.end, RunEnd::Finished);
    assert!(report.campaign.batches.all_sent());
}

#[tokio::test(start_paused = true)]
async fn detach_leaves_the_campaign_paused_and_resumable() {
    let s = setup(4);
    let dialer = Arc::new(ScriptedDialer::with_latency(Duration::from_millis(100)));
    let control = ControlHandle::new();
    let eng = engine(&s, dialer.clone(), config(100.0, 1));
    let run = eng.run(s.id, &control, None);
    let steer = async {
        while dialer.total_calls() < 1 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        control.detach();
    };
    let (report, ()) = tokio::join!(run, steer);
    let report = report.unwrap();
    assert_eq!(report.end, RunEnd::Detached);
    assert_eq!(report.campaign.state, CampaignState::Paused);
    assert_eq!(report.campaign.batches.sent, 1);
    assert_eq!(report.campaign.batches.planned, 3);
    assert!(!report.campaign.busy);
    let again = engine(&s, dialer.clone(), config(100.0, 1))
        .run(s.id, &ControlHandle::new(), None)
        .await
        .unwrap();
    assert!(again.campaign.batches.all_sent());
    assert_eq!(dialer.total_calls(), 4);
}

#[tokio::test(start_paused = true)]
async fn a_campaign_held_by_another_run_is_refused() {
    let s = setup(2);
    let lease = s.journal.lock().unwrap().claim(s.id, T0).unwrap();
    let dialer = Arc::new(ScriptedDialer::default());
    let err = engine(&s, dialer.clone(), config(10.0, 1))
        .run(s.id, &ControlHandle::new(), None)
        .await
        .expect_err("busy");
    assert_eq!(err.to_user_error().code, "campaign.busy");
    assert_eq!(dialer.total_calls(), 0);
    s.journal.lock().unwrap().release(&lease).unwrap();
}

#[tokio::test(start_paused = true)]
async fn a_run_that_loses_its_lease_stops_starting_batches() {
    let s = setup(6);
    let dialer = Arc::new(ScriptedDialer::with_latency(Duration::from_millis(100)));
    let eng = engine(&s, dialer.clone(), config(100.0, 1));
    let control = ControlHandle::new();
    let run = eng.run(s.id, &control, None);
    let journal = s.journal.clone();
    let id = s.id;
    let steal = async {
        while dialer.total_calls() < 2 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        // Another process took over (as it would after this one hung past the TTL).
        journal
            .lock()
            .unwrap()
            .conn()
            .execute(
                "UPDATE leases SET owner = 'someone-else' WHERE campaign_id = ?1",
                [id],
            )
            .unwrap();
    };
    let (report, ()) = tokio::join!(run, steal);
    let report = report.unwrap();
    assert_eq!(report.end, RunEnd::LeaseLost);
    // The batch in flight was still recorded; nothing after it started.
    assert_eq!(dialer.total_calls(), 2);
    assert_eq!(report.campaign.batches.sent, 2);
    assert_eq!(report.campaign.batches.planned, 4);
}

#[tokio::test(start_paused = true)]
async fn a_passed_schedule_pauses_before_sending_and_a_new_time_sends_the_rest() {
    let s = setup(3);
    s.journal
        .lock()
        .unwrap()
        .reschedule(s.id, Some(T0 - 1), T0)
        .unwrap();
    let dialer = Arc::new(ScriptedDialer::default());
    let report = engine(&s, dialer.clone(), config(10.0, 1))
        .run(s.id, &ControlHandle::new(), None)
        .await
        .unwrap();
    assert!(
        matches!(&report.end, RunEnd::Paused(r) if r.code == crate::error_code::ErrorCode::CampaignSchedulePassed),
        "{:?}",
        report.end
    );
    assert_eq!(dialer.total_calls(), 0);
    let needs = s.journal.lock().unwrap().resume_needs(s.id, T0).unwrap();
    assert_eq!(needs.schedule_passed_at, Some(T0 - 1));
    assert_eq!((needs.unsent_batches, needs.unsent_people), (3, 9));
    // A time too close counts as passed too: the request would arrive late.
    let close = ResumeChoices {
        reschedule: Some(Reschedule::At { ms: T0 + 10_000 }),
        ..ResumeChoices::default()
    };
    let again = engine(&s, dialer.clone(), config(10.0, 1))
        .run_with(s.id, close, &ControlHandle::new(), None)
        .await
        .unwrap();
    assert!(matches!(&again.end, RunEnd::Paused(_)));
    assert_eq!(dialer.total_calls(), 0);
    let later = ResumeChoices {
        reschedule: Some(Reschedule::At { ms: T0 + 3_600_000 }),
        ..ResumeChoices::default()
    };
    let done = engine(&s, dialer.clone(), config(10.0, 1))
        .run_with(s.id, later, &ControlHandle::new(), None)
        .await
        .unwrap();
    assert_eq!(done.end, RunEnd::Finished);
    assert_eq!(dialer.total_calls(), 3);
    let settings = s.journal.lock().unwrap().settings(s.id).unwrap();
    assert_eq!(settings.schedule_time_ms, Some(T0 + 3_600_000));
}

#[tokio::test(start_paused = true)]
async fn a_callee_limit_stops_and_a_resplit_sends_every_unsent_person_exactly_once() {
    let s = setup(3);
    let dialer = Arc::new(ScriptedDialer::default().on(
        "回访-2",
        vec![failure(
            FailureClass::Permanent,
            "isv.VOICE_ROBOT_CALLEE_LIMIT",
            false,
        )],
    ));
    let report = engine(&s, dialer.clone(), config(10.0, 1))
        .run(s.id, &ControlHandle::new(), None)
        .await
        .unwrap();
    let RunEnd::Stopped(reason) = &report.end else {
        panic!("expected Stopped, got {:?}", report.end);
    };
    assert_eq!(
        reason.code,
        crate::error_code::ErrorCode::CampaignCalleeLimit
    );
    assert_eq!(
        states(&s),
        vec![BatchState::Sent, BatchState::Rejected, BatchState::Planned]
    );
    assert!(s.journal.lock().unwrap().batch(s.id, 1).unwrap().retryable);
    let needs = s.journal.lock().unwrap().resume_needs(s.id, T0).unwrap();
    assert_eq!(needs.suggested_batch_size, Some(1));
    let before: Vec<(String, String)> = dialer.sent.lock().unwrap().clone();

    let choices = ResumeChoices {
        batch_size: Some(2),
        ..ResumeChoices::default()
    };
    let done = engine(&s, dialer.clone(), config(10.0, 1))
        .run_with(s.id, choices, &ControlHandle::new(), None)
        .await
        .unwrap();
    assert_eq!(done.end, RunEnd::Finished);
    assert!(done.campaign.batches.all_sent());
    let batches = s.journal.lock().unwrap().batches(s.id).unwrap();
    let sizes: Vec<usize> = batches.iter().map(|b| b.called_numbers.len()).collect();
    // Batch 1 as sent; batches 2 and 3 (3 people each) as 2 + 1 and 2 + 1.
    assert_eq!(sizes, [3, 2, 1, 2, 1]);
    let names: Vec<&str> = batches.iter().map(|b| b.task_name.as_str()).collect();
    assert_eq!(names[0], "回访-1");
    assert!(names[1..].iter().all(|n| n.ends_with("/5)")), "{names:?}");
    // Every person once (the refused request called nobody), each with their own values.
    let sent = dialer.sent.lock().unwrap().clone();
    let accepted: Vec<&(String, String)> = sent[..3].iter().chain(&sent[6..]).collect();
    let mut numbers: Vec<&str> = accepted.iter().map(|(n, _)| n.as_str()).collect();
    numbers.sort_unstable();
    numbers.dedup();
    assert_eq!(numbers.len(), 9);
    assert_eq!(sent[3..6], before[3..6], "the refused request");
    for (number, item) in &accepted {
        assert!(item.contains(number.as_str()), "{number}: {item}");
    }
    let rows: Vec<u32> = batches.iter().flat_map(|b| b.source_rows.clone()).collect();
    assert_eq!(rows, [2, 3, 4, 2, 3, 4, 2, 3, 4]);
}

#[tokio::test(start_paused = true)]
async fn a_last_batch_without_a_task_id_finishes_the_run_instead_of_pausing_it() {
    let s = setup(1);
    let dialer = Arc::new(ScriptedDialer::default().on("回访-1", vec![accepted_without_task_id()]));
    let report = engine(&s, dialer.clone(), config(10.0, 1))
        .run(s.id, &ControlHandle::new(), None)
        .await
        .unwrap();
    assert_eq!(report.end, RunEnd::Finished);
    assert_eq!(report.campaign.state, CampaignState::Finished);
    assert!(report.campaign.batches.all_sent());
}
