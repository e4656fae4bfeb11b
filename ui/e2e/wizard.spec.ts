import { expect, test, type Page } from "@playwright/test";
import { backend } from "./backend";
import { calls, emitEvent, mockTauri, openApp } from "./fixtures";
import type { EngineEvent } from "../src/bindings";

const TASK_ID = "1d2f6a40-8c1e-4b5a-9e77-3f0c2b9d1a01";

const texts = {
  "zh-CN": {
    confirm: "将呼叫 3 人,确定发送吗?",
    running: "发送中",
    finished: "已完成",
    retry: "第 1 批被限流,5 秒后自动重试",
    sheet: "客户名单.xlsx",
  },
  en: {
    confirm: "People to be called: 3. Send now?",
    running: "Sending",
    finished: "Finished",
    retry: "Batch 1 was rate-limited; retrying automatically in 5 s",
    sheet: "客户名单.xlsx",
  },
} as const;

async function emit(page: Page, event: EngineEvent) {
  await emitEvent(page, "campaign", event);
}

for (const lang of ["zh-CN", "en"] as const) {
  test(`the whole wizard, from demo mode to history (${lang})`, async ({ page }) => {
    const tx = texts[lang];
    await page.addInitScript((l) => localStorage.setItem("smartdial.lang", l), lang);
    await mockTauri(page, backend);
    await openApp(page);

    // First run: no profile, no demo → the connection panel; try the demo.
    await expect(page.getByTestId("connection-panel")).toBeVisible();
    await expect(page.getByTestId("demo-banner")).toHaveCount(0);
    await page.getByTestId("try-demo").click();
    await expect(page.getByTestId("demo-banner")).toBeVisible();

    // Import by pasting a path.
    await page.getByTestId("import-path").fill("/home/ann/客户名单.xlsx");
    await page.getByTestId("import-open").click();
    await expect(page.getByTestId("import-file-name")).toHaveText(tx.sheet);
    await expect(page.locator(".preview-header-row")).toContainText("手机号");
    await page.getByTestId("to-map").click();

    // Map one variable; the phone column and the variable are matched automatically.
    await page.getByTestId("variable-name").fill("name");
    await page.getByTestId("variable-add").click();
    await expect(page.getByTestId("variable-column-name")).toContainText("A · 姓名");
    await expect(page.getByTestId("phone-column")).toContainText("B · 手机号");
    await expect(page.getByTestId("map-preview-row").first()).toContainText("name=张三");
    await expect(page.getByTestId("map-preview-row")).toHaveCount(3);
    // Only people who will be called: the invalid row (王五) is not among them.
    await expect(page.getByTestId("map-preview")).toContainText("name=赵六");
    await expect(page.getByTestId("map-preview")).not.toContainText("王五");
    await page.getByTestId("apply-mapping").click();

    // Review: counts, blocked until the invalid row is excluded.
    await expect(page.getByTestId("count-valid")).toContainText("2");
    await expect(page.getByTestId("count-fixed")).toContainText("1");
    await expect(page.getByTestId("count-invalid")).toContainText("1");
    await expect(page.getByTestId("count-duplicates")).toContainText("1");
    await expect(page.getByTestId("review-row")).toHaveCount(5);
    await expect(page.getByTestId("to-settings")).toBeDisabled();
    await page.getByTestId("only-problems").click();
    await expect(page.getByTestId("review-row")).toHaveCount(2);
    await page.getByTestId("exclude-blocking").click();
    await page.getByTestId("confirm-exclude-all").click();
    await expect(page.getByTestId("count-excluded")).toContainText("1");
    await expect(page.getByTestId("count-invalid")).toContainText("0");
    await expect(page.getByTestId("to-settings")).toBeEnabled();
    await page.getByTestId("to-settings").click();

    // Task settings: the demo robot is prefilled; add a caller number, names.
    await expect(page.getByTestId("task-dialog-id")).toHaveValue("demo-robot-001");
    await page.getByTestId("task-callers").click();
    await page.keyboard.type("057188880000");
    await page.keyboard.press("Enter");
    await page.getByTestId("task-corp-name").fill("杭州示例科技有限公司");
    await page.getByTestId("task-name").fill("双十一回访");
    await page.getByTestId("to-preview").click();

    // Preview and confirm.
    await expect(page.getByTestId("preview-people")).toContainText("3");
    await expect(page.getByTestId("preview-batches")).toContainText("1");
    await expect(page.getByTestId("preview-summary")).toContainText("057188880000");
    await expect(page.getByTestId("preview-robot")).toContainText("双十一回访");
    await page.getByTestId("preview-show-request").click();
    await expect(page.getByTestId("preview-params")).toContainText("057188880000");
    await page.getByTestId("send-button").click();
    await expect(page.getByTestId("confirm-text")).toHaveText(tx.confirm);
    await page.getByTestId("confirm-send").click();

    // Progress, driven by the engine's events.
    await expect(page.getByTestId("send-state")).toHaveAttribute("data-state", "running");
    await expect(page.getByTestId("send-state")).toContainText(tx.running);
    const counts = { planned: 1, sending: 0, sent: 0, rejected: 0, unknown: 0, cancelled: 0 };
    await emit(page, {
      type: "started",
      campaignId: 1,
      counts,
      sentNumbers: 0,
      totalNumbers: 3,
      etaSeconds: null,
    });
    await emit(page, {
      type: "batch",
      campaignId: 1,
      index: 0,
      state: "sending",
      attempt: 1,
      numberCount: 3,
      taskId: null,
      errorCode: null,
      problem: null,
    });
    await emit(page, {
      type: "retrying",
      campaignId: 1,
      index: 0,
      attempt: 1,
      delayMs: 5000,
      code: "Throttling.User",
      kind: "throttled",
    });
    await expect(page.getByTestId("retry-notice")).toContainText(tx.retry);
    await emit(page, {
      type: "batch",
      campaignId: 1,
      index: 0,
      state: "sent",
      attempt: 2,
      numberCount: 3,
      taskId: TASK_ID,
      errorCode: null,
      problem: null,
    });
    await expect(page.getByTestId("retry-notice")).toHaveCount(0);
    await emit(page, {
      type: "progress",
      campaignId: 1,
      counts: { ...counts, planned: 0, sent: 1 },
      sentNumbers: 3,
      totalNumbers: 3,
      etaSeconds: null,
    });
    await expect(page.getByTestId("send-progress")).toContainText("3 / 3");
    await expect(page.getByTestId("batch-task-id")).toContainText(TASK_ID);
    // The journal now says finished too (what a reload after the event reads).
    await page.evaluate((taskId) => {
      const sd = (
        globalThis as unknown as {
          __sd: {
            campaign: { state: string; sentNumbers: number; batches: Record<string, number> };
            batches: Array<Record<string, unknown>>;
          };
        }
      ).__sd;
      sd.campaign.state = "finished";
      sd.campaign.sentNumbers = 3;
      sd.campaign.batches = {
        planned: 0,
        sending: 0,
        sent: 1,
        rejected: 0,
        unknown: 0,
        cancelled: 0,
      };
      sd.batches = sd.batches.map((b) => ({ ...b, state: "sent", attempts: 2, taskId }));
    }, TASK_ID);
    await emit(page, { type: "campaign", campaignId: 1, state: "finished", reason: null });
    await expect(page.getByTestId("send-state")).toHaveAttribute("data-state", "finished");
    // One language: the state is named in words, not with its English code beside it.
    await expect(page.getByTestId("send-state")).not.toContainText("finished");
    await expect(page.getByTestId("send-state")).toContainText(tx.finished);
    await expect(page.getByTestId("send-finished")).toBeVisible();

    // History shows the campaign and, expanded, the batch's TaskId.
    await page.getByTestId("to-history").click();
    const history = page.getByTestId("history-table");
    await expect(history).toContainText("双十一回访");
    await expect(history).toContainText(tx.sheet);
    await history.locator(".ant-table-row-expand-icon").first().click();
    await expect(history.getByTestId("batch-task-id")).toContainText(TASK_ID);

    // What reached "Rust": the first render reported once; one start, without overriding
    // the duplicate guard.
    const all = await calls(page);
    expect(all.filter((c) => c.cmd === "ui_ready")).toHaveLength(1);
    const starts = all.filter((c) => c.cmd === "start_campaign");
    expect(starts).toHaveLength(1);
    expect(starts[0]?.args).toMatchObject({
      task: {
        dialogId: "demo-robot-001",
        callerNumbers: ["057188880000"],
        corpName: "杭州示例科技有限公司",
        taskName: "双十一回访",
        isSelfLine: false,
        scheduleTimeMs: null,
      },
    });
  });
}
