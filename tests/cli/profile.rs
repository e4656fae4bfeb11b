//! `smartdial profile ...`: the index file, the real OS keychain (under
//! `dbus-run-session -- .ci/with-keyring.sh`), and the message when there is no keychain.

use std::io::Write;
use std::process::{Output, Stdio};

use smartdial_core::secrets::store::{keyring_required, KeyringStore};
use smartdial_core::simulator::{SimulatorConfig, DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET};

use crate::support::{start_simulator_with, stderr, stdout, Cli};

/// Runs `smartdial profile add` with the secret on stdin.
fn add(cli: &Cli, name: &str, id: &str, secret: &str, extra_env: &[(&str, &str)]) -> Output {
    let mut cmd = cli.command();
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    let mut child = cmd
        .args([
            "profile",
            "add",
            name,
            "--access-key-id",
            id,
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
        .write_all(format!("{secret}\n").as_bytes())
        .expect("write secret");
    child.wait_with_output().expect("wait")
}

/// Whether the real keychain answers here; panics under `SMARTDIAL_REQUIRE_KEYRING=1` if not.
fn keychain_available() -> bool {
    match KeyringStore::new().and_then(|s| s.probe()) {
        Ok(()) => true,
        Err(e) => {
            assert!(
                !keyring_required(),
                "SMARTDIAL_REQUIRE_KEYRING=1 but the keychain failed: {e}"
            );
            eprintln!("skip: no reachable keychain ({e}); run under dbus-run-session -- .ci/with-keyring.sh");
            false
        }
    }
}

fn unique(name: &str) -> String {
    format!("{name}-{}", std::process::id()) + &format!("-{}", rand_suffix())
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() % 1_000_000_000)
        .unwrap_or(0)
}

#[test]
fn an_empty_list() {
    let cli = Cli::new();
    let out = cli.run(&["profile", "list"]);
    assert!(out.status.success());
    assert!(stdout(&out).contains("No profiles yet"));
    let out = cli.run(&["profile", "list", "--json"]);
    assert_eq!(stdout(&out).trim(), "[]");
}

#[cfg(target_os = "linux")]
#[test]
fn no_secret_service_gives_install_advice_not_dbus_noise() {
    let cli = Cli::new();
    let out = add(
        &cli,
        "main",
        "LTAI5tAbCdEfGhIjabcd",
        "s3cr3t",
        &[(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/smartdial-test-bus",
        )],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("[keychain.unavailable]"), "{err}");
    assert!(err.contains("sudo apt install gnome-keyring"), "{err}");
    assert!(err.contains("ALIBABA_CLOUD_ACCESS_KEY_ID"), "{err}");
    // Nothing was indexed for a secret that could not be stored.
    assert!(!cli.data_path().join("profiles.json").exists());
}

#[test]
fn names_are_checked_before_the_secret_is_asked_for() {
    let cli = Cli::new();
    let out = cli.run(&[
        "profile",
        "add",
        "a b",
        "--access-key-id",
        "LTAIx",
        "--secret-stdin",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("[profile.invalid_name]"));
}

#[test]
fn the_real_keychain_add_list_verify_default_remove() {
    if !keychain_available() {
        return;
    }
    let sim = start_simulator_with(SimulatorConfig::demo());
    let cli = Cli::new();
    let good = unique("demo");
    let bad = unique("wrong");

    let out = add(&cli, &good, DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("LTAI****ator"), "{}", stdout(&out));
    assert!(stdout(&out).contains("(default)"));
    let out = add(&cli, &bad, DEMO_ACCESS_KEY_ID, "not-the-secret", &[]);
    assert!(out.status.success(), "{}", stderr(&out));

    let out = cli.run(&["profile", "list", "--json"]);
    let list: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(list.as_array().map(Vec::len), Some(2));
    assert_eq!(list[0]["name"], good.as_str());
    assert_eq!(list[0]["maskedAccessKeyId"], "LTAI****ator");
    assert_eq!(list[0]["isDefault"], true);

    // The secret is in the keychain, never in SmartDial's files.
    for entry in std::fs::read_dir(cli.data_path()).expect("dir").flatten() {
        if entry.path().is_file() {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            assert!(!text.contains(DEMO_ACCESS_KEY_SECRET) && !text.contains("not-the-secret"));
        }
    }

    let endpoint = sim.endpoint();
    let out = cli.run(&["--endpoint", &endpoint, "profile", "verify", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(report["ok"], true);
    assert_eq!(report["source"], good.as_str());
    assert!(report["robots"].as_u64().unwrap_or(0) > 0);

    let out = cli.run(&["--endpoint", &endpoint, "profile", "verify", &bad]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("The AccessKey secret is wrong"),
        "{}",
        stderr(&out)
    );

    // `api` signs with the default profile, or with --profile.
    let out = cli.run(&["--endpoint", &endpoint, "api", "QueryRobotInfoList"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = cli.run(&[
        "--endpoint",
        &endpoint,
        "--profile",
        &bad,
        "api",
        "QueryRobotInfoList",
    ]);
    assert_eq!(out.status.code(), Some(1));

    let out = cli.run(&["profile", "default", &bad]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = cli.run(&["--endpoint", &endpoint, "profile", "verify"]);
    assert!(
        stderr(&out).contains("[aliyun.InvalidAccessKeySecret]"),
        "{}",
        stderr(&out)
    );

    for name in [&good, &bad] {
        let out = cli.run(&["profile", "remove", name]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let out = cli.run(&["profile", "list", "--json"]);
    assert_eq!(stdout(&out).trim(), "[]");
    // And the keychain entries are gone.
    let store = KeyringStore::new().expect("store");
    use smartdial_core::secrets::store::SecretStore as _;
    assert_eq!(store.get(&good).expect("get"), None);
    let out = cli.run(&["profile", "remove", &good]);
    assert!(stderr(&out).contains("[profile.not_found]"));
}

#[test]
fn environment_variables_take_precedence_over_profiles() {
    let sim = start_simulator_with(SimulatorConfig::demo());
    let cli = Cli::new();
    // No profile exists at all, yet verify works from the environment.
    let out = cli
        .command()
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", DEMO_ACCESS_KEY_ID)
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", DEMO_ACCESS_KEY_SECRET)
        .args(["--endpoint", &sim.endpoint(), "profile", "verify", "--json"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(report["source"], "ALIBABA_CLOUD_ACCESS_KEY_ID");
}
