//! Memory of the send path for a million contacts. Not a pass/fail test: it prints figures.
//!
//! `cargo bench -p smartdial-core --bench send`
//!
//! Generates the 1,000,000-row CSV of the `sheet` bench, then, in a fresh child process so
//! the generator's memory does not count, runs what `smartdial submit` and the desktop's
//! Send do before the first request leaves: read → validate → plan → check every batch's
//! request → the campaign → journal it into a temp SQLite file. Prints the peak RSS
//! (VmHWM) and the resident memory after each step.
//!
//! Target: the send path adds about one batch on top of what the sheet and the plan hold.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a benchmark fails loudly

use std::path::{Path, PathBuf};
use std::time::Instant;

use smartdial_core::campaign::journal::Journal;
use smartdial_core::campaign::model::NewCampaign;
use smartdial_core::campaign::plan::{BatchPlan, BatchSize};
use smartdial_core::campaign::request::check_requests;
use smartdial_core::campaign::submission::Provenance;
use smartdial_core::sheet::import;

mod support;
use support::{options, settings, vm_hwm_kb, vm_kb, write_csv};

const CSV_ROWS: usize = 1_000_000;
const CHILD_ENV: &str = "SMARTDIAL_BENCH_CHILD";
const NOW_MS: i64 = 1_800_000_000_000;

fn mb(kb: u64) -> String {
    format!("{:.0} MB", kb as f64 / 1024.0)
}

/// The send path up to the journal, printing resident memory after each step on stderr.
/// `keep_sheet`: the desktop keeps the imported sheet for the next preview; the CLI drops
/// it once planned.
fn send_path(csv: &Path, journal: &Path, keep_sheet: bool) {
    let t = Instant::now();
    let mut steps = Vec::new();
    let mut step = |name: &str| steps.push(format!("{name} {}", mb(vm_kb("VmRSS:"))));
    let imported = import(csv, &options(), None).expect("import");
    step("read+validate");
    let batch_size = BatchSize::default();
    let plan = BatchPlan::build(&imported.contacts, &settings(), batch_size).expect("plan");
    step("plan");
    let first = check_requests(&plan, NOW_MS, batch_size.get()).expect("requests");
    step("check requests");
    let sheet = keep_sheet.then_some(imported);
    let (people, batches) = (plan.total_numbers(), plan.batches().len());
    let new = NewCampaign::from_plan(
        plan,
        Provenance {
            source_name: "contacts-1m.csv".into(),
            source_sha256: "00".repeat(32),
            mapping_json: "{}".into(),
            profile: "bench".into(),
            endpoint: "http://127.0.0.1:1".into(),
        },
    );
    step("campaign");
    let mut j = Journal::open(journal, NOW_MS).expect("journal");
    let id = j.create_campaign(&new, false, NOW_MS).expect("create");
    step("journaled");
    let elapsed = t.elapsed();
    // The same people again: the guard compares every number with the journal's.
    let t = Instant::now();
    let dup = j.find_duplicate(&new, NOW_MS).expect("guard");
    let guard_time = t.elapsed();
    assert_eq!(dup.map(|d| d.overlapping_numbers as usize), Some(people));
    std::hint::black_box((&sheet, &first, &new, id));
    eprintln!(
        "    {people} numbers in {batches} batches, {:.1} s (duplicate check {:.2} s); RSS after {}",
        elapsed.as_secs_f64(),
        guard_time.as_secs_f64(),
        steps.join(", ")
    );
}

fn main() {
    if let Ok(spec) = std::env::var(CHILD_ENV) {
        let mut parts = spec.split('\n');
        let (what, csv, journal) = (parts.next(), parts.next(), parts.next());
        let keep_sheet = what == Some("desktop");
        send_path(
            Path::new(csv.expect("csv")),
            Path::new(journal.expect("journal")),
            keep_sheet,
        );
        println!("{}", vm_hwm_kb());
        return;
    }
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = dir.path().join("contacts-1m.csv");
    let t = Instant::now();
    write_csv(&csv, CSV_ROWS);
    println!(
        "generated {CSV_ROWS}-row csv ({:.1} MB) in {:.1?}",
        std::fs::metadata(&csv).map(|m| m.len()).unwrap_or(0) as f64 / 1e6,
        t.elapsed()
    );
    println!("\nsend path, csv 1M, peak RSS (VmHWM, fresh child process each run):");
    for (label, what) in [
        ("desktop (sheet kept)", "desktop"),
        ("cli (sheet dropped once planned)", "cli"),
    ] {
        println!("  {label}:");
        for run in 1..=2 {
            let journal: PathBuf = dir.path().join(format!("journal-{what}-{run}.sqlite3"));
            let out = std::process::Command::new(std::env::current_exe().expect("exe"))
                .env(
                    CHILD_ENV,
                    format!("{what}\n{}\n{}", csv.display(), journal.display()),
                )
                .stderr(std::process::Stdio::inherit())
                .output()
                .expect("child");
            match String::from_utf8_lossy(&out.stdout).trim().parse::<u64>() {
                Ok(kb) => println!("    run {run}: peak {}", mb(kb)),
                Err(_) => println!("    run {run}: (not measured)"),
            }
        }
    }
}
