//! Results against the real simulator over HTTP, with a real SQLite journal: a campaign is
//! sent by the real engine, then refreshed, viewed, exported and controlled.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use calamine::{open_workbook, Reader, Xlsx};

use super::control::{control_task, explain};
use super::export::{write_results, PEOPLE_SHEET, SUMMARY_SHEET};
use super::outcome::classify;
use super::*;
use crate::aliyun::tasks::TaskControl;
use crate::aliyun::{Client, ClientConfig, Credentials};
use crate::campaign::engine::{ControlHandle, Engine, EngineConfig};
use crate::campaign::journal::Journal;
use crate::campaign::model::{CampaignSettings, NewBatch, NewCampaign, SystemClock, WallClock};
use crate::campaign::numbers::CalledNumbers;
use crate::campaign::tts::TtsValues;
use crate::simulator::outcomes::outcome_for;
use crate::simulator::{
    BatchTaskVisibility, FaultPlan, RunningSimulator, Simulator, SimulatorConfig,
    DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET, DEMO_DIALOG_ID,
};

struct Setup {
    sim: RunningSimulator,
    client: Client,
    journal: Arc<Mutex<Journal>>,
    campaign: i64,
    seed: u64,
    _dir: tempfile::TempDir,
}

fn new_campaign(batches: usize, per_batch: usize, schedule_time_ms: Option<i64>) -> NewCampaign {
    let mut n = 0u64;
    NewCampaign {
        source_name: "contacts.xlsx".into(),
        source_sha256: "cd".repeat(32),
        mapping_json: r#"{"phone":"手机"}"#.into(),
        settings: CampaignSettings {
            dialog_id: DEMO_DIALOG_ID.into(),
            caller_numbers: vec!["057112345678".into()],
            corp_name: Some("测试公司".into()),
            is_self_line: false,
            early_media_asr: false,
            schedule_time_ms,
            task_name: "结果测试".into(),
        },
        profile: "default".into(),
        endpoint: "http://127.0.0.1".into(),
        batches: (0..batches)
            .map(|b| {
                let numbers: Vec<String> = (0..per_batch)
                    .map(|_| {
                        n += 1;
                        format!("1391234{n:04}")
                    })
                    .collect();
                let params: Vec<serde_json::Value> = numbers
                    .iter()
                    .map(|num| serde_json::json!({"number": num, "params": [format!("客户{num}"), format!("批{b}")]}))
                    .collect();
                let called_numbers = CalledNumbers::try_from(numbers).expect("digits");
                let json = serde_json::Value::Array(params).to_string();
                NewBatch {
                    task_name: format!("结果测试-{}", b + 1),
                    tts_param_head: Some(r#"["姓名","批次"]"#.into()),
                    tts_values: Some(TtsValues::from_json(&json, &called_numbers).expect("values")),
                    source_rows: (0..per_batch as u32).map(|r| r + 2 + (b * per_batch) as u32).collect(),
                    called_numbers,
                }
            })
            .collect(),
    }
}

/// The system clock moved by a fixed amount (the journal's idea of "when it was sent").
struct Shifted(i64);

impl WallClock for Shifted {
    fn now_ms(&self) -> i64 {
        SystemClock.now_ms() + self.0
    }
}

async fn setup(
    config: SimulatorConfig,
    batches: usize,
    per_batch: usize,
    schedule: Option<i64>,
) -> Setup {
    setup_with(config, batches, per_batch, schedule, 0).await
}

/// `shift_ms`: the engine and journal run that far from the simulator's clock.
async fn setup_with(
    config: SimulatorConfig,
    batches: usize,
    per_batch: usize,
    schedule: Option<i64>,
    shift_ms: i64,
) -> Setup {
    let seed = config.seed;
    let sim = Simulator::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .expect("simulator");
    let client = Client::new(
        ClientConfig::with_endpoint(sim.endpoint()),
        Credentials::new(DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let now = SystemClock.now_ms() + shift_ms;
    let mut journal = Journal::open(&dir.path().join("journal.sqlite3"), now).unwrap();
    let campaign = journal
        .create_campaign(&new_campaign(batches, per_batch, schedule), false, now)
        .unwrap();
    let journal = Arc::new(Mutex::new(journal));
    let engine = Engine::new(
        journal.clone(),
        Arc::new(client.clone()),
        EngineConfig {
            qps: 50.0,
            ..EngineConfig::default()
        },
    )
    .with_clock(Arc::new(Shifted(shift_ms)));
    engine
        .run(campaign, &ControlHandle::new(), None)
        .await
        .expect("campaign sent");
    Setup {
        sim,
        client,
        journal,
        campaign,
        seed,
        _dir: dir,
    }
}

/// What the simulator decided for every person, counted the way we classify.
fn expected_counts(s: &Setup) -> BTreeMap<CallOutcome, u32> {
    let j = s.journal.lock().unwrap();
    let mut counts = BTreeMap::new();
    for b in j.batches(s.campaign).unwrap() {
        let task = b.task_id.clone().expect("sent");
        for n in &b.called_numbers {
            let o = outcome_for(s.seed, &task, n, chrono::Utc::now(), None);
            *counts
                .entry(classify(Some(&o.status.code.to_string()), None))
                .or_insert(0) += 1;
        }
    }
    counts
}

fn loaded(s: &Setup) -> CampaignResults {
    let j = s.journal.lock().unwrap();
    load_results(&j, s.campaign, SystemClock.now_ms()).unwrap()
}

fn actual_counts(r: &CampaignResults) -> BTreeMap<CallOutcome, u32> {
    r.counts
        .iter()
        .filter(|c| c.count > 0)
        .map(|c| (c.outcome, c.count))
        .collect()
}

async fn refresh(s: &Setup, options: &RefreshOptions) -> RefreshReport {
    refresh_campaign(
        &s.journal,
        &s.client,
        s.campaign,
        options,
        &|_| {},
        &CancelToken::new(),
    )
    .await
    .expect("refresh")
}

fn fast() -> RefreshOptions {
    RefreshOptions {
        qps: 200.0,
        ..RefreshOptions::default()
    }
}

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
    let page = results.clone().into_page(Some(CallOutcome::Answered), 1, 2);
    assert_eq!(page.total as usize, answered.len());
    assert_eq!((page.offset, page.people.as_slice()), (1, &answered[1..3]));
    let everyone = results.clone().into_page(None, 0, usize::MAX);
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
async fn cancelling_keeps_what_was_stored_and_the_rest_stays_pending() {
    let s = setup(SimulatorConfig::demo(), 1, 12, None).await;
    let cancel = CancelToken::new();
    let options = RefreshOptions {
        qps: 20.0,
        concurrency: 1,
        mode: QueryMode::PerCallee,
        ..RefreshOptions::default()
    };
    let report = refresh_campaign(
        &s.journal,
        &s.client,
        s.campaign,
        &options,
        &|p| {
            if p.done >= 3 {
                cancel.cancel();
            }
        },
        &cancel,
    )
    .await
    .unwrap();
    assert!(report.cancelled);
    assert!(report.found >= 3 && report.found < 12, "{report:?}");
    let results = loaded(&s);
    assert_eq!(results.count(CallOutcome::Pending), 12 - report.found);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scheduled_task_is_pending_and_can_be_cancelled_where_the_api_allows() {
    let in_an_hour = SystemClock.now_ms() + 3_600_000;
    let s = setup(SimulatorConfig::demo(), 1, 3, Some(in_an_hour)).await;
    let report = refresh(&s, &fast()).await;
    // Not due yet: nobody is asked about, and nobody has a result.
    assert_eq!((report.checked, report.not_due, report.requests), (0, 3, 0));
    assert_eq!(
        s.sim
            .record()
            .requests_for("QueryCallDetailByTaskId")
            .count(),
        0
    );
    assert_eq!(loaded(&s).pending, 3);
    let task = loaded(&s).people[0].task_id.clone().unwrap();
    let done = control_task(&s.client, TaskControl::CancelScheduled, &task)
        .await
        .unwrap();
    assert!(done.done);
    // Once cancelled it cannot be cancelled again: the API says no and we say why.
    let again = control_task(&s.client, TaskControl::CancelScheduled, &task)
        .await
        .unwrap_err();
    assert_eq!(again.code, "task_control.refused");
    let bad = control_task(&s.client, TaskControl::Stop, "12ab")
        .await
        .unwrap_err();
    assert_eq!(bad.code, "task_control.invalid_task_id");
    assert!(!explain(TaskControl::CancelScheduled).reversible);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn task_control_on_a_task_the_api_does_not_know_is_a_clear_user_error() {
    let mut config = SimulatorConfig::demo();
    config.batch_task_visibility = BatchTaskVisibility::Error;
    let s = setup(config, 1, 2, None).await;
    let task = loaded(&s).people[0].task_id.clone().unwrap();
    let err = control_task(&s.client, TaskControl::Terminate, &task)
        .await
        .unwrap_err();
    assert_eq!(err.code, "task_control.unsupported");
    assert!(err.message.en.contains("BatchRobotSmartCall"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_export_has_a_row_per_person_and_the_counts() {
    let s = setup(SimulatorConfig::demo(), 3, 3, None).await;
    refresh(&s, &fast()).await;
    let results = loaded(&s);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("results.xlsx");
    assert_eq!(write_results(&results, &file).unwrap(), 9);

    let mut book: Xlsx<_> = open_workbook(&file).unwrap();
    let people = book.worksheet_range(PEOPLE_SHEET).unwrap();
    let rows: Vec<Vec<String>> = people
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(rows.len(), 10);
    let head = &rows[0];
    let col = |name: &str| head.iter().position(|h| h.contains(name)).unwrap();
    assert_eq!(head[3..5], ["姓名".to_owned(), "批次".to_owned()]);
    for (row, p) in rows[1..].iter().zip(&results.people) {
        assert_eq!(row[col("Number")], p.number);
        assert_eq!(row[col("TaskId")], p.task_id.clone().unwrap());
        assert_eq!(row[col("Outcome code")], p.outcome.as_str());
        assert_eq!(row[col("结果 Outcome")], p.outcome.label().zh_cn);
        assert_eq!(row[3], format!("客户{}", p.number));
    }
    let summary = book.worksheet_range(SUMMARY_SHEET).unwrap();
    let expected = expected_counts(&s);
    for r in summary.rows().skip(1).take(CallOutcome::ALL.len()) {
        let outcome = CallOutcome::parse(&r[2].to_string()).unwrap();
        let count: f64 = r[3].to_string().parse().unwrap();
        assert_eq!(
            count as u32,
            expected.get(&outcome).copied().unwrap_or(0),
            "{outcome:?}"
        );
    }
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
async fn the_robot_task_apis_describe_batch_tasks_where_they_know_them() {
    let s = setup(SimulatorConfig::demo(), 2, 2, None).await;
    let page = s
        .client
        .query_robot_task_list(1, 10, Some("结果测试-2"), None)
        .await
        .unwrap();
    assert_eq!(page.total, Some(1));
    assert_eq!(page.tasks[0].total_count, Some(2));
    let task = page.tasks[0].id.clone().unwrap();
    let detail = s
        .client
        .query_robot_task_detail(&task)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(detail.task_name.as_deref(), Some("结果测试-2"));
    let people = loaded(&s).people;
    let callee = &people
        .iter()
        .find(|p| p.task_id.as_deref() == Some(&task))
        .unwrap()
        .number;
    let one = s
        .client
        .query_robot_task_call_detail(&task, callee, SystemClock.now_ms())
        .await
        .unwrap()
        .expect("a record");
    assert_eq!(one.called.as_deref(), Some(callee.as_str()));
    assert!(one.call_result.is_some());
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
        .create_campaign(&new_campaign(2, 2, None), false, now)
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
