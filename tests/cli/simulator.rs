//! `smartdial simulator`: the real binary serves signed requests and stops on SIGTERM.

// The tests that drive the child process (SIGTERM, faults) are Unix-only; on Windows their
// helpers below are compiled but unused.
#![cfg_attr(not(unix), allow(dead_code, unused_imports))]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};

use serde_json::Value;
use smartdial_core::aliyun::signer::{sign_request, SignOptions, SystemClock, UuidNonce};
use smartdial_core::aliyun::Credentials;
use smartdial_core::simulator::{
    FaultPlan, SimulatorRecord, DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET,
};

use crate::support::{start_simulator, stderr, Cli};

/// A running `smartdial simulator` child and the endpoint it printed.
struct Running {
    child: Child,
    endpoint: String,
    first_line: String,
}

impl Running {
    fn start(cli: &Cli, extra: &[&str]) -> Running {
        let mut child = cli
            .command()
            .arg("simulator")
            .args(["--port", "0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn smartdial simulator");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("ready line");
        let endpoint = if line.starts_with('{') {
            let ready: Value = serde_json::from_str(&line).expect("JSON ready line");
            ready["endpoint"].as_str().unwrap_or_default().to_owned()
        } else {
            line.split_whitespace()
                .find(|w| w.starts_with("http://"))
                .unwrap_or_default()
                .to_owned()
        };
        assert!(endpoint.starts_with("http://"), "no endpoint in {line:?}");
        Running {
            child,
            endpoint,
            first_line: line,
        }
    }

    fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let sent = std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("run kill");
        assert!(sent.success());
        self.child.wait().expect("wait for the simulator")
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn signed_call(endpoint: &str, action: &str) -> (u16, Value) {
    let creds = Credentials::new(DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET);
    let signed = sign_request(
        action,
        BTreeMap::new(),
        &creds,
        &SystemClock,
        &UuidNonce,
        &SignOptions::default(),
    );
    let url = format!("{endpoint}/?{}", signed.query());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let resp = reqwest::Client::new()
            .post(url)
            .send()
            .await
            .expect("answer");
        let status = resp.status().as_u16();
        let text = resp.text().await.expect("body");
        (status, serde_json::from_str(&text).expect("JSON answer"))
    })
}

#[cfg(unix)]
#[test]
fn simulator_prints_its_endpoint_answers_and_stops_on_sigterm() {
    let cli = Cli::new();
    let sim = Running::start(&cli, &[]);
    assert!(
        sim.endpoint.starts_with("http://127.0.0.1:"),
        "{}",
        sim.first_line
    );
    assert!(sim.first_line.contains(DEMO_ACCESS_KEY_ID));
    assert!(!sim.endpoint.ends_with(":0"));

    let (status, body) = signed_call(&sim.endpoint, "QueryRobotInfoList");
    assert_eq!(status, 200);
    assert_eq!(body["Code"], "OK");
    let robots: Value =
        serde_json::from_str(body["Data"].as_str().expect("Data string")).expect("Data is JSON");
    assert!(robots.as_array().is_some_and(|r| !r.is_empty()));

    let endpoint = sim.endpoint.clone();
    let status = sim.terminate();
    assert!(status.success(), "exit status {status:?}");
    let addr = endpoint.trim_start_matches("http://");
    assert!(std::net::TcpStream::connect(addr).is_err(), "port closed");
}

#[cfg(unix)]
#[test]
fn fault_flags_apply_from_the_first_request() {
    let cli = Cli::new();
    let sim = Running::start(&cli, &["--throttle-first", "1", "--json"]);
    let ready: Value = serde_json::from_str(&sim.first_line).expect("JSON ready line");
    assert_eq!(ready["accessKeyId"], DEMO_ACCESS_KEY_ID);
    let (status, body) = signed_call(&sim.endpoint, "QueryRobotInfoList");
    assert_eq!(
        (status, body["Code"].as_str()),
        (400, Some("Throttling.User"))
    );
    let (_, body) = signed_call(&sim.endpoint, "QueryRobotInfoList");
    assert_eq!(body["Code"], "OK");
    assert!(sim.terminate().success());
}

#[cfg(unix)]
#[test]
fn deny_action_refuses_only_that_action_like_a_ram_policy() {
    let cli = Cli::new();
    let sim = Running::start(&cli, &["--deny-action", "QueryRobotInfoList", "--json"]);
    let (status, body) = signed_call(&sim.endpoint, "QueryRobotInfoList");
    assert_eq!(
        (status, body["Code"].as_str()),
        (400, Some("Forbidden.RAM"))
    );
    let (_, body) = signed_call(&sim.endpoint, "QueryRobotTaskList");
    assert_ne!(body["Code"], "Forbidden.RAM");
    assert!(sim.terminate().success());
}

#[cfg(unix)]
#[test]
fn another_process_can_set_faults_and_read_the_record() {
    let cli = Cli::new();
    let sim = Running::start(&cli, &[]);
    let base = sim.endpoint.clone();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let http = reqwest::Client::new();
    let set = rt.block_on(async {
        http.post(format!("{base}/__simulator/faults"))
            .body(r#"{"throttleFirst":1,"actions":["QueryRobotInfoList"]}"#)
            .send()
            .await
            .expect("admin answer")
            .status()
            .as_u16()
    });
    assert_eq!(set, 200);
    let (status, body) = signed_call(&base, "QueryRobotInfoList");
    assert_eq!(
        (status, body["Code"].as_str()),
        (400, Some("Throttling.User"))
    );
    let record: SimulatorRecord = rt.block_on(async {
        let text = http
            .get(format!("{base}/__simulator/record"))
            .send()
            .await
            .expect("admin answer")
            .text()
            .await
            .expect("body");
        serde_json::from_str(&text).expect("record JSON")
    });
    assert_eq!(record.requests.len(), 1);
    assert_eq!(record.requests[0].code, "Throttling.User");
    assert_eq!(record.requests[0].fault.as_deref(), Some("throttle"));
    assert!(sim.terminate().success());
}

#[test]
fn a_busy_port_is_reported_plainly() {
    let taken = start_simulator(FaultPlan::default());
    let port = taken
        .endpoint()
        .rsplit(':')
        .next()
        .unwrap_or("0")
        .to_owned();
    let out = Cli::new().run(&["simulator", "--port", &port]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("simulator.bind_failed"), "{err}");
    assert!(err.contains("--port 0"), "{err}");
}

#[test]
fn a_bad_batch_answer_spec_is_explained() {
    let out = Cli::new().run(&["simulator", "--batch-answer", "two:isv.X"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("simulator.bad_batch_answer"), "{err}");
    assert!(err.contains("N:CODE"), "{err}");
}
