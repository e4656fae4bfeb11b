//! SmartDial's domain core: everything between a marketer's contact sheet and Alibaba Cloud's
//! Voice Service (dyvms, API 2017-05-25), with no Tauri and no web view.
//!
//! The one path the data takes (see `docs/ARCHITECTURE.md`):
//! sheet ─▶ contacts ─▶ TtsParam rows ─▶ batch plan ─▶ signed `BatchRobotSmartCall` requests,
//! journaled in SQLite ─▶ TaskIds ─▶ call results.
//!
//! ```
//! use smartdial_core::text::Localized;
//!
//! let message = Localized::new("号码格式不正确", "The number is not valid");
//! assert_eq!(message.zh_cn, "号码格式不正确");
//! ```

pub mod aliyun;
pub mod campaign;
pub mod capabilities;
pub mod china_time;
pub mod clock;
pub mod compliance;
pub mod error_code;
pub mod json_file;
pub mod os_error;
pub mod paths;
pub mod results;
pub mod secrets;
pub mod settings;
pub mod sheet;
pub mod simulator;
pub mod task_templates;
pub mod text;
