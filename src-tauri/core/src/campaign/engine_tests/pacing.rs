//! Pace, concurrency and safe retries.

use super::*;

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
