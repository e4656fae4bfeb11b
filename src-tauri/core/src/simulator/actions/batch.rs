//! `BatchRobotSmartCall`: the documented checks, scripted answers, and a new task per
//! accepted call.

use super::*;

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

pub(super) fn split_numbers(list: &str) -> Vec<String> {
    list.split(',').map(str::to_owned).collect()
}

/// Messages for scripted answers: the documented meanings (`docs/api/dyvms.md` §5.2).
pub(super) fn known_message(code: &str) -> Option<&'static str> {
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

pub(super) fn scripted_error(config: &SimulatorConfig, answer: &ScriptedAnswer) -> ApiError {
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
pub(super) fn check_batch(
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
pub(super) fn check_tts(
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

pub(super) fn new_task_id(seed: u64, seq: u64) -> String {
    format!("4{:05}{:07}", splitmix(seed) % 100_000, seq)
}

pub(super) fn batch_robot_smart_call(
    world: &mut World,
    ctx: &Ctx<'_>,
    params: &BTreeMap<String, String>,
    scripted: Option<BatchScript>,
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
    let outcome = match &scripted {
        Some(BatchScript::Answer(answer)) => Err(scripted_error(config, answer)),
        _ => check_batch(config, params, &numbers, &shows),
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
            if scripted == Some(BatchScript::OkWithoutTaskId) {
                // The task exists and runs; only the answer lacks its id.
                Reply::ok(vec![])
            } else {
                entry.result.task_id = Some(id.clone());
                Reply::ok(vec![("TaskId", Value::from(id))])
            }
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
