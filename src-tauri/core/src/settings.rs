//! The user's preferences, kept as JSON in the data folder. Never holds a secret: AccessKey
//! secrets live only in the OS keychain.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::campaign::plan::MAX_BATCH_SIZE;
use crate::compliance::rules::CallingRules;
use crate::error_code::ErrorCode;
use crate::text::{Lang, Localized, UserError};

/// Alibaba Cloud's production endpoint for dyvms.
pub const ALIBABA_ENDPOINT: &str = "https://dyvmsapi.aliyuncs.com";

/// The highest sending rate: the API's 100 calls per second per account.
pub const MAX_QPS: u32 = 100;
/// The most requests in flight at once.
pub const MAX_CONCURRENCY: u32 = 32;

/// What a marketer can change on the Settings page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    /// The dyvms endpoint; the simulator's address while the demo runs.
    pub endpoint: String,
    /// Numbers per `BatchRobotSmartCall` task (1–1000).
    pub batch_size: u32,
    /// Requests per second at most (the API quota is 100/s per account).
    pub qps: u32,
    /// Requests in flight at most.
    pub concurrency: u32,
    /// Reject landlines (the docs disagree on whether BatchRobotSmartCall takes them).
    pub mobile_only: bool,
    pub lang: Lang,
    /// The AccessKey profile used for sending; `None` until one is added.
    pub default_profile: Option<String>,
    /// Look for a newer version when the app starts (files from before this switch load
    /// with it on).
    pub check_updates: bool,
    /// Calling hours and per-number limits (files from before them load the defaults).
    pub calling: CallingRules,
    /// Delete archived call recordings this many days after they were saved; `None` (the
    /// default) keeps them forever. Recordings are evidence: nothing is deleted unless asked.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub recording_keep_days: Option<u32>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            endpoint: ALIBABA_ENDPOINT.to_owned(),
            batch_size: 1000,
            qps: 20,
            concurrency: 4,
            mobile_only: false,
            lang: Lang::ZhCn,
            default_profile: None,
            check_updates: true,
            calling: CallingRules::default(),
            recording_keep_days: None,
        }
    }
}

impl Settings {
    /// Reads the settings file; a missing file gives the defaults.
    pub fn load(path: &Path) -> Result<Settings, UserError> {
        match std::fs::read_to_string(path) {
            Ok(text) => serde_json::from_str(&text).map_err(|err| {
                tracing::warn!(%err, path = %path.display(), "settings file unreadable");
                UserError::new(
                    ErrorCode::SettingsCorrupt,
                    Localized::new(
                        format!("设置文件已损坏:{}", path.display()),
                        format!("The settings file is damaged: {}", path.display()),
                    ),
                    Localized::new(
                        "删除这个文件后重新打开应用,设置会恢复为默认值。",
                        "Delete this file and reopen the app; settings go back to their defaults.",
                    ),
                )
            }),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Settings::default()),
            Err(err) => Err(io_error(ErrorCode::SettingsUnreadable, path, &err)),
        }
    }

    /// Checks the values a user typed; returns the first problem.
    pub fn validate(&self) -> Result<(), UserError> {
        let invalid = |code: ErrorCode, zh: String, en: String, zh_hint: &str, en_hint: &str| {
            Err(UserError::new(
                code,
                Localized::new(zh, en),
                Localized::new(zh_hint, en_hint),
            ))
        };
        let endpoint = self.endpoint.trim();
        if !(endpoint.starts_with("https://") || is_loopback_http(endpoint)) {
            return invalid(
                ErrorCode::SettingsEndpoint,
                format!("服务地址不正确:{endpoint}"),
                format!("The endpoint is not valid: {endpoint}"),
                "请使用 https:// 开头的地址,例如 https://dyvmsapi.aliyuncs.com。",
                "Use an https:// address such as https://dyvmsapi.aliyuncs.com.",
            );
        }
        if !(1..=MAX_BATCH_SIZE as u32).contains(&self.batch_size) {
            return invalid(
                ErrorCode::SettingsBatchSize,
                format!(
                    "每批号码数必须在 1 到 1000 之间(现在是 {})",
                    self.batch_size
                ),
                format!(
                    "Numbers per batch must be 1 to 1000 (now {})",
                    self.batch_size
                ),
                "阿里云每个任务最多接受 1000 个号码。",
                "Alibaba Cloud takes at most 1000 numbers per task.",
            );
        }
        if !(1..=MAX_QPS).contains(&self.qps) {
            return invalid(
                ErrorCode::SettingsQps,
                format!("每秒请求数必须在 1 到 100 之间(现在是 {})", self.qps),
                format!("Requests per second must be 1 to 100 (now {})", self.qps),
                "阿里云接口限制为每个账号每秒 100 次。",
                "The API allows 100 calls per second per account.",
            );
        }
        if !(1..=MAX_CONCURRENCY).contains(&self.concurrency) {
            return invalid(
                ErrorCode::SettingsConcurrency,
                format!(
                    "同时进行的请求数必须在 1 到 32 之间(现在是 {})",
                    self.concurrency
                ),
                format!(
                    "Requests in flight must be 1 to 32 (now {})",
                    self.concurrency
                ),
                "一般保持默认值 4 即可。",
                "The default of 4 suits most networks.",
            );
        }
        if let Some(days) = self.recording_keep_days {
            let max = crate::results::retention::MAX_KEEP_DAYS;
            if !(1..=max).contains(&days) {
                return invalid(
                    ErrorCode::SettingsRecordingKeepDays,
                    format!("录音保留天数必须在 1 到 {max} 之间(现在是 {days})"),
                    format!("Recordings must be kept 1 to {max} days (now {days})"),
                    "不想自动删除录音时，选择“永久保留”。",
                    "Choose “keep forever” to never delete recordings automatically.",
                );
            }
        }
        self.calling.validate()
    }

    /// Validates, then writes atomically (a crash mid-write leaves the old file).
    pub fn save(&self, path: &Path) -> Result<(), UserError> {
        self.validate()?;
        crate::json_file::write_atomic(path, self)
            .map_err(|e| io_error(ErrorCode::SettingsUnwritable, path, &e))
    }
}

fn is_loopback_http(endpoint: &str) -> bool {
    ["http://127.0.0.1", "http://localhost", "http://[::1]"]
        .iter()
        .any(|prefix| endpoint.starts_with(prefix))
}

fn io_error(code: ErrorCode, path: &Path, err: &std::io::Error) -> UserError {
    UserError::new(
        code,
        Localized::new(
            format!(
                "无法读写设置文件 {}：{}。",
                path.display(),
                crate::os_error::io_reason(err).zh_cn
            ),
            format!(
                "Cannot read or write the settings file {}: {err}",
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

    #[test]
    fn missing_file_gives_defaults_and_save_round_trips() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("settings.json");
        assert_eq!(Settings::load(&path).expect("load"), Settings::default());
        let changed = Settings {
            batch_size: 200,
            mobile_only: true,
            lang: Lang::En,
            ..Settings::default()
        };
        changed.save(&path).expect("save");
        assert_eq!(Settings::load(&path).expect("reload"), changed);
    }

    #[test]
    fn out_of_range_values_are_refused_with_a_code() {
        let s = Settings {
            batch_size: 1001,
            ..Settings::default()
        };
        assert_eq!(
            s.validate().expect_err("too big").code,
            ErrorCode::SettingsBatchSize
        );
        let s = Settings {
            endpoint: "http://example.com".into(),
            ..Settings::default()
        };
        assert_eq!(
            s.validate().expect_err("plain http").code,
            ErrorCode::SettingsEndpoint
        );
        let s = Settings {
            endpoint: "http://127.0.0.1:8080".into(),
            ..Settings::default()
        };
        assert!(s.validate().is_ok(), "the simulator runs on loopback http");
        for (days, ok) in [
            (Some(0), false),
            (Some(1), true),
            (Some(3651), false),
            (None, true),
        ] {
            let s = Settings {
                recording_keep_days: days,
                ..Settings::default()
            };
            match s.validate() {
                Ok(()) => assert!(ok, "{days:?} accepted"),
                Err(e) => {
                    assert!(!ok, "{days:?} refused");
                    assert_eq!(e.code, ErrorCode::SettingsRecordingKeepDays);
                }
            }
        }
    }

    #[test]
    fn a_damaged_file_says_what_to_do() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("settings.json");
        std::fs::write(&path, "{not json").expect("write");
        let err = Settings::load(&path).expect_err("corrupt");
        assert_eq!(err.code, ErrorCode::SettingsCorrupt);
        assert!(err.hint.en.contains("Delete this file"));
    }

    #[test]
    fn older_files_missing_fields_still_load() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("settings.json");
        std::fs::write(&path, r#"{"batchSize": 50}"#).expect("write");
        let s = Settings::load(&path).expect("load");
        assert_eq!(s.batch_size, 50);
        assert_eq!(s.endpoint, ALIBABA_ENDPOINT);
        assert!(
            s.check_updates,
            "files from before the update switch check for updates"
        );
        assert_eq!(
            s.calling,
            CallingRules::default(),
            "older files get the default rules"
        );
        assert_eq!(s.recording_keep_days, None, "recordings are kept forever");
        std::fs::write(&path, r#"{"checkUpdates": false}"#).expect("write");
        assert!(!Settings::load(&path).expect("load").check_updates);
    }
}
