//! The business layer: what each simulated action does once the gateway let it through.
//!
//! Rules and codes come from `docs/api/dyvms.md` §4–§7 and `docs/api/dyvms-models.md`.
//! Where the docs name a rule but not the code the server answers with, the choice is
//! commented as a guess.

mod batch;
mod control;
mod queries;

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

use super::config::{BatchTaskVisibility, SimulatorConfig};
use super::faults::{BatchScript, ScriptedAnswer};
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
    scripted: Option<BatchScript>,
) -> Handled {
    let result = match action {
        "BatchRobotSmartCall" => {
            return batch::batch_robot_smart_call(world, ctx, params, scripted)
        }
        "QueryCallDetailByTaskId" => queries::query_call_detail_by_task_id(world, ctx, params),
        "QueryCallDetailByCallId" => queries::query_call_detail_by_call_id(world, ctx, params),
        "QueryRobotInfoList" => Ok(queries::query_robot_info_list(ctx, params)),
        "QueryRobotv2AllList" => Ok(queries::query_robot_v2_all_list(ctx)),
        "QueryRobotTaskList" => queries::query_robot_task_list(world, ctx, params),
        "QueryRobotTaskDetail" => queries::query_robot_task_detail(world, ctx, params),
        "QueryRobotTaskCallList" => queries::query_robot_task_call_list(world, ctx, params),
        "QueryRobotTaskCallDetail" => queries::query_robot_task_call_detail(world, ctx, params),
        "StartRobotTask"
        | "StopRobotTask"
        | "CancelOrderRobotTask"
        | "CancelRobotTask"
        | "DeleteRobotTask" => control::control_task(world, ctx, action, params),
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
// What several actions ask about a task

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
        // Documented: the link is valid for 48 hours from when it is issued, so every query
        // hands out a fresh one (an archive renews an expired link by asking again).
        let expires = (ctx.now.max(outcome.ended_at) + Duration::hours(48)).timestamp();
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

pub use batch::is_mainland_number;
