//! Task control: cancelling a scheduled task, stopping and restarting a running one, and
//! the robot-task APIs that may refuse batch task ids.

use chrono::Duration;

use super::*;

#[tokio::test]
async fn scheduled_task_can_be_cancelled_before_it_starts() {
    let rig = Rig::new(SimulatorConfig::demo()).await;
    let at = (t0() + Duration::hours(2)).timestamp_millis().to_string();
    let answer = rig
        .call(
            "BatchRobotSmartCall",
            &[
                ("CalledNumber", "13900000000,13900000001"),
                ("CalledShowNumber", "057112345678"),
                ("DialogId", DEMO_DIALOG_ID),
                ("TaskName", "定时任务"),
                ("CorpName", "公司"),
                ("ScheduleCall", "true"),
                ("ScheduleTime", &at),
            ],
        )
        .await;
    let task = answer.json()["TaskId"].as_str().unwrap().to_owned();
    let list = rig.call("QueryRobotTaskList", &[]).await;
    assert_eq!(list.json()["TotalCount"], "1");
    assert_eq!(list.data()[0]["status"], "INIT");
    assert_eq!(list.data()[0]["scheduleType"], "ORDER");
    let detail = rig.call("QueryRobotTaskDetail", &[("Id", &task)]).await;
    assert_eq!(detail.data()["taskName"], "定时任务");
    let cancel = rig.call("CancelOrderRobotTask", &[("TaskId", &task)]).await;
    assert_eq!(cancel.json()["Data"], "true");
    rig.clock.set(t0() + Duration::hours(3));
    let later = rig.call("QueryRobotTaskList", &[]).await;
    assert_eq!(later.data()[0]["status"], "CANCEL");
    let calls = rig
        .call("QueryRobotTaskCallList", &[("TaskId", &task)])
        .await;
    assert_eq!(calls.data(), Value::Array(vec![]));
    // Cancelling again is refused in Data, not as an error.
    let again = rig.call("CancelOrderRobotTask", &[("TaskId", &task)]).await;
    assert_eq!(
        (again.code(), again.json()["Data"].clone()),
        ("OK".to_owned(), Value::from("false"))
    );
}

#[tokio::test]
async fn stop_restart_cancel_and_delete_a_running_task() {
    let rig = Rig::new(SimulatorConfig {
        call_spacing_ms: 10_000,
        ..SimulatorConfig::demo()
    })
    .await;
    let at = |secs: i64| rig.clock.set(t0() + Duration::seconds(secs));
    let task = rig.batch(&numbers(4)).await.json()["TaskId"]
        .as_str()
        .unwrap()
        .to_owned();
    let id = [("TaskId", task.as_str())];
    let rows = |answer: Answer| answer.data().as_array().map(Vec::len).unwrap_or(0);
    let status = |answer: Answer| answer.data()["status"].as_str().unwrap_or("").to_owned();

    at(15);
    assert_eq!(
        status(rig.call("QueryRobotTaskDetail", &[("Id", &task)]).await),
        "EXCUTING"
    );
    assert_eq!(rig.call("StopRobotTask", &id).await.json()["Data"], "true");
    at(100);
    assert_eq!(
        status(rig.call("QueryRobotTaskDetail", &[("Id", &task)]).await),
        "MANUAL_STOP"
    );
    assert_eq!(rows(rig.call("QueryRobotTaskCallList", &id).await), 2);
    assert_eq!(rig.call("StartRobotTask", &id).await.json()["Data"], "true");
    at(3600);
    assert_eq!(rows(rig.call("QueryRobotTaskCallList", &id).await), 4);
    let list = rig.call("QueryRobotTaskList", &[]).await.data();
    assert_eq!(list[0]["status"], "FINISH");
    assert_eq!(list[0]["finishCount"], 4);
    assert!(list[0]["completeTime"].is_string());
    assert_eq!(
        rig.call("DeleteRobotTask", &id).await.json()["Data"],
        "true"
    );
    let gone = rig.call("QueryRobotTaskDetail", &[("Id", &task)]).await;
    assert_eq!(gone.code(), "isv.INVALID_PARAMETERS");

    // Terminating a running task: callees not dialled yet are never called.
    at(4000);
    let other = rig.batch(&numbers(4)).await.json()["TaskId"]
        .as_str()
        .unwrap()
        .to_owned();
    at(4005);
    assert_eq!(
        rig.call("StopRobotTask", &[("TaskId", "123")]).await.code(),
        "isv.INVALID_PARAMETERS"
    );
    assert_eq!(
        rig.call("CancelRobotTask", &[("TaskId", &other)])
            .await
            .json()["Data"],
        "true"
    );
    at(9000);
    assert_eq!(
        rows(
            rig.call("QueryRobotTaskCallList", &[("TaskId", &other)])
                .await
        ),
        1
    );
    assert_eq!(
        status(rig.call("QueryRobotTaskDetail", &[("Id", &other)]).await),
        "CANCEL"
    );
    // A finished or cancelled task cannot be stopped: Data "false", not an error.
    let refused = rig.call("StopRobotTask", &[("TaskId", &other)]).await;
    assert_eq!(
        (refused.code(), refused.json()["Data"].clone()),
        ("OK".to_owned(), Value::from("false"))
    );
}

#[tokio::test]
async fn robot_task_apis_can_refuse_batch_task_ids() {
    let rig = Rig::new(SimulatorConfig {
        batch_task_visibility: BatchTaskVisibility::Error,
        ..SimulatorConfig::demo()
    })
    .await;
    let task = rig.batch("13900000000").await.json()["TaskId"]
        .as_str()
        .unwrap()
        .to_owned();
    let detail = rig.call("QueryRobotTaskDetail", &[("Id", &task)]).await;
    assert_eq!(
        (detail.status, detail.code()),
        (400, "isv.INVALID_PARAMETERS".to_owned())
    );
    assert_eq!(
        rig.call("QueryRobotTaskList", &[]).await.json()["TotalCount"],
        "0"
    );
    // The per-callee API still works.
    let ms = t0().timestamp_millis().to_string();
    let per_callee = rig
        .call(
            "QueryCallDetailByTaskId",
            &[
                ("TaskId", &task),
                ("Callee", "13900000000"),
                ("QueryDate", &ms),
            ],
        )
        .await;
    assert_eq!(per_callee.data()["callee"], "13900000000");
}
