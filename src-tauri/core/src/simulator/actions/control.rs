//! Starting, stopping, cancelling and deleting robot tasks.

use super::queries::task_status;
use super::*;

/// Start/Stop/CancelOrder/Cancel/Delete. `Data` is "true"/"false" as documented; a request
/// the task's state does not allow answers `Data: "false"` (the docs' own meaning of false).
pub(super) fn control_task(
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
