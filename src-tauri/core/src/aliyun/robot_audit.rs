//! A robot's review state (`QueryRobotInfoList`'s `AuditStatus`, `docs/api/dyvms-models.md`)
//! in the marketer's words, with what to do about it. Only a script that passed review
//! can be called with; "AUDITING" is a wait, not a failure.

use serde::{Deserialize, Serialize};

use super::models::RobotInfo;
use crate::text::{echo, Localized};

/// What the robot list shows beside a robot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct RobotAudit {
    /// Passed review: calls with it are accepted.
    pub callable: bool,
    /// The state, e.g. "审核中".
    pub label: Localized,
    /// What the marketer does next.
    pub advice: Localized,
}

/// A robot as the task step lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct RobotChoice {
    pub robot: RobotInfo,
    pub audit: RobotAudit,
}

impl RobotChoice {
    pub fn new(robot: RobotInfo) -> RobotChoice {
        let audit = audit(robot.audit_status.as_deref());
        RobotChoice { robot, audit }
    }
}

/// The review state `status` in words.
pub fn audit(status: Option<&str>) -> RobotAudit {
    let word = status.map(str::trim).unwrap_or_default();
    let (callable, label, advice) = match word.to_ascii_uppercase().as_str() {
        "AUDITPASS" => (
            true,
            Localized::new("已通过审核", "Approved"),
            Localized::new("可以用来外呼", "Ready to call with"),
        ),
        "AUDITING" => (
            false,
            Localized::new("审核中", "Under review"),
            Localized::new(
                "阿里云正在审核这个话术，通过后才能外呼：请稍后点“重新读取机器人列表”再看",
                "Alibaba Cloud is reviewing this script; it can call once approved: reload the robot list later",
            ),
        ),
        "AUDITFAIL" => (
            false,
            Localized::new("审核未通过", "Review failed"),
            Localized::new(
                "请在阿里云语音服务控制台修改话术后重新提交审核，或换一个已通过审核的机器人",
                "Change the script in the Alibaba Cloud voice console and submit it again, or pick an approved robot",
            ),
        ),
        "CONFIGURABLE" => (
            false,
            Localized::new("还没提交审核", "Not submitted for review"),
            Localized::new(
                "话术还在编辑中：请在阿里云语音服务控制台配置好并提交审核，通过后才能外呼",
                "The script is still being edited: finish it in the Alibaba Cloud voice console and submit it for review",
            ),
        ),
        _ => {
            let shown = if word.is_empty() {
                "—".to_owned()
            } else {
                echo(word).into_owned()
            };
            (
                false,
                Localized::new(
                    format!("审核状态不明（{shown}）"),
                    format!("Review state unknown ({shown})"),
                ),
                Localized::new(
                    "请在阿里云语音服务控制台查看这个话术是否已通过审核",
                    "Check in the Alibaba Cloud voice console whether this script was approved",
                ),
            )
        }
    };
    RobotAudit {
        callable,
        label,
        advice,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_state_has_words_and_only_a_pass_can_call() {
        let pass = audit(Some("AUDITPASS"));
        assert!(pass.callable);
        let waiting = audit(Some("AUDITING"));
        assert!(!waiting.callable);
        assert_eq!(waiting.label.zh_cn, "审核中");
        assert_eq!(audit(Some("AUDITFAIL")).label.zh_cn, "审核未通过");
        assert_eq!(audit(Some("CONFIGURABLE")).label.zh_cn, "还没提交审核");
        for s in ["AUDITPASS", "AUDITING", "AUDITFAIL", "CONFIGURABLE"] {
            let a = audit(Some(s));
            assert!(
                !a.label.zh_cn.contains(s) && !a.advice.zh_cn.is_empty(),
                "{s}"
            );
        }
    }

    #[test]
    fn an_unknown_state_is_named_not_guessed() {
        let a = audit(Some("NEWSTATE"));
        assert!(!a.callable);
        assert!(a.label.zh_cn.contains("NEWSTATE"));
        assert!(audit(None).label.zh_cn.contains("—"));
    }
}
