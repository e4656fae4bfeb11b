//! Alibaba Cloud RPC signature, version 1.0 (HMAC-SHA1).
//!
//! The algorithm is the one the official SDKs implement (`docs/api/dyvms.md` §1):
//! sort every parameter but `Signature` by name, RFC 3986-encode names and values, join them
//! into the canonicalized query string, then sign
//! `METHOD & %2F & percent_encode(canonicalized)` with the key `secret + "&"`.
//!
//! ```
//! use std::collections::BTreeMap;
//! use smartdial_core::aliyun::signature::{sign, string_to_sign, HttpMethod};
//!
//! let params: BTreeMap<String, String> = [("Action", "DescribeRegions"), ("AccessKeyId", "testid")]
//!     .into_iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
//! let to_sign = string_to_sign(HttpMethod::Get, &params);
//! assert!(to_sign.starts_with("GET&%2F&AccessKeyId%3Dtestid"));
//! let signature = sign("testsecret", &to_sign);
//! assert_eq!(signature.len(), 28);
//! ```

use std::collections::BTreeMap;
use std::fmt::Write as _;

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha1::Sha1;

/// The HTTP method is part of the string to sign: a GET-signed request sent as POST fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Post,
}

impl HttpMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
        }
    }
}

/// RFC 3986 percent-encoding over UTF-8 bytes: only `A-Z a-z 0-9 - _ . ~` stay as they are,
/// everything else becomes `%XX` with uppercase hex (so space is `%20` and `*` is `%2A`).
pub fn percent_encode(input: &str) -> String {
    let mut out = String::with_capacity(input.len() * 3);
    for byte in input.bytes() {
        if is_unreserved(byte) {
            out.push(byte as char);
        } else {
            // Writing to a String cannot fail.
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// `percent_encode(input).len()` without building the string: the batch planner sizes
/// requests contact by contact with it.
pub fn percent_encoded_len(input: &str) -> usize {
    // A table lookup per byte: a branch on mixed Chinese and ASCII text mispredicts often,
    // and the planner measures every contact with this.
    input.bytes().map(percent_encoded_byte_len).sum()
}

/// The length of one byte once percent-encoded: 1 or 3. For callers that already walk the
/// bytes of what they write.
#[inline]
pub fn percent_encoded_byte_len(byte: u8) -> usize {
    usize::from(ENCODED_LEN[usize::from(byte)])
}

/// Encoded length of each byte value: 1 if unreserved, else 3 (`%XX`).
static ENCODED_LEN: [u8; 256] = {
    let mut table = [3u8; 256];
    let mut b = 0;
    while b < 256 {
        if is_unreserved(b as u8) {
            table[b] = 1;
        }
        b += 1;
    }
    table
};

const fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~')
}

/// The canonicalized query string: encoded `name=value` pairs in byte order of the names,
/// joined by `&`. `Signature` itself is never part of it.
///
/// A `BTreeMap<String, _>` iterates in byte order of the keys, which is the order the
/// official SDKs sort in.
pub fn canonicalized_query(params: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    for (name, value) in params
        .iter()
        .filter(|(name, _)| name.as_str() != "Signature")
    {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(&percent_encode(name));
        out.push('=');
        out.push_str(&percent_encode(value));
    }
    out
}

/// `METHOD&%2F&percent_encode(canonicalized query)`.
pub fn string_to_sign(method: HttpMethod, params: &BTreeMap<String, String>) -> String {
    format!(
        "{}&%2F&{}",
        method.as_str(),
        percent_encode(&canonicalized_query(params))
    )
}

/// `Base64(HMAC-SHA1(secret + "&", string_to_sign))`.
pub fn sign(access_key_secret: &str, string_to_sign: &str) -> String {
    let key = format!("{access_key_secret}&");
    // HMAC accepts keys of any length, so this constructor cannot fail.
    let mut mac = <Hmac<Sha1> as Mac>::new_from_slice(key.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(string_to_sign.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn encoded_len_matches_the_encoding() {
        for s in ["", "abc-_.~", "a b*c", "张三", "[{\"n\":\"1\"}],😀\u{1}%"] {
            assert_eq!(percent_encoded_len(s), percent_encode(s).len(), "{s:?}");
        }
    }

    fn vector_a() -> BTreeMap<String, String> {
        params(&[
            ("AccessKeyId", "testid"),
            ("Action", "DescribeRegions"),
            ("Format", "XML"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
            ("SignatureVersion", "1.0"),
            ("Timestamp", "2016-02-23T12:46:24Z"),
            ("Version", "2014-05-26"),
        ])
    }

    #[test]
    fn vector_a_documented_string_to_sign_and_signature() {
        let to_sign = string_to_sign(HttpMethod::Get, &vector_a());
        assert_eq!(
            to_sign,
            "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
        );
        assert_eq!(sign("testsecret", &to_sign), "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
    }

    #[test]
    fn vector_a_prime_post_changes_the_signature() {
        let to_sign = string_to_sign(HttpMethod::Post, &vector_a());
        assert_eq!(sign("testsecret", &to_sign), "MxbnVAM4w6sft9xjVpe/GCKueuk=");
    }

    #[test]
    fn vector_b_dyvms_single_call_by_tts() {
        let p = params(&[
            ("AccessKeyId", "testId"),
            ("Action", "SingleCallByTts"),
            ("CalledNumber", "13000000000"),
            ("CalledShowNumber", "057112345678"),
            ("Format", "XML"),
            ("OutId", "123"),
            ("RegionId", "cn-hangzhou"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "f7d2d4ef-6d5f-4da4-86ed-88e001a66abb"),
            ("SignatureVersion", "1.0"),
            ("Timestamp", "2017-09-28T14:31:56Z"),
            ("TtsCode", "TTS_0000000"),
            ("TtsParam", r#"{"code":"1234","product":"test"}"#),
            ("Version", "2017-05-25"),
        ]);
        assert_eq!(
            sign("testSecret", &string_to_sign(HttpMethod::Get, &p)),
            "aMfgrx8DLS7vLfpeR1c2rrKLr0Q="
        );
    }

    #[test]
    fn vector_c_sms_with_chinese_sign_name() {
        let p = params(&[
            ("AccessKeyId", "testId"),
            ("Action", "SendSms"),
            ("Format", "XML"),
            ("OutId", "123"),
            ("PhoneNumbers", "15300000001"),
            ("RegionId", "cn-hangzhou"),
            ("SignName", "阿里云短信测试专用"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "45e25e9b-0a6f-4070-8c85-2956eda1b466"),
            ("SignatureVersion", "1.0"),
            ("TemplateCode", "SMS_71390007"),
            ("TemplateParam", r#"{"customer":"test"}"#),
            ("Timestamp", "2017-07-12T02:42:19Z"),
            ("Version", "2017-05-25"),
        ]);
        assert_eq!(
            sign("testSecret", &string_to_sign(HttpMethod::Get, &p)),
            "zJDF+Lrzhj/ThnlvIToysFRq6t4="
        );
    }

    #[test]
    fn vector_d_batch_robot_smart_call_byte_for_byte() {
        let p = params(&[
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
        ]);
        assert_eq!(
            canonicalized_query(&p),
            "AccessKeyId=LTAI_TEST_AK&Action=BatchRobotSmartCall&CalledNumber=13900001111%2C13900002222&CalledShowNumber=057112345678&CorpName=%E9%98%BF%E9%87%8C%E4%BA%91%20%E6%B5%8B%E8%AF%95%2A%E5%85%AC%E5%8F%B8~&DialogId=1234567&EarlyMediaAsr=false&Format=JSON&IsSelfLine=false&RegionId=cn-hangzhou&ScheduleCall=true&ScheduleTime=1735689600000&SignatureMethod=HMAC-SHA1&SignatureNonce=3f1d1b9c-0000-4000-8000-000000000001&SignatureVersion=1.0&TaskName=%E5%A4%96%E5%91%BC%20%E4%BB%BB%E5%8A%A1%2A~1&Timestamp=2025-01-01T00%3A00%3A00Z&TtsParam=%5B%7B%22number%22%3A%2213900001111%22%2C%22params%22%3A%5B%22%E5%B0%8F%E7%8E%8B%22%2C%22%E5%B0%8F%E6%9D%8E%22%5D%7D%2C%7B%22number%22%3A%2213900002222%22%2C%22params%22%3A%5B%22A%20B%22%2C%22x%2Ay~z%22%5D%7D%5D&TtsParamHead=%5B%22name1%22%2C%22name2%22%5D&Version=2017-05-25"
        );
        assert_eq!(
            sign("test_secret_123", &string_to_sign(HttpMethod::Post, &p)),
            "mRWaIRERRbvZOmwDkxyksb5L7/s="
        );
    }

    #[test]
    fn vector_e_punctuation_newline_emoji_and_empty_value() {
        let p = params(&[
            ("A", "1+1=2 & 50% /path?x!'()"),
            ("AccessKeyId", "testid"),
            ("Action", "Test"),
            ("B", "line1\nline2"),
            ("C", "emoji 😀 ok"),
            ("D", ""),
            ("Format", "JSON"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "n-1"),
            ("SignatureVersion", "1.0"),
            ("Timestamp", "2025-01-01T00:00:00Z"),
            ("Version", "2017-05-25"),
        ]);
        let query = canonicalized_query(&p);
        assert!(query.starts_with("A=1%2B1%3D2%20%26%2050%25%20%2Fpath%3Fx%21%27%28%29&"));
        assert!(query.contains("&B=line1%0Aline2&C=emoji%20%F0%9F%98%80%20ok&D=&"));
        assert_eq!(
            sign("testsecret", &string_to_sign(HttpMethod::Get, &p)),
            "DFC7QRpbir7iKXiLOD/mNX8lDFk="
        );
    }

    #[test]
    fn signature_parameter_is_never_signed() {
        let mut p = vector_a();
        let before = string_to_sign(HttpMethod::Get, &p);
        p.insert("Signature".into(), "anything".into());
        assert_eq!(string_to_sign(HttpMethod::Get, &p), before);
    }
}
