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

/// Archives every answered recording of `s` into `data`; how many. Progress counts up to
/// the recordings the run started with.
async fn archive_all(s: &Setup, data: &std::path::Path) -> u32 {
    let refresher = Refresher::new(s.client.clone(), per_callee());
    let seen = Mutex::new(Vec::new());
    let report = crate::results::archive::archive_recordings_with_progress(
        &s.journal,
        &refresher,
        &reqwest::Client::new(),
        s.campaign,
        &archive_options(data),
        &|done, total| seen.lock().unwrap().push((done, total)),
    )
    .await
    .expect("archive");
    assert!(report.failed.is_empty(), "{report:?}");
    let seen = seen.into_inner().unwrap();
    let tried = seen.len() as u32;
    assert_eq!(
        seen,
        (1..=tried).map(|d| (d, tried)).collect::<Vec<_>>(),
        "one step per recording tried"
    );
    assert_eq!(tried, report.archived, "{report:?}");
    report.archived
}

#[tokio::test]
async fn retention_deletes_only_old_copies_and_they_are_never_fetched_again() {
    use crate::results::retention::{apply_retention, usage};
    let s = setup(answered_config(), 1, 10, None).await;
    refresh(&s, &per_callee()).await;
    let data = tempfile::tempdir().expect("data dir");
    let saved = archive_all(&s, data.path()).await;
    assert!(saved >= 2, "{saved}");
    let people = answered(&s);
    let files: Vec<_> = people
        .iter()
        .map(|p| {
            data.path()
                .join(p.recording_path.as_deref().expect("archived"))
        })
        .collect();
    let on_disk: u64 = files
        .iter()
        .map(|f| std::fs::metadata(f).expect("file").len())
        .sum();
    let now = SystemClock.now_ms();
    {
        let j = s.journal.lock().unwrap();
        let all = usage(&j, None).unwrap();
        assert_eq!((all.files, all.bytes), (saved, on_disk));
        assert_eq!(usage(&j, Some(s.campaign)).unwrap(), all);
        assert_eq!(usage(&j, Some(s.campaign + 1)).unwrap().files, 0);
        // Keep forever (the default) and a retention not reached yet delete nothing.
        let kept = apply_retention(&j, data.path(), None, now + 400 * 86_400_000).unwrap();
        assert_eq!(kept.files, 0);
        let kept = apply_retention(&j, data.path(), Some(30), now + 29 * 86_400_000).unwrap();
        assert_eq!(kept.files, 0);
    }
    assert!(files.iter().all(|f| f.is_file()));
    let gone = {
        let j = s.journal.lock().unwrap();
        apply_retention(&j, data.path(), Some(30), now + 31 * 86_400_000).unwrap()
    };
    assert_eq!((gone.files, gone.bytes, gone.failed), (saved, on_disk, 0));
    assert!(files.iter().all(|f| !f.exists()), "the files are deleted");
    assert!(answered(&s).iter().all(|p| p.recording_path.is_none()));
    assert_eq!(usage(&s.journal.lock().unwrap(), None).unwrap().files, 0);
    // A deleted recording is a decision, not a gap: the next refresh does not fetch it again.
    let served = s.sim.record().recordings_served.len();
    assert_eq!(archive_all(&s, data.path()).await, 0);
    assert_eq!(s.sim.record().recordings_served.len(), served);
}

#[tokio::test]
async fn a_campaigns_recordings_are_deleted_with_its_folder() {
    use crate::results::retention::{delete_campaign_recordings, usage};
    let s = setup(answered_config(), 1, 10, None).await;
    refresh(&s, &per_callee()).await;
    let data = tempfile::tempdir().expect("data dir");
    let saved = archive_all(&s, data.path()).await;
    let folder = data.path().join("recordings").join(s.campaign.to_string());
    assert!(folder.is_dir());
    let done = {
        let j = s.journal.lock().unwrap();
        delete_campaign_recordings(&j, data.path(), s.campaign, SystemClock.now_ms()).unwrap()
    };
    assert_eq!((done.files, done.failed), (saved, 0));
    assert!(!folder.exists(), "the campaign's folder is gone");
    assert_eq!(usage(&s.journal.lock().unwrap(), None).unwrap().files, 0);
}

#[tokio::test]
async fn the_reminder_lists_unsaved_recordings_whose_links_expire_within_six_hours() {
    use crate::results::retention::{expiring_unarchived, REMIND_WITHIN_MS};
    let s = setup(answered_config(), 1, 10, None).await;
    refresh(&s, &per_callee()).await;
    let people = answered(&s);
    assert!(people.len() >= 2);
    let first_expiry = people
        .iter()
        .filter_map(|p| p.record_expires_at_ms)
        .min()
        .expect("links");
    let expiring = |at: i64| {
        let j = s.journal.lock().unwrap();
        expiring_unarchived(&j, at, REMIND_WITHIN_MS).unwrap()
    };
    // Fresh links (48 hours) are no reason to worry yet.
    assert!(expiring(SystemClock.now_ms()).is_empty());
    // Five hours before they expire, the campaign is listed with every unsaved recording.
    let soon = first_expiry - 5 * 3_600_000;
    let listed = expiring(soon);
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0].campaign_id, s.campaign);
    assert_eq!(listed[0].task_name, "结果测试");
    assert_eq!(listed[0].count as usize, people.len());
    assert_eq!(listed[0].first_expiry_ms, first_expiry);
    // Expired links are past reminding.
    let latest = people
        .iter()
        .filter_map(|p| p.record_expires_at_ms)
        .max()
        .unwrap();
    assert!(expiring(latest).is_empty());
    // Once saved, nothing is listed.
    let data = tempfile::tempdir().expect("data dir");
    archive_all(&s, data.path()).await;
    assert!(expiring(soon).is_empty());
}

#[tokio::test]
async fn the_people_search_finds_what_was_said_on_the_call() {
    let s = setup(answered_config(), 1, 10, None).await;
    refresh(&s, &per_callee()).await;
    let results = loaded(&s);
    let person = results
        .people
        .iter()
        .find(|p| p.transcript.len() > 1)
        .expect("a conversation")
        .clone();
    // A word the customer said, upper-cased where it has case: the search ignores case.
    let said = person
        .transcript
        .iter()
        .rev()
        .map(|t| t.content.clone())
        .next()
        .unwrap();
    let word: String = said.chars().take(4).collect::<String>().to_uppercase();
    let page = results.clone().into_page(None, Some(&word), 0, 1000);
    assert!(
        page.people.iter().any(|p| p.number == person.number),
        "{word} finds {}",
        person.number
    );
    assert!(page.people.iter().all(|p| p
        .transcript
        .iter()
        .any(|t| t.content.to_uppercase().contains(&word))
        || p.variables
            .iter()
            .any(|v| v.value.to_uppercase().contains(&word))
        || p.tags.iter().any(|t| t.to_uppercase().contains(&word))
        || p.number.contains(&word)));
    let by_number = results.clone().into_page(None, Some(&person.number), 0, 10);
    assert_eq!(by_number.total, 1);
    let both = results
        .clone()
        .into_page(None, Some(&format!("{} {word}", person.number)), 0, 10);
    assert_eq!(both.total, 1, "every word must match");
    let none = results.into_page(None, Some("没有人说过这句话"), 0, 10);
    assert_eq!(none.total, 0);
}
