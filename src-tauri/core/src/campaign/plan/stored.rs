//! The stored-plan format: a plan as JSON (and TypeScript) see it, each batch's TtsParam
//! written out, and read back only if it keeps every invariant [`BatchPlan::build`] gives.

use serde::{Deserialize, Serialize};

use super::{
    BatchPlan, PlanError, PlannedBatch, TaskSettings, MAX_BATCH_SIZE, MAX_ENCODED_PARAMS,
    MAX_TASK_NAME_CHARS,
};
use crate::campaign::numbers::CalledNumbers;
use crate::campaign::request::{encoded_len, for_batch};
use crate::campaign::tts::TtsValues;

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

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct BatchPlanParts {
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

/// A batch's encoded request parameters.
pub(super) fn encoded_params_len(settings: &TaskSettings, batch: &PlannedBatch) -> usize {
    encoded_len(&for_batch(settings, batch))
}
