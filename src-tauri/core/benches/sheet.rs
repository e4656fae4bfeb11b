//! Contact-sheet speed and memory (issue 4). Not a pass/fail test: it prints figures.
//!
//! `cargo bench -p smartdial-core --bench sheet`
//!
//! Generates a 100,000-row .xlsx (phone + 3 Chinese text columns) and a 1,000,000-row CSV
//! in a temp folder, then measures, over several runs:
//! - read + validate + plan of the .xlsx vs a bare calamine `worksheet_range` read of the
//!   same file (min/median and the ratio);
//! - read + validate + plan of the 1M-row CSV;
//! - peak RSS (VmHWM) of each pipeline, each in a fresh child process so the generators'
//!   memory does not count.
//!
//! Targets: xlsx < 1.0 s and within 1.5× of calamine; RSS < 200 MB; CSV < 5 s.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a benchmark fails loudly

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use smartdial_core::campaign::plan::{BatchPlan, BatchSize};
use smartdial_core::sheet::{import, read};

mod support;
use support::{options, row, settings, vm_hwm_kb, vm_kb, write_csv};

const XLSX_ROWS: usize = 100_000;
const CSV_ROWS: usize = 1_000_000;
const CHILD_ENV: &str = "SMARTDIAL_BENCH_CHILD";

fn write_xlsx(path: &Path) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["手机号", "姓名", "地址", "产品"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).expect("header");
    }
    for i in 0..XLSX_ROWS {
        let (phone, name, city, product) = row(i);
        let r = i as u32 + 1;
        // Half the phones as numbers (Excel's General format), half as text.
        match phone.parse::<f64>() {
            Ok(n) if i % 2 == 0 => ws.write_number(r, 0, n).map(|_| ()),
            _ => ws.write_string(r, 0, &phone).map(|_| ()),
        }
        .expect("phone");
        ws.write_string(r, 1, &name).expect("name");
        ws.write_string(r, 2, city).expect("city");
        ws.write_string(r, 3, product).expect("product");
    }
    wb.save(path).expect("save xlsx");
}

/// read + detect + validate + plan; returns (sendable numbers, batches).
fn pipeline(path: &Path) -> (usize, usize) {
    let imported = import(path, &options(), None).expect("import");
    let plan =
        BatchPlan::build(&imported.contacts, &settings(), BatchSize::default()).expect("plan");
    (plan.total_numbers(), plan.batches().len())
}

/// One run split into its steps, to see where the time goes.
fn phases(path: &Path) {
    let t = Instant::now();
    let mut wb = read::open(path, smartdial_core::sheet::Limits::default()).expect("open");
    let opened = t.elapsed();
    let sheet = wb.read_sheet(None).expect("read");
    let read_done = t.elapsed();
    drop(wb);
    let imported = smartdial_core::sheet::from_sheet(sheet, &options(), None).expect("validate");
    let validated = t.elapsed();
    let plan =
        BatchPlan::build(&imported.contacts, &settings(), BatchSize::default()).expect("plan");
    let planned = t.elapsed();
    std::hint::black_box(plan);
    println!(
        "  phases of one run: open {:.3} s, read cells {:.3} s, validate {:.3} s, plan {:.3} s",
        opened.as_secs_f64(),
        (read_done - opened).as_secs_f64(),
        (validated - read_done).as_secs_f64(),
        (planned - validated).as_secs_f64()
    );
    // Planning alone, repeated: one run is at the mercy of the machine's load.
    let (times, batches) = time(15, || {
        BatchPlan::build(&imported.contacts, &settings(), BatchSize::default())
            .expect("plan")
            .batches()
            .len()
    });
    let (min, med) = stats(&times);
    println!("  plan alone, 15 runs: min {min:.4} s, median {med:.4} s ({batches} batches)");
}

fn bare(path: &Path) -> usize {
    read::bare_calamine_cell_count(path, None).expect("calamine")
}

fn child_rss(what: &str, path: &Path) -> Option<u64> {
    let out = std::process::Command::new(std::env::current_exe().ok()?)
        .env(CHILD_ENV, format!("{what}:{}", path.display()))
        .stderr(std::process::Stdio::inherit())
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Vec<Duration>, T) {
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let v = f();
        times.push(t.elapsed());
        last = Some(v);
    }
    times.sort();
    (times, last.expect("at least one run"))
}

fn stats(times: &[Duration]) -> (f64, f64) {
    (times[0].as_secs_f64(), times[times.len() / 2].as_secs_f64())
}

fn main() {
    if let Ok(spec) = std::env::var(CHILD_ENV) {
        let (what, path) = spec.split_once(':').expect("child spec");
        let path = PathBuf::from(path);
        match what {
            "bare" => {
                std::hint::black_box(bare(&path));
            }
            "steps" => {
                // Resident memory after each step, to see what the peak is made of.
                let mut wb =
                    read::open(&path, smartdial_core::sheet::Limits::default()).expect("open");
                let sheet = wb.read_sheet(None).expect("read");
                // The decoded text and the grid are both alive here, just before the text goes.
                let read_peak = vm_hwm_kb();
                drop(wb);
                let after_read = vm_kb("VmRSS:");
                let imported =
                    smartdial_core::sheet::from_sheet(sheet, &options(), None).expect("validate");
                let after_validate = vm_kb("VmRSS:");
                let plan = BatchPlan::build(&imported.contacts, &settings(), BatchSize::default())
                    .expect("plan");
                let after_plan = vm_kb("VmRSS:");
                std::hint::black_box(&plan);
                eprintln!(
                    "    peak while reading {:.0} MB; RSS after read {:.0} MB, after validate {:.0} MB, after plan {:.0} MB",
                    read_peak as f64 / 1024.0,
                    after_read as f64 / 1024.0,
                    after_validate as f64 / 1024.0,
                    after_plan as f64 / 1024.0
                );
            }
            _ => {
                std::hint::black_box(pipeline(&path));
            }
        }
        println!("{}", vm_hwm_kb());
        return;
    }
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let xlsx = dir.path().join("contacts-100k.xlsx");
    let csv = dir.path().join("contacts-1m.csv");
    let t = Instant::now();
    write_xlsx(&xlsx);
    let xlsx_size = std::fs::metadata(&xlsx).map(|m| m.len()).unwrap_or(0);
    println!(
        "generated {XLSX_ROWS}-row xlsx ({:.1} MB) in {:.1?}",
        xlsx_size as f64 / 1e6,
        t.elapsed()
    );
    let t = Instant::now();
    write_csv(&csv, CSV_ROWS);
    let csv_size = std::fs::metadata(&csv).map(|m| m.len()).unwrap_or(0);
    println!(
        "generated {CSV_ROWS}-row csv ({:.1} MB) in {:.1?}",
        csv_size as f64 / 1e6,
        t.elapsed()
    );

    // Warm the page cache and the allocator once.
    bare(&xlsx);
    pipeline(&xlsx);
    phases(&xlsx);

    let runs = 7;
    let (mut bare_times, mut ours_times) = (Vec::new(), Vec::new());
    let mut cells = 0;
    let mut planned = (0, 0);
    // Interleave so both see the same machine load.
    for _ in 0..runs {
        let (t, c) = time(1, || bare(&xlsx));
        bare_times.extend(t);
        cells = c;
        let (t, p) = time(1, || pipeline(&xlsx));
        ours_times.extend(t);
        planned = p;
    }
    bare_times.sort();
    ours_times.sort();
    let (bare_min, bare_med) = stats(&bare_times);
    let (ours_min, ours_med) = stats(&ours_times);
    println!("\n100k-row xlsx, {runs} runs each (interleaved):");
    println!("  bare calamine worksheet_range: min {bare_min:.3} s, median {bare_med:.3} s ({cells} cells)");
    println!(
        "  read+validate+plan:            min {ours_min:.3} s, median {ours_med:.3} s ({} numbers in {} batches)",
        planned.0, planned.1
    );
    println!(
        "  ratio ours/bare: median {:.2}x, min {:.2}x   [target < 1.0 s and <= 1.5x]",
        ours_med / bare_med,
        ours_min / bare_min
    );

    let (csv_times, csv_planned) = time(3, || pipeline(&csv));
    let (csv_min, csv_med) = stats(&csv_times);
    println!("\n1M-row csv, 3 runs: read+validate+plan min {csv_min:.3} s, median {csv_med:.3} s ({} numbers in {} batches)   [target < 5 s]", csv_planned.0, csv_planned.1);

    println!("\npeak RSS (VmHWM, fresh child process each)   [target < 200 MB]:");
    for (label, what, path) in [
        ("xlsx bare calamine", "bare", &xlsx),
        ("xlsx read+validate+plan", "ours", &xlsx),
        ("csv 1M read+validate+plan", "ours", &csv),
    ] {
        match child_rss(what, path) {
            Some(kb) => println!("  {label:28} {:.1} MB", kb as f64 / 1024.0),
            None => println!("  {label:28} (not measured)"),
        }
    }
    println!("  csv 1M, step by step:");
    let _ = child_rss("steps", &csv);
}
