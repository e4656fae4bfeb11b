use std::collections::BTreeMap;

use axum::http::{HeaderName, HeaderValue};

use chrono::Duration;

use super::*;
use crate::aliyun::signature::HttpMethod;
use crate::aliyun::signer::{sign_request, FixedClock, SequenceNonce, SignOptions};
use crate::aliyun::signer_v3::{sign_request_v3, SignedRequestV3};
use crate::aliyun::Credentials;
use crate::simulator::config::{DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET};
use crate::simulator::gateway;
use crate::simulator::gateway::parse_timestamp;

const HOST: &str = "127.0.0.1:9999";

fn now() -> DateTime<Utc> {
    parse_timestamp("2025-01-01T00:00:00Z", false).unwrap_or_default()
}

fn creds() -> Credentials {
    Credentials::new(DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET)
}

fn signed_at(
    at: DateTime<Utc>,
    params: &[(&str, &str)],
    nonces: &SequenceNonce,
) -> SignedRequestV3 {
    let p = params
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    sign_request_v3(
        "QueryRobotInfoList",
        p,
        &creds(),
        &FixedClock::new(at),
        nonces,
        HOST,
        &SignOptions::default(),
    )
}

fn headers_of(signed: &SignedRequestV3) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (n, v) in signed.headers() {
        h.insert(
            HeaderName::from_bytes(n.as_bytes()).unwrap_or(HeaderName::from_static("x-bad")),
            HeaderValue::from_str(v).unwrap_or(HeaderValue::from_static("bad")),
        );
    }
    h.insert(
        "authorization",
        HeaderValue::from_str(&signed.authorization()).unwrap_or(HeaderValue::from_static("bad")),
    );
    h
}

fn run(
    signed: &SignedRequestV3,
    headers: &HeaderMap,
    body: &[u8],
    book: &mut NonceBook,
) -> Result<String, ApiError> {
    check(
        &SimulatorConfig::demo(),
        book,
        "POST",
        headers,
        signed.params(),
        body,
        now(),
    )
}

fn code(r: Result<String, ApiError>) -> String {
    r.err().map(|e| e.code).unwrap_or_else(|| "OK".into())
}

#[test]
fn a_signed_request_passes_once_and_its_nonce_cannot_be_replayed() {
    let nonces = SequenceNonce::new("n");
    let signed = signed_at(now(), &[("AuditStatus", "AUDITPASS")], &nonces);
    let headers = headers_of(&signed);
    let mut book = NonceBook::default();
    assert_eq!(
        run(&signed, &headers, b"", &mut book).ok().as_deref(),
        Some(DEMO_ACCESS_KEY_ID)
    );
    assert_eq!(
        code(run(&signed, &headers, b"", &mut book)),
        "SignatureNonceUsed"
    );
    // The V1 and V3 nonces share one book, as on the real gateway.
    let again = signed_at(now(), &[], &nonces);
    assert_eq!(code(run(&again, &headers_of(&again), b"", &mut book)), "OK");
}

#[test]
fn a_wrong_secret_gets_the_same_string_to_sign_back() {
    let nonces = SequenceNonce::new("w");
    let wrong = Credentials::new(DEMO_ACCESS_KEY_ID, "not-the-secret");
    let signed = sign_request_v3(
        "QueryRobotInfoList",
        BTreeMap::new(),
        &wrong,
        &FixedClock::new(now()),
        &nonces,
        HOST,
        &SignOptions::default(),
    );
    let err = run(
        &signed,
        &headers_of(&signed),
        b"",
        &mut NonceBook::default(),
    )
    .err();
    let err = err.unwrap_or_else(|| ApiError::missing("x"));
    assert_eq!(err.code, "SignatureDoesNotMatch");
    let server = err
        .message
        .split_once("server string to sign is:")
        .map(|(_, s)| s)
        .unwrap_or("");
    assert_eq!(server, signed.string_to_sign());
}

#[test]
fn the_date_window_is_fifteen_minutes_each_way() {
    let nonces = SequenceNonce::new("t");
    let mut book = NonceBook::default();
    for (minutes, seconds, expected) in [
        (-15, 0, "OK"),
        (15, 0, "OK"),
        (-15, -1, "InvalidTimeStamp.Expired"),
        (15, 1, "InvalidTimeStamp.Expired"),
    ] {
        let at = now() + Duration::minutes(minutes) + Duration::seconds(seconds);
        let signed = signed_at(at, &[], &nonces);
        assert_eq!(
            code(run(&signed, &headers_of(&signed), b"", &mut book)),
            expected,
            "{minutes}m{seconds}s"
        );
    }
    let signed = signed_at(now(), &[], &nonces);
    let mut headers = headers_of(&signed);
    headers.insert(
        "x-acs-date",
        HeaderValue::from_static("2025-01-01 00:00:00"),
    );
    assert_eq!(
        code(run(&signed, &headers, b"", &mut book)),
        "InvalidTimeStamp.Format"
    );
}

#[test]
fn every_common_header_must_be_signed_and_present() {
    let nonces = SequenceNonce::new("h");
    let signed = signed_at(now(), &[], &nonces);
    // An x-acs-* header the signature does not cover.
    let mut headers = headers_of(&signed);
    headers.insert("x-acs-extra", HeaderValue::from_static("1"));
    let err = run(&signed, &headers, b"", &mut NonceBook::default()).err();
    assert_eq!(
        err.map(|e| (e.code, e.message.contains("x-acs-extra"))),
        Some(("IncompleteSignature".to_owned(), true))
    );
    // A signed list that leaves host out.
    let mut headers = headers_of(&signed);
    let auth = signed
        .authorization()
        .replace("SignedHeaders=host;", "SignedHeaders=");
    headers.insert(
        "authorization",
        HeaderValue::from_str(&auth).unwrap_or(HeaderValue::from_static("bad")),
    );
    let err = run(&signed, &headers, b"", &mut NonceBook::default()).err();
    assert_eq!(
        err.map(|e| (e.code, e.message.contains("host"))),
        Some(("IncompleteSignature".to_owned(), true))
    );
    // Each required header missing.
    for (name, missing) in [
        ("x-acs-action", "MissingAction"),
        ("x-acs-version", "MissingVersion"),
        ("x-acs-date", "MissingTimestamp"),
        ("x-acs-signature-nonce", "MissingSignatureNonce"),
        ("x-acs-content-sha256", "MissingContentSha256"),
        ("authorization", "MissingAuthorization"),
    ] {
        let mut headers = headers_of(&signed);
        headers.remove(name);
        assert_eq!(
            code(run(&signed, &headers, b"", &mut NonceBook::default())),
            missing,
            "{name}"
        );
    }
}

#[test]
fn the_payload_hash_must_be_the_bodys() {
    let signed = signed_at(now(), &[], &SequenceNonce::new("p"));
    let err = run(
        &signed,
        &headers_of(&signed),
        b"CalledNumber=1",
        &mut NonceBook::default(),
    )
    .err();
    assert_eq!(
        err.map(|e| (e.code, e.message.contains("x-acs-content-sha256"))),
        Some(("IncompleteSignature".to_owned(), true))
    );
}

#[test]
fn another_algorithm_an_unknown_key_and_a_changed_parameter() {
    let nonces = SequenceNonce::new("a");
    let signed = signed_at(now(), &[("AuditStatus", "AUDITPASS")], &nonces);
    let mut headers = headers_of(&signed);
    let auth = signed
        .authorization()
        .replace("ACS3-HMAC-SHA256", "ACS3-HMAC-SM3");
    headers.insert(
        "authorization",
        HeaderValue::from_str(&auth).unwrap_or(HeaderValue::from_static("bad")),
    );
    assert_eq!(
        code(run(&signed, &headers, b"", &mut NonceBook::default())),
        "InvalidSignatureMethod"
    );

    let mut headers = headers_of(&signed);
    let auth = signed
        .authorization()
        .replace(DEMO_ACCESS_KEY_ID, "LTAInobody");
    headers.insert(
        "authorization",
        HeaderValue::from_str(&auth).unwrap_or(HeaderValue::from_static("bad")),
    );
    assert_eq!(
        code(run(&signed, &headers, b"", &mut NonceBook::default())),
        "InvalidAccessKeyId.NotFound"
    );

    // The query is signed: a changed value fails like a wrong secret would, but the server's
    // string to sign differs from the client's.
    let mut query = signed.params().clone();
    query.insert("AuditStatus".into(), "AUDITING".into());
    let err = check(
        &SimulatorConfig::demo(),
        &mut NonceBook::default(),
        "POST",
        &headers_of(&signed),
        &query,
        b"",
        now(),
    )
    .err()
    .unwrap_or_else(|| ApiError::missing("x"));
    assert_eq!(err.code, "SignatureDoesNotMatch");
    assert!(!err.message.ends_with(signed.string_to_sign()));
    // So is the method.
    let err = check(
        &SimulatorConfig::demo(),
        &mut NonceBook::default(),
        "GET",
        &headers_of(&signed),
        signed.params(),
        b"",
        now(),
    )
    .err()
    .map(|e| e.code);
    assert_eq!(err.as_deref(), Some("SignatureDoesNotMatch"));
}

/// Parameter text that trips encoders, through both versions' verification.
#[test]
fn tricky_parameter_text_verifies_with_v1_and_v3() {
    let tricky = [
        "张三 李四",
        "emoji 😀🎉 ok",
        "a*b",
        "x~y",
        "two  spaces ",
        "1+1=2",
        r#"say "hi" 'you'"#,
        "100%",
        "%20 is not a space",
        "k=v&x=y",
        "",
        "line\nbreak\ttab",
        r#"[{"number":"13900001111","params":["小王","A B","x*y~z"]}]"#,
    ];
    let nonces = SequenceNonce::new("x");
    let mut book = NonceBook::default();
    for text in tricky {
        let params = [("CorpName", text), ("TaskName", text)];
        let v3 = signed_at(now(), &params, &nonces);
        assert_eq!(
            code(run(&v3, &headers_of(&v3), b"", &mut book)),
            "OK",
            "v3 {text:?}"
        );
        let v1 = sign_request(
            "QueryRobotInfoList",
            params
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            &creds(),
            &FixedClock::new(now()),
            &nonces,
            &SignOptions::default(),
        );
        let mut sent = v1.params().clone();
        sent.insert("Signature".into(), v1.signature().to_owned());
        assert_eq!(
            gateway::check(
                &SimulatorConfig::demo(),
                &mut book,
                HttpMethod::Post,
                &sent,
                now()
            )
            .err()
            .map(|e| e.code),
            None,
            "v1 {text:?}"
        );
    }
}
