//! Calling hours: a campaign sent "now" outside them waits, and no batch starts within the
//! stop margin before they close; the clock is tokio's paused one, read as China time.

use crate::compliance::hours::{parse_ranges, CallingHours};
use crate::compliance::rules::CallingRules;
use crate::error_code::ErrorCode;

use super::*;

/// Wall time that moves with tokio's (paused, auto-advancing) clock, from T0 (00:00 in
/// Beijing).
struct TokioClock(tokio::time::Instant);

impl WallClock for TokioClock {
    fn now_ms(&self) -> i64 {
        T0 + self.0.elapsed().as_millis() as i64
    }
}

/// Accepts every batch after `latency` and notes when (on the wall clock) it was dialled.
struct TimedDialer {
    clock: Arc<TokioClock>,
    latency: Duration,
    dialled: Mutex<Vec<i64>>,
}

impl Dialer for TimedDialer {
    async fn dial(
        &self,
        _request: &BatchRobotSmartCallRequest,
    ) -> Result<DialAccepted, DialFailure> {
        self.dialled.lock().unwrap().push(self.clock.now_ms());
        tokio::time::sleep(self.latency).await;
        Ok(DialAccepted {
            task_id: Some("T".into()),
            request_id: "R".into(),
        })
    }
}

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;

fn rules(ranges: &str, margin_minutes: u32) -> CallingRules {
    CallingRules {
        hours: CallingHours::new(&[1, 2, 3, 4, 5, 6, 7], &parse_ranges(ranges).unwrap()).unwrap(),
        stop_margin_minutes: margin_minutes,
        ..CallingRules::default()
    }
}

async fn run_with_hours(
    batches: usize,
    latency: Duration,
    calling: CallingRules,
) -> (Vec<i64>, Vec<EngineEvent>, super::super::engine::RunReport) {
    let s = setup(batches);
    let clock = Arc::new(TokioClock(tokio::time::Instant::now()));
    let dialer = Arc::new(TimedDialer {
        clock: clock.clone(),
        latency,
        dialled: Mutex::new(Vec::new()),
    });
    let cfg = EngineConfig {
        calling: Some(calling),
        // Hours of waiting in virtual time: a heartbeat every 5 s would be thousands of
        // journal writes, each synced to disk.
        heartbeat_every: Duration::from_secs(600),
        ..config(100.0, 1)
    };
    let eng = Engine::new(s.journal.clone(), dialer.clone(), cfg)
        .with_clock(clock)
        .with_rng(Box::new(StdRng::seed_from_u64(3)));
    let (tx, mut rx) = mpsc::unbounded_channel();
    let report = eng
        .run(s.id, &ControlHandle::new(), Some(tx))
        .await
        .unwrap();
    let events = std::iter::from_fn(|| rx.try_recv().ok()).collect();
    let dialled = dialer.dialled.lock().unwrap().clone();
    (dialled, events, report)
}

fn waits(events: &[EngineEvent]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match e {
            EngineEvent::Campaign(c) => c.reason.as_ref(),
            _ => None,
        })
        .filter(|r| r.code == ErrorCode::CampaignWaitingForHours)
        .map(|r| r.message.zh_cn.clone())
        .collect()
}

#[tokio::test(start_paused = true)]
async fn sending_now_at_night_waits_for_the_morning() {
    let (dialled, events, report) =
        run_with_hours(2, Duration::ZERO, rules("09:00-12:00", 30)).await;
    assert_eq!(report.end, RunEnd::Finished);
    assert_eq!(dialled.len(), 2);
    assert!(
        dialled[0] >= T0 + 9 * HOUR,
        "first call at {} ms after midnight",
        dialled[0] - T0
    );
    assert!(dialled[0] < T0 + 9 * HOUR + MINUTE);
    let waits = waits(&events);
    assert_eq!(waits.len(), 1, "{waits:?}");
    assert!(
        waits[0].contains("2025-11-25 09:00 北京时间"),
        "{}",
        waits[0]
    );
    // The wait was announced while running, and cleared once sending began.
    let cleared = events.iter().any(|e| {
        matches!(e, EngineEvent::Campaign(c) if c.state == CampaignState::Running && c.reason.is_none())
    });
    assert!(cleared);
}

#[tokio::test(start_paused = true)]
async fn no_batch_starts_within_the_margin_and_the_next_window_continues() {
    // Window 09:00–09:40 with a 30-minute margin: batches may start 09:00–09:10. One batch
    // taking 5 minutes, one at a time: 09:00, 09:05 — then 09:10 is too late and the rest
    // go the next day.
    let (dialled, events, report) =
        run_with_hours(4, Duration::from_secs(300), rules("09:00-09:40", 30)).await;
    assert_eq!(report.end, RunEnd::Finished);
    let at: Vec<i64> = dialled.iter().map(|t| (t - T0) / MINUTE).collect();
    let day = 24 * 60;
    assert_eq!(at.len(), 4);
    assert!(at[0] >= 9 * 60 && at[1] < 9 * 60 + 10, "{at:?}");
    assert!(at[2] >= day + 9 * 60 && at[3] < day + 9 * 60 + 10, "{at:?}");
    assert_eq!(waits(&events).len(), 2, "morning, then the next morning");
}

#[tokio::test(start_paused = true)]
async fn inside_the_hours_nothing_waits() {
    let (dialled, events, _) = run_with_hours(2, Duration::ZERO, rules("00:00-24:00", 30)).await;
    assert_eq!(dialled.len(), 2);
    assert!(dialled[0] < T0 + MINUTE);
    assert!(waits(&events).is_empty());
}
