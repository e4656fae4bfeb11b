//! The campaign lease: which process may send a campaign.
//!
//! A lease is a row in the journal (campaign, random owner token, pid, heartbeat). Claiming
//! is one `BEGIN IMMEDIATE` transaction, so of two processes claiming at once exactly one
//! wins; the other sees a live holder and gets [`JournalError::Busy`]. Every `sending`
//! commit re-checks the token in the same transaction, so even a process that lost its lease
//! (it hung longer than the time-to-live and another took over) cannot start a batch.
//!
//! A lease is live while its heartbeat is younger than the time-to-live and, on Linux, its
//! process still exists (so `resume` right after a crash does not wait for the TTL).

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::journal::{mark_interrupted, Journal, JournalError};

/// A holder that misses heartbeats for this long is presumed gone.
pub const DEFAULT_TTL_MS: i64 = 30_000;

/// How often a sender should call [`Journal::heartbeat`]: well inside the TTL.
pub const HEARTBEAT_EVERY_MS: u64 = 5_000;

/// Proof that this process holds a campaign. Obtained from [`Journal::claim`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    pub campaign_id: i64,
    pub owner: String,
    pub pid: u32,
}

/// Who holds a campaign right now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaseHolder {
    pub owner: String,
    pub pid: u32,
    pub heartbeat_ms: i64,
}

impl Journal {
    /// Takes the campaign for this process. Batches left `sending` by a previous holder that
    /// is gone become `unknown` in the same transaction.
    pub fn claim(&mut self, campaign_id: i64, now_ms: i64) -> Result<Lease, JournalError> {
        let ttl = self.lease_ttl_ms();
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let exists: Option<i64> = tx
            .query_row(
                "SELECT id FROM campaigns WHERE id = ?1",
                [campaign_id],
                |r| r.get(0),
            )
            .optional()?;
        if exists.is_none() {
            return Err(JournalError::NotFound(campaign_id));
        }
        if let Some(holder) = live_holder(&tx, campaign_id, now_ms, ttl)? {
            return Err(JournalError::Busy {
                campaign_id,
                pid: holder.pid,
                heartbeat_ms: holder.heartbeat_ms,
            });
        }
        mark_interrupted(&tx, campaign_id, now_ms)?;
        let lease = Lease {
            campaign_id,
            owner: uuid::Uuid::new_v4().to_string(),
            pid: std::process::id(),
        };
        tx.execute(
            "INSERT OR REPLACE INTO leases (campaign_id, owner, pid, acquired_at_ms, heartbeat_ms) \
             VALUES (?1, ?2, ?3, ?4, ?4)",
            params![campaign_id, lease.owner, lease.pid, now_ms],
        )?;
        tx.commit()?;
        Ok(lease)
    }

    /// Refreshes the lease; fails with [`JournalError::LeaseLost`] if another process took it.
    pub fn heartbeat(&mut self, lease: &Lease, now_ms: i64) -> Result<(), JournalError> {
        check_and_touch(self.conn(), lease, now_ms)
    }

    /// Gives the campaign up (at the end of a run). Releasing a lease already lost is fine.
    pub fn release(&mut self, lease: &Lease) -> Result<(), JournalError> {
        self.conn().execute(
            "DELETE FROM leases WHERE campaign_id = ?1 AND owner = ?2",
            params![lease.campaign_id, lease.owner],
        )?;
        Ok(())
    }

    /// The live holder of a campaign, if any.
    pub fn holder(
        &self,
        campaign_id: i64,
        now_ms: i64,
    ) -> Result<Option<LeaseHolder>, JournalError> {
        live_holder(self.conn(), campaign_id, now_ms, self.lease_ttl_ms())
    }
}

/// Verifies `lease` is still this holder's and refreshes its heartbeat.
pub(crate) fn check_and_touch(
    conn: &Connection,
    lease: &Lease,
    now_ms: i64,
) -> Result<(), JournalError> {
    let n = conn.execute(
        "UPDATE leases SET heartbeat_ms = MAX(heartbeat_ms, ?3) WHERE campaign_id = ?1 AND owner = ?2",
        params![lease.campaign_id, lease.owner, now_ms],
    )?;
    if n == 0 {
        return Err(JournalError::LeaseLost(lease.campaign_id));
    }
    Ok(())
}

/// The holder of `campaign_id` if its lease is live at `now_ms`.
pub(crate) fn live_holder(
    conn: &Connection,
    campaign_id: i64,
    now_ms: i64,
    ttl_ms: i64,
) -> Result<Option<LeaseHolder>, JournalError> {
    let holder = conn
        .query_row(
            "SELECT owner, pid, heartbeat_ms FROM leases WHERE campaign_id = ?1",
            [campaign_id],
            |r| {
                Ok(LeaseHolder {
                    owner: r.get(0)?,
                    pid: r.get(1)?,
                    heartbeat_ms: r.get(2)?,
                })
            },
        )
        .optional()?;
    Ok(holder.filter(|h| is_live(h, now_ms, ttl_ms)))
}

/// Whether `holder` still holds its campaign at `now_ms`: heartbeat fresh, process alive.
pub(crate) fn is_live(holder: &LeaseHolder, now_ms: i64, ttl_ms: i64) -> bool {
    now_ms - holder.heartbeat_ms < ttl_ms && process_may_exist(holder.pid)
}

/// False only when we can tell the process is gone (Linux: no `/proc/<pid>`, or a zombie).
/// Elsewhere the heartbeat TTL alone decides.
fn process_may_exist(pid: u32) -> bool {
    if !cfg!(target_os = "linux") {
        return true;
    }
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state letter follows the last ')' (the command name may contain one).
        Ok(stat) => match stat.rsplit_once(')') {
            Some((_, rest)) => !matches!(rest.trim_start().chars().next(), Some('Z' | 'X')),
            None => true,
        },
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_exists_and_a_made_up_one_does_not() {
        assert!(process_may_exist(std::process::id()));
        if cfg!(target_os = "linux") {
            // pid_max is at most 2^22 on Linux.
            assert!(!process_may_exist(4_194_305));
        }
    }
}
