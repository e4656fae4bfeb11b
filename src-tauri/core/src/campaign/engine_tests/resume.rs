//! Resuming with the user's choices: a new time for a passed schedule, smaller batches.

use super::*;

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
