//! The demo account's robots (communication scripts), as `QueryRobotInfoList` lists them.

/// One robot of the demo account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoRobot {
    /// The robot id, which is the `DialogId` of BatchRobotSmartCall.
    pub id: u64,
    pub name: &'static str,
    /// CONFIGURABLE, AUDITING, AUDITPASS or AUDITFAIL (`docs/api/dyvms-models.md`).
    pub audit_status: &'static str,
    pub remark: &'static str,
}

/// A DialogId that works in demo mode: the first approved robot.
pub const DEMO_DIALOG_ID: &str = "100002970001";

/// The demo robots; only AUDITPASS ones are meant for calling.
pub const DEMO_ROBOTS: [DemoRobot; 5] = [
    DemoRobot {
        id: 100_002_970_001,
        name: "会员回访机器人",
        audit_status: "AUDITPASS",
        remark: "会员到期前回访",
    },
    DemoRobot {
        id: 100_002_970_002,
        name: "新品推广助手",
        audit_status: "AUDITPASS",
        remark: "双十一新品活动通知",
    },
    DemoRobot {
        id: 100_002_970_003,
        name: "满意度调查",
        audit_status: "AUDITING",
        remark: "",
    },
    DemoRobot {
        id: 100_002_970_004,
        name: "逾期提醒",
        audit_status: "AUDITFAIL",
        remark: "话术含敏感词，请修改后重新提交",
    },
    DemoRobot {
        id: 100_002_970_005,
        name: "草稿话术",
        audit_status: "CONFIGURABLE",
        remark: "",
    },
];

/// The demo robot with this DialogId.
pub fn demo_robot(dialog_id: &str) -> Option<DemoRobot> {
    DEMO_ROBOTS
        .iter()
        .copied()
        .find(|r| r.id.to_string() == dialog_id)
}
