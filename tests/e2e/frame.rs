use crate::driver;

/// The window opens with the wizard, and the About box shows what the Rust command
/// `app_info` answers: the data folder the app was started with.
#[tokio::test(flavor = "multi_thread")]
async fn about_box_shows_the_data_folder_from_rust() {
    let Some(app) = driver::start().await else {
        return;
    };
    let title = app.driver.title().await.expect("window title");
    assert_eq!(title, "智能外呼助手 SmartDial");
    let steps = app.by_test_id("wizard-steps").await;
    let steps_text = steps.text().await.expect("steps text");
    for step in ["导入", "对应列", "检查", "任务设置", "发送", "结果"] {
        assert!(
            steps_text.contains(step),
            "missing step {step} in {steps_text:?}"
        );
    }

    app.by_test_id("about-button")
        .await
        .click()
        .await
        .expect("click About");
    let shown = app.text_of("about-data-dir").await;
    app.screenshot("about").await;
    assert_eq!(shown, app.data_dir.path().display().to_string());
    app.quit().await;
}
