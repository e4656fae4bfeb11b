//! The marketer's words in the real app (issue 15): a workbook that opens on its
//! instructions sheet is read from its contact sheet, and says why; a sheet without phone
//! numbers never goes on silently.

use std::path::Path;
use std::time::{Duration, Instant};

use thirtyfour::prelude::*;

use crate::driver::{self, AppSession};

/// An instructions sheet first ("说明", one line of text), the contact list second, and
/// the contact list is the active sheet (the one Excel shows on opening).
fn write_two_sheet_workbook(path: &Path) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let notes = wb.add_worksheet();
    notes.set_name("说明").expect("name");
    notes
        .write_string(0, 0, "请把客户填在“客户名单”表里，每行一位。")
        .expect("note");
    let contacts = wb.add_worksheet();
    contacts.set_name("客户名单").expect("name");
    contacts.write_string(0, 0, "姓名").expect("header");
    contacts.write_string(0, 1, "手机号").expect("header");
    contacts.write_string(1, 0, "张三").expect("name");
    contacts.write_string(1, 1, "13800138000").expect("phone");
    contacts.write_string(2, 0, "李四").expect("name");
    contacts.write_string(2, 1, "13900139000").expect("phone");
    contacts.set_active(true);
    wb.save(path).expect("save workbook");
}

/// Waits until the element's text contains `needle` (texts change after a re-read).
async fn wait_for_text(app: &AppSession, id: &str, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let text = app.text_of(id).await;
        if text.contains(needle) || Instant::now() > deadline {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn is_shown(app: &AppSession, id: &str) -> bool {
    match app
        .driver
        .find_all(By::Css(format!("[data-testid='{id}']")))
        .await
    {
        Ok(found) => {
            for e in found {
                if e.is_displayed().await.unwrap_or(false) {
                    return true;
                }
            }
            false
        }
        Err(_) => false,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_two_sheet_workbook_opens_on_the_contact_sheet_and_a_sheet_without_phones_does_not_go_on_silently(
) {
    let dir = tempfile::tempdir().expect("temp dir");
    let workbook = dir.path().join("十二月名单.xlsx");
    write_two_sheet_workbook(&workbook);
    let Some(app) = driver::start_with_env(&[("SMARTDIAL_DEMO", "1".to_owned())]).await else {
        return;
    };

    app.type_into("import-path", &workbook.display().to_string())
        .await;
    app.click("import-open").await;
    // The contact sheet, with core's reason, as a success rather than a warning.
    let chosen = wait_for_text(&app, "import-notice-sheet.chosen", "客户名单").await;
    assert!(
        chosen.contains("已选择“客户名单”") && chosen.contains("手机号"),
        "choice notice: {chosen}"
    );
    assert!(app.text_of("import-sheet").await.contains("客户名单"));
    assert!(!is_shown(&app, "to-map-why").await);
    app.screenshot("1-sheet-chosen").await;

    // Opening the same file again lands on the same sheet.
    app.click("import-open").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let again = wait_for_text(&app, "import-notice-sheet.chosen", "客户名单").await;
    assert!(
        again.contains("已选择“客户名单”"),
        "after reopening: {again}"
    );
    assert!(app.text_of("import-sheet").await.contains("客户名单"));

    // The marketer switches to the instructions sheet: the next step says why it should
    // not go on, and asks before it does.
    app.click("import-sheet").await;
    let option = app
        .driver
        .query(By::XPath(
            "//div[contains(@class,'ant-select-item-option') and .//text()[normalize-space()='说明']]",
        ))
        .wait(Duration::from_secs(10), Duration::from_millis(100))
        .and_displayed()
        .first()
        .await
        .expect("the 说明 option");
    option.click().await.expect("pick 说明");
    let why = wait_for_text(&app, "to-map-why", "手机号").await;
    assert!(why.contains("没有找到手机号"), "beside Next: {why}");
    let notice = app.text_of("import-notice-sheet.no_phone_column").await;
    assert!(notice.contains("说明"), "notice: {notice}");
    app.screenshot("1-sheet-without-phones").await;
    app.click("to-map").await;
    app.by_test_id("to-map-anyway").await;
    assert!(
        is_shown(&app, "step-import").await && !is_shown(&app, "step-map").await,
        "a click on Next without phones must not leave the import step"
    );

    // The notice offers the sheet that holds the numbers.
    app.click("import-other-sheet").await;
    let back = wait_for_text(&app, "import-sheet", "客户名单").await;
    assert!(back.contains("客户名单"), "sheet after the switch: {back}");
    let deadline = Instant::now() + Duration::from_secs(10);
    while is_shown(&app, "to-map-why").await && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(!is_shown(&app, "to-map-why").await);
    app.click("to-map").await;
    app.by_test_id("step-map").await;
    app.quit().await;
}

/// What the window at its default size gets wrong in the marketer's eyes, as texts for an
/// assertion: a count title broken inside a word ("无人接/听"), a reason or number cut off,
/// a page that scrolls sideways.
pub async fn layout_problems(app: &AppSession) -> Vec<String> {
    let script = r#"
        const problems = [];
        for (const t of document.querySelectorAll(".ant-statistic-title")) {
          const r = t.getBoundingClientRect();
          const line = parseFloat(getComputedStyle(t).lineHeight) || 22;
          if (r.width > 0 && r.height > line * 1.5) problems.push("title on two lines: " + t.textContent);
        }
        for (const e of document.querySelectorAll("[data-testid='review-reason']")) {
          if (e.scrollHeight > e.clientHeight + 1 || e.scrollWidth > e.clientWidth + 1)
            problems.push("reason cut off: " + e.textContent);
        }
        const w = document.documentElement.clientWidth;
        if (document.documentElement.scrollWidth > w) problems.push("page scrolls sideways");
        return JSON.stringify(problems);"#;
    let answer = app
        .driver
        .execute(script, vec![])
        .await
        .expect("measure the layout");
    serde_json::from_str(answer.json().as_str().unwrap_or("[]")).expect("layout json")
}
