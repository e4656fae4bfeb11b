//! Call evidence in the results view, in demo mode: a refreshed campaign saves its
//! recordings in the background, a person's details show what was said, the search finds
//! them by it, and the recording plays from this computer (the app's `recording:` scheme,
//! never Alibaba's expiring link).

use std::path::Path;
use std::time::{Duration, Instant};

use crate::driver::{self, AppSession};

fn write_sheet(path: &Path) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "手机号").expect("header");
    ws.write_string(0, 1, "姓名").expect("header");
    for i in 1..=12u32 {
        ws.write_string(i, 0, format!("1390000{i:04}"))
            .expect("phone");
        ws.write_string(i, 1, format!("客户{i}")).expect("name");
    }
    wb.save(path).expect("save sheet");
}

/// Polls `script` (returning JSON) until `done` holds, for up to `secs` seconds.
async fn wait_for(
    app: &AppSession,
    script: &str,
    secs: u64,
    done: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        let value = app.run_js(script, vec![]).await;
        if done(&value) {
            return value;
        }
        assert!(
            Instant::now() < deadline,
            "gave up waiting: {value}\n{}",
            app.app_log()
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

const PAGE: &str = "const i = window.__TAURI_INTERNALS__.invoke; return i('list_campaigns').then(c => i('results_page', { id: c[0].id, offset: 0, limit: 100, outcome: 'answered', search: null }));";

#[tokio::test(flavor = "multi_thread")]
async fn a_refreshed_campaign_shows_the_conversation_and_plays_the_saved_recording() {
    let sheet_dir = tempfile::tempdir().expect("temp dir");
    let sheet = sheet_dir.path().join("录音名单.xlsx");
    write_sheet(&sheet);
    let Some(app) = driver::start_with_env(&[
        ("SMARTDIAL_DEMO", "1".to_owned()),
        ("SMARTDIAL_DEMO_PORT", driver::free_port().to_string()),
    ])
    .await
    else {
        return;
    };
    app.by_test_id("demo-banner").await;
    app.send_and_refresh(&sheet, "录音留证").await;

    // The refresh saves the answered calls' recordings in the background.
    let page = wait_for(&app, PAGE, 60, |page| {
        page["people"].as_array().is_some_and(|people| {
            !people.is_empty() && people.iter().all(|p| p["recordingPath"].is_string())
        })
    })
    .await;
    let person = page["people"]
        .as_array()
        .and_then(|people| {
            people
                .iter()
                .find(|p| p["transcript"].as_array().is_some_and(|t| t.len() > 1))
        })
        .cloned()
        .unwrap_or_else(|| panic!("an answered call with a conversation: {page}"));
    let saved = app
        .data_dir
        .path()
        .join(person["recordingPath"].as_str().expect("path"));
    assert!(saved.is_file(), "{}", saved.display());
    let usage = wait_for(
        &app,
        "return document.querySelector('[data-testid=recordings-usage]').textContent;",
        30,
        |t| t.as_str().is_some_and(|t| t.starts_with("已保存")),
    )
    .await;
    assert!(
        usage.as_str().unwrap_or_default().contains("个录音"),
        "{usage}"
    );

    // At the window's size every action is on screen without sideways scrolling, and no
    // count card breaks its label over two lines.
    let layout = app.run_js("const w = window.innerWidth; \
         const right = id => { const e = document.querySelector(`[data-testid=${id}]`); return e ? e.getBoundingClientRect().right : null; }; \
         const plays = [...document.querySelectorAll('[data-testid=play-recording], [data-testid=person-details-toggle]')].map(e => e.getBoundingClientRect().right); \
         const titles = [...document.querySelectorAll('[data-testid^=results-count-] .ant-statistic-title span')].map(e => e.getClientRects().length); \
         return { w, page: document.documentElement.scrollWidth, refresh: right('results-refresh'), exp: right('results-export'), recall: right('results-recall'), plays, titles };",
        vec![],
    )
    .await;
    let width = layout["w"].as_f64().expect("width");
    assert!(
        layout["page"].as_f64().unwrap_or(f64::MAX) <= width,
        "{layout}"
    );
    for key in ["refresh", "exp", "recall"] {
        assert!(
            layout[key].as_f64().is_some_and(|r| r <= width),
            "{key} off screen: {layout}"
        );
    }
    let plays = layout["plays"].as_array().expect("row actions");
    assert!(!plays.is_empty(), "{layout}");
    assert!(
        plays.iter().all(|r| r.as_f64().is_some_and(|r| r <= width)),
        "{layout}"
    );
    let titles = layout["titles"].as_array().expect("card titles");
    assert!(
        !titles.is_empty() && titles.iter().all(|n| n == 1),
        "{layout}"
    );

    // The search finds the person by something the customer said.
    let said = person["transcript"]
        .as_array()
        .and_then(|t| t.iter().find(|turn| turn["speaker"] == "customer"))
        .and_then(|turn| turn["content"].as_str())
        .unwrap_or_else(|| panic!("the customer spoke: {person}"))
        .to_owned();
    let words: String = said.chars().take(4).collect();
    let number = person["number"].as_str().expect("number").to_owned();
    let search = app
        .driver
        .find(thirtyfour::By::Css(
            "input[data-testid='results-search'], [data-testid='results-search'] input",
        ))
        .await
        .expect("search box");
    search
        .send_keys(format!("{number} {words}"))
        .await
        .expect("type the search");
    search
        .send_keys(thirtyfour::Key::Enter)
        .await
        .expect("press Enter");
    let shown = wait_for(
        &app,
        "return [...document.querySelectorAll('[data-testid=person-number]')].map(e => e.textContent);",
        20,
        |v| v.as_array().is_some_and(|a| a.len() == 1),
    )
    .await;
    assert_eq!(shown[0].as_str(), Some(number.as_str()));

    // Play: the details open with the conversation and the local recording.
    let row = format!("{}:{}", person["batchIndex"], person["position"]);
    app.driver
        .find(thirtyfour::By::Css(format!(
            "tr[data-row-key='{row}'] [data-testid='play-recording']"
        )))
        .await
        .expect("play button")
        .click()
        .await
        .expect("play");
    let transcript = app.text_of("transcript").await;
    assert!(transcript.contains(&said), "{transcript}");
    assert!(transcript.contains("机器人") && transcript.contains("客户"));
    let player = wait_for(
        &app,
        "const a = document.querySelector('[data-testid=recording-player]'); return a ? { source: a.dataset.source, src: a.currentSrc || a.src, ready: a.readyState, duration: a.duration, error: a.error && a.error.code } : null;",
        30,
        |a| a["ready"].as_u64().is_some_and(|r| r >= 1) || !a["error"].is_null(),
    )
    .await;
    // The bytes come from the app's own scheme (the saved file), never the expiring link,
    // and play from memory.
    let source = player["source"].as_str().unwrap_or_default();
    assert!(
        source.starts_with("recording://") || source.starts_with("http://recording.localhost/"),
        "the app's own scheme, not the link: {player}"
    );
    assert!(
        player["src"]
            .as_str()
            .unwrap_or_default()
            .starts_with("blob:"),
        "{player}"
    );
    assert!(player["error"].is_null(), "{player}\n{}", app.app_log());
    assert!(
        player["duration"].as_f64().is_some_and(|d| d > 0.0),
        "{player}"
    );
    let length = app.text_of("recording-length").await;
    assert!(length.contains("录音长度"), "{length}");
    app.run_js("document.querySelector('[data-testid=transcript]').scrollIntoView({block: 'center'}); return null;",
        vec![],
    )
    .await;
    app.screenshot("14-conversation").await;
    app.quit().await;
}
