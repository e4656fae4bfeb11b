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

fn sheet_rows(book: &mut Xlsx<std::io::BufReader<std::fs::File>>, name: &str) -> Vec<Vec<String>> {
    book.worksheet_range(name)
        .unwrap()
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_export_speaks_the_marketers_language_with_codes_on_a_last_sheet() {
    let s = setup(SimulatorConfig::demo(), 3, 3, None).await;
    refresh(&s, &fast()).await;
    let results = loaded(&s);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("results.xlsx");
    let berlin = Here::Fixed(chrono::FixedOffset::east_opt(3600).unwrap());
    assert_eq!(
        write_results_with(&results, &file, Lang::ZhCn, berlin).unwrap(),
        9
    );

    let mut book: Xlsx<_> = open_workbook(&file).unwrap();
    assert_eq!(book.sheet_names(), ["通话结果", "汇总", "代码明细"]);
    let rows = sheet_rows(&mut book, "通话结果");
    assert_eq!(rows.len(), 10);
    let head = &rows[0];
    assert_eq!(head[..5], ["表格行", "号码", "批次", "姓名", "批次"]);
    // Headers in one language: no Latin letters but the sheet's own variable names.
    for h in &head[5..] {
        assert!(!h.chars().any(|c| c.is_ascii_alphabetic()), "{h}");
    }
    let col = |name: &str| head.iter().rposition(|h| h == name).unwrap();
    let called = results
        .people
        .iter()
        .filter(|p| p.call_time.is_some())
        .count();
    assert!(called > 0, "the simulator answered some calls");
    for (row, p) in rows[1..].iter().zip(&results.people) {
        assert_eq!(row[col("号码")], p.number);
        assert_eq!(row[col("结果")], p.outcome.label().zh_cn);
        assert_eq!(row[3], format!("客户{}", p.number));
        // No codes in the main sheet.
        for code in [
            Some(p.outcome.as_str()),
            p.task_id.as_deref(),
            p.status_code.as_deref(),
        ]
        .into_iter()
        .flatten()
        {
            assert!(!row.iter().any(|cell| cell == code), "{code} in {row:?}");
        }
        // One clock: China time named, this computer's beside it.
        if let Some(t) = &p.call_time {
            // The instant is there for the window to show on the same clock.
            let ms = p.call_time_ms.expect("a call time reads as a time");
            assert_eq!(berlin.describe(ms), berlin.describe_api(t));
            assert_eq!(row[col("通话时间")], berlin.describe_api(t).zh_cn);
            assert!(row[col("通话时间")].contains(" 北京时间（本机时间 "));
        }
        assert!(row[col("最近查询时间")].contains(" 北京时间（本机时间 "));
        if p.hangup_raw.is_some() {
            assert_eq!(row[col("挂断方")], p.hangup.label().zh_cn);
        }
    }

    let summary = sheet_rows(&mut book, "汇总");
    assert_eq!(summary[0], ["结果", "人数", "占比"]);
    let expected = expected_counts(&s);
    for (r, outcome) in summary[1..].iter().zip(CallOutcome::ALL) {
        assert_eq!(r[0], outcome.label().zh_cn);
        let count: f64 = r[1].parse().unwrap();
        assert_eq!(
            count as u32,
            expected.get(&outcome).copied().unwrap_or(0),
            "{outcome:?}"
        );
    }
    let fact = |name: &str| {
        summary
            .iter()
            .find(|r| r[0] == name)
            .map(|r| r[1].clone())
            .unwrap_or_else(|| panic!("no {name} in {summary:?}"))
    };
    assert!(fact("创建时间").contains(" 北京时间（本机时间 "));
    assert!(fact("代码").contains("“代码明细”"));

    let codes = sheet_rows(&mut book, "代码明细");
    assert_eq!(
        codes[0],
        [
            "表格行",
            "号码",
            "批次",
            "任务ID",
            "结果代码",
            "状态码",
            "状态描述（阿里云原文）",
            "挂断方原始值",
            "通话ID"
        ]
    );
    for (row, p) in codes[1..].iter().zip(&results.people) {
        assert_eq!(row[1], p.number);
        assert_eq!(row[3], p.task_id.clone().unwrap());
        assert_eq!(row[4], p.outcome.as_str());
        assert_eq!(row[5], p.status_code.clone().unwrap_or_default());
        assert_eq!(row[7], p.hangup_raw.clone().unwrap_or_default());
    }

    // The English report is all English.
    let file = dir.path().join("results-en.xlsx");
    write_results_with(&results, &file, Lang::En, berlin).unwrap();
    let mut book: Xlsx<_> = open_workbook(&file).unwrap();
    assert_eq!(book.sheet_names(), ["Results", "Summary", "Codes"]);
    let rows = sheet_rows(&mut book, "Results");
    assert_eq!(rows[0][..3], ["Sheet row", "Number", "Batch"]);
    let head = &rows[0];
    let outcome = head.iter().position(|h| h == "Outcome").unwrap();
    let call_time = head.iter().position(|h| h == "Call time").unwrap();
    for (row, p) in rows[1..].iter().zip(&results.people) {
        assert_eq!(row[outcome], p.outcome.label().en);
        if p.call_time.is_some() {
            assert!(
                row[call_time].contains(" China time ("),
                "{}",
                row[call_time]
            );
        }
    }
    for h in &head[5..] {
        assert!(
            !h.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{h}"
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
