//! What each kind of answer does to the batch and to the run: unknown outcomes, refusals
//! explained or not, OK without a TaskId, account-level errors, business limits.

use super::*;

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
