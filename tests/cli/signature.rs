//! Which signature the CLI's calls carry: V3 by default, V1 through `SMARTDIAL_SIGNATURE`,
//! `--signature` or a profile that remembers it, and the profile check's fallback to V1
//! when the gateway refuses V3. The simulator's record says what it received and verified.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Output, Stdio};

use serde_json::Value;
use smartdial_core::aliyun::SignatureVersion;
use smartdial_core::secrets::store::{keyring_required, KeyringStore};
use smartdial_core::simulator::{
    FaultPlan, SimulatorHandle, DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET, DEMO_DIALOG_ID,
};

use crate::support::{start_simulator, stderr, stdout, use_simulator, Cli};

/// (signature, code) of every request the simulator received.
fn seen(sim: &SimulatorHandle) -> Vec<(Option<SignatureVersion>, String)> {
    sim.record()
        .requests
        .iter()
        .map(|r| (r.signature, r.code.clone()))
        .collect()
}

fn api(cli: &Cli, sim: &SimulatorHandle, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut cmd = cli.command();
    use_simulator(&mut cmd, sim);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.args(args)
        .args(["api", "QueryRobotInfoList"])
        .output()
        .expect("run")
}

#[test]
fn calls_carry_v3_by_default_and_v1_when_asked() {
    let cli = Cli::new();
    let sim = start_simulator(FaultPlan::default());
    let v3 = Some(SignatureVersion::V3);
    let v1 = Some(SignatureVersion::V1);

    let out = api(&cli, &sim, &[], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(seen(&sim), [(v3, "OK".to_owned())]);

    sim.reset();
    let out = api(&cli, &sim, &[("SMARTDIAL_SIGNATURE", "v1")], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(seen(&sim), [(v1, "OK".to_owned())]);

    // The option wins over the environment.
    sim.reset();
    let out = api(
        &cli,
        &sim,
        &[("SMARTDIAL_SIGNATURE", "v1")],
        &["--signature", "v3"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(seen(&sim), [(v3, "OK".to_owned())]);

    sim.reset();
    let out = api(&cli, &sim, &[], &["--signature", "v2"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("[cli.bad_param]"), "{}", stderr(&out));
    assert!(stderr(&out).contains("Write v3"), "{}", stderr(&out));
    assert!(seen(&sim).is_empty(), "nothing was sent");
}

/// A CSV of `n` people with names that trip encoders.
fn contacts(cli: &Cli, n: usize) -> PathBuf {
    let path = cli.data_path().join("contacts.csv");
    let mut text = String::from("手机,姓名\n");
    for i in 0..n {
        text.push_str(&format!("1380013{i:04},\"王 {i}*~+%&=😀\"\"\"\n"));
    }
    std::fs::write(&path, text).expect("write csv");
    path
}

fn submit(cli: &Cli, sim: &SimulatorHandle, env: &[(&str, &str)]) -> Value {
    let file = contacts(cli, 6);
    let mut cmd = cli.command();
    use_simulator(&mut cmd, sim);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd
        .stdin(Stdio::null())
        .args([
            "submit",
            file.to_str().expect("path"),
            "--dialog-id",
            DEMO_DIALOG_ID,
            "--caller",
            "057112345678",
            "--corp-name",
            "测试 公司*~",
            "--task-name",
            "回访 \"A&B\" 100%",
            "--var",
            "name=姓名",
            "--batch-size",
            "2",
            "--yes",
            "--json",
        ])
        .output()
        .expect("run submit");
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("json")
}

#[test]
fn a_campaign_with_tricky_text_is_sent_and_verified_with_either_signature() {
    for (env, version) in [
        (vec![], SignatureVersion::V3),
        (vec![("SMARTDIAL_SIGNATURE", "v1")], SignatureVersion::V1),
    ] {
        let cli = Cli::new();
        let sim = start_simulator(FaultPlan::default());
        let report = submit(&cli, &sim, &env);
        assert_eq!(report["allSent"], true, "{version}");
        let record = sim.record();
        let batches: Vec<_> = record.requests_for("BatchRobotSmartCall").collect();
        assert_eq!(batches.len(), 3, "{version}");
        assert!(batches
            .iter()
            .all(|r| r.signature == Some(version) && r.code == "OK"));
        // The simulator got the text back exactly as it was written.
        let call = &record.batch_calls[0];
        assert_eq!(call.corp_name.as_deref(), Some("测试 公司*~"));
        assert!(call
            .tts_param
            .as_deref()
            .unwrap_or("")
            .contains("王 0*~+%&=😀\\\""));
    }
}

#[test]
fn the_check_falls_back_to_v1_when_v3_is_refused() {
    let cli = Cli::new();
    let sim = start_simulator(FaultPlan {
        refuse_v3: true,
        ..FaultPlan::default()
    });
    let mut cmd = cli.command();
    use_simulator(&mut cmd, &sim);
    let out = cmd
        .args(["profile", "verify", "--json"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    let report: Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(report["signature"], "v1");
    assert_eq!(report["fellBackFrom"], "v3");
    // A key from the environment is not remembered, and the user is told how to keep V1.
    assert_eq!(report["remembered"], false);
    assert!(
        stderr(&out).contains("switched to the V1 (HMAC-SHA1) signature"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("SMARTDIAL_SIGNATURE=v1"));
    assert_eq!(
        seen(&sim),
        [
            (
                Some(SignatureVersion::V3),
                "InvalidSignatureMethod".to_owned()
            ),
            (Some(SignatureVersion::V1), "OK".to_owned())
        ]
    );

    // Forced to V3, there is no fallback: the refusal is the answer.
    sim.reset();
    let mut cmd = cli.command();
    use_simulator(&mut cmd, &sim);
    let out = cmd
        .args(["--signature", "v3", "profile", "verify"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("InvalidSignatureMethod"),
        "{}",
        stderr(&out)
    );
    assert_eq!(seen(&sim).len(), 1);
}

fn keychain_available() -> bool {
    match KeyringStore::new().and_then(|s| s.probe()) {
        Ok(()) => true,
        Err(e) => {
            assert!(
                !keyring_required(),
                "SMARTDIAL_REQUIRE_KEYRING=1 but the keychain failed: {e}"
            );
            eprintln!("skip: no reachable keychain ({e})");
            false
        }
    }
}

#[test]
fn a_profile_remembers_v1_after_the_fallback_and_later_calls_use_it() {
    if !keychain_available() {
        return;
    }
    let cli = Cli::new();
    let sim = start_simulator(FaultPlan {
        refuse_v3: true,
        ..FaultPlan::default()
    });
    let name = format!("sig-{}", std::process::id());
    let mut child = cli
        .command()
        .args([
            "profile",
            "add",
            &name,
            "--access-key-id",
            DEMO_ACCESS_KEY_ID,
            "--secret-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{DEMO_ACCESS_KEY_SECRET}\n").as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success(), "{}", stderr(&out));
    let list = |cli: &Cli| -> Value {
        serde_json::from_str(&stdout(&cli.run(&["profile", "list", "--json"]))).expect("json")
    };
    assert_eq!(list(&cli)[0]["signature"], "v3");

    let endpoint = sim.endpoint();
    let out = cli.run(&[
        "--endpoint",
        &endpoint,
        "--lang",
        "zh-CN",
        "profile",
        "verify",
        &name,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!("配置“{name}”以后都用 V1 (HMAC-SHA1) 签名")),
        "{}",
        stderr(&out)
    );
    assert_eq!(list(&cli)[0]["signature"], "v1");

    // Every later call of the profile carries V1 without being told.
    sim.reset();
    let out = cli.run(&["--endpoint", &endpoint, "api", "QueryRobotInfoList"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(seen(&sim), [(Some(SignatureVersion::V1), "OK".to_owned())]);

    let out = cli.run(&["profile", "remove", &name]);
    assert!(out.status.success(), "{}", stderr(&out));
}
