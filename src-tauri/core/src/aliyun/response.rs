//! Reading a dyvms reply: the JSON envelope (`Code`, `Message`, `RequestId`), error pages
//! that are not JSON, and `Data`, which is JSON inside a JSON string and is not always valid
//! JSON in Alibaba's own examples (`docs/api/dyvms.md` §7.9).

use serde::Serialize;

use super::models::ApiResponse;

/// What kind of unreadable body came back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum BodyKind {
    /// No bytes at all.
    Empty,
    /// An HTML page (a proxy, a captive portal, a gateway error page).
    Html,
    /// XML without a recognisable error code.
    Xml,
    /// JSON cut off in the middle.
    Truncated,
    /// Something else that is not JSON.
    NotJson,
    /// JSON without a `Code` field.
    NoCode,
}

impl BodyKind {
    pub fn describe_en(self) -> &'static str {
        match self {
            BodyKind::Empty => "an empty reply",
            BodyKind::Html => "a web page instead of data",
            BodyKind::Xml => "XML instead of JSON",
            BodyKind::Truncated => "a reply cut off in the middle",
            BodyKind::NotJson => "a reply that is not JSON",
            BodyKind::NoCode => "a reply without a result code",
        }
    }

    pub fn describe_zh(self) -> &'static str {
        match self {
            BodyKind::Empty => "空的回复",
            BodyKind::Html => "一个网页而不是数据",
            BodyKind::Xml => "XML 而不是 JSON",
            BodyKind::Truncated => "不完整的回复(中途被截断)",
            BodyKind::NotJson => "无法识别的回复(不是 JSON)",
            BodyKind::NoCode => "没有结果代码的回复",
        }
    }
}

/// A reply that is not `Code: OK`.
#[derive(Debug, Clone, PartialEq)]
pub enum ReplyProblem {
    /// A well-formed error reply.
    Api {
        code: String,
        message: String,
        request_id: Option<String>,
    },
    /// A reply SmartDial cannot read.
    Unreadable {
        kind: BodyKind,
        request_id: Option<String>,
    },
}

/// Parses a reply body. `Code != "OK"` is a failure whatever the HTTP status.
pub fn parse_reply(http_status: u16, body: &[u8]) -> Result<ApiResponse, ReplyProblem> {
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    if trimmed.is_empty() {
        return Err(unreadable(BodyKind::Empty));
    }
    if trimmed.starts_with('<') {
        return Err(parse_markup(trimmed));
    }
    let value: serde_json::Value = match serde_json::from_str(trimmed) {
        Ok(v) => v,
        Err(e) if e.is_eof() => return Err(unreadable(BodyKind::Truncated)),
        Err(_) => return Err(unreadable(BodyKind::NotJson)),
    };
    let request_id = str_of(&value, "RequestId");
    let Some(code) = value.get("Code").and_then(scalar_text) else {
        return Err(ReplyProblem::Unreadable {
            kind: if value.is_object() {
                BodyKind::NoCode
            } else {
                BodyKind::NotJson
            },
            request_id,
        });
    };
    let message = str_of(&value, "Message");
    if code != "OK" {
        return Err(ReplyProblem::Api {
            code,
            message: message.unwrap_or_default(),
            request_id,
        });
    }
    Ok(ApiResponse {
        http_status,
        code,
        message,
        request_id,
        body: value,
    })
}

fn unreadable(kind: BodyKind) -> ReplyProblem {
    ReplyProblem::Unreadable {
        kind,
        request_id: None,
    }
}

fn str_of(v: &serde_json::Value, name: &str) -> Option<String> {
    v.get(name).and_then(scalar_text)
}

fn scalar_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// XML error replies (`Format=XML` or a gateway default) still carry `<Code>`; HTML pages
/// carry nothing useful.
fn parse_markup(text: &str) -> ReplyProblem {
    let lower = text.to_ascii_lowercase();
    if lower.contains("<html") || lower.starts_with("<!doctype") {
        return unreadable(BodyKind::Html);
    }
    let tag = |name: &str| -> Option<String> {
        let open = format!("<{name}>");
        let close = format!("</{name}>");
        let start = text.find(&open)? + open.len();
        let end = text[start..].find(&close)? + start;
        Some(text[start..end].trim().to_owned())
    };
    match tag("Code") {
        Some(code) if code != "OK" => ReplyProblem::Api {
            code,
            message: tag("Message").unwrap_or_default(),
            request_id: tag("RequestId"),
        },
        _ => ReplyProblem::Unreadable {
            kind: BodyKind::Xml,
            request_id: tag("RequestId"),
        },
    }
}

/// Parses `Data`: a JSON string holding JSON (parsed a second time), or JSON already.
/// Falls back to repairing the two faults in Alibaba's examples: typographic quotes and
/// unquoted text values such as `"transferNumber" :0571-8833****`.
pub fn parse_data(data: Option<&serde_json::Value>) -> Result<serde_json::Value, String> {
    match data {
        None | Some(serde_json::Value::Null) => Ok(serde_json::Value::Null),
        Some(serde_json::Value::String(s)) => parse_embedded(s),
        Some(other) => Ok(other.clone()),
    }
}

fn parse_embedded(text: &str) -> Result<serde_json::Value, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(serde_json::Value::Null);
    }
    let first_error = match serde_json::from_str(trimmed) {
        Ok(v) => return Ok(v),
        Err(e) => e,
    };
    let repaired = quote_bare_values(&trimmed.replace(['“', '”'], "\""));
    serde_json::from_str(&repaired).map_err(|_| {
        format!(
            "Data is not valid JSON (line {}, column {})",
            first_error.line(),
            first_error.column()
        )
    })
}

/// Wraps in quotes every value after a `:` that is neither quoted, nested, nor a JSON
/// number/true/false/null.
fn quote_bare_values(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    let mut escaped = false;
    while let Some(c) = chars.next() {
        out.push(c);
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            ':' => {
                while chars.peek().is_some_and(|c| c.is_whitespace()) {
                    chars.next();
                }
                if chars.peek().is_some_and(|c| matches!(c, '"' | '{' | '[')) {
                    continue;
                }
                let mut token = String::new();
                while let Some(&next) = chars.peek() {
                    if matches!(next, ',' | '}' | ']') {
                        break;
                    }
                    token.push(next);
                    chars.next();
                }
                let token = token.trim();
                if serde_json::from_str::<serde_json::Value>(token)
                    .is_ok_and(|v| !v.is_object() && !v.is_array() && !v.is_string())
                {
                    out.push_str(token);
                } else {
                    out.push_str(&serde_json::Value::String(token.to_owned()).to_string());
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ok_and_error_envelopes() {
        let ok = parse_reply(
            200,
            br#"{"Code":"OK","Message":"OK","RequestId":"R1","TaskId":"T1"}"#,
        )
        .expect("ok");
        assert_eq!(ok.request_id.as_deref(), Some("R1"));
        assert_eq!(ok.str_field("TaskId"), Some("T1"));
        // A failure code with HTTP 200 is still a failure.
        let err = parse_reply(
            200,
            br#"{"Code":"isv.AMOUNT_NOT_ENOUGH","Message":"no money","RequestId":"R2"}"#,
        );
        assert_eq!(
            err,
            Err(ReplyProblem::Api {
                code: "isv.AMOUNT_NOT_ENOUGH".into(),
                message: "no money".into(),
                request_id: Some("R2".into())
            })
        );
    }

    #[test]
    fn unreadable_bodies_are_named_not_panicked_on() {
        let kind = |b: &[u8]| match parse_reply(502, b) {
            Err(ReplyProblem::Unreadable { kind, .. }) => Some(kind),
            _ => None,
        };
        assert_eq!(kind(b""), Some(BodyKind::Empty));
        assert_eq!(kind(b"  \n"), Some(BodyKind::Empty));
        assert_eq!(
            kind(b"<!DOCTYPE html><html><body>502 Bad Gateway</body></html>"),
            Some(BodyKind::Html)
        );
        assert_eq!(kind(b"<html>proxy login</html>"), Some(BodyKind::Html));
        assert_eq!(kind(br#"{"Code":"OK","Req"#), Some(BodyKind::Truncated));
        assert_eq!(kind(b"Service Unavailable"), Some(BodyKind::NotJson));
        assert_eq!(kind(b"[1,2]"), Some(BodyKind::NotJson));
        assert_eq!(kind(br#"{"Message":"x"}"#), Some(BodyKind::NoCode));
        assert_eq!(kind(&[0xff, 0xfe, 0x00]), Some(BodyKind::NotJson));
        assert_eq!(
            kind(b"<?xml version=\"1.0\"?><Result/>"),
            Some(BodyKind::Xml)
        );
    }

    #[test]
    fn xml_error_replies_keep_their_code() {
        let xml = b"<?xml version='1.0' encoding='UTF-8'?><Error><RequestId>R9</RequestId><Code>Throttling.User</Code><Message>Request was denied due to user flow control.</Message></Error>";
        match parse_reply(400, xml) {
            Err(ReplyProblem::Api {
                code, request_id, ..
            }) => {
                assert_eq!(code, "Throttling.User");
                assert_eq!(request_id.as_deref(), Some("R9"));
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn data_is_parsed_twice_and_repaired() {
        let body = serde_json::json!({"Data": "[{\"id\":1,\"robotName\":\"客服\"}]"});
        let data = parse_data(body.get("Data")).expect("data");
        assert_eq!(data[0]["robotName"], "客服");
        // Already-structured Data is accepted as is.
        let data = parse_data(Some(&serde_json::json!({"a": 1}))).expect("object");
        assert_eq!(data["a"], 1);
        assert_eq!(parse_data(None), Ok(serde_json::Value::Null));
        assert_eq!(
            parse_data(Some(&serde_json::json!(""))),
            Ok(serde_json::Value::Null)
        );
        // The QueryRobotTaskCallDetail example: an unquoted phone number.
        let doc = r#"{"callee":"1390000****", "transferNumber" :0571-8833****, "duration":12, "ok":true}"#;
        let data = parse_data(Some(&serde_json::Value::String(doc.into()))).expect("repaired");
        assert_eq!(data["transferNumber"], "0571-8833****");
        assert_eq!(data["duration"], 12);
        assert_eq!(data["ok"], true);
        // Typographic quotes, as in the TtsParam examples.
        let doc = r#"[{“number”:”1370xxxx000”,”params”:[“小王”,”小李”]}]"#;
        let data = parse_data(Some(&serde_json::Value::String(doc.into()))).expect("repaired");
        assert_eq!(data[0]["params"][1], "小李");
        // Hopeless text is an error, not a panic.
        assert!(parse_data(Some(&serde_json::Value::String("{{{".into()))).is_err());
    }
}
