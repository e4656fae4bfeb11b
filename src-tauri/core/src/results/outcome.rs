//! What happened on a call, in a handful of words a marketer understands, from the API's
//! status code (`statusCode` / `callResult`) and description (`stateDesc`).
//!
//! Codes: the recall codes 200002/200003/200005/200010/200011/200012 are documented
//! (`CreateRobotTask.RecallStateCodes`, `docs/api/dyvms-models.md`); 200000/200001/200004/200007 come
//! from Alibaba's call-status-code page (cited in `simulator/outcomes.rs`). Anything else is
//! classified by keywords in `stateDesc`, and failing that is `failed`.

use serde::{Deserialize, Serialize};

use crate::text::Localized;

/// The outcome of one person's call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum CallOutcome {
    /// Picked up (200000 listened to the end, 200001 hung up early).
    Answered,
    /// Rang, nobody picked up (200003).
    NoAnswer,
    /// Line busy (200002).
    Busy,
    /// Refused / could not be connected (200005).
    Rejected,
    /// Phone switched off (200010).
    PoweredOff,
    /// Vacant or suspended number (200004 空号, 200011 停机): remove it from the list.
    InvalidNumber,
    /// Out of the service area or lost in the network (200007, 200012): try again later.
    Unreachable,
    /// Any other code: the call did not go through.
    Failed,
    /// No call record yet: not dialled, still ringing, or not yet reported.
    Pending,
    /// The person's batch was never accepted (not sent, refused, cancelled or unknown).
    NotSent,
    /// The batch was recorded as sent by the user's decision without a TaskId: it cannot be
    /// looked up (check the console).
    Untracked,
}

impl CallOutcome {
    /// Every outcome, in the order reports list them.
    pub const ALL: [CallOutcome; 11] = [
        CallOutcome::Answered,
        CallOutcome::NoAnswer,
        CallOutcome::Busy,
        CallOutcome::Rejected,
        CallOutcome::PoweredOff,
        CallOutcome::InvalidNumber,
        CallOutcome::Unreachable,
        CallOutcome::Failed,
        CallOutcome::Pending,
        CallOutcome::NotSent,
        CallOutcome::Untracked,
    ];

    /// The stable English code (same as the JSON form), stored in the journal and exported.
    pub fn as_str(self) -> &'static str {
        match self {
            CallOutcome::Answered => "answered",
            CallOutcome::NoAnswer => "noAnswer",
            CallOutcome::Busy => "busy",
            CallOutcome::Rejected => "rejected",
            CallOutcome::PoweredOff => "poweredOff",
            CallOutcome::InvalidNumber => "invalidNumber",
            CallOutcome::Unreachable => "unreachable",
            CallOutcome::Failed => "failed",
            CallOutcome::Pending => "pending",
            CallOutcome::NotSent => "notSent",
            CallOutcome::Untracked => "untracked",
        }
    }

    pub fn parse(word: &str) -> Option<CallOutcome> {
        CallOutcome::ALL.into_iter().find(|o| o.as_str() == word)
    }

    /// The label the UI, the CLI and the export show.
    pub fn label(self) -> Localized {
        let (zh, en) = match self {
            CallOutcome::Answered => ("已接听", "Answered"),
            CallOutcome::NoAnswer => ("无人接听", "No answer"),
            CallOutcome::Busy => ("占线", "Busy"),
            CallOutcome::Rejected => ("拒接/无法接通", "Rejected"),
            CallOutcome::PoweredOff => ("关机", "Powered off"),
            CallOutcome::InvalidNumber => ("空号/停机", "Invalid or suspended number"),
            CallOutcome::Unreachable => ("不在服务区/呼损", "Unreachable"),
            CallOutcome::Failed => ("呼叫失败", "Failed"),
            CallOutcome::Pending => ("等待结果", "Waiting for result"),
            CallOutcome::NotSent => ("未发出", "Not sent"),
            CallOutcome::Untracked => ("无任务ID，无法查询", "No task ID, cannot be tracked"),
        };
        Localized::new(zh, en)
    }

    /// True once nothing will change: a refresh skips these people.
    pub fn is_final(self) -> bool {
        self != CallOutcome::Pending
    }

    /// The person was reached.
    pub fn is_answered(self) -> bool {
        self == CallOutcome::Answered
    }
}

/// Reads a status code and its description. `None` for both means "no record yet".
pub fn classify(status_code: Option<&str>, state_desc: Option<&str>) -> CallOutcome {
    let code = status_code.map(str::trim).filter(|c| !c.is_empty());
    let desc = state_desc.map(str::trim).filter(|d| !d.is_empty());
    if let Some(outcome) = code.and_then(by_code) {
        return outcome;
    }
    if let Some(outcome) = desc.and_then(by_description) {
        return outcome;
    }
    if code.is_none() && desc.is_none() {
        CallOutcome::Pending
    } else {
        CallOutcome::Failed
    }
}

fn by_code(code: &str) -> Option<CallOutcome> {
    Some(match code {
        "200000" | "200001" => CallOutcome::Answered,
        "200002" => CallOutcome::Busy,
        "200003" => CallOutcome::NoAnswer,
        "200005" => CallOutcome::Rejected,
        "200010" => CallOutcome::PoweredOff,
        "200004" | "200011" => CallOutcome::InvalidNumber,
        "200007" | "200012" => CallOutcome::Unreachable,
        _ => return None,
    })
}

/// Keyword reading of `stateDesc` for codes not in the table. Order matters: "无法接通(拒绝)"
/// must read as rejected, "用户提前挂机" as answered.
fn by_description(desc: &str) -> Option<CallOutcome> {
    const RULES: &[(&[&str], CallOutcome)] = &[
        (&["空号", "停机", "号码不存在"], CallOutcome::InvalidNumber),
        (&["关机"], CallOutcome::PoweredOff),
        (&["占线", "忙"], CallOutcome::Busy),
        (&["拒绝", "拒接"], CallOutcome::Rejected),
        (&["无应答", "无人接听", "未接"], CallOutcome::NoAnswer),
        (&["不在服务区", "呼损"], CallOutcome::Unreachable),
        (&["听完", "挂机", "接通", "接听"], CallOutcome::Answered),
    ];
    // "无法接通" alone (without a reason) is not "answered" even though it contains "接通".
    if desc.contains("无法接通") && !desc.contains("拒绝") && !desc.contains("不在服务区")
    {
        return Some(CallOutcome::Unreachable);
    }
    RULES
        .iter()
        .find(|(words, _)| words.iter().any(|w| desc.contains(w)))
        .map(|(_, outcome)| *outcome)
}

/// Who hung up, as we read the API's number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum HangupReading {
    Robot,
    Callee,
    Unknown,
}

impl HangupReading {
    pub fn as_str(self) -> &'static str {
        match self {
            HangupReading::Robot => "robot",
            HangupReading::Callee => "callee",
            HangupReading::Unknown => "unknown",
        }
    }

    pub fn parse(word: &str) -> HangupReading {
        match word {
            "robot" => HangupReading::Robot,
            "callee" => HangupReading::Callee,
            _ => HangupReading::Unknown,
        }
    }

    pub fn label(self) -> Localized {
        match self {
            HangupReading::Robot => Localized::new("机器人挂断", "Robot hung up"),
            HangupReading::Callee => Localized::new("对方挂断", "Callee hung up"),
            HangupReading::Unknown => Localized::new("不确定", "Unknown"),
        }
    }
}

/// Our reading of `hangupDirection`. The docs say "0 robot, 1 called party" in the
/// QueryRobotTaskCallDetail and QueryRobotTaskCallList responses but the reverse in the
/// QueryRobotTaskCallList request (`docs/api/dyvms.md` §4.1 "Inconsistencies"); we follow the
/// two response descriptions. The raw value is always kept next to it.
pub fn read_hangup(raw: Option<&str>) -> HangupReading {
    match raw.map(str::trim) {
        Some("0") => HangupReading::Robot,
        Some("1") => HangupReading::Callee,
        _ => HangupReading::Unknown,
    }
}

/// The note shown next to the hang-up direction.
pub fn hangup_note() -> Localized {
    Localized::new(
        "阿里云文档对挂断方向的取值说明前后矛盾(0/1 的含义在不同接口中相反)。此处按“0=机器人，1=被叫”解读，并保留接口原始值。",
        "Alibaba's documentation contradicts itself on the hang-up direction (0 and 1 are swapped between APIs). We read 0 as the robot and 1 as the callee, and keep the raw value the API sent.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_codes_map_to_outcomes() {
        let cases = [
            ("200000", CallOutcome::Answered),
            ("200001", CallOutcome::Answered),
            ("200002", CallOutcome::Busy),
            ("200003", CallOutcome::NoAnswer),
            ("200004", CallOutcome::InvalidNumber),
            ("200005", CallOutcome::Rejected),
            ("200007", CallOutcome::Unreachable),
            ("200010", CallOutcome::PoweredOff),
            ("200011", CallOutcome::InvalidNumber),
            ("200012", CallOutcome::Unreachable),
        ];
        for (code, outcome) in cases {
            assert_eq!(classify(Some(code), None), outcome, "{code}");
        }
    }

    #[test]
    fn unknown_codes_fall_back_to_the_description_then_to_failed() {
        assert_eq!(
            classify(Some("209999"), Some("用户关机")),
            CallOutcome::PoweredOff
        );
        assert_eq!(
            classify(Some("209999"), Some("用户无法接通(拒绝)")),
            CallOutcome::Rejected
        );
        assert_eq!(
            classify(None, Some("用户提前挂机未完整收听")),
            CallOutcome::Answered
        );
        assert_eq!(classify(None, Some("无法接通")), CallOutcome::Unreachable);
        assert_eq!(classify(Some("500001"), Some("???")), CallOutcome::Failed);
        assert_eq!(classify(None, None), CallOutcome::Pending);
        assert_eq!(classify(Some(" "), Some("")), CallOutcome::Pending);
    }

    #[test]
    fn words_round_trip_and_only_pending_is_open() {
        for o in CallOutcome::ALL {
            assert_eq!(CallOutcome::parse(o.as_str()), Some(o));
            let json = serde_json::to_string(&o).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", o.as_str()));
            assert_eq!(o.is_final(), o != CallOutcome::Pending);
            assert!(!o.label().zh_cn.is_empty() && !o.label().en.is_empty());
        }
    }

    #[test]
    fn hangup_follows_the_response_descriptions() {
        assert_eq!(read_hangup(Some("0")), HangupReading::Robot);
        assert_eq!(read_hangup(Some("1")), HangupReading::Callee);
        assert_eq!(read_hangup(Some("2")), HangupReading::Unknown);
        assert_eq!(read_hangup(None), HangupReading::Unknown);
    }
}
