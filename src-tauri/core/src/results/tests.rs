//! Results against the real simulator over HTTP, with a real SQLite journal: a campaign is
//! sent by the real engine, then refreshed, viewed, exported and controlled.
//!
//! This module holds the shared setup (simulator, client, journal, a sent campaign); the
//! tests are in its submodules, by what they exercise.

mod control;
mod refresh;
mod trouble;

use crate::campaign::settings::TaskSettings;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use calamine::{open_workbook, Reader, Xlsx};

use super::control::{control_task, explain};
use super::export::write_results_with;
use super::outcome::classify;
use super::*;
use crate::aliyun::tasks::TaskControl;
use crate::aliyun::{Client, ClientConfig, Credentials};
use crate::campaign::engine::{ControlHandle, Engine, EngineConfig};
use crate::campaign::journal::Journal;
use crate::campaign::model::{NewBatch, NewCampaign, SystemClock, WallClock};
use crate::campaign::numbers::CalledNumbers;
use crate::campaign::tts::TtsValues;
use crate::china_time::Here;
use crate::simulator::outcomes::outcome_for;
use crate::simulator::{
    BatchTaskVisibility, FaultPlan, RunningSimulator, Simulator, SimulatorConfig,
    DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET, DEMO_DIALOG_ID,
};
use crate::text::Lang;

struct Setup {
    sim: RunningSimulator,
    client: Client,
    journal: Arc<Mutex<Journal>>,
    campaign: i64,
    seed: u64,
    _dir: tempfile::TempDir,
}

fn new_campaign(batches: usize, per_batch: usize, schedule_time_ms: Option<i64>) -> NewCampaign {
    let mut n = 0u64;
    NewCampaign {
        source_name: "contacts.xlsx".into(),
        source_sha256: "cd".repeat(32),
        mapping_json: r#"{"phone":"手机"}"#.into(),
        settings: TaskSettings {
            dialog_id: DEMO_DIALOG_ID.into(),
            caller_numbers: vec!["057112345678".into()],
            corp_name: Some("测试公司".into()),
            is_self_line: false,
            early_media_asr: false,
            schedule_time_ms,
            task_name: "结果测试".into(),
        },
        profile: "default".into(),
        endpoint: "http://127.0.0.1".into(),
        batches: (0..batches)
            .map(|b| {
                let numbers: Vec<String> = (0..per_batch)
                    .map(|_| {
                        n += 1;
                        format!("1391234{n:04}")
                    })
                    .collect();
                let params: Vec<serde_json::Value> = numbers
                    .iter()
                    .map(|num| serde_json::json!({"number": num, "params": [format!("客户{num}"), format!("批{b}")]}))
                    .collect();
                let called_numbers = CalledNumbers::try_from(numbers).expect("digits");
                let json = serde_json::Value::Array(params).to_string();
                NewBatch {
                    task_name: format!("结果测试-{}", b + 1),
                    tts_param_head: Some(r#"["姓名","批次"]"#.into()),
                    tts_values: Some(TtsValues::from_json(&json, &called_numbers).expect("values")),
                    source_rows: (0..per_batch as u32).map(|r| r + 2 + (b * per_batch) as u32).collect(),
                    called_numbers,
                }
            })
            .collect(),
    }
}

/// The system clock moved by a fixed amount (the journal's idea of "when it was sent").
struct Shifted(i64);

impl WallClock for Shifted {
    fn now_ms(&self) -> i64 {
        SystemClock.now_ms() + self.0
    }
}

async fn setup(
    config: SimulatorConfig,
    batches: usize,
    per_batch: usize,
    schedule: Option<i64>,
) -> Setup {
    setup_with(config, batches, per_batch, schedule, 0).await
}

/// `shift_ms`: the engine and journal run that far from the simulator's clock.
async fn setup_with(
    config: SimulatorConfig,
    batches: usize,
    per_batch: usize,
    schedule: Option<i64>,
    shift_ms: i64,
) -> Setup {
    let seed = config.seed;
    let sim = Simulator::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .expect("simulator");
    let client = Client::new(
        ClientConfig::with_endpoint(sim.endpoint()),
        Credentials::new(DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let now = SystemClock.now_ms() + shift_ms;
    let mut journal = Journal::open(&dir.path().join("journal.sqlite3"), now).unwrap();
    let campaign = journal
        .create_campaign(&new_campaign(batches, per_batch, schedule), None, now)
        .unwrap();
    let journal = Arc::new(Mutex::new(journal));
    let engine = Engine::new(
        journal.clone(),
        Arc::new(client.clone()),
        EngineConfig {
            qps: 50.0,
            ..EngineConfig::default()
        },
    )
    .with_clock(Arc::new(Shifted(shift_ms)));
    engine
        .run(campaign, &ControlHandle::new(), None)
        .await
        .expect("campaign sent");
    Setup {
        sim,
        client,
        journal,
        campaign,
        seed,
        _dir: dir,
    }
}

/// What the simulator decided for every person, counted the way we classify.
fn expected_counts(s: &Setup) -> BTreeMap<CallOutcome, u32> {
    let j = s.journal.lock().unwrap();
    let mut counts = BTreeMap::new();
    for b in j.batches(s.campaign).unwrap() {
        let task = b.task_id.clone().expect("sent");
        for n in &b.called_numbers {
            let o = outcome_for(s.seed, &task, n, chrono::Utc::now(), None);
            *counts
                .entry(classify(Some(&o.status.code.to_string()), None))
                .or_insert(0) += 1;
        }
    }
    counts
}

fn loaded(s: &Setup) -> CampaignResults {
    let j = s.journal.lock().unwrap();
    load_results(&j, s.campaign, SystemClock.now_ms()).unwrap()
}

fn actual_counts(r: &CampaignResults) -> BTreeMap<CallOutcome, u32> {
    r.counts
        .iter()
        .filter(|c| c.count > 0)
        .map(|c| (c.outcome, c.count))
        .collect()
}

async fn refresh(s: &Setup, options: &RefreshOptions) -> RefreshReport {
    refresh_campaign(
        &s.journal,
        &s.client,
        s.campaign,
        options,
        &|_| {},
        &CancelToken::new(),
    )
    .await
    .expect("refresh")
}

fn fast() -> RefreshOptions {
    RefreshOptions {
        qps: 200.0,
        ..RefreshOptions::default()
    }
}
