//! The business layer: what each simulated action does once the gateway let it through.
//!
//! Rules and codes come from `docs/api/dyvms.md` §4–§7 and `docs/api/dyvms-models.md`.
//! Where the docs name a rule but not the code the server answers with, the choice is
//! commented as a guess.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

use super::config::{BatchTaskVisibility, SimulatorConfig};
use super::faults::ScriptedAnswer;
use super::outcomes::{splitmix, stable_hash, CallOutcome};
use super::record::{RecordedBatchCall, RecordedResult, SimulatorRecord};
use super::reply::{ApiError, Reply};
use super::robots::{demo_robot, DEMO_ROBOTS};
use super::tasks::{cst, dotted_time, local_time, CallState, Control, Task};

/// Mutable state of the business layer.
#[derive(Debug, Default)]
pub(crate) struct World {
    pub tasks: Vec<Task>,
    pub task_seq: u64,
    pub record: SimulatorRecord,
}

/// What one request needs besides its parameters.
pub(crate) struct Ctx<'a> {
    pub config: &'a SimulatorConfig,
    pub now: DateTime<Utc>,
    /// `http://127.0.0.1:PORT`, for recording URLs.
    pub base_url: &'a str,
    /// Answer `Data` that is not valid JSON (a fault).
    pub malformed_data: bool,
}

/// The answer, and which record entry it belongs to (BatchRobotSmartCall only).
pub(crate) struct Handled {
    pub reply: Reply,
    pub batch_index: Option<usize>,
}

impl From<Reply> for Handled {
    fn from(reply: Reply) -> Self {
        Handled {
            reply,
            batch_index: None,
        }
    }
}

fn err(e: ApiError) -> Handled {
    Reply::error(&e).into()
}

fn param<'a>(params: &'a BTreeMap<String, String>, name: &str) -> Option<&'a str> {
    params
        .get(name)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
}

fn required<'a>(params: &'a BTreeMap<String, String>, name: &str) -> Result<&'a str, ApiError> {
    param(params, name).ok_or_else(|| ApiError::missing(name))
}

fn int_param(params: &BTreeMap<String, String>, name: &str) -> Result<Option<i64>, ApiError> {
    match param(params, name) {
        None => Ok(None),
        Some(v) => v
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| ApiError::invalid(name)),
    }
}

/// Booleans: the docs use `true`/`false`, the Python SDKs send `True`/`False`
/// (`docs/api/dyvms.md` §1.7); both are accepted (case sensitivity is UNCERTAIN).
fn bool_param(params: &BTreeMap<String, String>, name: &str) -> Result<bool, ApiError> {
    match param(params, name) {
        None => Ok(false),
        Some(v) if v.eq_ignore_ascii_case("true") => Ok(true),
        Some(v) if v.eq_ignore_ascii_case("false") => Ok(false),
        Some(_) => Err(ApiError::invalid(name)),
    }
}

fn business(config: &SimulatorConfig, code: &str, message: impl Into<String>) -> ApiError {
    ApiError::business(config.business_error_status, code, message)
}

/// Runs `action`. `scripted` is the fault plan's answer for this BatchRobotSmartCall, if any.
pub(crate) fn dispatch(
    world: &mut World,
    ctx: &Ctx<'_>,
    action: &str,
    params: &BTreeMap<String, String>,
    scripted: Option<ScriptedAnswer>,
) -> Handled {
    let result = match action {
        "BatchRobotSmartCall" => return batch_robot_smart_call(world, ctx, params, scripted),
        "QueryCallDetailByTaskId" => query_call_detail_by_task_id(world, ctx, params),
        "QueryCallDetailByCallId" => query_call_detail_by_call_id(world, ctx, params),
        "QueryRobotInfoList" => Ok(query_robot_info_list(ctx, params)),
        "QueryRobotv2AllList" => Ok(query_robot_v2_all_list(ctx)),
        "QueryRobotTaskList" => query_robot_task_list(world, ctx, params),
        "QueryRobotTaskDetail" => query_robot_task_detail(world, ctx, params),
        "QueryRobotTaskCallList" => query_robot_task_call_list(world, ctx, params),
        "QueryRobotTaskCallDetail" => query_robot_task_call_detail(world, ctx, params),
        "StartRobotTask"
        | "StopRobotTask"
        | "CancelOrderRobotTask"
        | "CancelRobotTask"
        | "DeleteRobotTask" => control_task(world, ctx, action, params),
        _ => Err(ApiError::business(
            400,
            "Simulator.NotImplemented",
            format!("The SmartDial simulator does not implement {action}."),
        )),
    };
    match result {
        Ok(reply) => reply.into(),
        Err(e) => err(e),
    }
}

// ---------------------------------------------------------------------------------------
// BatchRobotSmartCall

/// A mainland number as the docs describe it (§6): mobile `1[3-9]` + 9 digits or a landline
/// with area code, optionally prefixed `+86`/`0086`/`86`. Landline callees are UNCERTAIN
/// for this API; the simulator accepts them.
pub fn is_mainland_number(number: &str) -> bool {
    let rest = number
        .strip_prefix("+86")
        .or_else(|| number.strip_prefix("0086"))
        .unwrap_or(number);
    let rest = if rest.len() == 13 && rest.starts_with("861") {
        &rest[2..]
    } else {
        rest
    };
    if !rest.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let b = rest.as_bytes();
    let mobile = b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]);
    let landline = (10..=12).contains(&b.len()) && b[0] == b'0' && b[1] != b'0';
    mobile || landline
}

fn split_numbers(list: &str) -> Vec<String> {
    list.split(',').map(str::to_owned).collect()
}

/// Messages for scripted answers: the documented meanings (`docs/api/dyvms.md` §5.2).
fn known_message(code: &str) -> Option<&'static str> {
    Some(match code {
        "isv.AMOUNT_NOT_ENOUGH" => "账户余额不足",
        "isv.BUSINESS_LIMIT_CONTROL" => "触发业务流控限制",
        "isv.OUT_OF_SERVICE" => "业务停机",
        "isv.PRODUCT_UN_SUBSCRIPT" => "未开通云通信产品的阿里云客户",
        "isv.PRODUCT_UNSUBSCRIBE" => "产品未开通",
        "isv.ACCOUNT_NOT_EXISTS" => "账户不存在",
        "isv.ACCOUNT_ABNORMAL" => "账户异常",
        "isv.VOICE_ROBOT_NOT_PERIOD" => "发送时间不能在限制时段内",
        "isv.VOICE_CALL_PERIOD_ERROR" => "获取外呼时段失败",
        "isv.VOICE_CALL_FAIL" => "呼叫发起失败",
        "isv.COMPLAINT_REJECT" => "防骚扰拦截",
        "isv.BLACK_KEY_CONTROL_LIMIT" => "模板变量中存在黑名单关键字",
        "isp.RAM_PERMISSION_DENY" => "RAM权限DENY",
        "isp.SYSTEM_ERROR" => "系统错误",
        "isp.GATEWAY_ERROR" => "网关错误",
        "InternalError" => "An internal server error occurred.",
        "ServiceUnavailable" => "The request has failed due to a temporary failure of the server.",
        "Throttling.User" => "Request was denied due to user flow control.",
        "Throttling.Api" => "Request was denied due to api flow control.",
        _ => return None,
    })
}

fn scripted_error(config: &SimulatorConfig, answer: &ScriptedAnswer) -> ApiError {
    let code = answer.code.as_str();
    let gateway =
        code.starts_with("Throttling") || code == "InternalError" || code == "ServiceUnavailable";
    let status =
        answer
            .http_status
            .unwrap_or(if code.starts_with("isp.") || code == "InternalError" {
                500
            } else if code == "ServiceUnavailable" {
                503
            } else if code.starts_with("Throttling") {
                400
            } else {
                config.business_error_status
            });
    let message = answer
        .message
        .clone()
        .or_else(|| known_message(code).map(str::to_owned))
        .unwrap_or_else(|| code.to_owned());
    ApiError {
        status,
        code: code.to_owned(),
        message,
        gateway,
    }
}

/// Checks the documented BatchRobotSmartCall rules (§4.1, §5.2, §7.8, `docs/api/BatchRobotSmartCall.zh.txt`).
fn check_batch(
    config: &SimulatorConfig,
    params: &BTreeMap<String, String>,
    numbers: &[String],
    shows: &[String],
) -> Result<(), ApiError> {
    // Documented: isv.VOICE_ROBOT_CALLEE_LIMIT "被叫号码超过1000".
    if numbers.len() > config.callee_limit {
        return Err(business(
            config,
            "isv.VOICE_ROBOT_CALLEE_LIMIT",
            format!("被叫号码超过{}", config.callee_limit),
        ));
    }
    if let Some(bad) = numbers.iter().find(|n| !is_mainland_number(n)) {
        return Err(business(
            config,
            "isv.MOBILE_NUMBER_ILLEGAL",
            format!("号码格式非法: {bad}"),
        ));
    }
    // The limit of 100 display numbers is documented; the code for exceeding it is not —
    // isv.MOBILE_COUNT_OVER_LIMIT ("too many numbers") is the closest documented one.
    if shows.len() > config.show_number_limit {
        return Err(business(
            config,
            "isv.MOBILE_COUNT_OVER_LIMIT",
            format!("被叫显号超过{}个", config.show_number_limit),
        ));
    }
    if let Some(bad) = shows.iter().find(|n| !is_mainland_number(n)) {
        return Err(business(
            config,
            "isv.DISPLAY_NUMBER_ILLEGAL",
            format!("外显号码格式非法: {bad}"),
        ));
    }
    // Documented meaning of isv.BILLID_NOT_EXIST: the caller number is not in the account.
    if !config.purchased_show_numbers.is_empty() {
        if let Some(bad) = shows
            .iter()
            .find(|n| !config.purchased_show_numbers.contains(n))
        {
            return Err(business(
                config,
                "isv.BILLID_NOT_EXIST",
                format!("号码不存在于您的账户: {bad}"),
            ));
        }
    }
    // The conditional rules below have no documented code; isv.INVALID_PARAMETERS
    // ("parameter error", HTTP 400 on the metadata page) is the closest.
    let task_name = param(params, "TaskName").unwrap_or("");
    if task_name.chars().count() > 30 {
        return Err(business(
            config,
            "isv.INVALID_PARAMETERS",
            "TaskName长度不能超过30个字符",
        ));
    }
    let is_self_line = bool_param(params, "IsSelfLine")?;
    bool_param(params, "EarlyMediaAsr")?;
    if !is_self_line && param(params, "CorpName").is_none() {
        return Err(business(
            config,
            "isv.INVALID_PARAMETERS",
            "CorpName不能为空(未开通自有线路时必填)",
        ));
    }
    if bool_param(params, "ScheduleCall")? {
        match int_param(params, "ScheduleTime")? {
            None => {
                return Err(business(
                    config,
                    "isv.INVALID_PARAMETERS",
                    "ScheduleCall为true时ScheduleTime必填",
                ))
            }
            Some(ms) if ms <= 0 => return Err(ApiError::invalid("ScheduleTime")),
            Some(_) => {}
        }
    } else {
        int_param(params, "ScheduleTime")?;
    }
    check_tts(config, params, numbers)
}

/// TtsParamHead: a JSON array of names; TtsParam: a JSON array of `{number, params}` whose
/// params line up with the head (§7.8). Malformed JSON and arity mismatches have no
/// documented code: invalid JSON → isv.INVALID_PARAMETERS, mismatches →
/// isv.TEMPLATE_PARAMS_ILLEGAL (the documented "template variable" family).
fn check_tts(
    config: &SimulatorConfig,
    params: &BTreeMap<String, String>,
    numbers: &[String],
) -> Result<(), ApiError> {
    let head = param(params, "TtsParamHead");
    let rows = param(params, "TtsParam");
    let (head, rows) = match (head, rows) {
        (None, None) => return Ok(()),
        (Some(h), Some(r)) => (h, r),
        _ => {
            return Err(business(
                config,
                "isv.INVALID_PARAMETERS",
                "TtsParam与TtsParamHead必须同时使用",
            ))
        }
    };
    let invalid = |what: &str| {
        business(
            config,
            "isv.INVALID_PARAMETERS",
            format!("{what}不是合法的JSON"),
        )
    };
    let head: Vec<String> = serde_json::from_str(head).map_err(|_| invalid("TtsParamHead"))?;
    let rows: Vec<Value> = serde_json::from_str(rows).map_err(|_| invalid("TtsParam"))?;
    let illegal = |msg: String| business(config, "isv.TEMPLATE_PARAMS_ILLEGAL", msg);
    for row in &rows {
        let number = row
            .get("number")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid("TtsParam"))?;
        let values = row
            .get("params")
            .and_then(Value::as_array)
            .ok_or_else(|| invalid("TtsParam"))?;
        if values.len() != head.len() {
            return Err(illegal(format!(
                "号码{number}的变量个数({})与TtsParamHead({})不一致",
                values.len(),
                head.len()
            )));
        }
        // "all" is documented for UploadRobotTaskCalledFile only; accepted here (UNCERTAIN).
        if number != "all" && !numbers.iter().any(|n| n == number) {
            return Err(illegal(format!(
                "TtsParam中的号码{number}不在CalledNumber中"
            )));
        }
    }
    Ok(())
}

fn new_task_id(seed: u64, seq: u64) -> String {
    format!("4{:05}{:07}", splitmix(seed) % 100_000, seq)
}

fn batch_robot_smart_call(
    world: &mut World,
    ctx: &Ctx<'_>,
    params: &BTreeMap<String, String>,
    scripted: Option<ScriptedAnswer>,
) -> Handled {
    let config = ctx.config;
    for name in ["CalledShowNumber", "CalledNumber", "DialogId", "TaskName"] {
        if let Err(e) = required(params, name) {
            return err(e);
        }
    }
    let numbers = split_numbers(param(params, "CalledNumber").unwrap_or(""));
    let shows = split_numbers(param(params, "CalledShowNumber").unwrap_or(""));
    let text = |name: &str| param(params, name).map(str::to_owned);
    let mut entry = RecordedBatchCall {
        received_at: ctx.now,
        task_id: None,
        called_numbers: numbers.clone(),
        called_show_number: text("CalledShowNumber").unwrap_or_default(),
        dialog_id: text("DialogId").unwrap_or_default(),
        task_name: text("TaskName").unwrap_or_default(),
        corp_name: text("CorpName"),
        tts_param_head: text("TtsParamHead"),
        tts_param: text("TtsParam"),
        schedule_call: text("ScheduleCall"),
        schedule_time: text("ScheduleTime"),
        is_self_line: text("IsSelfLine"),
        early_media_asr: text("EarlyMediaAsr"),
        result: RecordedResult {
            http_status: 200,
            code: "OK".into(),
            message: "OK".into(),
            task_id: None,
            delivered: true,
            fault: None,
        },
    };
    let outcome = match scripted {
        Some(answer) => Err(scripted_error(config, &answer)),
        None => check_batch(config, params, &numbers, &shows),
    };
    let reply = match outcome {
        Err(e) => Reply::error(&e),
        Ok(()) => {
            world.task_seq += 1;
            let id = new_task_id(config.seed, world.task_seq);
            let scheduled = bool_param(params, "ScheduleCall").unwrap_or(false);
            let schedule_ms = int_param(params, "ScheduleTime").ok().flatten();
            // A ScheduleTime in the past is not documented as an error; the simulator dials
            // at once (UNCERTAIN).
            let fire_at = match (
                scheduled,
                schedule_ms.and_then(DateTime::from_timestamp_millis),
            ) {
                (true, Some(at)) if at > ctx.now => at,
                _ => ctx.now,
            };
            world.tasks.push(Task {
                id: id.clone(),
                created_at: ctx.now,
                fire_at,
                scheduled: scheduled && fire_at > ctx.now,
                numbers: numbers.clone(),
                show_numbers: shows,
                dialog_id: entry.dialog_id.clone(),
                task_name: entry.task_name.clone(),
                corp_name: entry.corp_name.clone(),
                control: Control::Running,
                deleted: false,
            });
            entry.task_id = Some(id.clone());
            entry.result.task_id = Some(id.clone());
            Reply::ok(vec![("TaskId", Value::from(id))])
        }
    };
    entry.result.http_status = reply.status;
    entry.result.code = reply.code().to_owned();
    entry.result.message = reply.message().to_owned();
    world.record.batch_calls.push(entry);
    Handled {
        reply,
        batch_index: Some(world.record.batch_calls.len() - 1),
    }
}

// ---------------------------------------------------------------------------------------
// Query APIs

/// `Data` as the API sends it: JSON text inside the JSON answer. With the malformed-data
/// fault, the first quote becomes a typographic one, like the docs' own examples (§7.9).
fn data(ctx: &Ctx<'_>, value: &Value) -> Value {
    let text = value.to_string();
    if ctx.malformed_data {
        Value::from(text.replacen('"', "“", 1))
    } else {
        Value::from(text)
    }
}

fn find_task<'a>(world: &'a World, id: &str) -> Option<&'a Task> {
    world.tasks.iter().find(|t| t.id == id && !t.deleted)
}

fn robot_task<'a>(world: &'a World, ctx: &Ctx<'_>, id: &str) -> Result<&'a Task, ApiError> {
    // The docs do not say what an unknown task id answers; isv.INVALID_PARAMETERS is the
    // closest documented code. In `BatchTaskVisibility::Error` mode every (batch) task is
    // unknown to the robot-task APIs.
    let unknown = || {
        business(
            ctx.config,
            "isv.INVALID_PARAMETERS",
            format!("任务不存在: {id}"),
        )
    };
    if ctx.config.batch_task_visibility == BatchTaskVisibility::Error {
        return Err(unknown());
    }
    find_task(world, id).ok_or_else(unknown)
}

fn call_state(ctx: &Ctx<'_>, task: &Task, index: usize) -> CallState {
    let c = ctx.config;
    let forced = task
        .numbers
        .get(index)
        .and_then(|n| c.forced_outcomes.get(n))
        .copied();
    task.call_state(
        index,
        ctx.now,
        c.seed,
        c.call_spacing_ms,
        c.results_after_call_end,
        forced,
    )
}

fn show_number_for(task: &Task, index: usize) -> String {
    if task.show_numbers.is_empty() {
        return String::new();
    }
    task.show_numbers[index % task.show_numbers.len()].clone()
}

fn call_id(task: &Task, index: usize) -> String {
    let biz = 100_000_000 + stable_hash(&[task.id.as_bytes(), &index.to_le_bytes()]) % 900_000_000;
    format!("{}^{biz}", task.id)
}

fn record_url(ctx: &Ctx<'_>, task: &Task, index: usize, outcome: &CallOutcome) -> Option<String> {
    outcome.status.answered.then(|| {
        // Documented: the link is valid for 48 hours.
        let expires = (outcome.ended_at + Duration::hours(48)).timestamp();
        format!(
            "{}/__simulator/recordings/{}_{index}.wav?Expires={expires}",
            ctx.base_url, task.id
        )
    })
}

fn same_cst_day(a: DateTime<Utc>, b: DateTime<Utc>) -> bool {
    a.with_timezone(&cst()).date_naive() == b.with_timezone(&cst()).date_naive()
}

fn task_and_callee(task: &Task, callee: &str) -> Option<usize> {
    task.numbers.iter().position(|n| n == callee)
}

/// The per-callee record of QueryCallDetailByTaskId (field names from `docs/api/dyvms-models.md`;
/// the zh page writes `endDate`, the SDK comment `EndDate` — the simulator uses `endDate`).
fn call_detail_json(ctx: &Ctx<'_>, task: &Task, index: usize, o: &CallOutcome) -> Value {
    let dialog: Vec<Value> = o
        .turns
        .iter()
        .map(|t| json!({"role": t.role, "content": t.content, "time": local_time(t.at)}))
        .collect();
    json!({
        "callId": call_id(task, index),
        "callee": task.numbers[index],
        "calleeShowNumber": show_number_for(task, index),
        "gmtCreate": local_time(o.placed_at),
        "startDate": o.answered_at.map(local_time),
        "endDate": local_time(o.ended_at),
        "duration": o.duration_secs,
        "statusCode": o.status.code.to_string(),
        "stateDesc": o.status.desc,
        "hangupDirection": o.hangup.map(|h| h.code()),
        "dialogCount": o.dialog_count,
        "tags": o.tags.join(","),
        "sureCount": o.sure_count,
        "denyCount": o.deny_count,
        "rejectCount": o.reject_count,
        "customCount": 0,
        "knowledgeCount": o.knowledge_count,
        "knowledgeCommonCount": 0,
        "knowledgeBusinessCount": 0,
        "recordStatus": if o.status.answered { 1 } else { 2 },
        "recordFile": record_url(ctx, task, index, o),
        "dialogDetail": dialog,
    })
}

/// QueryCallDetailByTaskId: one callee, on the day `QueryDate` falls on ("会查询这个时间点对应
/// 那一天的记录"; the day is taken in China Standard Time, a guess). With no record (unknown
/// task or callee, other day, not dialled yet) the answer is `Code: OK` without `Data` —
/// the docs do not say; a client must treat both a missing and an empty `Data` as "no record".
fn query_call_detail_by_task_id(
    world: &World,
    ctx: &Ctx<'_>,
    params: &BTreeMap<String, String>,
) -> Result<Reply, ApiError> {
    let task_id = required(params, "TaskId")?;
    let callee = required(params, "Callee")?;
    required(params, "QueryDate")?;
    let query_ms = int_param(params, "QueryDate")?.unwrap_or(0);
    let query_at =
        DateTime::from_timestamp_millis(query_ms).ok_or_else(|| ApiError::invalid("QueryDate"))?;
    let found = find_task(world, task_id).and_then(|task| {
        let index = task_and_callee(task, callee)?;
        match call_state(ctx, task, index) {
            CallState::Done(o) if same_cst_day(o.placed_at, query_at) => {
                Some(call_detail_json(ctx, task, index, &o))
            }
            _ => None,
        }
    });
    Ok(match found {
        Some(detail) => Reply::ok(vec![("Data", data(ctx, &detail))]),
        None => Reply::ok(vec![]),
    })
}

/// QueryCallDetailByCallId for robot calls (`ProdId` 11030000180001); `CallId` is
/// `taskId^bizId` as the task APIs return it.
fn query_call_detail_by_call_id(
    world: &World,
    ctx: &Ctx<'_>,
    params: &BTreeMap<String, String>,
) -> Result<Reply, ApiError> {
    let wanted = required(params, "CallId")?;
    required(params, "ProdId")?;
    required(params, "QueryDate")?;
    int_param(params, "ProdId")?;
    int_param(params, "QueryDate")?;
    let task_id = wanted.split('^').next().unwrap_or("");
    let found = find_task(world, task_id).and_then(|task| {
        let index = (0..task.numbers.len()).find(|i| call_id(task, *i) == wanted)?;
        match call_state(ctx, task, index) {
            CallState::Done(o) => Some(json!({
                "caller": show_number_for(task, index),
                "callee": task.numbers[index],
                "callerShowNumber": show_number_for(task, index),
                "calleeShowNumber": show_number_for(task, index),
                "gmtCreate": local_time(o.placed_at),
                "startDate": o.answered_at.map(local_time),
                "endDate": local_time(o.ended_at),
                "duration": o.duration_secs,
                "state": o.status.code.to_string(),
                "stateDesc": o.status.desc,
            })),
            _ => None,
        }
    });
    Ok(match found {
        Some(detail) => Reply::ok(vec![("Data", data(ctx, &detail))]),
        None => Reply::ok(vec![]),
    })
}

fn query_robot_info_list(ctx: &Ctx<'_>, params: &BTreeMap<String, String>) -> Reply {
    let wanted = param(params, "AuditStatus");
    let robots: Vec<Value> = DEMO_ROBOTS
        .iter()
        .filter(|r| wanted.is_none_or(|w| w == r.audit_status))
        .map(|r| {
            json!({
                "id": r.id,
                "robotName": r.name,
                "robotType": "SCRIPT",
                "auditStatus": r.audit_status,
                "gmtCreate": "2024-06-01 10:00:00",
                "gmtModified": "2024-06-03 15:30:00",
                "partnerId": 1_000_123,
                "asrId": 0,
                "asrType": "Public",
                "remark": r.remark,
            })
        })
        .collect();
    Reply::ok(vec![("Data", data(ctx, &Value::Array(robots)))])
}

fn query_robot_v2_all_list(ctx: &Ctx<'_>) -> Reply {
    let robots: Vec<Value> = DEMO_ROBOTS
        .iter()
        .map(|r| json!({"id": r.id, "robotName": r.name, "robotType": "SCRIPT"}))
        .collect();
    Reply::ok(vec![("Data", data(ctx, &Value::Array(robots)))])
}

fn page(params: &BTreeMap<String, String>) -> Result<(usize, usize), ApiError> {
    let no = int_param(params, "PageNo")?.unwrap_or(1).max(1) as usize;
    let size = int_param(params, "PageSize")?.unwrap_or(10).clamp(1, 1000) as usize;
    Ok((no, size))
}

fn robot_name(task: &Task) -> &'static str {
    demo_robot(&task.dialog_id)
        .map(|r| r.name)
        .unwrap_or("自定义话术")
}

fn finished_count(ctx: &Ctx<'_>, task: &Task) -> usize {
    (0..task.numbers.len())
        .filter(|i| matches!(call_state(ctx, task, *i), CallState::Done(_)))
        .count()
}

fn task_status(ctx: &Ctx<'_>, task: &Task) -> &'static str {
    task.status(ctx.now, ctx.config.seed, ctx.config.call_spacing_ms)
}

fn query_robot_task_list(
    world: &World,
    ctx: &Ctx<'_>,
    params: &BTreeMap<String, String>,
) -> Result<Reply, ApiError> {
    let (no, size) = page(params)?;
    let status = param(params, "Status");
    let name = param(params, "TaskName");
    let day = param(params, "Time");
    let visible = ctx.config.batch_task_visibility == BatchTaskVisibility::Visible;
    let matching: Vec<&Task> = world
        .tasks
        .iter()
        .rev()
        .filter(|t| visible && !t.deleted)
        .filter(|t| status.is_none_or(|s| s == task_status(ctx, t)))
        .filter(|t| name.is_none_or(|n| t.task_name.contains(n)))
        .filter(|t| {
            day.is_none_or(|d| {
                t.created_at
                    .with_timezone(&cst())
                    .format("%Y-%m-%d")
                    .to_string()
                    == d
            })
        })
        .collect();
    let rows: Vec<Value> = matching
        .iter()
        .skip((no - 1) * size)
        .take(size)
        .map(|t| {
            let c = ctx.config;
            json!({
                "id": t.id,
                "taskName": t.task_name,
                "robotId": t.dialog_id,
                "robotName": robot_name(t),
                "status": task_status(ctx, t),
                "scheduleType": if t.scheduled { "ORDER" } else { "SINGLE" },
                "createTime": dotted_time(t.created_at),
                "fireTime": dotted_time(t.fire_at),
                "completeTime": t.completed_at(ctx.now, c.seed, c.call_spacing_ms).map(dotted_time),
                "totalCount": t.numbers.len(),
                "finishCount": finished_count(ctx, t),
            })
        })
        .collect();
    let mut reply = Reply::ok(vec![("Data", data(ctx, &Value::Array(rows)))]);
    reply
        .fields
        .insert("TotalCount".into(), Value::from(matching.len().to_string()));
    reply
        .fields
        .insert("PageNo".into(), Value::from(no.to_string()));
    reply
        .fields
        .insert("PageSize".into(), Value::from(size.to_string()));
    Ok(reply)
}

fn query_robot_task_detail(
    world: &World,
    ctx: &Ctx<'_>,
    params: &BTreeMap<String, String>,
) -> Result<Reply, ApiError> {
    let id = required(params, "Id")?;
    int_param(params, "Id")?;
    let t = robot_task(world, ctx, id)?;
    let c = ctx.config;
    let detail = json!({
        "Id": t.id,
        "taskName": t.task_name,
        "robotId": t.dialog_id,
        "robotName": robot_name(t),
        "corpName": t.corp_name,
        "caller": t.show_numbers.join(","),
        "numberStatusIdent": false,
        "status": task_status(ctx, t),
        "scheduleType": if t.scheduled { "ORDER" } else { "SINGLE" },
        "retryType": 0,
        "recallStateCodes": "",
        "recallTimes": 0,
        "recallInterval": 0,
        "createTime": local_time(t.created_at),
        "fireTime": local_time(t.fire_at),
        "completeTime": t.completed_at(ctx.now, c.seed, c.call_spacing_ms).map(local_time),
        "filename": null,
        "ossFilePath": null,
    });
    Ok(Reply::ok(vec![("Data", data(ctx, &detail))]))
}

/// One row of QueryRobotTaskCallList / the core of QueryRobotTaskCallDetail.
fn call_row(task: &Task, index: usize, o: &CallOutcome) -> serde_json::Map<String, Value> {
    let row = json!({
        "taskId": task.id,
        "caller": show_number_for(task, index),
        "called": task.numbers[index],
        "duration": o.duration_secs,
        "label": o.tags.join(","),
        "dialogCount": o.dialog_count,
        "callResult": o.status.code.to_string(),
        "hangupDirection": o.hangup.map(|h| h.code()),
        "transferResult": 3,
        "transferNumber": null,
        "transferFailReason": null,
        "callId": call_id(task, index),
        "recallCurTimes": 0,
        "callStartTime": local_time(o.placed_at),
        "callEndTime": local_time(o.ended_at),
        "sureCount": o.sure_count,
        "denyCount": o.deny_count,
        "rejectCount": o.reject_count,
        "customCount": 0,
        "knowledgeCount": o.knowledge_count,
        "defaultCount": 0,
        "knowledgeBusinessCount": 0,
        "knowledgeCommonCount": 0,
    });
    match row {
        Value::Object(map) => map,
        _ => serde_json::Map::new(),
    }
}

fn in_range(
    value: i64,
    params: &BTreeMap<String, String>,
    from: &str,
    to: &str,
) -> Result<bool, ApiError> {
    let lo = int_param(params, from)?;
    let hi = int_param(params, to)?;
    Ok(lo.is_none_or(|lo| value >= lo) && hi.is_none_or(|hi| value <= hi))
}

fn query_robot_task_call_list(
    world: &World,
    ctx: &Ctx<'_>,
    params: &BTreeMap<String, String>,
) -> Result<Reply, ApiError> {
    let id = required(params, "TaskId")?;
    let task = robot_task(world, ctx, id)?;
    let (no, size) = page(params)?;
    let called = param(params, "Called");
    let result = param(params, "CallResult");
    let hangup = param(params, "HangupDirection");
    let mut rows = Vec::new();
    for index in 0..task.numbers.len() {
        let CallState::Done(o) = call_state(ctx, task, index) else {
            continue;
        };
        if called.is_some_and(|c| c != task.numbers[index])
            || result.is_some_and(|r| r != o.status.code.to_string())
            || hangup.is_some_and(|h| o.hangup.map(|x| x.code().to_string()).as_deref() != Some(h))
            || !in_range(
                i64::from(o.duration_secs),
                params,
                "DurationFrom",
                "DurationTo",
            )?
            || !in_range(
                i64::from(o.dialog_count),
                params,
                "DialogCountFrom",
                "DialogCountTo",
            )?
        {
            continue;
        }
        rows.push(Value::Object(call_row(task, index, &o)));
    }
    let page_rows: Vec<Value> = rows.into_iter().skip((no - 1) * size).take(size).collect();
    Ok(Reply::ok(vec![(
        "Data",
        data(ctx, &Value::Array(page_rows)),
    )]))
}

fn query_robot_task_call_detail(
    world: &World,
    ctx: &Ctx<'_>,
    params: &BTreeMap<String, String>,
) -> Result<Reply, ApiError> {
    let id = required(params, "TaskId")?;
    let callee = required(params, "Callee")?;
    required(params, "QueryDate")?;
    int_param(params, "QueryDate")?;
    let task = robot_task(world, ctx, id)?;
    let detail = task_and_callee(task, callee).and_then(|index| match call_state(ctx, task, index) {
        CallState::Done(o) => {
            let mut row = call_row(task, index, &o);
            row.insert("recordStatus".into(), Value::from(if o.status.answered { 1 } else { 2 }));
            row.insert("recordFile".into(), record_url(ctx, task, index, &o).into());
            let dialog: Vec<Value> = o
                .turns
                .iter()
                .map(|t| json!({"role": t.role, "content": t.content, "speakTime": local_time(t.at)}))
                .collect();
            row.insert("dialogDetail".into(), Value::Array(dialog));
            Some(Value::Object(row))
        }
        _ => None,
    });
    Ok(match detail {
        Some(d) => Reply::ok(vec![("Data", data(ctx, &d))]),
        None => Reply::ok(vec![]),
    })
}

/// Start/Stop/CancelOrder/Cancel/Delete. `Data` is "true"/"false" as documented; a request
/// the task's state does not allow answers `Data: "false"` (the docs' own meaning of false).
fn control_task(
    world: &mut World,
    ctx: &Ctx<'_>,
    action: &str,
    params: &BTreeMap<String, String>,
) -> Result<Reply, ApiError> {
    let id = required(params, "TaskId")?.to_owned();
    int_param(params, "TaskId")?;
    robot_task(world, ctx, &id)?;
    let status = world
        .tasks
        .iter()
        .find(|t| t.id == id && !t.deleted)
        .map(|t| task_status(ctx, t))
        .unwrap_or("");
    let now = ctx.now;
    let Some(task) = world.tasks.iter_mut().find(|t| t.id == id && !t.deleted) else {
        return Err(business(
            ctx.config,
            "isv.INVALID_PARAMETERS",
            format!("任务不存在: {id}"),
        ));
    };
    let done = match (action, task.control) {
        // "Cancel a task that has not started".
        ("CancelOrderRobotTask", Control::Running) if status == "INIT" => {
            task.control = Control::Canceled { at: now };
            true
        }
        // "Only a task in progress can be terminated".
        (
            "CancelRobotTask",
            Control::Running | Control::Resumed { .. } | Control::Stopped { .. },
        ) if status == "EXCUTING" || status == "MANUAL_STOP" => {
            task.control = Control::Canceled { at: now };
            true
        }
        ("StopRobotTask", Control::Running) if status == "EXCUTING" => {
            task.control = Control::Stopped { at: now };
            true
        }
        ("StartRobotTask", Control::Stopped { at }) => {
            task.control = Control::Resumed {
                stopped_at: at,
                resumed_at: now,
            };
            true
        }
        // "Delete only tasks that are not started, completed, terminated".
        ("DeleteRobotTask", _) if matches!(status, "INIT" | "FINISH" | "CANCEL") => {
            task.deleted = true;
            true
        }
        _ => false,
    };
    Ok(Reply::ok(vec![("Data", Value::from(done.to_string()))]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mainland_numbers() {
        for ok in [
            "13900001111",
            "+8613900001111",
            "008613900001111",
            "8613900001111",
            "01088881234",
            "057112345678",
        ] {
            assert!(is_mainland_number(ok), "{ok}");
        }
        for bad in [
            "",
            "1390000111",
            "12900001111",
            "139 0000 1111",
            "+1390000111",
            "0013912345678",
            "00001234567",
            "1390000111a",
        ] {
            assert!(!is_mainland_number(bad), "{bad}");
        }
    }

    #[test]
    fn task_ids_are_deterministic_and_distinct() {
        assert_eq!(new_task_id(1, 1), new_task_id(1, 1));
        assert_ne!(new_task_id(1, 1), new_task_id(1, 2));
        assert_eq!(new_task_id(1, 1).len(), 13);
    }
}
