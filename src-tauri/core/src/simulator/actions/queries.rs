//! The query actions: call details by task or call, robots, robot tasks and their calls.

use super::*;

/// The per-callee record of QueryCallDetailByTaskId (field names from `docs/api/dyvms-models.md`;
/// the zh page writes `endDate`, the SDK comment `EndDate` — the simulator uses `endDate`).
pub(super) fn call_detail_json(ctx: &Ctx<'_>, task: &Task, index: usize, o: &CallOutcome) -> Value {
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
pub(super) fn query_call_detail_by_task_id(
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
pub(super) fn query_call_detail_by_call_id(
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

pub(super) fn query_robot_info_list(ctx: &Ctx<'_>, params: &BTreeMap<String, String>) -> Reply {
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

pub(super) fn query_robot_v2_all_list(ctx: &Ctx<'_>) -> Reply {
    let robots: Vec<Value> = DEMO_ROBOTS
        .iter()
        .map(|r| json!({"id": r.id, "robotName": r.name, "robotType": "SCRIPT"}))
        .collect();
    Reply::ok(vec![("Data", data(ctx, &Value::Array(robots)))])
}

pub(super) fn page(params: &BTreeMap<String, String>) -> Result<(usize, usize), ApiError> {
    let no = int_param(params, "PageNo")?.unwrap_or(1).max(1) as usize;
    let size = int_param(params, "PageSize")?.unwrap_or(10).clamp(1, 1000) as usize;
    Ok((no, size))
}

pub(super) fn robot_name(task: &Task) -> &'static str {
    demo_robot(&task.dialog_id)
        .map(|r| r.name)
        .unwrap_or("自定义话术")
}

pub(super) fn finished_count(ctx: &Ctx<'_>, task: &Task) -> usize {
    (0..task.numbers.len())
        .filter(|i| matches!(call_state(ctx, task, *i), CallState::Done(_)))
        .count()
}

pub(super) fn task_status(ctx: &Ctx<'_>, task: &Task) -> &'static str {
    task.status(ctx.now, ctx.config.seed, ctx.config.call_spacing_ms)
}

pub(super) fn query_robot_task_list(
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

pub(super) fn query_robot_task_detail(
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
pub(super) fn call_row(
    task: &Task,
    index: usize,
    o: &CallOutcome,
) -> serde_json::Map<String, Value> {
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

pub(super) fn in_range(
    value: i64,
    params: &BTreeMap<String, String>,
    from: &str,
    to: &str,
) -> Result<bool, ApiError> {
    let lo = int_param(params, from)?;
    let hi = int_param(params, to)?;
    Ok(lo.is_none_or(|lo| value >= lo) && hi.is_none_or(|hi| value <= hi))
}

pub(super) fn query_robot_task_call_list(
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

pub(super) fn query_robot_task_call_detail(
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
