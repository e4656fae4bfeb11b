//! Starting the app under tauri-driver and stopping both cleanly.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use thirtyfour::prelude::*;

/// The running app session. Dropping it stops tauri-driver with SIGTERM: a SIGKILL would
/// orphan WebKitWebDriver, which keeps its port and hangs the next run.
pub struct AppSession {
    pub driver: WebDriver,
    pub data_dir: tempfile::TempDir,
    _tauri_driver: DriverProcess,
}

/// tauri-driver, stopped with SIGTERM when dropped.
struct DriverProcess(Child);

impl Drop for DriverProcess {
    fn drop(&mut self) {
        terminate(&mut self.0);
    }
}

/// Why the e2e tests cannot run here, if they cannot.
fn missing_prerequisite() -> Option<String> {
    if !cfg!(feature = "custom-protocol") {
        return Some("the app was built without --features custom-protocol".into());
    }
    if std::env::var_os("DISPLAY").is_none() {
        return Some("no DISPLAY (run under xvfb-run)".into());
    }
    if which("tauri-driver").is_none() {
        return Some("tauri-driver is not installed".into());
    }
    None
}

/// The app under test: the binary cargo built for this test, or `SMARTDIAL_E2E_APP` (a
/// release build, for measurements).
fn app_binary() -> String {
    std::env::var("SMARTDIAL_E2E_APP")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_smartdial-desktop").to_owned())
}

fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

/// Starts the app with a fresh data folder, or returns `None` (after saying why) when this
/// machine cannot run it and CI did not require it.
pub async fn start() -> Option<AppSession> {
    start_with_env(&[]).await
}

/// Calling hours all day, so a campaign sent "now" does not wait whatever the time in
/// Beijing; a test that sets its own settings file keeps it.
fn open_calling_hours_all_day(data_dir: &std::path::Path) {
    let settings = data_dir.join("settings.json");
    if !settings.exists() {
        std::fs::create_dir_all(data_dir).expect("data dir");
        std::fs::write(
            settings,
            r#"{"calling": {"hours": {"days": [1, 2, 3, 4, 5, 6, 7], "ranges": "00:00-24:00"}}}"#,
        )
        .expect("settings");
    }
}

/// Like [`start`], with extra environment variables for the app.
pub async fn start_with_env(env: &[(&str, String)]) -> Option<AppSession> {
    if let Some(reason) = missing_prerequisite() {
        if std::env::var("SMARTDIAL_REQUIRE_E2E").as_deref() == Ok("1") {
            panic!("end-to-end test required but cannot run: {reason}");
        }
        eprintln!("e2e skipped: {reason}");
        return None;
    }
    // Shared with the updater plugin's reqwest, thirtyfour's has TLS without a built-in
    // crypto provider (see Cargo.toml); an already installed one is fine.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let data_dir = tempfile::tempdir().expect("temp data dir");
    let effective = env
        .iter()
        .find(|(k, _)| *k == "SMARTDIAL_DATA_DIR")
        .map(|(_, v)| std::path::PathBuf::from(v))
        .unwrap_or_else(|| data_dir.path().to_path_buf());
    open_calling_hours_all_day(&effective);
    let port = free_port();
    let mut native_port = free_port();
    while native_port == port {
        native_port = free_port();
    }
    // Owned by a guard from the start: a failure below must not orphan tauri-driver and
    // its WebKitWebDriver (the next run would hang on them).
    let tauri_driver = DriverProcess(
        Command::new(which("tauri-driver").expect("tauri-driver"))
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .env("SMARTDIAL_DATA_DIR", data_dir.path())
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start tauri-driver"),
    );
    wait_for_port(port, Duration::from_secs(20));
    // tauri-driver answers before its WebKitWebDriver is up; a session request in between
    // fails, so wait for that one too.
    wait_for_port(native_port, Duration::from_secs(20));

    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), "wry".into());
    caps.insert(
        "tauri:options".into(),
        serde_json::json!({ "application": app_binary() }),
    );
    let mut attempt = 0;
    let driver = loop {
        match WebDriver::new(format!("http://127.0.0.1:{port}"), caps.clone()).await {
            Ok(driver) => break driver,
            // A loaded machine can still be starting WebKitWebDriver: try a few times.
            Err(err) if attempt < 5 => {
                attempt += 1;
                eprintln!("WebDriver session attempt {attempt} failed: {err}");
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
            Err(err) => panic!("WebDriver session with the app: {err}"),
        }
    };
    Some(AppSession {
        driver,
        data_dir,
        _tauri_driver: tauri_driver,
    })
}

impl AppSession {
    /// Waits (up to 2 s) until the element stops moving. A dialog zooming in moves its
    /// buttons: a click aimed at one mid-animation can land beside it and do nothing (seen:
    /// the send confirmation stayed open in about one run in ten).
    pub async fn settle(&self, id: &str) {
        let script = format!(
            "const e = document.querySelector(\"[data-testid='{id}']\"); if (!e) return ''; const r = e.getBoundingClientRect(); return [r.x, r.y, r.width, r.height].join(',');"
        );
        let deadline = Instant::now() + Duration::from_secs(2);
        let mut last = String::new();
        while Instant::now() < deadline {
            let now = self
                .driver
                .execute(script.as_str(), vec![])
                .await
                .ok()
                .and_then(|r| r.json().as_str().map(str::to_owned))
                .unwrap_or_default();
            if !now.is_empty() && now == last {
                return;
            }
            last = now;
            tokio::time::sleep(Duration::from_millis(60)).await;
        }
    }

    /// The app's own log so far (for a failure message): what Rust did and refused.
    pub fn app_log(&self) -> String {
        let Ok(entries) = std::fs::read_dir(self.data_dir.path().join("logs")) else {
            return String::from("(no log folder)");
        };
        entries
            .flatten()
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Clicks an element by its `data-testid`, retrying while something (a fading dialog,
    /// a spinner) still covers it.
    pub async fn click(&self, id: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let element = self.by_test_id(id).await;
            self.settle(id).await;
            match element.click().await {
                Ok(()) => return,
                Err(e) if Instant::now() < deadline => {
                    eprintln!(
                        "click {id} retried: {}",
                        e.to_string().lines().next().unwrap_or("")
                    );
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
                Err(e) => panic!("click {id}: {e}"),
            }
        }
    }

    /// Types into the input with this `data-testid` (or the input inside it).
    /// Runs `script` in the window with `args` and returns what it returns; a script that
    /// throws fails the test with the app's log.
    pub async fn run_js(&self, script: &str, args: Vec<serde_json::Value>) -> serde_json::Value {
        self.driver
            .execute(script, args)
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{}", self.app_log()))
            .json()
            .clone()
    }

    /// Sends a demo campaign from `sheet` (a 手机号 and a 姓名 column) the usual way: 姓名 as
    /// a variable, a caller and company, `task_name`; then opens its results and refreshes
    /// them once.
    pub async fn send_and_refresh(&self, sheet: &std::path::Path, task_name: &str) {
        self.type_into("import-path", &sheet.display().to_string())
            .await;
        self.click("import-open").await;
        self.by_test_id("import-preview").await;
        self.click("to-map").await;
        self.type_into("variable-name", "姓名").await;
        self.click("variable-add").await;
        self.by_test_id("variable-column-姓名").await;
        self.click("apply-mapping").await;
        self.by_test_id("count-valid").await;
        self.click("to-settings").await;
        self.type_into("task-callers", "057112345678\n").await;
        self.type_into("task-corp-name", "演示公司").await;
        self.type_into("task-name", task_name).await;
        self.click("to-preview").await;
        self.click("send-button").await;
        self.by_test_id("confirm-text").await;
        self.click("confirm-send").await;
        self.by_test_id("send-finished").await;
        self.click("to-history").await;
        self.click("history-results").await;
        self.by_test_id("results-view").await;
        self.click("results-refresh").await;
        self.by_test_id("results-refresh-report").await;
    }

    pub async fn type_into(&self, id: &str, text: &str) {
        let element = self.by_test_id(id).await;
        // antd wraps inputs; the test id may sit on the wrapper.
        let input = if element.tag_name().await.unwrap_or_default() == "input" {
            element
        } else {
            element
                .find(By::Css("input"))
                .await
                .unwrap_or_else(|e| panic!("input inside {id}: {e}"))
        };
        input
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("type into {id}: {e}"));
    }

    /// Waits (polling) for an element by its `data-testid`.
    pub async fn by_test_id(&self, id: &str) -> WebElement {
        self.driver
            .query(By::Css(format!("[data-testid='{id}']")))
            .wait(Duration::from_secs(20), Duration::from_millis(100))
            .and_displayed()
            .first()
            .await
            .unwrap_or_else(|err| panic!("element [data-testid='{id}'] not found: {err}"))
    }

    /// The visible text of an element, once it has any: dialogs fade in, and an element
    /// that is still transparent reads as "".
    pub async fn text_of(&self, id: &str) -> String {
        let element = self.by_test_id(id).await;
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let text = element.text().await.unwrap_or_default();
            if !text.is_empty() || Instant::now() > deadline {
                return text;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Saves a screenshot of the window as `<name>.png` into `SMARTDIAL_SCREENSHOTS`, when set
    /// (`.ci/screenshots` uses this for the README).
    pub async fn screenshot(&self, name: &str) {
        let Some(dir) = std::env::var_os("SMARTDIAL_SCREENSHOTS") else {
            return;
        };
        let dir = PathBuf::from(dir);
        let _ = std::fs::create_dir_all(&dir);
        // Let animations settle so the picture shows the finished state.
        tokio::time::sleep(Duration::from_millis(600)).await;
        // WebKitWebDriver sometimes drops a screenshot request on a loaded machine: ask again.
        for attempt in 1..=3 {
            match self
                .driver
                .screenshot(&dir.join(format!("{name}.png")))
                .await
            {
                Ok(()) => return,
                Err(err) => eprintln!("screenshot {name} failed (try {attempt} of 3): {err}"),
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        // Some pages (the do-not-call list) make WebKitWebDriver drop every screenshot
        // request: take the Xvfb screen the window fills instead (ImageMagick, from setup).
        let grabbed = std::process::Command::new("import")
            .args(["-window", "root"])
            .arg(dir.join(format!("{name}.png")))
            .status();
        if !grabbed.as_ref().is_ok_and(|s| s.success()) {
            eprintln!("screenshot {name}: the screen grab failed too ({grabbed:?})");
        }
    }

    /// Ends the WebDriver session (closing the app); Drop then stops tauri-driver.
    pub async fn quit(self) {
        let _ = self.driver.clone().quit().await;
    }
}

fn terminate(child: &mut Child) {
    if let Ok(Some(_)) = child.try_wait() {
        return;
    }
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn wait_for_port(port: u16, timeout: Duration) {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("tauri-driver did not listen on port {port} within {timeout:?}");
}
