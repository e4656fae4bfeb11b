//! One V3-signed attempt (`ACS3-HMAC-SHA256`): the API parameters in the query string, the
//! action, version, time and nonce in `x-acs-*` headers, an empty body, and the
//! `Authorization` header (`docs/api/signature-v3.md`).
//!
//! This is how Alibaba's current SDK (`alibabacloud_tea_openapi` `do_request`) sends the
//! dyvms RPC actions: `POST /` with `request.query` holding the parameters and no body, so
//! the hashed payload is the empty-body hash.
//!
//! ```
//! use std::collections::BTreeMap;
//! use smartdial_core::aliyun::signer::{FixedClock, SequenceNonce, SignOptions};
//! use smartdial_core::aliyun::signer_v3::sign_request_v3;
//! use smartdial_core::aliyun::Credentials;
//!
//! let creds = Credentials::new("LTAI_TEST_AK", "test_secret_123");
//! let clock = FixedClock::at_rfc3339("2025-01-01T00:00:00Z").unwrap();
//! let signed = sign_request_v3("QueryRobotInfoList", BTreeMap::new(), &creds, &clock,
//!     &SequenceNonce::new("n"), "dyvmsapi.aliyuncs.com", &SignOptions::default());
//! assert!(signed.authorization().starts_with("ACS3-HMAC-SHA256 Credential=LTAI_TEST_AK,"));
//! assert_eq!(signed.query(), "RegionId=cn-hangzhou");
//! ```

use std::collections::BTreeMap;
use std::fmt;

use super::credentials::Credentials;
use super::signature::HttpMethod;
use super::signature_v3::{
    authorization, canonical_headers, canonical_query, canonical_request, sign, string_to_sign,
    EMPTY_BODY_SHA256,
};
use super::signer::{format_timestamp, NonceSource, SignOptions, API_VERSION, COMMON_PARAMS};
use crate::clock::WallClock;

/// One V3-signed attempt. `Debug` hides the signature.
#[derive(Clone)]
pub struct SignedRequestV3 {
    method: HttpMethod,
    action: String,
    params: BTreeMap<String, String>,
    /// The signed headers, names lower-case, in canonical order.
    headers: Vec<(String, String)>,
    access_key_id: String,
    signed_headers: String,
    string_to_sign: String,
    signature: String,
}

impl SignedRequestV3 {
    /// The API parameters that travel in the query string.
    pub fn params(&self) -> &BTreeMap<String, String> {
        &self.params
    }

    /// The URL query string, exactly the canonical query that was signed.
    pub fn query(&self) -> String {
        canonical_query(&self.params)
    }

    /// The signed headers (`host`, `x-acs-*`), without `Authorization`.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// One header's value by its lower-case name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The `Authorization` header value. Only for sending and tests; never log it.
    pub fn authorization(&self) -> String {
        authorization(&self.access_key_id, &self.signed_headers, &self.signature)
    }

    /// The `;`-joined signed-header list.
    pub fn signed_headers(&self) -> &str {
        &self.signed_headers
    }

    /// `ACS3-HMAC-SHA256\n<hex>`: compared with the server's on `SignatureDoesNotMatch`.
    pub fn string_to_sign(&self) -> &str {
        &self.string_to_sign
    }

    /// The hex signature. Only for tests; never log it.
    pub fn signature(&self) -> &str {
        &self.signature
    }

    pub fn method(&self) -> HttpMethod {
        self.method
    }

    pub fn action(&self) -> &str {
        &self.action
    }
}

impl fmt::Debug for SignedRequestV3 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignedRequestV3")
            .field("action", &self.action)
            .field("method", &self.method)
            .field("param_names", &self.params.keys().collect::<Vec<_>>())
            .field("signed_headers", &self.signed_headers)
            .field("signature", &"<redacted>")
            .finish()
    }
}

/// Signs `action` with `api_params` for `host` (the `Host` header the request will carry:
/// the endpoint's host, with `:port` when it is not the scheme's default). The V1 common
/// parameters (`Action`, `AccessKeyId`, `Signature`…) are dropped from the query: in V3 they
/// are headers or do not exist. Call it once per attempt: every call takes a fresh nonce
/// and the current time.
pub fn sign_request_v3(
    action: &str,
    api_params: BTreeMap<String, String>,
    credentials: &Credentials,
    clock: &dyn WallClock,
    nonces: &dyn NonceSource,
    host: &str,
    options: &SignOptions,
) -> SignedRequestV3 {
    let mut params = api_params;
    params.retain(|name, _| !COMMON_PARAMS.contains(&name.as_str()));
    if let Some(region) = &options.region_id {
        params
            .entry("RegionId".to_owned())
            .or_insert_with(|| region.clone());
    }
    let headers: Vec<(String, String)> = [
        ("host", host.to_owned()),
        ("x-acs-action", action.to_owned()),
        ("x-acs-content-sha256", EMPTY_BODY_SHA256.to_owned()),
        ("x-acs-date", format_timestamp(clock.now_utc())),
        ("x-acs-signature-nonce", nonces.next_nonce()),
        ("x-acs-version", API_VERSION.to_owned()),
    ]
    .into_iter()
    .map(|(n, v)| (n.to_owned(), v))
    .collect();
    let (canonical, signed_headers) =
        canonical_headers(headers.iter().map(|(n, v)| (n.as_str(), v.as_str())));
    let request = canonical_request(
        options.method.as_str(),
        &canonical_query(&params),
        &canonical,
        &signed_headers,
        EMPTY_BODY_SHA256,
    );
    let string_to_sign = string_to_sign(&request);
    let signature = sign(credentials.access_key_secret.expose(), &string_to_sign);
    SignedRequestV3 {
        method: options.method,
        action: action.to_owned(),
        params,
        headers,
        access_key_id: credentials.access_key_id.clone(),
        signed_headers,
        string_to_sign,
        signature,
    }
}
