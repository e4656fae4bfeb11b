//! The gateway's signature checks, as a client meets them.

use chrono::Duration;

use crate::aliyun::signature::{percent_encode, HttpMethod};

use super::*;

#[tokio::test]
async fn wrong_secret_gets_the_server_string_to_sign() {
    let mut rig = Rig::new(SimulatorConfig::demo()).await;
    rig.creds = Credentials::new(DEMO_ACCESS_KEY_ID, "not-the-secret");
    let signed = rig.sign(
        "QueryRobotInfoList",
        &[("AuditStatus", "AUDITPASS")],
        &SignOptions::default(),
    );
    let answer = rig.send(rig.post(&signed.query())).await.unwrap();
    assert_eq!(answer.status, 400);
    assert_eq!(answer.code(), "SignatureDoesNotMatch");
    let body = answer.json();
    let message = body["Message"].as_str().unwrap();
    let server = message.split_once("server string to sign is:").unwrap().1;
    // Same algorithm on both sides: the strings match, so the secret is what is wrong.
    assert_eq!(server, signed.string_to_sign());
}

#[tokio::test]
async fn expired_timestamp_is_rejected_with_the_server_date() {
    let rig = Rig::new(SimulatorConfig::demo()).await;
    // The client's clock is 20 minutes slow.
    let slow = FixedClock::new(t0() - Duration::minutes(20));
    let signed = rig.sign_at(&slow, "QueryRobotInfoList", &[], &SignOptions::default());
    let answer = rig.send(rig.post(&signed.query())).await.unwrap();
    assert_eq!(answer.status, 400);
    assert_eq!(answer.headers["date"], "Mon, 03 Mar 2025 02:00:00 GMT");
    assert_eq!(answer.code(), "InvalidTimeStamp.Expired");
    assert_eq!(
        answer.json()["Message"],
        "Specified time stamp or date value is expired."
    );
}

#[tokio::test]
async fn replayed_request_is_refused_as_nonce_used() {
    let rig = Rig::new(SimulatorConfig::demo()).await;
    let query = rig
        .sign("QueryRobotInfoList", &[], &SignOptions::default())
        .query();
    let first = rig.send(rig.post(&query)).await.unwrap();
    assert_eq!(first.code(), "OK");
    let again = rig.send(rig.post(&query)).await.unwrap();
    assert_eq!(again.status, 400);
    assert_eq!(again.code(), "SignatureNonceUsed");
}

#[tokio::test]
async fn get_works_when_signed_as_get_and_form_bodies_are_merged() {
    let rig = Rig::new(SimulatorConfig::demo()).await;
    let get = SignOptions {
        method: HttpMethod::Get,
        ..SignOptions::default()
    };
    let signed = rig.sign("QueryRobotInfoList", &[], &get);
    let ok = rig.send(rig.get(&signed.query())).await.unwrap();
    assert_eq!(ok.code(), "OK");
    // The same GET-signed parameters sent with a new nonce as POST fail: the method is signed.
    let signed = rig.sign("QueryRobotInfoList", &[], &get);
    let bad = rig.send(rig.post(&signed.query())).await.unwrap();
    assert_eq!(bad.code(), "SignatureDoesNotMatch");

    // Parameters in an x-www-form-urlencoded body, signed together with the query.
    let signed = rig.sign(
        "QueryRobotInfoList",
        &[("AuditStatus", "AUDITING")],
        &SignOptions::default(),
    );
    let mut query = Vec::new();
    for (k, v) in signed.params() {
        if k != "AuditStatus" {
            query.push(format!("{}={}", percent_encode(k), percent_encode(v)));
        }
    }
    query.push(format!("Signature={}", percent_encode(signed.signature())));
    let answer = rig
        .send(
            rig.post(&query.join("&"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body("AuditStatus=AUDITING"),
        )
        .await
        .unwrap();
    assert_eq!(answer.status, 200, "{}", answer.text);
    let robots = answer.data();
    assert_eq!(robots.as_array().unwrap().len(), 1);
    assert_eq!(robots[0]["auditStatus"], "AUDITING");
    assert_eq!(robots[0]["robotName"], "满意度调查");
}
