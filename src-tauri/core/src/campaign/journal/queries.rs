//! Reading the journal: campaigns, their batches, and what they still need.

use crate::campaign::settings::TaskSettings;
use std::collections::HashMap;

use rusqlite::{params, OptionalExtension};

use super::rows::{
    read_batch, read_batch_overview, CampaignRecord, StateCount, Tally, BATCH_COLUMNS,
    BATCH_OVERVIEW_COLUMNS, CAMPAIGN_COLUMNS, CAMPAIGN_FROM,
};
use super::{Journal, JournalError};
use crate::campaign::lifecycle::CampaignActions;
use crate::campaign::model::{BatchCounts, BatchOverview, BatchRow, CampaignSummary};
use crate::campaign::resume::ResumeNeeds;

impl Journal {
    /// Every campaign, newest first: two queries however many campaigns there are (the
    /// campaigns with their leases, then the batch counts of all of them).
    pub fn campaigns(&self) -> Result<Vec<CampaignSummary>, JournalError> {
        let records: Vec<CampaignRecord> = {
            let mut stmt = self.conn.prepare(&format!(
                "SELECT {CAMPAIGN_COLUMNS} FROM {CAMPAIGN_FROM} ORDER BY c.id DESC"
            ))?;
            let rows = stmt.query_map([], CampaignRecord::read)?;
            rows.collect::<Result<_, _>>()?
        };
        let mut tallies = self.tallies(None)?;
        let now = now_for_reads();
        records
            .into_iter()
            .map(|record| {
                let tally = tallies.remove(&record.id).unwrap_or_default();
                record.into_summary(tally, now, self.lease_ttl_ms)
            })
            .collect()
    }

    /// One campaign's summary.
    pub fn campaign(&self, id: i64) -> Result<CampaignSummary, JournalError> {
        let record = self
            .conn
            .query_row(
                &format!("SELECT {CAMPAIGN_COLUMNS} FROM {CAMPAIGN_FROM} WHERE c.id = ?1"),
                [id],
                CampaignRecord::read,
            )
            .optional()?
            .ok_or(JournalError::NotFound(id))?;
        let tally = self.tallies(Some(id))?.remove(&id).unwrap_or_default();
        record.into_summary(tally, now_for_reads(), self.lease_ttl_ms)
    }

    /// The batch tallies of one campaign, or of all of them, by campaign.
    fn tallies(&self, id: Option<i64>) -> Result<HashMap<i64, Tally>, JournalError> {
        // Two statements rather than `?1 IS NULL OR ...`, which would keep SQLite from
        // using the campaign index for the one-campaign case the engine asks after every
        // batch.
        let (filter, param) = match id {
            Some(id) => ("WHERE campaign_id = ?1", vec![id]),
            None => ("", Vec::new()),
        };
        let mut stmt = self.conn.prepare_cached(&format!(
            "{} {filter} {}",
            StateCount::SELECT,
            StateCount::GROUP
        ))?;
        let rows = stmt.query_map(rusqlite::params_from_iter(param), StateCount::read)?;
        let mut tallies: HashMap<i64, Tally> = HashMap::new();
        for row in rows {
            let group = row?;
            group.add_to(tallies.entry(group.campaign_id).or_default())?;
        }
        Ok(tallies)
    }

    /// The task settings a campaign is sent with.
    pub fn settings(&self, id: i64) -> Result<TaskSettings, JournalError> {
        let json: String = self
            .conn
            .query_row(
                "SELECT settings_json FROM campaigns WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(JournalError::NotFound(id))?;
        serde_json::from_str(&json)
            .map_err(|e| JournalError::Corrupt(format!("campaign {id} settings: {e}")))
    }

    /// How many batches are in each state.
    pub fn counts(&self, id: i64) -> Result<BatchCounts, JournalError> {
        Ok(self
            .tallies(Some(id))?
            .remove(&id)
            .unwrap_or_default()
            .counts)
    }

    /// Every batch of a campaign, in order.
    pub fn batches(&self, id: i64) -> Result<Vec<BatchRow>, JournalError> {
        self.campaign_exists(id)?;
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {BATCH_COLUMNS} FROM batches WHERE campaign_id = ?1 ORDER BY idx"
        ))?;
        let rows = stmt.query_map([id], read_batch)?;
        rows.map(|r| r.map_err(JournalError::from).and_then(|b| b))
            .collect()
    }

    /// A campaign's batches without their numbers and parameters, in order.
    pub fn batch_overviews(&self, id: i64) -> Result<Vec<BatchOverview>, JournalError> {
        self.campaign_exists(id)?;
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {BATCH_OVERVIEW_COLUMNS} FROM batches WHERE campaign_id = ?1 ORDER BY idx"
        ))?;
        let rows = stmt.query_map([id], read_batch_overview)?;
        rows.map(|r| r.map_err(JournalError::from).and_then(|b| b))
            .collect()
    }

    /// One batch.
    pub fn batch(&self, id: i64, index: u32) -> Result<BatchRow, JournalError> {
        self.conn
            .query_row(
                &format!("SELECT {BATCH_COLUMNS} FROM batches WHERE campaign_id = ?1 AND idx = ?2"),
                params![id, index],
                read_batch,
            )
            .optional()?
            .ok_or(JournalError::BatchNotFound {
                campaign_id: id,
                index,
            })?
    }

    /// The first `planned` batch at or after `from`, if any.
    pub fn next_planned(&self, id: i64, from: u32) -> Result<Option<BatchRow>, JournalError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {BATCH_COLUMNS} FROM batches WHERE campaign_id = ?1 AND state = 'planned' \
             AND idx >= ?2 ORDER BY idx LIMIT 1"
        ))?;
        stmt.query_row(params![id, from], read_batch)
            .optional()?
            .transpose()
    }

    /// The newest campaign that still has something to do, by the one rule the window's
    /// continue button follows too ([`CampaignActions::unfinished`]): what the start-up
    /// offer and the CLI's default `resume`/`cancel` act on.
    pub fn latest_unfinished(&self) -> Result<Option<i64>, JournalError> {
        Ok(self
            .campaigns()?
            .into_iter()
            .find(|c| CampaignActions::for_counts(c.state, &c.batches).unfinished)
            .map(|c| c.id))
    }

    /// What must be decided before the campaign can go on (see [`crate::campaign::resume`]).
    pub fn resume_needs(&self, id: i64, now_ms: i64) -> Result<ResumeNeeds, JournalError> {
        let settings = self.settings(id)?;
        let batches = self.batches(id)?;
        Ok(ResumeNeeds::of(&settings, &batches, now_ms))
    }

    pub(super) fn campaign_exists(&self, id: i64) -> Result<(), JournalError> {
        let found: Option<i64> = self
            .conn
            .query_row("SELECT id FROM campaigns WHERE id = ?1", [id], |r| r.get(0))
            .optional()?;
        found.map(|_| ()).ok_or(JournalError::NotFound(id))
    }
}

/// Wall time for read-only liveness checks (listing campaigns). Sending paths take the
/// injected clock instead.
fn now_for_reads() -> i64 {
    crate::clock::WallClock::now_ms(&crate::clock::SystemClock)
}
