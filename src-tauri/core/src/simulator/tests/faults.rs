//! Injected faults: throttling, server errors before and after processing, broken
//! bodies and connections, latency, scripted answers.

use super::*;

fn plan(f: impl FnOnce(&mut FaultPlan)) -> FaultPlan {
    let mut p = FaultPlan::default();
    f(&mut p);
    p
}

#[tokio::test]
async fn throttling_first_calls_does_not_create_tasks() {
    let rig = Rig::new(SimulatorConfig::with_faults(plan(|p| p.throttle_first = 2))).await;
    for _ in 0..2 {
        let a = rig.batch("13900000000").await;
        assert_eq!((a.status, a.code()), (400, "Throttling.User".to_owned()));
        assert_eq!(
            a.json()["Message"],
            "Request was denied due to user flow control."
        );
    }
    assert_eq!(rig.batch("13900000000").await.code(), "OK");
    let record = rig.sim.record();
    assert_eq!(record.batch_calls.len(), 1);
    assert_eq!(
        record
            .requests
            .iter()
            .filter(|r| r.fault.as_deref() == Some("throttle"))
            .count(),
        2
    );
}

#[tokio::test]
async fn server_errors_before_and_after_processing() {
    let rig = Rig::new(SimulatorConfig::with_faults(plan(|p| {
        p.error_500_every = Some(2)
    })))
    .await;
    assert_eq!(rig.batch("13900000000").await.code(), "OK");
    let e = rig.batch("13900000001").await;
    assert_eq!((e.status, e.code()), (500, "InternalError".to_owned()));
    assert_eq!(
        rig.sim.record().batch_calls.len(),
        1,
        "a 5xx before processing records nothing"
    );

    rig.sim
        .set_faults(plan(|p| p.error_500_after_processing_every = Some(1)));
    let e = rig.batch("13900000002").await;
    assert_eq!((e.status, e.code()), (500, "InternalError".to_owned()));
    let record = rig.sim.record();
    let last = record.batch_calls.last().unwrap();
    assert_eq!(last.called_numbers, vec!["13900000002"]);
    assert!(
        last.task_id.is_some(),
        "the task exists although the client saw a 500"
    );
    assert!(!last.result.delivered);
    assert_eq!(last.result.http_status, 500);
    assert_eq!(
        last.result.fault.as_deref(),
        Some("error500AfterProcessing")
    );
}

#[tokio::test]
async fn html_502_page_and_wrong_content_type() {
    let rig = Rig::new(SimulatorConfig::with_faults(plan(|p| {
        p.html_502_every = Some(1)
    })))
    .await;
    let a = rig.batch("13900000000").await;
    assert_eq!(a.status, 502);
    assert!(a.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(a.text.contains("502 Bad Gateway"));
    assert!(rig.sim.record().batch_calls.is_empty());

    rig.sim
        .set_faults(plan(|p| p.wrong_content_type_every = Some(1)));
    let b = rig.batch("13900000000").await;
    assert_eq!(b.status, 200);
    assert!(b.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert_eq!(b.code(), "OK");
    assert_eq!(rig.sim.record().accepted().count(), 1);
}

#[tokio::test]
async fn dropped_connections_before_and_after_processing() {
    let rig = Rig::new(SimulatorConfig::with_faults(plan(|p| {
        p.drop_connection_every = Some(1)
    })))
    .await;
    let err = rig
        .try_call("BatchRobotSmartCall", &[("CalledNumber", "13900000000")])
        .await;
    assert!(err.is_err(), "no answer expected");
    assert!(rig.sim.record().batch_calls.is_empty());
    // Exactly one attempt arrived: the client did not silently retry on a fresh connection.
    assert_eq!(rig.sim.record().requests.len(), 1);
    assert_eq!(
        rig.sim.record().requests[0].fault.as_deref(),
        Some("dropConnection")
    );

    rig.sim
        .set_faults(plan(|p| p.drop_after_processing_every = Some(1)));
    let params = [
        ("CalledNumber", "13900000000"),
        ("CalledShowNumber", "057112345678"),
        ("DialogId", DEMO_DIALOG_ID),
        ("TaskName", "t"),
        ("CorpName", "c"),
    ];
    assert!(rig.try_call("BatchRobotSmartCall", &params).await.is_err());
    let record = rig.sim.record();
    assert_eq!(record.accepted().count(), 1);
    assert!(!record.batch_calls[0].result.delivered);
    assert_eq!(record.batch_calls[0].result.http_status, 0);
}

#[tokio::test]
async fn empty_and_truncated_bodies_after_processing() {
    let rig = Rig::new(SimulatorConfig::with_faults(plan(|p| {
        p.empty_body_every = Some(1)
    })))
    .await;
    let a = rig.batch("13900000000").await;
    assert_eq!((a.status, a.text.as_str()), (200, ""));
    rig.sim
        .set_faults(plan(|p| p.truncated_body_every = Some(1)));
    let b = rig.batch("13900000001").await;
    assert_eq!(b.status, 200);
    assert!(b.text.starts_with("{\"RequestId\""), "{}", b.text);
    assert!(
        serde_json::from_str::<Value>(&b.text).is_err(),
        "cut JSON: {}",
        b.text
    );
    let record = rig.sim.record();
    assert_eq!(record.accepted().count(), 2, "both were processed");
    let faults: Vec<_> = record
        .batch_calls
        .iter()
        .map(|c| (c.result.delivered, c.result.fault.clone()))
        .collect();
    assert_eq!(
        faults,
        [
            (false, Some("emptyBody".to_owned())),
            (false, Some("truncatedBody".to_owned()))
        ]
    );
}

#[tokio::test]
async fn latency_makes_a_short_timeout_fire() {
    let rig = Rig::new(SimulatorConfig::with_faults(plan(|p| p.latency_ms = 3_000))).await;
    let signed = rig.sign("QueryRobotInfoList", &[], &SignOptions::default());
    let err = rig
        .send(
            rig.post(&signed.query())
                .timeout(std::time::Duration::from_millis(200)),
        )
        .await
        .err()
        .expect("times out");
    assert!(err.is_timeout());
    rig.sim.set_faults(FaultPlan::default());
    assert_eq!(rig.call("QueryRobotInfoList", &[]).await.code(), "OK");
}

#[tokio::test]
async fn scripted_business_answers_and_malformed_data() {
    let rig = Rig::new(SimulatorConfig::with_faults(plan(|p| {
        p.batch_answers = vec![
            FaultPlan::parse_batch_answer("2:isv.AMOUNT_NOT_ENOUGH").unwrap(),
            FaultPlan::parse_batch_answer("3:isv.BUSINESS_LIMIT_CONTROL").unwrap(),
        ]
    })))
    .await;
    assert_eq!(rig.batch("13900000000").await.code(), "OK");
    let second = rig.batch("13900000001").await;
    assert_eq!(
        (second.status, second.code()),
        (400, "isv.AMOUNT_NOT_ENOUGH".to_owned())
    );
    assert_eq!(second.json()["Message"], "账户余额不足");
    assert_eq!(
        rig.batch("13900000002").await.code(),
        "isv.BUSINESS_LIMIT_CONTROL"
    );
    assert_eq!(rig.batch("13900000003").await.code(), "OK");
    let record = rig.sim.record();
    let codes: Vec<_> = record
        .batch_calls
        .iter()
        .map(|c| c.result.code.as_str())
        .collect();
    assert_eq!(
        codes,
        [
            "OK",
            "isv.AMOUNT_NOT_ENOUGH",
            "isv.BUSINESS_LIMIT_CONTROL",
            "OK"
        ]
    );
    assert_eq!(record.accepted().count(), 2);

    rig.sim
        .set_faults(plan(|p| p.malformed_data_every = Some(1)));
    let robots = rig.call("QueryRobotInfoList", &[]).await;
    assert_eq!(robots.code(), "OK");
    let data = robots.json()["Data"].as_str().unwrap().to_owned();
    assert!(
        serde_json::from_str::<Value>(&data).is_err(),
        "Data should be broken: {data}"
    );
}
