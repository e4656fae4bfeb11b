//! Where SmartDial keeps its files. `SMARTDIAL_DATA_DIR` relocates all of them (settings,
//! journal, logs), which is how tests and portable installs keep to one folder.

use std::path::{Path, PathBuf};

use directories::ProjectDirs;

/// The environment variable that overrides every folder below.
pub const DATA_DIR_ENV: &str = "SMARTDIAL_DATA_DIR";

/// The folders and files of one SmartDial installation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppPaths {
    pub data_dir: PathBuf,
    pub log_dir: PathBuf,
}

impl AppPaths {
    /// All files under one folder, logs in its `logs/` subfolder.
    pub fn under(data_dir: impl Into<PathBuf>) -> Self {
        let data_dir = data_dir.into();
        AppPaths {
            log_dir: data_dir.join("logs"),
            data_dir,
        }
    }

    /// `SMARTDIAL_DATA_DIR` if set, else the OS conventions: `%APPDATA%\SmartDial` on
    /// Windows, `~/Library/Application Support/com.smartdial.app` (logs in `~/Library/Logs`)
    /// on macOS, `$XDG_DATA_HOME/smartdial` (logs in `$XDG_STATE_HOME/smartdial`) on Linux.
    pub fn discover() -> Self {
        if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|v| !v.is_empty()) {
            return AppPaths::under(PathBuf::from(dir));
        }
        match ProjectDirs::from("com", "smartdial", "SmartDial") {
            Some(dirs) => AppPaths {
                data_dir: dirs.data_dir().to_path_buf(),
                log_dir: os_log_dir(&dirs),
            },
            // No home folder at all (a locked-down service account): stay in the working folder.
            None => AppPaths::under(PathBuf::from("smartdial-data")),
        }
    }

    pub fn journal_file(&self) -> PathBuf {
        self.data_dir.join("journal.sqlite3")
    }

    pub fn settings_file(&self) -> PathBuf {
        self.data_dir.join("settings.json")
    }

    pub fn profiles_file(&self) -> PathBuf {
        self.data_dir.join("profiles.json")
    }

    pub fn mappings_file(&self) -> PathBuf {
        self.data_dir.join("mappings.json")
    }

    /// The last used task settings and the named task templates.
    pub fn task_templates_file(&self) -> PathBuf {
        self.data_dir.join("task-templates.json")
    }

    /// Creates the folders if they are missing.
    pub fn ensure(&self) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.data_dir)?;
        std::fs::create_dir_all(&self.log_dir)
    }
}

fn os_log_dir(dirs: &ProjectDirs) -> PathBuf {
    if cfg!(target_os = "macos") {
        if let Some(home) = directories::BaseDirs::new() {
            return home.home_dir().join("Library/Logs/SmartDial");
        }
    }
    if let Some(state) = dirs.state_dir() {
        return state.join("logs");
    }
    join_logs(dirs.data_local_dir())
}

fn join_logs(dir: &Path) -> PathBuf {
    dir.join("logs")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn under_keeps_everything_in_one_folder() {
        let p = AppPaths::under("/tmp/sd");
        assert_eq!(p.log_dir, PathBuf::from("/tmp/sd/logs"));
        assert_eq!(p.journal_file(), PathBuf::from("/tmp/sd/journal.sqlite3"));
        assert!(p.settings_file().starts_with(&p.data_dir));
    }
}
