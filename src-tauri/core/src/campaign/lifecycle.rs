//! What a marketer may do with a campaign in a given state: pause, resume, cancel, and
//! whether it counts as unfinished (History's "continue" button and the start-up offer).
//! The desktop used to answer this in three places with three different state lists; it
//! now reads the whole table from here ([`CampaignActions::table`], in `FormLimits`), so
//! it decides nothing itself and follows the campaign's state as events change it.

use serde::Serialize;

use super::model::{BatchCounts, BatchState, CampaignState};

/// The actions a campaign allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct CampaignActions {
    /// A run is sending it: it can be paused.
    pub pause: bool,
    /// A new run may start now: nothing is sending and no batch waits for a decision.
    pub resume: bool,
    /// Some batches were never sent and cancelling would keep them from ever leaving.
    pub cancel: bool,
    /// Something is left to do, by resuming or by deciding about batches whose outcome is
    /// unknown first: what "unfinished" means wherever the app offers to continue (when no
    /// other process holds the campaign). A `running` campaign nobody holds is one a crash
    /// left behind, so it counts.
    pub unfinished: bool,
}

/// One row of the table the desktop reads: a state, whether batches wait for a decision,
/// and what is allowed then.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct CampaignActionsRow {
    pub state: CampaignState,
    pub awaiting_decision: bool,
    pub actions: CampaignActions,
}

/// A batch whose outcome is unknown waits for the marketer to resend it or mark it sent
/// (`Journal::decide_unknown` settles exactly these).
pub fn awaits_decision(state: BatchState) -> bool {
    state == BatchState::Unknown
}

/// States a new run can pick up from: journaled but not started, paused, or stopped by an
/// account problem since (perhaps) fixed.
fn can_continue(state: CampaignState) -> bool {
    matches!(
        state,
        CampaignState::Ready | CampaignState::Paused | CampaignState::Stopped
    )
}

impl CampaignActions {
    /// What a campaign in `state` allows; `awaiting_decision`: some of its batches have an
    /// unknown outcome and must be resent or marked sent before it goes on.
    pub fn of(state: CampaignState, awaiting_decision: bool) -> CampaignActions {
        CampaignActions {
            pause: state == CampaignState::Running,
            resume: can_continue(state) && !awaiting_decision,
            cancel: state == CampaignState::Running || can_continue(state),
            unfinished: match state {
                CampaignState::Cancelled => false,
                CampaignState::Finished => awaiting_decision,
                _ => true,
            },
        }
    }

    /// The same from a campaign's batch counts.
    pub fn for_counts(state: CampaignState, counts: &BatchCounts) -> CampaignActions {
        CampaignActions::of(state, counts.unknown > 0)
    }

    /// Every combination, for a front end that looks the answer up as states change.
    pub fn table() -> Vec<CampaignActionsRow> {
        CampaignState::ALL
            .into_iter()
            .flat_map(|state| {
                [false, true].map(|awaiting_decision| CampaignActionsRow {
                    state,
                    awaiting_decision,
                    actions: CampaignActions::of(state, awaiting_decision),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_running_campaign_pauses_and_a_ready_paused_or_stopped_one_resumes() {
        let running = CampaignActions::of(CampaignState::Running, false);
        assert!(running.pause && running.cancel && !running.resume && running.unfinished);
        for state in [
            CampaignState::Ready,
            CampaignState::Paused,
            CampaignState::Stopped,
        ] {
            let a = CampaignActions::of(state, false);
            assert!(
                a.resume && a.cancel && a.unfinished && !a.pause,
                "{state:?}"
            );
        }
        for state in [CampaignState::Finished, CampaignState::Cancelled] {
            let a = CampaignActions::of(state, false);
            assert_eq!(
                a,
                CampaignActions {
                    pause: false,
                    resume: false,
                    cancel: false,
                    unfinished: false
                },
                "{state:?}"
            );
        }
    }

    /// Batches of unknown outcome block resuming until decided, and keep a finished
    /// campaign unfinished (the start-up offer leads to that decision); a cancelled
    /// campaign stays done.
    #[test]
    fn batches_awaiting_a_decision_block_resume_and_keep_the_campaign_unfinished() {
        let paused = CampaignActions::of(CampaignState::Paused, true);
        assert!(!paused.resume && paused.unfinished && paused.cancel);
        let finished = CampaignActions::of(CampaignState::Finished, true);
        assert!(!finished.resume && finished.unfinished && !finished.cancel);
        assert!(!CampaignActions::of(CampaignState::Cancelled, true).unfinished);
    }

    #[test]
    fn the_table_holds_every_state_with_and_without_a_pending_decision() {
        let table = CampaignActions::table();
        assert_eq!(table.len(), CampaignState::ALL.len() * 2);
        for row in table {
            assert_eq!(
                row.actions,
                CampaignActions::of(row.state, row.awaiting_decision)
            );
        }
    }

    #[test]
    fn counts_with_an_unknown_batch_await_a_decision() {
        let mut counts = BatchCounts::default();
        counts.add(BatchState::Planned, 2);
        assert!(CampaignActions::for_counts(CampaignState::Paused, &counts).resume);
        counts.add(BatchState::Unknown, 1);
        assert!(!CampaignActions::for_counts(CampaignState::Paused, &counts).resume);
        assert!(awaits_decision(BatchState::Unknown));
        assert!(!awaits_decision(BatchState::Rejected));
    }
}
