//! Small helpers shared by the CLI tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A `smartdial` invocation with its own data folder and no inherited SmartDial settings.
pub struct Cli {
    pub data_dir: tempfile::TempDir,
}

impl Cli {
    pub fn new() -> Self {
        Cli {
            data_dir: tempfile::tempdir().expect("temp dir"),
        }
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

#[allow(dead_code)]
pub fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}
