//! Archiving recordings against the simulator: byte-identical copies, nothing fetched
//! twice, a run resumed after a crash, expired links renewed through the query API.

use super::*;
use crate::results::archive::{archive_recordings, archived, ArchiveOptions};
use crate::results::refresh::Refresher;
use crate::simulator::recording_wav;
use sha2::{Digest, Sha256};

fn answered_config() -> SimulatorConfig {
    SimulatorConfig {
        results_after_call_end: false,
        ..SimulatorConfig::with_faults(FaultPlan::default())
    }
}

fn per_callee() -> RefreshOptions {
    RefreshOptions {
        mode: QueryMode::PerCallee,
        ..fast()
    }
}

fn archive_options(dir: &std::path::Path) -> ArchiveOptions {
    ArchiveOptions {
        data_dir: dir.to_path_buf(),
        per_second: 50.0,
    }
}

/// The served file name in a recording link (`…/recordings/<file>?Expires=…`).
fn served_name(url: &str) -> String {
    url.split('?')
        .next()
        .and_then(|p| p.rsplit('/').next())
        .expect("file")
        .to_owned()
}

fn answered(s: &Setup) -> Vec<PersonResult> {
    loaded(s)
        .people
        .into_iter()
        .filter(|p| p.outcome == CallOutcome::Answered)
        .collect()
}

#[tokio::test]
async fn recordings_are_copied_byte_for_byte_once_and_a_broken_run_resumes() {
    let s = setup(answered_config(), 2, 10, None).await;
    refresh(&s, &per_callee()).await;
    let people = answered(&s);
    assert!(
        people.len() >= 3,
        "the seed answers some calls: {}",
        people.len()
    );
    let data = tempfile::tempdir().expect("data dir");
    let refresher = Refresher::new(s.client.clone(), per_callee());
    let http = reqwest::Client::new();
    let report = archive_recordings(
        &s.journal,
        &refresher,
        &http,
        s.campaign,
        &archive_options(data.path()),
    )
    .await
    .expect("archive");
    assert_eq!(report.archived as usize, people.len(), "{report:?}");
    assert!(report.failed.is_empty(), "{report:?}");
    assert_eq!(report.renewed, 0, "the links were fresh");
    for p in &people {
        let saved = {
            let j = s.journal.lock().unwrap();
            archived(j.conn(), s.campaign, p.batch_index, p.position)
                .unwrap()
                .expect("archived")
        };
        let bytes = std::fs::read(data.path().join(&saved.path)).expect("file");
        let expected = recording_wav(&served_name(p.record_url.as_deref().expect("link")));
        assert_eq!(bytes, expected, "{}", saved.path);
        assert_eq!(saved.bytes as usize, bytes.len());
        let hex: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(saved.sha256, hex);
        assert!(saved
            .path
            .starts_with(&format!("recordings/{}/{}-", s.campaign, p.number)));
    }
    let served = s.sim.record().recordings_served.len();
    assert_eq!(served, people.len());

    // Again: nothing is fetched twice.
    let again = archive_recordings(
        &s.journal,
        &refresher,
        &http,
        s.campaign,
        &archive_options(data.path()),
    )
    .await
    .expect("archive again");
    assert_eq!((again.archived, again.already), (0, people.len() as u32));
    assert_eq!(s.sim.record().recordings_served.len(), served);

    // A run that died mid-file left a `.part` and no journal row: the next run redoes it.
    let first = &people[0];
    let path = {
        let j = s.journal.lock().unwrap();
        let saved = archived(j.conn(), s.campaign, first.batch_index, first.position)
            .unwrap()
            .expect("archived");
        j.conn()
            .execute(
                "DELETE FROM recordings WHERE campaign_id = ?1 AND batch_idx = ?2 AND position = ?3",
                rusqlite::params![s.campaign, first.batch_index, first.position],
            )
            .unwrap();
        data.path().join(saved.path)
    };
    std::fs::remove_file(&path).unwrap();
    std::fs::write(path.with_extension("part"), b"half a fi").unwrap();
    let resumed = archive_recordings(
        &s.journal,
        &refresher,
        &http,
        s.campaign,
        &archive_options(data.path()),
    )
    .await
    .expect("resume");
    assert_eq!(resumed.archived, 1);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        recording_wav(&served_name(first.record_url.as_deref().unwrap()))
    );
    assert!(!path.with_extension("part").exists());
}

#[tokio::test]
async fn expired_links_are_asked_for_again_before_downloading() {
    let s = setup(answered_config(), 1, 10, None).await;
    refresh(&s, &per_callee()).await;
    let people = answered(&s);
    assert!(!people.is_empty());
    // Two days later by the archiver's clock, every stored link has expired.
    let later = Refresher::new(s.client.clone(), per_callee())
        .with_clock(Arc::new(Shifted(49 * 3_600_000)));
    let data = tempfile::tempdir().expect("data dir");
    let report = archive_recordings(
        &s.journal,
        &later,
        &reqwest::Client::new(),
        s.campaign,
        &archive_options(data.path()),
    )
    .await
    .expect("archive");
    assert_eq!(report.renewed as usize, people.len(), "{report:?}");
    assert_eq!(report.archived as usize, people.len(), "{report:?}");
    assert_eq!(s.sim.record().recordings_served.len(), people.len());
}

#[tokio::test]
async fn results_and_the_report_carry_the_conversation_and_the_local_recording() {
    use calamine::{open_workbook_auto, Data, Reader};
    let s = setup(answered_config(), 1, 10, None).await;
    refresh(&s, &per_callee()).await;
    let data = tempfile::tempdir().expect("data dir");
    let refresher = Refresher::new(s.client.clone(), per_callee());
    archive_recordings(
        &s.journal,
        &refresher,
        &reqwest::Client::new(),
        s.campaign,
        &archive_options(data.path()),
    )
    .await
    .expect("archive");
    let results = loaded(&s);
    let person = results
        .people
        .iter()
        .find(|p| p.outcome == CallOutcome::Answered)
        .expect("someone answered");
    assert!(!person.transcript.is_empty(), "{person:?}");
    assert_eq!(
        person.transcript[0].speaker,
        crate::results::model::Speaker::Robot
    );
    let path = person.recording_path.clone().expect("archived");
    assert!(data.path().join(&path).is_file());
    let out = data.path().join("report.xlsx");
    crate::results::export::write_results(&results, &out, Lang::ZhCn).expect("export");
    let mut wb = open_workbook_auto(&out).expect("read back");
    let sheet = wb.worksheet_range_at(0).expect("sheet").expect("range");
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect();
    let talk = rows[0]
        .iter()
        .position(|h| h == "通话内容")
        .expect("column");
    let file = rows[0]
        .iter()
        .position(|h| h == "本地录音文件")
        .expect("column");
    let row = rows
        .iter()
        .find(|r| r.contains(&person.number))
        .expect("the person's row");
    assert!(row[talk].starts_with("机器人"), "{}", row[talk]);
    assert_eq!(row[file], path);
}

#[test]
fn a_conversation_is_read_as_an_array_or_as_json_text() {
    use crate::results::model::{transcript, Speaker};
    let array = serde_json::json!({"dialogDetail": [
        {"role": "robot", "content": "您好", "time": "2026-12-07 10:00:01"},
        {"role": "user", "content": "哪位", "time": "2026-12-07 10:00:03"}
    ]});
    let turns = transcript(&array);
    assert_eq!(turns.len(), 2);
    assert_eq!(
        (turns[0].speaker, turns[1].speaker),
        (Speaker::Robot, Speaker::Customer)
    );
    let text = serde_json::json!({"dialogDetail":
        r#"[{"role":"客户","content":"不需要","speakTime":"2026-12-07 10:00:05"}]"#});
    let turns = transcript(&text);
    assert_eq!(turns[0].speaker, Speaker::Customer);
    assert_eq!(turns[0].time.as_deref(), Some("2026-12-07 10:00:05"));
    assert_eq!(
        crate::results::model::transcript_text(&turns, Lang::ZhCn),
        "客户 10:00:05：不需要"
    );
    assert!(transcript(&serde_json::json!({"dialogDetail": "not json"})).is_empty());
}

#[test]
fn only_the_host_of_a_link_is_logged() {
    assert_eq!(
        crate::results::archive::host_of(
            "https://oss.example.com/rec/1.wav?Expires=1&OSSAccessKeyId=K&Signature=S"
        ),
        "oss.example.com"
    );
    assert_eq!(crate::results::archive::host_of("not a link"), "?");
}
