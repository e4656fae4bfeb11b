//! Responsiveness figures for the desktop issue (not assertions: run it by hand and read the
//! output): `xvfb-run -a cargo test --features custom-protocol --test e2e -- --ignored
//! --nocapture responsiveness`.
//!
//! It imports a generated 100,000-row sheet through the real window, sends it to the demo
//! simulator, and reports the time to the review screen and to the end of the send, the
//! longest gap between animation frames in each phase (a frozen UI shows up as a long gap),
//! and the latency of a page of the review table.

use std::time::Instant;

use thirtyfour::prelude::*;

use crate::driver;

const ROWS: u32 = 100_000;

fn write_big_sheet(path: &std::path::Path) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["手机号", "姓名", "城市", "产品"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).expect("header");
    }
    for r in 1..=ROWS {
        ws.write_string(r, 0, format!("13{:09}", r)).expect("phone");
        ws.write_string(r, 1, format!("客户{r}")).expect("name");
        ws.write_string(r, 2, "杭州").expect("city");
        ws.write_string(r, 3, "宽带续费").expect("product");
    }
    wb.save(path).expect("save");
}

// Records every gap between animation frames; long ones (>= 50 ms) keep when they ended,
// relative to the last `__mark`, so a freeze can be placed on the timeline of the action.
const FRAME_MONITOR: &str = r#"
    window.__gaps = [];
    window.__long = [];
    window.__mark = performance.now();
    let last = performance.now();
    const tick = (t) => {
        const gap = t - last;
        window.__gaps.push(gap);
        if (gap >= 50) window.__long.push(`${Math.round(gap)}@${Math.round(t - window.__mark)}`);
        last = t;
        requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
"#;

/// The longest frame gap since the last call, and the long gaps as `gap@ms-after-mark`.
async fn gaps_since_mark(driver: &WebDriver) -> (f64, String) {
    let ret = driver
        .execute(
            "const g = window.__gaps || []; const m = g.length ? Math.max(...g) : 0; const l = (window.__long || []).join(' '); window.__gaps = []; window.__long = []; return [m, l];",
            vec![],
        )
        .await
        .expect("read frame gaps");
    let v = ret.json();
    (
        v[0].as_f64().unwrap_or(0.0),
        v[1].as_str().unwrap_or_default().to_owned(),
    )
}

async fn mark(driver: &WebDriver) {
    driver
        .execute("window.__mark = performance.now();", vec![])
        .await
        .expect("mark");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "measurement, run by hand"]
async fn responsiveness() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sheet = dir.path().join("big.xlsx");
    write_big_sheet(&sheet);
    let Some(app) = driver::start_with_env(&[("SMARTDIAL_DEMO", "1".to_owned())]).await else {
        return;
    };
    app.by_test_id("import-path").await;
    app.driver
        .execute(FRAME_MONITOR, vec![])
        .await
        .expect("frame monitor");

    // Baseline: the longest frame gap while nothing happens (Xvfb renders in software).
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    let (gap_idle, long_idle) = gaps_since_mark(&app.driver).await;

    app.type_into("import-path", &sheet.display().to_string())
        .await;
    mark(&app.driver).await;
    let started = Instant::now();
    app.click("import-open").await;
    app.by_test_id("import-preview").await;
    let preview = started.elapsed();
    // Frames drawn just after the preview appears still belong to the import.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let (gap_import, long_import) = gaps_since_mark(&app.driver).await;

    app.click("to-map").await;
    mark(&app.driver).await;
    let mapped = Instant::now();
    app.click("apply-mapping").await;
    app.by_test_id("count-valid").await;
    let review = mapped.elapsed();
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let (gap_review, long_review) = gaps_since_mark(&app.driver).await;

    // Page latency as the virtualized table sees it: an IPC round trip for 200 rows deep in
    // the list.
    let mut samples = Vec::new();
    for offset in [0u32, 25_000, 50_000, 75_000, 99_800] {
        let ret = app
            .driver
            .execute(
                "const t = performance.now(); return window.__TAURI_INTERNALS__.invoke('contact_page', { offset: arguments[0], limit: 200, onlyProblems: false }).then(() => performance.now() - t);",
                vec![serde_json::json!(offset)],
            )
            .await
            .expect("page");
        samples.push(ret.json().as_f64().unwrap_or(f64::NAN));
    }
    samples.sort_by(|a, b| a.total_cmp(b));

    // Send all of them: 100 batches through the demo simulator, progress events all along.
    app.click("to-settings").await;
    app.type_into("task-callers", "057112345678\n").await;
    app.type_into("task-corp-name", "演示公司").await;
    app.type_into("task-name", "十万人").await;
    app.click("to-preview").await;
    app.click("send-button").await;
    app.by_test_id("confirm-text").await;
    mark(&app.driver).await;
    let sending = Instant::now();
    app.click("confirm-send").await;
    // 100 batches take ~5 s at the demo's pace; two minutes means it stopped.
    let deadline = Instant::now() + std::time::Duration::from_secs(120);
    while app
        .driver
        .find(By::Css("[data-testid='send-finished']"))
        .await
        .is_err()
    {
        if Instant::now() > deadline {
            let page = app
                .driver
                .execute(
                    "const ok = document.querySelector(\"[data-testid='confirm-send']\"); return `confirm button: ${ok ? ok.className : 'gone'}\n` + document.body.innerText",
                    vec![],
                )
                .await
                .map(|r| r.json().to_string())
                .unwrap_or_default();
            panic!(
                "the send did not finish in 2 minutes; the page says: {page}\napp log:\n{}",
                app.app_log()
            );
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    let sent = sending.elapsed();
    let (gap_send, long_send) = gaps_since_mark(&app.driver).await;
    eprintln!(
        "RESPONSIVENESS rows={ROWS} import→preview={:.2}s map→review={:.2}s max-frame-gap idle={gap_idle:.0}ms import={gap_import:.0}ms review={gap_review:.0}ms send={gap_send:.0}ms ({:.1}s) page(200 rows) min={:.1}ms median={:.1}ms max={:.1}ms",
        preview.as_secs_f64(),
        review.as_secs_f64(),
        sent.as_secs_f64(),
        samples[0],
        samples[samples.len() / 2],
        samples[samples.len() - 1],
    );
    eprintln!(
        "RESPONSIVENESS long frames (gap ms@ms after the action) idle: [{long_idle}] import: [{long_import}] review: [{long_review}] send: [{long_send}]"
    );
    app.quit().await;
}
