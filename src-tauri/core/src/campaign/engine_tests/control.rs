//! Steering a run (pause, resume, cancel, detach) and the campaign lease.

use crate::campaign::model::UnknownDecision;

use super::*;

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
async fn unknown_batches_are_not_settled_while_a_run_holds_the_campaign() {
    let s = setup(3);
    let unknown = failure(FailureClass::OutcomeUnknown, "network.timeout", false);
    let dialer = Arc::new(ScriptedDialer::default().on("回访-1", vec![unknown]));
    let first = engine(&s, dialer.clone(), config(100.0, 1))
        .run(s.id, &ControlHandle::new(), None)
        .await
        .unwrap();
    assert!(matches!(first.end, RunEnd::Paused(_)), "{:?}", first.end);
    assert_eq!(first.campaign.batches.unknown, 1);

    // A second run, paused by the user, keeps the campaign's lease.
    let control = ControlHandle::new();
    control.pause();
    let eng = engine(&s, dialer.clone(), config(100.0, 1));
    let run = eng.run(s.id, &control, None);
    let journal = s.journal.clone();
    let id = s.id;
    let settle = async {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let refused =
            journal
                .lock()
                .unwrap()
                .settle_unknown(id, None, Some(UnknownDecision::MarkSent), T0);
        control.detach();
        refused
    };
    let (report, refused) = tokio::join!(run, settle);
    assert_eq!(report.unwrap().end, RunEnd::Detached);
    assert_eq!(
        refused.expect_err("busy").to_user_error().code,
        "campaign.busy"
    );
    assert_eq!(states(&s)[0], BatchState::Unknown);

    // Once the run is over, the same decision goes through.
    let settled = s
        .journal
        .lock()
        .unwrap()
        .settle_unknown(s.id, None, Some(UnknownDecision::MarkSent), T0)
        .unwrap();
    assert_eq!(settled.changed, 1);
    assert_eq!(states(&s)[0], BatchState::Sent);
    assert_eq!(dialer.total_calls(), 1);
}
