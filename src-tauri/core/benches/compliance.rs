//! What the calling rules cost a review (issue 14). Not a pass/fail test: it prints figures.
//!
//! `cargo bench -p smartdial-core --bench compliance`
//!
//! Builds, in a temp folder, a journal with a 1,000,000-number do-not-call list and
//! 5,000,000 past calls (50 days of 100,000 calls, results for the last two days), and a
//! 100,000-row contact sheet of which a tenth is on the list and some were called
//! yesterday. Then measures screening the sheet (the do-not-call lookup, the per-number
//! limits, the re-validation) — the time a review takes longer with the rules than without
//! — and the peak RSS of import alone vs import + screening, each in a fresh child process.
//!
//! Target: screening ≤ 150 ms; memory within the sheet targets (RSS < 200 MB).

#![allow(clippy::expect_used, clippy::unwrap_used)] // a benchmark fails loudly

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::params;
use smartdial_core::campaign::journal::Journal;
use smartdial_core::compliance::rules::CallingRules;
use smartdial_core::compliance::screen::screen_contacts;
use smartdial_core::compliance::{number_key, number_of_key};
use smartdial_core::sheet::import;

mod support;
use support::{options, vm_hwm_kb, write_csv};

const SHEET_ROWS: usize = 100_000;
const DNC_NUMBERS: u64 = 1_000_000;
const DAYS: i64 = 50;
const CALLS_PER_DAY: usize = 100_000;
const BATCH: usize = 1000;
const DAY_MS: i64 = 24 * 60 * 60 * 1000;
const NOW: i64 = 1_765_000_000_000;
const CHILD_ENV: &str = "SMARTDIAL_BENCH_CHILD";

/// The sheet's numbers as `support::row` writes them (the valid ones).
fn sheet_numbers(path: &Path) -> Vec<String> {
    let imported = import(path, &options(), None).expect("import");
    imported.contacts.sendable().map(|c| c.number).collect()
}

/// A mobile that is not in the sheet (the sheet's start with 13, these with 15–19).
fn other(i: u64) -> String {
    format!("1{}{:09}", 5 + i % 5, (i * 7_919) % 1_000_000_000)
}

fn build_journal(path: &Path, sheet: &[String]) {
    drop(Journal::open(path, NOW).expect("create the journal"));
    let mut conn = rusqlite::Connection::open(path).expect("open");
    conn.pragma_update(None, "synchronous", "OFF")
        .expect("pragma");
    let tx = conn.transaction().expect("tx");
    {
        let mut dnc = tx
            .prepare(
                "INSERT OR IGNORE INTO do_not_call (number_key, number, reason, added_at_ms, source) \
                 VALUES (?1, ?2, '投诉', ?3, 'import')",
            )
            .expect("dnc insert");
        // Every tenth person of the sheet, the rest numbers the sheet does not have.
        let listed = sheet.iter().step_by(10).cloned();
        let rest = (0..DNC_NUMBERS).map(other);
        for n in listed.chain(rest).take(DNC_NUMBERS as usize) {
            let key = number_key(&n).expect("digits");
            dnc.execute(params![key as i64, n, NOW - DAY_MS * 30])
                .expect("dnc row");
        }
        let mut campaign = tx
            .prepare(
                "INSERT INTO campaigns (created_at_ms, updated_at_ms, source_name, source_sha256, \
                 mapping_json, settings_json, dialog_id, total_numbers, profile, endpoint, state) \
                 VALUES (?1, ?1, 'past.xlsx', '', '{}', '{}', ?2, ?3, 'default', 'https://x', 'finished')",
            )
            .expect("campaign insert");
        let mut batch = tx
            .prepare(
                "INSERT INTO batches (campaign_id, idx, task_name, called_numbers, number_count, \
                 source_rows, state, attempts, task_id, created_at_ms, updated_at_ms, first_sent_at_ms, \
                 finished_at_ms) VALUES (?1, ?2, 'past', ?3, ?4, '[]', 'sent', 1, ?5, ?6, ?6, ?6, ?6)",
            )
            .expect("batch insert");
        let mut record = tx
            .prepare(
                "INSERT INTO call_records (campaign_id, batch_idx, position, task_id, number, \
                 call_state, outcome, fetched_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, 'done', ?6, ?7)",
            )
            .expect("record insert");
        let outcomes = ["answered", "noAnswer", "busy", "poweredOff"];
        let mut serial = 0u64;
        for day in 0..DAYS {
            let start = NOW - (DAYS - day) * DAY_MS + DAY_MS / 2;
            tx.execute("SELECT 1", []).ok();
            campaign
                .execute(params![
                    start,
                    format!("robot-{}", day % 3),
                    CALLS_PER_DAY as i64
                ])
                .expect("campaign row");
            let id = tx.last_insert_rowid();
            for b in 0..CALLS_PER_DAY / BATCH {
                let at = start + b as i64 * 60_000;
                let numbers: Vec<String> = (0..BATCH)
                    .map(|p| {
                        serial += 1;
                        // Yesterday's calls include every twentieth person of the sheet.
                        if day == DAYS - 1 && p % 20 == 0 {
                            sheet[(serial as usize * 20) % sheet.len()].clone()
                        } else {
                            number_of_key(number_key(&other(serial + DNC_NUMBERS)).unwrap())
                        }
                    })
                    .collect();
                let task = format!("task-{id}-{b}");
                batch
                    .execute(params![
                        id,
                        b as i64,
                        numbers.join(","),
                        BATCH as i64,
                        task,
                        at
                    ])
                    .expect("batch row");
                if day >= DAYS - 2 {
                    for (p, n) in numbers.iter().enumerate() {
                        record
                            .execute(params![
                                id,
                                b as i64,
                                p as i64,
                                task,
                                n,
                                outcomes[p % 4],
                                at
                            ])
                            .expect("record row");
                    }
                }
            }
        }
    }
    tx.commit().expect("commit");
}

fn child_rss(what: &str, sheet: &Path, journal: &Path) -> Option<u64> {
    let out = std::process::Command::new(std::env::current_exe().ok()?)
        .env(
            CHILD_ENV,
            format!("{what}\n{}\n{}", sheet.display(), journal.display()),
        )
        .stderr(std::process::Stdio::inherit())
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}

fn main() {
    if let Ok(spec) = std::env::var(CHILD_ENV) {
        let mut parts = spec.split('\n');
        let what = parts.next().expect("what");
        let sheet = PathBuf::from(parts.next().expect("sheet"));
        let journal = PathBuf::from(parts.next().expect("journal"));
        let mut list = import(&sheet, &options(), None).expect("import").contacts;
        if what == "screened" {
            let j = Journal::open(&journal, NOW).expect("journal");
            screen_contacts(&j, &mut list, &CallingRules::default(), NOW).expect("screen");
        }
        std::hint::black_box(list.summary());
        println!("{}", vm_hwm_kb());
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let sheet = dir.path().join("contacts.csv");
    write_csv(&sheet, SHEET_ROWS);
    let numbers = sheet_numbers(&sheet);
    let journal_path = dir.path().join("journal.sqlite3");
    let t = Instant::now();
    build_journal(&journal_path, &numbers);
    println!(
        "journal: {} do-not-call numbers, {} past calls, {:.0} MB, built in {:.1} s",
        DNC_NUMBERS,
        DAYS as usize * CALLS_PER_DAY,
        std::fs::metadata(&journal_path).expect("size").len() as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    let journal = Journal::open(&journal_path, NOW).expect("journal");
    let base = import(&sheet, &options(), None).expect("import").contacts;
    let rules = CallingRules::default();
    let mut times: Vec<Duration> = Vec::new();
    let mut summary = None;
    for _ in 0..7 {
        let mut list = base.clone();
        let t = Instant::now();
        screen_contacts(&journal, &mut list, &rules, NOW).expect("screen");
        times.push(t.elapsed());
        summary = Some(list.summary());
    }
    let first = times[0];
    times.sort();
    let s = summary.expect("ran");
    println!(
        "screening a {SHEET_ROWS}-row sheet: first {:.1} ms, min {:.1} ms, median {:.1} ms \
         (target ≤ 150 ms); {} on the list, {} over the limits, {} still sendable",
        first.as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        times[times.len() / 2].as_secs_f64() * 1e3,
        s.do_not_call,
        s.over_limit,
        s.sendable
    );
    // Where the time goes: the list lookup, the limits, the re-validation.
    let keys = base.number_keys();
    let t = Instant::now();
    let hits = smartdial_core::compliance::dnc::lookup(&journal, &keys).expect("lookup");
    let lookup = t.elapsed();
    let t = Instant::now();
    let screen = smartdial_core::compliance::screen::Screen::build(&journal, &keys, &rules, NOW)
        .expect("screen");
    let build = t.elapsed();
    let mut list = base.clone();
    let t = Instant::now();
    list.apply_screen(screen);
    let apply = t.elapsed();
    println!(
        "  phases: {} keys, list lookup {:.1} ms ({} hits), whole screen {:.1} ms, re-validation {:.1} ms",
        keys.len(),
        lookup.as_secs_f64() * 1e3,
        hits.len(),
        build.as_secs_f64() * 1e3,
        apply.as_secs_f64() * 1e3
    );
    let plain = child_rss("plain", &sheet, &journal_path);
    let screened = child_rss("screened", &sheet, &journal_path);
    if let (Some(p), Some(s)) = (plain, screened) {
        println!(
            "peak RSS: import {:.1} MB, import + screening {:.1} MB (+{:.1} MB; target < 200 MB)",
            p as f64 / 1024.0,
            s as f64 / 1024.0,
            (s as f64 - p as f64) / 1024.0
        );
    }
}
