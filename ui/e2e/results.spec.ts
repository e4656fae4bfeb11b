import { expect, test } from "@playwright/test";
import { calls, emitEvent, mockTauri } from "./fixtures";

// The results view alone, through the test-only entry src/results/preview.html (it is not
// wired into the app yet), with the results commands answered in the page.

/** Stand-in for the Rust results commands; serialised into the page, so self-contained. */
function resultsBackend(cmd: string, args: Record<string, unknown>): unknown {
  const g = globalThis as unknown as { __finishRefresh?: (r: unknown) => void };
  const L = (zhCn: string, en: string) => ({ zhCn, en });
  const labels: Array<[string, string, string, number]> = [
    ["answered", "已接听", "Answered", 120],
    ["noAnswer", "无人接听", "No answer", 40],
    ["busy", "占线", "Busy", 12],
    ["rejected", "拒接", "Rejected", 3],
    ["poweredOff", "关机", "Powered off", 9],
    ["invalidNumber", "空号", "Invalid number", 6],
    ["unreachable", "无法接通", "Unreachable", 0],
    ["failed", "呼叫失败", "Failed", 0],
    ["pending", "等待结果", "Pending", 10],
    ["notSent", "未发出", "Not sent", 0],
    ["untracked", "无法追踪", "Untracked", 0],
  ];
  const counts = labels.map(([outcome, zh, en, count]) => ({ outcome, label: L(zh, en), count }));
  const person = (i: number) => {
    const [outcome, zh, en] = labels[i % 3] ?? labels[0]!;
    const answered = outcome === "answered";
    return {
      campaignId: 7,
      batchIndex: Math.floor(i / 100),
      position: i % 100,
      taskId: `task-000${Math.floor(i / 100) + 1}`,
      number: `138${String(i).padStart(8, "0")}`,
      sourceRow: i + 2,
      variables: [
        { name: "姓名", value: `客户${i}` },
        { name: "金额", value: String(100 + i) },
      ],
      outcome,
      outcomeLabel: L(zh, en),
      statusCode: answered ? "200000" : outcome === "noAnswer" ? "200005" : "200002",
      stateDesc: null,
      durationSecs: answered ? 30 + i : null,
      hangupRaw: answered ? "1" : null,
      hangup: answered ? "robot" : "unknown",
      dialogCount: answered ? 3 : null,
      tags: [],
      callId: null,
      callTime: "2026-11-11 10:00:00",
      endedAt: null,
      recordUrl: answered ? "https://oss.example.com/r.wav" : null,
      recordExpiresAtMs: answered ? 4102444800000 : null,
      recordingAvailable: answered && i % 2 === 0,
      source: "callDetail",
      fetchedAtMs: 1794000000000,
      transcript: answered
        ? [{ speaker: "robot", role: "robot", content: "您好", time: "2026-11-11 10:00:01" }]
        : [],
      recordingPath: null,
    };
  };
  switch (cmd) {
    case "results_overview":
      return {
        campaign: {
          id: 7,
          createdAtMs: 1794000000000,
          updatedAtMs: 1794000000000,
          sourceName: "客户名单.xlsx",
          sourceSha256: "ab",
          taskName: "双十一回访",
          dialogId: "demo-robot-001",
          profile: "default",
          endpoint: "https://dyvmsapi.aliyuncs.com",
          state: "finished",
          reason: null,
          totalNumbers: 200,
          sentNumbers: 200,
          batches: { planned: 0, sending: 0, sent: 2, rejected: 0, unknown: 0, cancelled: 0 },
          busy: false,
        },
        counts,
        variableNames: ["姓名", "金额"],
        people: 200,
        pending: 10,
        lastFetchedAtMs: 1794000000000,
        recordings: { files: 0, bytes: 0 },
        archiving: false,
        withheld: 0,
        hangupNote: L("文档对挂断方的说明前后矛盾", "The docs contradict themselves"),
      };
    case "results_page": {
      const offset = Number(args.offset);
      const limit = Number(args.limit);
      const all = Array.from({ length: 200 }, (_, i) => person(i)).filter(
        (p) => args.outcome === null || p.outcome === args.outcome,
      );
      return { total: all.length, offset, people: all.slice(offset, offset + limit) };
    }
    case "refresh_results":
      return new Promise((resolve) => (g.__finishRefresh = resolve));
    case "cancel_refresh":
      return null;
    case "plugin:dialog|save":
      return "/home/ann/外呼结果-双十一回访.xlsx";
    case "export_results":
      return 200;
    case "campaign_batches":
      return [];
    case "expiring_recordings":
      return [];
    default:
      throw new Error(`unexpected ${cmd}`);
  }
}

const texts = {
  "zh-CN": {
    answered: "已接听",
    progress: "已发出 4 次查询",
    done: "查到 8 人的结果,2 人还没有结果",
    exported: "已导出 200 人的结果",
  },
  en: {
    answered: "Answered",
    progress: "4 queries sent",
    done: "results found for 8 people, 2 still without a result",
    exported: "Exported the results of 200 people",
  },
} as const;

for (const lang of ["zh-CN", "en"] as const) {
  test(`results view: counts, chart, filter, refresh, export (${lang})`, async ({ page }) => {
    const tx = texts[lang];
    await mockTauri(page, resultsBackend);
    await page.goto(`/src/results/preview.html?lang=${lang}&campaign=7`);
    const view = page.getByTestId("results-view");
    await expect(view).toBeVisible();

    await expect(page.getByTestId("results-count-answered")).toContainText(tx.answered);
    await expect(page.getByTestId("results-count-answered")).toContainText("120");
    const bar = page.getByTestId("results-bar-answered");
    await expect(bar).toBeVisible();
    // The bars are drawn: the biggest one fills most of its track.
    const { track, fill } = await bar.evaluate((el) => {
      const t = el.children[1] as HTMLElement;
      const f = t.firstElementChild as HTMLElement;
      return { track: t.getBoundingClientRect().width, fill: f.getBoundingClientRect().width };
    });
    expect(track).toBeGreaterThan(0);
    expect(fill).toBeGreaterThan(track * 0.9);
    await expect(page.getByTestId("results-chart").getByRole("listitem")).toHaveCount(7);

    const rows = page.getByTestId("results-table").locator("tbody tr.ant-table-row");
    await expect(rows).toHaveCount(50);
    await page.screenshot({ path: `test-results/results-view-${lang}.png`, fullPage: true });

    await page.getByTestId("results-count-noAnswer").click();
    // The table speaks outcomes; the status code waits in the person's details.
    await expect(rows.first()).not.toContainText("200005");
    await rows.first().getByTestId("person-details-toggle").click();
    await expect(page.getByTestId("person-codes")).toContainText("200005");
    const pages = (await calls(page)).filter((c) => c.cmd === "results_page").map((c) => c.args);
    expect(pages.at(-1)).toEqual({
      id: 7,
      offset: 0,
      limit: 50,
      outcome: "noAnswer",
      search: null,
    });

    await page.getByTestId("results-refresh").click();
    const progress = page.getByTestId("results-refresh-progress");
    await expect(progress).toBeVisible();
    await emitEvent(page, "resultsProgress", {
      campaignId: 7,
      done: 4,
      total: 10,
      requests: 4,
      mode: "taskCallList",
    });
    await expect(progress).toContainText("4 / 10");
    await expect(progress).toContainText(tx.progress);
    await page.evaluate(() =>
      (globalThis as unknown as { __finishRefresh: (r: unknown) => void }).__finishRefresh({
        campaignId: 7,
        checked: 10,
        found: 8,
        stillPending: 2,
        skippedFinal: 190,
        notSent: 0,
        notDue: 0,
        requests: 4,
        mode: "taskCallList",
        degraded: null,
        failures: [],
        failureCount: 0,
        cancelled: false,
        finishedAtMs: 1794000000000,
      }),
    );
    await expect(page.getByTestId("results-refresh-report")).toContainText(tx.done);
    await expect(progress).toHaveCount(0);

    await page.getByTestId("results-export").click();
    await expect(page.getByText(tx.exported)).toBeVisible();
    const exported = (await calls(page)).filter((c) => c.cmd === "export_results");
    expect(exported.map((c) => c.args)).toEqual([
      { id: 7, path: "/home/ann/外呼结果-双十一回访.xlsx" },
    ]);
  });
}
