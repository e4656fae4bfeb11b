//! The answers the simulator sends, shaped like Alibaba Cloud's: JSON (or XML when
//! `Format=XML`) with `RequestId`, `Code`, `Message` and the action's fields.

use serde_json::{Map, Value};

/// An error answer. Gateway errors (signature, timestamp, throttling…) carry `HostId` and
/// `Recommend` like the POP gateway's; business errors (`isv.*`) only `Code`/`Message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub status: u16,
    pub code: String,
    pub message: String,
    pub gateway: bool,
}

impl ApiError {
    pub fn gateway(status: u16, code: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code: code.into(),
            message: message.into(),
            gateway: true,
        }
    }

    pub fn business(status: u16, code: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code: code.into(),
            message: message.into(),
            gateway: false,
        }
    }

    /// `Missing{Param}`, "{Param} is mandatory for this action." (`docs/api/dyvms.md` §5.1).
    pub fn missing(param: &str) -> Self {
        ApiError::gateway(
            400,
            format!("Missing{param}"),
            format!("{param} is mandatory for this action."),
        )
    }

    /// The gateway's refusal when the RAM user's policy does not allow the action. Code and
    /// message as reported by users of other Alibaba Cloud APIs (`docs/ram-policy.md`); the
    /// status was 400 in those reports (some products answer 403).
    pub fn forbidden_ram() -> Self {
        ApiError::gateway(
            400,
            "Forbidden.RAM",
            "User not authorized to operate on the specified resource, or this API doesn't support RAM.",
        )
    }

    /// A parameter of the wrong type. The docs name `Invalid{Param}` / `InvalidParameter`
    /// without a message; this wording is a guess.
    pub fn invalid(param: &str) -> Self {
        ApiError::gateway(
            400,
            format!("Invalid{param}"),
            format!("The specified parameter \"{param}\" is not valid."),
        )
    }
}

/// A successful or failed answer before rendering.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Reply {
    pub status: u16,
    /// Fields after `RequestId` (Code, Message, TaskId/Data…), in order.
    pub fields: Map<String, Value>,
}

impl Reply {
    /// `Code: OK`, `Message: OK`, then `extra`.
    pub fn ok(extra: Vec<(&str, Value)>) -> Self {
        let mut fields = Map::new();
        fields.insert("Code".into(), Value::from("OK"));
        fields.insert("Message".into(), Value::from("OK"));
        for (name, value) in extra {
            fields.insert(name.to_owned(), value);
        }
        Reply {
            status: 200,
            fields,
        }
    }

    pub fn error(err: &ApiError) -> Self {
        let mut fields = Map::new();
        if err.gateway {
            fields.insert("HostId".into(), Value::from("dyvmsapi.aliyuncs.com"));
        }
        fields.insert("Code".into(), Value::from(err.code.as_str()));
        fields.insert("Message".into(), Value::from(err.message.as_str()));
        if err.gateway {
            fields.insert(
                "Recommend".into(),
                Value::from(format!(
                    "https://api.aliyun.com/troubleshoot?q={}&product=Dyvmsapi&requestId=",
                    err.code
                )),
            );
        }
        Reply {
            status: err.status,
            fields,
        }
    }

    pub fn code(&self) -> &str {
        self.fields
            .get("Code")
            .and_then(Value::as_str)
            .unwrap_or("")
    }

    pub fn message(&self) -> &str {
        self.fields
            .get("Message")
            .and_then(Value::as_str)
            .unwrap_or("")
    }

    /// The body and its Content-Type.
    pub fn render(&self, request_id: &str, action: &str, xml: bool) -> (String, &'static str) {
        if xml {
            return (
                self.render_xml(request_id, action),
                "text/xml;charset=utf-8",
            );
        }
        let mut body = Map::new();
        body.insert("RequestId".into(), Value::from(request_id));
        for (name, value) in &self.fields {
            body.insert(name.clone(), value.clone());
        }
        if let Some(Value::String(url)) = body.get_mut("Recommend") {
            url.push_str(request_id);
        }
        (
            Value::Object(body).to_string(),
            "application/json;charset=utf-8",
        )
    }

    fn render_xml(&self, request_id: &str, action: &str) -> String {
        let root = if self.status >= 400 || self.code() != "OK" {
            "Error".to_owned()
        } else {
            format!("{action}Response")
        };
        let mut out = format!("<?xml version='1.0' encoding='UTF-8'?><{root}>");
        out.push_str(&format!(
            "<RequestId>{}</RequestId>",
            xml_escape(request_id)
        ));
        for (name, value) in &self.fields {
            let text = match value {
                Value::String(s) => s.clone(),
                Value::Null => String::new(),
                other => other.to_string(),
            };
            out.push_str(&format!("<{name}>{}</{name}>", xml_escape(&text)));
        }
        out.push_str(&format!("</{root}>"));
        out
    }
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The HTML page a load balancer sends when the backend is gone (the kind of body a client
/// must not try to parse as JSON).
pub(crate) const HTML_502: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>Tengine</center>\r\n</body>\r\n</html>\r\n";

/// What a front proxy answers to an over-long request line.
pub(crate) const HTML_414: &str = "<html>\r\n<head><title>414 Request-URI Too Large</title></head>\r\n<body>\r\n<center><h1>414 Request-URI Too Large</h1></center>\r\n<hr><center>Tengine</center>\r\n</body>\r\n</html>\r\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_answer_starts_with_request_id_and_keeps_field_order() {
        let reply = Reply::ok(vec![("TaskId", Value::from("4001"))]);
        let (body, ct) = reply.render("RID", "BatchRobotSmartCall", false);
        assert_eq!(
            body,
            r#"{"RequestId":"RID","Code":"OK","Message":"OK","TaskId":"4001"}"#
        );
        assert!(ct.starts_with("application/json"));
    }

    #[test]
    fn gateway_errors_carry_host_and_recommend() {
        let reply = Reply::error(&ApiError::missing("Timestamp"));
        let (body, _) = reply.render("RID", "X", false);
        let v: Value = serde_json::from_str(&body).unwrap_or_default();
        assert_eq!(v["Code"], "MissingTimestamp");
        assert_eq!(v["Message"], "Timestamp is mandatory for this action.");
        assert_eq!(v["HostId"], "dyvmsapi.aliyuncs.com");
        assert!(v["Recommend"].as_str().is_some_and(|r| r.ends_with("RID")));
    }

    #[test]
    fn xml_answer_escapes_text() {
        let reply = Reply::ok(vec![("Data", Value::from("[{\"a\":\"<b>&\"}]"))]);
        let (body, ct) = reply.render("R", "QueryRobotInfoList", true);
        assert!(ct.starts_with("text/xml"));
        assert!(body.contains("<QueryRobotInfoListResponse><RequestId>R</RequestId>"));
        assert!(body.contains("<Data>[{&quot;a&quot;:&quot;&lt;b&gt;&amp;&quot;}]</Data>"));
    }
}
