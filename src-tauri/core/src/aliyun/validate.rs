//! Local checks of a `BatchRobotSmartCall` before anything is sent: everything the API is
//! documented to reject, each with a stable code and a zh-CN + English message.
//!
//! The field rules are public functions so the desktop app can check one field as the user
//! types, with the same rules the sender applies.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::models::BatchRobotSmartCallRequest;
use crate::text::Localized;

/// Limits that differ between sources, kept configurable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestLimits {
    /// Callees per task. The page intro says 100, the field table, SDK and error code say
    /// 1000 (`docs/api/dyvms.md` §5.4, UNCERTAIN); default 1000.
    pub max_called_numbers: usize,
    /// Display numbers per task (documented 100).
    pub max_show_numbers: usize,
    /// `TaskName` length in characters (documented 30).
    pub max_task_name_chars: usize,
}

impl Default for RequestLimits {
    fn default() -> Self {
        RequestLimits {
            max_called_numbers: 1000,
            max_show_numbers: 100,
            max_task_name_chars: 30,
        }
    }
}

/// One thing wrong with a request, in a form the UI can show next to the field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct RequestProblem {
    /// Stable code, e.g. `task_name.too_long`.
    pub code: String,
    /// The wire name of the field, e.g. `TaskName`.
    pub field: String,
    pub message: Localized,
}

impl RequestProblem {
    fn new(code: &str, field: &str, zh: impl Into<String>, en: impl Into<String>) -> Self {
        RequestProblem {
            code: code.to_owned(),
            field: field.to_owned(),
            message: Localized::new(zh, en),
        }
    }
}

impl BatchRobotSmartCallRequest {
    /// Every problem with this request; empty means it may be sent.
    pub fn validate(&self, now_ms: i64, limits: &RequestLimits) -> Vec<RequestProblem> {
        let mut problems = Vec::new();
        problems.extend(validate_called_numbers(&self.called_numbers, limits));
        problems.extend(validate_show_numbers(&self.called_show_numbers, limits));
        problems.extend(validate_dialog_id(&self.dialog_id));
        problems.extend(validate_task_name(&self.task_name, limits));
        problems.extend(validate_corp_name(
            self.corp_name.as_deref(),
            self.is_self_line,
        ));
        problems.extend(validate_schedule_time(self.schedule_time_ms, now_ms));
        problems.extend(validate_tts_params(
            self.tts_param_head.as_deref(),
            self.tts_param.as_deref(),
            &self.called_numbers,
        ));
        problems
    }
}

/// `CalledNumber`: 1 to `limits.max_called_numbers` numbers, no duplicates, digits only.
pub fn validate_called_numbers(numbers: &[String], limits: &RequestLimits) -> Vec<RequestProblem> {
    number_list_problems(numbers, limits.max_called_numbers, NumberList::Called)
}

/// `CalledShowNumber`: 1 to `limits.max_show_numbers` numbers, no duplicates, digits only.
pub fn validate_show_numbers(numbers: &[String], limits: &RequestLimits) -> Vec<RequestProblem> {
    number_list_problems(numbers, limits.max_show_numbers, NumberList::Show)
}

#[derive(Clone, Copy)]
enum NumberList {
    Called,
    Show,
}

fn number_list_problems(numbers: &[String], max: usize, list: NumberList) -> Vec<RequestProblem> {
    let (field, prefix, zh_name, en_name) = match list {
        NumberList::Called => (
            "CalledNumber",
            "called_number",
            "被叫号码",
            "called numbers",
        ),
        NumberList::Show => (
            "CalledShowNumber",
            "show_number",
            "外显号码",
            "display numbers",
        ),
    };
    let mut problems = Vec::new();
    if numbers.is_empty() {
        problems.push(RequestProblem::new(
            &format!("{prefix}.missing"),
            field,
            format!("没有{zh_name}。"),
            format!("There are no {en_name}."),
        ));
        return problems;
    }
    if numbers.len() > max {
        problems.push(RequestProblem::new(
            &format!("{prefix}.too_many"),
            field,
            format!("一个任务最多 {max} 个{zh_name},现在有 {} 个;请分成多个任务。", numbers.len()),
            format!(
                "A task takes at most {max} {en_name}; this one has {}. Split it into several tasks.",
                numbers.len()
            ),
        ));
    }
    if let Some(bad) = numbers.iter().find(|n| !is_plain_number(n)) {
        problems.push(RequestProblem::new(
            &format!("{prefix}.bad_characters"),
            field,
            format!("{zh_name}“{bad}”含有数字以外的字符(+、空格、逗号、横线等);只能是数字,按国内拨号的写法,如 057112345678。"),
            format!(
                "The {en_name} entry \"{bad}\" has characters other than digits (+, spaces, commas, dashes…); use digits only, as dialled within China, e.g. 057112345678."
            ),
        ));
    }
    let mut seen = HashSet::new();
    let duplicates: Vec<&str> = numbers
        .iter()
        .filter(|n| !seen.insert(n.as_str()))
        .map(String::as_str)
        .collect();
    if let Some(first) = duplicates.first() {
        problems.push(RequestProblem::new(
            &format!("{prefix}.duplicate"),
            field,
            format!(
                "{zh_name}有重复:“{first}”等 {} 个;每个号码只能出现一次。",
                duplicates.len()
            ),
            format!(
                "{} duplicate {en_name}, e.g. \"{first}\"; each number may appear only once.",
                duplicates.len()
            ),
        ));
    }
    problems
}

/// The one rule for a number in `CalledNumber` or `CalledShowNumber`: ASCII digits only.
/// The API takes mainland numbers as dialled in China (`057112345678`, `13800138000`); a
/// `+86` prefix is refused by the server, so it is refused here too, before anything is sent.
pub fn is_plain_number(n: &str) -> bool {
    !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())
}

/// `DialogId` must be present.
pub fn validate_dialog_id(dialog_id: &str) -> Vec<RequestProblem> {
    if dialog_id.trim().is_empty() {
        return vec![RequestProblem::new(
            "dialog_id.missing",
            "DialogId",
            "没有选择机器人话术(DialogId)。请在语音服务控制台的话术管理中找到话术 ID。",
            "No robot script (DialogId) is chosen. Find the script ID under communication scripts in the Voice Service console.",
        )];
    }
    Vec::new()
}

/// `TaskName`: present and at most `limits.max_task_name_chars` characters (not bytes).
pub fn validate_task_name(task_name: &str, limits: &RequestLimits) -> Vec<RequestProblem> {
    let count = task_name.chars().count();
    let max = limits.max_task_name_chars;
    if task_name.trim().is_empty() {
        vec![RequestProblem::new(
            "task_name.missing",
            "TaskName",
            "任务名称不能为空。",
            "The task name is empty.",
        )]
    } else if count > max {
        vec![RequestProblem::new(
            "task_name.too_long",
            "TaskName",
            format!("任务名称最多 {max} 个字,现在有 {count} 个。"),
            format!("The task name may have at most {max} characters; it has {count}."),
        )]
    } else {
        Vec::new()
    }
}

/// `CorpName` is required unless the call uses your own line (`IsSelfLine`).
pub fn validate_corp_name(corp_name: Option<&str>, is_self_line: bool) -> Vec<RequestProblem> {
    let missing = corp_name.is_none_or(|c| c.trim().is_empty());
    if missing && !is_self_line {
        return vec![RequestProblem::new(
            "corp_name.missing",
            "CorpName",
            "没有填写公司名称。除非使用自有线路,公司名称必须与控制台“资质管理”中的公司名称完全一致。",
            "The company name is missing. Unless you use your own line, it must match the company name under Qualification Management in the console exactly.",
        )];
    }
    Vec::new()
}

/// `ScheduleTime` (Unix ms) must lie in the future.
pub fn validate_schedule_time(schedule_time_ms: Option<i64>, now_ms: i64) -> Vec<RequestProblem> {
    match schedule_time_ms {
        Some(at) if at <= now_ms => vec![RequestProblem::new(
            "schedule_time.past",
            "ScheduleTime",
            "定时呼叫的时间已经过去了,请选一个将来的时间。",
            "The scheduled call time is in the past; choose a time in the future.",
        )],
        _ => Vec::new(),
    }
}

/// `TtsParamHead` and `TtsParam`: both or neither; valid JSON (typographic quotes get their
/// own message, as the official examples contain them); every row's `params` as long as the
/// head; every row's `number` one of the callees.
pub fn validate_tts_params(
    head: Option<&str>,
    param: Option<&str>,
    called_numbers: &[String],
) -> Vec<RequestProblem> {
    let head = head.filter(|h| !h.trim().is_empty());
    let param = param.filter(|p| !p.trim().is_empty());
    let (head, param) = match (head, param) {
        (None, None) => return Vec::new(),
        (Some(h), Some(p)) => (h, p),
        (Some(_), None) | (None, Some(_)) => {
            return vec![RequestProblem::new(
                "tts_param.unpaired",
                if head.is_some() {
                    "TtsParam"
                } else {
                    "TtsParamHead"
                },
                "变量名(TtsParamHead)和变量值(TtsParam)必须同时提供。",
                "Variable names (TtsParamHead) and values (TtsParam) must be given together.",
            )]
        }
    };
    let names = match parse_json_text(head, "TtsParamHead") {
        Ok(serde_json::Value::Array(items)) if items.iter().all(|i| i.is_string()) => items.len(),
        Ok(_) => {
            return vec![RequestProblem::new(
                "tts_param_head.bad_shape",
                "TtsParamHead",
                "变量名(TtsParamHead)必须是字符串数组,例如 [\"name\",\"amount\"]。",
                "Variable names (TtsParamHead) must be a JSON array of strings, e.g. [\"name\",\"amount\"].",
            )]
        }
        Err(problem) => return vec![problem],
    };
    let rows = match parse_json_text(param, "TtsParam") {
        Ok(serde_json::Value::Array(rows)) => rows,
        Ok(_) => return vec![tts_row_shape_problem()],
        Err(problem) => return vec![problem],
    };
    let callees: HashSet<&str> = called_numbers.iter().map(String::as_str).collect();
    let mut problems = Vec::new();
    for row in &rows {
        let number = match row.get("number") {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => {
                problems.push(tts_row_shape_problem());
                break;
            }
        };
        let Some(values) = row.get("params").and_then(serde_json::Value::as_array) else {
            problems.push(tts_row_shape_problem());
            break;
        };
        if values.len() != names {
            problems.push(RequestProblem::new(
                "tts_param.arity",
                "TtsParam",
                format!(
                    "号码 {number} 有 {} 个变量值,但变量名有 {names} 个。",
                    values.len()
                ),
                format!(
                    "Number {number} has {} variable values but there are {names} variable names.",
                    values.len()
                ),
            ));
            break;
        }
        if !callees.contains(number.as_str()) {
            problems.push(RequestProblem::new(
                "tts_param.unknown_number",
                "TtsParam",
                format!("变量值里的号码 {number} 不在被叫号码中。"),
                format!("The variable values name number {number}, which is not one of the called numbers."),
            ));
            break;
        }
    }
    problems
}

fn tts_row_shape_problem() -> RequestProblem {
    RequestProblem::new(
        "tts_param.bad_shape",
        "TtsParam",
        "变量值(TtsParam)必须是数组,每项形如 {\"number\":\"139…\",\"params\":[\"小王\"]}。",
        "Variable values (TtsParam) must be a JSON array of items like {\"number\":\"139…\",\"params\":[\"Wang\"]}.",
    )
}

fn parse_json_text(text: &str, field: &str) -> Result<serde_json::Value, RequestProblem> {
    serde_json::from_str(text).map_err(|err| {
        let code = if field == "TtsParam" { "tts_param" } else { "tts_param_head" };
        if text.contains(['“', '”', '‘', '’']) {
            RequestProblem::new(
                &format!("{code}.typographic_quotes"),
                field,
                format!("{field} 里有中文引号(“ ”),JSON 只能用英文双引号 \"。官方文档的示例里就有这个错误,复制时请替换。"),
                format!("{field} contains typographic quotes (“ ”); JSON needs plain double quotes \". The official examples have this mistake; replace them when copying."),
            )
        } else {
            RequestProblem::new(
                &format!("{code}.invalid_json"),
                field,
                format!("{field} 不是有效的 JSON(第 {} 行第 {} 列)。", err.line(), err.column()),
                format!("{field} is not valid JSON (line {}, column {}).", err.line(), err.column()),
            )
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> BatchRobotSmartCallRequest {
        BatchRobotSmartCallRequest {
            called_numbers: vec!["13900001111".into(), "13900002222".into()],
            called_show_numbers: vec!["057112345678".into()],
            dialog_id: "1234567".into(),
            task_name: "外呼任务".into(),
            corp_name: Some("测试公司".into()),
            early_media_asr: false,
            is_self_line: false,
            schedule_time_ms: Some(2_000),
            tts_param_head: Some(r#"["name"]"#.into()),
            tts_param: Some(r#"[{"number":"13900001111","params":["小王"]}]"#.into()),
        }
    }

    fn codes(r: &BatchRobotSmartCallRequest, limits: &RequestLimits) -> Vec<String> {
        r.validate(1_000, limits)
            .into_iter()
            .map(|p| p.code)
            .collect()
    }

    #[test]
    fn a_valid_request_has_no_problems() {
        assert!(codes(&valid(), &RequestLimits::default()).is_empty());
    }

    #[test]
    fn counts_duplicates_and_characters() {
        let limits = RequestLimits {
            max_called_numbers: 2,
            ..RequestLimits::default()
        };
        let mut r = valid();
        r.called_numbers = vec!["139".into(), "139".into(), "138 1".into()];
        r.tts_param = None;
        r.tts_param_head = None;
        let c = codes(&r, &limits);
        assert_eq!(
            c,
            [
                "called_number.too_many",
                "called_number.bad_characters",
                "called_number.duplicate"
            ]
        );
        r.called_numbers.clear();
        r.called_show_numbers = vec!["1".into(); 101];
        let c = codes(&r, &limits);
        assert!(c.contains(&"called_number.missing".to_owned()));
        assert!(c.contains(&"show_number.too_many".to_owned()));
    }

    #[test]
    fn task_name_counts_characters_not_bytes() {
        let limits = RequestLimits::default();
        assert!(validate_task_name(&"外".repeat(30), &limits).is_empty());
        assert_eq!(
            validate_task_name(&"外".repeat(31), &limits)[0].code,
            "task_name.too_long"
        );
        assert_eq!(
            validate_task_name("  ", &limits)[0].code,
            "task_name.missing"
        );
    }

    #[test]
    fn corp_name_schedule_and_dialog() {
        assert_eq!(validate_corp_name(None, false)[0].code, "corp_name.missing");
        assert!(validate_corp_name(None, true).is_empty());
        assert_eq!(
            validate_schedule_time(Some(1_000), 1_000)[0].code,
            "schedule_time.past"
        );
        assert!(validate_schedule_time(None, 1_000).is_empty());
        assert_eq!(validate_dialog_id("")[0].code, "dialog_id.missing");
    }

    #[test]
    fn tts_rules() {
        let callees = vec!["13900001111".to_owned()];
        let check = |h: Option<&str>, p: Option<&str>| -> Vec<String> {
            validate_tts_params(h, p, &callees)
                .into_iter()
                .map(|p| p.code)
                .collect()
        };
        assert_eq!(check(Some(r#"["a"]"#), None), ["tts_param.unpaired"]);
        assert_eq!(
            check(
                Some(r#"["a"]"#),
                Some(r#"[{"number":"1390000****","params":[“小王”]}]"#)
            ),
            ["tts_param.typographic_quotes"]
        );
        assert_eq!(
            check(Some("[a"), Some("[]")),
            ["tts_param_head.invalid_json"]
        );
        assert_eq!(
            check(
                Some(r#"["a","b"]"#),
                Some(r#"[{"number":"13900001111","params":["x"]}]"#)
            ),
            ["tts_param.arity"]
        );
        assert_eq!(
            check(
                Some(r#"["a"]"#),
                Some(r#"[{"number":"13800000000","params":["x"]}]"#)
            ),
            ["tts_param.unknown_number"]
        );
        assert_eq!(
            check(Some(r#"["a"]"#), Some(r#"{"x":1}"#)),
            ["tts_param.bad_shape"]
        );
        assert!(check(None, None).is_empty());
    }

    #[test]
    fn every_problem_has_both_languages() {
        let r = BatchRobotSmartCallRequest::default();
        let problems = r.validate(0, &RequestLimits::default());
        assert!(problems.len() >= 4);
        for p in problems {
            assert!(
                !p.message.zh_cn.is_empty() && !p.message.en.is_empty(),
                "{p:?}"
            );
        }
    }
}
