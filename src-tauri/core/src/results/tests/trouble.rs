//! Refreshing when something is off: malformed or broken data, transient and account-level
//! errors, batches in doubt or sent without a TaskId.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_data_is_read_and_transient_errors_are_retried() {
    let faults = FaultPlan {
        actions: vec!["QueryCallDetailByTaskId".into()],
        malformed_data_every: Some(2),
        error_500_every: Some(3),
        ..FaultPlan::default()
    };
    let s = setup(SimulatorConfig::with_faults(faults), 3, 4, None).await;
    let options = RefreshOptions {
        mode: QueryMode::PerCallee,
        retry: crate::campaign::retry::RetryPolicy {
            max_attempts: 4,
            base_delay: std::time::Duration::from_millis(10),
            max_delay: std::time::Duration::from_millis(40),
        },
        ..fast()
    };
    let report = refresh(&s, &options).await;
    assert_eq!((report.found, report.failure_count), (12, 0), "{report:?}");
    let record = s.sim.record();
    let asked: Vec<_> = record.requests_for("QueryCallDetailByTaskId").collect();
    assert!(
        asked.iter().any(|r| r.http_status == 500),
        "no 500 was served"
    );
    assert_eq!(report.requests as usize, asked.len());
    assert_eq!(actual_counts(&loaded(&s)), expected_counts(&s));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_level_error_ends_the_refresh_with_that_error() {
    let s = setup(SimulatorConfig::demo(), 1, 3, None).await;
    let wrong = Client::new(
        ClientConfig::with_endpoint(s.sim.endpoint()),
        Credentials::new(DEMO_ACCESS_KEY_ID, "not-the-secret"),
    )
    .unwrap();
    let err = refresh_campaign(
        &s.journal,
        &wrong,
        s.campaign,
        &fast(),
        &|_| {},
        &CancelToken::new(),
    )
    .await
    .unwrap_err();
    assert_eq!(err.to_user_error().code, "aliyun.InvalidAccessKeySecret");
    // Nothing was stored as if it were a result.
    assert_eq!(
        loaded(&s)
            .people
            .iter()
            .filter(|p| p.fetched_at_ms.is_some())
            .count(),
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_marked_sent_without_a_task_id_is_found_by_name_and_refused_ones_not_sent() {
    for visible in [true, false] {
        let faults = FaultPlan {
            actions: vec!["BatchRobotSmartCall".into()],
            error_500_after_processing_every: Some(2),
            batch_answers: vec![crate::simulator::ScriptedAnswer {
                nth: 3,
                code: "isv.BLACK_KEY_CONTROL_LIMIT".into(),
                message: None,
                http_status: None,
            }],
            ..FaultPlan::default()
        };
        let config = SimulatorConfig {
            batch_task_visibility: if visible {
                BatchTaskVisibility::Visible
            } else {
                BatchTaskVisibility::Error
            },
            ..SimulatorConfig::with_faults(faults)
        };
        // Batch 2: processed, then a 500 (unknown; the user marks it sent). Batch 3: refused.
        let s = setup(config, 3, 2, None).await;
        {
            let mut j = s.journal.lock().unwrap();
            let settled = j
                .settle_unknown(
                    s.campaign,
                    None,
                    Some(crate::campaign::model::UnknownDecision::MarkSent),
                    SystemClock.now_ms(),
                )
                .unwrap();
            assert_eq!(settled.changed, 1);
        }
        let report = refresh(&s, &fast()).await;
        let results = loaded(&s);
        assert_eq!(results.count(CallOutcome::NotSent), 2);
        if visible {
            // Its task is found by its name and day, and its people are asked about.
            assert_eq!((report.found, report.not_sent), (4, 2));
            assert_eq!(results.count(CallOutcome::Untracked), 0);
            let task = s
                .journal
                .lock()
                .unwrap()
                .batch(s.campaign, 1)
                .unwrap()
                .task_id;
            assert_eq!(task, s.sim.record().batch_calls[1].task_id);
        } else {
            // Where the task list does not show batch tasks, it stays untracked.
            assert_eq!((report.found, report.not_sent), (2, 4));
            assert_eq!(results.count(CallOutcome::Untracked), 2);
        }
    }
}

/// A stand-in server whose every answer is `Code: OK` with `Data` no repair can read.
async fn broken_data_server() -> String {
    let app = axum::Router::new().fallback(|| async {
        (
            [("content-type", "application/json")],
            r#"{"RequestId":"R-1","Code":"OK","Data":"{\"callId\": \"c1\", \"statusCode\": "}"#,
        )
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn data_beyond_repair_is_a_per_person_failure_not_a_crash_or_a_result() {
    let endpoint = broken_data_server().await;
    let client = Client::new(
        ClientConfig::with_endpoint(endpoint),
        Credentials::new(DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let now = SystemClock.now_ms();
    let mut journal = Journal::open(&dir.path().join("j.sqlite3"), now).unwrap();
    let id = journal
        .create_campaign(&new_campaign(1, 3, None), false, now)
        .unwrap();
    // As if the batch had been accepted as task 4000000000001.
    journal
        .conn()
        .execute(
            "UPDATE batches SET state = 'sent', task_id = '4000000000001', first_sent_at_ms = ?1",
            [now],
        )
        .unwrap();
    let journal = Mutex::new(journal);
    let report = refresh_campaign(&journal, &client, id, &fast(), &|_| {}, &CancelToken::new())
        .await
        .unwrap();
    // The task list was unreadable too: given up for per-callee queries, which failed.
    assert_eq!(
        report
            .degraded
            .as_ref()
            .map(|e| e.code.to_string())
            .as_deref(),
        Some("response.unexpected")
    );
    assert_eq!((report.found, report.failure_count), (0, 3));
    assert!(report
        .failures
        .iter()
        .all(|f| f.error.code == "response.unexpected"));
    let results = load_results(&journal.lock().unwrap(), id, now).unwrap();
    assert_eq!(results.pending, 3);
    assert!(results.people.iter().all(|p| p.fetched_at_ms.is_none()));
}
