//! Journal tests on real SQLite files in temporary folders.

use crate::campaign::settings::TaskSettings;
use rusqlite::Connection;

use super::journal::{AttemptOutcome, Journal, JournalError};
use super::model::{BatchState, CampaignState, NewBatch, NewCampaign, UnknownDecision};
use super::numbers::CalledNumbers;
use super::schema::{self, Migration, MigrationError};
use super::tts::TtsValues;
use crate::compliance::rules::CallingRules;
use crate::compliance::screen::WINDOW_MS;
use crate::text::{Localized, UserError};

pub(crate) const T0: i64 = 1_764_000_000_000;

pub(crate) fn settings(dialog: &str) -> TaskSettings {
    TaskSettings {
        dialog_id: dialog.into(),
        caller_numbers: vec!["057112345678".into()],
        corp_name: Some("测试公司".into()),
        is_self_line: false,
        early_media_asr: false,
        schedule_time_ms: None,
        task_name: "双十一回访".into(),
    }
}

/// `batches` batches of `per_batch` numbers, numbered from `first`.
pub(crate) fn campaign_with(
    dialog: &str,
    batches: usize,
    per_batch: usize,
    first: u64,
) -> NewCampaign {
    let mut n = first;
    NewCampaign {
        source_name: "contacts.xlsx".into(),
        source_sha256: "ab".repeat(32),
        mapping_json: r#"{"phone":"手机"}"#.into(),
        settings: settings(dialog),
        profile: "default".into(),
        endpoint: "http://127.0.0.1:1".into(),
        batches: (0..batches)
            .map(|b| {
                let numbers: Vec<String> = (0..per_batch)
                    .map(|_| {
                        n += 1;
                        format!("139{:08}", n)
                    })
                    .collect();
                let mut values = TtsValues::default();
                for _ in 0..per_batch {
                    values.push_contact(&[format!("b{b}")]);
                }
                NewBatch {
                    task_name: format!("回访-{}", b + 1),
                    called_numbers: CalledNumbers::try_from(numbers).expect("digits"),
                    tts_param_head: Some(r#"["name"]"#.into()),
                    tts_values: Some(values),
                    source_rows: (0..per_batch as u32).map(|r| r + 2).collect(),
                }
            })
            .collect(),
    }
}

fn problem() -> UserError {
    UserError::new(
        crate::error_code::ErrorCode::aliyun("x"),
        Localized::new("错", "wrong"),
        Localized::new("", ""),
    )
}

fn open(dir: &tempfile::TempDir) -> Journal {
    Journal::open(&dir.path().join("journal.sqlite3"), T0).expect("open")
}

#[test]
fn a_new_file_gets_the_latest_schema_in_wal_mode_and_reopens() {
    let dir = tempfile::tempdir().expect("dir");
    let j = open(&dir);
    assert_eq!(j.schema_version().expect("v"), schema::latest_version());
    drop(j);
    let conn = Connection::open(dir.path().join("journal.sqlite3")).expect("conn");
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .expect("mode");
    assert_eq!(mode, "wal");
    drop(conn);
    let j = open(&dir);
    assert_eq!(j.schema_version().expect("v"), schema::latest_version());
}

#[test]
fn appending_a_migration_upgrades_an_existing_file_and_keeps_its_data() {
    let dir = tempfile::tempdir().expect("dir");
    let mut j = open(&dir);
    let id = j
        .create_campaign(&campaign_with("D1", 2, 3, 0), None, T0)
        .expect("create");
    drop(j);
    let path = dir.path().join("journal.sqlite3");
    let mut conn = Connection::open(&path).expect("conn");
    let mut steps: Vec<Migration> = schema::MIGRATIONS
        .iter()
        .map(|m| Migration {
            name: m.name,
            sql: m.sql,
        })
        .collect();
    steps.push(Migration {
        name: "call results (test)",
        sql: "CREATE TABLE call_results (campaign_id INTEGER, callee TEXT, status TEXT);",
    });
    let v = schema::migrate_with(&mut conn, &steps).expect("migrate");
    assert_eq!(v, schema::latest_version() + 1);
    conn.execute("INSERT INTO call_results VALUES (1, '139', 'ok')", [])
        .expect("new table");
    let kept: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM batches WHERE campaign_id = ?1",
            [id],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(kept, 2);
    // This build must now refuse the file instead of guessing at its tables.
    drop(conn);
    match Journal::open(&path, T0) {
        Err(JournalError::Schema(MigrationError::TooNew { found, supported })) => {
            assert_eq!(found, supported + 1);
        }
        other => panic!("expected TooNew, got {other:?}"),
    }
    let err = Journal::open(&path, T0).expect_err("too new");
    assert_eq!(err.to_user_error().code, "journal.too_new");
}

#[test]
fn a_campaign_and_its_batches_round_trip() {
    let dir = tempfile::tempdir().expect("dir");
    let mut j = open(&dir);
    let new = campaign_with("D1", 3, 4, 0);
    let id = j.create_campaign(&new, None, T0).expect("create");
    let summary = j.campaign(id).expect("summary");
    assert_eq!(summary.state, CampaignState::Ready);
    assert_eq!(summary.total_numbers, 12);
    assert_eq!(summary.batches.planned, 3);
    assert_eq!(summary.task_name, "双十一回访");
    assert_eq!(summary.source_name, "contacts.xlsx");
    assert!(!summary.busy);
    assert_eq!(j.settings(id).expect("settings"), new.settings);
    let rows = j.batches(id).expect("batches");
    assert_eq!(rows.len(), 3);
    assert_eq!(
        rows[1].called_numbers,
        new.batches[1].called_numbers.to_vec()
    );
    assert_eq!(rows[1].tts_param, new.batches[1].tts_param());
    assert_eq!(rows[1].source_rows, vec![2, 3, 4, 5]);
    assert_eq!(rows[1].state, BatchState::Planned);
    assert!(matches!(j.campaign(id + 1), Err(JournalError::NotFound(_))));
    // The secret never had a place to go: the settings JSON holds only these fields.
    let json: String = j
        .conn()
        .query_row("SELECT settings_json FROM campaigns", [], |r| r.get(0))
        .expect("json");
    assert!(!json.to_lowercase().contains("secret"));
}

#[test]
fn a_batch_leaves_planned_only_once_and_only_under_the_lease() {
    let dir = tempfile::tempdir().expect("dir");
    let mut j = open(&dir);
    let id = j
        .create_campaign(&campaign_with("D1", 2, 2, 0), None, T0)
        .expect("create");
    let lease = j.claim(id, T0).expect("claim");
    assert_eq!(
        j.begin_attempt(&lease, 0, false, T0)
            .expect("begin")
            .attempt(),
        Some(1)
    );
    assert!(matches!(
        j.begin_attempt(&lease, 0, false, T0),
        Err(JournalError::NotSendable {
            state: BatchState::Sending,
            ..
        })
    ));
    assert_eq!(j.campaign(id).expect("c").state, CampaignState::Running);
    j.release(&lease).expect("release");
    assert!(matches!(
        j.begin_attempt(&lease, 1, false, T0),
        Err(JournalError::LeaseLost(_))
    ));
    assert_eq!(j.batch(id, 1).expect("b").state, BatchState::Planned);
}

#[test]
fn a_second_holder_is_refused_while_the_lease_is_live_and_takes_over_after() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("journal.sqlite3");
    let mut a = Journal::open_with_lease_ttl(&path, T0, 1_000).expect("a");
    let mut b = Journal::open_with_lease_ttl(&path, T0, 1_000).expect("b");
    let id = a
        .create_campaign(&campaign_with("D1", 2, 2, 0), None, T0)
        .expect("create");
    let lease_a = a.claim(id, T0).expect("claim");
    a.begin_attempt(&lease_a, 0, false, T0).expect("begin");
    let busy = b.claim(id, T0 + 500).expect_err("busy");
    assert!(matches!(busy, JournalError::Busy { pid, .. } if pid == std::process::id()));
    assert_eq!(busy.to_user_error().code, "campaign.busy");
    assert!(b.campaign(id).is_ok());
    // A's heartbeat stops (it hung): after the TTL B takes over, and A's in-flight batch
    // becomes unknown rather than being sent again.
    let lease_b = b.claim(id, T0 + 1_500).expect("take over");
    assert_eq!(b.batch(id, 0).expect("b0").state, BatchState::Unknown);
    assert!(matches!(
        a.begin_attempt(&lease_a, 1, false, T0 + 1_600),
        Err(JournalError::LeaseLost(_))
    ));
    assert!(matches!(
        a.heartbeat(&lease_a, T0 + 1_600),
        Err(JournalError::LeaseLost(_))
    ));
    // A's late answer is still the truth about that batch.
    let state = a
        .finish_attempt(
            id,
            0,
            1,
            &AttemptOutcome::Accepted {
                task_id: Some("T1".into()),
                request_id: "R1".into(),
            },
            T0 + 1_700,
        )
        .expect("finish");
    assert_eq!(state, BatchState::Sent);
    assert_eq!(b.batch(id, 0).expect("b0").task_id.as_deref(), Some("T1"));
    b.release(&lease_b).expect("release");
}

#[test]
fn reopening_after_a_crash_turns_sending_into_unknown() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("journal.sqlite3");
    let mut j = Journal::open_with_lease_ttl(&path, T0, 1_000).expect("open");
    let id = j
        .create_campaign(&campaign_with("D1", 3, 2, 0), None, T0)
        .expect("create");
    let lease = j.claim(id, T0).expect("claim");
    j.begin_attempt(&lease, 0, false, T0).expect("begin 0");
    j.finish_attempt(
        id,
        0,
        1,
        &AttemptOutcome::Accepted {
            task_id: Some("T".into()),
            request_id: "R".into(),
        },
        T0,
    )
    .expect("finish");
    j.begin_attempt(&lease, 1, false, T0).expect("begin 1");
    drop(j); // the "crash": no release, no finish

    // While the holder's heartbeat is fresh, a reader must not touch its batch.
    let j = Journal::open_with_lease_ttl(&path, T0 + 10, 1_000).expect("reopen");
    assert_eq!(j.batch(id, 1).expect("b1").state, BatchState::Sending);
    drop(j);
    let j = Journal::open_with_lease_ttl(&path, T0 + 5_000, 1_000).expect("reopen late");
    let b1 = j.batch(id, 1).expect("b1");
    assert_eq!(b1.state, BatchState::Unknown);
    assert_eq!(b1.error_code.as_deref(), Some("journal.interrupted"));
    assert!(b1.problem.is_some());
    assert_eq!(j.batch(id, 0).expect("b0").state, BatchState::Sent);
    assert_eq!(j.batch(id, 2).expect("b2").state, BatchState::Planned);
    let c = j.campaign(id).expect("c");
    assert_eq!(c.state, CampaignState::Paused);
    assert_eq!(c.reason.expect("reason").code, "campaign.interrupted");
    assert_eq!(j.latest_unfinished().expect("latest"), Some(id));

    // The list the screens show says the same as the full rows, without the numbers.
    let overviews = j.batch_overviews(id).expect("overviews");
    let rows = j.batches(id).expect("rows");
    assert_eq!(overviews.len(), rows.len());
    for (o, r) in overviews.iter().zip(&rows) {
        assert_eq!(o.index, r.index);
        assert_eq!(o.people as usize, r.called_numbers.len());
        assert_eq!(o.state, r.state);
        assert_eq!(o.attempts, r.attempts);
        assert_eq!(o.task_id, r.task_id);
        assert_eq!(o.error_code, r.error_code);
        assert_eq!(o.problem, r.problem);
        assert_eq!(o.updated_at_ms, r.updated_at_ms);
    }
    assert_eq!(overviews[0].task_id.as_deref(), Some("T"));
    assert_eq!(overviews[1].state, BatchState::Unknown);
    assert!(matches!(
        j.batch_overviews(id + 1),
        Err(JournalError::NotFound(_))
    ));
}

#[test]
fn unknown_batches_wait_for_a_decision() {
    let dir = tempfile::tempdir().expect("dir");
    let mut j = open(&dir);
    let id = j
        .create_campaign(&campaign_with("D1", 3, 1, 0), None, T0)
        .expect("create");
    let lease = j.claim(id, T0).expect("claim");
    for i in 0..3 {
        j.begin_attempt(&lease, i, false, T0).expect("begin");
        j.finish_attempt(
            id,
            i,
            1,
            &AttemptOutcome::Unknown {
                code: "network.timeout".into(),
                problem: problem(),
            },
            T0,
        )
        .expect("finish");
    }
    assert_eq!(j.counts(id).expect("c").unknown, 3);
    assert_eq!(
        j.decide_unknown(id, Some(0), UnknownDecision::MarkSent, T0)
            .expect("mark"),
        1
    );
    assert_eq!(
        j.decide_unknown(id, None, UnknownDecision::Resend, T0)
            .expect("resend"),
        2
    );
    let rows = j.batches(id).expect("rows");
    assert_eq!(rows[0].state, BatchState::Sent);
    assert_eq!(rows[0].decision.as_deref(), Some("marked-sent"));
    assert_eq!(rows[1].state, BatchState::Planned);
    assert_eq!(rows[1].decision.as_deref(), Some("resent"));
    // A resent batch goes out as attempt 2 of the same batch.
    assert_eq!(
        j.begin_attempt(&lease, 1, false, T0)
            .expect("again")
            .attempt(),
        Some(2)
    );
}

#[test]
fn retryable_refusals_are_planned_again_and_permanent_ones_are_not() {
    let dir = tempfile::tempdir().expect("dir");
    let mut j = open(&dir);
    let id = j
        .create_campaign(&campaign_with("D1", 2, 1, 0), None, T0)
        .expect("create");
    let lease = j.claim(id, T0).expect("claim");
    for (i, retryable) in [(0, true), (1, false)] {
        j.begin_attempt(&lease, i, false, T0).expect("begin");
        j.finish_attempt(
            id,
            i,
            1,
            &AttemptOutcome::Rejected {
                code: "c".into(),
                problem: problem(),
                retryable,
                request_id: None,
            },
            T0,
        )
        .expect("finish");
    }
    assert_eq!(j.requeue_retryable(id, T0).expect("requeue"), 1);
    assert_eq!(j.batch(id, 0).expect("0").state, BatchState::Planned);
    assert_eq!(j.batch(id, 1).expect("1").state, BatchState::Rejected);
    assert_eq!(j.cancel_planned(id, T0).expect("cancel"), 1);
    assert_eq!(j.campaign(id).expect("c").state, CampaignState::Cancelled);
    assert_eq!(j.latest_unfinished().expect("latest"), None);
}

#[test]
fn journaling_screens_again_so_people_called_meanwhile_are_not_sent_twice() {
    let dir = tempfile::tempdir().expect("dir");
    let mut j = open(&dir);
    let rules = CallingRules::default();
    j.create_campaign(&campaign_with("D1", 2, 5, 0), Some(&rules), T0)
        .expect("first");

    // The same people again an hour later, with another robot: the first campaign's
    // planned batches count as calls not known yet, so as answered.
    let err = j
        .create_campaign(&campaign_with("D2", 2, 5, 0), Some(&rules), T0 + 3_600_000)
        .expect_err("called meanwhile");
    let JournalError::Screened {
        stopped, example, ..
    } = &err
    else {
        panic!("expected Screened, got {err:?}");
    };
    assert_eq!((*stopped, example.as_str()), (10, "13900000001"));
    let user = err.to_user_error();
    assert_eq!(user.code, "campaign.called_meanwhile");
    assert!(
        user.message.zh_cn.contains("没有发送任何号码"),
        "{}",
        user.message.zh_cn
    );
    assert!(
        user.message.en.contains("campaign #1"),
        "{}",
        user.message.en
    );

    // Half of them overlap: still refused, and the count says how many.
    let err = j
        .create_campaign(&campaign_with("D1", 2, 5, 5), Some(&rules), T0 + 1)
        .expect_err("overlap");
    assert!(
        matches!(err, JournalError::Screened { stopped: 5, .. }),
        "{err:?}"
    );

    // Fresh numbers, or a day later: allowed.
    j.create_campaign(&campaign_with("D1", 1, 5, 100), Some(&rules), T0 + 1)
        .expect("fresh numbers");
    j.create_campaign(
        &campaign_with("D1", 2, 5, 0),
        Some(&rules),
        T0 + WINDOW_MS + 10,
    )
    .expect("a day later");
}

#[test]
fn refused_or_cancelled_batches_called_nobody_so_they_do_not_count() {
    let dir = tempfile::tempdir().expect("dir");
    let mut j = open(&dir);
    let rules = CallingRules::default();
    let id = j
        .create_campaign(&campaign_with("D1", 1, 3, 0), Some(&rules), T0)
        .expect("create");
    j.cancel_planned(id, T0).expect("cancel");
    j.create_campaign(&campaign_with("D1", 1, 3, 0), Some(&rules), T0 + 1)
        .expect("again");
}

#[test]
fn the_campaign_list_matches_each_campaign_read_alone() {
    let dir = tempfile::tempdir().expect("dir");
    let mut j = open(&dir);
    let ids: Vec<i64> = (0..3)
        .map(|k| {
            j.create_campaign(&campaign_with("D1", 2, 3, k * 10), None, T0)
                .expect("create")
        })
        .collect();
    let lease = j.claim(ids[1], T0).expect("claim");
    let attempt = j
        .begin_attempt(&lease, 0, false, T0)
        .expect("begin")
        .attempt()
        .expect("sending");
    let accepted = AttemptOutcome::Accepted {
        task_id: Some("t1".into()),
        request_id: "r1".into(),
    };
    j.finish_attempt(ids[1], 0, attempt, &accepted, T0)
        .expect("finish");
    j.release(&lease).expect("release");
    // Held right now (liveness is judged on the wall clock when listing).
    let _held = j
        .claim(ids[2], chrono::Utc::now().timestamp_millis())
        .expect("claim");

    let listed = j.campaigns().expect("list");
    let one_by_one: Vec<_> = ids
        .iter()
        .rev()
        .map(|id| j.campaign(*id).expect("campaign"))
        .collect();
    assert_eq!(listed, one_by_one);
    assert_eq!(
        listed.iter().map(|c| c.busy).collect::<Vec<_>>(),
        [true, false, false]
    );
    assert_eq!(listed[1].batches.sent, 1);
    assert_eq!(listed[1].batches.planned, 1);
    assert_eq!(listed[1].sent_numbers, 3);
    assert_eq!(listed[2].batches.planned, 2);
    assert_eq!(listed[2].sent_numbers, 0);
}

#[test]
fn unknown_batches_are_settled_only_under_the_lease_and_finish_what_has_nothing_left() {
    let dir = tempfile::tempdir().expect("dir");
    let mut j = open(&dir);
    let id = j
        .create_campaign(&campaign_with("D1", 2, 1, 0), None, T0)
        .expect("create");
    let unknown = AttemptOutcome::Unknown {
        code: "network.timeout".into(),
        problem: problem(),
    };
    let lease = j.claim(id, T0).expect("claim");
    j.begin_attempt(&lease, 0, false, T0).expect("begin");
    j.finish_attempt(id, 0, 1, &unknown, T0).expect("finish");

    // Another run holds the campaign: refused, nothing changed.
    let busy = j.settle_unknown(id, None, Some(UnknownDecision::MarkSent), T0 + 1);
    assert!(matches!(busy, Err(JournalError::Busy { .. })), "{busy:?}");
    assert_eq!(j.batch(id, 0).expect("b").state, BatchState::Unknown);

    j.release(&lease).expect("release");
    let settled = j
        .settle_unknown(id, None, Some(UnknownDecision::MarkSent), T0 + 2)
        .expect("settle");
    assert_eq!(settled.changed, 1);
    // Batch 2 was never sent: the campaign is not finished.
    assert_ne!(settled.campaign.state, CampaignState::Finished);
    let first = j.batch(id, 0).expect("b");
    assert_eq!(first.state, BatchState::Sent);
    assert_eq!(first.decision.as_deref(), Some("marked-sent"));
    assert!(j.holder(id, T0 + 2).expect("holder").is_none(), "released");

    let lease = j.claim(id, T0 + 3).expect("claim");
    j.begin_attempt(&lease, 1, false, T0 + 3).expect("begin");
    j.finish_attempt(id, 1, 1, &unknown, T0 + 3)
        .expect("finish");
    j.release(&lease).expect("release");
    let settled = j
        .settle_unknown(id, Some(1), Some(UnknownDecision::MarkSent), T0 + 4)
        .expect("settle");
    assert_eq!(settled.changed, 1);
    assert_eq!(settled.campaign.state, CampaignState::Finished);
    assert_eq!(settled.campaign.batches.sent, 2);
}
