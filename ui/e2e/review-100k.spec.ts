import { expect, test } from "@playwright/test";
import { calls, mockTauri, openApp } from "./fixtures";
import type { ContactSummary, SheetOverview, Settings } from "../src/bindings";

/**
 * 100 000 contacts on the Review page, in Chromium: the list must stay windowed and fetch
 * only the pages scrolled past. Timing figures (long tasks while scrolling) are printed for
 * the report, never asserted.
 */
test("a 100k-row review list scrolls in pages, with a windowed DOM", async ({ page }) => {
  await mockTauri(page, (cmd, args) => {
    const TOTAL = 100_000;
    const L = (zhCn: string, en: string) => ({ zhCn, en });
    const col = { index: 0, letter: "A", header: "手机号" };
    switch (cmd) {
      case "demo_status":
        return { active: true, endpoint: "http://127.0.0.1:47100", dialogId: "demo-robot-001" };
      case "list_profiles":
        return [];
      case "get_settings":
        return {
          endpoint: "https://dyvmsapi.aliyuncs.com",
          batchSize: 1000,
          qps: 10,
          concurrency: 4,
          mobileOnly: false,
          lang: "zh-CN",
          defaultProfile: null,
          checkUpdates: false,
          recordingKeepDays: null,
          calling: {
            hours: { days: [1, 2, 3, 4, 5, 6, 7], ranges: "00:00-24:00" },
            maxAnsweredPerDay: 1,
            maxAttemptsPerDay: 3,
            stopMarginMinutes: 30,
          },
        } satisfies Settings;
      case "unfinished_campaign":
        return null;
      case "open_sheet":
        return {
          fileName: "big.xlsx",
          sheets: [{ name: "Sheet1", hidden: false }],
          preview: {
            sheet: "Sheet1",
            totalRows: TOTAL + 1,
            columns: 1,
            detectedHeaderRow: 1,
            rows: [{ row: 1, cells: ["手机号"] }],
            notices: [],
          },
          choice: { sheet: "Sheet1", reason: "onlySheet", hasPhoneColumn: true, searched: 1 },
        } satisfies SheetOverview;
      case "propose_mapping":
        return {
          columns: [col],
          suggestion: { phoneColumn: col, phoneHow: "exact", variables: [], signature: "手机号" },
        };
      case "apply_mapping":
        return {
          file: "big.xlsx",
          sheet: "Sheet1",
          headerRow: 1,
          phoneColumn: col,
          variables: [],
          rows: TOTAL,
          valid: TOTAL,
          fixed: 0,
          invalid: 0,
          blocking: 0,
          duplicates: 0,
          excluded: 0,
          doNotCall: 0,
          overLimit: 0,
          landlines: 0,
          warnings: 0,
          blankRows: 0,
          sendable: TOTAL,
          notices: [],
        } satisfies ContactSummary;
      case "contact_page": {
        const offset = args.offset as number;
        const n = Math.max(0, Math.min(args.limit as number, TOTAL - offset));
        const rows = Array.from({ length: n }, (_, i) => {
          const number = `139${String(offset + i).padStart(8, "0")}`;
          return {
            row: offset + i + 2,
            original: number,
            number,
            status: "valid",
            code: "phone.ok",
            message: L("号码正确", "Number is fine"),
            duplicateOf: null,
            values: [],
            problems: [],
          };
        });
        return { total: TOTAL, offset, rows };
      }
      default:
        return null;
    }
  });
  await openApp(page);
  await expect(page.getByTestId("import-path")).toBeVisible();
  const fcp = await page.evaluate(
    () => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? -1,
  );
  console.log(`first contentful paint: ${fcp.toFixed(0)} ms (mocked IPC)`);
  await page.getByTestId("import-path").fill("/data/big.xlsx");
  await page.getByTestId("import-open").click();
  await page.getByTestId("to-map").click();
  await expect(page.getByTestId("apply-mapping")).toBeEnabled();
  await page.getByTestId("apply-mapping").click();
  await expect(page.getByTestId("count-valid")).toContainText("100,000");
  await expect(page.getByTestId("review-row").first()).toContainText("13900000000");

  // Scroll from the top to the bottom in 60 steps, one per animation frame, watching for
  // long tasks (main thread blocked > 50 ms).
  const figures = await page.evaluate(async () => {
    const longTasks: number[] = [];
    const observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) longTasks.push(e.duration);
    });
    observer.observe({ type: "longtask", buffered: false });
    const el = document.querySelector('[data-testid="review-table"]') as HTMLElement;
    const frame = () => new Promise((r) => requestAnimationFrame(() => r(null)));
    const started = performance.now();
    const steps = 60;
    for (let i = 1; i <= steps; i++) {
      el.scrollTop = (el.scrollHeight * i) / steps;
      await frame();
    }
    const jumpMs = performance.now() - started;
    // Then a wheel-like scroll back up: 3 rows per frame for 240 frames.
    const smoothStart = performance.now();
    const smoothLong = longTasks.length;
    for (let i = 0; i < 240; i++) {
      el.scrollTop -= 48 * 3;
      await frame();
    }
    const smoothMs = performance.now() - smoothStart;
    await new Promise((r) => setTimeout(r, 300));
    observer.disconnect();
    return {
      ms: jumpMs,
      smoothMs,
      smoothLongTasks: longTasks.slice(smoothLong),
      longTasks,
      domRows: document.querySelectorAll('[data-testid="review-row"]').length,
    };
  });
  // The Map page's live preview asks for one small page; the list's pages are 200 rows.
  const pages = (await calls(page)).filter(
    (c) => c.cmd === "contact_page" && (c.args as { limit: number }).limit === 200,
  );
  console.log(
    `review-100k: ${pages.length} page fetches, ${figures.domRows} rows in the DOM, ` +
      `scroll of 60 frames took ${figures.ms.toFixed(0)} ms, long tasks: ` +
      `${figures.longTasks.length ? figures.longTasks.map((d) => d.toFixed(0)).join(", ") + " ms" : "none"}; ` +
      `wheel-like scroll of 240 frames took ${figures.smoothMs.toFixed(0)} ms, long tasks in it: ` +
      `${figures.smoothLongTasks.length ? figures.smoothLongTasks.map((d) => d.toFixed(0)).join(", ") + " ms" : "none"}`,
  );
  // Behaviour, not timing: the DOM stays windowed, and 60 jumps fetch at most a few pages
  // each (never the 500 pages of the whole list).
  expect(figures.domRows).toBeLessThan(60);
  expect(pages.length).toBeLessThanOrEqual(1 + 60 * 2 + 240);
  for (const p of pages) expect((p.args as { offset: number }).offset % 200).toBe(0);
});
