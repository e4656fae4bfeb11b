//! `smartdial submit` / `resume` / `campaigns` against the simulator: the fault matrix, a
//! crash in the middle of a campaign, and two processes racing for the same campaign. The
//! simulator's own record is the proof of what was really received.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use smartdial_core::campaign::journal::Journal;
use smartdial_core::campaign::model::BatchState;
use smartdial_core::simulator::{
    FaultPlan, ScriptedAnswer, SimulatorConfig, SimulatorHandle, DEMO_ACCESS_KEY_SECRET,
    DEMO_DIALOG_ID,
};

use crate::support::{start_simulator, start_simulator_with, stderr, stdout, use_simulator, Cli};

/// Faults aimed at `BatchRobotSmartCall` only.
fn batch_faults() -> FaultPlan {
    FaultPlan {
        actions: vec!["BatchRobotSmartCall".into()],
        ..FaultPlan::default()
    }
}

/// A CSV of `n` people: 手机 (phone) and 姓名 (name).
fn contacts(cli: &Cli, n: usize) -> PathBuf {
    let path = cli.data_path().join(format!("contacts-{n}.csv"));
    let mut text = String::from("手机,姓名\n");
    for i in 0..n {
        text.push_str(&format!("1380013{i:04},客户{i}\n"));
    }
    std::fs::write(&path, text).expect("write csv");
    path
}

fn number(i: usize) -> String {
    format!("1380013{i:04}")
}

struct Run<'a> {
    cli: &'a Cli,
    sim: &'a SimulatorHandle,
}

impl Run<'_> {
    fn command(&self) -> std::process::Command {
        let mut cmd = self.cli.command();
        use_simulator(&mut cmd, self.sim);
        cmd.stdin(Stdio::null());
        cmd
    }

    fn submit_args(file: &Path, batch_size: usize, extra: &[&str]) -> Vec<String> {
        let mut args: Vec<String> = [
            "submit",
            file.to_str().unwrap(),
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
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        args.push("--batch-size".into());
        args.push(batch_size.to_string());
        args.extend(extra.iter().map(|s| s.to_string()));
        args
    }

    fn submit(&self, file: &Path, batch_size: usize, extra: &[&str]) -> Output {
        self.command()
            .args(Self::submit_args(file, batch_size, extra))
            .output()
            .expect("run submit")
    }

    fn spawn_submit(&self, file: &Path, batch_size: usize, extra: &[&str]) -> Child {
        self.command()
            .args(Self::submit_args(file, batch_size, extra))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn submit")
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().expect("run smartdial")
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

fn states(report: &Value) -> Vec<String> {
    report["batches"]
        .as_array()
        .expect("batches")
        .iter()
        .map(|b| b["state"].as_str().unwrap().to_owned())
        .collect()
}

/// How often the simulator received each number (accepted calls only: those created a task).
fn received(sim: &SimulatorHandle) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for n in sim.record().called_numbers() {
        *counts.entry(n).or_insert(0) += 1;
    }
    counts
}

fn batch_requests(sim: &SimulatorHandle) -> usize {
    sim.record().requests_for("BatchRobotSmartCall").count()
}

fn wait_until(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_clean_campaign_sends_every_number_once_and_exits_zero() {
    let cli = Cli::new();
    let sim = start_simulator(FaultPlan::default());
    let file = contacts(&cli, 5);
    let run = Run {
        cli: &cli,
        sim: &sim,
    };
    let out = run.submit(&file, 2, &["--yes", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(report["allSent"], true);
    assert_eq!(report["end"], "finished");
    assert_eq!(states(&report), ["sent", "sent", "sent"]);
    assert_eq!(report["campaign"]["totalNumbers"], 5);
    let got = received(&sim);
    assert_eq!(got.len(), 5);
    assert!(got.values().all(|&n| n == 1));
    // The TaskIds the journal holds are the ones the simulator created.
    let record = sim.record();
    let sim_tasks: BTreeSet<_> = record
        .accepted()
        .filter_map(|c| c.task_id.clone())
        .collect();
    let journal_tasks: BTreeSet<_> = report["batches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["taskId"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(sim_tasks, journal_tasks);
    // Variables reached the wire as TtsParam.
    let first = &record.batch_calls[0];
    assert_eq!(first.tts_param_head.as_deref(), Some(r#"["name"]"#));
    assert!(first.tts_param.as_deref().unwrap().contains("客户0"));

    let listed = json(&run.run(&["campaigns", "--json"]));
    assert_eq!(listed[0]["state"], "finished");
    assert_eq!(listed[0]["batches"]["sent"], 3);
    assert_eq!(listed[0]["sourceName"], "contacts-5.csv");

    // The AccessKey secret is nowhere in the journal files.
    for name in ["journal.sqlite3", "journal.sqlite3-wal"] {
        let bytes = std::fs::read(cli.data_path().join(name)).unwrap_or_default();
        let needle = DEMO_ACCESS_KEY_SECRET.as_bytes();
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle),
            "secret found in {name}"
        );
    }
}

#[test]
fn throttled_requests_are_retried_and_each_batch_is_received_once() {
    let cli = Cli::new();
    let sim = start_simulator(FaultPlan {
        throttle_first: 2,
        ..batch_faults()
    });
    let file = contacts(&cli, 4);
    let run = Run {
        cli: &cli,
        sim: &sim,
    };
    let out = run.submit(&file, 2, &["--yes", "--concurrency", "1"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("Batch 1: throttled or not delivered (Throttling.User); retrying in"),
        "{err}"
    );
    assert!(stdout(&out).contains("2 of 2 batches sent (4/4 people)"));
    assert_eq!(batch_requests(&sim), 4); // 2 throttled + 2 accepted
    let got = received(&sim);
    assert_eq!(got.len(), 4);
    assert!(got.values().all(|&n| n == 1));
    let journal = Journal::open(&cli.data_path().join("journal.sqlite3"), 0).unwrap();
    assert_eq!(journal.batch(1, 0).unwrap().attempts, 3);
}

/// Runs a 3-batch campaign where the request of batch `nth` meets `faults`, and checks it
/// ends `unknown` with `code`, is never retried, and the message says so.
fn unknown_case(faults: FaultPlan, extra: &[&str], code: &str, message: &str) {
    let cli = Cli::new();
    let sim = start_simulator(faults);
    let file = contacts(&cli, 6);
    let run = Run {
        cli: &cli,
        sim: &sim,
    };
    let mut args = vec!["--yes", "--json", "--concurrency", "1"];
    args.extend_from_slice(extra);
    let out = run.submit(&file, 2, &args);
    assert!(
        !out.status.success(),
        "must not exit 0 with an unknown batch"
    );
    let report = json(&out);
    let unknown: Vec<&Value> = report["batches"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["state"] == "unknown")
        .collect();
    assert_eq!(unknown.len(), 1, "{report:#}");
    let b = unknown[0];
    assert_eq!(b["errorCode"], code, "{b:#}");
    assert_eq!(b["attempts"], 1);
    let text = b["message"].as_str().unwrap();
    assert!(text.contains(message), "{text}");
    let hint = b["hint"].as_str().unwrap();
    assert!(
        hint.contains("First check in the Alibaba Cloud console"),
        "{hint}"
    );
    assert!(hint.contains("--mark-unknown-sent"), "{hint}");
    assert_eq!(report["allSent"], false);
    // The run paused on the batch in doubt: batch 3 never left.
    assert_eq!(report["campaign"]["state"], "paused", "{report:#}");
    assert_eq!(
        report["reason"]["code"], "campaign.paused_unexplained",
        "{report:#}"
    );
    assert_eq!(batch_requests(&sim), 2);
    let states: Vec<&str> = report["batches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["sent", "unknown", "planned"]);
    // The text report explains the decision the user has to make.
    let text = run.run(&["campaigns", "1"]);
    assert!(stdout(&text).contains("Unknown"), "{}", stdout(&text));
    // Resuming sends the batch that never left, never the one in doubt (one request each).
    let resume = run.run(&["resume", "--yes"]);
    assert!(!resume.status.success(), "an unknown batch is still open");
    assert_eq!(batch_requests(&sim), 3);
    assert!(
        stdout(&resume).contains("--mark-unknown-sent")
            || stderr(&resume).contains("--mark-unknown-sent"),
        "{}{}",
        stdout(&resume),
        stderr(&resume)
    );
    // The user checked the console: marking it sent needs no key and no network.
    let marked = cli.run(&["resume", "--mark-unknown-sent", "--json"]);
    assert!(marked.status.success(), "{}", stderr(&marked));
    let marked = json(&marked);
    assert_eq!(marked["allSent"], true);
    assert_eq!(marked["campaign"]["state"], "finished");
    let decided: Vec<&Value> = marked["batches"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["decision"] == "marked-sent")
        .collect();
    assert_eq!(decided.len(), 1);
    assert_eq!(batch_requests(&sim), 3);
}

#[test]
fn ok_without_a_task_id_is_sent_once_and_the_same_sheet_is_not_sent_again() {
    let cli = Cli::new();
    // The 2nd BatchRobotSmartCall creates its task but answers OK without the TaskId.
    let sim = start_simulator(FaultPlan {
        ok_without_task_id_every: Some(2),
        ..FaultPlan::default()
    });
    let file = contacts(&cli, 6);
    let run = Run {
        cli: &cli,
        sim: &sim,
    };
    let out = run.submit(&file, 2, &["--yes", "--json", "--concurrency", "1"]);
    assert!(!out.status.success(), "paused with a batch left");
    let report = json(&out);
    assert_eq!(report["end"], "paused", "{report:#}");
    assert_eq!(report["reason"]["code"], "batch.sent_without_task_id");
    let batches = report["batches"].as_array().unwrap();
    let states: Vec<&str> = batches
        .iter()
        .map(|b| b["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["sent", "sent", "planned"]);
    assert!(batches[0]["taskId"].is_string());
    assert!(batches[1]["taskId"].is_null(), "{:#}", batches[1]);
    let note = batches[1]["message"].as_str().unwrap();
    assert!(
        note.contains("回访 (2/3)") && note.contains("2 people"),
        "{note}"
    );
    assert!(
        batches[1]["hint"]
            .as_str()
            .unwrap()
            .contains("QueryRobotTaskList"),
        "{:#}",
        batches[1]
    );
    // The simulator did create that task: its people are being called.
    let record = sim.record();
    assert!(record.batch_calls[1].task_id.is_some());
    assert_eq!(batch_requests(&sim), 2);

    // The same sheet again calls nobody: those people count as called (and, without
    // results yet, as answered), so the per-number limits leave every one out.
    let again = run.submit(&file, 2, &["--yes", "--json"]);
    assert!(!again.status.success());
    let refusal = json(&again);
    assert_eq!(refusal["error"]["code"], "plan.no_contacts", "{refusal:#}");
    assert!(
        refusal["error"]["message"]["en"]
            .as_str()
            .unwrap()
            .contains("6 have reached the per-number limits"),
        "{refusal:#}"
    );
    assert_eq!(batch_requests(&sim), 2);

    // Resuming sends only the batch that never left.
    let resumed = run.run(&["resume", "--yes", "--json"]);
    assert!(resumed.status.success(), "{}", stderr(&resumed));
    assert_eq!(json(&resumed)["allSent"], true);
    assert_eq!(batch_requests(&sim), 3);
    let called: Vec<String> = sim
        .record()
        .batch_calls
        .iter()
        .flat_map(|c| c.called_numbers.clone())
        .collect();
    assert_eq!(called, (0..6).map(number).collect::<Vec<_>>());

    // Refreshing the results finds that task by its name and day, so its people are
    // tracked like everyone else's.
    let out = run.run(&["results", "1", "--refresh", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let body = json(&out);
    let people = body["results"]["people"].as_array().unwrap();
    assert_eq!(people.len(), 6);
    let hidden_task = record.batch_calls[1].task_id.clone().unwrap();
    let found: Vec<&Value> = people
        .iter()
        .filter(|p| p["taskId"] == hidden_task.as_str())
        .collect();
    assert_eq!(found.len(), 2, "{body:#}");
    assert!(
        people.iter().all(|p| p["outcome"] != "untracked"),
        "{body:#}"
    );
}

#[test]
fn a_503_leaves_the_batch_unknown() {
    unknown_case(
        FaultPlan {
            batch_answers: vec![ScriptedAnswer {
                nth: 2,
                code: "ServiceUnavailable".into(),
                message: None,
                http_status: Some(503),
            }],
            ..batch_faults()
        },
        &[],
        "ServiceUnavailable",
        "The Alibaba Cloud service is temporarily unavailable.",
    );
}

#[test]
fn a_dropped_connection_leaves_the_batch_unknown() {
    unknown_case(
        FaultPlan {
            drop_connection_every: Some(2),
            ..batch_faults()
        },
        &[],
        "network.connection_lost.outcome_unknown",
        "The connection broke before the reply was complete. The call task may or may not have been created.",
    );
}

#[test]
fn a_read_timeout_leaves_the_batch_unknown() {
    // Only the 2nd request is slow: the latency of the plan applies to all counted requests,
    // so the slow one is a request the server processes after the client gave up.
    let cli = Cli::new();
    let sim = start_simulator(FaultPlan {
        latency_ms: 2_500,
        ..batch_faults()
    });
    let file = contacts(&cli, 2);
    let run = Run {
        cli: &cli,
        sim: &sim,
    };
    let out = run.submit(&file, 2, &["--yes", "--json", "--timeout", "1"]);
    assert!(!out.status.success());
    let report = json(&out);
    let b = &report["batches"][0];
    assert_eq!(b["state"], "unknown", "{report:#}");
    assert_eq!(b["errorCode"], "network.timeout.outcome_unknown");
    assert_eq!(b["attempts"], 1);
    let text = b["message"].as_str().unwrap();
    assert!(
        text.contains("No reply from Alibaba Cloud within 1 seconds. The call task may or may not have been created."),
        "{text}"
    );
    // One request, never repeated: the journal counts every attempt.
    let journal = Journal::open(&cli.data_path().join("journal.sqlite3"), 0).unwrap();
    assert_eq!(journal.batch(1, 0).unwrap().attempts, 1);
}

#[test]
fn an_html_502_page_leaves_the_batch_unknown() {
    unknown_case(
        FaultPlan {
            html_502_every: Some(2),
            ..batch_faults()
        },
        &[],
        "response.unreadable.outcome_unknown",
        "(HTTP 502). The call task may or may not have been created.",
    );
}

#[test]
fn no_balance_on_batch_2_stops_the_campaign_and_leaves_later_batches_untouched() {
    let cli = Cli::new();
    let sim = start_simulator(FaultPlan {
        batch_answers: vec![ScriptedAnswer {
            nth: 2,
            code: "isv.AMOUNT_NOT_ENOUGH".into(),
            message: None,
            http_status: None,
        }],
        ..batch_faults()
    });
    let file = contacts(&cli, 8);
    let run = Run {
        cli: &cli,
        sim: &sim,
    };
    let out = run.submit(&file, 2, &["--yes", "--concurrency", "1"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("[aliyun.isv.AMOUNT_NOT_ENOUGH]"), "{err}");
    assert!(
        err.contains("The campaign stopped; later batches were not sent."),
        "{err}"
    );
    assert!(err.contains("smartdial resume 1"), "{err}");
    assert_eq!(batch_requests(&sim), 2);
    let listed = json(&run.run(&["campaigns", "1", "--json"]));
    let states: Vec<&str> = listed["batches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["sent", "rejected", "planned", "planned"]);
    assert_eq!(listed["campaign"]["state"], "stopped");
    assert_eq!(
        listed["campaign"]["reason"]["code"],
        "aliyun.isv.AMOUNT_NOT_ENOUGH"
    );
    let reason = listed["campaign"]["reason"]["message"]["en"]
        .as_str()
        .unwrap();
    assert!(!reason.is_empty());

    // After topping up, resume sends the refused batch and the rest, nobody twice.
    sim.set_faults(FaultPlan::default());
    let resumed = run.run(&["resume", "--yes", "--json"]);
    assert!(resumed.status.success(), "{}", stderr(&resumed));
    let got = received(&sim);
    assert_eq!(got.len(), 8);
    assert!(got.values().all(|&n| n == 1));
}

#[test]
fn killed_mid_campaign_then_resumed_calls_everyone_once_except_explicit_resends() {
    let cli = Cli::new();
    let sim = start_simulator(FaultPlan {
        latency_ms: 300,
        ..batch_faults()
    });
    let people = 20;
    let file = contacts(&cli, people);
    let run = Run {
        cli: &cli,
        sim: &sim,
    };
    let mut child = run.spawn_submit(&file, 2, &["--yes", "--concurrency", "2"]);
    wait_until("a few batches to arrive", Duration::from_secs(30), || {
        batch_requests(&sim) >= 3
    });
    child.kill().expect("SIGKILL"); // std sends SIGKILL on Unix
    child.wait().expect("reap");

    // The journal shows what may have been in flight as unknown (never as planned).
    let journal_path = cli.data_path().join("journal.sqlite3");
    let journal = Journal::open(&journal_path, 0).unwrap();
    let before = journal.batches(1).unwrap();
    drop(journal);
    assert!(before.iter().all(|b| b.state != BatchState::Sending));
    assert!(before.iter().any(|b| b.state == BatchState::Planned));

    // Resume: sends what never left; unknown batches wait for a decision.
    let resumed = run.run(&["resume", "--yes", "--json"]);
    let report = json(&resumed);
    let unknown: BTreeSet<u64> = report["batches"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["state"] == "unknown")
        .map(|b| b["index"].as_u64().unwrap())
        .collect();
    // Requests were in flight when the process died (concurrency 2, 300 ms replies): those
    // batches are unknown, so the decision path below is exercised.
    assert!(!unknown.is_empty(), "{report:#}");
    assert!(!resumed.status.success());
    let mut resent_numbers = BTreeSet::new();
    if !unknown.is_empty() {
        let listed = json(&run.run(&["campaigns", "1", "--json"]));
        for b in listed["batches"].as_array().unwrap() {
            if unknown.contains(&b["index"].as_u64().unwrap()) {
                for n in b["calledNumbers"].as_array().unwrap() {
                    resent_numbers.insert(n.as_str().unwrap().to_owned());
                }
            }
        }
        let decided = run.run(&["resume", "1", "--resend-unknown", "--yes", "--json"]);
        assert!(decided.status.success(), "{}", stderr(&decided));
    }
    let listed = json(&run.run(&["campaigns", "--json"]));
    assert_eq!(listed[0]["batches"]["sent"], 10);

    // The simulator's record: everyone at least once; twice only if explicitly resent.
    let got = received(&sim);
    for i in 0..people {
        let n = number(i);
        let times = got.get(&n).copied().unwrap_or(0);
        if resent_numbers.contains(&n) {
            assert!((1..=2).contains(&times), "{n} received {times} times");
        } else {
            assert_eq!(times, 1, "{n} received {times} times");
        }
    }
}

#[test]
fn two_submits_of_the_same_campaign_cannot_both_send() {
    let cli = Cli::new();
    let sim = start_simulator(FaultPlan {
        latency_ms: 100,
        ..batch_faults()
    });
    let file = contacts(&cli, 10);
    let run = Run {
        cli: &cli,
        sim: &sim,
    };
    let a = run.spawn_submit(&file, 2, &["--yes", "--json"]);
    let b = run.spawn_submit(&file, 2, &["--yes", "--json"]);
    let a = a.wait_with_output().unwrap();
    let b = b.wait_with_output().unwrap();
    let (won, lost) = if a.status.success() { (a, b) } else { (b, a) };
    assert!(won.status.success(), "{}", stderr(&won));
    assert!(!lost.status.success());
    // The loser either read the journal after the winner's campaign was in it (nobody
    // left to call) or raced it to the journal and was refused there, atomically.
    let refusal = json(&lost);
    let code = refusal["error"]["code"].as_str().unwrap();
    assert!(
        code == "plan.no_contacts" || code == "campaign.called_meanwhile",
        "{refusal:#}"
    );
    let got = received(&sim);
    assert_eq!(got.len(), 10);
    assert!(got.values().all(|&n| n == 1), "{got:?}");
}

#[test]
fn two_resumes_of_the_same_campaign_cannot_both_send() {
    let cli = Cli::new();
    let sim = start_simulator(FaultPlan {
        batch_answers: vec![ScriptedAnswer {
            nth: 1,
            code: "isv.BUSINESS_LIMIT_CONTROL".into(),
            message: None,
            http_status: None,
        }],
        ..batch_faults()
    });
    let file = contacts(&cli, 12);
    let run = Run {
        cli: &cli,
        sim: &sim,
    };
    // A business limit on the first batch pauses the campaign with nothing sent.
    let out = run.submit(&file, 2, &["--yes", "--concurrency", "1"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("The campaign is paused. Run `smartdial resume 1` later"),
        "{}",
        stderr(&out)
    );
    assert!(received(&sim).is_empty());

    sim.set_faults(FaultPlan {
        latency_ms: 300,
        ..batch_faults()
    });
    let first = run
        .command()
        .args(["resume", "1", "--yes", "--json", "--concurrency", "1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // (the record already holds the request the business limit refused)
    wait_until(
        "the first resume to start sending",
        Duration::from_secs(30),
        || batch_requests(&sim) >= 2,
    );
    let second = run.run(&["resume", "1", "--yes", "--json"]);
    assert!(!second.status.success());
    let refusal = json(&second);
    assert_eq!(refusal["error"]["code"], "campaign.busy", "{refusal:#}");
    assert!(refusal["error"]["message"]["en"]
        .as_str()
        .unwrap()
        .contains("is being sent by another process"));
    let first = first.wait_with_output().unwrap();
    assert!(first.status.success(), "{}", stderr(&first));
    let got = received(&sim);
    assert_eq!(got.len(), 12);
    assert!(got.values().all(|&n| n == 1), "{got:?}");
}

#[test]
fn dry_run_prints_every_batch_and_sends_nothing() {
    let cli = Cli::new();
    let sim = start_simulator(FaultPlan::default());
    let file = contacts(&cli, 3);
    let run = Run {
        cli: &cli,
        sim: &sim,
    };
    let out = run.submit(&file, 2, &["--dry-run", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let plan = json(&out);
    assert_eq!(plan["totalNumbers"], 3);
    let batches = plan["batches"].as_array().unwrap();
    assert_eq!(batches.len(), 2);
    assert_eq!(
        batches[0]["params"]["CalledNumber"],
        "13800130000,13800130001"
    );
    assert_eq!(batches[0]["params"]["TaskName"], "回访 (1/2)");
    assert_eq!(batches[1]["params"]["TtsParamHead"], r#"["name"]"#);
    assert_eq!(batches[0]["params"]["CorpName"], "测试公司");
    let text = run.submit(&file, 2, &["--dry-run"]);
    assert!(stdout(&text).contains("  CalledNumber=13800130002"));
    assert_eq!(batch_requests(&sim), 0);
    assert!(!cli.data_path().join("journal.sqlite3").exists());
}

/// `submit` judges a sheet as `check` does: the same phone and variable options.
#[test]
fn submit_takes_the_same_sheet_options_as_check() {
    let cli = Cli::new();
    let sim = start_simulator(FaultPlan::default());
    let file = cli.data_path().join("mixed.csv");
    std::fs::write(
        &file,
        "手机,姓名\n13800130000,客户0\n010-88881234,座机\n13800130002,\n",
    )
    .expect("write csv");
    let run = Run {
        cli: &cli,
        sim: &sim,
    };
    let numbers = |extra: &[&str]| {
        let out = run.submit(&file, 10, &[&["--dry-run", "--json"], extra].concat());
        assert!(out.status.success(), "{}", stderr(&out));
        json(&out)["batches"][0]["params"]["CalledNumber"].clone()
    };
    assert_eq!(numbers(&[]), "13800130000,01088881234");
    assert_eq!(numbers(&["--mobile-only"]), "13800130000");
    assert_eq!(
        numbers(&["--mobile-only", "--allow-empty-variables"]),
        "13800130000,13800130002"
    );
    assert_eq!(batch_requests(&sim), 0);
}

#[test]
fn without_a_terminal_it_refuses_to_send_unless_yes_is_given() {
    let cli = Cli::new();
    let sim = start_simulator(FaultPlan::default());
    let file = contacts(&cli, 3);
    let run = Run {
        cli: &cli,
        sim: &sim,
    };
    let out = run.submit(&file, 2, &[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("This will call 3 people (2 batches"), "{err}");
    assert!(err.contains("--yes"), "{err}");
    assert!(err.contains("[cli.confirmation_needed]"), "{err}");
    assert_eq!(batch_requests(&sim), 0);
}

#[test]
fn the_same_people_again_within_a_day_are_left_out_by_the_per_number_limits() {
    let cli = Cli::new();
    let sim = start_simulator(FaultPlan::default());
    let file = contacts(&cli, 3);
    let run = Run {
        cli: &cli,
        sim: &sim,
    };
    assert!(run.submit(&file, 2, &["--yes"]).status.success());
    // Another robot changes nothing: the limits count every campaign and robot.
    let mut args = Run::submit_args(&file, 2, &["--yes"]);
    let robot = args.iter().position(|a| a == "--dialog-id").unwrap() + 1;
    args[robot] = "another-robot".into();
    let again = run.command().args(&args).output().unwrap();
    assert!(!again.status.success());
    let err = stderr(&again);
    assert!(
        err.contains("Nobody left to call: 0 are on the do-not-call list, 3 have reached the per-number limits."),
        "{err}"
    );
    assert!(err.contains("smartdial check"), "{err}");
    assert_eq!(batch_requests(&sim), 2);
    // `check` says who and why: the rule, when they were last called, in which campaign.
    let check = run.run(&[
        "check",
        file.to_str().unwrap(),
        "--var",
        "name=姓名",
        "--json",
    ]);
    let report = json(&check);
    assert_eq!(report["over_limit"], 3, "{report:#}");
    let why = report["problems"][0]["message"].as_str().unwrap();
    assert!(
        why.contains("campaign #1") && why.contains("China time"),
        "{why}"
    );
    // Loosening the limit is the marketer's explicit choice: then they go out again.
    assert!(run
        .run(&["settings", "set", "max-answered-per-day", "2"])
        .status
        .success());
    let loosened = run.submit(&file, 2, &["--yes"]);
    assert!(loosened.status.success(), "{}", stderr(&loosened));
    assert!(received(&sim).values().all(|&n| n == 2));
}

#[cfg(unix)]
#[test]
fn ctrl_c_lets_requests_in_flight_finish_and_leaves_the_campaign_resumable() {
    let cli = Cli::new();
    let sim = start_simulator(FaultPlan {
        latency_ms: 400,
        ..batch_faults()
    });
    let file = contacts(&cli, 12);
    let run = Run {
        cli: &cli,
        sim: &sim,
    };
    let child = run.spawn_submit(&file, 2, &["--yes", "--concurrency", "2"]);
    wait_until("the first answers", Duration::from_secs(30), || {
        batch_requests(&sim) >= 1
    });
    let interrupted = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill -INT");
    assert!(interrupted.success());
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("Stopping: no new batches; waiting for requests in flight"),
        "{err}"
    );
    assert!(
        err.contains("Paused. Run `smartdial resume 1` to continue."),
        "{err}"
    );
    // Nothing was left in doubt: every request that left got its answer recorded.
    let listed = json(&run.run(&["campaigns", "1", "--json"]));
    assert_eq!(listed["campaign"]["state"], "paused");
    let batches = listed["batches"].as_array().unwrap();
    assert!(batches
        .iter()
        .all(|b| b["state"] == "sent" || b["state"] == "planned"));
    let sent = batches.iter().filter(|b| b["state"] == "sent").count();
    assert!((1..6).contains(&sent), "{sent} sent");
    assert_eq!(received(&sim).len(), sent * 2);
    let resumed = run.run(&["resume", "--yes"]);
    assert!(resumed.status.success(), "{}", stderr(&resumed));
    let got = received(&sim);
    assert_eq!(got.len(), 12);
    assert!(got.values().all(|&n| n == 1));
}

/// `YYYY-MM-DD HH:MM` in China time, `offset_minutes` from now.
fn china_time_in(offset_minutes: i64) -> String {
    let at = chrono::Utc::now() + chrono::Duration::minutes(offset_minutes);
    smartdial_core::china_time::format(at.timestamp_millis())
}

#[test]
fn schedule_is_china_time_sent_as_unix_milliseconds() {
    let cli = Cli::new();
    let sim = start_simulator(FaultPlan::default());
    let file = contacts(&cli, 2);
    let run = Run {
        cli: &cli,
        sim: &sim,
    };
    // The same two people are scheduled twice on purpose.
    for key in ["max-answered-per-day", "max-attempts-per-day"] {
        assert!(run.run(&["settings", "set", key, "5"]).status.success());
    }
    let schedule = china_time_in(120);
    let out = run.submit(&file, 2, &["--yes", "--schedule", &schedule]);
    assert!(out.status.success(), "{}", stderr(&out));
    let call = &sim.record().batch_calls[0];
    assert_eq!(call.schedule_call.as_deref(), Some("true"));
    let expected = smartdial_core::china_time::parse_schedule(&schedule).unwrap();
    assert_eq!(
        call.schedule_time.as_deref(),
        Some(expected.to_string().as_str())
    );
    // The same instant written with an explicit offset.
    let utc = chrono::DateTime::from_timestamp_millis(expected)
        .unwrap()
        .format("%Y-%m-%d %H:%M +00:00")
        .to_string();
    let again = run.submit(&file, 2, &["--yes", "--schedule", &utc]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(
        sim.record().batch_calls[1].schedule_time.as_deref(),
        Some(expected.to_string().as_str())
    );
    // A time already past is refused before anything is journaled or sent.
    let past = china_time_in(-60);
    let refused = run.submit(&file, 2, &["--yes", "--schedule", &past]);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("[plan.schedule_in_past]"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(batch_requests(&sim), 2);
}

/// The first BatchRobotSmartCall refused by a business limit: the campaign pauses.
fn first_batch_deferred() -> FaultPlan {
    FaultPlan {
        batch_answers: vec![FaultPlan::parse_batch_answer("1:isv.BUSINESS_LIMIT_CONTROL").unwrap()],
        ..FaultPlan::default()
    }
}

/// A campaign scheduled in two hours whose first batch was deferred (paused), and whose
/// schedule then passed: moved back in the journal, as time would.
fn scheduled_campaign_whose_time_passed(run: &Run<'_>, file: &Path) -> i64 {
    let out = run.submit(
        file,
        2,
        &[
            "--yes",
            "--json",
            "--concurrency",
            "1",
            "--schedule",
            &china_time_in(120),
        ],
    );
    let report = json(&out);
    assert_eq!(report["end"], "paused", "{report:#}");
    let id = report["campaign"]["id"].as_i64().unwrap();
    let mut journal = Journal::open(&run.cli.data_path().join("journal.sqlite3"), 0).unwrap();
    let past = chrono::Utc::now().timestamp_millis() - 60_000;
    journal.reschedule(id, Some(past), past).unwrap();
    id
}

#[test]
fn a_passed_schedule_is_refused_on_resume_until_a_new_time_is_chosen() {
    let cli = Cli::new();
    let sim = start_simulator(first_batch_deferred());
    let file = contacts(&cli, 6);
    let run = Run {
        cli: &cli,
        sim: &sim,
    };
    scheduled_campaign_whose_time_passed(&run, &file);
    assert_eq!(batch_requests(&sim), 1);
    let refused = run.run(&["resume", "--yes", "--json"]);
    assert!(!refused.status.success());
    let error = json(&refused);
    assert_eq!(
        error["error"]["code"], "campaign.schedule_passed",
        "{error:#}"
    );
    assert!(
        error["error"]["message"]["zhCn"]
            .as_str()
            .unwrap()
            .contains("北京时间"),
        "{error:#}"
    );
    assert_eq!(batch_requests(&sim), 1);
    // A new time in the past is refused too.
    let past = run.run(&["resume", "--yes", "--schedule", &china_time_in(-5)]);
    assert!(!past.status.success());
    assert_eq!(batch_requests(&sim), 1);
    let later = china_time_in(180);
    let resumed = run.run(&["resume", "--yes", "--json", "--schedule", &later]);
    assert!(resumed.status.success(), "{}", stderr(&resumed));
    let expected = smartdial_core::china_time::parse_schedule(&later)
        .unwrap()
        .to_string();
    let calls = sim.record().batch_calls;
    assert_eq!(calls.len(), 4, "the refused batch 1 again, then 2 and 3");
    for call in &calls[1..] {
        assert_eq!(call.schedule_time.as_deref(), Some(expected.as_str()));
    }
}

#[test]
fn cancel_ends_a_campaign_whose_schedule_passed_without_sending() {
    let cli = Cli::new();
    let sim = start_simulator(first_batch_deferred());
    let file = contacts(&cli, 6);
    let run = Run {
        cli: &cli,
        sim: &sim,
    };
    let id = scheduled_campaign_whose_time_passed(&run, &file);
    let out = cli.run(&["cancel", &id.to_string(), "--yes", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(report["campaign"]["state"], "cancelled", "{report:#}");
    let resume = run.run(&["resume", &id.to_string(), "--yes", "--now"]);
    assert!(!resume.status.success());
    assert_eq!(batch_requests(&sim), 1);
}

#[test]
fn a_smaller_callee_limit_stops_and_the_unsent_batches_are_resplit_on_resume() {
    let cli = Cli::new();
    let sim = start_simulator_with(SimulatorConfig {
        callee_limit: 100,
        ..SimulatorConfig::demo()
    });
    let file = contacts(&cli, 250);
    let run = Run {
        cli: &cli,
        sim: &sim,
    };
    let out = run.submit(&file, 1000, &["--yes", "--json"]);
    assert!(!out.status.success());
    let report = json(&out);
    assert_eq!(report["end"], "stopped", "{report:#}");
    assert_eq!(report["reason"]["code"], "campaign.callee_limit");
    assert!(
        report["reason"]["hint"]["en"]
            .as_str()
            .unwrap()
            .contains("--batch-size 100"),
        "{report:#}"
    );
    assert_eq!(batch_requests(&sim), 1);
    // Resuming as it was would only be refused again.
    let refused = run.run(&["resume", "--yes", "--json"]);
    assert!(!refused.status.success());
    assert_eq!(json(&refused)["error"]["code"], "campaign.callee_limit");
    assert_eq!(batch_requests(&sim), 1);
    let resumed = run.run(&["resume", "--yes", "--json", "--batch-size", "100"]);
    assert!(resumed.status.success(), "{}", stderr(&resumed));
    let report = json(&resumed);
    let sizes: Vec<u64> = report["batches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["numbers"].as_u64().unwrap())
        .collect();
    assert_eq!(sizes, [100, 100, 50]);
    // Everyone exactly once among the accepted requests.
    let record = sim.record();
    let mut called: Vec<String> = record
        .batch_calls
        .iter()
        .filter(|c| c.task_id.is_some())
        .flat_map(|c| c.called_numbers.clone())
        .collect();
    assert_eq!(called.len(), 250);
    called.sort();
    called.dedup();
    assert_eq!(called.len(), 250);
}

#[test]
fn a_sheet_too_big_for_one_request_is_sent_in_several_batches_that_each_fit() {
    let cli = Cli::new();
    let sim = start_simulator(FaultPlan::default());
    let path = cli.data_path().join("long.csv");
    let mut text = String::from("手机,姓名\n");
    for i in 0..800 {
        text.push_str(&format!("1380013{i:04},尊敬的客户第{i}号\n"));
    }
    std::fs::write(&path, text).unwrap();
    let run = Run {
        cli: &cli,
        sim: &sim,
    };
    // 800 numbers with a Chinese variable are ~120 KB encoded: more than one URL carries,
    // so the plan splits them by size although 1000 are allowed per batch.
    let out = run.submit(&path, 1000, &["--yes"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let calls = sim.record().batch_calls;
    assert!(calls.len() > 1, "{} batches", calls.len());
    let n = calls.len();
    for (i, call) in calls.iter().enumerate() {
        assert!(
            call.task_name.ends_with(&format!(" ({}/{n})", i + 1)),
            "{}",
            call.task_name
        );
        // Each person's own variable travelled with their number.
        let tts: serde_json::Value =
            serde_json::from_str(call.tts_param.as_deref().unwrap()).unwrap();
        let items = tts.as_array().unwrap();
        assert_eq!(items.len(), call.called_numbers.len());
        for (item, number) in items.iter().zip(&call.called_numbers) {
            let i: usize = number["1380013".len()..].parse().unwrap();
            assert_eq!(item["number"], number.as_str());
            assert_eq!(item["params"][0], format!("尊敬的客户第{i}号"));
        }
    }
    // Every number exactly once, in sheet order.
    let got = received(&sim);
    assert_eq!(got.len(), 800);
    assert!(got.values().all(|&c| c == 1));
    let order: Vec<String> = calls
        .iter()
        .flat_map(|c| c.called_numbers.clone())
        .collect();
    let expected: Vec<String> = (0..800).map(|i| format!("1380013{i:04}")).collect();
    assert_eq!(order, expected);
}
