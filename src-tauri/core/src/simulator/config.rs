//! How a simulator instance behaves: its keys, seed, clock, faults, and the choices the docs
//! leave open (each one UNCERTAIN in `docs/api/dyvms.md`, so each one a setting).

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use crate::clock::{SystemClock, WallClock};
use crate::secrets::Secret;

use super::faults::FaultPlan;

/// The AccessKey id the simulator accepts by default: used by the demo mode. Not a real key.
pub const DEMO_ACCESS_KEY_ID: &str = "LTAIdemoSmartDialSimulator";
/// The secret of [`DEMO_ACCESS_KEY_ID`]. Not a real secret; it only opens the simulator.
pub const DEMO_ACCESS_KEY_SECRET: &str = "demo-secret-for-the-local-simulator-only";
/// The default seed of call outcomes.
pub const DEFAULT_SEED: u64 = 20_250_101;

/// Whether the robot-task APIs (`QueryRobotTaskList/Detail/CallList/CallDetail`, Stop/Cancel…)
/// know `BatchRobotSmartCall` tasks. The docs tie them to `CreateRobotTask`; whether a
/// BatchRobotSmartCall TaskId works there is UNCERTAIN (`docs/api/dyvms.md` §4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BatchTaskVisibility {
    /// They answer for BatchRobotSmartCall tasks like for any task.
    #[default]
    Visible,
    /// They do not list them and answer `isv.INVALID_PARAMETERS` for their ids.
    Error,
}

/// Everything a simulator instance is started with.
#[derive(Clone)]
pub struct SimulatorConfig {
    /// Accepted AccessKey pairs. Default: the demo key.
    pub access_keys: Vec<(String, Secret)>,
    /// Faults active from the start.
    pub faults: FaultPlan,
    /// Seed of TaskIds, RequestIds and call outcomes.
    pub seed: u64,
    /// The clock that judges `Timestamp`, writes the `Date` header and runs the calls.
    pub clock: Arc<dyn WallClock>,
    /// Most callee numbers in one BatchRobotSmartCall (1000 per four sources, 100 per one;
    /// `docs/api/dyvms.md` §5.4).
    pub callee_limit: usize,
    /// Most display numbers (CalledShowNumber) per call; documented as 100.
    pub show_number_limit: usize,
    /// HTTP status of business (`isv.*`) errors. The error-code metadata page lists 400 for
    /// many; the docs also say "check Code" — UNCERTAIN per code (`docs/api/dyvms.md` §5.2).
    pub business_error_status: u16,
    /// Accept `Timestamp` with fractional seconds (`…T00:00:00.123Z`), which the
    /// `aliyun-openapi-core-rust-sdk` crate sends; UNCERTAIN whether the server does.
    pub accept_fractional_timestamps: bool,
    /// Allowed clock difference for `Timestamp`, and how long a nonce is remembered.
    pub timestamp_window_secs: i64,
    /// See [`BatchTaskVisibility`].
    pub batch_task_visibility: BatchTaskVisibility,
    /// Milliseconds between two callees of one task being dialled (0: all at once).
    pub call_spacing_ms: u64,
    /// When true, a call's detail appears only after the call ended (realistic); when false
    /// it appears as soon as the call is placed (handy for tests and the demo).
    pub results_after_call_end: bool,
    /// If not empty, CalledShowNumber values must be among these ("purchased numbers").
    pub purchased_show_numbers: Vec<String>,
    /// Status codes forced for particular callee numbers, e.g. `13900001111 → 200010`.
    pub forced_outcomes: BTreeMap<String, u32>,
    /// Longest query string accepted; longer ones get a 414 HTML page like a front proxy's.
    /// The real gateway's limit is UNCERTAIN; `None` accepts anything the HTTP stack takes.
    pub max_query_bytes: Option<usize>,
}

impl SimulatorConfig {
    /// The demo key only, no faults, the system clock.
    pub fn demo() -> Self {
        SimulatorConfig {
            access_keys: vec![(
                DEMO_ACCESS_KEY_ID.to_owned(),
                Secret::new(DEMO_ACCESS_KEY_SECRET),
            )],
            faults: FaultPlan::default(),
            seed: DEFAULT_SEED,
            clock: Arc::new(SystemClock),
            callee_limit: 1000,
            show_number_limit: 100,
            business_error_status: 400,
            accept_fractional_timestamps: true,
            timestamp_window_secs: 15 * 60,
            batch_task_visibility: BatchTaskVisibility::Visible,
            call_spacing_ms: 0,
            results_after_call_end: false,
            purchased_show_numbers: Vec::new(),
            forced_outcomes: BTreeMap::new(),
            max_query_bytes: None,
        }
    }

    /// Same, with these faults.
    pub fn with_faults(faults: FaultPlan) -> Self {
        SimulatorConfig {
            faults,
            ..SimulatorConfig::demo()
        }
    }

    /// Adds an accepted AccessKey pair.
    pub fn with_key(mut self, id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.access_keys.push((id.into(), Secret::new(secret)));
        self
    }

    /// Replaces the clock.
    pub fn with_clock(mut self, clock: Arc<dyn WallClock>) -> Self {
        self.clock = clock;
        self
    }

    pub(crate) fn secret_for(&self, id: &str) -> Option<&Secret> {
        self.access_keys
            .iter()
            .find(|(known, _)| known == id)
            .map(|(_, secret)| secret)
    }
}

impl Default for SimulatorConfig {
    fn default() -> Self {
        SimulatorConfig::demo()
    }
}

impl fmt::Debug for SimulatorConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Secrets are `<redacted>` through `Secret`'s own Debug.
        f.debug_struct("SimulatorConfig")
            .field("access_keys", &self.access_keys)
            .field("faults", &self.faults)
            .field("seed", &self.seed)
            .field("callee_limit", &self.callee_limit)
            .field("business_error_status", &self.business_error_status)
            .field("batch_task_visibility", &self.batch_task_visibility)
            .field("call_spacing_ms", &self.call_spacing_ms)
            .field("results_after_call_end", &self.results_after_call_end)
            .finish_non_exhaustive()
    }
}
