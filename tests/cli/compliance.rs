//! The calling rules from the command line: the do-not-call list (`smartdial dnc`), the
//! rule settings (`smartdial settings`) and what `check` says about listed people.

use serde_json::Value;

use smartdial_core::simulator::FaultPlan;

use crate::support::{start_simulator, stderr, stdout, use_simulator, Cli};

fn json(out: &std::process::Output) -> Value {
    assert!(
        out.status.success(),
        "failed:\n{}\n{}",
        stdout(out),
        stderr(out)
    );
    serde_json::from_str(&stdout(out)).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(out)))
}

fn listed(cli: &Cli) -> Vec<String> {
    json(&cli.run(&["dnc", "list", "--json"]))["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["number"].as_str().expect("number").to_owned())
        .collect()
}

#[test]
fn numbers_are_listed_once_however_they_are_written_and_removed_the_same_way() {
    let cli = Cli::new();
    let added = json(&cli.run(&[
        "dnc",
        "add",
        "+86 138-0013-8000",
        "13800138000",
        "not-a-number",
        "--reason",
        "投诉",
        "--json",
    ]));
    assert_eq!(added["changed"], 1);
    assert_eq!(added["unchanged"], 1);
    assert_eq!(added["notNumberCount"], 1);
    assert_eq!(listed(&cli), ["13800138000"]);
    let text = cli.run(&["dnc", "list", "--search", "0013"]);
    assert!(
        stdout(&text).contains("13800138000") && stdout(&text).contains("投诉"),
        "{}",
        stdout(&text)
    );
    let removed = json(&cli.run(&["dnc", "remove", "(+86) 138 0013 8000", "--json"]));
    assert_eq!(removed["changed"], 1);
    assert!(listed(&cli).is_empty());
}

#[test]
fn a_messy_sheet_is_imported_and_the_list_exported() {
    let cli = Cli::new();
    let sheet = cli.data_path().join("退订.csv");
    std::fs::write(
        &sheet,
        "客户,电话号码,备注\n张三,+86 139-0013-9000,\n李四,０１０－１２３４５６７８,\n王五,不详,\n张三,13900139000,重复\n",
    )
    .expect("csv");
    let out = json(&cli.run(&[
        "dnc",
        "import",
        sheet.to_str().expect("path"),
        "--reason",
        "短信退订",
        "--json",
    ]));
    assert_eq!(out["changed"], 2, "{out}");
    assert_eq!(out["notNumberCount"], 1, "{out}");
    let mut numbers = listed(&cli);
    numbers.sort();
    assert_eq!(numbers, ["01012345678", "13900139000"]);
    let xlsx = cli.data_path().join("免打扰.xlsx");
    let exported = json(&cli.run(&["dnc", "export", xlsx.to_str().expect("path"), "--json"]));
    assert_eq!(exported["numbers"], 2);
    assert!(std::fs::metadata(&xlsx).expect("written").len() > 0);
}

#[test]
fn check_reports_listed_people_and_leaves_them_out() {
    let cli = Cli::new();
    let sheet = cli.data_path().join("contacts.csv");
    std::fs::write(&sheet, "手机,姓名\n13800138000,张三\n13800138001,李四\n").expect("csv");
    assert!(cli
        .run(&["dnc", "add", "13800138001", "--reason", "投诉"])
        .status
        .success());
    let report = json(&cli.run(&["check", sheet.to_str().expect("path"), "--json"]));
    assert_eq!(report["do_not_call"], 1, "{report}");
    assert_eq!(report["over_limit"], 0);
    assert_eq!(report["sendable"], 1);
    let problem = report["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .find(|p| p["code"] == "compliance.do_not_call")
        .expect("the listed person is a problem row");
    assert_eq!(problem["row"], 3);
    assert!(problem["message"]
        .as_str()
        .expect("message")
        .contains("投诉"));
}

#[test]
fn rule_settings_round_trip_and_bad_values_are_explained() {
    let cli = Cli::new();
    // From the defaults (the test support opens the calling hours all day).
    std::fs::remove_file(cli.data_path().join("settings.json")).expect("settings");
    let all = json(&cli.run(&["settings", "get", "--json"]));
    assert_eq!(all["calling-hours"], "09:00-12:00,14:00-21:00");
    assert_eq!(all["calling-days"], "1-7");
    assert_eq!(all["max-answered-per-day"], "1");
    assert_eq!(all["max-attempts-per-day"], "3");
    assert_eq!(all["stop-margin-minutes"], "30");
    for (key, value) in [
        ("calling-hours", "08:30-12:00,13:30-20:00"),
        ("calling-days", "1-5"),
        ("max-answered-per-day", "2"),
        ("max-attempts-per-day", "4"),
        ("stop-margin-minutes", "15"),
    ] {
        assert!(
            cli.run(&["settings", "set", key, value]).status.success(),
            "{key}"
        );
        assert_eq!(stdout(&cli.run(&["settings", "get", key])).trim(), value);
    }
    let bad = cli.run(&["settings", "set", "calling-hours", "9-12"]);
    assert!(!bad.status.success());
    assert!(
        stderr(&bad).contains("settings.bad_value"),
        "{}",
        stderr(&bad)
    );
    assert!(
        stderr(&bad).contains("09:00-12:00,14:00-21:00"),
        "says how to write it"
    );
    let unknown = cli.run(&["settings", "set", "calling-time", "1"]);
    assert!(stderr(&unknown).contains("settings.unknown_key"));
    assert_eq!(
        stdout(&cli.run(&["settings", "get", "calling-hours"])).trim(),
        "08:30-12:00,13:30-20:00",
        "a refused value changes nothing"
    );
}

/// Tomorrow in Beijing at `hh:mm`, as `submit --schedule` takes it.
fn tomorrow_at(hh_mm: &str) -> String {
    let tomorrow = chrono::Utc::now() + chrono::Duration::days(1);
    let day = smartdial_core::china_time::day(tomorrow.timestamp_millis());
    format!("{day} {hh_mm}")
}

fn submit_args<'a>(sheet: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "submit",
        sheet,
        "--dialog-id",
        smartdial_core::simulator::DEMO_DIALOG_ID,
        "--caller",
        "057112345678",
        "--corp-name",
        "测试公司",
        "--task-name",
        "回访",
        "--yes",
        "--json",
    ];
    args.extend_from_slice(extra);
    args
}

#[test]
fn a_schedule_at_night_is_refused_with_the_next_allowed_time_and_one_in_the_morning_is_not() {
    let cli = Cli::new();
    assert!(cli
        .run(&[
            "settings",
            "set",
            "calling-hours",
            "09:00-12:00,14:00-21:00"
        ])
        .status
        .success());
    let sheet = cli.data_path().join("contacts.csv");
    std::fs::write(&sheet, "手机\n13800138000\n").expect("csv");
    let path = sheet.to_str().expect("path");
    let night = tomorrow_at("03:00");
    let refused = cli.run(&submit_args(path, &["--dry-run", "--schedule", &night]));
    assert!(!refused.status.success());
    let body: Value = serde_json::from_str(&stdout(&refused)).expect("json");
    assert_eq!(
        body["error"]["code"], "campaign.outside_calling_hours",
        "{body:#}"
    );
    let next = format!("{} China time", tomorrow_at("09:00"));
    assert!(
        body["error"]["hint"]["en"]
            .as_str()
            .expect("hint")
            .contains(&next),
        "{body:#}"
    );
    let morning = tomorrow_at("10:00");
    let planned = json(&cli.run(&submit_args(path, &["--dry-run", "--schedule", &morning])));
    assert_eq!(planned["totalNumbers"], 1, "{planned:#}");
}

#[test]
fn listed_people_are_never_sent() {
    let cli = Cli::new();
    let sim = start_simulator(FaultPlan::default());
    let sheet = cli.data_path().join("contacts.csv");
    std::fs::write(&sheet, "手机\n13800138000\n13800138001\n13800138002\n").expect("csv");
    assert!(cli
        .run(&["dnc", "add", "+86 138 0013 8001", "--reason", "投诉"])
        .status
        .success());
    let mut cmd = cli.command();
    use_simulator(&mut cmd, &sim);
    let out = cmd
        .args(submit_args(sheet.to_str().expect("path"), &[]))
        .output()
        .expect("submit");
    assert!(out.status.success(), "{}", stderr(&out));
    let called = sim.record().called_numbers();
    assert_eq!(called, ["13800138000", "13800138002"]);
}

/// Sends `people` (phone, name) to a simulator that answers with `outcomes` (status codes
/// per number), then refreshes the results.
fn sent_with_outcomes(
    cli: &Cli,
    sim: &smartdial_core::simulator::SimulatorHandle,
    people: &[(&str, &str)],
) {
    let sheet = cli.data_path().join("contacts.csv");
    let mut text = String::from("手机,姓名\n");
    for (phone, name) in people {
        text.push_str(&format!("{phone},{name}\n"));
    }
    std::fs::write(&sheet, text).expect("csv");
    let mut cmd = cli.command();
    use_simulator(&mut cmd, sim);
    let out = cmd
        .args(submit_args(
            sheet.to_str().expect("path"),
            &["--var", "name=姓名"],
        ))
        .output()
        .expect("submit");
    assert!(out.status.success(), "{}", stderr(&out));
    let mut cmd = cli.command();
    use_simulator(&mut cmd, sim);
    let refreshed = cmd
        .args(["results", "1", "--refresh", "--json"])
        .output()
        .expect("results");
    assert!(refreshed.status.success(), "{}", stderr(&refreshed));
}

fn sim_with_outcomes(outcomes: &[(&str, u32)]) -> smartdial_core::simulator::SimulatorHandle {
    let mut config = smartdial_core::simulator::SimulatorConfig::with_faults(FaultPlan::default());
    config.results_after_call_end = false;
    config.forced_outcomes = outcomes
        .iter()
        .map(|(n, code)| (n.to_string(), *code))
        .collect();
    crate::support::start_simulator_with(config)
}

#[test]
fn a_recall_calls_the_people_not_reached_with_their_variables_and_honours_the_list() {
    let cli = Cli::new();
    // Answered, no answer, busy, vacant, powered off, no answer (but then on the list).
    let people = [
        ("13800000001", "张一"),
        ("13800000002", "张二"),
        ("13800000003", "张三"),
        ("13800000004", "张四"),
        ("13800000005", "张五"),
        ("13800000006", "张六"),
    ];
    let sim = sim_with_outcomes(&[
        ("13800000001", 200000),
        ("13800000002", 200003),
        ("13800000003", 200002),
        ("13800000004", 200004),
        ("13800000005", 200010),
        ("13800000006", 200003),
    ]);
    sent_with_outcomes(&cli, &sim, &people);
    assert!(cli
        .run(&[
            "dnc",
            "add",
            "13800000006",
            "--reason",
            "回访时要求不再来电"
        ])
        .status
        .success());
    // The default limits (1 answered, 3 attempts a day) let people not reached be called
    // again: their results say they did not answer.
    let mut cmd = cli.command();
    use_simulator(&mut cmd, &sim);
    let out = cmd
        .args(["recall", "1", "--yes", "--json"])
        .output()
        .expect("recall");
    assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
    let record = sim.record();
    assert_eq!(record.batch_calls.len(), 2, "the campaign, then the recall");
    let recall = &record.batch_calls[1];
    assert_eq!(
        recall.called_numbers,
        ["13800000002", "13800000003", "13800000005"],
        "no answer, busy, powered off; not the answered, the vacant or the listed"
    );
    let params = recall.tts_param.as_deref().expect("variables");
    for name in ["张二", "张三", "张五"] {
        assert!(params.contains(name), "{params}");
    }
    assert!(!params.contains("张六"));
    let campaigns = json(&cli.run(&["campaigns", "--json"]));
    let names: Vec<&str> = campaigns
        .as_array()
        .expect("list")
        .iter()
        .map(|c| c["taskName"].as_str().expect("name"))
        .collect();
    assert!(names.contains(&"回访 重呼1"), "{names:?}");
}
