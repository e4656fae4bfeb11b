//! The batch packer: contacts in, batches out, each within the batch size and the encoded
//! request budget. A batch's encoded size is known without building its request: the fixed
//! part ([`fixed_encoded_len`]) plus each contact's encoded number and values.

use std::borrow::Cow;

use super::{batch_task_name, PlanError, PlannedBatch, MAX_TASK_NAME_CHARS};
use crate::aliyun::signature::percent_encoded_len;
use crate::campaign::numbers::CalledNumbers;
use crate::campaign::request::{encoded_len, for_batch, BatchContent};
use crate::campaign::settings::TaskSettings;
use crate::campaign::tts::{TtsValues, ITEM_END, ITEM_PARAMS, ITEM_START};

/// `,` between numbers or TtsParam items, and TtsParam's `[` `]`: each `%XX` on the wire.
const ENCODED_SEPARATOR: usize = 3;

/// Fills batches one contact at a time, in order, starting a new batch before one would hold
/// more than `size` contacts or encode to more than `budget` bytes.
pub(super) struct Packer {
    /// `TtsParamHead` of every batch; `None` without variables.
    head: Option<String>,
    size: usize,
    budget: usize,
    /// What every batch encodes to before its contacts.
    fixed: usize,
    /// What a TtsParam item adds around its values: the keys, braces and the number's
    /// quotes (`%22` each).
    skeleton_len: usize,
    batches: Vec<PlannedBatch>,
    // The batch being filled. Batches split by size hold fewer than `size` contacts: each
    // new batch's buffers are given the previous one's length, so 1M rows do not carry
    // mostly empty 1000-contact buffers.
    numbers: CalledNumbers,
    rows: Vec<u32>,
    /// The values are written as TtsParam JSON directly (same bytes serde_json produces, see
    /// the tests): one `Serialize` value per contact was half the planning time at 100k
    /// rows. A contact's values are appended before they are known to fit, and moved to a
    /// new batch in the rare case they do not.
    values: TtsValues,
    /// Encoded length of the batch being filled, `fixed` included.
    used: usize,
}

impl Packer {
    /// A packer for `total` contacts with the given settings and variables (`head`).
    pub(super) fn new(
        settings: &TaskSettings,
        head: Option<String>,
        size: usize,
        budget: usize,
        total: usize,
    ) -> Packer {
        let fixed = fixed_encoded_len(settings, head.as_deref(), total);
        Packer {
            head,
            size,
            budget,
            fixed,
            skeleton_len: [ITEM_START, ITEM_PARAMS, ITEM_END]
                .iter()
                .map(|s| percent_encoded_len(s))
                .sum::<usize>()
                + 6,
            batches: Vec::with_capacity(total.div_ceil(size)),
            numbers: CalledNumbers::with_capacity((size * 12).min(budget)),
            rows: Vec::with_capacity(size),
            values: TtsValues::with_capacity((size * 48).min(budget)),
            used: fixed,
        }
    }

    /// Adds the contact of sheet row `row`; refused when it alone would not fit in a request.
    pub(super) fn push(
        &mut self,
        row: u32,
        number: &str,
        values: &[Cow<'_, str>],
    ) -> Result<(), PlanError> {
        // Normalised numbers are digits, which encode as themselves.
        let number_len = percent_encoded_len(number);
        let with_values = self.head.is_some();
        let item_len = if with_values {
            self.skeleton_len + number_len + self.values.push_contact(values)
        } else {
            0
        };
        // What the contact adds to an empty batch (TtsParam's brackets with its item) and to
        // one that has contacts (a `,` before the number and before the item).
        let (alone, added) = if with_values {
            let both = number_len + item_len + 2 * ENCODED_SEPARATOR;
            (both, both)
        } else {
            (number_len, number_len + ENCODED_SEPARATOR)
        };
        if self.fixed + alone > self.budget {
            return Err(PlanError::ContactTooLong {
                row,
                encoded_len: self.fixed + alone,
            });
        }
        if self.numbers.is_empty() {
            self.used = self.fixed + alone;
        } else if self.numbers.len() == self.size || self.used + added > self.budget {
            let moved = with_values.then(|| self.values.pop_contact());
            self.flush();
            if let Some(moved) = moved {
                self.values.append(&moved);
            }
            self.used = self.fixed + alone;
        } else {
            self.used += added;
        }
        if self.numbers.push(number).is_err() {
            // The contact list normalises every sendable number to digits.
            return Err(PlanError::Corrupt {
                batch: self.batches.len(),
            });
        }
        self.rows.push(row);
        Ok(())
    }

    /// The batch being filled becomes a planned batch (unnamed yet).
    fn flush(&mut self) {
        let tts_values = self.head.as_ref().map(|_| {
            let hint = self.values.byte_len();
            let mut done = std::mem::replace(&mut self.values, TtsValues::with_capacity(hint));
            // Growth by doubling leaves up to half unused, kept by the plan until sent.
            done.shrink_to_fit();
            done
        });
        let hint = self.numbers.param_len();
        let mut called = std::mem::replace(&mut self.numbers, CalledNumbers::with_capacity(hint));
        called.shrink_to_fit();
        let len = self.rows.len();
        self.batches.push(PlannedBatch {
            index: self.batches.len(),
            task_name: String::new(),
            called_numbers: called,
            tts_param_head: self.head.clone(),
            tts_values,
            source_rows: std::mem::replace(&mut self.rows, Vec::with_capacity(len)),
        });
    }

    /// Every batch, named after `base`: plan first, then name, as the ` (i/n)` suffix needs
    /// the final number of batches.
    pub(super) fn finish(mut self, base: &str) -> Vec<PlannedBatch> {
        if !self.numbers.is_empty() {
            self.flush();
        }
        let count = self.batches.len();
        for b in &mut self.batches {
            b.task_name = batch_task_name(base, b.index, count);
        }
        self.batches
    }
}

/// The encoded bytes every batch of a plan carries whatever its contacts: the settings'
/// parameters, the empty `CalledNumber=`, `TtsParam=` and `TaskName=` with their `&`s, and
/// the longest task name any batch can get. The parameters are concatenated, so a batch's
/// size is this plus its values' encoded lengths.
pub(super) fn fixed_encoded_len(
    settings: &TaskSettings,
    head: Option<&str>,
    max_batches: usize,
) -> usize {
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
