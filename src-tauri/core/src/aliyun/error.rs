//! Why a call failed, what a caller may do next ([`ErrorClass`]), and what to tell the user.

use super::advice::{advice_for, ErrorClass, UNKNOWN_CODE};
use super::response::BodyKind;
use super::validate::RequestProblem;
use crate::error_code::ErrorCode;
use crate::text::{Localized, UserError};

/// What SmartDial worked out about an API error beyond its code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Diagnosis {
    None,
    /// `SignatureDoesNotMatch` and the server signed the same string: the secret is wrong.
    WrongSecret,
    /// `SignatureDoesNotMatch` and the strings differ: SmartDial canonicalised differently.
    StringToSignDiffers {
        server: String,
    },
    /// `InvalidTimeStamp.Expired`: server time minus local time, from the `Date` header.
    ClockSkew {
        seconds: i64,
    },
}

/// A well-formed error reply (`Code` other than `OK`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub action: String,
    /// Whether the action changes something (a repeat could call people twice).
    pub write: bool,
    pub http_status: u16,
    pub code: String,
    pub message: String,
    pub request_id: Option<String>,
    pub diagnosis: Diagnosis,
}

impl ApiError {
    /// `Message` without the echoed string-to-sign, which is long and names phone numbers.
    pub fn short_message(&self) -> &str {
        match self.message.find("server string to sign is:") {
            Some(at) => self.message[..at].trim_end(),
            None => &self.message,
        }
    }
}

/// A failed call. `Display` never contains the request URL, the signature or the secret.
#[derive(Debug, thiserror::Error)]
pub enum CallError {
    #[error("the endpoint is not usable: {reason}")]
    InvalidEndpoint { reason: String },
    #[error("could not set up the HTTP client: {detail}")]
    ClientSetup { detail: String },
    #[error("{action} was not sent: {} problem(s) with the request", problems.len())]
    InvalidRequest {
        action: String,
        problems: Vec<RequestProblem>,
    },
    #[error("{action}: could not connect to {host}: {detail}")]
    Connect {
        action: String,
        host: String,
        detail: String,
    },
    #[error("{action}: no reply within {seconds} s")]
    Timeout {
        action: String,
        write: bool,
        seconds: u64,
    },
    #[error("{action}: the connection broke before the reply was complete: {detail}")]
    ConnectionLost {
        action: String,
        write: bool,
        detail: String,
    },
    #[error("{action}: unreadable reply (HTTP {status}, {})", kind.describe_en())]
    BadResponse {
        action: String,
        write: bool,
        status: u16,
        kind: BodyKind,
        request_id: Option<String>,
    },
    #[error("{} failed: {}: {}", .0.action, .0.code, .0.short_message())]
    Api(Box<ApiError>),
    #[error("{action}: unexpected reply content: {detail}")]
    UnexpectedData {
        action: String,
        request_id: Option<String>,
        detail: String,
    },
}

impl CallError {
    /// What a caller may do next. Only `RetrySafe` may be retried automatically.
    pub fn class(&self) -> ErrorClass {
        match self {
            CallError::InvalidEndpoint { .. }
            | CallError::ClientSetup { .. }
            | CallError::InvalidRequest { .. } => ErrorClass::Permanent,
            // A reply that cannot be read after a write left: whether it took effect is not
            // known, so it is never "permanent" (which would let the batch be sent again).
            CallError::UnexpectedData { action, .. } if !super::client::is_read_only(action) => {
                ErrorClass::OutcomeUnknown
            }
            CallError::UnexpectedData { .. } => ErrorClass::Permanent,
            CallError::Connect { .. } => ErrorClass::RetrySafe,
            CallError::Timeout { write, .. }
            | CallError::ConnectionLost { write, .. }
            | CallError::BadResponse { write, .. } => {
                if *write {
                    ErrorClass::OutcomeUnknown
                } else {
                    ErrorClass::RetrySafe
                }
            }
            CallError::Api(api) => advice_for(&api.code).kind.class(api.write),
        }
    }

    /// The API's `Code`, for an error reply.
    pub fn code(&self) -> Option<&str> {
        match self {
            CallError::Api(api) => Some(&api.code),
            _ => None,
        }
    }

    /// The `RequestId` of the reply, if one came back.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            CallError::Api(api) => api.request_id.as_deref(),
            CallError::BadResponse { request_id, .. }
            | CallError::UnexpectedData { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// The failure concerns the whole account or setup (no balance, key disabled or unknown,
    /// wrong secret, product not opened, no permission, clock off, wrong endpoint): a
    /// campaign stops instead of moving on to its next batch.
    pub fn is_account_level(&self) -> bool {
        match self {
            CallError::Api(api) => advice_for(&api.code).account_level,
            CallError::InvalidEndpoint { .. } | CallError::ClientSetup { .. } => true,
            _ => false,
        }
    }

    /// `false` only when the request certainly never reached the server (bad endpoint,
    /// local validation, DNS failure, connection refused, TLS or connect failure).
    pub fn request_left(&self) -> bool {
        !matches!(
            self,
            CallError::InvalidEndpoint { .. }
                | CallError::ClientSetup { .. }
                | CallError::InvalidRequest { .. }
                | CallError::Connect { .. }
        )
    }

    /// The failure as the user sees it, in both languages.
    pub fn to_user_error(&self) -> UserError {
        match self {
            CallError::InvalidEndpoint { reason } => UserError::new(
                ErrorCode::EndpointInvalid,
                Localized::new(format!("服务地址不可用:{reason}"), format!("The endpoint is not usable: {reason}")),
                Localized::new(
                    "使用 https:// 开头的地址,默认是 https://dyvmsapi.aliyuncs.com(本机模拟器可用 http://127.0.0.1)。",
                    "Use an https:// address; the default is https://dyvmsapi.aliyuncs.com (the local simulator may use http://127.0.0.1).",
                ),
            ),
            CallError::ClientSetup { detail } => UserError::new(
                ErrorCode::ClientSetup,
                Localized::new(format!("无法初始化网络连接:{detail}"), format!("Could not set up networking: {detail}")),
                Localized::new("检查代理设置(HTTPS_PROXY)后重试。", "Check the proxy settings (HTTPS_PROXY) and try again."),
            ),
            CallError::InvalidRequest { problems, .. } => {
                let messages: Vec<Localized> = problems.iter().map(RequestProblem::message).collect();
                let zh: Vec<&str> = messages.iter().map(|m| m.zh_cn.as_str()).collect();
                let en: Vec<&str> = messages.iter().map(|m| m.en.as_str()).collect();
                UserError::new(
                    ErrorCode::RequestInvalid,
                    Localized::new(format!("请求没有发送,因为:{}", zh.join(" ")), format!("Nothing was sent because: {}", en.join(" "))),
                    Localized::new("改正以上问题后再提交。", "Fix these and submit again."),
                )
            }
            CallError::Connect { host, detail, .. } => UserError::new(
                ErrorCode::NetworkUnreachable,
                Localized::new(format!("无法连接到 {host}({detail})。请求没有发出。"), format!("Could not connect to {host} ({detail}). Nothing was sent.")),
                Localized::new(
                    "检查网络连接;公司网络请设置代理(HTTPS_PROXY),然后重试。",
                    "Check the network connection; on an office network set the proxy (HTTPS_PROXY), then try again.",
                ),
            ),
            CallError::Timeout { write, seconds, .. } => {
                let (zh, en) = (
                    format!("{seconds} 秒内没有收到阿里云的回复。"),
                    format!("No reply from Alibaba Cloud within {seconds} seconds."),
                );
                outcome_user_error(Outcome::Timeout, *write, zh, en)
            }
            CallError::ConnectionLost { write, .. } => outcome_user_error(
                Outcome::ConnectionLost,
                *write,
                "收到回复前连接中断了。".to_owned(),
                "The connection broke before the reply was complete.".to_owned(),
            ),
            CallError::BadResponse { write, status, kind, .. } => outcome_user_error(
                Outcome::Unreadable,
                *write,
                format!("服务器返回了{}(HTTP {status})。", kind.describe_zh()),
                format!("The server sent {} (HTTP {status}).", kind.describe_en()),
            ),
            CallError::Api(api) => api_user_error(api),
            CallError::UnexpectedData { detail, request_id, .. } => UserError::new(
                ErrorCode::ResponseUnexpected,
                // The detail is the parser's English; the Chinese message stays Chinese.
                Localized::new("阿里云的回复内容无法识别(缺少应有的数据或格式不对)。", format!("Alibaba Cloud's reply could not be understood: {detail}")),
                with_request_id(Localized::new("请把日志发给我们。", "Please send us the log."), request_id.as_deref()),
            ),
        }
    }
}

/// The failures after which a write's outcome may be unknown.
#[derive(Clone, Copy)]
enum Outcome {
    Timeout,
    ConnectionLost,
    Unreadable,
}

impl Outcome {
    fn code(self, write: bool) -> ErrorCode {
        match (self, write) {
            (Outcome::Timeout, false) => ErrorCode::NetworkTimeout,
            (Outcome::Timeout, true) => ErrorCode::NetworkTimeoutOutcomeUnknown,
            (Outcome::ConnectionLost, false) => ErrorCode::NetworkConnectionLost,
            (Outcome::ConnectionLost, true) => ErrorCode::NetworkConnectionLostOutcomeUnknown,
            (Outcome::Unreadable, false) => ErrorCode::ResponseUnreadable,
            (Outcome::Unreadable, true) => ErrorCode::ResponseUnreadableOutcomeUnknown,
        }
    }
}

fn outcome_user_error(outcome: Outcome, write: bool, zh: String, en: String) -> UserError {
    let code = outcome.code(write);
    if write {
        UserError::new(
            code,
            Localized::new(
                format!("{zh}外呼任务可能已经创建,也可能没有。"),
                format!("{en} The call task may or may not have been created."),
            ),
            Localized::new(
                "不要立即重发:先在语音服务控制台的任务列表中查看,确认没有创建后再发送,以免重复呼叫。",
                "Do not resend right away: first check the task list in the Voice Service console, and resend only if the task is not there, so nobody is called twice.",
            ),
        )
    } else {
        UserError::new(
            code,
            Localized::new(zh, en),
            Localized::new(
                "检查网络和代理设置后重试;如果持续出现,可能是阿里云服务暂时故障。",
                "Check the network and proxy settings and try again; if it persists, Alibaba Cloud may be having trouble.",
            ),
        )
    }
}

fn with_request_id(hint: Localized, request_id: Option<&str>) -> Localized {
    match request_id {
        Some(id) => Localized::new(
            format!("{}(RequestId:{id})", hint.zh_cn),
            format!("{} (RequestId: {id})", hint.en),
        ),
        None => hint,
    }
}

fn api_user_error(api: &ApiError) -> UserError {
    if super::ram::is_permission_denied(&api.code) {
        return super::ram::permission_user_error(api);
    }
    let advice = advice_for(&api.code);
    let server = api.short_message();
    let (code, message) = match &api.diagnosis {
        Diagnosis::WrongSecret => (
            ErrorCode::aliyun("InvalidAccessKeySecret"),
            Localized::new(
                "AccessKey Secret 不正确:服务器计算签名用的内容与 SmartDial 完全一致,只有密钥不同。",
                "The AccessKey secret is wrong: the server signed exactly what SmartDial signed, only the key differs.",
            ),
        ),
        Diagnosis::StringToSignDiffers { .. } => (
            ErrorCode::aliyun("SignatureDoesNotMatch"),
            Localized::new(
                "签名不一致:服务器和 SmartDial 对请求的编码方式不同,这是 SmartDial 的问题,不是密钥问题。",
                "Signature mismatch: the server encoded the request differently from SmartDial. This is a SmartDial bug, not a key problem.",
            ),
        ),
        Diagnosis::ClockSkew { seconds } => {
            let minutes = (seconds.unsigned_abs() + 30) / 60;
            let (zh_dir, en_dir) = if *seconds > 0 { ("慢", "behind") } else { ("快", "ahead") };
            (
                ErrorCode::aliyun(&api.code),
                Localized::new(
                    format!("电脑时间比阿里云{zh_dir}了约 {minutes} 分钟(允许误差 15 分钟),请求被拒绝。"),
                    format!("Your computer's clock is about {minutes} minutes {en_dir} of Alibaba Cloud's (15 minutes are allowed), so the request was refused."),
                ),
            )
        }
        Diagnosis::None => (
            ErrorCode::aliyun(&api.code),
            Localized::new(advice.zh_message, advice.en_message),
        ),
    };
    let hint = match &api.diagnosis {
        Diagnosis::StringToSignDiffers { .. } => Localized::new(
            "请把日志和 RequestId 发给我们。",
            "Please send us the log and the RequestId.",
        ),
        _ => Localized::new(advice.zh_hint, advice.en_hint),
    };
    let message = if advice.code == UNKNOWN_CODE || !server.is_empty() {
        Localized::new(
            format!("{}(阿里云:{} {})", message.zh_cn, api.code, server),
            format!("{} (Alibaba Cloud: {} {})", message.en, api.code, server),
        )
    } else {
        message
    };
    UserError::new(
        code,
        message,
        with_request_id(hint, api.request_id.as_deref()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(code: &str, write: bool, diagnosis: Diagnosis) -> CallError {
        CallError::Api(Box::new(ApiError {
            action: "BatchRobotSmartCall".into(),
            write,
            http_status: 400,
            code: code.into(),
            message: "Specified signature is not matched with our calculation. server string to sign is:POST&%2F&AccessKeyId%3Dx".into(),
            request_id: Some("REQ-1".into()),
            diagnosis,
        }))
    }

    #[test]
    fn wrong_secret_and_canonicalisation_bug_are_told_apart() {
        let e = api("SignatureDoesNotMatch", true, Diagnosis::WrongSecret).to_user_error();
        assert_eq!(e.code, "aliyun.InvalidAccessKeySecret");
        assert!(e.message.en.contains("secret is wrong"));
        assert!(!e.message.en.contains("string to sign"));
        assert!(e.hint.en.contains("REQ-1"));
        let e = api(
            "SignatureDoesNotMatch",
            true,
            Diagnosis::StringToSignDiffers { server: "x".into() },
        )
        .to_user_error();
        assert!(e.message.en.contains("SmartDial bug"));
    }

    #[test]
    fn clock_skew_is_told_in_minutes() {
        let e = api(
            "InvalidTimeStamp.Expired",
            false,
            Diagnosis::ClockSkew {
                seconds: -20 * 60 - 10,
            },
        )
        .to_user_error();
        assert!(
            e.message.en.contains("about 20 minutes ahead"),
            "{}",
            e.message.en
        );
        assert!(e.message.zh_cn.contains("快了约 20 分钟"));
    }

    #[test]
    fn classes_of_transport_failures() {
        let connect = CallError::Connect {
            action: "A".into(),
            host: "h".into(),
            detail: "refused".into(),
        };
        assert_eq!(connect.class(), ErrorClass::RetrySafe);
        assert!(!connect.request_left());
        let timeout = CallError::Timeout {
            action: "BatchRobotSmartCall".into(),
            write: true,
            seconds: 3,
        };
        assert_eq!(timeout.class(), ErrorClass::OutcomeUnknown);
        assert!(timeout.request_left());
        assert_eq!(
            timeout.to_user_error().code,
            "network.timeout.outcome_unknown"
        );
        let read = CallError::BadResponse {
            action: "QueryRobotInfoList".into(),
            write: false,
            status: 502,
            kind: BodyKind::Html,
            request_id: None,
        };
        assert_eq!(read.class(), ErrorClass::RetrySafe);
        assert!(read.to_user_error().message.en.contains("web page"));
        assert!(api("isv.AMOUNT_NOT_ENOUGH", true, Diagnosis::None).is_account_level());
        assert_eq!(
            api("Throttling.User", true, Diagnosis::None).class(),
            ErrorClass::RetrySafe
        );
        assert_eq!(
            api("isp.SYSTEM_ERROR", true, Diagnosis::None).class(),
            ErrorClass::OutcomeUnknown
        );
    }

    #[test]
    fn display_drops_the_echoed_string_to_sign() {
        let shown = api("SignatureDoesNotMatch", true, Diagnosis::None).to_string();
        assert!(!shown.contains("string to sign"));
        assert!(shown.contains("SignatureDoesNotMatch"));
    }
}
