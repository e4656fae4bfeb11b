//! The sending engine at scale: 100 batches × 1000 numbers against the local simulator
//! answering after 100 ms, with the QPS cap at 20 and 8 requests in flight.
//!
//! Run with `cargo bench -p smartdial-core --bench engine`. Prints wall time (the cap
//! allows 100 requests in 5 s), the client's CPU time, and the journal's size on disk.
//!
//! The simulator runs on its own thread in this process; the engine runs on the main
//! thread (a current-thread runtime, as in the CLI), so the main thread's CPU time
//! (`/proc/thread-self/stat`, Linux) is the client's: journal, signing, HTTP, JSON.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a benchmark fails loudly

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use smartdial_core::aliyun::{Client, ClientConfig, Credentials};
use smartdial_core::campaign::engine::{ControlHandle, Engine, EngineConfig, RunEnd};
use smartdial_core::campaign::journal::Journal;
use smartdial_core::campaign::model::{NewBatch, NewCampaign, SystemClock, WallClock};
use smartdial_core::campaign::numbers::CalledNumbers;
use smartdial_core::campaign::settings::TaskSettings;
use smartdial_core::simulator::{
    FaultPlan, Simulator, SimulatorConfig, DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET,
    DEMO_DIALOG_ID,
};

const BATCHES: usize = 100;
const PER_BATCH: usize = 1000;
const QPS: f64 = 20.0;
const CONCURRENCY: usize = 8;
const LATENCY_MS: u64 = 100;

/// (user, system) CPU seconds of a `/proc/.../stat` file, or `None` off Linux.
fn cpu_seconds(stat_path: &str) -> Option<(f64, f64)> {
    let stat = std::fs::read_to_string(stat_path).ok()?;
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // After the command name: state is field 3, utime 14 and stime 15 (1-based, man proc).
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    // USER_HZ is 100 on every mainstream Linux build.
    Some((utime / 100.0, stime / 100.0))
}

fn campaign(endpoint: &str) -> NewCampaign {
    let mut n: u64 = 0;
    NewCampaign {
        source_name: "bench.xlsx".into(),
        source_sha256: "00".repeat(32),
        mapping_json: "{}".into(),
        settings: TaskSettings {
            dialog_id: DEMO_DIALOG_ID.into(),
            caller_numbers: vec!["057112345678".into()],
            corp_name: Some("基准测试公司".into()),
            is_self_line: false,
            early_media_asr: false,
            schedule_time_ms: None,
            task_name: "基准".into(),
        },
        profile: "bench".into(),
        endpoint: endpoint.into(),
        batches: (0..BATCHES)
            .map(|b| {
                let numbers: Vec<String> = (0..PER_BATCH)
                    .map(|_| {
                        n += 1;
                        format!("139{n:08}")
                    })
                    .collect();
                // No TtsParam: with one, 1000 numbers make a URL of ~110 KB, more than the
                // `http` crate (and real gateways) accept, so the bench measures the engine, not URL size.
                NewBatch {
                    task_name: format!("基准 ({}/{BATCHES})", b + 1),
                    tts_param_head: None,
                    tts_values: None,
                    source_rows: (0..PER_BATCH as u32).map(|r| r + 2).collect(),
                    called_numbers: CalledNumbers::try_from(numbers).expect("digits"),
                }
            })
            .collect(),
    }
}

fn main() {
    let sim = Simulator::spawn_in_thread(SimulatorConfig {
        faults: FaultPlan {
            latency_ms: LATENCY_MS,
            ..FaultPlan::default()
        },
        ..SimulatorConfig::demo()
    })
    .expect("simulator");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("journal.sqlite3");
    let mut journal = Journal::open(&path, SystemClock.now_ms()).expect("journal");
    let new = campaign(&sim.endpoint());
    let created = Instant::now();
    let id = journal
        .create_campaign(&new, false, SystemClock.now_ms())
        .expect("create");
    let create_time = created.elapsed();

    let client = Client::new(
        ClientConfig::with_endpoint(sim.endpoint()),
        Credentials::new(DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET),
    )
    .expect("client");
    let engine = Engine::new(
        Arc::new(Mutex::new(journal)),
        Arc::new(client),
        EngineConfig {
            qps: QPS,
            concurrency: CONCURRENCY,
            ..EngineConfig::default()
        },
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");

    let thread_cpu_before = cpu_seconds("/proc/thread-self/stat");
    let process_cpu_before = cpu_seconds("/proc/self/stat");
    let start = Instant::now();
    let report = runtime
        .block_on(engine.run(id, &ControlHandle::new(), None))
        .expect("run");
    let wall = start.elapsed();
    let thread_cpu_after = cpu_seconds("/proc/thread-self/stat");
    let process_cpu_after = cpu_seconds("/proc/self/stat");

    assert_eq!(report.end, RunEnd::Finished);
    assert!(
        report.campaign.batches.all_sent(),
        "{:?}",
        report.campaign.batches
    );
    let received = sim.record().called_numbers().len();
    assert_eq!(received, BATCHES * PER_BATCH);

    let size = |p: &std::path::Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let wal = path.with_file_name("journal.sqlite3-wal");
    let allowed = Duration::from_secs_f64(BATCHES as f64 / QPS);
    println!("engine benchmark: {BATCHES} batches x {PER_BATCH} numbers, simulator latency {LATENCY_MS} ms, QPS cap {QPS}, concurrency {CONCURRENCY}");
    println!(
        "  journal insert of the campaign: {:.3} s",
        create_time.as_secs_f64()
    );
    println!(
        "  wall time: {:.3} s (the cap allows {:.1} s; {:+.1}%)",
        wall.as_secs_f64(),
        allowed.as_secs_f64(),
        (wall.as_secs_f64() / allowed.as_secs_f64() - 1.0) * 100.0
    );
    match (thread_cpu_before, thread_cpu_after) {
        (Some((u0, s0)), Some((u1, s1))) => println!(
            "  client CPU (engine thread): {:.2} s user + {:.2} s system = {:.2} s",
            u1 - u0,
            s1 - s0,
            (u1 - u0) + (s1 - s0)
        ),
        _ => println!("  client CPU: not measurable on this OS"),
    }
    if let (Some((u0, s0)), Some((u1, s1))) = (process_cpu_before, process_cpu_after) {
        println!(
            "  whole process incl. simulator: {:.2} s user + {:.2} s system",
            u1 - u0,
            s1 - s0
        );
    }
    println!(
        "  journal size: {} bytes database + {} bytes WAL ({:.1} MiB total)",
        size(&path),
        size(&wal),
        (size(&path) + size(&wal)) as f64 / (1024.0 * 1024.0)
    );
    println!("  numbers received by the simulator: {received}");
}
