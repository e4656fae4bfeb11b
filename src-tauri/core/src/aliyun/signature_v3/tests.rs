//! The vectors of `docs/api/signature-v3.md`, computed there with Python's `hashlib`/`hmac`
//! and `urllib.parse.quote(v, safe='~')` (the official SDK's encoding), not with this code.

use std::collections::BTreeMap;

use super::*;
use crate::aliyun::signer::{FixedClock, SignOptions};
use crate::aliyun::signer_v3::sign_request_v3;
use crate::aliyun::{Credentials, NonceSource};

struct OneNonce(&'static str);
impl NonceSource for OneNonce {
    fn next_nonce(&self) -> String {
        self.0.to_owned()
    }
}

fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn clock() -> FixedClock {
    FixedClock::at_rfc3339("2025-01-01T00:00:00Z").unwrap_or_else(|_| unreachable!())
}

const SIGNED_LIST: &str =
    "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version";

#[test]
fn empty_body_hash() {
    assert_eq!(hex_sha256(b""), EMPTY_BODY_SHA256);
    assert_eq!(
        hex_sha256("CalledNumber=1&TaskName=%E4%BD%A0".as_bytes()),
        "4aaec2a1cf22098d2969c22e5268f4c4dadff7304ed44a0ca1341e5c9d5bd935"
    );
}

#[test]
fn vector_v3a_no_parameters() {
    let creds = Credentials::new("LTAI_TEST_AK", "test_secret_123");
    let options = SignOptions {
        region_id: None,
        ..SignOptions::default()
    };
    let signed = sign_request_v3(
        "QueryRobotInfoList",
        BTreeMap::new(),
        &creds,
        &clock(),
        &OneNonce("n-1"),
        "dyvmsapi.aliyuncs.com",
        &options,
    );
    assert_eq!(signed.query(), "");
    assert_eq!(signed.signed_headers(), SIGNED_LIST);
    assert_eq!(
        signed.string_to_sign(),
        "ACS3-HMAC-SHA256\n3ca855fa7a2d018bac2d9de410af26692d37f1a8400aa0bdacf0e50d05d36302"
    );
    assert_eq!(
        signed.authorization(),
        "ACS3-HMAC-SHA256 Credential=LTAI_TEST_AK,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=403d32bccdb5cdc3d4a2e977744675981318d39d91238b7c51510a998866799c"
    );
}

#[test]
fn vector_v3b_batch_robot_smart_call_with_chinese_star_tilde_space_json() {
    let p = params(&[
        ("CalledNumber", "13900001111,13900002222"),
        ("CalledShowNumber", "057112345678"),
        ("CorpName", "阿里云 测试*公司~"),
        ("DialogId", "1234567"),
        ("EarlyMediaAsr", "false"),
        ("IsSelfLine", "false"),
        ("ScheduleCall", "true"),
        ("ScheduleTime", "1735689600000"),
        ("TaskName", "外呼 任务*~1"),
        (
            "TtsParam",
            r#"[{"number":"13900001111","params":["小王","小李"]},{"number":"13900002222","params":["A B","x*y~z"]}]"#,
        ),
        ("TtsParamHead", r#"["name1","name2"]"#),
        // The V1 parameters a caller might pass are never sent with V3.
        ("Action", "Other"),
        ("AccessKeyId", "forged"),
        ("Signature", "forged"),
    ]);
    let creds = Credentials::new("LTAI_TEST_AK", "test_secret_123");
    let signed = sign_request_v3(
        "BatchRobotSmartCall",
        p,
        &creds,
        &clock(),
        &OneNonce("3f1d1b9c-0000-4000-8000-000000000001"),
        "dyvmsapi.aliyuncs.com",
        &SignOptions::default(),
    );
    assert_eq!(
        signed.query(),
        "CalledNumber=13900001111%2C13900002222&CalledShowNumber=057112345678&CorpName=%E9%98%BF%E9%87%8C%E4%BA%91%20%E6%B5%8B%E8%AF%95%2A%E5%85%AC%E5%8F%B8~&DialogId=1234567&EarlyMediaAsr=false&IsSelfLine=false&RegionId=cn-hangzhou&ScheduleCall=true&ScheduleTime=1735689600000&TaskName=%E5%A4%96%E5%91%BC%20%E4%BB%BB%E5%8A%A1%2A~1&TtsParam=%5B%7B%22number%22%3A%2213900001111%22%2C%22params%22%3A%5B%22%E5%B0%8F%E7%8E%8B%22%2C%22%E5%B0%8F%E6%9D%8E%22%5D%7D%2C%7B%22number%22%3A%2213900002222%22%2C%22params%22%3A%5B%22A%20B%22%2C%22x%2Ay~z%22%5D%7D%5D&TtsParamHead=%5B%22name1%22%2C%22name2%22%5D"
    );
    assert_eq!(
        signed.string_to_sign(),
        "ACS3-HMAC-SHA256\n5b527edf58332342fa783b3e50dcc97d6b35afc45964d81a1134030650ab79d0"
    );
    assert_eq!(
        signed.signature(),
        "f359303b25ab0f500badbe77e4cc554e3e24b3a1d3666d5bd47ce9693a564e23"
    );
    assert_eq!(signed.header("x-acs-date"), Some("2025-01-01T00:00:00Z"));
    assert_eq!(signed.header("x-acs-version"), Some("2017-05-25"));
}

#[test]
fn vector_v3c_punctuation_newline_emoji_empty_value_and_a_port_in_host() {
    let p = params(&[
        ("A", "1+1=2 & 50% /path?x!'()"),
        ("B", "line1\nline2"),
        ("C", "emoji 😀 ok"),
        ("D", ""),
        ("E", r#"say "hi" = 100%"#),
        ("RegionId", "cn-hangzhou"),
    ]);
    let query = canonical_query(&p);
    assert_eq!(
        query,
        "A=1%2B1%3D2%20%26%2050%25%20%2Fpath%3Fx%21%27%28%29&B=line1%0Aline2&C=emoji%20%F0%9F%98%80%20ok&D=&E=say%20%22hi%22%20%3D%20100%25&RegionId=cn-hangzhou"
    );
    let creds = Credentials::new("testid", "testsecret");
    let signed = sign_request_v3(
        "QueryRobotInfoList",
        p,
        &creds,
        &clock(),
        &OneNonce("n-2"),
        "127.0.0.1:8080",
        &SignOptions::default(),
    );
    assert_eq!(
        signed.string_to_sign(),
        "ACS3-HMAC-SHA256\n5274b585461de0dfa3ddc7a30eeba9fb7a34c7808b82da3461b66cff878b4328"
    );
    assert_eq!(
        signed.signature(),
        "08804fa5d3ee05e654c24fa4062c36353bc28aa6f6d3547b8f4eb89766d4cf56"
    );
}

#[test]
fn canonical_request_layout_has_the_empty_line_after_the_headers() {
    let (headers, list) = canonical_headers([("X-Acs-Date", " 2025 "), ("Host", "h")]);
    assert_eq!(headers, "host:h\nx-acs-date:2025\n");
    assert_eq!(list, "host;x-acs-date");
    assert_eq!(
        canonical_request("POST", "a=1", &headers, &list, EMPTY_BODY_SHA256),
        format!("POST\n/\na=1\nhost:h\nx-acs-date:2025\n\nhost;x-acs-date\n{EMPTY_BODY_SHA256}")
    );
}

#[test]
fn authorization_round_trips_and_bad_shapes_are_refused() {
    let header = authorization("id", "host;x-acs-date", "abc");
    assert_eq!(
        parse_authorization(&header),
        Some(Authorization {
            algorithm: ALGORITHM.to_owned(),
            credential: "id".to_owned(),
            signed_headers: vec!["host".to_owned(), "x-acs-date".to_owned()],
            signature: "abc".to_owned(),
        })
    );
    for bad in [
        "",
        "ACS3-HMAC-SHA256",
        "ACS3-HMAC-SHA256 Credential=id,SignedHeaders=host",
        "ACS3-HMAC-SHA256 Credential=,SignedHeaders=host,Signature=x",
        "ACS3-HMAC-SHA256 garbage",
    ] {
        assert_eq!(parse_authorization(bad), None, "{bad:?}");
    }
}

#[test]
fn debug_hides_the_signature() {
    let creds = Credentials::new("id", "secret");
    let signed = sign_request_v3(
        "A",
        BTreeMap::new(),
        &creds,
        &clock(),
        &OneNonce("n"),
        "h",
        &SignOptions::default(),
    );
    let shown = format!("{signed:?}");
    assert!(!shown.contains(signed.signature()));
    assert!(!shown.contains("secret"));
}
