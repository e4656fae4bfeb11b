//! Small helpers shared by the CLI tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A `smartdial` invocation with its own data folder and no inherited SmartDial settings.
pub struct Cli {
    pub data_dir: tempfile::TempDir,
}

impl Cli {
    /// Calling hours all day, so sending "now" does not wait whatever the time in Beijing;
    /// the tests of the hours set their own.
    pub fn new() -> Self {
        let cli = Cli {
            data_dir: tempfile::tempdir().expect("temp dir"),
        };
        std::fs::write(
            cli.data_dir.path().join("settings.json"),
            r#"{"calling": {"hours": {"days": [1, 2, 3, 4, 5, 6, 7], "ranges": "00:00-24:00"}}}"#,
        )
        .expect("settings");
        cli
    }

    pub fn data_path(&self) -> &Path {
        self.data_dir.path()
    }

    pub fn command(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_smartdial"));
        for (key, _) in std::env::vars() {
            if key.starts_with("SMARTDIAL_") || key.starts_with("ALIBABA_CLOUD_") {
                cmd.env_remove(key);
            }
        }
        cmd.env("SMARTDIAL_DATA_DIR", self.data_dir.path())
            .env("SMARTDIAL_LANG", "en");
        cmd
    }

    /// Runs with the given arguments and returns the finished process.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().expect("run smartdial")
    }
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

use smartdial_core::simulator::{
    FaultPlan, Simulator, SimulatorConfig, SimulatorHandle, DEMO_ACCESS_KEY_ID,
    DEMO_ACCESS_KEY_SECRET,
};

/// A simulator on its own thread (127.0.0.1, free port) with these faults and the demo key;
/// it stops when the handle is dropped. `handle.record()` shows what the CLI really sent.
pub fn start_simulator(faults: FaultPlan) -> SimulatorHandle {
    start_simulator_with(SimulatorConfig::with_faults(faults))
}

/// Same, with a full configuration (clock, seed, forced outcomes, …).
pub fn start_simulator_with(config: SimulatorConfig) -> SimulatorHandle {
    Simulator::spawn_in_thread(config).expect("start the dyvms simulator")
}

/// Points a `smartdial` command at the simulator and gives it the demo AccessKey through
/// the standard Alibaba Cloud variables.
pub fn use_simulator(cmd: &mut Command, sim: &SimulatorHandle) {
    cmd.env("SMARTDIAL_ENDPOINT", sim.endpoint())
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", DEMO_ACCESS_KEY_ID)
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", DEMO_ACCESS_KEY_SECRET);
}
