import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";
import { mockTauri, openApp } from "./fixtures";

/**
 * The RAM policy exactly as the core generates it: the JSON block of docs/ram-policy.md,
 * which a Rust test (`ram::tests::the_documented_policy_is_the_generated_one`) keeps equal
 * to `ram::ram_policy()`.
 */
function documentedPolicy() {
  const doc = readFileSync(
    fileURLToPath(new URL("../../docs/ram-policy.md", import.meta.url)),
    "utf8",
  );
  const block = /```json\n([\s\S]*?)\n```/.exec(doc)?.[1];
  if (!block) throw new Error("no JSON block in docs/ram-policy.md");
  const parsed = JSON.parse(block) as { Statement: Array<{ Action: string[] }> };
  return {
    name: "SmartDialOutboundCalls",
    document: block,
    permissions: parsed.Statement[0]?.Action ?? [],
    usersUrl: "https://ram.console.aliyun.com/users",
    policiesUrl: "https://ram.console.aliyun.com/policies",
  };
}

test("first run: the AccessKey guide explains the RAM user and shows the policy", async ({
  page,
}) => {
  const policy = documentedPolicy();
  await page.addInitScript((p) => {
    (globalThis as unknown as { __policy: unknown }).__policy = p;
  }, policy);
  await mockTauri(page, (cmd) => {
    const g = globalThis as unknown as { __policy: unknown; __opened?: string[] };
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
        checkUpdates: true,
      };
    }
    if (cmd === "ram_policy") return g.__policy;
    if (cmd === "check_update_at_start") return null;
    if (cmd === "unfinished_campaign") return null;
    if (cmd === "ui_ready") return 300;
    return null;
  });
  await page.setViewportSize({ width: 1280, height: 800 });
  await openApp(page);
  await expect(page.getByTestId("connection-panel")).toBeVisible();
  await page.getByTestId("key-guide-open-first-run").click();
  const guide = page.getByTestId("key-guide");
  await expect(guide).toContainText("不要使用阿里云主账号的 AccessKey");
  await expect(page.getByTestId("key-guide-policy")).toHaveText(policy.document);
  for (const permission of policy.permissions) {
    await expect(page.getByTestId("key-guide-permissions")).toContainText(permission);
  }
  await page.getByTestId("key-guide-open-users").click();
  const opened = await page.evaluate(() =>
    (window as unknown as { __calls: Array<{ cmd: string; args: unknown }> }).__calls.filter(
      (c) => c.cmd === "open_ram_console",
    ),
  );
  expect(opened).toEqual([{ cmd: "open_ram_console", args: { page: "users" } }]);
  const dir = process.env.SMARTDIAL_SCREENSHOTS;
  if (dir) {
    // Let the dialog's zoom-in finish before the picture.
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${dir}/accesskey-guide.png` });
  }
});

test("an update found at start is offered with its notes, and nothing installs on Later", async ({
  page,
}) => {
  await mockTauri(page, (cmd) => {
    if (cmd === "demo_status")
      return { active: true, endpoint: "http://127.0.0.1:1", dialogId: "1" };
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
        checkUpdates: true,
      };
    }
    if (cmd === "check_update_at_start") {
      return {
        version: "0.2.0",
        currentVersion: "0.1.0",
        notes: "新增:AccessKey 获取指南",
        date: null,
      };
    }
    if (cmd === "install_update") {
      throw {
        code: "update.busy_sending",
        message: { zhCn: "正在发送外呼,现在不能安装更新。", en: "A campaign is sending." },
        hint: { zhCn: "请等发送完成后再安装。", en: "Wait." },
      };
    }
    return null;
  });
  await openApp(page);
  const dialog = page.getByTestId("update-dialog");
  await expect(dialog).toContainText("发现新版本 0.2.0");
  await expect(page.getByTestId("update-notes")).toHaveText("新增:AccessKey 获取指南");
  const dir = process.env.SMARTDIAL_SCREENSHOTS;
  if (dir) {
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${dir}/update-dialog.png` });
  }
  await page.getByTestId("update-install").click();
  await expect(page.getByTestId("update-error")).toContainText("正在发送外呼,现在不能安装更新。");
  await page.getByTestId("update-later").click();
  await expect(page.getByTestId("update-dialog")).toHaveCount(0);
  const installs = await page.evaluate(
    () =>
      (window as unknown as { __calls: Array<{ cmd: string }> }).__calls.filter(
        (c) => c.cmd === "install_update",
      ).length,
  );
  expect(installs).toBe(1);
});
