import { expect, test } from "@playwright/test";
import { mockTauri, openApp } from "./fixtures";

test("the frame shows the wizard in Chinese and the app info from Rust", async ({ page }) => {
  await mockTauri(page, (cmd) => {
    if (cmd === "app_info") {
      return {
        version: "9.9.9",
        dataDir: "/data/smartdial",
        logDir: "/logs/smartdial",
        os: "linux",
      };
    }
    if (cmd === "demo_status") return { active: false, endpoint: null, dialogId: null };
    if (cmd === "list_profiles") return [];
    if (cmd === "get_settings") {
      return {
        endpoint: "https://dyvmsapi.aliyuncs.com",
        batchSize: 1000,
        qps: 10,
        concurrency: 4,
        mobileOnly: false,
        lang: "zh-CN",
        defaultProfile: null,
      };
    }
    if (cmd === "unfinished_campaign") return null;
    if (cmd === "ui_ready") return 300;
    throw new Error(`unexpected ${cmd}`);
  });
  await openApp(page);
  await expect(page).toHaveTitle("智能外呼助手 SmartDial");
  // First run: no profile and no demo, so the connection panel greets the user.
  await expect(page.getByTestId("connection-panel")).toBeVisible();
  await expect(page.getByTestId("load-error")).toHaveCount(0);
  const steps = page.getByTestId("wizard-steps");
  for (const title of ["导入", "对应列", "检查", "任务设置", "发送", "结果"]) {
    await expect(steps.getByText(title, { exact: true })).toBeVisible();
  }
  await page.getByTestId("about-button").click();
  await expect(page.getByTestId("about-data-dir")).toHaveText("/data/smartdial");
  await expect(page.getByTestId("about-version")).toHaveText("9.9.9");
});

test("English is one click away", async ({ page }) => {
  await mockTauri(page, () => null);
  await openApp(page);
  await page.getByText("English", { exact: true }).click();
  await expect(page.getByTestId("wizard-steps").getByText("Task settings")).toBeVisible();
  await page.reload();
  await expect(page.getByTestId("wizard-steps").getByText("Task settings")).toBeVisible();
});
