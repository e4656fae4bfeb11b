//! The batch plan: validated contacts split into `BatchRobotSmartCall`-sized batches.
//!
//! The settings are [`TaskSettings`] (`campaign/settings.rs`); the batches are filled by
//! the packer (`plan/packer.rs`), refusals are [`PlanError`] (`plan/error.rs`), and a plan
//! is stored and read back in the format of `plan/stored.rs`.
//!
//! A [`BatchPlan`] can only be built from a [`ContactList`] (every number normalised,
//! duplicates and blocked rows left out) and checked [`TaskSettings`]; the sending engine
//! takes a plan, never loose strings.
//!
//! ```
//! use smartdial_core::campaign::plan::{BatchPlan, BatchSize, TaskSettings};
//! use smartdial_core::sheet::contacts::{ContactList, ValidationOptions};
//!
//! let contacts = ContactList::from_rows(
//!     &["name"],
//!     [vec!["13800138000", "张三"], vec!["139 0013 9000", "李四"]],
//!     ValidationOptions::default(),
//! ).unwrap();
//! let settings = TaskSettings {
//!     dialog_id: "123".into(),
//!     caller_numbers: vec!["057188880000".into()],
//!     corp_name: Some("示例公司".into()),
//!     is_self_line: false,
//!     early_media_asr: false,
//!     schedule_time_ms: None,
//!     task_name: "五月回访".into(),
//! };
//! let plan = BatchPlan::build(&contacts, &settings, BatchSize::new(1).unwrap()).unwrap();
//! assert_eq!(plan.batches().len(), 2);
//! assert_eq!(plan.batches()[1].task_name, "五月回访 (2/2)");
//! assert_eq!(plan.batches()[0].tts_param().as_deref(),
//!            Some(r#"[{"number":"13800138000","params":["张三"]}]"#));
//! ```

mod error;
mod packer;
mod stored;

use serde::{Deserialize, Serialize};

pub use self::error::PlanError;
use self::packer::Packer;
use self::stored::BatchPlanParts;
pub use self::stored::PlannedBatchJson;
use super::model::NewBatch;
pub use super::numbers::CalledNumbers;
pub use super::settings::TaskSettings;
use super::tts::TtsValues;
use crate::sheet::contacts::ContactList;

pub use crate::aliyun::validate::MAX_TASK_NAME_CHARS;
/// The batch size is a setting within the API's `CalledNumber` cap.
pub const MAX_BATCH_SIZE: usize = crate::aliyun::validate::MAX_CALLED_NUMBERS;
/// `CalledShowNumber` limit per request.
pub const MAX_CALLER_NUMBERS: usize = crate::aliyun::validate::MAX_SHOW_NUMBERS;
/// The longest encoded parameter string a batch may have: the action's own parameters as
/// the signer encodes them (`CalledNumber=…&…&TtsParam=…`). The client sends every
/// parameter in the URL (as Alibaba's SDKs do), and a URL over 64 KiB is refused by the
/// HTTP stack (and by many gateways well before that), so this leaves room for the common
/// parameters, the signature and the host. [`BatchPlan::build`] starts a new batch before a
/// batch would outgrow it; a TtsParam with one short Chinese variable takes ~110 bytes per
/// number once encoded, so such batches hold ~500 numbers.
pub const MAX_ENCODED_PARAMS: usize = 60_000;

/// Numbers per batch, 1–1000 (default 1000).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "usize", into = "usize")]
pub struct BatchSize(usize);

impl BatchSize {
    pub fn new(size: usize) -> Result<BatchSize, PlanError> {
        if (1..=MAX_BATCH_SIZE).contains(&size) {
            Ok(BatchSize(size))
        } else {
            Err(PlanError::BatchSizeInvalid { size })
        }
    }

    pub fn get(self) -> usize {
        self.0
    }
}

impl Default for BatchSize {
    fn default() -> Self {
        BatchSize(MAX_BATCH_SIZE)
    }
}

impl TryFrom<usize> for BatchSize {
    type Error = PlanError;
    fn try_from(size: usize) -> Result<Self, PlanError> {
        BatchSize::new(size)
    }
}

impl From<BatchSize> for usize {
    fn from(b: BatchSize) -> usize {
        b.0
    }
}

/// One `BatchRobotSmartCall` request's worth of contacts. Numbers and template values are
/// held compactly (as a string per number plus the full TtsParam JSON, a million contacts
/// took 140 MB; now 65 MB); the exact parameters come from [`CalledNumbers::as_param`] and
/// [`PlannedBatch::tts_param`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "PlannedBatchJson")]
pub struct PlannedBatch {
    /// 0-based position in the plan.
    pub index: usize,
    /// At most 30 characters, suffix included.
    pub task_name: String,
    /// Normalised numbers (ASCII digits), joined with `,` on the wire.
    pub called_numbers: CalledNumbers,
    /// `TtsParamHead`: JSON array of variable names; `None` without variables.
    pub tts_param_head: Option<String>,
    /// The contacts' values, in the order of `called_numbers`; `Some` exactly when
    /// `tts_param_head` is.
    tts_values: Option<TtsValues>,
    /// 1-based sheet rows of `called_numbers`, same order.
    pub source_rows: Vec<u32>,
}

impl From<PlannedBatch> for NewBatch {
    // Moved, not copied: the values stay compact until the journal writes the TtsParam.
    fn from(b: PlannedBatch) -> NewBatch {
        NewBatch {
            task_name: b.task_name,
            called_numbers: b.called_numbers,
            tts_param_head: b.tts_param_head,
            tts_values: b.tts_values,
            source_rows: b.source_rows,
        }
    }
}

impl PlannedBatch {
    /// `CalledNumber` as sent: comma-separated, no spaces.
    pub fn called_number_param(&self) -> String {
        self.called_numbers.as_param().to_owned()
    }

    /// `TtsParam` as sent: JSON `[{"number":…,"params":[…]}]`, Chinese kept as-is (the
    /// bytes serde_json writes); `None` without variables. Written on each call.
    pub fn tts_param(&self) -> Option<String> {
        self.tts_values
            .as_ref()
            .map(|v| v.to_json(&self.called_numbers))
    }
}

/// Validated settings plus batches. Built only by [`BatchPlan::build`] (or deserialised,
/// which re-checks the same invariants).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", try_from = "BatchPlanParts")]
pub struct BatchPlan {
    settings: TaskSettings,
    batches: Vec<PlannedBatch>,
    total_numbers: usize,
    skipped_rows: usize,
}

/// The task name of batch `index` (0-based) of `count`: the base alone for one batch, else
/// base + ` (i/n)`, with the base cut (by characters, never the suffix) to fit 30.
pub fn batch_task_name(base: &str, index: usize, count: usize) -> String {
    let base = base.trim();
    let suffix = if count > 1 {
        format!(" ({}/{})", index + 1, count)
    } else {
        String::new()
    };
    let room = MAX_TASK_NAME_CHARS.saturating_sub(suffix.chars().count());
    let mut name: String = base.chars().take(room).collect();
    let trimmed_len = name.trim_end().len();
    name.truncate(trimmed_len);
    name.push_str(&suffix);
    name
}

impl BatchPlan {
    /// Splits the list's sendable contacts, in order, into batches of at most `batch_size`
    /// whose requests each encode to at most [`MAX_ENCODED_PARAMS`] bytes.
    pub fn build(
        contacts: &ContactList,
        settings: &TaskSettings,
        batch_size: BatchSize,
    ) -> Result<BatchPlan, PlanError> {
        Self::build_within(contacts, settings, batch_size, MAX_ENCODED_PARAMS)
    }

    fn build_within(
        contacts: &ContactList,
        settings: &TaskSettings,
        batch_size: BatchSize,
        budget: usize,
    ) -> Result<BatchPlan, PlanError> {
        settings.check()?;
        let total = contacts.sendable_count();
        if total == 0 {
            return Err(PlanError::NoContacts {
                skipped: contacts.skipped_count(),
            });
        }
        let names = contacts.variable_names();
        let head = if names.is_empty() {
            None
        } else {
            Some(serde_json::to_string(&names).map_err(|_| PlanError::Corrupt { batch: 0 })?)
        };
        let mut packer = Packer::new(settings, head, batch_size.get(), budget, total);
        let mut failed = None;
        contacts.for_each_sendable(|row, number, values| {
            if failed.is_none() {
                failed = packer.push(row, number, values).err();
            }
        });
        if let Some(e) = failed {
            return Err(e);
        }
        let batches = packer.finish(&settings.task_name);
        Ok(BatchPlan {
            settings: TaskSettings {
                task_name: settings.task_name.trim().to_string(),
                ..settings.clone()
            },
            batches,
            total_numbers: total,
            skipped_rows: contacts.skipped_count(),
        })
    }

    pub fn settings(&self) -> &TaskSettings {
        &self.settings
    }

    pub fn batches(&self) -> &[PlannedBatch] {
        &self.batches
    }

    /// The settings and the batches, moved out: a campaign takes them over without a copy.
    pub fn into_parts(self) -> (TaskSettings, Vec<PlannedBatch>) {
        (self.settings, self.batches)
    }

    /// Numbers across all batches.
    pub fn total_numbers(&self) -> usize {
        self.total_numbers
    }

    /// Data rows left out (invalid, duplicate, excluded), for the preview's "not called" line.
    pub fn skipped_rows(&self) -> usize {
        self.skipped_rows
    }

    /// What the preview screen shows.
    pub fn summary(&self) -> PlanSummary {
        PlanSummary {
            batches: self.batches.len() as u32,
            total_numbers: self.total_numbers as u32,
            skipped_rows: self.skipped_rows as u32,
        }
    }
}

/// The plan at a glance: batches (= API calls) and numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanSummary {
    pub batches: u32,
    pub total_numbers: u32,
    pub skipped_rows: u32,
}

#[cfg(test)]
mod tests;
