//! Recall (重呼) from the results view, in demo mode: send a small campaign, refresh its
//! results, call again the people not reached; the simulator's own record proves the recall
//! went to exactly them, with the names they were first sent.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::driver;

/// Twelve people: enough that the demo's outcome mix leaves some not reached.
fn people() -> BTreeMap<String, String> {
    (1..=12)
        .map(|i| (format!("1380000{i:04}"), format!("客户{i}")))
        .collect()
}

fn write_sheet(path: &Path) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "手机号").expect("header");
    ws.write_string(0, 1, "姓名").expect("header");
    for (i, (phone, name)) in people().iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, phone).expect("phone");
        ws.write_string(r, 1, name).expect("name");
    }
    wb.save(path).expect("save sheet");
}

async fn simulator_record(port: u16) -> serde_json::Value {
    let body = reqwest::get(format!("http://127.0.0.1:{port}/__simulator/record"))
        .await
        .expect("simulator record")
        .text()
        .await
        .expect("record body");
    serde_json::from_str(&body).expect("record json")
}

/// The outcomes a recall takes by default (the core's `DEFAULT_OUTCOMES`).
const NOT_REACHED: [&str; 4] = ["noAnswer", "busy", "poweredOff", "unreachable"];

#[tokio::test(flavor = "multi_thread")]
async fn recall_from_the_results_view_calls_exactly_the_people_not_reached() {
    let sheet_dir = tempfile::tempdir().expect("temp dir");
    let sheet = sheet_dir.path().join("回访名单.xlsx");
    write_sheet(&sheet);
    let demo_port = driver::free_port();
    let Some(app) = driver::start_with_env(&[
        ("SMARTDIAL_DEMO", "1".to_owned()),
        ("SMARTDIAL_DEMO_PORT", demo_port.to_string()),
    ])
    .await
    else {
        return;
    };
    app.by_test_id("demo-banner").await;

    // A small campaign, the usual way; its results, refreshed: who was not reached, by the
    // app's own reading of the simulator.
    app.send_and_refresh(&sheet, "十二月回访").await;
    let page = app.run_js("const i = window.__TAURI_INTERNALS__.invoke; return i('list_campaigns').then(c => i('results_page', { id: c[0].id, offset: 0, limit: 100, outcome: null }));",
        vec![],
    )
    .await;
    let results = page["people"].as_array().expect("people");
    assert_eq!(results.len(), 12, "{page}");
    let not_reached: BTreeMap<String, String> = results
        .iter()
        .filter(|p| NOT_REACHED.contains(&p["outcome"].as_str().unwrap_or("")))
        .map(|p| {
            let number = p["number"].as_str().expect("number").to_owned();
            let name = people()[&number].clone();
            (number, name)
        })
        .collect();
    assert!(
        not_reached.len() >= 2,
        "the test needs two people not reached (one goes on the do-not-call list): {page}"
    );

    // One of them asked not to be called again: 加入免打扰 from the results.
    let listed = results
        .iter()
        .find(|p| NOT_REACHED.contains(&p["outcome"].as_str().unwrap_or("")))
        .expect("someone not reached");
    let listed_number = listed["number"].as_str().expect("number").to_owned();
    let row_key = format!("{}:{}", listed["batchIndex"], listed["position"]);
    app.driver
        .find(thirtyfour::By::Css(format!(
            "tr[data-row-key='{row_key}'] .ant-table-selection-column label"
        )))
        .await
        .expect("row checkbox")
        .click()
        .await
        .expect("select the row");
    app.click("results-add-dnc").await;
    app.type_into("results-dnc-reason", "回访时要求不再来电")
        .await;
    app.click("results-dnc-ok").await;
    let list = app.run_js("return window.__TAURI_INTERNALS__.invoke('dnc_list', { search: null, offset: 0, limit: 10 });",
        vec![],
    )
    .await;
    // The dialog closes once Rust answered; poll briefly for the write.
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut list = list;
    while list["total"].as_u64() != Some(1) && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(200)).await;
        list = app.run_js("return window.__TAURI_INTERNALS__.invoke('dnc_list', { search: null, offset: 0, limit: 10 });",
            vec![],
        )
        .await;
    }
    assert_eq!(
        list["entries"][0]["number"].as_str(),
        Some(listed_number.as_str()),
        "{list}"
    );
    assert_eq!(
        list["entries"][0]["source"].as_str(),
        Some("results"),
        "{list}"
    );
    assert_eq!(
        list["entries"][0]["reason"].as_str(),
        Some("回访时要求不再来电"),
        "{list}"
    );
    app.screenshot("9-results-recall").await;

    // 重呼未接通的人: the outcomes are offered with the defaults chosen; the review lists the
    // recall's people; the task is the source's, renamed.
    app.click("results-recall").await;
    app.by_test_id("recall-dialog").await;
    app.screenshot("10-recall-dialog").await;
    app.click("recall-ok").await;
    app.by_test_id("review-recall").await;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let rows = app
            .driver
            .find_all(thirtyfour::By::Css("[data-testid='review-row']"))
            .await
            .map(|r| r.len())
            .unwrap_or(0);
        if rows == not_reached.len() || Instant::now() > deadline {
            assert_eq!(rows, not_reached.len(), "review rows\n{}", app.app_log());
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // The listed person is shown, as 免打扰, and left out.
    let dnc_count = app.text_of("count-doNotCall").await;
    assert!(dnc_count.ends_with('1'), "do-not-call count: {dnc_count:?}");
    app.screenshot("11-recall-review").await;
    app.click("to-settings").await;
    let name = app
        .by_test_id("task-name")
        .await
        .prop("value")
        .await
        .expect("task name")
        .unwrap_or_default();
    assert_eq!(name, "十二月回访 重呼1");
    app.click("to-preview").await;
    app.click("send-button").await;
    app.by_test_id("confirm-text").await;
    app.click("confirm-send").await;
    app.by_test_id("send-finished").await;

    // The simulator got the campaign, then the recall: exactly the people not reached and
    // not listed, each with the name first sent.
    let mut not_reached = not_reached;
    not_reached.remove(&listed_number);
    let record = simulator_record(demo_port).await;
    let calls = record["batchCalls"].as_array().expect("batchCalls");
    assert_eq!(calls.len(), 2, "the campaign, then the recall: {record}");
    let recall = &calls[1];
    let mut numbers: Vec<String> = recall["calledNumbers"]
        .as_array()
        .expect("numbers")
        .iter()
        .filter_map(|n| n.as_str().map(str::to_owned))
        .collect();
    numbers.sort();
    assert_eq!(numbers, not_reached.keys().cloned().collect::<Vec<_>>());
    assert_eq!(recall["ttsParamHead"].as_str(), Some(r#"["姓名"]"#));
    let params: serde_json::Value =
        serde_json::from_str(recall["ttsParam"].as_str().expect("ttsParam")).expect("json");
    for entry in params.as_array().expect("array") {
        let number = entry["number"].as_str().expect("number");
        assert_eq!(
            entry["params"][0].as_str(),
            not_reached.get(number).map(String::as_str),
            "name for {number}"
        );
    }

    // The do-not-call page from the main navigation, and the calling rules in Settings.
    app.click("nav-dnc").await;
    let table = app.text_of("dnc-table").await;
    assert!(table.contains(&listed_number), "{table}");
    assert!(table.contains("外呼结果"), "{table}");
    app.run_js("window.scrollTo(0, 0); return null;", vec![])
        .await;
    app.screenshot("12-do-not-call").await;
    app.click("open-settings").await;
    app.by_test_id("calling-rules").await;
    app.screenshot("13-calling-rules").await;
    app.quit().await;
}
