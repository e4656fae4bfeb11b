//! Controlling tasks and exporting results.

use super::*;

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
