//! Cancelling a campaign a previous session left paused: the Send page offers Cancel for it
//! (the core's `CampaignActions`), so the command behind the button must cancel it even
//! though no run of it is going in this window.

use smartdial_core::campaign::journal::Journal;
use smartdial_core::campaign::model::{BatchState, CampaignState, NewCampaign};
use smartdial_core::campaign::plan::{BatchPlan, BatchSize, TaskSettings};
use smartdial_core::campaign::submission::Provenance;
use smartdial_core::sheet::contacts::{ContactList, ValidationOptions};
use smartdial_core::simulator::DEMO_DIALOG_ID;

use crate::driver;

fn journal_path(data_dir: &std::path::Path) -> std::path::PathBuf {
    data_dir.join("journal.sqlite3")
}

/// A two-batch campaign paused before anything was sent, as a closed window leaves it.
fn paused_campaign(data_dir: &std::path::Path) -> i64 {
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
        schedule_time_ms: None,
        task_name: "暂停的回访".into(),
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
    let mut journal = Journal::open(&journal_path(data_dir), now).expect("journal");
    let id = journal.create_campaign(&new, None, now).expect("campaign");
    journal
        .set_campaign_state(id, CampaignState::Paused, None, now)
        .expect("paused");
    id
}

#[tokio::test(flavor = "multi_thread")]
async fn a_campaign_paused_in_an_earlier_session_can_be_cancelled() {
    let data = tempfile::tempdir().expect("data dir");
    let id = paused_campaign(data.path());
    let Some(app) = driver::start_with_env(&[
        ("SMARTDIAL_DEMO", "1".to_owned()),
        ("SMARTDIAL_DEMO_PORT", driver::free_port().to_string()),
        ("SMARTDIAL_DATA_DIR", data.path().display().to_string()),
    ])
    .await
    else {
        return;
    };
    // What the Send page's Cancel button calls once the marketer confirms.
    app.by_test_id("wizard-steps").await;
    app.driver
        .execute(
            "return window.__TAURI_INTERNALS__.invoke('cancel_campaign', { id: arguments[0] });",
            vec![serde_json::json!(id)],
        )
        .await
        .expect("cancel_campaign is accepted for a paused campaign with no run");
    app.quit().await;
    let journal = Journal::open(
        &journal_path(data.path()),
        chrono::Utc::now().timestamp_millis(),
    )
    .expect("journal");
    assert_eq!(
        journal.campaign(id).expect("campaign").state,
        CampaignState::Cancelled
    );
    let batches = journal.batches(id).expect("batches");
    assert!(
        batches.iter().all(|b| b.state == BatchState::Cancelled),
        "{batches:?}"
    );
}
