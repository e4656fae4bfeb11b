//! Refreshing results: from the task list, per callee when the list is refused or
//! lacks people, within the rate cap, across days, on any runtime.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_three_batch_campaign_is_refreshed_from_the_task_list_and_matches_the_simulator() {
    let s = setup(SimulatorConfig::demo(), 3, 7, None).await;
    let events = Mutex::new(Vec::new());
    let report = refresh_campaign(
        &s.journal,
        &s.client,
        s.campaign,
        &fast(),
        &|p| events.lock().unwrap().push(p),
        &CancelToken::new(),
    )
    .await
    .unwrap();
    assert_eq!(report.mode, QueryMode::TaskCallList);
    assert_eq!(
        (report.checked, report.found, report.failure_count),
        (21, 21, 0)
    );
    assert!(report.degraded.is_none());
    let events = events.into_inner().unwrap();
    assert_eq!(events.first().map(|e| (e.done, e.total)), Some((0, 21)));
    assert_eq!(events.last().map(|e| (e.done, e.total)), Some((21, 21)));

    let results = loaded(&s);
    assert_eq!(actual_counts(&results), expected_counts(&s));
    assert_eq!(results.pending, 0);
    assert_eq!(results.variable_names, ["姓名", "批次"]);
    let first = &results.people[0];
    assert_eq!(first.variables[0].value, format!("客户{}", first.number));
    assert_eq!(first.source_row, Some(2));
    // Answered calls got their recording link (a per-callee lookup after the list).
    for p in results
        .people
        .iter()
        .filter(|p| p.outcome == CallOutcome::Answered)
    {
        let url = p.record_url.as_deref().expect("recording link");
        let expires: i64 = url.split("Expires=").nth(1).unwrap().parse().unwrap();
        assert_eq!(p.record_expires_at_ms, Some(expires * 1000));
        assert!(p.recording_available);
        assert!(p.duration_secs.unwrap_or(0) > 0);
        assert!(p.hangup_raw.is_some() && p.hangup != HangupReading::Unknown);
    }
    // A page of one outcome counts everyone with it and holds the asked-for slice of them.
    let answered: Vec<_> = results
        .people
        .iter()
        .filter(|p| p.outcome == CallOutcome::Answered)
        .cloned()
        .collect();
    assert!(answered.len() > 2, "{} answered", answered.len());
    let page = results
        .clone()
        .into_page(Some(CallOutcome::Answered), None, 1, 2);
    assert_eq!(page.total as usize, answered.len());
    assert_eq!((page.offset, page.people.as_slice()), (1, &answered[1..3]));
    let everyone = results.clone().into_page(None, None, 0, usize::MAX);
    assert_eq!(everyone.people, results.people);

    // Everything is final now: a second refresh asks nothing.
    let before = s.sim.record().requests.len();
    let again = refresh(&s, &fast()).await;
    assert_eq!(
        (again.checked, again.skipped_final, again.requests),
        (0, 21, 0)
    );
    assert_eq!(s.sim.record().requests.len(), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_the_task_list_is_refused_it_degrades_to_per_callee_queries_once_per_run() {
    let mut config = SimulatorConfig::demo();
    config.batch_task_visibility = BatchTaskVisibility::Error;
    let s = setup(config, 3, 5, None).await;
    let report = refresh(&s, &fast()).await;
    assert_eq!(report.mode, QueryMode::PerCallee);
    assert_eq!(
        report
            .degraded
            .as_ref()
            .map(|e| e.code.to_string())
            .as_deref(),
        Some("aliyun.isv.INVALID_PARAMETERS")
    );
    assert_eq!((report.found, report.failure_count), (15, 0));
    let record = s.sim.record();
    assert_eq!(record.requests_for("QueryRobotTaskCallList").count(), 1);
    assert_eq!(record.requests_for("QueryCallDetailByTaskId").count(), 15);
    assert_eq!(actual_counts(&loaded(&s)), expected_counts(&s));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_stay_under_the_rate_cap() {
    let qps = 8.0;
    // The server's sliding one-second quota at twice our cap: scheduling jitter on a loaded
    // machine can bunch two of our evenly spaced slots, but never a whole second's worth.
    let faults = FaultPlan {
        max_per_second: Some(16),
        actions: vec!["QueryCallDetailByTaskId".into()],
        ..FaultPlan::default()
    };
    let s = setup(SimulatorConfig::with_faults(faults), 2, 10, None).await;
    let options = RefreshOptions {
        qps,
        concurrency: 6,
        mode: QueryMode::PerCallee,
        ..RefreshOptions::default()
    };
    let report = refresh(&s, &options).await;
    assert_eq!(report.found, 20);
    let times: Vec<u64> = s
        .sim
        .record()
        .requests_for("QueryCallDetailByTaskId")
        .map(|r| r.elapsed_ms)
        .collect();
    assert_eq!(times.len(), 20, "no request was throttled and retried");
    let throttled = s
        .sim
        .record()
        .requests
        .iter()
        .filter(|r| r.code.starts_with("Throttling"))
        .count();
    assert_eq!(throttled, 0);
    // 20 requests at 8/s: 19 intervals of 125 ms, as the server's clock saw them (150 ms of
    // slack for when the first one left).
    let span = times[19] - times[0];
    assert!(span >= 19 * 125 - 150, "20 requests within {span} ms");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_filed_on_the_next_day_is_found_by_asking_the_next_day_too() {
    // The journal says the batches left yesterday; the simulator placed the calls today
    // (as a call started just before midnight and filed after it would be).
    let s = setup_with(SimulatorConfig::demo(), 1, 4, None, -24 * 3600 * 1000).await;
    let options = RefreshOptions {
        mode: QueryMode::PerCallee,
        ..fast()
    };
    let report = refresh(&s, &options).await;
    assert_eq!((report.found, report.failure_count), (4, 0));
    // Each person: yesterday (nothing), then today.
    assert_eq!(
        s.sim
            .record()
            .requests_for("QueryCallDetailByTaskId")
            .count(),
        8
    );
    assert_eq!(actual_counts(&loaded(&s)), expected_counts(&s));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_still_on_the_phone_stay_pending_and_are_asked_again_later() {
    let mut config = SimulatorConfig::demo();
    config.results_after_call_end = true;
    let s = setup(config, 2, 3, None).await;
    let first = refresh(&s, &fast()).await;
    assert_eq!((first.found, first.still_pending), (0, 6));
    assert_eq!(loaded(&s).pending, 6);
    // Ten minutes later (simulator time; within the signature's 15-minute window) every
    // call has ended.
    s.sim.advance_clock(chrono::Duration::minutes(10));
    let second = refresh(&s, &fast()).await;
    assert_eq!(
        (second.checked, second.found, second.skipped_final),
        (6, 6, 0)
    );
    assert_eq!(actual_counts(&loaded(&s)), expected_counts(&s));
}

fn assert_send<T: Send>(_: &T) {}

#[tokio::test]
async fn a_refresh_can_run_on_a_multi_threaded_runtime() {
    // The desktop spawns refreshes on Tauri's runtime, which needs a `Send` future.
    let dir = tempfile::tempdir().unwrap();
    let journal = Mutex::new(Journal::open(&dir.path().join("j.sqlite3"), 0).unwrap());
    let client = Client::new(
        ClientConfig::with_endpoint("http://127.0.0.1:9"),
        Credentials::new(DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET),
    )
    .unwrap();
    let options = RefreshOptions::default();
    let cancel = CancelToken::new();
    let sink = |_p: RefreshProgress| {};
    let future = refresh_campaign(&journal, &client, 1, &options, &sink, &cancel);
    assert_send(&future);
    // No such campaign: a journal error, not a panic.
    assert!(matches!(future.await, Err(ResultsError::Journal(_))));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_recording_links_the_list_costs_one_request_per_page_and_one_person_can_be_asked_later(
) {
    let s = setup(SimulatorConfig::demo(), 2, 5, None).await;
    let options = RefreshOptions {
        recording_links: false,
        page_size: 3,
        ..fast()
    };
    let report = refresh(&s, &options).await;
    assert_eq!((report.found, report.mode), (10, QueryMode::TaskCallList));
    // 5 rows per task in pages of 3: two pages each, nothing else.
    assert_eq!(report.requests, 4);
    assert_eq!(
        s.sim
            .record()
            .requests_for("QueryCallDetailByTaskId")
            .count(),
        0
    );
    let answered = loaded(&s)
        .people
        .into_iter()
        .find(|p| p.outcome == CallOutcome::Answered)
        .expect("someone answered");
    assert!(answered.record_url.is_none());
    let one = Refresher::new(s.client.clone(), fast())
        .refresh_person(
            &s.journal,
            s.campaign,
            answered.batch_index,
            answered.position,
        )
        .await
        .unwrap();
    assert!(one.recording_available && one.record_url.is_some());
    assert_eq!(one.source, Some(RecordSource::CallDetail));
    assert_eq!(
        s.sim
            .record()
            .requests_for("QueryCallDetailByTaskId")
            .count(),
        1
    );
}

/// A stand-in whose task call list is always empty but whose per-callee query has a record:
/// the case where the list does not show a BatchRobotSmartCall task's calls.
async fn empty_list_server() -> String {
    let app = axum::Router::new().fallback(|query: axum::extract::RawQuery| async move {
        let query = query.0.unwrap_or_default();
        let body = if query.contains("Action=QueryRobotTaskCallList") {
            r#"{"RequestId":"R-1","Code":"OK","Data":"[]"}"#
        } else {
            r#"{"RequestId":"R-2","Code":"OK","Data":"{\"statusCode\":\"200010\",\"stateDesc\":\"关机\",\"duration\":0}"}"#
        };
        ([("content-type", "application/json")], body)
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_the_list_still_lacks_a_day_later_are_asked_directly() {
    let client = Client::new(
        ClientConfig::with_endpoint(empty_list_server().await),
        Credentials::new(DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let now = SystemClock.now_ms();
    let mut journal = Journal::open(&dir.path().join("j.sqlite3"), now).unwrap();
    let id = journal
        .create_campaign(&new_campaign(2, 2, None), None, now)
        .unwrap();
    // Batch 1 was sent two days ago, batch 2 just now.
    for (idx, sent) in [(0, now - 2 * 24 * 3600 * 1000), (1, now)] {
        journal
            .conn()
            .execute(
                "UPDATE batches SET state = 'sent', task_id = ?1, first_sent_at_ms = ?2 WHERE idx = ?3",
                rusqlite::params![format!("400000000000{idx}"), sent, idx],
            )
            .unwrap();
    }
    let journal = Mutex::new(journal);
    let report = refresh_campaign(&journal, &client, id, &fast(), &|_| {}, &CancelToken::new())
        .await
        .unwrap();
    assert_eq!(report.mode, QueryMode::TaskCallList);
    // The old batch's two people were found directly; the new batch's wait for the list.
    assert_eq!((report.found, report.still_pending), (2, 2));
    let results = load_results(&journal.lock().unwrap(), id, now).unwrap();
    assert_eq!(results.count(CallOutcome::PoweredOff), 2);
    assert!(results.people[..2]
        .iter()
        .all(|p| p.outcome == CallOutcome::PoweredOff));
}
