//! `smartdial api` against the local dyvms simulator: success, each error class, each
//! injected fault, and the message a user reads.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::Output;
use std::sync::Arc;

use smartdial_core::aliyun::signer::FixedClock;
use smartdial_core::simulator::{
    FaultPlan, ScriptedAnswer, SimulatorConfig, SimulatorHandle, DEMO_ACCESS_KEY_ID,
    DEMO_ACCESS_KEY_SECRET, DEMO_DIALOG_ID,
};

use crate::support::{start_simulator_with, stderr, stdout, Cli};

/// `smartdial api ...` with the demo key in the standard environment variables.
fn api_with_key(sim_endpoint: &str, id: &str, secret: &str, args: &[&str]) -> Output {
    let cli = Cli::new();
    cli.command()
        .env("SMARTDIAL_ENDPOINT", sim_endpoint)
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", id)
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", secret)
        .arg("api")
        .args(args)
        .output()
        .expect("run smartdial")
}

fn api(sim: &SimulatorHandle, args: &[&str]) -> Output {
    api_with_key(
        &sim.endpoint(),
        DEMO_ACCESS_KEY_ID,
        DEMO_ACCESS_KEY_SECRET,
        args,
    )
}

fn json_out(out: &Output) -> serde_json::Value {
    serde_json::from_str(&stdout(out))
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", stdout(out)))
}

const BATCH: &[&str] = &[
    "BatchRobotSmartCall",
    "--param",
    "CalledNumber=13900001111,13900002222",
    "--param",
    "CalledShowNumber=057112345678",
    "--param",
    "TaskName=外呼 任务*~1",
    "--param",
    "CorpName=阿里云 测试*公司~",
    "--param",
    "TtsParamHead=[\"name\"]",
    "--param",
    "TtsParam=[{\"number\":\"13900001111\",\"params\":[\"小王 A+B=C&D\"]},{\"number\":\"13900002222\",\"params\":[\"😀 '!()\"]}]",
];

fn batch_args() -> Vec<String> {
    let mut args: Vec<String> = BATCH.iter().map(|s| (*s).to_owned()).collect();
    args.push("--param".into());
    args.push(format!("DialogId={DEMO_DIALOG_ID}"));
    args
}

fn run_batch(sim: &SimulatorHandle) -> Output {
    let args = batch_args();
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    api(sim, &refs)
}

#[test]
fn a_read_call_prints_the_json_reply() {
    let sim = start_simulator_with(SimulatorConfig::demo());
    let out = api(
        &sim,
        &["QueryRobotInfoList", "--param", "AuditStatus=AUDITPASS"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let reply = json_out(&out);
    assert_eq!(reply["Code"], "OK");
    assert!(reply["Data"].is_string(), "Data is a JSON string: {reply}");
    assert!(reply["RequestId"].is_string());
}

#[test]
fn batch_robot_smart_call_round_trips_chinese_punctuation_and_emoji() {
    let sim = start_simulator_with(SimulatorConfig::demo());
    let out = run_batch(&sim);
    assert!(out.status.success(), "{}", stderr(&out));
    let reply = json_out(&out);
    let task_id = reply["TaskId"].as_str().expect("TaskId");
    let record = sim.record();
    assert_eq!(record.batch_calls.len(), 1);
    let call = &record.batch_calls[0];
    assert_eq!(call.result.task_id.as_deref(), Some(task_id));
    assert_eq!(call.corp_name.as_deref(), Some("阿里云 测试*公司~"));
    assert_eq!(call.task_name, "外呼 任务*~1");
    assert_eq!(call.called_numbers, ["13900001111", "13900002222"]);
}

#[test]
fn a_wrong_secret_is_named_as_such() {
    let sim = start_simulator_with(SimulatorConfig::demo());
    let out = api_with_key(
        &sim.endpoint(),
        DEMO_ACCESS_KEY_ID,
        "not-the-secret",
        &["QueryRobotInfoList"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json_out(&out)["Code"], "SignatureDoesNotMatch");
    let err = stderr(&out);
    assert!(err.contains("The AccessKey secret is wrong"), "{err}");
    assert!(err.contains("[aliyun.InvalidAccessKeySecret]"), "{err}");
    assert!(!err.contains("not-the-secret"));
}

#[test]
fn a_missing_ram_permission_is_named() {
    let sim = start_simulator_with(SimulatorConfig::with_faults(FaultPlan {
        denied_actions: vec!["QueryRobotInfoList".into()],
        ..FaultPlan::default()
    }));
    let out = api(&sim, &["QueryRobotInfoList"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json_out(&out)["Code"], "Forbidden.RAM");
    let err = stderr(&out);
    assert!(
        err.contains("lacks the dyvms:QueryRobotInfoList permission"),
        "{err}"
    );
    assert!(err.contains("[aliyun.Forbidden.RAM]"), "{err}");
    // The other actions are still allowed.
    assert_eq!(run_batch(&sim).status.code(), Some(0));
}

#[test]
fn an_unknown_access_key_id() {
    let sim = start_simulator_with(SimulatorConfig::demo());
    let out = api_with_key(
        &sim.endpoint(),
        "LTAInobody0000000000",
        "x",
        &["QueryRobotInfoList"],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("The AccessKey ID does not exist"), "{err}");
    assert!(
        err.contains("[aliyun.InvalidAccessKeyId.NotFound]"),
        "{err}"
    );
}

#[test]
fn a_wrong_clock_is_told_in_minutes() {
    // The simulator's clock runs 30 minutes ahead of this computer's.
    let ahead = chrono::Utc::now() + chrono::Duration::minutes(30);
    let sim =
        start_simulator_with(SimulatorConfig::demo().with_clock(Arc::new(FixedClock::new(ahead))));
    let out = api(&sim, &["QueryRobotInfoList"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("about 30 minutes behind"), "{err}");
    assert!(err.contains("[aliyun.InvalidTimeStamp.Expired]"), "{err}");
    assert!(err.contains("automatic time sync"), "{err}");
}

#[test]
fn throttling_is_retry_safe_advice_and_then_succeeds() {
    let sim = start_simulator_with(SimulatorConfig::with_faults(FaultPlan {
        throttle_first: 1,
        ..FaultPlan::default()
    }));
    let out = api(&sim, &["QueryRobotInfoList"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("Too many requests"), "{err}");
    assert!(err.contains("[aliyun.Throttling.User]"), "{err}");
    // A fresh nonce and timestamp: the second attempt is accepted.
    let out = api(&sim, &["QueryRobotInfoList"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn business_errors_get_plain_advice() {
    let answers = vec![
        ScriptedAnswer {
            nth: 1,
            code: "isv.AMOUNT_NOT_ENOUGH".into(),
            message: None,
            http_status: None,
        },
        ScriptedAnswer {
            nth: 2,
            code: "isv.BUSINESS_LIMIT_CONTROL".into(),
            message: None,
            http_status: None,
        },
        ScriptedAnswer {
            nth: 3,
            code: "isp.SYSTEM_ERROR".into(),
            message: None,
            http_status: None,
        },
    ];
    let sim = start_simulator_with(SimulatorConfig::with_faults(FaultPlan {
        batch_answers: answers,
        ..FaultPlan::default()
    }));
    let out = run_batch(&sim);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        err.contains("The account balance is too low") && err.contains("Top up"),
        "{err}"
    );
    let err = stderr(&run_batch(&sim));
    assert!(
        err.contains("Business rate limit hit") && err.contains("Call these numbers later"),
        "{err}"
    );
    let err = stderr(&run_batch(&sim));
    assert!(
        err.contains("system error") && err.contains("so nobody is called twice"),
        "{err}"
    );
}

#[test]
fn server_errors_and_html_pages_on_a_batch_call_say_the_outcome_is_unknown() {
    let sim = start_simulator_with(SimulatorConfig::with_faults(FaultPlan {
        html_502_every: Some(1),
        ..FaultPlan::default()
    }));
    let out = run_batch(&sim);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("a web page instead of data (HTTP 502)"),
        "{err}"
    );
    assert!(err.contains("may or may not have been created"), "{err}");
    assert!(
        err.contains("[response.unreadable.outcome_unknown]"),
        "{err}"
    );
    // The same fault on a read is plain advice to retry.
    let err = stderr(&api(&sim, &["QueryRobotInfoList"]));
    assert!(
        err.contains("[response.unreadable]") && err.contains("try again"),
        "{err}"
    );

    let sim = start_simulator_with(SimulatorConfig::with_faults(FaultPlan {
        error_500_every: Some(1),
        ..FaultPlan::default()
    }));
    let err = stderr(&run_batch(&sim));
    assert!(
        err.contains("[aliyun.InternalError]") && err.contains("so nobody is called twice"),
        "{err}"
    );
}

#[test]
fn a_dropped_connection_after_processing_is_outcome_unknown() {
    let sim = start_simulator_with(SimulatorConfig::with_faults(FaultPlan {
        drop_after_processing_every: Some(1),
        ..FaultPlan::default()
    }));
    let out = run_batch(&sim);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("[network.connection_lost.outcome_unknown]"),
        "{err}"
    );
    assert!(err.contains("Do not resend right away"), "{err}");
    // It really did reach the server: that is why the advice matters.
    assert_eq!(sim.record().batch_calls.len(), 1);

    let sim = start_simulator_with(SimulatorConfig::with_faults(FaultPlan {
        drop_connection_every: Some(1),
        ..FaultPlan::default()
    }));
    let err = stderr(&api(&sim, &["QueryRobotInfoList"]));
    assert!(err.contains("[network.connection_lost]"), "{err}");
}

#[test]
fn latency_beyond_the_timeout() {
    let sim = start_simulator_with(SimulatorConfig::with_faults(FaultPlan {
        latency_ms: 2_500,
        ..FaultPlan::default()
    }));
    let mut args = batch_args();
    args.extend(["--timeout".to_owned(), "1".to_owned()]);
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = api(&sim, &refs);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("No reply from Alibaba Cloud within 1 seconds"),
        "{err}"
    );
    assert!(err.contains("[network.timeout.outcome_unknown]"), "{err}");
}

#[test]
fn a_json_reply_labelled_as_html_is_still_read() {
    let sim = start_simulator_with(SimulatorConfig::with_faults(FaultPlan {
        wrong_content_type_every: Some(1),
        ..FaultPlan::default()
    }));
    let out = api(&sim, &["QueryRobotInfoList"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(json_out(&out)["Code"], "OK");
}

#[test]
fn malformed_data_is_passed_through_by_the_raw_call() {
    let sim = start_simulator_with(SimulatorConfig::with_faults(FaultPlan {
        malformed_data_every: Some(1),
        ..FaultPlan::default()
    }));
    let out = api(&sim, &["QueryRobotInfoList"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(json_out(&out)["Data"].is_string());
}

#[test]
fn a_missing_parameter_is_reported_with_the_server_message() {
    let sim = start_simulator_with(SimulatorConfig::demo());
    let out = api(
        &sim,
        &["BatchRobotSmartCall", "--param", "CalledNumber=13900001111"],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("A required parameter is missing"), "{err}");
    assert!(err.contains("is mandatory for this action"), "{err}");
}

#[test]
fn a_refused_connection_says_nothing_was_sent() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let out = api_with_key(
        &format!("http://127.0.0.1:{port}"),
        "LTAIx",
        "s",
        &["QueryRobotInfoList"],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("Could not connect to 127.0.0.1") && err.contains("Nothing was sent"),
        "{err}"
    );
    assert!(err.contains("[network.unreachable]"), "{err}");
}

#[test]
fn plain_http_to_a_remote_host_is_refused() {
    let out = api_with_key(
        "http://dyvmsapi.aliyuncs.com",
        "LTAIx",
        "s",
        &["QueryRobotInfoList"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("[endpoint.invalid]"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn credentials_must_come_from_somewhere() {
    let cli = Cli::new();
    let out = cli.run(&[
        "--endpoint",
        "http://127.0.0.1:9",
        "api",
        "QueryRobotInfoList",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("[profile.none]") && err.contains("ALIBABA_CLOUD_ACCESS_KEY_ID"),
        "{err}"
    );
    let out = cli
        .command()
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIx")
        .args(["api", "QueryRobotInfoList"])
        .output()
        .expect("run");
    assert!(
        stderr(&out).contains("[profile.incomplete_env]"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn bad_param_syntax() {
    let out = api_with_key(
        "http://127.0.0.1:9",
        "LTAIx",
        "s",
        &["QueryRobotInfoList", "--param", "oops"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("must look like Key=Value"));
}

/// A fake HTTP proxy: records the first request line it receives and answers with a
/// canned dyvms reply.
fn fake_proxy() -> (String, std::sync::mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            let mut buf = [0u8; 8192];
            let n = stream.read(&mut buf).unwrap_or(0);
            let text = String::from_utf8_lossy(&buf[..n]).into_owned();
            let first = text.lines().next().unwrap_or("").to_owned();
            let _ = tx.send(first.clone());
            if first.starts_with("CONNECT") {
                // Refuse the tunnel: enough to prove the proxy was used.
                let _ = stream.write_all(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
            } else {
                let body = br#"{"Code":"OK","RequestId":"via-proxy","Data":"[]"}"#;
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(body);
            }
        }
    });
    (format!("http://{addr}"), rx)
}

#[test]
fn https_proxy_and_no_proxy_from_the_environment_are_honoured() {
    // The real endpoint through HTTPS_PROXY: the client asks the proxy for a tunnel.
    let (proxy, seen) = fake_proxy();
    let cli = Cli::new();
    let out = cli
        .command()
        .env("HTTPS_PROXY", &proxy)
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIx")
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s")
        .args(["api", "QueryRobotInfoList", "--timeout", "5"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let line = seen
        .recv_timeout(std::time::Duration::from_secs(10))
        .expect("proxy was contacted");
    assert!(
        line.starts_with("CONNECT dyvmsapi.aliyuncs.com:443"),
        "{line}"
    );

    // A plain-http loopback endpoint goes through HTTP_PROXY unless NO_PROXY names it.
    let (proxy, seen) = fake_proxy();
    let out = cli
        .command()
        .env("HTTP_PROXY", &proxy)
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIx")
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s")
        .args([
            "--endpoint",
            "http://localhost:9",
            "api",
            "QueryRobotInfoList",
        ])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(json_out(&out)["RequestId"], "via-proxy");
    assert!(seen
        .recv()
        .expect("line")
        .starts_with("POST http://localhost:9/?"));
    let out = cli
        .command()
        .env("HTTP_PROXY", &proxy)
        .env("NO_PROXY", "localhost")
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIx")
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s")
        .args([
            "--endpoint",
            "http://localhost:9",
            "api",
            "QueryRobotInfoList",
        ])
        .output()
        .expect("run");
    assert!(
        stderr(&out).contains("[network.unreachable]"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn chinese_messages_by_default_language() {
    let sim = start_simulator_with(SimulatorConfig::demo());
    let cli = Cli::new();
    let out = cli
        .command()
        .env("SMARTDIAL_LANG", "zh-CN")
        .env("SMARTDIAL_ENDPOINT", sim.endpoint())
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", DEMO_ACCESS_KEY_ID)
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "wrong")
        .args(["api", "QueryRobotInfoList"])
        .output()
        .expect("run");
    assert!(
        stderr(&out).contains("AccessKey Secret 不正确"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn trace_logging_shows_neither_the_secret_nor_the_signed_url() {
    let sim = start_simulator_with(SimulatorConfig::demo());
    for secret in [DEMO_ACCESS_KEY_SECRET, "wrong-secret-for-the-log-test"] {
        let out = Cli::new()
            .command()
            .env("SMARTDIAL_ENDPOINT", sim.endpoint())
            .env("ALIBABA_CLOUD_ACCESS_KEY_ID", DEMO_ACCESS_KEY_ID)
            .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", secret)
            .args(["--log", "trace", "api", "QueryRobotInfoList"])
            .output()
            .expect("run");
        let err = stderr(&out);
        assert!(
            err.contains("TRACE") || err.contains("DEBUG"),
            "trace logging is on: {err}"
        );
        assert!(!err.contains(secret), "secret in the log");
        assert!(!err.contains("Signature="), "signed URL in the log: {err}");
        assert!(!stdout(&out).contains(secret));
    }
}

#[test]
fn a_server_error_after_the_task_was_created_is_outcome_unknown_in_json_too() {
    let sim = start_simulator_with(SimulatorConfig::with_faults(FaultPlan {
        error_500_after_processing_every: Some(1),
        ..FaultPlan::default()
    }));
    let mut args = batch_args();
    args.push("--json".into());
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = api(&sim, &refs);
    assert_eq!(out.status.code(), Some(1));
    let json = json_out(&out);
    assert_eq!(json["error"]["code"], "aliyun.InternalError");
    let hint = json["error"]["hint"]["en"].as_str().unwrap_or_default();
    assert!(hint.contains("so nobody is called twice"), "{json}");
    assert!(
        json["error"]["message"]["zhCn"]
            .as_str()
            .is_some_and(|m| m.contains("内部错误")),
        "{json}"
    );
    // The task exists on the server although the answer was an error: hence the advice.
    assert!(sim.record().batch_calls[0].task_id.is_some());
}
