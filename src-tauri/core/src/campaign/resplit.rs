//! Re-splitting the batches of a campaign that were not sent into smaller ones, when the
//! server turns out to take fewer numbers per request than the plan assumed.
//!
//! Only batches that called nobody are touched (`planned`, and `rejected` ones that may go
//! again); they are replaced in one transaction by batches of at most `max` numbers holding
//! the same people, numbers, template values and sheet rows, in the same order, appended
//! after every existing batch. Sent, unknown and cancelled batches keep their rows and
//! indexes, so nothing that may have called anyone can be sent again.

use rusqlite::{params, Transaction};

use super::journal::JournalError;
use super::plan::batch_task_name;

/// What a re-split did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resplit {
    pub replaced: usize,
    pub created: usize,
}

struct Unsent {
    idx: i64,
    head: Option<String>,
    people: BatchPeople,
}

/// A batch's people as the journal holds them, each at the same position in all three:
/// the numbers, their `TtsParam` items (when the batch has variables) and their sheet rows.
/// Re-splitting and taking out numbers listed since journaling both rewrite them.
pub(crate) struct BatchPeople {
    pub numbers: Vec<String>,
    pub items: Option<Vec<serde_json::Value>>,
    pub rows: Vec<u32>,
}

impl BatchPeople {
    /// Decodes the stored columns of batch `idx`; columns that do not line up are corrupt.
    pub(crate) fn decode(
        idx: i64,
        called_numbers: &str,
        tts_param: Option<&str>,
        source_rows: &str,
    ) -> Result<BatchPeople, JournalError> {
        let numbers: Vec<String> = called_numbers.split(',').map(str::to_owned).collect();
        let corrupt = |what: &str| JournalError::Corrupt(format!("batch {idx} {what}"));
        let items = match tts_param {
            Some(text) => {
                let items: Vec<serde_json::Value> =
                    serde_json::from_str(text).map_err(|_| corrupt("TtsParam"))?;
                if items.len() != numbers.len() {
                    return Err(corrupt("TtsParam count"));
                }
                Some(items)
            }
            None => None,
        };
        let rows: Vec<u32> =
            serde_json::from_str(source_rows).map_err(|_| corrupt("source rows"))?;
        if rows.len() != numbers.len() {
            return Err(corrupt("source row count"));
        }
        Ok(BatchPeople {
            numbers,
            items,
            rows,
        })
    }
}

/// Replaces the unsent batches of `campaign_id` by batches of at most `max` numbers, named
/// from `base` like planned ones. Runs inside the caller's transaction.
pub(crate) fn resplit_unsent(
    tx: &Transaction<'_>,
    campaign_id: i64,
    base: &str,
    max: usize,
    now_ms: i64,
) -> Result<Resplit, JournalError> {
    let max = max.max(1);
    let unsent = read_unsent(tx, campaign_id)?;
    if unsent.is_empty() {
        return Ok(Resplit {
            replaced: 0,
            created: 0,
        });
    }
    let kept: i64 = tx.query_row(
        "SELECT COUNT(*) FROM batches WHERE campaign_id = ?1 \
         AND NOT (state = 'planned' OR (state = 'rejected' AND retryable = 1))",
        [campaign_id],
        |r| r.get(0),
    )?;
    let next_idx: i64 = tx.query_row(
        "SELECT COALESCE(MAX(idx), -1) + 1 FROM batches WHERE campaign_id = ?1",
        [campaign_id],
        |r| r.get(0),
    )?;
    let chunks: usize = unsent
        .iter()
        .map(|b| b.people.numbers.len().div_ceil(max))
        .sum();
    let total = kept as usize + chunks;
    let mut insert = tx.prepare(
        "INSERT INTO batches (campaign_id, idx, task_name, called_numbers, number_count, \
         tts_param_head, tts_param, source_rows, state, created_at_ms, updated_at_ms) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'planned', ?9, ?9)",
    )?;
    let mut created = 0usize;
    for batch in &unsent {
        for (part, numbers) in batch.people.numbers.chunks(max).enumerate() {
            let from = part * max;
            let to = from + numbers.len();
            let tts = match &batch.people.items {
                Some(items) => Some(
                    serde_json::to_string(&items[from..to])
                        .map_err(|e| JournalError::Corrupt(format!("TtsParam: {e}")))?,
                ),
                None => None,
            };
            let rows = serde_json::to_string(&batch.people.rows[from..to])
                .map_err(|e| JournalError::Corrupt(format!("source rows: {e}")))?;
            let position = kept as usize + created;
            insert.execute(params![
                campaign_id,
                next_idx + created as i64,
                batch_task_name(base, position, total),
                numbers.join(","),
                numbers.len() as i64,
                batch.head,
                tts,
                rows,
                now_ms,
            ])?;
            created += 1;
        }
    }
    for batch in &unsent {
        // Their attempts were refusals that called nobody; the batch rows go with them.
        tx.execute(
            "DELETE FROM attempts WHERE campaign_id = ?1 AND batch_idx = ?2",
            params![campaign_id, batch.idx],
        )?;
        tx.execute(
            "DELETE FROM batches WHERE campaign_id = ?1 AND idx = ?2",
            params![campaign_id, batch.idx],
        )?;
    }
    tracing::info!(
        campaign = campaign_id,
        replaced = unsent.len(),
        created,
        max,
        "unsent batches re-split"
    );
    Ok(Resplit {
        replaced: unsent.len(),
        created,
    })
}

fn read_unsent(tx: &Transaction<'_>, campaign_id: i64) -> Result<Vec<Unsent>, JournalError> {
    let mut stmt = tx.prepare(
        "SELECT idx, called_numbers, tts_param_head, tts_param, source_rows FROM batches \
         WHERE campaign_id = ?1 AND (state = 'planned' OR (state = 'rejected' AND retryable = 1)) \
         ORDER BY idx",
    )?;
    let mut rows = stmt.query([campaign_id])?;
    let mut unsent = Vec::new();
    while let Some(row) = rows.next()? {
        let idx: i64 = row.get(0)?;
        let numbers: String = row.get(1)?;
        let head: Option<String> = row.get(2)?;
        let tts: Option<String> = row.get(3)?;
        let source_rows: String = row.get(4)?;
        let people = BatchPeople::decode(idx, &numbers, tts.as_deref(), &source_rows)?;
        unsent.push(Unsent { idx, head, people });
    }
    Ok(unsent)
}
