//! The engine against a scripted dialer, a real SQLite journal and tokio's paused clock.
//!
//! This module holds the scripted dialer and the setup; the tests are in its submodules, by
//! what they exercise.

#![allow(clippy::result_large_err)] // scripted answers are `Dialer` results, as large as the trait's

mod answers;
mod control;
mod hours;
mod pacing;
mod resume;
mod withheld;

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
        .create_campaign(&campaign_with("D1", batches, 3, 0), None, T0)
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
        calling: None,
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
