//! Alibaba Cloud request signature V3, `ACS3-HMAC-SHA256` (`docs/api/signature-v3.md`).
//!
//! The pieces, each a pure function so the client signs and the simulator verifies with the
//! same code: the canonical query (names sorted, RFC 3986 encoding shared with V1), the
//! canonical headers and their `;`-joined list, the canonical request, the string to sign
//! (`ACS3-HMAC-SHA256\n` + hex SHA-256 of the canonical request), the hex HMAC-SHA256
//! signature, and the `Authorization` header that carries it.
//!
//! ```
//! use std::collections::BTreeMap;
//! use smartdial_core::aliyun::signature_v3::{canonical_query, hex_sha256, EMPTY_BODY_SHA256};
//!
//! let params: BTreeMap<String, String> =
//!     [("b", "x y"), ("a", "*~")].into_iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
//! assert_eq!(canonical_query(&params), "a=%2A~&b=x%20y");
//! assert_eq!(hex_sha256(b""), EMPTY_BODY_SHA256);
//! ```

use std::collections::BTreeMap;
use std::fmt::Write as _;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::signature::percent_encode;

/// The algorithm name: first line of the string to sign and first word of `Authorization`.
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// Hex SHA-256 of an empty body, the `x-acs-content-sha256` of every SmartDial request.
pub const EMPTY_BODY_SHA256: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Lower-case hex of `bytes`.
fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        // Writing to a String cannot fail.
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// Lower-case hex SHA-256 of `bytes` (the hashed payload, and the hash of the canonical
/// request inside the string to sign).
pub fn hex_sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// `name=value` pairs, names and values RFC 3986-encoded (`%20` for a space, `%2A` for
/// `*`, `~` kept), in byte order of the names, joined by `&`. An empty value gives `name=`.
pub fn canonical_query(params: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    for (name, value) in params {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(&percent_encode(name));
        out.push('=');
        out.push_str(&percent_encode(value));
    }
    out
}

/// The canonical headers (`name:value\n` each, names lower-case, values trimmed, sorted by
/// name) and the signed-header list (the names joined by `;`). Names given twice keep their
/// values sorted and comma-joined, as the official SDK does.
pub fn canonical_headers<'a>(
    headers: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> (String, String) {
    let mut by_name: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, value) in headers {
        by_name
            .entry(name.trim().to_ascii_lowercase())
            .or_default()
            .push(value.trim().to_owned());
    }
    let mut canonical = String::new();
    for (name, values) in &mut by_name {
        values.sort();
        canonical.push_str(name);
        canonical.push(':');
        canonical.push_str(&values.join(","));
        canonical.push('\n');
    }
    let signed = by_name.keys().cloned().collect::<Vec<_>>().join(";");
    (canonical, signed)
}

/// `METHOD\n/\nquery\nheaders\nsigned list\nhashed payload`; `canonical_headers` already
/// ends in `\n`, so an empty line separates it from the list, as the algorithm says.
pub fn canonical_request(
    method: &str,
    canonical_query: &str,
    canonical_headers: &str,
    signed_headers: &str,
    hashed_payload: &str,
) -> String {
    format!(
        "{method}\n/\n{canonical_query}\n{canonical_headers}\n{signed_headers}\n{hashed_payload}"
    )
}

/// `ACS3-HMAC-SHA256\n` + hex SHA-256 of the canonical request.
pub fn string_to_sign(canonical_request: &str) -> String {
    format!("{ALGORITHM}\n{}", hex_sha256(canonical_request.as_bytes()))
}

/// Hex HMAC-SHA256 of the string to sign, keyed with the secret itself (no `&`, unlike V1).
pub fn sign(access_key_secret: &str, string_to_sign: &str) -> String {
    // HMAC accepts keys of any length, so this constructor cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(access_key_secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(string_to_sign.as_bytes());
    hex(&mac.finalize().into_bytes())
}

/// `ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<list>,Signature=<hex>`.
pub fn authorization(access_key_id: &str, signed_headers: &str, signature: &str) -> String {
    format!("{ALGORITHM} Credential={access_key_id},SignedHeaders={signed_headers},Signature={signature}")
}

/// An `Authorization` header taken apart (the simulator's side).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    pub algorithm: String,
    pub credential: String,
    /// The names as listed, in the order listed.
    pub signed_headers: Vec<String>,
    pub signature: String,
}

/// Parses `ALGORITHM Credential=…,SignedHeaders=…,Signature=…`; `None` when a part is
/// missing or the header has another shape.
pub fn parse_authorization(header: &str) -> Option<Authorization> {
    let (algorithm, rest) = header.trim().split_once(' ')?;
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let (key, value) = part.trim().split_once('=')?;
        match key {
            "Credential" => credential = Some(value.to_owned()),
            "SignedHeaders" => signed = Some(value.to_owned()),
            "Signature" => signature = Some(value.to_owned()),
            _ => {}
        }
    }
    let signed_headers: Vec<String> = signed?
        .split(';')
        .filter(|h| !h.is_empty())
        .map(str::to_owned)
        .collect();
    Some(Authorization {
        algorithm: algorithm.to_owned(),
        credential: credential.filter(|c| !c.is_empty())?,
        signed_headers,
        signature: signature.filter(|s| !s.is_empty())?,
    })
}

#[cfg(test)]
mod tests;
