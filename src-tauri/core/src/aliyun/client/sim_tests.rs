//! The typed client against the real local simulator: signatures the simulator verifies,
//! typed results, repaired `Data`, the no-leak guarantee under TRACE logging, and a property
//! test over random parameter maps.

use std::io::Write;
use std::sync::{Arc, Mutex};

use proptest::prelude::*;

use super::*;
use crate::aliyun::advice::ErrorClass;
use crate::aliyun::signer::{FixedClock, SequenceNonce};
use crate::simulator::{
    FaultPlan, Simulator, SimulatorConfig, SimulatorHandle, DEMO_ACCESS_KEY_ID,
    DEMO_ACCESS_KEY_SECRET, DEMO_DIALOG_ID,
};

fn demo_client(sim: &SimulatorHandle) -> Client {
    Client::new(
        ClientConfig::with_endpoint(sim.endpoint()),
        Credentials::new(DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET),
    )
    .expect("client")
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

fn request() -> BatchRobotSmartCallRequest {
    BatchRobotSmartCallRequest {
        called_numbers: vec!["13900001111".into(), "13900002222".into()],
        called_show_numbers: vec!["057112345678".into()],
        dialog_id: DEMO_DIALOG_ID.into(),
        task_name: "外呼 任务*~1".into(),
        corp_name: Some("阿里云 测试*公司~".into()),
        tts_param_head: Some(r#"["name"]"#.into()),
        tts_param: Some(
            r#"[{"number":"13900001111","params":["小王"]},{"number":"13900002222","params":["A B+C"]}]"#.into(),
        ),
        ..BatchRobotSmartCallRequest::default()
    }
}

#[test]
fn batch_call_then_call_detail_with_typed_results() {
    let sim = Simulator::spawn_in_thread(SimulatorConfig::demo()).expect("sim");
    let client = demo_client(&sim);
    let rt = runtime();
    let accepted = rt
        .block_on(client.batch_robot_smart_call(&request()))
        .expect("accepted");
    let task_id = accepted.task_id.expect("a TaskId");
    assert!(!task_id.is_empty());
    assert!(accepted.request_id.is_some());
    let record = sim.record();
    assert_eq!(
        record.batch_calls[0].task_id.as_deref(),
        Some(task_id.as_str())
    );
    assert_eq!(
        record.batch_calls[0].schedule_call.as_deref(),
        Some("false")
    );

    let now = chrono::Utc::now().timestamp_millis();
    let detail = rt
        .block_on(client.query_call_detail_by_task_id(&task_id, "13900001111", now))
        .expect("detail")
        .expect("a record");
    assert_eq!(detail.callee.as_deref(), Some("13900001111"));
    assert!(detail.status_code.is_some());

    let robots = rt
        .block_on(client.query_robot_info_list(Some("AUDITPASS")))
        .expect("robots");
    assert!(
        robots
            .iter()
            .any(|r| r.id.as_deref() == Some(DEMO_DIALOG_ID)),
        "{robots:?}"
    );
}

#[test]
fn malformed_data_from_the_server_is_repaired() {
    let sim = Simulator::spawn_in_thread(SimulatorConfig::with_faults(FaultPlan {
        malformed_data_every: Some(1),
        ..FaultPlan::default()
    }))
    .expect("sim");
    let robots = runtime()
        .block_on(demo_client(&sim).query_robot_info_list(None))
        .expect("repaired");
    assert!(!robots.is_empty());
    assert!(robots.iter().all(|r| r.robot_name.is_some()));
}

#[test]
fn every_retry_is_signed_afresh_and_accepted() {
    // Throttled first, then the same logical call again: a reused nonce would be refused.
    let sim = Simulator::spawn_in_thread(SimulatorConfig::with_faults(FaultPlan {
        throttle_first: 2,
        ..FaultPlan::default()
    }))
    .expect("sim");
    let client = demo_client(&sim);
    let rt = runtime();
    for _ in 0..2 {
        let err = rt
            .block_on(client.query_robot_info_list(None))
            .expect_err("throttled");
        assert_eq!(err.class(), ErrorClass::RetrySafe);
        assert_eq!(err.code(), Some("Throttling.User"));
    }
    rt.block_on(client.query_robot_info_list(None))
        .expect("third attempt");
}

/// A `MakeWriter` collecting everything logged.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Capture {
    type Writer = Capture;
    fn make_writer(&'a self) -> Capture {
        self.clone()
    }
}

#[test]
fn neither_the_secret_nor_any_signature_reaches_logs_or_errors_at_trace() {
    let sim = Simulator::spawn_in_thread(
        SimulatorConfig::demo().with_key("LTAIleakcheck0000001", "leak-check-SECRET-42"),
    )
    .expect("sim");
    let capture = Capture::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(capture.clone())
        .with_ansi(false)
        .finish();
    // The same clock and nonce sequence again later recompute every signature sent.
    let clock = Arc::new(FixedClock::new(chrono::Utc::now()));
    let good = Credentials::new("LTAIleakcheck0000001", "leak-check-SECRET-42");
    let wrong = Credentials::new("LTAIleakcheck0000001", "wrong-SECRET-99");
    let config = ClientConfig::with_endpoint(sim.endpoint());
    let good_client = Client::with_sources(
        config.clone(),
        good.clone(),
        clock.clone(),
        Arc::new(SequenceNonce::new("g")),
    )
    .expect("c");
    let wrong_client = Client::with_sources(
        config,
        wrong.clone(),
        clock.clone(),
        Arc::new(SequenceNonce::new("w")),
    )
    .expect("c");
    let dead_port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let dead_client = Client::with_sources(
        ClientConfig::with_endpoint(format!("http://127.0.0.1:{dead_port}")),
        good.clone(),
        clock.clone(),
        Arc::new(SequenceNonce::new("d")),
    )
    .expect("c");

    let mut texts = Vec::new();
    tracing::subscriber::with_default(subscriber, || {
        let rt = runtime();
        rt.block_on(async {
            let ok = good_client
                .batch_robot_smart_call(&request())
                .await
                .expect("ok");
            texts.push(format!("{ok:?}"));
            let robots = good_client.query_robot_info_list(None).await.expect("ok");
            texts.push(format!("{robots:?}"));
            for result in [
                wrong_client.query_robot_info_list(None).await.map(|_| ()),
                wrong_client
                    .batch_robot_smart_call(&request())
                    .await
                    .map(|_| ()),
                dead_client.query_robot_info_list(None).await.map(|_| ()),
            ] {
                let err = result.expect_err("fails");
                texts.push(err.to_string());
                texts.push(format!("{err:?}"));
                let user = err.to_user_error();
                texts.push(format!("{user:?}"));
                texts.push(serde_json::to_string(&user).expect("json"));
            }
            texts.push(format!("{good_client:?} {good:?} {wrong:?}"));
        });
    });
    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).expect("utf8");
    assert!(
        logs.contains("TRACE") || logs.contains("DEBUG"),
        "logging was captured: {logs}"
    );
    assert!(
        logs.contains("SignatureDoesNotMatch"),
        "the failure was logged: {logs}"
    );

    // Recompute every signature that was sent.
    let mut signatures = Vec::new();
    let sim_host = sim.endpoint().trim_start_matches("http://").to_owned();
    let dead_host = format!("127.0.0.1:{dead_port}");
    for (creds, prefix, host, actions) in [
        (
            &good,
            "g",
            &sim_host,
            vec![
                ("BatchRobotSmartCall", request().to_params()),
                ("QueryRobotInfoList", BTreeMap::new()),
            ],
        ),
        (
            &wrong,
            "w",
            &sim_host,
            vec![
                ("QueryRobotInfoList", BTreeMap::new()),
                ("BatchRobotSmartCall", request().to_params()),
            ],
        ),
        (
            &good,
            "d",
            &dead_host,
            vec![("QueryRobotInfoList", BTreeMap::new())],
        ),
    ] {
        let nonces = SequenceNonce::new(prefix);
        for (action, params) in actions {
            // The default signature, V3, as the clients sent it.
            let signed = crate::aliyun::signer_v3::sign_request_v3(
                action,
                params,
                creds,
                clock.as_ref(),
                &nonces,
                host,
                &SignOptions::default(),
            );
            signatures.push(signed.signature().to_owned());
            signatures.push(signed.string_to_sign().to_owned());
        }
    }
    let everything = format!("{logs}\n{}", texts.join("\n"));
    for secret in ["leak-check-SECRET-42", "wrong-SECRET-99"] {
        assert!(!everything.contains(secret), "secret {secret} leaked");
    }
    for sig in &signatures {
        assert!(!everything.contains(sig.as_str()), "signature {sig} leaked");
    }
    assert!(!everything.contains("Signature="), "a signed URL leaked");
}

fn any_text() -> impl Strategy<Value = String> {
    let ch = prop_oneof![
        3 => any::<char>(),
        3 => proptest::char::range('\u{4e00}', '\u{9fa5}'),
        2 => proptest::char::range('\u{1F300}', '\u{1FAFF}'),
        3 => proptest::sample::select(
            "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ ".chars().collect::<Vec<_>>()
        ),
    ];
    proptest::collection::vec(ch, 0..24).prop_map(|v| v.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Random parameter maps (any Unicode, Chinese, emoji, every ASCII punctuation mark,
    /// empty values) signed by our signer, V1 and V3, are accepted by the simulator's
    /// verifier, and it says which version it verified.
    #[test]
    fn the_simulator_accepts_every_random_parameter_map(
        params in proptest::collection::btree_map(any_text().prop_map(|k| format!("P{k}")), any_text(), 0..6)
    ) {
        let sim = SIM.get_or_init(|| Simulator::spawn_in_thread(SimulatorConfig::demo()).expect("sim"));
        for version in [SignatureVersion::V3, SignatureVersion::V1] {
            let client = demo_client(sim).with_signature(version);
            let reply = RT.with(|rt| rt.block_on(client.call("QueryRobotInfoList", params.clone())));
            match reply {
                Ok(r) => prop_assert_eq!(r.code, "OK"),
                Err(e) => prop_assert!(false, "{} refused {:?}: {}", version, params, e),
            }
        }
    }
}

static SIM: std::sync::OnceLock<SimulatorHandle> = std::sync::OnceLock::new();
thread_local! {
    static RT: tokio::runtime::Runtime = runtime();
}

/// The RAM policy the first-run guide shows must allow what the client really sends: every
/// typed method is called against the simulator, and the actions it saw are exactly the
/// policy's (`ram::ACTIONS`).
#[test]
fn every_typed_method_sends_an_action_the_policy_allows() {
    use crate::aliyun::ram;
    use crate::aliyun::tasks::TaskControl;
    let sim = Simulator::spawn_in_thread(SimulatorConfig::demo()).expect("sim");
    let client = demo_client(&sim);
    let rt = runtime();
    let task = rt
        .block_on(client.batch_robot_smart_call(&request()))
        .expect("accepted")
        .task_id
        .expect("a task id");
    let now = chrono::Utc::now().timestamp_millis();
    rt.block_on(async {
        // Only the action on the wire matters here; the simulator may refuse some of these.
        let _ = client.query_robot_info_list(None).await;
        let _ = client
            .query_call_detail_by_task_id(&task, "13900001111", now)
            .await;
        let _ = client.query_robot_task_list(1, 1, None, None).await;
        let _ = client.query_robot_task_call_list(&task, 1, 1).await;
        let _ = client
            .query_robot_task_call_detail(&task, "13900001111", now)
            .await;
        let _ = client.query_robot_task_detail(&task).await;
        for control in TaskControl::ALL {
            let _ = client.control_robot_task(control, &task).await;
        }
    });
    let sent: std::collections::BTreeSet<String> = sim
        .record()
        .requests
        .iter()
        .map(|r| r.action.clone())
        .collect();
    let allowed: std::collections::BTreeSet<String> =
        ram::ACTIONS.iter().map(|a| (*a).to_owned()).collect();
    assert_eq!(sent, allowed);
}

/// A RAM user whose policy lacks one action: the simulator refuses it like Alibaba Cloud's
/// gateway, the other actions still work, and the user is told which permission to add.
#[test]
fn a_denied_action_is_named_in_the_message() {
    let sim = Simulator::spawn_in_thread(SimulatorConfig::with_faults(FaultPlan {
        denied_actions: vec!["QueryRobotInfoList".into()],
        ..FaultPlan::default()
    }))
    .expect("sim");
    let client = demo_client(&sim);
    let rt = runtime();
    let err = rt
        .block_on(client.query_robot_info_list(None))
        .expect_err("denied");
    assert_eq!(err.code(), Some("Forbidden.RAM"));
    assert_eq!(err.class(), ErrorClass::Permanent);
    assert!(err.is_account_level());
    let shown = err.to_user_error();
    assert_eq!(shown.code, "aliyun.Forbidden.RAM");
    assert!(
        shown.message.zh_cn.contains("dyvms:QueryRobotInfoList"),
        "{}",
        shown.message.zh_cn
    );
    assert!(shown
        .message
        .en
        .contains("lacks the dyvms:QueryRobotInfoList permission"));
    assert!(shown.hint.en.contains("RAM console"));
    // Only that action is refused, and a refused batch call would never reach the business
    // layer: nothing was sent.
    rt.block_on(client.batch_robot_smart_call(&request()))
        .expect("sending is still allowed");
    let record = sim.record();
    let denied: Vec<_> = record.requests_for("QueryRobotInfoList").collect();
    assert_eq!(denied.len(), 1);
    assert_eq!(denied[0].code, "Forbidden.RAM");
}

#[test]
fn a_denied_batch_call_creates_no_task() {
    let sim = Simulator::spawn_in_thread(SimulatorConfig::with_faults(FaultPlan {
        denied_actions: vec!["BatchRobotSmartCall".into()],
        ..FaultPlan::default()
    }))
    .expect("sim");
    let err = runtime()
        .block_on(demo_client(&sim).batch_robot_smart_call(&request()))
        .expect_err("denied");
    assert!(err
        .to_user_error()
        .message
        .en
        .contains("dyvms:BatchRobotSmartCall"));
    assert!(sim.record().batch_calls.is_empty());
}
