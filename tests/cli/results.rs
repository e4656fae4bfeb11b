//! `smartdial results` / `status` / `export` against the simulator: a campaign sent with
//! `smartdial submit`, its results refreshed into the real journal, compared with the
//! simulator's deterministic outcomes, and exported to an .xlsx read back with calamine.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

use calamine::{open_workbook, Reader, Xlsx};
use serde_json::Value;
use smartdial_core::results::outcome::classify;
use smartdial_core::simulator::outcomes::outcome_for;
use smartdial_core::simulator::{
    BatchTaskVisibility, SimulatorConfig, SimulatorHandle, DEFAULT_SEED, DEMO_DIALOG_ID,
};

use crate::support::{start_simulator_with, stderr, stdout, use_simulator, Cli};

struct Run {
    cli: Cli,
    sim: SimulatorHandle,
}

impl Run {
    fn new(config: SimulatorConfig) -> Run {
        Run {
            cli: Cli::new(),
            sim: start_simulator_with(config),
        }
    }

    fn run(&self, args: &[&str]) -> Output {
        let mut cmd = self.cli.command();
        use_simulator(&mut cmd, &self.sim);
        cmd.stdin(Stdio::null())
            .args(args)
            .output()
            .expect("run smartdial")
    }

    /// Sends `n` people in batches of `batch_size` with `smartdial submit`.
    fn submit(&self, n: usize, batch_size: usize) -> PathBuf {
        let path = self.cli.data_path().join("contacts.csv");
        let mut text = String::from("手机,姓名\n");
        for i in 0..n {
            text.push_str(&format!("1380013{i:04},客户{i}\n"));
        }
        std::fs::write(&path, text).expect("write csv");
        let batch = batch_size.to_string();
        let out = self.run(&[
            "submit",
            path.to_str().unwrap(),
            "--dialog-id",
            DEMO_DIALOG_ID,
            "--caller",
            "057112345678",
            "--corp-name",
            "测试公司",
            "--task-name",
            "回访",
            "--var",
            "name=姓名",
            "--qps",
            "50",
            "--batch-size",
            &batch,
            "--yes",
            "--json",
        ]);
        assert!(out.status.success(), "submit failed: {}", stderr(&out));
        path
    }
}

fn json(out: &Output) -> Value {
    serde_json::from_str(&stdout(out)).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}):\nstdout: {}\nstderr: {}",
            stdout(out),
            stderr(out)
        )
    })
}

/// The outcome codes the simulator decided, classified as SmartDial does.
fn expected(people: &[Value]) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for p in people {
        let task = p["taskId"].as_str().unwrap();
        let number = p["number"].as_str().unwrap();
        let o = outcome_for(DEFAULT_SEED, task, number, chrono::Utc::now(), None);
        let outcome = classify(Some(&o.status.code.to_string()), None);
        *counts.entry(outcome.as_str().to_owned()).or_insert(0) += 1;
    }
    counts
}

fn counts(results: &Value) -> BTreeMap<String, u64> {
    results["counts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["count"].as_u64().unwrap() > 0)
        .map(|c| {
            (
                c["outcome"].as_str().unwrap().to_owned(),
                c["count"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn read_sheet(file: &Path, sheet: &str) -> Vec<Vec<String>> {
    let mut book: Xlsx<_> = open_workbook(file).expect("open the export");
    book.worksheet_range(sheet)
        .expect("sheet")
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

#[test]
fn a_three_batch_campaign_is_refreshed_counted_and_exported() {
    let run = Run::new(SimulatorConfig::demo());
    run.submit(7, 3);

    // Before any refresh everyone is waiting for a result.
    let before = json(&run.run(&["results", "--json"]));
    assert_eq!(before["results"]["pending"], 7);
    assert!(before["refresh"].is_null());

    let out = run.run(&["results", "1", "--refresh", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let body = json(&out);
    let refresh = &body["refresh"];
    assert_eq!(refresh["mode"], "taskCallList");
    assert_eq!(refresh["found"], 7);
    let results = &body["results"];
    let people = results["people"].as_array().unwrap();
    assert_eq!(people.len(), 7);
    let tasks: std::collections::BTreeSet<_> = people
        .iter()
        .map(|p| p["taskId"].as_str().unwrap())
        .collect();
    assert_eq!(tasks.len(), 3, "three batches, three TaskIds");
    assert_eq!(counts(results), expected(people));
    assert_eq!(results["variableNames"], serde_json::json!(["name"]));
    assert_eq!(people[0]["variables"][0]["value"], "客户0");
    assert_eq!(people[0]["sourceRow"], 2);

    // Final results are not asked for again.
    let again = json(&run.run(&["results", "--refresh", "--json"]));
    assert_eq!(again["refresh"]["requests"], 0);
    assert_eq!(again["refresh"]["skippedFinal"], 7);

    // Text output names the outcomes.
    let text = stdout(&run.run(&["results"]));
    assert!(text.contains("13800130000"), "{text}");

    let file = run.cli.data_path().join("report.xlsx");
    let out = run.run(&["export", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Exported 7 people of campaign #1"));
    // SMARTDIAL_LANG=en: an English report, the codes on the last sheet.
    let rows = read_sheet(&file, "Results");
    assert_eq!(rows.len(), 8);
    let head = &rows[0];
    let col = |head: &[String], name: &str| {
        head.iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {head:?}"))
    };
    assert!(
        !head
            .iter()
            .any(|h| h.contains("code") || h.contains("Task")),
        "{head:?}"
    );
    for (row, p) in rows[1..].iter().zip(people) {
        assert_eq!(row[col(head, "Number")], p["number"].as_str().unwrap());
        assert_eq!(
            row[col(head, "name")],
            p["variables"][0]["value"].as_str().unwrap()
        );
        assert_eq!(
            row[col(head, "Outcome")],
            p["outcomeLabel"]["en"].as_str().unwrap()
        );
    }
    let codes = read_sheet(&file, "Codes");
    for (row, p) in codes[1..].iter().zip(people) {
        assert_eq!(
            row[col(&codes[0], "Task ID")],
            p["taskId"].as_str().unwrap()
        );
        assert_eq!(
            row[col(&codes[0], "Outcome code")],
            p["outcome"].as_str().unwrap()
        );
    }
    let summary = read_sheet(&file, "Summary");
    let labels: BTreeMap<String, String> = smartdial_core::results::CallOutcome::ALL
        .iter()
        .map(|o| (o.label().en, o.as_str().to_owned()))
        .collect();
    let exported: BTreeMap<String, u64> = summary[1..]
        .iter()
        .take(smartdial_core::results::CallOutcome::ALL.len())
        .filter(|r| r[1] != "0")
        .map(|r| (labels[&r[0]].clone(), r[1].parse::<f64>().unwrap() as u64))
        .collect();
    assert_eq!(exported, expected(people));

    // In Chinese, the same report in Chinese.
    let file = run.cli.data_path().join("报告.xlsx");
    let mut cmd = run.cli.command();
    let out = cmd
        .args(["--lang", "zh-CN", "export", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("已导出活动 #1 的 7 人"),
        "{}",
        stdout(&out)
    );
    let book: Xlsx<_> = open_workbook(&file).expect("open the export");
    assert_eq!(book.sheet_names(), ["通话结果", "汇总", "代码明细"]);
    let rows = read_sheet(&file, "通话结果");
    assert_eq!(rows[0][..4], ["表格行", "号码", "批次", "name"]);
    assert_eq!(
        rows[1][col(&rows[0], "结果")],
        people[0]["outcomeLabel"]["zhCn"].as_str().unwrap()
    );
}

#[test]
fn status_shows_a_task_and_one_callee() {
    let run = Run::new(SimulatorConfig::demo());
    run.submit(4, 2);
    let results = json(&run.run(&["results", "--refresh", "--json"]));
    let person = &results["results"]["people"][0];
    let task = person["taskId"].as_str().unwrap();

    let all = json(&run.run(&["status", task, "--json"]));
    // The robot-task API knows the task here (calls still in progress in simulator time).
    assert!(all["task"]["status"]
        .as_str()
        .is_some_and(|s| !s.is_empty()));
    assert!(all["taskNote"].is_null());
    assert_eq!(all["calls"].as_array().unwrap().len(), 2);

    let number = person["number"].as_str().unwrap();
    let one = json(&run.run(&["status", task, "--callee", number, "--json"]));
    let calls = one["calls"].as_array().unwrap();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0]["outcome"], person["outcome"]);
    assert_eq!(calls[0]["record"]["source"], "callDetail");
}

#[test]
fn where_the_task_apis_refuse_batch_task_ids_results_come_per_callee() {
    let run = Run::new(SimulatorConfig {
        batch_task_visibility: BatchTaskVisibility::Error,
        ..SimulatorConfig::demo()
    });
    run.submit(5, 3);
    let body = json(&run.run(&["results", "--refresh", "--json"]));
    let refresh = &body["refresh"];
    assert_eq!(refresh["mode"], "perCallee");
    assert_eq!(refresh["degraded"]["code"], "aliyun.isv.INVALID_PARAMETERS");
    assert_eq!(refresh["found"], 5);
    let people = body["results"]["people"].as_array().unwrap();
    assert_eq!(counts(&body["results"]), expected(people));
    let record = run.sim.record();
    assert_eq!(record.requests_for("QueryRobotTaskCallList").count(), 1);

    // status falls back to the journal's numbers for the task.
    let task = people[0]["taskId"].as_str().unwrap();
    let status = json(&run.run(&["status", task, "--json"]));
    assert!(status["task"].is_null());
    assert_eq!(status["taskNote"]["code"], "aliyun.isv.INVALID_PARAMETERS");
    assert_eq!(status["calls"].as_array().unwrap().len(), 3);

    // A task this computer does not know, without --callee: a clear refusal.
    let unknown = run.run(&["status", "4000000000999", "--json"]);
    assert!(!unknown.status.success());
    assert_eq!(json(&unknown)["error"]["code"], "status.need_callee");
}

#[test]
fn export_without_any_campaign_says_what_to_do() {
    let run = Run::new(SimulatorConfig::demo());
    let file = run.cli.data_path().join("none.xlsx");
    let out = run.run(&["export", file.to_str().unwrap(), "--json"]);
    assert!(!out.status.success());
    assert_eq!(json(&out)["error"]["code"], "results.no_campaign");
    assert!(!file.exists());
}

/// Every `YYYY-MM-DD HH:MM` in `text` but the computer's own (`本机时间 …`), each with the
/// text after it.
fn stamps(text: &str) -> Vec<(&str, &str)> {
    let b = text.as_bytes();
    let shape = b"dddd-dd-dd dd:dd";
    (0..b.len().saturating_sub(shape.len() - 1))
        .filter(|&i| {
            shape.iter().enumerate().all(|(k, s)| match s {
                b'd' => b[i + k].is_ascii_digit(),
                c => b[i + k] == *c,
            }) && (i == 0 || !b[i - 1].is_ascii_digit())
                && !text[..i].ends_with("本机时间 ")
        })
        .map(|i| (&text[i..i + shape.len()], &text[i + shape.len()..]))
        .collect()
}

#[test]
fn every_time_printed_is_china_time_with_the_zone_and_the_local_time_beside_it() {
    let run = Run::new(SimulatorConfig::demo());
    run.submit(2, 2);
    let refreshed = run.run(&["results", "--refresh", "--json"]);
    assert!(refreshed.status.success(), "{}", stderr(&refreshed));
    let text_in = |tz: &str, args: &[&str]| {
        let mut cmd = run.cli.command();
        use_simulator(&mut cmd, &run.sim);
        let out = cmd
            .env("TZ", tz)
            .args(["--lang", "zh-CN"])
            .args(args)
            .output()
            .expect("run smartdial");
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    };
    for args in [&["campaigns"][..], &["campaigns", "1"], &["results"]] {
        // Berlin is 7 hours behind China in December, 6 in summer: never the same clock.
        let text = text_in("Europe/Berlin", args);
        let found = stamps(&text);
        assert!(!found.is_empty(), "{args:?}: no time in {text}");
        for (stamp, after) in found {
            assert!(
                after.starts_with(" 北京时间（本机时间 "),
                "{args:?}: {stamp} is not China time with the local time: {text}"
            );
        }
        let text = text_in("Asia/Shanghai", args);
        assert!(text.contains(" 北京时间"), "{text}");
        assert!(!text.contains("本机时间"), "the same clock twice: {text}");
    }
}

#[test]
fn a_refresh_archives_every_answered_recording_into_the_data_folder_once() {
    let run = Run::new(SimulatorConfig {
        results_after_call_end: false,
        ..SimulatorConfig::with_faults(smartdial_core::simulator::FaultPlan::default())
    });
    run.submit(12, 12);
    let out = run.run(&["results", "1", "--refresh", "--query", "callee", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let body = json(&out);
    let people = body["results"]["people"].as_array().unwrap();
    let answered: Vec<&Value> = people
        .iter()
        .filter(|p| p["outcome"] == "answered")
        .collect();
    assert!(!answered.is_empty());
    assert_eq!(
        body["archive"]["archived"],
        answered.len(),
        "{:#}",
        body["archive"]
    );
    // Read again later, the results point at the archived files.
    let again = json(&run.run(&["results", "1", "--json"]));
    for p in again["results"]["people"].as_array().unwrap() {
        if p["outcome"] != "answered" {
            assert!(p["recordingPath"].is_null());
            continue;
        }
        let rel = p["recordingPath"].as_str().expect("archived");
        let bytes = std::fs::read(run.cli.data_path().join(rel)).expect("file");
        let served = p["recordUrl"]
            .as_str()
            .unwrap()
            .split('?')
            .next()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
            .to_owned();
        assert_eq!(bytes, smartdial_core::simulator::recording_wav(&served));
        assert!(!p["transcript"].as_array().unwrap().is_empty());
    }
    let served = run.sim.record().recordings_served.len();
    let second = json(&run.run(&["results", "1", "--refresh", "--query", "callee", "--json"]));
    assert_eq!(second["archive"]["archived"], 0);
    assert_eq!(second["archive"]["already"], answered.len());
    assert_eq!(
        run.sim.record().recordings_served.len(),
        served,
        "nothing fetched twice"
    );
}

/// Recording links are credentials: with every log line on, archiving them leaves neither a
/// link (with or without its query) nor the secret in the log.
#[test]
fn archiving_at_trace_level_logs_no_recording_link_and_no_secret() {
    let run = Run::new(SimulatorConfig {
        results_after_call_end: false,
        ..SimulatorConfig::with_faults(smartdial_core::simulator::FaultPlan::default())
    });
    run.submit(6, 6);
    let out = run.run(&[
        "--log",
        "trace",
        "results",
        "1",
        "--refresh",
        "--query",
        "callee",
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let log = stderr(&out);
    assert!(log.contains("TRACE") || log.contains("DEBUG"), "{log}");
    let body = json(&out);
    assert!(
        body["archive"]["archived"].as_u64().unwrap_or(0) > 0,
        "{body:#}"
    );
    let links: Vec<&str> = body["results"]["people"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["recordUrl"].as_str())
        .collect();
    assert!(!links.is_empty());
    for link in links {
        let without_query = link.split('?').next().unwrap();
        let path = without_query.split("://").nth(1).unwrap();
        let path = &path[path.find('/').unwrap()..];
        assert!(!log.contains(path), "a recording link in the log: {path}");
    }
    assert!(!log.contains("Expires="), "a signed link in the log");
    assert!(!log.contains(smartdial_core::simulator::DEMO_ACCESS_KEY_SECRET));
}
