//! Running a simulator: its control API, a thread of its own, a taken port, and how fast
//! it answers.

use crate::aliyun::signer::UuidNonce;

use super::*;

#[tokio::test]
async fn admin_endpoints_drive_a_simulator_from_outside() {
    use reqwest::Method;
    let rig = Rig::new(SimulatorConfig::demo()).await;
    let set = rig
        .admin(Method::POST, "faults", Some(r#"{"throttleFirst":1}"#))
        .await;
    assert_eq!(set.status, 200);
    assert_eq!(rig.batch("13900000000").await.code(), "Throttling.User");
    assert_eq!(rig.batch("13900000000").await.code(), "OK");
    let faults: FaultPlan =
        serde_json::from_str(&rig.admin(Method::GET, "faults", None).await.text).unwrap();
    assert_eq!(faults.throttle_first, 1);
    let bad = rig
        .admin(Method::POST, "faults", Some(r#"{"nope":1}"#))
        .await;
    assert_eq!(bad.status, 400);

    let record: SimulatorRecord =
        serde_json::from_str(&rig.admin(Method::GET, "record", None).await.text).unwrap();
    assert_eq!(record, rig.sim.record());
    assert_eq!(record.accepted().count(), 1);

    let clock = rig
        .admin(Method::POST, "clock", Some(r#"{"advanceSeconds":60}"#))
        .await
        .json();
    assert_eq!(clock["now"], "2025-03-03T02:01:00Z");

    let reset = rig.admin(Method::POST, "reset", None).await;
    assert_eq!(reset.status, 200);
    assert_eq!(rig.sim.record(), SimulatorRecord::default());
    let info = rig.admin(Method::GET, "info", None).await.json();
    assert_eq!(info["accessKeyIds"][0], DEMO_ACCESS_KEY_ID);
    assert!(!info.to_string().contains(DEMO_ACCESS_KEY_SECRET));
}

#[test]
fn thread_handle_serves_without_a_runtime_and_stops_on_drop() {
    let handle = Simulator::spawn_in_thread(SimulatorConfig::demo()).unwrap();
    let endpoint = handle.endpoint();
    assert!(endpoint.starts_with("http://127.0.0.1:"));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let creds = demo_creds();
    let clock = crate::aliyun::signer::SystemClock;
    let signed = sign_request(
        "QueryRobotInfoList",
        BTreeMap::new(),
        &creds,
        &clock,
        &UuidNonce,
        &SignOptions::default(),
    );
    let url = format!("{endpoint}/?{}", signed.query());
    let body: Value = rt.block_on(async {
        reqwest::get(&url)
            .await
            .unwrap()
            .text()
            .await
            .map(|t| serde_json::from_str(&t).unwrap())
            .unwrap()
    });
    // Sent as GET but signed as POST.
    assert_eq!(body["Code"], "SignatureDoesNotMatch");
    let body: Value = rt.block_on(async {
        let signed = sign_request(
            "QueryRobotInfoList",
            BTreeMap::new(),
            &creds,
            &clock,
            &UuidNonce,
            &SignOptions::default(),
        );
        let url = format!("{endpoint}/?{}", signed.query());
        reqwest::Client::new()
            .post(url)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .map(|t| serde_json::from_str(&t).unwrap())
            .unwrap()
    });
    assert_eq!(body["Code"], "OK");
    assert_eq!(handle.record().requests.len(), 2);
    let addr = endpoint.trim_start_matches("http://").to_owned();
    drop(handle);
    assert!(
        std::net::TcpStream::connect(addr).is_err(),
        "port closed after drop"
    );
    let _ = clock.now_utc();
}

#[test]
fn port_in_use_is_a_clear_user_error() {
    let first = Simulator::spawn_in_thread(SimulatorConfig::demo()).unwrap();
    let addr: SocketAddr = first
        .endpoint()
        .trim_start_matches("http://")
        .parse()
        .unwrap();
    let err = Simulator::spawn_in_thread_on(SimulatorConfig::demo(), addr).unwrap_err();
    let user = err.to_user_error();
    assert_eq!(user.code, "simulator.bind_failed");
    assert!(user.hint.en.contains("--port 0"));
}

// ------------------------------------------------------------------ property tests

/// Throughput figures (not an assertion): `cargo test -p smartdial-core --release --lib
/// simulator::tests::harness::throughput -- --ignored --nocapture`.
#[tokio::test]
#[ignore = "benchmark: prints figures"]
async fn throughput() {
    let rig = Rig::new(SimulatorConfig::demo()).await;
    let n = 2000;
    let started = std::time::Instant::now();
    for _ in 0..n {
        assert_eq!(rig.call("QueryRobotInfoList", &[]).await.code(), "OK");
    }
    let per_sec = f64::from(n) / started.elapsed().as_secs_f64();
    println!("sequential signed QueryRobotInfoList: {per_sec:.0} req/s");

    let big = numbers(1000);
    let started = std::time::Instant::now();
    let mut task = String::new();
    for _ in 0..20 {
        task = rig.batch(&big).await.json()["TaskId"]
            .as_str()
            .unwrap()
            .to_owned();
    }
    let ms = started.elapsed().as_secs_f64() * 1000.0 / 20.0;
    println!("BatchRobotSmartCall with 1000 callees: {ms:.1} ms each");

    let started = std::time::Instant::now();
    let rows = rig
        .call(
            "QueryRobotTaskCallList",
            &[("TaskId", &task), ("PageSize", "1000")],
        )
        .await;
    assert_eq!(rows.data().as_array().unwrap().len(), 1000);
    println!(
        "QueryRobotTaskCallList, 1000 rows: {:.1} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
}
