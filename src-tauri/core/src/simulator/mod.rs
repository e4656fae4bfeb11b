//! A local stand-in for the dyvms endpoint that verifies signatures the way Alibaba Cloud
//! does. It serves the desktop app's demo mode and every test in the workspace.
//!
//! It behaves like the real endpoint as far as `docs/api/dyvms.md` tells:
//! signatures V3 (`ACS3-HMAC-SHA256`, `gateway_v3`) and V1 (`HMAC-SHA1`, `gateway`), both with
//! the server's string-to-sign in `SignatureDoesNotMatch`, the
//! 15-minute `Timestamp` window with a `Date` header from its clock, nonce reuse,
//! case-sensitive action names, required parameters, the documented BatchRobotSmartCall
//! rules; it returns TaskIds, remembers tasks and fabricates deterministic call outcomes for
//! the query APIs (`Data` is JSON inside a string, as the real API sends it). A [`FaultPlan`]
//! injects throttling, 5xx, HTML error pages, latency, dropped connections, wrong
//! Content-Type, malformed `Data` and scripted business errors.
//!
//! ```no_run
//! use smartdial_core::simulator::{FaultPlan, Simulator, SimulatorConfig};
//!
//! let sim = Simulator::spawn_in_thread(SimulatorConfig::with_faults(FaultPlan {
//!     throttle_first: 1,
//!     ..FaultPlan::default()
//! }))?;
//! println!("point SMARTDIAL_ENDPOINT at {}", sim.endpoint());
//! // … run the client …
//! assert!(sim.record().batch_calls.is_empty());
//! # Ok::<(), smartdial_core::simulator::SimulatorError>(())
//! ```
//!
//! Admin endpoints, for tests in other processes: `GET /__simulator/record`,
//! `GET|POST /__simulator/faults` (JSON [`FaultPlan`]), `POST /__simulator/reset`,
//! `POST /__simulator/clock` (`{"advanceSeconds": N}`), `GET /__simulator/info`.
//! What it imitates is cited per rule from `docs/api/dyvms.md`.

mod actions;
mod config;
mod conn;
mod faults;
mod gateway;
mod gateway_v3;
pub mod outcomes;
mod record;
mod reply;
mod robots;
mod server;
mod tasks;

pub use actions::is_mainland_number;
pub use config::{
    BatchTaskVisibility, SimulatorConfig, DEFAULT_SEED, DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET,
};
pub use faults::{FaultPlan, ScriptedAnswer};
pub use gateway::{is_known_action, parse_timestamp, SIMULATED_ACTIONS, VERSION};
pub use record::{RecordedBatchCall, RecordedRequest, RecordedResult, SimulatorRecord};
pub use robots::{demo_robot, DemoRobot, DEMO_DIALOG_ID, DEMO_ROBOTS};
pub use server::{
    http_date, recording_wav, RunningSimulator, Simulator, SimulatorControl, SimulatorError,
    SimulatorHandle,
};

#[cfg(test)]
mod tests;
