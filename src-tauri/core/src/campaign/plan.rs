//! The batch plan: validated contacts split into `BatchRobotSmartCall`-sized batches.
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

use serde::{Deserialize, Serialize};

use super::model::NewBatch;
pub use super::numbers::CalledNumbers;
use super::request::{encoded_len, for_batch, BatchContent};
pub use super::settings::TaskSettings;
use super::tts::{TtsValues, ITEM_END, ITEM_PARAMS, ITEM_START};
use crate::aliyun::signature::percent_encoded_len;
use crate::sheet::contacts::ContactList;

/// `TaskName` limit of BatchRobotSmartCall, in characters.
pub const MAX_TASK_NAME_CHARS: usize = 30;
/// `CalledNumber` limit per request (the docs say 1000 in four places and 100 in one;
/// `docs/api/dyvms.md` §5.4). The batch size is a setting within this cap.
pub const MAX_BATCH_SIZE: usize = 1000;
/// `CalledShowNumber` limit per request.
pub const MAX_CALLER_NUMBERS: usize = 100;
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

/// A [`PlannedBatch`] as JSON and TypeScript see it: `ttsParam` written out, as before the
/// batch held its values compactly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlannedBatchJson {
    pub index: usize,
    pub task_name: String,
    pub called_numbers: CalledNumbers,
    pub tts_param_head: Option<String>,
    pub tts_param: Option<String>,
    pub source_rows: Vec<u32>,
}

impl TryFrom<PlannedBatchJson> for PlannedBatch {
    type Error = PlanError;
    fn try_from(b: PlannedBatchJson) -> Result<Self, PlanError> {
        let tts_values = match &b.tts_param {
            Some(json) => Some(
                TtsValues::from_json(json, &b.called_numbers)
                    .ok_or(PlanError::Corrupt { batch: b.index })?,
            ),
            None => None,
        };
        Ok(PlannedBatch {
            index: b.index,
            task_name: b.task_name,
            called_numbers: b.called_numbers,
            tts_param_head: b.tts_param_head,
            tts_values,
            source_rows: b.source_rows,
        })
    }
}

impl From<&PlannedBatch> for PlannedBatchJson {
    fn from(b: &PlannedBatch) -> Self {
        PlannedBatchJson {
            index: b.index,
            task_name: b.task_name.clone(),
            called_numbers: b.called_numbers.clone(),
            tts_param_head: b.tts_param_head.clone(),
            tts_param: b.tts_param(),
            source_rows: b.source_rows.clone(),
        }
    }
}

impl Serialize for PlannedBatch {
    // A copy per batch: only stored plans and tests are serialised, never on the way to
    // sending.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        PlannedBatchJson::from(self).serialize(serializer)
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

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BatchPlanParts {
    settings: TaskSettings,
    batches: Vec<PlannedBatch>,
    total_numbers: usize,
    skipped_rows: usize,
}

impl TryFrom<BatchPlanParts> for BatchPlan {
    type Error = PlanError;
    fn try_from(p: BatchPlanParts) -> Result<Self, PlanError> {
        p.settings.check()?;
        let mut total = 0;
        for (i, b) in p.batches.iter().enumerate() {
            let bad = b.index != i
                || b.called_numbers.is_empty()
                || b.called_numbers.len() > MAX_BATCH_SIZE
                || b.source_rows.len() != b.called_numbers.len()
                || b.task_name.chars().count() > MAX_TASK_NAME_CHARS
                // Digits only, and values matching the numbers: checked as the batch was read.
                || b.tts_param_head.is_some() != b.tts_values.is_some()
                || encoded_params_len(&p.settings, b) > MAX_ENCODED_PARAMS;
            if bad {
                return Err(PlanError::Corrupt { batch: i });
            }
            total += b.called_numbers.len();
        }
        if p.batches.is_empty() || total != p.total_numbers {
            return Err(PlanError::Corrupt { batch: 0 });
        }
        Ok(BatchPlan {
            settings: p.settings,
            batches: p.batches,
            total_numbers: p.total_numbers,
            skipped_rows: p.skipped_rows,
        })
    }
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

/// A batch's encoded request parameters.
fn encoded_params_len(settings: &TaskSettings, batch: &PlannedBatch) -> usize {
    encoded_len(&for_batch(settings, batch))
}

/// The encoded bytes every batch of a plan carries whatever its contacts: the settings'
/// parameters, the empty `CalledNumber=`, `TtsParam=` and `TaskName=` with their `&`s, and
/// the longest task name any batch can get. The parameters are concatenated, so a batch's
/// size is this plus its values' encoded lengths.
fn fixed_encoded_len(settings: &TaskSettings, head: Option<&str>, max_batches: usize) -> usize {
    let empty = for_batch(
        settings,
        BatchContent {
            tts_param_head: head,
            tts_param: head.map(|_| String::new()),
            ..BatchContent::default()
        },
    );
    // Names are given once the number of batches is known; any of them is a prefix of the
    // base's first 30 characters plus a ` (i/n)` no longer than ` (n/n)`.
    let base: String = settings
        .task_name
        .trim()
        .chars()
        .take(MAX_TASK_NAME_CHARS)
        .collect();
    let suffix = if max_batches > 1 {
        percent_encoded_len(&format!(" ({max_batches}/{max_batches})"))
    } else {
        0
    };
    encoded_len(&empty) + percent_encoded_len(&base) + suffix
}

/// `,` between numbers or TtsParam items, and TtsParam's `[` `]`: each `%XX` on the wire.
const ENCODED_SEPARATOR: usize = 3;

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
        let size = batch_size.get();
        let fixed = fixed_encoded_len(settings, head.as_deref(), total);
        let mut batches: Vec<PlannedBatch> = Vec::with_capacity(total.div_ceil(size));
        // Batches split by size hold fewer than `size` contacts: each new batch's buffers
        // are given the previous one's length, so 1M rows do not carry mostly empty
        // 1000-contact buffers.
        let mut numbers = CalledNumbers::with_capacity((size * 12).min(budget));
        let mut rows: Vec<u32> = Vec::with_capacity(size);
        // The values are written as TtsParam JSON directly (same bytes serde_json produces,
        // see the tests): one `Serialize` value per contact was half the planning time at
        // 100k rows. A contact's values are appended before they are known to fit, and
        // moved to a new batch in the rare case they do not.
        let mut values_of_batch = TtsValues::with_capacity((size * 48).min(budget));
        // Encoded length of the batch being filled, `fixed` included.
        let mut used = fixed;
        // What a TtsParam item adds around its values: the keys, braces and the number's
        // quotes (`%22` each).
        let skeleton_len = [ITEM_START, ITEM_PARAMS, ITEM_END]
            .iter()
            .map(|s| percent_encoded_len(s))
            .sum::<usize>()
            + 6;
        let mut failed: Option<PlanError> = None;
        // Index of the batch being filled (`batches` is borrowed by `flush`).
        let mut current = 0usize;
        let mut flush =
            |numbers: &mut CalledNumbers, rows: &mut Vec<u32>, values: &mut TtsValues| {
                let tts_values = head.as_ref().map(|_| {
                    let hint = values.byte_len();
                    let mut done = std::mem::replace(values, TtsValues::with_capacity(hint));
                    // Growth by doubling leaves up to half unused, kept by the plan until sent.
                    done.shrink_to_fit();
                    done
                });
                let hint = numbers.param_len();
                let mut called = std::mem::replace(numbers, CalledNumbers::with_capacity(hint));
                called.shrink_to_fit();
                let len = rows.len();
                batches.push(PlannedBatch {
                    index: batches.len(),
                    task_name: String::new(),
                    called_numbers: called,
                    tts_param_head: head.clone(),
                    tts_values,
                    source_rows: std::mem::replace(rows, Vec::with_capacity(len)),
                });
            };
        contacts.for_each_sendable(|row, number, values| {
            if failed.is_some() {
                return;
            }
            // Normalised numbers are digits, which encode as themselves.
            let number_len = percent_encoded_len(number);
            let item_len = if head.is_some() {
                skeleton_len + number_len + values_of_batch.push_contact(values)
            } else {
                0
            };
            // What the contact adds to an empty batch (TtsParam's brackets with its item) and
            // to one that has contacts (a `,` before the number and before the item).
            let (alone, added) = if head.is_some() {
                let both = number_len + item_len + 2 * ENCODED_SEPARATOR;
                (both, both)
            } else {
                (number_len, number_len + ENCODED_SEPARATOR)
            };
            if fixed + alone > budget {
                failed = Some(PlanError::ContactTooLong {
                    row,
                    encoded_len: fixed + alone,
                });
                return;
            }
            if numbers.is_empty() {
                used = fixed + alone;
            } else if numbers.len() == size || used + added > budget {
                let moved = head.is_some().then(|| values_of_batch.pop_contact());
                flush(&mut numbers, &mut rows, &mut values_of_batch);
                current += 1;
                if let Some(moved) = moved {
                    values_of_batch.append(&moved);
                }
                used = fixed + alone;
            } else {
                used += added;
            }
            if numbers.push(number).is_err() {
                // The contact list normalises every sendable number to digits.
                failed = Some(PlanError::Corrupt { batch: current });
                return;
            }
            rows.push(row);
        });
        if let Some(e) = failed {
            return Err(e);
        }
        if !numbers.is_empty() {
            flush(&mut numbers, &mut rows, &mut values_of_batch);
        }
        // Plan first, then name: the ` (i/n)` suffix needs the final number of batches.
        let count = batches.len();
        for b in &mut batches {
            b.task_name = batch_task_name(&settings.task_name, b.index, count);
        }
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

mod error;
pub use error::PlanError;

#[cfg(test)]
mod tests;
