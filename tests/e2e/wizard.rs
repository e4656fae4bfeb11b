//! The whole marketer's path in the real app: demo mode → import a messy sheet → map a
//! variable → review → task settings → confirm → send → history, then the simulator's own
//! record proves the right people and values arrived exactly once.

use std::collections::BTreeMap;
use std::path::Path;

use crate::driver::{self, AppSession};

/// A sheet as marketers have them: a title row, a float phone, +86, full-width digits,
/// spaces and dashes, a duplicate, a bad number.
fn write_messy_sheet(path: &Path) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "十一月回访名单").expect("title");
    ws.write_string(1, 0, "手机号").expect("header");
    ws.write_string(1, 1, "姓名").expect("header");
    let rows: [(&str, &str); 6] = [
        ("13800138000", "张三"),
        ("+86 139-0013-9000", "李四"),
        ("１３７００１３７０００", "王五"),
        ("138 0013 8000", "张三重复"),
        ("12345", "错号"),
        ("15000150000", "赵六"),
    ];
    for (i, (phone, name)) in rows.iter().enumerate() {
        let r = i as u32 + 2;
        ws.write_string(r, 0, *phone).expect("phone");
        ws.write_string(r, 1, *name).expect("name");
    }
    // A number stored as a float, the way Excel keeps typed-in numbers.
    ws.write_number(8, 0, 18600186000.0).expect("float phone");
    ws.write_string(8, 1, "钱七").expect("name");
    wb.save(path).expect("save sheet");
}

/// The people the sheet should call, with the name each must hear.
fn expected_people() -> BTreeMap<&'static str, &'static str> {
    BTreeMap::from([
        ("13800138000", "张三"),
        ("13900139000", "李四"),
        ("13700137000", "王五"),
        ("15000150000", "赵六"),
        ("18600186000", "钱七"),
    ])
}

/// Clicks an element, waiting out a dialog or message that still covers it while it fades.
/// The last whole number in a text ("有效\n5" → 5): statistics show a title above the value.
fn last_number(text: &str) -> Option<u32> {
    text.split(|c: char| !c.is_ascii_digit())
        .rfind(|part| !part.is_empty())
        .and_then(|n| n.parse().ok())
}

async fn number_of(app: &AppSession, id: &str) -> u32 {
    let text = app.text_of(id).await;
    last_number(&text).unwrap_or_else(|| panic!("no number in [{id}]: {text:?}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn demo_campaign_from_a_messy_sheet_reaches_the_simulator_exactly_once() {
    let sheet_dir = tempfile::tempdir().expect("temp dir");
    let sheet = sheet_dir.path().join("十一月名单.xlsx");
    write_messy_sheet(&sheet);
    let demo_port = driver::free_port();
    let Some(app) = driver::start_with_env(&[
        ("SMARTDIAL_DEMO", "1".to_owned()),
        ("SMARTDIAL_DEMO_PORT", demo_port.to_string()),
        // A computer outside China: every time shown is China time, the local one beside it.
        ("TZ", "Europe/Berlin".to_owned()),
    ])
    .await
    else {
        return;
    };

    // Demo mode is on and says so.
    app.by_test_id("demo-banner").await;
    app.screenshot("1-import").await;

    // Import.
    app.type_into("import-path", &sheet.display().to_string())
        .await;
    app.click("import-open").await;
    app.by_test_id("import-preview").await;
    app.screenshot("1-import-preview").await;
    app.click("to-map").await;

    // Map: the phone column is found by its header; the variable by its name.
    app.type_into("variable-name", "姓名").await;
    app.click("variable-add").await;
    app.by_test_id("variable-column-姓名").await;
    app.screenshot("2-map").await;
    app.click("apply-mapping").await;

    // Review: 5 callable (valid as written or cleaned), 1 invalid, 1 duplicate.
    let valid = number_of(&app, "count-valid").await;
    let fixed = number_of(&app, "count-fixed").await;
    assert_eq!(valid + fixed, 5, "valid {valid} + fixed {fixed}");
    assert_eq!(number_of(&app, "count-invalid").await, 1);
    assert_eq!(number_of(&app, "count-duplicates").await, 1);
    app.screenshot("3-review").await;
    let problems = crate::words::layout_problems(&app).await;
    assert!(problems.is_empty(), "review at 1280x800: {problems:?}");
    app.click("exclude-blocking").await;
    app.click("confirm-exclude-all").await;
    // The invalid row is now left out on purpose; the duplicate was never going to be called.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while number_of(&app, "count-excluded").await != 1 && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert_eq!(number_of(&app, "count-excluded").await, 1);
    app.click("to-settings").await;

    // Task settings (the demo prefills its robot).
    app.type_into("task-callers", "057112345678\n").await;
    app.type_into("task-corp-name", "演示公司").await;
    app.type_into("task-name", "十一月回访").await;
    app.screenshot("4-settings").await;
    app.click("to-preview").await;

    // Preview and confirm.
    assert_eq!(number_of(&app, "preview-people").await, 5);
    assert_eq!(number_of(&app, "preview-batches").await, 1);
    app.screenshot("5-preview").await;
    let problems = crate::words::layout_problems(&app).await;
    assert!(problems.is_empty(), "preview at 1280x800: {problems:?}");
    app.click("send-button").await;
    app.by_test_id("confirm-text").await;
    app.click("confirm-send").await;
    app.by_test_id("send-finished").await;
    let state = app.text_of("send-state").await;
    assert!(
        state.contains("finished") || state.contains("完成"),
        "send state: {state}"
    );
    let sent_task_id = app.text_of("batch-task-id").await;
    // One clock (issue 15): the campaign's time is China time with the zone named, and
    // this computer's (Berlin) time beside it.
    let created = app.text_of("send-created").await;
    assert!(
        created.contains("北京时间") && created.contains("本机时间"),
        "send step time: {created}"
    );
    app.screenshot("6-send").await;
    let problems = crate::words::layout_problems(&app).await;
    assert!(problems.is_empty(), "send at 1280x800: {problems:?}");

    // History lists the campaign with the TaskId the simulator returned.
    app.click("to-history").await;
    // Results: one refresh asks the query APIs about everyone; the table then lists each
    // person with an outcome.
    let listed = app.text_of("history-created").await;
    assert!(
        listed.contains("北京时间") && listed.contains("本机时间"),
        "history time: {listed}"
    );
    // At the default window size every action is in view, without sideways scrolling.
    app.by_test_id("history-results").await;
    let overflow = app
        .driver
        .execute(
            r#"const w = document.documentElement.clientWidth;
               const out = [...document.querySelectorAll("[data-testid^='history-']")]
                 .filter(e => e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().right > w)
                 .map(e => e.dataset.testid);
               const wide = [...document.querySelectorAll(".ant-table-content, .ant-table-body")]
                 .filter(e => e.scrollWidth > e.clientWidth + 1).length;
               return JSON.stringify({ w, out, wide, page: document.documentElement.scrollWidth });"#,
            vec![],
        )
        .await
        .expect("measure history")
        .json()
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let m: serde_json::Value = serde_json::from_str(&overflow).expect("measure json");
    assert_eq!(m["out"], serde_json::json!([]), "clipped at the right: {m}");
    assert_eq!(m["wide"], 0, "history table scrolls sideways: {m}");
    assert!(
        m["page"].as_i64() <= m["w"].as_i64(),
        "page scrolls sideways: {m}"
    );
    app.click("history-results").await;
    app.by_test_id("results-view").await;
    app.click("results-refresh").await;
    app.by_test_id("results-refresh-report").await;
    let table = app.text_of("results-table").await;
    for number in expected_people().keys() {
        assert!(
            table.contains(number),
            "{number} missing from results: {table}"
        );
    }
    app.screenshot("7-results").await;

    // The report a marketer hands on: written by the app (the native save dialog itself
    // cannot be driven by WebDriver, so the path goes straight to the same command).
    let report = sheet_dir.path().join("report.xlsx");
    app.driver
        .execute(
            "const i = window.__TAURI_INTERNALS__.invoke; return i('list_campaigns').then(c => i('export_results', { id: c[0].id, path: arguments[0] }));",
            vec![serde_json::json!(report.display().to_string())],
        )
        .await
        .expect("export results");
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(&report).expect("open report");
    let people = calamine::Reader::worksheet_range_at(&mut workbook, 0)
        .expect("people sheet")
        .expect("readable sheet");
    let exported: Vec<String> = people
        .rows()
        .skip(1)
        .filter_map(|row| {
            row.iter()
                .map(|c| c.to_string())
                .find(|c| expected_people().contains_key(c.as_str()))
        })
        .collect();
    assert_eq!(exported.len(), 5, "people in the report: {exported:?}");

    app.click("history-open").await;
    let task_id = app.text_of("batch-task-id").await;
    assert_eq!(task_id.trim(), sent_task_id.trim());
    app.screenshot("8-campaign").await;

    // The simulator's own record: every person once, with the right name, under that TaskId.
    let body = reqwest::get(format!("http://127.0.0.1:{demo_port}/__simulator/record"))
        .await
        .expect("simulator record")
        .text()
        .await
        .expect("record body");
    let record: serde_json::Value = serde_json::from_str(&body).expect("record json");
    let calls = record["batchCalls"].as_array().expect("batchCalls");
    assert_eq!(calls.len(), 1, "exactly one BatchRobotSmartCall: {record}");
    let call = &calls[0];
    assert_eq!(call["result"]["taskId"].as_str(), Some(task_id.trim()));
    let mut numbers: Vec<String> = call["calledNumbers"]
        .as_array()
        .expect("numbers")
        .iter()
        .filter_map(|n| n.as_str().map(str::to_owned))
        .collect();
    numbers.sort();
    let expected = expected_people();
    assert_eq!(
        numbers,
        expected.keys().map(|k| k.to_string()).collect::<Vec<_>>()
    );
    assert_eq!(call["ttsParamHead"].as_str(), Some(r#"["姓名"]"#));
    let params: serde_json::Value =
        serde_json::from_str(call["ttsParam"].as_str().expect("ttsParam")).expect("json");
    for entry in params.as_array().expect("array") {
        let number = entry["number"].as_str().expect("number");
        assert_eq!(
            entry["params"][0].as_str(),
            expected.get(number).copied(),
            "name for {number}"
        );
    }
    app.quit().await;
}
