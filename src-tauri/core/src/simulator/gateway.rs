//! The checks Alibaba Cloud's API gateway makes before an action runs: the API exists, the
//! common parameters are there and well formed, the AccessKey is known, the signature
//! matches, the timestamp is within the window and the nonce is fresh.
//!
//! Codes, messages and HTTP statuses are the documented ones (`docs/api/dyvms.md`
//! §1.6, §5.1); where the docs give a code but no message, the wording is marked as a guess.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, NaiveDateTime, Utc};

use crate::aliyun::signature::{sign, string_to_sign, HttpMethod};

use super::config::SimulatorConfig;
use super::reply::ApiError;
use crate::secrets::Secret;

/// The dyvms API version.
pub const VERSION: &str = "2017-05-25";

/// Actions the simulator implements.
pub const SIMULATED_ACTIONS: [&str; 14] = [
    "BatchRobotSmartCall",
    "QueryCallDetailByTaskId",
    "QueryRobotInfoList",
    "QueryRobotv2AllList",
    "QueryRobotTaskList",
    "QueryRobotTaskDetail",
    "QueryRobotTaskCallList",
    "QueryRobotTaskCallDetail",
    "StartRobotTask",
    "StopRobotTask",
    "CancelOrderRobotTask",
    "CancelRobotTask",
    "DeleteRobotTask",
    "QueryCallDetailByCallId",
];

/// dyvms actions that exist but are not simulated: they pass the gateway, then answer
/// `Simulator.NotImplemented` (a simulator-only code) instead of pretending.
const OTHER_DYVMS_ACTIONS: [&str; 14] = [
    "CreateRobotTask",
    "UploadRobotTaskCalledFile",
    "SmartCall",
    "SmartCallOperate",
    "CancelCall",
    "SingleCallByTts",
    "SingleCallByVoice",
    "IvrCall",
    "QueryVirtualNumberRelation",
    "QueryVmsVirtualNumberRelationByPage",
    "QueryVmsRealNumberCallConnectionRateInfo",
    "GetCallProgress",
    "ListCallTaskDetail",
    "AddVirtualNumberRelation",
];

/// Whether `action` names a dyvms API (case-sensitive, like the gateway).
pub fn is_known_action(action: &str) -> bool {
    SIMULATED_ACTIONS.contains(&action) || OTHER_DYVMS_ACTIONS.contains(&action)
}

/// Nonces seen per AccessKey, with when they were seen.
#[derive(Debug, Default)]
pub(crate) struct NonceBook {
    seen: HashMap<(String, String), DateTime<Utc>>,
}

impl NonceBook {
    /// Records the nonce; false if it was already used within the window.
    pub(super) fn use_once(
        &mut self,
        key_id: &str,
        nonce: &str,
        now: DateTime<Utc>,
        window: Duration,
    ) -> bool {
        self.seen.retain(|_, at| now - *at <= window);
        let key = (key_id.to_owned(), nonce.to_owned());
        if self.seen.contains_key(&key) {
            return false;
        }
        self.seen.insert(key, now);
        true
    }

    pub fn clear(&mut self) {
        self.seen.clear();
    }
}

/// Parses `yyyy-MM-ddTHH:mm:ssZ` (and, if allowed, fractional seconds).
pub fn parse_timestamp(text: &str, allow_fraction: bool) -> Option<DateTime<Utc>> {
    if let Ok(t) = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%SZ") {
        return Some(t.and_utc());
    }
    if allow_fraction && text.contains('.') {
        if let Ok(t) = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.fZ") {
            return Some(t.and_utc());
        }
    }
    None
}

fn required<'a>(params: &'a BTreeMap<String, String>, name: &str) -> Result<&'a str, ApiError> {
    match params.get(name) {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(ApiError::missing(name)),
    }
}

/// Runs every gateway check on a request signed with `method`. Returns the AccessKey id.
pub(crate) fn check(
    config: &SimulatorConfig,
    nonces: &mut NonceBook,
    method: HttpMethod,
    params: &BTreeMap<String, String>,
    now: DateTime<Utc>,
) -> Result<String, ApiError> {
    let action = required(params, "Action")?;
    let version = required(params, "Version")?;
    known_api(action, version)?;
    if let Some(format) = params.get("Format") {
        if !format.eq_ignore_ascii_case("JSON") && !format.eq_ignore_ascii_case("XML") {
            return Err(ApiError::gateway(
                400,
                "InvalidParameter.Format",
                "Specified parameter Format is not valid.",
            ));
        }
    }
    let key_id = required(params, "AccessKeyId")?;
    let signature = required(params, "Signature")?;
    let signature_method = required(params, "SignatureMethod")?;
    if signature_method != "HMAC-SHA1" {
        // The code is documented (developer.aliyun.com/ask/278265); the message is a guess.
        return Err(ApiError::gateway(
            400,
            "InvalidSignatureMethod",
            "Specified signature method is not supported.",
        ));
    }
    let signature_version = required(params, "SignatureVersion")?;
    if signature_version != "1.0" {
        // Not documented; the closest sibling of InvalidSignatureMethod.
        return Err(ApiError::gateway(
            400,
            "InvalidSignatureVersion",
            "Specified signature version is not supported.",
        ));
    }
    let timestamp = required(params, "Timestamp")?;
    let nonce = required(params, "SignatureNonce")?;
    let window = fresh_timestamp(config, timestamp, now)?;
    let secret = secret_for(config, key_id)?;
    let ours = string_to_sign(method, params);
    let expected = sign(secret.expose(), &ours);
    signature_matches(&expected, signature, &ours)?;
    nonce_unused(nonces, key_id, nonce, now, window)?;
    Ok(key_id.to_owned())
}

/// `Action`/`Version` name an API this simulator serves (documented: HTTP 404, "wrong
/// Action/Version (case-sensitive)").
pub(super) fn known_api(action: &str, version: &str) -> Result<(), ApiError> {
    if is_known_action(action) && version == VERSION {
        return Ok(());
    }
    Err(ApiError::gateway(
        404,
        "InvalidApi.NotFound",
        "Specified api is not found, please check your url and method.",
    ))
}

/// The request's time is well formed and within the window; returns the window (a nonce
/// is remembered as long).
pub(super) fn fresh_timestamp(
    config: &SimulatorConfig,
    timestamp: &str,
    now: DateTime<Utc>,
) -> Result<Duration, ApiError> {
    let Some(sent_at) = parse_timestamp(timestamp, config.accept_fractional_timestamps) else {
        return Err(ApiError::gateway(
            400,
            "InvalidTimeStamp.Format",
            "Specified time stamp or date value is not well formatted.",
        ));
    };
    let window = Duration::seconds(config.timestamp_window_secs);
    if (now - sent_at).abs() > window {
        return Err(ApiError::gateway(
            400,
            "InvalidTimeStamp.Expired",
            "Specified time stamp or date value is expired.",
        ));
    }
    Ok(window)
}

/// The secret of a known AccessKey (HTTP 400 per the gateway table; one table says 404).
pub(super) fn secret_for<'a>(
    config: &'a SimulatorConfig,
    key_id: &str,
) -> Result<&'a Secret, ApiError> {
    config.secret_for(key_id).ok_or_else(|| {
        ApiError::gateway(
            400,
            "InvalidAccessKeyId.NotFound",
            "Specified access key is not found.",
        )
    })
}

/// The signature is the one computed from `ours`, the server's string to sign (echoed on a
/// mismatch, as Alibaba Cloud does): either signature version.
pub(super) fn signature_matches(expected: &str, sent: &str, ours: &str) -> Result<(), ApiError> {
    if expected == sent {
        return Ok(());
    }
    Err(ApiError::gateway(
        400,
        "SignatureDoesNotMatch",
        format!(
            "Specified signature is not matched with our calculation. server string to sign is:{ours}"
        ),
    ))
}

/// The nonce was not used by this key within the window: either signature version.
pub(super) fn nonce_unused(
    nonces: &mut NonceBook,
    key_id: &str,
    nonce: &str,
    now: DateTime<Utc>,
    window: Duration,
) -> Result<(), ApiError> {
    if nonces.use_once(key_id, nonce, now, window) {
        return Ok(());
    }
    Err(ApiError::gateway(
        400,
        "SignatureNonceUsed",
        "Specified signature nonce was used already.",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aliyun::signer::{sign_request, FixedClock, SequenceNonce, SignOptions};
    use crate::aliyun::Credentials;
    use crate::simulator::config::{DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET};

    fn now() -> DateTime<Utc> {
        parse_timestamp("2025-01-01T00:00:00Z", false).unwrap_or_default()
    }

    fn signed(at: &str, nonces: &SequenceNonce) -> BTreeMap<String, String> {
        let clock = FixedClock::at_rfc3339(at).unwrap_or_else(|_| FixedClock::new(now()));
        let creds = Credentials::new(DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET);
        let req = sign_request(
            "QueryRobotInfoList",
            BTreeMap::new(),
            &creds,
            &clock,
            nonces,
            &SignOptions::default(),
        );
        let mut params = req.params().clone();
        params.insert("Signature".into(), req.signature().to_owned());
        params
    }

    fn run(params: &BTreeMap<String, String>, book: &mut NonceBook) -> Result<String, ApiError> {
        check(
            &SimulatorConfig::demo(),
            book,
            HttpMethod::Post,
            params,
            now(),
        )
    }

    fn code(r: Result<String, ApiError>) -> String {
        r.err().map(|e| e.code).unwrap_or_else(|| "OK".into())
    }

    #[test]
    fn doc_vector_d_verifies_with_its_key() {
        // Vector D of docs/api/dyvms.md, signed with POST by the official SDK.
        let pairs = [
            ("AccessKeyId", "LTAI_TEST_AK"),
            ("Action", "BatchRobotSmartCall"),
            ("CalledNumber", "13900001111,13900002222"),
            ("CalledShowNumber", "057112345678"),
            ("CorpName", "阿里云 测试*公司~"),
            ("DialogId", "1234567"),
            ("EarlyMediaAsr", "false"),
            ("Format", "JSON"),
            ("IsSelfLine", "false"),
            ("RegionId", "cn-hangzhou"),
            ("ScheduleCall", "true"),
            ("ScheduleTime", "1735689600000"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "3f1d1b9c-0000-4000-8000-000000000001"),
            ("SignatureVersion", "1.0"),
            ("TaskName", "外呼 任务*~1"),
            ("Timestamp", "2025-01-01T00:00:00Z"),
            (
                "TtsParam",
                r#"[{"number":"13900001111","params":["小王","小李"]},{"number":"13900002222","params":["A B","x*y~z"]}]"#,
            ),
            ("TtsParamHead", r#"["name1","name2"]"#),
            ("Version", "2017-05-25"),
            ("Signature", "mRWaIRERRbvZOmwDkxyksb5L7/s="),
        ];
        let params: BTreeMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let config = SimulatorConfig::demo().with_key("LTAI_TEST_AK", "test_secret_123");
        let mut book = NonceBook::default();
        let ok = check(&config, &mut book, HttpMethod::Post, &params, now());
        assert_eq!(ok.ok().as_deref(), Some("LTAI_TEST_AK"));
        // Sent as GET, the same signature no longer matches (the method is signed).
        let mut book = NonceBook::default();
        let err = check(&config, &mut book, HttpMethod::Get, &params, now()).err();
        let err = err.unwrap_or_else(|| ApiError::missing("x"));
        assert_eq!(err.code, "SignatureDoesNotMatch");
        assert_eq!(err.status, 400);
        assert!(err.message.starts_with(
            "Specified signature is not matched with our calculation. server string to sign is:GET&%2F&AccessKeyId%3DLTAI_TEST_AK%26Action%3DBatchRobotSmartCall"
        ));
    }

    #[test]
    fn a_freshly_signed_request_passes_and_its_nonce_cannot_be_replayed() {
        let nonces = SequenceNonce::new("n");
        let params = signed("2025-01-01T00:00:00Z", &nonces);
        let mut book = NonceBook::default();
        assert_eq!(code(run(&params, &mut book)), "OK");
        assert_eq!(code(run(&params, &mut book)), "SignatureNonceUsed");
        // A new nonce is fine again.
        assert_eq!(
            code(run(&signed("2025-01-01T00:00:00Z", &nonces), &mut book)),
            "OK"
        );
    }

    #[test]
    fn nonces_are_forgotten_after_the_window() {
        let params = signed("2025-01-01T00:00:00Z", &SequenceNonce::new("n"));
        let config = SimulatorConfig::demo();
        let mut book = NonceBook::default();
        let at = |mins: i64| now() + Duration::minutes(mins);
        assert_eq!(
            code(check(&config, &mut book, HttpMethod::Post, &params, at(0))),
            "OK"
        );
        // 14 minutes later the timestamp is still valid and the nonce still remembered.
        assert_eq!(
            code(check(&config, &mut book, HttpMethod::Post, &params, at(14))),
            "SignatureNonceUsed"
        );
        assert!(book.use_once(DEMO_ACCESS_KEY_ID, "n-1", at(16), Duration::minutes(15)));
    }

    #[test]
    fn timestamp_window_is_fifteen_minutes_each_way() {
        let nonces = SequenceNonce::new("t");
        let mut book = NonceBook::default();
        for (at, expected) in [
            ("2024-12-31T23:45:00Z", "OK"),
            ("2025-01-01T00:15:00Z", "OK"),
            ("2024-12-31T23:44:59Z", "InvalidTimeStamp.Expired"),
            ("2025-01-01T00:15:01Z", "InvalidTimeStamp.Expired"),
        ] {
            assert_eq!(code(run(&signed(at, &nonces), &mut book)), expected, "{at}");
        }
    }

    #[test]
    fn timestamp_formats() {
        assert!(parse_timestamp("2025-01-01T00:00:00Z", false).is_some());
        assert!(parse_timestamp("2025-01-01T00:00:00.123456789Z", true).is_some());
        assert!(parse_timestamp("2025-01-01T00:00:00.1Z", false).is_none());
        assert!(parse_timestamp("2025-01-01 00:00:00", true).is_none());
        assert!(parse_timestamp("2025-01-01T08:00:00+08:00", true).is_none());
        let mut params = signed("2025-01-01T00:00:00Z", &SequenceNonce::new("f"));
        params.insert("Timestamp".into(), "2025-01-01 00:00:00".into());
        assert_eq!(
            code(run(&params, &mut NonceBook::default())),
            "InvalidTimeStamp.Format"
        );
    }

    #[test]
    fn wrong_secret_unknown_key_and_missing_parameters() {
        let nonces = SequenceNonce::new("w");
        let mut params = signed("2025-01-01T00:00:00Z", &nonces);
        params.insert("Signature".into(), "AAAAAAAAAAAAAAAAAAAAAAAAAAA=".into());
        assert_eq!(
            code(run(&params, &mut NonceBook::default())),
            "SignatureDoesNotMatch"
        );

        let mut params = signed("2025-01-01T00:00:00Z", &nonces);
        params.insert("AccessKeyId".into(), "LTAInobody".into());
        assert_eq!(
            code(run(&params, &mut NonceBook::default())),
            "InvalidAccessKeyId.NotFound"
        );

        for name in [
            "Timestamp",
            "SignatureNonce",
            "AccessKeyId",
            "Signature",
            "Version",
        ] {
            let mut params = signed("2025-01-01T00:00:00Z", &nonces);
            params.remove(name);
            let err = run(&params, &mut NonceBook::default()).err();
            assert_eq!(
                err.map(|e| (e.code, e.message, e.status)),
                Some((
                    format!("Missing{name}"),
                    format!("{name} is mandatory for this action."),
                    400
                ))
            );
        }
        // The old SDK's misspelling `TimeStamp` is a missing Timestamp (pitfall 5).
        let mut params = signed("2025-01-01T00:00:00Z", &nonces);
        let ts = params.remove("Timestamp").unwrap_or_default();
        params.insert("TimeStamp".into(), ts);
        assert_eq!(
            code(run(&params, &mut NonceBook::default())),
            "MissingTimestamp"
        );
    }

    #[test]
    fn action_names_are_case_sensitive_and_checked_before_the_signature() {
        let mut params = signed("2025-01-01T00:00:00Z", &SequenceNonce::new("a"));
        params.insert("Action".into(), "queryRobotInfoList".into());
        let err = run(&params, &mut NonceBook::default()).err();
        assert_eq!(
            err.map(|e| (e.code, e.status)),
            Some(("InvalidApi.NotFound".to_owned(), 404))
        );
    }

    #[test]
    fn signature_method_and_version_are_checked() {
        let nonces = SequenceNonce::new("m");
        let mut params = signed("2025-01-01T00:00:00Z", &nonces);
        params.insert("SignatureMethod".into(), "HMAC-SHA256".into());
        assert_eq!(
            code(run(&params, &mut NonceBook::default())),
            "InvalidSignatureMethod"
        );
        let mut params = signed("2025-01-01T00:00:00Z", &nonces);
        params.insert("SignatureVersion".into(), "2.0".into());
        assert_eq!(
            code(run(&params, &mut NonceBook::default())),
            "InvalidSignatureVersion"
        );
    }
}
