//! Numbers put on the do-not-call list after their campaign was journaled. A refusal is
//! honoured at once: a campaign waiting for its schedule or the calling hours, or paced
//! over hours, must not call someone who asked in the meantime. So the transaction that
//! commits a batch as leaving first takes listed numbers out of it (with their template
//! values and sheet rows) and records them here; a batch left with nobody is cancelled.

use rusqlite::{params, Transaction};

use super::interrupted::problem_json;
use super::{Journal, JournalError};
use crate::campaign::resplit::BatchPeople;
use crate::compliance::dnc::{self, DncError};
use crate::compliance::number_key;
use crate::error_code::ErrorCode;
use crate::text::{Localized, UserError};

pub(crate) const SCHEMA_SQL: &str = r#"
CREATE TABLE withheld (
    campaign_id     INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    batch_idx       INTEGER NOT NULL,
    number          TEXT    NOT NULL,
    source_row      INTEGER NOT NULL,
    -- The reason the do-not-call list gave, if any.
    reason          TEXT,
    withheld_at_ms  INTEGER NOT NULL
);
CREATE INDEX withheld_by_campaign ON withheld (campaign_id, batch_idx);
"#;

impl Journal {
    /// How many people of campaign `id` were taken out before sending because they were
    /// put on the do-not-call list after it was journaled (what its results say of them).
    pub fn withheld_count(&self, id: i64) -> Result<u32, JournalError> {
        let n: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM withheld WHERE campaign_id = ?1",
            [id],
            |r| r.get(0),
        )?;
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }
}

/// What screening a batch against the list did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Screened {
    /// Nobody in it is listed (or everyone left was kept): send it as journaled.
    Kept { withheld: usize },
    /// Everyone in it is listed now: it was cancelled and nothing leaves.
    Emptied { withheld: usize },
}

/// Takes the numbers listed since journaling out of planned batch `index`, inside the
/// transaction that is about to commit it as `sending`.
pub(super) fn screen_batch(
    tx: &Transaction<'_>,
    campaign_id: i64,
    index: u32,
    now_ms: i64,
) -> Result<Screened, JournalError> {
    let (numbers, tts, rows): (String, Option<String>, String) = tx.query_row(
        "SELECT called_numbers, tts_param, source_rows FROM batches \
         WHERE campaign_id = ?1 AND idx = ?2",
        params![campaign_id, index],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let keys: Vec<u64> = numbers.split(',').filter_map(number_key).collect();
    let hits = dnc::lookup_on(tx, &keys).map_err(|err| match err {
        DncError::Db(err) => JournalError::Sql(err),
        other => JournalError::Screen(other.to_string()),
    })?;
    if hits.is_empty() {
        return Ok(Screened::Kept { withheld: 0 });
    }
    let BatchPeople {
        numbers,
        items,
        rows,
    } = BatchPeople::decode(i64::from(index), &numbers, tts.as_deref(), &rows)?;
    let listed: std::collections::HashMap<u64, Option<String>> = hits
        .into_iter()
        .map(|(key, hit)| (key, hit.reason))
        .collect();
    let mut kept_numbers = Vec::with_capacity(numbers.len());
    let mut kept_rows = Vec::with_capacity(numbers.len());
    let mut kept_items = Vec::with_capacity(items.as_ref().map_or(0, Vec::len));
    let mut withheld = 0usize;
    for (i, number) in numbers.iter().enumerate() {
        match number_key(number).and_then(|key| listed.get(&key)) {
            Some(reason) => {
                tx.execute(
                    "INSERT INTO withheld (campaign_id, batch_idx, number, source_row, reason, \
                     withheld_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![campaign_id, index, number, rows[i], reason, now_ms],
                )?;
                withheld += 1;
            }
            None => {
                kept_numbers.push(number.as_str());
                kept_rows.push(rows[i]);
                if let Some(items) = &items {
                    kept_items.push(&items[i]);
                }
            }
        }
    }
    tracing::info!(
        campaign = campaign_id,
        batch = index,
        withheld,
        "numbers put on the do-not-call list since journaling were taken out of the batch"
    );
    if kept_numbers.is_empty() {
        let problem = everyone_listed(withheld);
        tx.execute(
            "UPDATE batches SET state = 'cancelled', problem_json = ?3, updated_at_ms = ?4 \
             WHERE campaign_id = ?1 AND idx = ?2",
            params![campaign_id, index, problem_json(&problem), now_ms],
        )?;
        return Ok(Screened::Emptied { withheld });
    }
    let corrupt = |what: &str| JournalError::Corrupt(format!("batch {index} {what}"));
    let tts = match items {
        Some(_) => Some(serde_json::to_string(&kept_items).map_err(|_| corrupt("TtsParam"))?),
        None => None,
    };
    let rows = serde_json::to_string(&kept_rows).map_err(|_| corrupt("source rows"))?;
    tx.execute(
        "UPDATE batches SET called_numbers = ?3, number_count = ?4, tts_param = ?5, \
         source_rows = ?6, updated_at_ms = ?7 WHERE campaign_id = ?1 AND idx = ?2",
        params![
            campaign_id,
            index,
            kept_numbers.join(","),
            kept_numbers.len() as i64,
            tts,
            rows,
            now_ms
        ],
    )?;
    Ok(Screened::Kept { withheld })
}

fn everyone_listed(withheld: usize) -> UserError {
    UserError::new(
        ErrorCode::CampaignWithheld,
        Localized::new(
            format!("这一批的 {withheld} 人在活动创建后加入了免打扰名单，没有拨打。"),
            format!(
                "All {withheld} people in this batch were put on the do-not-call list after the campaign was created: nobody was called."
            ),
        ),
        Localized::new(
            "不需要处理。要再呼叫他们，先把号码从免打扰名单中移除，再新建活动。",
            "Nothing to do. To call them after all, remove them from the do-not-call list and start a new campaign.",
        ),
    )
}
