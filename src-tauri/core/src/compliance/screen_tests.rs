use super::*;
use crate::campaign::journal::{AttemptOutcome, Journal};
use crate::campaign::tests::campaign_with;
use crate::compliance::dnc::{self, DncSource};
use crate::compliance::number_key;
use crate::results::model::{CallRecord, RecordSource};
use crate::results::outcome::HangupReading;
use crate::results::store::{self, PersonKey};
use crate::sheet::contacts::{ContactList, ContactStatus, ValidationOptions};

pub(crate) const T0: i64 = 1_764_000_000_000;
pub(crate) const HOUR: i64 = 3_600_000;

pub(crate) fn open(dir: &tempfile::TempDir) -> Journal {
    Journal::open(&dir.path().join("journal.sqlite3"), T0).expect("open")
}

/// A campaign of one batch of `count` numbers from 139000000{first+1}, sent at `at`.
pub(crate) fn sent(j: &mut Journal, dialog: &str, count: usize, first: u64, at: i64) -> i64 {
    let id = j
        .create_campaign(&campaign_with(dialog, 1, count, first), None, at)
        .expect("create");
    let lease = j.claim(id, at).expect("claim");
    let attempt = j
        .begin_attempt(&lease, 0, false, at)
        .expect("begin")
        .attempt()
        .expect("sending");
    j.finish_attempt(
        id,
        0,
        attempt,
        &AttemptOutcome::Accepted {
            task_id: Some(format!("task-{id}")),
            request_id: "r".into(),
        },
        at,
    )
    .expect("finish");
    j.release(&lease).expect("release");
    id
}

pub(crate) fn result(
    j: &Journal,
    campaign: i64,
    position: u32,
    number: &str,
    outcome: CallOutcome,
) {
    let record = CallRecord {
        status_code: None,
        state_desc: None,
        outcome,
        duration_secs: None,
        hangup_raw: None,
        hangup: HangupReading::Unknown,
        dialog_count: None,
        tags: Vec::new(),
        call_id: None,
        call_time: None,
        ended_at: None,
        record_url: None,
        record_expires_at_ms: None,
        source: RecordSource::CallDetail,
        raw: serde_json::Value::Null,
    };
    let key = PersonKey {
        campaign_id: campaign,
        batch_index: 0,
        position,
        task_id: format!("task-{campaign}"),
        number: number.into(),
        source_row: None,
    };
    store::save(j.conn(), &key, Some(&record), T0).expect("save result");
}

pub(crate) fn n(i: u64) -> String {
    format!("139{i:08}")
}

fn key(i: u64) -> u64 {
    number_key(&n(i)).expect("key")
}

fn rule_of(screen: &Screen, i: u64) -> Option<(LimitRule, u32)> {
    match screen.get(key(i)) {
        Some(Block::OverLimit { rule, count, .. }) => Some((*rule, *count)),
        _ => None,
    }
}

#[test]
fn an_answered_call_stops_the_number_for_a_day_across_robots() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut j = open(&dir);
    let a = sent(&mut j, "robot-A", 2, 0, T0);
    result(&j, a, 0, &n(1), CallOutcome::Answered);
    result(&j, a, 1, &n(2), CallOutcome::NoAnswer);
    let rules = CallingRules::default();
    let keys = [key(1), key(2), key(3)];
    let screen = Screen::build(&j, &keys, &rules, T0 + HOUR).expect("screen");
    assert_eq!(rule_of(&screen, 1), Some((LimitRule::Answered, 1)));
    assert_eq!(
        rule_of(&screen, 2),
        None,
        "not reached once: may be called again"
    );
    assert_eq!(screen.len(), 1);
    match screen.get(key(1)) {
        Some(Block::OverLimit {
            last_called_ms,
            last_campaign,
            ..
        }) => assert_eq!((*last_called_ms, *last_campaign), (T0, a)),
        other => panic!("{other:?}"),
    }
    let later = Screen::build(&j, &keys, &rules, T0 + 25 * HOUR).expect("screen");
    assert!(later.is_empty(), "the window is 24 hours");
}

#[test]
fn a_call_without_results_counts_as_answered() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut j = open(&dir);
    let a = sent(&mut j, "robot-A", 2, 0, T0);
    result(&j, a, 1, &n(2), CallOutcome::Pending);
    let screen =
        Screen::build(&j, &[key(1), key(2)], &CallingRules::default(), T0 + HOUR).expect("screen");
    assert_eq!(
        rule_of(&screen, 1),
        Some((LimitRule::Answered, 1)),
        "no record yet"
    );
    assert_eq!(
        rule_of(&screen, 2),
        Some((LimitRule::Answered, 1)),
        "pending"
    );
}

#[test]
fn attempts_count_every_robot_and_stop_at_the_limit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut j = open(&dir);
    let a = sent(&mut j, "robot-A", 1, 0, T0);
    let b = sent(&mut j, "robot-B", 1, 0, T0 + HOUR);
    result(&j, a, 0, &n(1), CallOutcome::Busy);
    result(&j, b, 0, &n(1), CallOutcome::NoAnswer);
    let mut rules = CallingRules::default();
    let screen = Screen::build(&j, &[key(1)], &rules, T0 + 2 * HOUR).expect("screen");
    assert_eq!(rule_of(&screen, 1), None, "2 attempts, limit 3");
    rules.max_attempts_per_day = 2;
    let screen = Screen::build(&j, &[key(1)], &rules, T0 + 2 * HOUR).expect("screen");
    assert_eq!(rule_of(&screen, 1), Some((LimitRule::Attempts, 2)));
    match screen.get(key(1)) {
        Some(Block::OverLimit { last_campaign, .. }) => assert_eq!(*last_campaign, b),
        other => panic!("{other:?}"),
    }
}

#[test]
fn planned_batches_count_and_cancelled_ones_do_not() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut j = open(&dir);
    let planned = j
        .create_campaign(&campaign_with("robot-A", 1, 1, 0), None, T0)
        .expect("create");
    let rules = CallingRules::default();
    let screen = Screen::build(&j, &[key(1)], &rules, T0 + HOUR).expect("screen");
    assert_eq!(
        rule_of(&screen, 1),
        Some((LimitRule::Answered, 1)),
        "will be called"
    );
    j.cancel_planned(planned, T0 + HOUR).expect("cancel");
    let screen = Screen::build(&j, &[key(1)], &rules, T0 + HOUR).expect("screen");
    assert!(screen.is_empty(), "a cancelled batch called nobody");
}

#[test]
fn the_review_shows_who_is_stopped_and_why() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut j = open(&dir);
    sent(&mut j, "robot-A", 1, 0, T0);
    dnc::add(
        &mut j,
        ["+86 139-0000-0002"],
        Some("投诉"),
        DncSource::Manual,
        T0,
    )
    .expect("dnc");
    let mut list = ContactList::from_rows(
        &["name"],
        [
            vec![n(1), "张三".into()],
            vec![n(2), "李四".into()],
            vec![n(3), "王五".into()],
            vec!["bad".into(), "赵六".into()],
        ],
        ValidationOptions::default(),
    )
    .expect("list");
    let screen = Screen::build(&j, &list.number_keys(), &CallingRules::default(), T0 + HOUR)
        .expect("screen");
    list.apply_screen(screen);
    let s = list.summary();
    assert_eq!(
        (s.over_limit, s.do_not_call, s.sendable),
        (1, 1, 1),
        "{s:?}"
    );
    assert_eq!(s.blocking, 1, "only the bad number needs the user");
    let rows = list.page(0, 10, Default::default()).rows;
    assert_eq!(rows[0].status, ContactStatus::OverLimit);
    assert_eq!(rows[0].code, "compliance.max_answered");
    assert!(
        rows[0].message.zh_cn.contains("外呼活动 #1"),
        "{}",
        rows[0].message.zh_cn
    );
    assert_eq!(rows[1].status, ContactStatus::DoNotCall);
    assert!(
        rows[1].message.zh_cn.contains("投诉"),
        "{}",
        rows[1].message.zh_cn
    );
    assert_eq!(
        list.exclude_blocking_rows(),
        1,
        "only the bad number is excluded"
    );
    assert_eq!(
        list.page(0, 10, Default::default()).rows[1].status,
        ContactStatus::DoNotCall
    );
    let sendable: Vec<String> = list.sendable().map(|c| c.number).collect();
    assert_eq!(sendable, [n(3)]);
}
