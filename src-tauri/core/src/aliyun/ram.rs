//! The least-privilege RAM policy a SmartDial AccessKey needs, and the permission a refused
//! call was missing.
//!
//! Alibaba Cloud names a dyvms permission `dyvms:<Action>` and dyvms grants only at service
//! level, so `Resource` is `*` (`docs/ram-policy.md`). [`ACTIONS`] is the one list of actions
//! the typed client sends: the policy the app shows is generated from it, and the tests prove
//! it matches the client's methods exactly.

use serde::Serialize;

use super::error::ApiError;
use crate::error_code::ErrorCode;
use crate::text::{Localized, UserError};

/// RAM's code for the Voice Service.
pub const RAM_CODE: &str = "dyvms";

/// Every action the client's typed methods call (`Client::call` with any other name is the
/// CLI's `smartdial api` escape hatch, which the policy deliberately does not cover).
pub const ACTIONS: &[&str] = &[
    // Sending a campaign.
    "BatchRobotSmartCall",
    // Choosing the robot; verifying a profile.
    "QueryRobotInfoList",
    // Reading results.
    "QueryCallDetailByTaskId",
    "QueryRobotTaskList",
    "QueryRobotTaskCallList",
    "QueryRobotTaskCallDetail",
    "QueryRobotTaskDetail",
    // Controlling a task from the results page.
    "CancelOrderRobotTask",
    "StopRobotTask",
    "CancelRobotTask",
];

/// Codes with which Alibaba Cloud refuses a call the AccessKey's RAM user may not make: the
/// POP gateway's `Forbidden.RAM` ("User not authorized to operate on the specified resource,
/// or this API doesn't support RAM."), the newer gateway's `NoPermission` family, and dyvms'
/// own `isp.RAM_PERMISSION_DENY`.
pub const PERMISSION_CODES: &[&str] = &[
    "Forbidden.RAM",
    "Forbidden.NoPermission",
    "NoPermission",
    "isp.RAM_PERMISSION_DENY",
];

/// Whether `code` says the RAM user lacks a permission.
pub fn is_permission_denied(code: &str) -> bool {
    PERMISSION_CODES.contains(&code) || code.starts_with("NoPermission")
}

/// `dyvms:<action>`, as a RAM policy names it.
pub fn permission_name(action: &str) -> String {
    format!("{RAM_CODE}:{action}")
}

/// What the first-run guide shows: the policy to paste and the permissions it grants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct RamPolicy {
    /// Suggested name for the custom policy in the RAM console.
    pub name: String,
    /// The policy document, pretty-printed JSON, ready to paste.
    pub document: String,
    /// `dyvms:…` permissions it allows, in the order of the document.
    pub permissions: Vec<String>,
    /// The RAM console's user list (create the RAM user, grant it the policy).
    pub users_url: String,
    /// The RAM console's policy list (create the custom policy).
    pub policies_url: String,
}

/// RAM console pages the guide links to.
pub const RAM_CONSOLE_USERS: &str = "https://ram.console.aliyun.com/users";
pub const RAM_CONSOLE_POLICIES: &str = "https://ram.console.aliyun.com/policies";

/// The suggested name of the custom policy.
pub const POLICY_NAME: &str = "SmartDialOutboundCalls";

/// The policy document as JSON.
pub fn policy_document() -> serde_json::Value {
    serde_json::json!({
        "Version": "1",
        "Statement": [{
            "Effect": "Allow",
            "Action": ACTIONS.iter().map(|a| permission_name(a)).collect::<Vec<_>>(),
            "Resource": "*",
        }],
    })
}

/// The policy as the guide shows it.
pub fn ram_policy() -> RamPolicy {
    let document = serde_json::to_string_pretty(&policy_document())
        .unwrap_or_else(|_| unreachable!("a json! value always serialises"));
    RamPolicy {
        name: POLICY_NAME.to_owned(),
        document,
        permissions: ACTIONS.iter().map(|a| permission_name(a)).collect(),
        users_url: RAM_CONSOLE_USERS.to_owned(),
        policies_url: RAM_CONSOLE_POLICIES.to_owned(),
    }
}

/// The user's view of a permission refusal: which `dyvms:` permission is missing and where
/// to add it. The code stays `aliyun.<Code>` like every other API error.
pub fn permission_user_error(api: &ApiError) -> UserError {
    let permission = permission_name(&api.action);
    let server = api.short_message();
    let request_id = api
        .request_id
        .as_deref()
        .map(|id| (format!("(RequestId:{id})"), format!(" (RequestId: {id})")))
        .unwrap_or_default();
    UserError::new(
        ErrorCode::aliyun(&api.code),
        Localized::new(
            format!(
                "这个 AccessKey 没有 {permission} 权限,阿里云拒绝了请求(阿里云:{} {server})。",
                api.code
            ),
            format!(
                "This AccessKey lacks the {permission} permission, so Alibaba Cloud refused the request (Alibaba Cloud: {} {server}).",
                api.code
            ),
        ),
        Localized::new(
            format!(
                "请主账号管理员在 RAM 控制台({RAM_CONSOLE_USERS})给这个 AccessKey 所属的 RAM 用户授权:添加 SmartDial 的自定义权限策略(“如何获取 AccessKey”里可以复制),或至少允许 {permission}。授权后重新验证。{}",
                request_id.0
            ),
            format!(
                "Ask the main account's administrator to grant the AccessKey's RAM user this permission in the RAM console ({RAM_CONSOLE_USERS}): attach SmartDial's custom policy (copy it from \"How to get an AccessKey\"), or at least allow {permission}. Then verify again.{}",
                request_id.1
            ),
        ),
    )
}

#[cfg(test)]
#[allow(clippy::expect_used, clippy::unwrap_used)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::aliyun::error::{CallError, Diagnosis};
    use crate::aliyun::tasks::TaskControl;

    /// Every action name a typed client method sends, read from the client's own sources:
    /// each method names its action in a `const ACTION: &str = "…"`, and task control in
    /// [`TaskControl::action`].
    fn actions_in_client_sources() -> BTreeSet<String> {
        let mut found = BTreeSet::new();
        for source in [include_str!("client.rs"), include_str!("tasks.rs")] {
            for line in source.lines() {
                let line = line.trim();
                if let Some(rest) = line.strip_prefix("const ACTION: &str = \"") {
                    found.insert(rest.trim_end_matches("\";").to_owned());
                }
            }
        }
        found.extend(TaskControl::ALL.iter().map(|c| c.action().to_owned()));
        found
    }

    #[test]
    fn the_policy_lists_exactly_the_actions_the_client_calls() {
        let in_sources = actions_in_client_sources();
        assert!(in_sources.len() >= 10, "parsed only {in_sources:?}");
        let listed: BTreeSet<String> = ACTIONS.iter().map(|a| (*a).to_owned()).collect();
        assert_eq!(listed.len(), ACTIONS.len(), "ACTIONS has a duplicate");
        assert_eq!(listed, in_sources);

        let doc = policy_document();
        let statement = &doc["Statement"][0];
        assert_eq!(doc["Version"], "1");
        assert_eq!(statement["Effect"], "Allow");
        assert_eq!(statement["Resource"], "*");
        let granted: BTreeSet<String> = statement["Action"]
            .as_array()
            .expect("an action list")
            .iter()
            .map(|a| a.as_str().expect("a string").to_owned())
            .collect();
        let wanted: BTreeSet<String> = in_sources.iter().map(|a| format!("dyvms:{a}")).collect();
        assert_eq!(granted, wanted);
        assert!(
            !granted.iter().any(|a| a.contains('*')),
            "no wildcard: least privilege"
        );
    }

    #[test]
    fn the_shown_policy_is_the_document_as_pasteable_json() {
        let policy = ram_policy();
        let parsed: serde_json::Value = serde_json::from_str(&policy.document).expect("valid JSON");
        assert_eq!(parsed, policy_document());
        assert_eq!(policy.permissions.len(), ACTIONS.len());
        assert!(policy
            .permissions
            .contains(&"dyvms:BatchRobotSmartCall".to_owned()));
    }

    /// `docs/ram-policy.md` shows the policy, and the Playwright test that takes the guide's
    /// screenshot reads it from there: it must be the generated text, byte for byte.
    #[test]
    fn the_documented_policy_is_the_generated_one() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/ram-policy.md");
        let doc = std::fs::read_to_string(&path).expect("docs/ram-policy.md");
        let start = doc.find("```json\n").expect("a JSON block") + "```json\n".len();
        let end = start + doc[start..].find("\n```").expect("its end");
        assert_eq!(&doc[start..end], ram_policy().document);
    }

    #[test]
    fn permission_codes_are_recognised_and_others_are_not() {
        for code in PERMISSION_CODES {
            assert!(is_permission_denied(code), "{code}");
        }
        assert!(is_permission_denied("NoPermission.Dyvms"));
        for code in [
            "SignatureDoesNotMatch",
            "InvalidAccessKeyId.NotFound",
            "isv.ASR_MODEL_ERROR",
            "Forbidden",
        ] {
            assert!(!is_permission_denied(code), "{code}");
        }
    }

    #[test]
    fn a_refusal_names_the_missing_permission_in_both_languages() {
        let err = CallError::Api(Box::new(ApiError {
            action: "QueryRobotInfoList".into(),
            write: false,
            http_status: 400,
            code: "Forbidden.RAM".into(),
            message: "User not authorized to operate on the specified resource, or this API doesn't support RAM.".into(),
            request_id: Some("REQ-9".into()),
            diagnosis: Diagnosis::None,
        }))
        .to_user_error();
        assert_eq!(err.code, "aliyun.Forbidden.RAM");
        assert!(err.message.zh_cn.contains("dyvms:QueryRobotInfoList"));
        assert!(err
            .message
            .en
            .contains("lacks the dyvms:QueryRobotInfoList permission"));
        assert!(err.hint.zh_cn.contains("RAM 控制台"));
        assert!(err.hint.en.contains("REQ-9"));
    }
}
