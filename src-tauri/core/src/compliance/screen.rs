//! Screening a contact list before anything is sent: the do-not-call list, and the
//! per-number limits over every campaign and robot of the last 24 hours (from the journal's
//! batches and the call results). The review shows each stopped person with the rule and
//! when the number was last called; the plan leaves them out.

use std::collections::HashMap;

use rusqlite::params;

use super::dnc::{self, DncError};
use super::rules::CallingRules;
use crate::campaign::journal::Journal;
use crate::china_time;
use crate::results::outcome::CallOutcome;
use crate::text::{echo, Localized};

/// What the codes of [`Block::code`] start with.
pub const CODE_PREFIX: &str = "compliance.";

/// How far back the per-number limits look.
pub const WINDOW_MS: i64 = 24 * 60 * 60 * 1000;

/// Which per-number limit a person reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum LimitRule {
    /// Answered calls (or calls whose outcome is not known yet) in 24 hours.
    Answered,
    /// Calls of any outcome in 24 hours.
    Attempts,
}

/// Why a person is not called.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    DoNotCall {
        reason: Option<String>,
        added_at_ms: i64,
    },
    OverLimit {
        rule: LimitRule,
        /// Calls that count towards the rule in the window.
        count: u32,
        limit: u32,
        last_called_ms: i64,
        last_campaign: i64,
    },
}

impl Block {
    /// The review's sentence for this person.
    pub fn message(&self) -> Localized {
        match self {
            Block::DoNotCall {
                reason,
                added_at_ms,
            } => {
                let day = china_time::day(*added_at_ms);
                match reason {
                    Some(r) => Localized::new(
                        format!("在免打扰名单中（原因：{}；{day} 加入），不会拨打", echo(r)),
                        format!(
                            "On the do-not-call list (reason: {}; added {day}): not called",
                            echo(r)
                        ),
                    ),
                    None => Localized::new(
                        format!("在免打扰名单中（{day} 加入），不会拨打"),
                        format!("On the do-not-call list (added {day}): not called"),
                    ),
                }
            }
            Block::OverLimit {
                rule,
                count,
                limit,
                last_called_ms,
                last_campaign,
            } => {
                let when = china_time::describe(*last_called_ms);
                match rule {
                    LimitRule::Answered => Localized::new(
                        format!(
                            "24 小时内已接通（或结果未知）{count} 次，达到每天 {limit} 次的上限；最近一次是 {}，外呼活动 #{last_campaign}",
                            when.zh_cn
                        ),
                        format!(
                            "Answered (or outcome not yet known) {count} times in 24 hours, the daily limit of {limit}; last called {}, campaign #{last_campaign}",
                            when.en
                        ),
                    ),
                    LimitRule::Attempts => Localized::new(
                        format!(
                            "24 小时内已拨打 {count} 次，达到每天 {limit} 次的上限；最近一次是 {}，外呼活动 #{last_campaign}",
                            when.zh_cn
                        ),
                        format!(
                            "Called {count} times in 24 hours, the daily limit of {limit}; last called {}, campaign #{last_campaign}",
                            when.en
                        ),
                    ),
                }
            }
        }
    }

    /// The stable code the review and `check --json` carry.
    pub fn code(&self) -> &'static str {
        match self {
            Block::DoNotCall { .. } => "compliance.do_not_call",
            Block::OverLimit {
                rule: LimitRule::Answered,
                ..
            } => "compliance.max_answered",
            Block::OverLimit {
                rule: LimitRule::Attempts,
                ..
            } => "compliance.max_attempts",
        }
    }
}

/// The people a contact list must leave out, by [`super::number_key`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Screen {
    blocks: HashMap<u64, Block>,
}

/// One earlier call of a wanted number.
#[derive(Debug, Clone, Copy, Default)]
struct History {
    attempts: u32,
    answered: u32,
    last_at: i64,
    last_campaign: i64,
}

impl Screen {
    /// Screens `keys` against the list and the limits as of `now_ms`.
    pub fn build(
        journal: &Journal,
        keys: &[u64],
        rules: &CallingRules,
        now_ms: i64,
    ) -> Result<Screen, DncError> {
        Screen::build_on(journal.conn(), keys, rules, now_ms)
    }

    /// [`Screen::build`] on a connection (or a transaction) of the journal database.
    pub(crate) fn build_on(
        conn: &rusqlite::Connection,
        keys: &[u64],
        rules: &CallingRules,
        now_ms: i64,
    ) -> Result<Screen, DncError> {
        let mut blocks: HashMap<u64, Block> = HashMap::new();
        if keys.is_empty() {
            return Ok(Screen { blocks });
        }
        for (key, hit) in dnc::lookup_on(conn, keys)? {
            blocks.insert(
                key,
                Block::DoNotCall {
                    reason: hit.reason,
                    added_at_ms: hit.added_at_ms,
                },
            );
        }
        let mut sorted: Vec<u64> = keys.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        for (key, h) in recent_calls(conn, &sorted, now_ms - WINDOW_MS)? {
            if blocks.contains_key(&key) {
                continue;
            }
            let (rule, count, limit) = if h.answered >= rules.max_answered_per_day {
                (LimitRule::Answered, h.answered, rules.max_answered_per_day)
            } else if h.attempts >= rules.max_attempts_per_day {
                (LimitRule::Attempts, h.attempts, rules.max_attempts_per_day)
            } else {
                continue;
            };
            blocks.insert(
                key,
                Block::OverLimit {
                    rule,
                    count,
                    limit,
                    last_called_ms: h.last_at,
                    last_campaign: h.last_campaign,
                },
            );
        }
        Ok(Screen { blocks })
    }

    /// One stopped number and why, for a message (the lowest number, so it is stable).
    pub fn example(&self) -> Option<(String, &Block)> {
        let key = self.blocks.keys().min()?;
        Some((super::number_of_key(*key), &self.blocks[key]))
    }

    pub fn get(&self, key: u64) -> Option<&Block> {
        self.blocks.get(&key)
    }

    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
    }

    pub fn len(&self) -> usize {
        self.blocks.len()
    }
}

/// Screens a contact list in place: afterwards its review shows the stopped people and its
/// plan leaves them out. Returns how many were stopped.
pub fn screen_contacts(
    journal: &Journal,
    list: &mut crate::sheet::ContactList,
    rules: &CallingRules,
    now_ms: i64,
) -> Result<usize, DncError> {
    let screen = Screen::build(journal, &list.number_keys(), rules, now_ms)?;
    let stopped = screen.len();
    list.apply_screen(screen);
    Ok(stopped)
}

/// Earlier calls of the `wanted` numbers (sorted keys) since `since_ms`: batches that
/// called, may have called or will call (planned), with their people's results.
fn recent_calls(
    conn: &rusqlite::Connection,
    wanted: &[u64],
    since_ms: i64,
) -> Result<HashMap<u64, History>, DncError> {
    // Two halves so each uses an index: batches that went out by their send time, batches
    // still waiting by their campaign's creation. Refused and cancelled batches called nobody.
    let mut batches = conn.prepare_cached(
        "SELECT b.campaign_id, b.idx, b.called_numbers, b.first_sent_at_ms \
         FROM batches b \
         WHERE b.first_sent_at_ms >= ?1 AND b.state IN ('planned', 'sending', 'sent', 'unknown') \
         UNION ALL \
         SELECT b.campaign_id, b.idx, b.called_numbers, c.created_at_ms \
         FROM campaigns c JOIN batches b ON b.campaign_id = c.id \
         WHERE c.created_at_ms >= ?1 AND b.first_sent_at_ms IS NULL \
         AND b.state IN ('planned', 'sending')",
    )?;
    let mut results = conn.prepare_cached(
        "SELECT position, outcome FROM call_records WHERE campaign_id = ?1 AND batch_idx = ?2",
    )?;
    let mut out: HashMap<u64, History> = HashMap::new();
    let mut rows = batches.query(params![since_ms])?;
    while let Some(row) = rows.next()? {
        let campaign: i64 = row.get(0)?;
        let idx: i64 = row.get(1)?;
        let numbers: String = row.get(2)?;
        let at: i64 = row.get(3)?;
        let mut outcomes: Option<HashMap<u32, CallOutcome>> = None;
        for (position, number) in numbers.split(',').enumerate() {
            let Some(key) = super::number_key(number) else {
                continue;
            };
            if wanted.binary_search(&key).is_err() {
                continue;
            }
            // Results are read only for batches that hold a wanted number.
            let outcomes = match &mut outcomes {
                Some(o) => o,
                None => {
                    let mut map = HashMap::new();
                    let mut stored = results.query(params![campaign, idx])?;
                    while let Some(r) = stored.next()? {
                        // A word this build does not know counts as not yet known.
                        if let Some(o) = CallOutcome::parse(&r.get::<_, String>(1)?) {
                            map.insert(r.get::<_, u32>(0)?, o);
                        }
                    }
                    outcomes.insert(map)
                }
            };
            let h = out.entry(key).or_default();
            h.attempts += 1;
            if counts_as_answered(outcomes.get(&(position as u32)).copied()) {
                h.answered += 1;
            }
            if at >= h.last_at {
                h.last_at = at;
                h.last_campaign = campaign;
            }
        }
    }
    Ok(out)
}

/// Until the results say the person was not reached, a call counts as answered.
fn counts_as_answered(outcome: Option<CallOutcome>) -> bool {
    match outcome {
        None => true,
        Some(o) => o.is_answered() || !o.is_final() || o == CallOutcome::Untracked,
    }
}

#[cfg(test)]
#[path = "screen_tests.rs"]
pub(crate) mod tests;
