//! Which signature a request carries: V3 (`ACS3-HMAC-SHA256`, the default, what Alibaba's
//! current SDKs send) or V1 (`HMAC-SHA1`, kept for accounts whose endpoint refuses V3).
//! The choice comes from `--signature` / `SMARTDIAL_SIGNATURE`, else the profile, else V3.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::credentials::Credentials;
use super::signer::{sign_request, NonceSource, SignOptions, SignedRequest};
use super::signer_v3::{sign_request_v3, SignedRequestV3};
use crate::clock::WallClock;
use crate::error_code::ErrorCode;
use crate::text::{Localized, UserError};

/// The environment variable that picks the signature for every call of a CLI run.
pub const ENV_SIGNATURE: &str = "SMARTDIAL_SIGNATURE";

/// A signature version. Stored in profiles as `"v1"` / `"v3"`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum SignatureVersion {
    /// RPC signature 1.0, HMAC-SHA1 (`docs/api/dyvms.md` §1).
    V1,
    /// ACS3-HMAC-SHA256 (`docs/api/signature-v3.md`).
    #[default]
    V3,
}

impl SignatureVersion {
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureVersion::V1 => "v1",
            SignatureVersion::V3 => "v3",
        }
    }

    /// The name users read, e.g. `V3 (ACS3-HMAC-SHA256)`.
    pub fn describe(self) -> &'static str {
        match self {
            SignatureVersion::V1 => "V1 (HMAC-SHA1)",
            SignatureVersion::V3 => "V3 (ACS3-HMAC-SHA256)",
        }
    }

    /// Reads `v1` / `v3` (any case, surrounding spaces ignored), with a message that says
    /// what to write instead.
    pub fn parse(text: &str) -> Result<SignatureVersion, UserError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "v1" => Ok(SignatureVersion::V1),
            "v3" => Ok(SignatureVersion::V3),
            _ => Err(UserError::new(
                ErrorCode::CliBadParam,
                Localized::new(
                    format!("签名版本“{text}”不存在。"),
                    format!("There is no signature version \"{text}\"."),
                ),
                Localized::new(
                    "写 v3(默认,ACS3-HMAC-SHA256)或 v1(旧的 HMAC-SHA1)。",
                    "Write v3 (the default, ACS3-HMAC-SHA256) or v1 (the older HMAC-SHA1).",
                ),
            )),
        }
    }
}

impl fmt::Display for SignatureVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SignatureVersion {
    type Err = UserError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        SignatureVersion::parse(s)
    }
}

/// Codes with which a gateway says it does not take this signature method or version, as
/// opposed to a wrong secret (`SignatureDoesNotMatch`, `IncompleteSignature`). A V1-only
/// gateway that gets a V3 request also misses the V1 parameters (which V3 sends as headers
/// or not at all), so their `Missing…` codes mean the same (`docs/api/signature-v3.md`).
pub const SIGNATURE_METHOD_REFUSALS: [&str; 11] = [
    "InvalidSignatureMethod",
    "InvalidSignatureVersion",
    "SignatureMethod.NotSupported",
    "SignatureVersion.NotSupported",
    "UnsupportedSignatureMethod",
    "UnsupportedSignatureVersion",
    "MissingSignature",
    "MissingSignatureMethod",
    "MissingSignatureVersion",
    "MissingAccessKeyId",
    "MissingTimestamp",
];

/// Whether `code` says the signature *method* was refused (try the other version), not the key.
pub fn refuses_signature_method(code: &str) -> bool {
    SIGNATURE_METHOD_REFUSALS.contains(&code)
}

/// One signed attempt, either version.
#[derive(Debug, Clone)]
pub enum SignedCall {
    V1(SignedRequest),
    V3(SignedRequestV3),
}

impl SignedCall {
    pub fn version(&self) -> SignatureVersion {
        match self {
            SignedCall::V1(_) => SignatureVersion::V1,
            SignedCall::V3(_) => SignatureVersion::V3,
        }
    }

    /// The URL query string (V1: every parameter plus `Signature`; V3: the API parameters).
    pub fn query(&self) -> String {
        match self {
            SignedCall::V1(s) => s.query(),
            SignedCall::V3(s) => s.query(),
        }
    }

    /// What was signed, compared with the server's string on `SignatureDoesNotMatch`.
    pub fn string_to_sign(&self) -> &str {
        match self {
            SignedCall::V1(s) => s.string_to_sign(),
            SignedCall::V3(s) => s.string_to_sign(),
        }
    }
}

/// Signs one attempt with `version`. `host` is the `Host` header value (V3 signs it).
#[allow(clippy::too_many_arguments)]
pub fn sign_call(
    version: SignatureVersion,
    action: &str,
    params: BTreeMap<String, String>,
    credentials: &Credentials,
    clock: &dyn WallClock,
    nonces: &dyn NonceSource,
    host: &str,
    options: &SignOptions,
) -> SignedCall {
    match version {
        SignatureVersion::V1 => SignedCall::V1(sign_request(
            action,
            params,
            credentials,
            clock,
            nonces,
            options,
        )),
        SignatureVersion::V3 => SignedCall::V3(sign_request_v3(
            action,
            params,
            credentials,
            clock,
            nonces,
            host,
            options,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_both_versions() {
        for (text, v) in [
            ("v1", SignatureVersion::V1),
            (" V3 ", SignatureVersion::V3),
            ("V1", SignatureVersion::V1),
        ] {
            assert_eq!(SignatureVersion::parse(text).ok(), Some(v));
        }
        assert_eq!(SignatureVersion::default(), SignatureVersion::V3);
        let err = SignatureVersion::parse("v2").err().map(|e| e.code);
        assert_eq!(err, Some(ErrorCode::CliBadParam));
        assert_eq!(
            serde_json::to_string(&SignatureVersion::V1).ok().as_deref(),
            Some("\"v1\"")
        );
    }

    #[test]
    fn a_wrong_secret_is_not_a_refused_method() {
        assert!(refuses_signature_method("InvalidSignatureMethod"));
        assert!(refuses_signature_method("SignatureMethod.NotSupported"));
        for code in [
            "SignatureDoesNotMatch",
            "IncompleteSignature",
            "InvalidAccessKeyId.NotFound",
        ] {
            assert!(!refuses_signature_method(code), "{code}");
        }
    }
}
