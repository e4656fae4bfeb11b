//! The gateway's checks for a V3-signed request (`ACS3-HMAC-SHA256`,
//! `docs/api/signature-v3.md`): the same ones as for V1 — the API exists, the key is known,
//! the date is within the window, the nonce is fresh, the signature matches — plus the V3
//! ones: every `host`/`x-acs-*` header present is signed, and `x-acs-content-sha256` is the
//! body's hash.
//!
//! Codes are V1's where the failure is the same (`SignatureDoesNotMatch` with the server's
//! string to sign, `InvalidTimeStamp.*`, `SignatureNonceUsed`); for the V3-only failures the
//! docs give no code, so `IncompleteSignature` (a request that does not follow the
//! algorithm) and its message are the simulator's guess.

use std::collections::BTreeMap;

use axum::http::HeaderMap;
use chrono::{DateTime, Utc};

use crate::aliyun::signature_v3::{
    canonical_headers, canonical_query, canonical_request, hex_sha256, parse_authorization, sign,
    string_to_sign, ALGORITHM,
};

use super::config::SimulatorConfig;
use super::gateway::{
    fresh_timestamp, known_api, nonce_unused, secret_for, signature_matches, NonceBook,
};
use super::reply::ApiError;

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

fn required<'a>(headers: &'a HeaderMap, name: &str, param: &str) -> Result<&'a str, ApiError> {
    header(headers, name).ok_or_else(|| {
        ApiError::gateway(
            400,
            format!("Missing{param}"),
            format!("{param} is mandatory for this action (header {name})."),
        )
    })
}

fn incomplete(detail: &str) -> ApiError {
    ApiError::gateway(
        400,
        "IncompleteSignature",
        format!("The request signature does not conform to Aliyun standards. {detail}"),
    )
}

/// The action a V3 request names (`x-acs-action`), for logs and faults before the checks.
pub(crate) fn action_of(headers: &HeaderMap) -> String {
    header(headers, "x-acs-action").unwrap_or("").to_owned()
}

/// Runs every check on a V3 request: `method` as received, `query` the parameters of the
/// URL alone (body parameters are covered by the payload hash), `body` the raw bytes.
/// Returns the AccessKey id.
pub(crate) fn check(
    config: &SimulatorConfig,
    nonces: &mut NonceBook,
    method: &str,
    headers: &HeaderMap,
    query: &BTreeMap<String, String>,
    body: &[u8],
    now: DateTime<Utc>,
) -> Result<String, ApiError> {
    let action = required(headers, "x-acs-action", "Action")?;
    let version = required(headers, "x-acs-version", "Version")?;
    known_api(action, version)?;
    let authorization = required(headers, "authorization", "Authorization")?;
    let Some(auth) = parse_authorization(authorization) else {
        return Err(incomplete("The Authorization header is not well formed."));
    };
    if auth.algorithm != ALGORITHM {
        return Err(ApiError::gateway(
            400,
            "InvalidSignatureMethod",
            "Specified signature method is not supported.",
        ));
    }
    let date = required(headers, "x-acs-date", "Timestamp")?;
    let nonce = required(headers, "x-acs-signature-nonce", "SignatureNonce")?;
    let payload_hash = required(headers, "x-acs-content-sha256", "ContentSha256")?;
    let window = fresh_timestamp(config, date, now)?;
    let key_id = auth.credential.as_str();
    let secret = secret_for(config, key_id)?;
    // Every common header present must be signed; every signed header must be present.
    for name in headers.keys().map(|n| n.as_str()) {
        let common = name == "host" || name.starts_with("x-acs-");
        if common && !auth.signed_headers.iter().any(|s| s == name) {
            return Err(incomplete(&format!("Header {name} is not signed.")));
        }
    }
    let mut signed = Vec::with_capacity(auth.signed_headers.len());
    for name in &auth.signed_headers {
        let values: Vec<&str> = headers
            .get_all(name.as_str())
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        if values.is_empty() {
            return Err(incomplete(&format!("Signed header {name} is missing.")));
        }
        for value in values {
            signed.push((name.as_str(), value));
        }
    }
    if payload_hash != hex_sha256(body) {
        return Err(incomplete(
            "x-acs-content-sha256 is not the SHA-256 of the body.",
        ));
    }
    let (canonical, signed_list) = canonical_headers(signed);
    let request = canonical_request(
        method,
        &canonical_query(query),
        &canonical,
        &signed_list,
        payload_hash,
    );
    let ours = string_to_sign(&request);
    let expected = sign(secret.expose(), &ours);
    signature_matches(&expected, &auth.signature, &ours)?;
    nonce_unused(nonces, key_id, nonce, now, window)?;
    Ok(key_id.to_owned())
}

#[cfg(test)]
mod tests;
