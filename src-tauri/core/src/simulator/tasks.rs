//! Tasks the simulator remembers, and how their calls unfold on the simulator clock.

use chrono::{DateTime, Duration, FixedOffset, Utc};

use super::outcomes::{outcome_for, CallOutcome};

/// A robot call task created by `BatchRobotSmartCall`.
#[derive(Debug, Clone)]
pub(crate) struct Task {
    pub id: String,
    pub created_at: DateTime<Utc>,
    /// When dialling starts: `ScheduleTime` if scheduled in the future, else creation.
    pub fire_at: DateTime<Utc>,
    pub scheduled: bool,
    pub numbers: Vec<String>,
    pub show_numbers: Vec<String>,
    pub dialog_id: String,
    pub task_name: String,
    pub corp_name: Option<String>,
    pub control: Control,
    pub deleted: bool,
}

/// Stop/cancel history: dialling halts at `halted_at`; a restart shifts the rest by the pause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Control {
    Running,
    /// `CancelOrderRobotTask` before the start, or `CancelRobotTask` while running.
    Canceled {
        at: DateTime<Utc>,
    },
    /// `StopRobotTask`; may be restarted once with `StartRobotTask`.
    Stopped {
        at: DateTime<Utc>,
    },
    Resumed {
        stopped_at: DateTime<Utc>,
        resumed_at: DateTime<Utc>,
    },
}

/// Where one callee stands at a moment.
#[derive(Debug, Clone)]
pub(crate) enum CallState {
    /// Not dialled yet (scheduled, paused, or waiting its turn).
    Pending,
    /// Never going to be dialled (task canceled first).
    NotCalled,
    /// Placed; the outcome is known (even if the call is still going on, see
    /// `SimulatorConfig::results_after_call_end`).
    Done(Box<CallOutcome>),
}

/// China Standard Time: the docs print local times without a zone; the service is in China.
pub(crate) fn cst() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| unreachable!("8h is a valid offset"))
}

/// `yyyy-MM-dd HH:mm:ss` in China Standard Time.
pub(crate) fn local_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&cst())
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// `yyyy.MM.dd HH:mm:ss`, the format QueryRobotTaskList documents.
pub(crate) fn dotted_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&cst())
        .format("%Y.%m.%d %H:%M:%S")
        .to_string()
}

impl Task {
    /// When callee `index` is (or was to be) dialled, before pauses.
    fn planned_at(&self, index: usize, spacing_ms: u64) -> DateTime<Utc> {
        let offset = spacing_ms.saturating_mul(index as u64).min(i64::MAX as u64) as i64;
        self.fire_at + Duration::milliseconds(offset)
    }

    /// When callee `index` is dialled given stops and restarts; `None` if never.
    pub fn placed_at(&self, index: usize, spacing_ms: u64) -> Option<DateTime<Utc>> {
        let planned = self.planned_at(index, spacing_ms);
        match self.control {
            Control::Running => Some(planned),
            Control::Canceled { at } | Control::Stopped { at } => (planned < at).then_some(planned),
            Control::Resumed {
                stopped_at,
                resumed_at,
            } => Some(if planned < stopped_at {
                planned
            } else {
                planned + (resumed_at - stopped_at)
            }),
        }
    }

    pub fn call_state(
        &self,
        index: usize,
        now: DateTime<Utc>,
        seed: u64,
        spacing_ms: u64,
        after_end: bool,
        forced: Option<u32>,
    ) -> CallState {
        let Some(placed) = self.placed_at(index, spacing_ms) else {
            return match self.control {
                Control::Canceled { .. } => CallState::NotCalled,
                _ => CallState::Pending,
            };
        };
        if now < placed {
            return CallState::Pending;
        }
        let number = self.numbers.get(index).map(String::as_str).unwrap_or("");
        let outcome = outcome_for(seed, &self.id, number, placed, forced);
        if after_end && now < outcome.ended_at {
            return CallState::Pending;
        }
        CallState::Done(Box::new(outcome))
    }

    /// The task state names of `QueryRobotTaskList` (`EXCUTING` is the documented spelling).
    pub fn status(&self, now: DateTime<Utc>, seed: u64, spacing_ms: u64) -> &'static str {
        match self.control {
            Control::Canceled { .. } => return "CANCEL",
            Control::Stopped { .. } => return "MANUAL_STOP",
            _ => {}
        }
        if now < self.fire_at {
            return "INIT";
        }
        let all_done = (0..self.numbers.len()).all(|i| {
            matches!(
                self.call_state(i, now, seed, spacing_ms, true, None),
                CallState::Done(_)
            )
        });
        if all_done {
            "FINISH"
        } else {
            "EXCUTING"
        }
    }

    /// When the last call ended, if all did.
    pub fn completed_at(
        &self,
        now: DateTime<Utc>,
        seed: u64,
        spacing_ms: u64,
    ) -> Option<DateTime<Utc>> {
        let mut last = None;
        for i in 0..self.numbers.len() {
            match self.call_state(i, now, seed, spacing_ms, true, None) {
                CallState::Done(o) => last = last.max(Some(o.ended_at)),
                _ => return None,
            }
        }
        last
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(control: Control) -> Task {
        let t0 = DateTime::from_timestamp(1_735_689_600, 0).unwrap_or_default();
        Task {
            id: "4000001".into(),
            created_at: t0,
            fire_at: t0,
            scheduled: false,
            numbers: (0..4).map(|i| format!("1390000000{i}")).collect(),
            show_numbers: vec!["057112345678".into()],
            dialog_id: "1".into(),
            task_name: "t".into(),
            corp_name: None,
            control,
            deleted: false,
        }
    }

    #[test]
    fn stop_halts_later_callees_and_restart_shifts_them() {
        let t0 = task(Control::Running).fire_at;
        let s = t0 + Duration::seconds(15);
        let stopped = task(Control::Stopped { at: s });
        assert_eq!(stopped.placed_at(0, 10_000), Some(t0));
        assert_eq!(
            stopped.placed_at(1, 10_000),
            Some(t0 + Duration::seconds(10))
        );
        assert_eq!(stopped.placed_at(2, 10_000), None);
        let resumed = task(Control::Resumed {
            stopped_at: s,
            resumed_at: s + Duration::seconds(100),
        });
        assert_eq!(
            resumed.placed_at(2, 10_000),
            Some(t0 + Duration::seconds(120))
        );
        let canceled = task(Control::Canceled { at: s });
        assert!(matches!(
            canceled.call_state(3, s + Duration::hours(1), 1, 10_000, false, None),
            CallState::NotCalled
        ));
    }

    #[test]
    fn status_moves_from_executing_to_finish() {
        let t = task(Control::Running);
        assert_eq!(t.status(t.fire_at - Duration::seconds(1), 1, 0), "INIT");
        assert_eq!(t.status(t.fire_at, 1, 0), "EXCUTING");
        assert_eq!(t.status(t.fire_at + Duration::hours(1), 1, 0), "FINISH");
        assert!(t
            .completed_at(t.fire_at + Duration::hours(1), 1, 0)
            .is_some());
    }

    #[test]
    fn local_times_are_china_standard_time() {
        let t = task(Control::Running).fire_at;
        assert_eq!(local_time(t), "2025-01-01 08:00:00");
        assert_eq!(dotted_time(t), "2025.01.01 08:00:00");
    }
}
