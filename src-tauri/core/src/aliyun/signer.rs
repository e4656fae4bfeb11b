//! Turning an action and its parameters into a signed request: the common parameters the
//! official SDKs add, a fresh nonce and timestamp, and the RPC v1.0 signature.
//!
//! Time and randomness come in through [`WallClock`] and [`NonceSource`], so a signed request is
//! deterministic in tests and every real attempt (retries included) gets a new nonce and
//! timestamp (`docs/api/dyvms.md` §5.5: a reused nonce fails with
//! `SignatureNonceUsed`).
//!
//! ```
//! use std::collections::BTreeMap;
//! use smartdial_core::aliyun::signer::{sign_request, FixedClock, SequenceNonce, SignOptions};
//! use smartdial_core::aliyun::Credentials;
//!
//! let creds = Credentials::new("LTAI_TEST_AK", "test_secret_123");
//! let clock = FixedClock::at_rfc3339("2025-01-01T00:00:00Z").unwrap();
//! let nonce = SequenceNonce::new("n");
//! let signed = sign_request("QueryRobotInfoList", BTreeMap::new(), &creds, &clock, &nonce, &SignOptions::default());
//! assert_eq!(signed.params()["Timestamp"], "2025-01-01T00:00:00Z");
//! assert_eq!(signed.params()["SignatureNonce"], "n-1");
//! assert!(signed.query().contains("&Signature="));
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, SecondsFormat, Utc};

use super::credentials::Credentials;
use super::signature::{canonicalized_query, percent_encode, sign, string_to_sign, HttpMethod};
/// The clocks live in [`crate::clock`]; signing takes any [`WallClock`].
pub use crate::clock::{FixedClock, SystemClock, WallClock};

/// The dyvms API version every request names.
pub const API_VERSION: &str = "2017-05-25";
/// The region the official old SDK adds; whether dyvms requires it is UNCERTAIN
/// (`docs/api/dyvms.md` §1.1), so [`SignOptions::region_id`] can drop or change it.
pub const DEFAULT_REGION_ID: &str = "cn-hangzhou";
/// The response format SmartDial asks for.
pub const FORMAT: &str = "JSON";
/// Names of the parameters the signer owns; a caller's value for one of them is replaced.
pub const COMMON_PARAMS: [&str; 9] = [
    "Action",
    "Version",
    "Format",
    "AccessKeyId",
    "SignatureMethod",
    "SignatureVersion",
    "SignatureNonce",
    "Timestamp",
    "Signature",
];

/// A source of `SignatureNonce` values: unique per attempt.
pub trait NonceSource: Send + Sync {
    fn next_nonce(&self) -> String;
}

/// Random UUID v4 nonces, as Alibaba Cloud recommends.
#[derive(Debug, Clone, Copy, Default)]
pub struct UuidNonce;

impl NonceSource for UuidNonce {
    fn next_nonce(&self) -> String {
        uuid::Uuid::new_v4().to_string()
    }
}

/// Predictable nonces `prefix-1`, `prefix-2`, … for tests: still unique per attempt.
#[derive(Debug)]
pub struct SequenceNonce {
    prefix: String,
    counter: AtomicU64,
}

impl SequenceNonce {
    pub fn new(prefix: impl Into<String>) -> Self {
        SequenceNonce {
            prefix: prefix.into(),
            counter: AtomicU64::new(0),
        }
    }
}

impl NonceSource for SequenceNonce {
    fn next_nonce(&self) -> String {
        let n = self.counter.fetch_add(1, Ordering::Relaxed) + 1;
        format!("{}-{n}", self.prefix)
    }
}

/// Choices the docs leave open (UNCERTAIN in `docs/api/dyvms.md`), kept as settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignOptions {
    /// `RegionId` to send; `None` sends none (the new SDK's way).
    pub region_id: Option<String>,
    /// The method that is both signed and sent. The official SDKs use POST for dyvms.
    pub method: HttpMethod,
}

impl Default for SignOptions {
    fn default() -> Self {
        SignOptions {
            region_id: Some(DEFAULT_REGION_ID.to_owned()),
            method: HttpMethod::Post,
        }
    }
}

/// The timestamp format the API documents: UTC, whole seconds, `yyyy-MM-ddTHH:mm:ssZ`.
pub fn format_timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// One signed attempt: the parameters (without `Signature`), the string that was signed, and
/// the signature. `Debug` hides the signature, which is as good as a one-time password.
#[derive(Clone)]
pub struct SignedRequest {
    params: BTreeMap<String, String>,
    string_to_sign: String,
    signature: String,
    method: HttpMethod,
}

impl SignedRequest {
    /// Every parameter that was signed, in byte order of the names.
    pub fn params(&self) -> &BTreeMap<String, String> {
        &self.params
    }

    /// The string this client signed; compared with the server's on `SignatureDoesNotMatch`.
    pub fn string_to_sign(&self) -> &str {
        &self.string_to_sign
    }

    /// The signature. Only for building the URL and for tests; never log it.
    pub fn signature(&self) -> &str {
        &self.signature
    }

    pub fn method(&self) -> HttpMethod {
        self.method
    }

    /// The URL query string: the canonicalized parameters plus the encoded `Signature`.
    pub fn query(&self) -> String {
        format!(
            "{}&Signature={}",
            canonicalized_query(&self.params),
            percent_encode(&self.signature)
        )
    }

    /// `Action` of this request, for logs.
    pub fn action(&self) -> &str {
        self.params.get("Action").map(String::as_str).unwrap_or("")
    }
}

impl fmt::Debug for SignedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignedRequest")
            .field("action", &self.action())
            .field("method", &self.method)
            .field("param_names", &self.params.keys().collect::<Vec<_>>())
            .field("signature", &"<redacted>")
            .finish()
    }
}

/// Adds the common parameters (Action, Version, Format, RegionId, AccessKeyId,
/// SignatureMethod, SignatureVersion, a fresh SignatureNonce and Timestamp) to `api_params`
/// and signs the result. Call it once per attempt.
pub fn sign_request(
    action: &str,
    api_params: BTreeMap<String, String>,
    credentials: &Credentials,
    clock: &dyn WallClock,
    nonces: &dyn NonceSource,
    options: &SignOptions,
) -> SignedRequest {
    let mut params = api_params;
    params.remove("Signature");
    if let Some(region) = &options.region_id {
        params
            .entry("RegionId".to_owned())
            .or_insert_with(|| region.clone());
    }
    let common = [
        ("Action", action.to_owned()),
        ("Version", API_VERSION.to_owned()),
        ("Format", FORMAT.to_owned()),
        ("AccessKeyId", credentials.access_key_id.clone()),
        ("SignatureMethod", "HMAC-SHA1".to_owned()),
        ("SignatureVersion", "1.0".to_owned()),
        ("SignatureNonce", nonces.next_nonce()),
        ("Timestamp", format_timestamp(clock.now_utc())),
    ];
    for (name, value) in common {
        params.insert(name.to_owned(), value);
    }
    let string_to_sign = string_to_sign(options.method, &params);
    let signature = sign(credentials.access_key_secret.expose(), &string_to_sign);
    SignedRequest {
        params,
        string_to_sign,
        signature,
        method: options.method,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d_params() -> BTreeMap<String, String> {
        [
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
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
    }

    struct OneNonce(&'static str);
    impl NonceSource for OneNonce {
        fn next_nonce(&self) -> String {
            self.0.to_owned()
        }
    }

    #[test]
    fn vector_d_through_the_full_signer() {
        let creds = Credentials::new("LTAI_TEST_AK", "test_secret_123");
        let clock = FixedClock::at_rfc3339("2025-01-01T00:00:00Z").expect("time");
        let nonce = OneNonce("3f1d1b9c-0000-4000-8000-000000000001");
        let signed = sign_request(
            "BatchRobotSmartCall",
            d_params(),
            &creds,
            &clock,
            &nonce,
            &SignOptions::default(),
        );
        assert_eq!(signed.signature(), "mRWaIRERRbvZOmwDkxyksb5L7/s=");
        assert!(signed
            .query()
            .ends_with("&Signature=mRWaIRERRbvZOmwDkxyksb5L7%2Fs%3D"));
        assert!(signed
            .query()
            .starts_with("AccessKeyId=LTAI_TEST_AK&Action=BatchRobotSmartCall&"));
    }

    #[test]
    fn every_attempt_gets_a_fresh_nonce_and_the_current_time() {
        let creds = Credentials::new("id", "secret");
        let clock = FixedClock::at_rfc3339("2025-01-01T00:00:00.987Z").expect("time");
        let first = sign_request(
            "A",
            BTreeMap::new(),
            &creds,
            &clock,
            &UuidNonce,
            &SignOptions::default(),
        );
        clock.set(first_plus_seconds(&clock, 61));
        let second = sign_request(
            "A",
            BTreeMap::new(),
            &creds,
            &clock,
            &UuidNonce,
            &SignOptions::default(),
        );
        assert_ne!(
            first.params()["SignatureNonce"],
            second.params()["SignatureNonce"]
        );
        assert_eq!(first.params()["Timestamp"], "2025-01-01T00:00:00Z");
        assert_eq!(second.params()["Timestamp"], "2025-01-01T00:01:01Z");
        assert_ne!(first.signature(), second.signature());
        assert!(uuid::Uuid::parse_str(&first.params()["SignatureNonce"]).is_ok());
    }

    fn first_plus_seconds(clock: &FixedClock, s: i64) -> DateTime<Utc> {
        clock.now_utc() + chrono::Duration::seconds(s)
    }

    #[test]
    fn callers_cannot_override_the_signers_parameters() {
        let creds = Credentials::new("real-id", "secret");
        let clock = FixedClock::at_rfc3339("2025-01-01T00:00:00Z").expect("time");
        let mut p = BTreeMap::new();
        p.insert("AccessKeyId".to_owned(), "other".to_owned());
        p.insert("Signature".to_owned(), "forged".to_owned());
        p.insert("RegionId".to_owned(), "cn-shanghai".to_owned());
        let signed = sign_request(
            "A",
            p,
            &creds,
            &clock,
            &SequenceNonce::new("x"),
            &SignOptions::default(),
        );
        assert_eq!(signed.params()["AccessKeyId"], "real-id");
        assert_eq!(signed.params()["RegionId"], "cn-shanghai");
        assert!(!signed.params().contains_key("Signature"));
        let no_region = SignOptions {
            region_id: None,
            ..SignOptions::default()
        };
        let signed = sign_request(
            "A",
            BTreeMap::new(),
            &creds,
            &clock,
            &SequenceNonce::new("x"),
            &no_region,
        );
        assert!(!signed.params().contains_key("RegionId"));
    }

    #[test]
    fn debug_hides_the_signature() {
        let creds = Credentials::new("id", "secret");
        let clock = FixedClock::at_rfc3339("2025-01-01T00:00:00Z").expect("time");
        let signed = sign_request(
            "A",
            BTreeMap::new(),
            &creds,
            &clock,
            &SequenceNonce::new("x"),
            &SignOptions::default(),
        );
        let shown = format!("{signed:?}");
        assert!(!shown.contains(signed.signature()));
        assert!(shown.contains("<redacted>"));
    }
}
