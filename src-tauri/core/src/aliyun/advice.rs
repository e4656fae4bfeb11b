//! Every error code in `docs/api/dyvms.md` §5 mapped to how SmartDial treats it
//! and what it tells the user.

use serde::Serialize;

/// What a caller may do after a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ErrorClass {
    /// The request was refused before any effect (throttling, never sent): retry after a
    /// backoff with a fresh nonce and timestamp.
    RetrySafe,
    /// A business limit or restricted period: try again later (minutes to hours), not now.
    Defer,
    /// Something must be fixed first (key, parameters, account); retrying changes nothing.
    Permanent,
    /// The request may have taken effect (timeout or server failure after it left): never
    /// repeat a `BatchRobotSmartCall` automatically; ask or reconcile first.
    OutcomeUnknown,
}

/// How the table classes a code, before the action is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeKind {
    /// Throttling: nothing happened, retry with backoff.
    Throttled,
    /// Server-side failure: safe to retry for reads, outcome unknown for writes.
    ServerSide,
    /// Business limit or time window: defer.
    Defer,
    /// Fix something first.
    Permanent,
}

impl CodeKind {
    /// The class for an action that changes something (`write`) or only reads.
    pub fn class(self, write: bool) -> ErrorClass {
        match self {
            CodeKind::Throttled => ErrorClass::RetrySafe,
            CodeKind::ServerSide if write => ErrorClass::OutcomeUnknown,
            CodeKind::ServerSide => ErrorClass::RetrySafe,
            CodeKind::Defer => ErrorClass::Defer,
            CodeKind::Permanent => ErrorClass::Permanent,
        }
    }
}

/// One row of the advice table.
#[derive(Debug, Clone, Copy)]
pub struct Advice {
    pub code: &'static str,
    pub kind: CodeKind,
    /// The whole account or setup is affected: a campaign stops instead of moving on to the
    /// next batch (no balance, key disabled or unknown, product not opened, no permission,
    /// wrong clock, wrong endpoint).
    pub account_level: bool,
    pub zh_message: &'static str,
    pub en_message: &'static str,
    pub zh_hint: &'static str,
    pub en_hint: &'static str,
}

use CodeKind::{Defer, Permanent, ServerSide, Throttled};

macro_rules! advice {
    ($code:expr, $kind:expr, $acct:expr, $zm:expr, $em:expr, $zh:expr, $eh:expr) => {
        Advice {
            code: $code,
            kind: $kind,
            account_level: $acct,
            zh_message: $zm,
            en_message: $em,
            zh_hint: $zh,
            en_hint: $eh,
        }
    };
}

const CHECK_KEY_ZH: &str =
    "在阿里云控制台“AccessKey 管理”中核对,然后用 `smartdial profile add` 重新保存。";
const CHECK_KEY_EN: &str = "Check it under AccessKey Management in the Alibaba Cloud console, then save it again with `smartdial profile add`.";
const SERVER_ZH: &str =
    "稍后再试。如果是发起外呼任务,请先在控制台查看任务是否已创建,避免重复呼叫。";
const SERVER_EN: &str = "Try again later. If this was starting a call task, first check in the console whether the task was created, so nobody is called twice.";
const BUG_ZH: &str = "这通常是 SmartDial 的问题,请把日志和 RequestId 发给我们。";
const BUG_EN: &str = "This is usually a SmartDial bug; please send us the log and the RequestId.";
const PARAM_ZH: &str = "检查任务设置(号码、话术、公司名称、变量),改正后重新提交。";
const PARAM_EN: &str = "Check the task settings (numbers, script, company name, variables), correct them and submit again.";
const TEMPLATE_ZH: &str = "检查话术和变量内容(长度、禁用词、网址等),在控制台确认话术已审核通过。";
const TEMPLATE_EN: &str = "Check the script and the variable values (length, banned words, URLs) and make sure the script is approved in the console.";

const RAM_ZH: &str = "在 RAM 控制台给这个 AccessKey 所属的 RAM 用户添加 SmartDial 的权限策略(“如何获取 AccessKey”里可以复制)。";
const RAM_EN: &str = "In the RAM console, attach SmartDial's policy (copy it from \"How to get an AccessKey\") to the AccessKey's RAM user.";

/// The advice table: §5.1 (gateway), §5.2 (dyvms business), §5.3 (business throttle).
pub static ADVICE: &[Advice] = &[
    // §5.1 gateway / common errors
    advice!("SignatureDoesNotMatch", Permanent, true,
        "签名校验失败:AccessKey Secret 很可能不正确。", "The signature was rejected: the AccessKey secret is most likely wrong.",
        CHECK_KEY_ZH, CHECK_KEY_EN),
    advice!("IncompleteSignature", Permanent, true,
        "请求签名格式不符合阿里云要求。", "The request signature does not follow Alibaba Cloud's rules.",
        BUG_ZH, BUG_EN),
    advice!("InvalidAccessKeyId.NotFound", Permanent, true,
        "AccessKey ID 不存在。", "The AccessKey ID does not exist.",
        CHECK_KEY_ZH, CHECK_KEY_EN),
    advice!("InvalidAccessKeyId.Inactive", Permanent, true,
        "这个 AccessKey 已被禁用。", "This AccessKey is disabled.",
        "在控制台“AccessKey 管理”中启用它,或换一个有效的 AccessKey。", "Enable it under AccessKey Management in the console, or use another AccessKey."),
    advice!("InvalidTimeStamp.Format", Permanent, true,
        "请求时间格式不正确。", "The request time stamp is not well formatted.",
        BUG_ZH, BUG_EN),
    advice!("InvalidTimeStamp.Expired", Permanent, true,
        "电脑时间与阿里云相差超过 15 分钟,请求被拒绝。", "Your computer's clock differs from Alibaba Cloud's by more than 15 minutes, so the request was refused.",
        "把电脑时间设为自动同步(Windows:设置 > 时间和语言 > 立即同步;macOS:系统设置 > 通用 > 日期与时间),然后重试。",
        "Turn on automatic time sync (Windows: Settings > Time & language > Sync now; macOS: System Settings > General > Date & Time), then try again."),
    advice!("IllegalTimestamp", Permanent, true,
        "请求时间参数不正确。", "The Timestamp parameter is not valid.",
        BUG_ZH, BUG_EN),
    advice!("MissingTimestamp", Permanent, true,
        "请求缺少时间参数。", "The request has no Timestamp.",
        BUG_ZH, BUG_EN),
    advice!("SignatureNonceUsed", ServerSide, false,
        "请求编号(SignatureNonce)已被使用过:同一请求可能已经到达过服务器。", "The request number (SignatureNonce) was used already: the same request may have reached the server before.",
        SERVER_ZH, SERVER_EN),
    advice!("MissingParameter", Permanent, false,
        "请求缺少必填参数。", "A required parameter is missing.",
        PARAM_ZH, PARAM_EN),
    advice!("InvalidParameter", Permanent, false,
        "请求参数不正确。", "A parameter is not valid.",
        PARAM_ZH, PARAM_EN),
    advice!("InvalidParameter.Format", Permanent, false,
        "响应格式参数不正确。", "The Format parameter is not valid.",
        BUG_ZH, BUG_EN),
    advice!("InvalidSignatureMethod", Permanent, true,
        "签名方法不被支持。", "The signature method is not supported.",
        BUG_ZH, BUG_EN),
    advice!("UnsupportedHTTPMethod", Permanent, true,
        "服务器不接受这种请求方式。", "The server does not accept this HTTP method.",
        BUG_ZH, BUG_EN),
    advice!("InvalidApi.NotFound", Permanent, true,
        "服务器上没有这个接口。", "The server has no such API.",
        "检查接口名(区分大小写)和服务地址(endpoint)。默认地址是 https://dyvmsapi.aliyuncs.com。", "Check the API name (case-sensitive) and the endpoint. The default endpoint is https://dyvmsapi.aliyuncs.com."),
    advice!("InvalidProduct.NotFound", Permanent, true,
        "服务地址不是语音服务。", "The endpoint is not the Voice Service.",
        "检查服务地址(endpoint),默认是 https://dyvmsapi.aliyuncs.com。", "Check the endpoint; the default is https://dyvmsapi.aliyuncs.com."),
    advice!("InvalidProtocol.NeedSsl", Permanent, true,
        "服务器要求使用 HTTPS。", "The server requires HTTPS.",
        "把服务地址改成 https:// 开头。", "Use an endpoint that starts with https://."),
    advice!("Throttling.User", Throttled, false,
        "调用太频繁,被阿里云限流(账号级)。", "Too many requests: Alibaba Cloud throttled your account.",
        "SmartDial 会自动放慢并重试;也可以在设置中降低发送速度。", "SmartDial slows down and retries by itself; you can also lower the sending rate in the settings."),
    advice!("Throttling.Api", Throttled, false,
        "调用太频繁,被阿里云限流(接口级)。", "Too many requests: Alibaba Cloud throttled this API.",
        "SmartDial 会自动放慢并重试;也可以在设置中降低发送速度。", "SmartDial slows down and retries by itself; you can also lower the sending rate in the settings."),
    advice!("Throttling", Throttled, false,
        "调用太频繁,被阿里云限流。", "Too many requests: Alibaba Cloud throttled them.",
        "SmartDial 会自动放慢并重试。", "SmartDial slows down and retries by itself."),
    advice!("InternalError", ServerSide, false,
        "阿里云服务器内部错误。", "Alibaba Cloud had an internal server error.",
        SERVER_ZH, SERVER_EN),
    advice!("ServiceUnavailable", ServerSide, false,
        "阿里云服务暂时不可用。", "The Alibaba Cloud service is temporarily unavailable.",
        SERVER_ZH, SERVER_EN),
    // RAM refusals from the gateway (`docs/ram-policy.md`); the message names the missing
    // permission (`ram::permission_user_error`).
    advice!("Forbidden.RAM", Permanent, true,
        "这个 AccessKey 的 RAM 用户没有调用这个接口的权限。", "The AccessKey's RAM user is not allowed to call this API.",
        RAM_ZH, RAM_EN),
    advice!("Forbidden.NoPermission", Permanent, true,
        "这个 AccessKey 的 RAM 用户没有调用这个接口的权限。", "The AccessKey's RAM user is not allowed to call this API.",
        RAM_ZH, RAM_EN),
    advice!("NoPermission", Permanent, true,
        "这个 AccessKey 的 RAM 用户没有调用这个接口的权限。", "The AccessKey's RAM user is not allowed to call this API.",
        RAM_ZH, RAM_EN),
    // §5.2 dyvms business codes
    advice!("isp.RAM_PERMISSION_DENY", Permanent, true,
        "这个 AccessKey 没有语音服务的权限。", "This AccessKey has no permission for the Voice Service.",
        RAM_ZH, RAM_EN),
    advice!("isv.OUT_OF_SERVICE", Permanent, true,
        "语音服务已停用(通常是欠费)。", "The Voice Service is suspended (usually an overdue payment).",
        "在阿里云费用中心充值,服务恢复后再发起任务。", "Top up in the Alibaba Cloud billing center and start the task again once the service is back."),
    advice!("isv.PRODUCT_UN_SUBSCRIPT", Permanent, true,
        "这个账号还没有开通云通信服务。", "This account has not activated Alibaba Cloud communications.",
        "在阿里云控制台开通语音服务后再试。", "Activate the Voice Service in the Alibaba Cloud console, then try again."),
    advice!("isv.PRODUCT_UNSUBSCRIBE", Permanent, true,
        "这个账号没有开通智能外呼(机器人)功能。", "This account has not activated the robot outbound-call feature.",
        "在语音服务控制台开通智能外呼;新用户可能需要使用智能联络中心。", "Activate robot calls in the Voice Service console; new accounts may need the Intelligent Contact Center instead."),
    advice!("isv.ACCOUNT_NOT_EXISTS", Permanent, true,
        "找不到这个阿里云账号。", "The Alibaba Cloud account was not found.",
        CHECK_KEY_ZH, CHECK_KEY_EN),
    advice!("isv.ACCOUNT_ABNORMAL", Defer, true,
        "阿里云账号状态异常。", "The Alibaba Cloud account is in an abnormal state.",
        "检查账号是否欠费,稍后再试。", "Check the account for overdue payments and try again later."),
    advice!("isv.AMOUNT_NOT_ENOUGH", Permanent, true,
        "账户余额不足。", "The account balance is too low.",
        "在阿里云费用中心充值后继续。", "Top up in the Alibaba Cloud billing center, then continue."),
    advice!("isv.AMOUNT_NOT_ENOUG", Permanent, true,
        "账户余额不足。", "The account balance is too low.",
        "在阿里云费用中心充值后继续。", "Top up in the Alibaba Cloud billing center, then continue."),
    advice!("isv.VOICE_ROBOT_CALLEE_LIMIT", Permanent, false,
        "一个任务的被叫号码超过 1000 个。", "A task has more than 1000 called numbers.",
        "把号码分成多个任务(在设置中调小每批号码数)。", "Split the numbers into several tasks (lower the batch size in the settings)."),
    advice!("isv.MOBILE_COUNT_OVER_LIMIT", Permanent, false,
        "号码数量超过上限。", "Too many numbers in one request.",
        "在设置中调小每批号码数后重试。", "Lower the batch size in the settings and try again."),
    advice!("isv.BUSINESS_LIMIT_CONTROL", Defer, false,
        "触发业务限流:同一号码在同一资质和用途下每分钟 1 次、每小时 5 次、每天 20 次。", "Business rate limit hit: per number, under one qualification and purpose, 1 call a minute, 5 an hour, 20 a day.",
        "稍后再呼叫这些号码,或在控制台“呼叫设置”中调整限制。", "Call these numbers later, or adjust the limits under Call Settings in the console."),
    advice!("isv.VOICE_ROBOT_NOT_PERIOD", Defer, false,
        "现在处于禁止外呼的时段。", "Calls are not allowed at this time of day.",
        "改为定时呼叫,选一个允许的时段。", "Schedule the calls for a permitted time."),
    advice!("isv.VOICE_CALL_PERIOD_ERROR", Defer, false,
        "获取可呼叫时段失败。", "The permitted call time window could not be obtained.",
        "稍后再试;如果持续出现,请检查控制台的呼叫时段设置。", "Try again later; if it persists, check the call time settings in the console."),
    advice!("isv.VOICE_CALL_FAIL", Permanent, false,
        "发起呼叫失败。", "The call could not be started.",
        "在语音服务控制台的统计页面查看原因。", "See the statistics page in the Voice Service console for the reason."),
    advice!("isv.BILLID_NOT_EXIST", Permanent, false,
        "外显号码不属于你的账号。", "The display number does not belong to your account.",
        "只使用控制台“号码管理”里已购买的号码作为外显号码。", "Use only numbers you bought (console: Number Management) as display numbers."),
    advice!("BillidNotExist", Permanent, false,
        "外显号码不属于你的账号。", "The display number does not belong to your account.",
        "只使用控制台“号码管理”里已购买的号码作为外显号码。", "Use only numbers you bought (console: Number Management) as display numbers."),
    advice!("isv.COMPLAINT_REJECT", Permanent, false,
        "号码因被投诉而被防骚扰拦截。", "The number is blocked by anti-harassment rules after complaints.",
        "不要再呼叫这些号码;把它们从名单中移除。", "Do not call these numbers again; remove them from the list."),
    advice!("ComplaintReject", Permanent, false,
        "号码因被投诉而被防骚扰拦截。", "The number is blocked by anti-harassment rules after complaints.",
        "不要再呼叫这些号码;把它们从名单中移除。", "Do not call these numbers again; remove them from the list."),
    advice!("isv.BLACK_KEY_CONTROL_LIMIT", Permanent, false,
        "变量内容里有禁用关键词。", "The variable values contain banned keywords.",
        "修改表格中的变量内容,去掉敏感词后重试。", "Edit the variable values in the sheet to remove sensitive words, then try again."),
    advice!("isv.TEMPLATE_ILLEGAL", Permanent, false,
        "话术模板不合法。", "The script template is not valid.",
        TEMPLATE_ZH, TEMPLATE_EN),
    advice!("isv.TTS_TEMPLATE_ILLEGAL", Permanent, false,
        "语音模板不合法。", "The TTS template is not valid.",
        TEMPLATE_ZH, TEMPLATE_EN),
    advice!("isv.TEMPLATE_PARAMS_ILLEGAL", Permanent, false,
        "变量内容不合法。", "The variable values are not valid.",
        TEMPLATE_ZH, TEMPLATE_EN),
    advice!("isv.TEMPLATE_MISSING_PARAMETERS", Permanent, false,
        "缺少话术需要的变量。", "Variables the script needs are missing.",
        "确认表格列映射包含话术用到的每个变量。", "Make sure the column mapping covers every variable the script uses."),
    advice!("isv.PARAM_NOT_SUPPORT_URL", Permanent, false,
        "变量内容不能包含网址。", "Variable values may not contain URLs.",
        "去掉变量内容中的网址后重试。", "Remove the URLs from the variable values and try again."),
    advice!("isv.PARAM_LENGTH_LIMIT", Permanent, false,
        "变量内容太长。", "A variable value is too long.",
        "缩短表格中的变量内容后重试。", "Shorten the variable values in the sheet and try again."),
    advice!("isv.DISPLAY_NUMBER_ILLEGAL", Permanent, false,
        "外显号码不合法。", "The display number is not valid.",
        "检查主叫或被叫号码是否含有空格等异常字符。", "Check the caller and callee numbers for stray characters such as spaces."),
    advice!("isv.MOBILE_NUMBER_ILLEGAL", Permanent, false,
        "号码格式不正确。", "A phone number is not in a valid format.",
        "只使用中国大陆号码(11 位手机号,可带 +86);检查有无异常字符。", "Use mainland China numbers only (11-digit mobiles, +86 allowed) and check for stray characters."),
    advice!("isv.INVALID_PARAMETERS", Permanent, false,
        "请求参数错误。", "A request parameter is wrong.",
        PARAM_ZH, PARAM_EN),
    advice!("InvalidParameters", Permanent, false,
        "请求参数错误。", "A request parameter is wrong.",
        PARAM_ZH, PARAM_EN),
    advice!("isv.ASR_MODEL_ERROR", Permanent, false,
        "没有使用这个语音识别模型的权限。", "No permission to use this speech recognition model.",
        "在控制台检查话术绑定的 ASR 模型。", "Check the ASR model bound to the script in the console."),
    advice!("isp.SYSTEM_ERROR", ServerSide, false,
        "阿里云系统错误。", "Alibaba Cloud reported a system error.",
        SERVER_ZH, SERVER_EN),
    advice!("isp.GATEWAY_ERROR", ServerSide, false,
        "阿里云网关错误。", "Alibaba Cloud reported a gateway error.",
        SERVER_ZH, SERVER_EN),
    advice!("isp.UNKNOWN", ServerSide, false,
        "阿里云返回了未知错误。", "Alibaba Cloud returned an unknown error.",
        SERVER_ZH, SERVER_EN),
    advice!("isp.USER_NOT_EXIST", Permanent, true,
        "找不到这个阿里云用户。", "The Alibaba Cloud user was not found.",
        CHECK_KEY_ZH, CHECK_KEY_EN),
    advice!("isp.USER_ASSERT_NOT_EXIST", Permanent, true,
        "找不到这个阿里云用户的资产信息。", "The Alibaba Cloud user's assets were not found.",
        CHECK_KEY_ZH, CHECK_KEY_EN),
    advice!("isp.RES_OWNER_ID_UNKNOWN", Permanent, true,
        "资源所有者未知。", "The resource owner is unknown.",
        CHECK_KEY_ZH, CHECK_KEY_EN),
];

/// Advice for a code: the exact row, else a family (`Missing…`, `Invalid…`, `Throttling…`,
/// `isp.…`), else a generic row quoting nothing but the code.
pub fn advice_for(code: &str) -> Advice {
    if let Some(row) = ADVICE.iter().find(|a| a.code == code) {
        return *row;
    }
    let family = if code.starts_with("Throttling") {
        "Throttling"
    } else if code.starts_with("Missing") {
        "MissingParameter"
    } else if code.starts_with("Invalid") {
        "InvalidParameter"
    } else {
        ""
    };
    if let Some(row) = ADVICE.iter().find(|a| a.code == family) {
        return Advice {
            code: UNKNOWN_CODE,
            ..*row
        };
    }
    Advice {
        code: UNKNOWN_CODE,
        kind: Permanent,
        account_level: false,
        zh_message: "阿里云拒绝了请求。",
        en_message: "Alibaba Cloud refused the request.",
        zh_hint: "查看下面阿里云给出的原因;如需帮助,请把 RequestId 发给阿里云支持。",
        en_hint: "See Alibaba Cloud's reason below; for help, give the RequestId to Alibaba Cloud support.",
    }
}

/// The `code` of advice that matched no row exactly.
pub const UNKNOWN_CODE: &str = "";

/// Codes for which the table also has a specific diagnosis (see `error.rs`).
pub fn is_throttling(code: &str) -> bool {
    advice_for(code).kind == Throttled
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The backticked codes in the first column of the §5.1–§5.3 tables of the repository's
    /// API notes (`docs/api/dyvms.md`), families like `Missing{Param}` and `OK` aside.
    fn documented_codes() -> Vec<String> {
        let doc = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/api/dyvms.md");
        let text = std::fs::read_to_string(&doc).unwrap_or_else(|e| {
            panic!(
                "the API notes {} must be in the repository: {e}",
                doc.display()
            )
        });
        let start = text.find("### 5.1").expect("§5.1 in the API notes");
        let end = text.find("### 5.4").expect("§5.4 in the API notes");
        let mut codes = Vec::new();
        for line in text[start..end].lines().filter(|l| l.starts_with("| `")) {
            let first_cell = line.split('|').nth(1).unwrap_or("");
            for code in first_cell.split('`').skip(1).step_by(2) {
                if !code.contains('{') && code != "OK" {
                    codes.push(code.to_owned());
                }
            }
        }
        assert!(
            codes.len() > 40,
            "parsed only {} codes from {}",
            codes.len(),
            doc.display()
        );
        codes
    }

    #[test]
    fn every_documented_code_has_a_row_with_advice_in_both_languages() {
        for code in documented_codes() {
            let a = advice_for(&code);
            assert_eq!(a.code, code, "no exact row for {code}");
            for text in [a.zh_message, a.en_message, a.zh_hint, a.en_hint] {
                assert!(!text.trim().is_empty(), "{code}: empty advice");
            }
        }
    }

    /// The table holds nothing the notes do not document, except the family rows that
    /// `advice_for` falls back to for `Invalid{Param}` codes.
    #[test]
    fn every_row_is_documented() {
        let documented = documented_codes();
        for row in ADVICE {
            assert!(
                documented.iter().any(|c| c == row.code) || row.code == "InvalidParameter",
                "{} has advice but is not in docs/api/dyvms.md §5",
                row.code
            );
        }
    }

    #[test]
    fn classes_follow_the_doc() {
        assert_eq!(
            advice_for("Throttling.User").kind.class(true),
            ErrorClass::RetrySafe
        );
        assert_eq!(
            advice_for("InternalError").kind.class(true),
            ErrorClass::OutcomeUnknown
        );
        assert_eq!(
            advice_for("InternalError").kind.class(false),
            ErrorClass::RetrySafe
        );
        assert_eq!(
            advice_for("isv.BUSINESS_LIMIT_CONTROL").kind.class(true),
            ErrorClass::Defer
        );
        assert_eq!(
            advice_for("isv.AMOUNT_NOT_ENOUGH").kind.class(true),
            ErrorClass::Permanent
        );
        assert!(advice_for("isv.AMOUNT_NOT_ENOUGH").account_level);
        assert!(!advice_for("isv.MOBILE_NUMBER_ILLEGAL").account_level);
        assert_eq!(advice_for("MissingCalledNumber").kind, CodeKind::Permanent);
        assert_eq!(advice_for("Throttling.Foo").kind, CodeKind::Throttled);
        assert_eq!(advice_for("Whatever.New").code, UNKNOWN_CODE);
    }
}
