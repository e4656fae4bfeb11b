//! The field rules of a `BatchRobotSmartCall`: everything the API is documented to reject,
//! each with a stable code and a zh-CN + English message. One set of rules with one error
//! type, [`RequestProblem`], for the task form (field by field, as the user types:
//! [`TaskSettings::form_problems`](crate::campaign::settings::TaskSettings::form_problems)),
//! the plan ([`TaskSettings::check`](crate::campaign::settings::TaskSettings), which names
//! the first problem as a [`PlanError`](crate::campaign::plan::PlanError)), and the client,
//! which checks every request before sending it.

use std::borrow::Cow;
use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::models::BatchRobotSmartCallRequest;
use crate::sheet::cell::has_control_chars;
use crate::text::Localized;

/// `CalledNumber` limit per request (the docs say 1000 in four places and 100 in one;
/// `docs/api/dyvms.md` §5.4).
pub const MAX_CALLED_NUMBERS: usize = 1000;
/// `CalledShowNumber` limit per request (documented 100).
pub const MAX_SHOW_NUMBERS: usize = 100;
/// `TaskName` limit, in characters (documented 30).
pub const MAX_TASK_NAME_CHARS: usize = 30;

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
            max_called_numbers: MAX_CALLED_NUMBERS,
            max_show_numbers: MAX_SHOW_NUMBERS,
            max_task_name_chars: MAX_TASK_NAME_CHARS,
        }
    }
}

/// The two lists of numbers a request carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberList {
    /// `CalledNumber`: the people called.
    Called,
    /// `CalledShowNumber`: the caller numbers shown to them.
    Show,
}

/// The two template-variable parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TtsField {
    /// `TtsParamHead`: the names.
    Head,
    /// `TtsParam`: the values.
    Param,
}

impl TtsField {
    fn wire(self) -> &'static str {
        match self {
            TtsField::Head => "TtsParamHead",
            TtsField::Param => "TtsParam",
        }
    }

    fn code(self) -> &'static str {
        match self {
            TtsField::Head => "tts_param_head",
            TtsField::Param => "tts_param",
        }
    }
}

/// One thing wrong with a request field. The UI shows it next to the field; over IPC and in
/// JSON it is `{code, field, message}` ([`RequestProblemView`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(as = "RequestProblemView"))]
pub enum RequestProblem {
    NumbersMissing {
        list: NumberList,
    },
    TooManyNumbers {
        list: NumberList,
        count: usize,
        max: usize,
    },
    /// A number with characters other than ASCII digits (see [`is_plain_number`]).
    NumberNotDigits {
        list: NumberList,
        number: String,
    },
    DuplicateNumbers {
        list: NumberList,
        first: String,
        count: usize,
    },
    DialogIdMissing,
    TaskNameMissing,
    TaskNameTooLong {
        count: usize,
        max: usize,
    },
    /// Line breaks and other control characters: refused when the task is planned.
    TaskNameControlChars,
    CorpNameMissing,
    ScheduleInPast {
        schedule_time_ms: i64,
    },
    /// One of `TtsParamHead` / `TtsParam` without the other; `missing` is the absent one.
    TtsUnpaired {
        missing: TtsField,
    },
    TtsHeadBadShape,
    TtsParamBadShape,
    TypographicQuotes {
        field: TtsField,
    },
    InvalidJson {
        field: TtsField,
        line: usize,
        column: usize,
    },
    TtsArity {
        number: String,
        values: usize,
        names: usize,
    },
    TtsUnknownNumber {
        number: String,
    },
}

/// A [`RequestProblem`] as JSON and TypeScript see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct RequestProblemView {
    /// Stable code, e.g. `task_name.too_long`.
    pub code: String,
    /// The wire name of the field, e.g. `TaskName`.
    pub field: String,
    pub message: Localized,
}

impl Serialize for RequestProblem {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        RequestProblemView::from(self).serialize(serializer)
    }
}

impl From<&RequestProblem> for RequestProblemView {
    fn from(p: &RequestProblem) -> Self {
        RequestProblemView {
            code: p.code().into_owned(),
            field: p.field().to_owned(),
            message: p.message(),
        }
    }
}

impl NumberList {
    fn names(self) -> (&'static str, &'static str, &'static str, &'static str) {
        match self {
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
        }
    }
}

impl RequestProblem {
    /// The stable code, e.g. `task_name.too_long` (`request.<code>` as an
    /// [`ErrorCode`](crate::error_code::ErrorCode)).
    pub fn code(&self) -> Cow<'static, str> {
        use RequestProblem as P;
        let list_code =
            |list: &NumberList, what: &str| Cow::Owned(format!("{}.{what}", list.names().1));
        match self {
            P::NumbersMissing { list } => list_code(list, "missing"),
            P::TooManyNumbers { list, .. } => list_code(list, "too_many"),
            P::NumberNotDigits { list, .. } => list_code(list, "bad_characters"),
            P::DuplicateNumbers { list, .. } => list_code(list, "duplicate"),
            P::DialogIdMissing => "dialog_id.missing".into(),
            P::TaskNameMissing => "task_name.missing".into(),
            P::TaskNameTooLong { .. } => "task_name.too_long".into(),
            P::TaskNameControlChars => "task_name.control_characters".into(),
            P::CorpNameMissing => "corp_name.missing".into(),
            P::ScheduleInPast { .. } => "schedule_time.past".into(),
            P::TtsUnpaired { .. } => "tts_param.unpaired".into(),
            P::TtsHeadBadShape => "tts_param_head.bad_shape".into(),
            P::TtsParamBadShape => "tts_param.bad_shape".into(),
            P::TypographicQuotes { field } => {
                Cow::Owned(format!("{}.typographic_quotes", field.code()))
            }
            P::InvalidJson { field, .. } => Cow::Owned(format!("{}.invalid_json", field.code())),
            P::TtsArity { .. } => "tts_param.arity".into(),
            P::TtsUnknownNumber { .. } => "tts_param.unknown_number".into(),
        }
    }

    /// The wire name of the field, e.g. `TaskName`.
    pub fn field(&self) -> &'static str {
        use RequestProblem as P;
        match self {
            P::NumbersMissing { list }
            | P::TooManyNumbers { list, .. }
            | P::NumberNotDigits { list, .. }
            | P::DuplicateNumbers { list, .. } => list.names().0,
            P::DialogIdMissing => "DialogId",
            P::TaskNameMissing | P::TaskNameTooLong { .. } | P::TaskNameControlChars => "TaskName",
            P::CorpNameMissing => "CorpName",
            P::ScheduleInPast { .. } => "ScheduleTime",
            // Named after the one that is there, where the value goes.
            P::TtsUnpaired { missing } => match missing {
                TtsField::Param => "TtsParam",
                TtsField::Head => "TtsParamHead",
            },
            P::TtsHeadBadShape => "TtsParamHead",
            P::TypographicQuotes { field } | P::InvalidJson { field, .. } => field.wire(),
            P::TtsParamBadShape | P::TtsArity { .. } | P::TtsUnknownNumber { .. } => "TtsParam",
        }
    }

    /// What is wrong and what to do, in both languages.
    pub fn message(&self) -> Localized {
        use RequestProblem as P;
        let l = |zh: String, en: String| Localized::new(zh, en);
        match self {
            P::NumbersMissing { list } => {
                let (_, _, zh_name, en_name) = list.names();
                l(format!("没有{zh_name}。"), format!("There are no {en_name}."))
            }
            P::TooManyNumbers { list, count, max } => {
                let (_, _, zh_name, en_name) = list.names();
                l(
                    format!("一个任务最多 {max} 个{zh_name},现在有 {count} 个;请分成多个任务。"),
                    format!(
                        "A task takes at most {max} {en_name}; this one has {count}. Split it into several tasks."
                    ),
                )
            }
            P::NumberNotDigits { list, number: bad } => {
                let (_, _, zh_name, en_name) = list.names();
                l(
                    format!("{zh_name}“{bad}”含有数字以外的字符(+、空格、逗号、横线等);只能是数字,按国内拨号的写法,如 057112345678。"),
                    format!(
                        "The {en_name} entry \"{bad}\" has characters other than digits (+, spaces, commas, dashes…); use digits only, as dialled within China, e.g. 057112345678."
                    ),
                )
            }
            P::DuplicateNumbers { list, first, count } => {
                let (_, _, zh_name, en_name) = list.names();
                l(
                    format!("{zh_name}有重复:“{first}”等 {count} 个;每个号码只能出现一次。"),
                    format!(
                        "{count} duplicate {en_name}, e.g. \"{first}\"; each number may appear only once."
                    ),
                )
            }
            P::DialogIdMissing => l(
                "没有选择机器人话术(DialogId)。请在语音服务控制台的话术管理中找到话术 ID。".into(),
                "No robot script (DialogId) is chosen. Find the script ID under communication scripts in the Voice Service console.".into(),
            ),
            P::TaskNameMissing => l("任务名称不能为空。".into(), "The task name is empty.".into()),
            P::TaskNameTooLong { count, max } => l(
                format!("任务名称最多 {max} 个字,现在有 {count} 个。"),
                format!("The task name may have at most {max} characters; it has {count}."),
            ),
            P::TaskNameControlChars => l(
                "任务名称里有换行等控制字符。".into(),
                "The task name contains line breaks or other control characters.".into(),
            ),
            P::CorpNameMissing => l(
                "没有填写公司名称。除非使用自有线路,公司名称必须与控制台“资质管理”中的公司名称完全一致。".into(),
                "The company name is missing. Unless you use your own line, it must match the company name under Qualification Management in the console exactly.".into(),
            ),
            P::ScheduleInPast { .. } => l(
                "定时呼叫的时间已经过去了,请选一个将来的时间。".into(),
                "The scheduled call time is in the past; choose a time in the future.".into(),
            ),
            P::TtsUnpaired { .. } => l(
                "变量名(TtsParamHead)和变量值(TtsParam)必须同时提供。".into(),
                "Variable names (TtsParamHead) and values (TtsParam) must be given together.".into(),
            ),
            P::TtsHeadBadShape => l(
                "变量名(TtsParamHead)必须是字符串数组,例如 [\"name\",\"amount\"]。".into(),
                "Variable names (TtsParamHead) must be a JSON array of strings, e.g. [\"name\",\"amount\"].".into(),
            ),
            P::TtsParamBadShape => l(
                "变量值(TtsParam)必须是数组,每项形如 {\"number\":\"139…\",\"params\":[\"小王\"]}。".into(),
                "Variable values (TtsParam) must be a JSON array of items like {\"number\":\"139…\",\"params\":[\"Wang\"]}.".into(),
            ),
            P::TypographicQuotes { field } => {
                let field = field.wire();
                l(
                    format!("{field} 里有中文引号(“ ”),JSON 只能用英文双引号 \"。官方文档的示例里就有这个错误,复制时请替换。"),
                    format!("{field} contains typographic quotes (“ ”); JSON needs plain double quotes \". The official examples have this mistake; replace them when copying."),
                )
            }
            P::InvalidJson { field, line, column } => {
                let field = field.wire();
                l(
                    format!("{field} 不是有效的 JSON(第 {line} 行第 {column} 列)。"),
                    format!("{field} is not valid JSON (line {line}, column {column})."),
                )
            }
            P::TtsArity { number, values, names } => l(
                format!("号码 {number} 有 {values} 个变量值,但变量名有 {names} 个。"),
                format!("Number {number} has {values} variable values but there are {names} variable names."),
            ),
            P::TtsUnknownNumber { number } => l(
                format!("变量值里的号码 {number} 不在被叫号码中。"),
                format!("The variable values name number {number}, which is not one of the called numbers."),
            ),
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

fn number_list_problems(numbers: &[String], max: usize, list: NumberList) -> Vec<RequestProblem> {
    let mut problems = Vec::new();
    if numbers.is_empty() {
        problems.push(RequestProblem::NumbersMissing { list });
        return problems;
    }
    if numbers.len() > max {
        problems.push(RequestProblem::TooManyNumbers {
            list,
            count: numbers.len(),
            max,
        });
    }
    if let Some(bad) = numbers.iter().find(|n| !is_plain_number(n)) {
        problems.push(RequestProblem::NumberNotDigits {
            list,
            number: bad.clone(),
        });
    }
    let mut seen = HashSet::new();
    let duplicates: Vec<&str> = numbers
        .iter()
        .filter(|n| !seen.insert(n.as_str()))
        .map(String::as_str)
        .collect();
    if let Some(first) = duplicates.first() {
        problems.push(RequestProblem::DuplicateNumbers {
            list,
            first: (*first).to_owned(),
            count: duplicates.len(),
        });
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
        return vec![RequestProblem::DialogIdMissing];
    }
    Vec::new()
}

/// `TaskName`: present and at most `limits.max_task_name_chars` characters (not bytes).
pub fn validate_task_name(task_name: &str, limits: &RequestLimits) -> Vec<RequestProblem> {
    let count = task_name.chars().count();
    let max = limits.max_task_name_chars;
    if task_name.trim().is_empty() {
        vec![RequestProblem::TaskNameMissing]
    } else if count > max {
        vec![RequestProblem::TaskNameTooLong { count, max }]
    } else {
        Vec::new()
    }
}

/// `TaskName` without line breaks or other control characters. The plan applies it to the
/// name the user typed (a batch name is that name cut to fit, plus ` (i/n)`).
pub fn validate_task_name_characters(task_name: &str) -> Vec<RequestProblem> {
    if has_control_chars(task_name.trim()) {
        return vec![RequestProblem::TaskNameControlChars];
    }
    Vec::new()
}

/// `CorpName` is required unless the call uses your own line (`IsSelfLine`).
pub fn validate_corp_name(corp_name: Option<&str>, is_self_line: bool) -> Vec<RequestProblem> {
    let missing = corp_name.is_none_or(|c| c.trim().is_empty());
    if missing && !is_self_line {
        return vec![RequestProblem::CorpNameMissing];
    }
    Vec::new()
}

/// `ScheduleTime` (Unix ms) must lie in the future.
pub fn validate_schedule_time(schedule_time_ms: Option<i64>, now_ms: i64) -> Vec<RequestProblem> {
    match schedule_time_ms {
        Some(at) if at <= now_ms => vec![RequestProblem::ScheduleInPast {
            schedule_time_ms: at,
        }],
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
        (Some(_), None) => {
            return vec![RequestProblem::TtsUnpaired {
                missing: TtsField::Param,
            }]
        }
        (None, Some(_)) => {
            return vec![RequestProblem::TtsUnpaired {
                missing: TtsField::Head,
            }]
        }
    };
    let names = match parse_json_text(head, TtsField::Head) {
        Ok(serde_json::Value::Array(items)) if items.iter().all(|i| i.is_string()) => items.len(),
        Ok(_) => return vec![RequestProblem::TtsHeadBadShape],
        Err(problem) => return vec![problem],
    };
    let rows = match parse_json_text(param, TtsField::Param) {
        Ok(serde_json::Value::Array(rows)) => rows,
        Ok(_) => return vec![RequestProblem::TtsParamBadShape],
        Err(problem) => return vec![problem],
    };
    let callees: HashSet<&str> = called_numbers.iter().map(String::as_str).collect();
    let mut problems = Vec::new();
    for row in &rows {
        let number = match row.get("number") {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => {
                problems.push(RequestProblem::TtsParamBadShape);
                break;
            }
        };
        let Some(values) = row.get("params").and_then(serde_json::Value::as_array) else {
            problems.push(RequestProblem::TtsParamBadShape);
            break;
        };
        if values.len() != names {
            problems.push(RequestProblem::TtsArity {
                number,
                values: values.len(),
                names,
            });
            break;
        }
        if !callees.contains(number.as_str()) {
            problems.push(RequestProblem::TtsUnknownNumber { number });
            break;
        }
    }
    problems
}

fn parse_json_text(text: &str, field: TtsField) -> Result<serde_json::Value, RequestProblem> {
    serde_json::from_str(text).map_err(|err| {
        if text.contains(['“', '”', '‘', '’']) {
            RequestProblem::TypographicQuotes { field }
        } else {
            RequestProblem::InvalidJson {
                field,
                line: err.line(),
                column: err.column(),
            }
        }
    })
}

#[cfg(test)]
mod tests;
