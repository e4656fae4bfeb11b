//! A scheduled campaign whose time passed while it was paused: resuming it in the window asks
//! what to do with the batches not sent yet, and sends them only as chosen.

use smartdial_core::campaign::journal::Journal;
use smartdial_core::campaign::model::{CampaignState, NewCampaign};
use smartdial_core::campaign::plan::{BatchPlan, BatchSize, TaskSettings};
use smartdial_core::campaign::resume::schedule_passed_reason;
use smartdial_core::campaign::submission::Provenance;
use smartdial_core::sheet::contacts::{ContactList, ValidationOptions};
use smartdial_core::simulator::DEMO_DIALOG_ID;

use crate::driver;

/// Journals a paused two-batch campaign scheduled an hour ago, as a campaign left paused
/// yesterday would be.
fn paused_campaign_whose_schedule_passed(data_dir: &std::path::Path) -> i64 {
    let now = chrono::Utc::now().timestamp_millis();
    let contacts = ContactList::from_rows(
        &["姓名"],
        [vec!["13800138001", "张三"], vec!["13800138002", "李四"]],
        ValidationOptions::default(),
    )
    .expect("contacts");
    let settings = TaskSettings {
        dialog_id: DEMO_DIALOG_ID.into(),
        caller_numbers: vec!["057112345678".into()],
        corp_name: Some("演示公司".into()),
        is_self_line: false,
        early_media_asr: false,
        schedule_time_ms: Some(now + 3_600_000),
        task_name: "预约回访".into(),
    };
    let plan =
        BatchPlan::build(&contacts, &settings, BatchSize::new(1).expect("size")).expect("plan");
    let new = NewCampaign::from_plan(
        plan,
        Provenance {
            source_name: "名单.xlsx".into(),
            source_sha256: "00".repeat(32),
            mapping_json: "{}".into(),
            profile: "demo".into(),
            endpoint: "http://127.0.0.1:1".into(),
        },
    );
    let mut journal = Journal::open(&data_dir.join("journal.sqlite3"), now).expect("journal");
    let id = journal.create_campaign(&new, None, now).expect("campaign");
    let passed = now - 3_600_000;
    journal
        .reschedule(id, Some(passed), now)
        .expect("reschedule");
    journal
        .set_campaign_state(
            id,
            CampaignState::Paused,
            Some(&schedule_passed_reason(passed)),
            now,
        )
        .expect("paused");
    id
}

#[tokio::test(flavor = "multi_thread")]
async fn resuming_after_the_schedule_passed_asks_and_sends_only_as_chosen() {
    let data = tempfile::tempdir().expect("data dir");
    paused_campaign_whose_schedule_passed(data.path());
    let demo_port = driver::free_port();
    let Some(app) = driver::start_with_env(&[
        ("SMARTDIAL_DEMO", "1".to_owned()),
        ("SMARTDIAL_DEMO_PORT", demo_port.to_string()),
        ("SMARTDIAL_DATA_DIR", data.path().display().to_string()),
    ])
    .await
    else {
        return;
    };
    // The window offers to continue the unfinished campaign; continuing asks first.
    app.click("resume-offer").await;
    let question = app.text_of("resume-schedule-passed").await;
    assert!(question.contains("北京时间"), "{question}");
    assert!(question.contains("2 批（2 人）"), "{question}");
    let record_url = format!("http://127.0.0.1:{demo_port}/__simulator/record");
    let record = || async {
        let body = reqwest::get(&record_url)
            .await
            .expect("record")
            .text()
            .await
            .expect("body");
        serde_json::from_str::<serde_json::Value>(&body).expect("record json")
    };
    assert_eq!(
        record().await["batchCalls"].as_array().map(Vec::len),
        Some(0)
    );
    app.screenshot("9-resume-choice").await;
    // "Call them now" is the default.
    app.click("resume-choice-ok").await;
    app.by_test_id("send-finished").await;
    let calls = record().await["batchCalls"]
        .as_array()
        .cloned()
        .expect("calls");
    assert_eq!(calls.len(), 2, "each batch once: {calls:?}");
    for call in &calls {
        assert_ne!(call["scheduleCall"].as_str(), Some("true"), "{call}");
    }
    app.quit().await;
}
