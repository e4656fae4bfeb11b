//! Reusable task settings: the robot, caller numbers, company name and options a marketer
//! used last are offered as the starting point of the next campaign, and named templates
//! can be saved ("双十二回访机器人"). The task name and the schedule belong to one campaign
//! and are not kept. A JSON file in the data folder; never holds a secret.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error_code::ErrorCode;
use crate::text::{echo, Localized, UserError};

/// The longest template name.
pub const MAX_NAME_CHARS: usize = 40;

/// The parts of a campaign's task settings worth reusing.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", default)]
pub struct TaskTemplate {
    pub dialog_id: String,
    pub caller_numbers: Vec<String>,
    pub corp_name: Option<String>,
    pub is_self_line: bool,
    pub early_media_asr: bool,
}

/// The file's content.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", default)]
pub struct TaskTemplates {
    /// What the last campaign was started with.
    pub last_used: Option<TaskTemplate>,
    /// Saved by name, listed in name order.
    pub named: BTreeMap<String, TaskTemplate>,
}

impl TaskTemplates {
    /// Reads the file; a missing one is empty. A damaged one is reported, so a template is
    /// never silently lost.
    pub fn load(path: &Path) -> Result<TaskTemplates, UserError> {
        match std::fs::read_to_string(path) {
            Ok(text) => serde_json::from_str(&text).map_err(|err| {
                tracing::warn!(%err, path = %path.display(), "task templates unreadable");
                UserError::new(
                    ErrorCode::TemplatesCorrupt,
                    Localized::new(
                        format!("任务模板文件已损坏：{}", path.display()),
                        format!("The task templates file is damaged: {}", path.display()),
                    ),
                    Localized::new(
                        "删除这个文件后重新打开应用；已保存的模板需要重新保存。",
                        "Delete this file and reopen the app; saved templates need saving again.",
                    ),
                )
            }),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(TaskTemplates::default()),
            Err(err) => Err(io_error(path, &err)),
        }
    }

    /// Writes atomically (a crash mid-write leaves the old file).
    pub fn save(&self, path: &Path) -> Result<(), UserError> {
        crate::json_file::write_atomic(path, self).map_err(|e| io_error(path, &e))
    }

    /// Saves `template` under `name` (replacing one of the same name).
    pub fn put(&mut self, name: &str, template: TaskTemplate) -> Result<(), UserError> {
        let name = name.trim();
        if name.is_empty()
            || name.chars().count() > MAX_NAME_CHARS
            || name.chars().any(char::is_control)
        {
            return Err(UserError::new(
                ErrorCode::TemplatesBadName,
                Localized::new(
                    format!("模板名称“{}”不能用。", echo(name)),
                    format!("\"{}\" cannot be a template name.", echo(name)),
                ),
                Localized::new(
                    format!("请用 1 到 {MAX_NAME_CHARS} 个字，例如“双十二回访机器人”。"),
                    format!(
                        "Use 1 to {MAX_NAME_CHARS} characters, e.g. \"December follow-up robot\"."
                    ),
                ),
            ));
        }
        self.named.insert(name.to_owned(), template);
        Ok(())
    }

    /// Removes a named template; true if it existed.
    pub fn remove(&mut self, name: &str) -> bool {
        self.named.remove(name.trim()).is_some()
    }
}

fn io_error(path: &Path, err: &std::io::Error) -> UserError {
    UserError::new(
        ErrorCode::TemplatesUnwritable,
        Localized::new(
            format!(
                "无法读写任务模板文件 {}：{}。",
                path.display(),
                crate::os_error::io_reason(err).zh_cn
            ),
            format!(
                "Cannot read or write the task templates file {}: {err}",
                path.display()
            ),
        ),
        Localized::new(
            "请检查数据文件夹是否存在并且可以写入。",
            "Check that the data folder exists and is writable.",
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn robot() -> TaskTemplate {
        TaskTemplate {
            dialog_id: "100001".into(),
            caller_numbers: vec!["057112345678".into()],
            corp_name: Some("示例公司".into()),
            is_self_line: false,
            early_media_asr: true,
        }
    }

    #[test]
    fn templates_and_the_last_used_settings_round_trip() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("task-templates.json");
        let mut t = TaskTemplates::load(&path).expect("missing is empty");
        assert_eq!(t, TaskTemplates::default());
        t.last_used = Some(robot());
        t.put(" 双十二回访 ", robot()).expect("put");
        t.save(&path).expect("save");
        let back = TaskTemplates::load(&path).expect("load");
        assert_eq!(back, t);
        assert!(back.named.contains_key("双十二回访"), "names are trimmed");
        let mut back = back;
        assert!(back.remove("双十二回访"));
        assert!(!back.remove("双十二回访"));
    }

    #[test]
    fn bad_names_and_damaged_files_say_what_to_do() {
        let mut t = TaskTemplates::default();
        for bad in ["", "   ", "a\nb", &"长".repeat(41)] {
            assert_eq!(
                t.put(bad, robot()).expect_err(bad).code,
                ErrorCode::TemplatesBadName
            );
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("task-templates.json");
        std::fs::write(&path, "{not json").expect("write");
        let err = TaskTemplates::load(&path).expect_err("damaged");
        assert_eq!(err.code, ErrorCode::TemplatesCorrupt);
    }
}
