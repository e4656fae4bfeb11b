import { describe, expect, it } from "vitest";
import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import i18n from "../i18n";
import type { RefreshProgress, RefreshReport, UserError } from "../bindings";
import { emitEvent, renderInWizard } from "../test-utils";
import { ResultsView } from "./ResultsView";
import { formatDuration, safeFileName } from "./outcome";
import { resources } from "../i18n";
import {
  userEvent,
  counts,
  overview,
  people,
  report,
  stopExplanation,
  backend,
  named,
  shown,
} from "./resultsFixtures";

describe("results view", () => {
  it("shows counts, the chart and the first page of people from the overview (Chinese)", async () => {
    await i18n.changeLanguage("zh-CN");
    const calls = backend();
    renderInWizard(<ResultsView campaignId={7} />);
    const view = await shown();
    expect(within(view).getByTestId("results-task-name")).toHaveTextContent("双十一回访");
    expect(within(view).getByTestId("results-campaign-state")).toHaveTextContent("已完成");
    expect(within(view).getByTestId("results-last-refreshed")).toHaveTextContent("还没有刷新过");
    expect(within(view).getByTestId("results-pending")).toHaveTextContent("1 人还在等结果");

    expect(screen.getByTestId("results-count-answered")).toHaveTextContent("已接听3");
    expect(screen.getByTestId("results-count-noAnswer")).toHaveTextContent("无人接听1");
    expect(screen.getByTestId("results-count-poweredOff")).toHaveTextContent("关机1");
    // Zero, but one of the outcomes marketers ask about: still a card.
    expect(screen.getByTestId("results-count-busy")).toHaveTextContent("占线0");
    expect(screen.queryByTestId("results-count-untracked")).not.toBeInTheDocument();

    const chart = screen.getByTestId("results-chart");
    expect(
      within(chart)
        .getAllByRole("listitem")
        .map((b) => b.getAttribute("aria-label")),
    ).toEqual(["已接听 3", "无人接听 1", "关机 1", "等待结果 1"]);
    expect(within(chart).getByTestId("results-bar-answered")).toHaveTextContent("3 · 50%");

    const table = screen.getByTestId("results-table");
    const rows = table.querySelectorAll("tbody tr.ant-table-row");
    expect(rows).toHaveLength(3);
    const first = rows[0] as HTMLElement;
    expect(first).toHaveTextContent("13800138000");
    expect(first).toHaveTextContent("表格第 2 行");
    expect(first).toHaveTextContent("客户0");
    expect(first).toHaveTextContent("100");
    expect(first).toHaveTextContent("已接听");
    expect(first).toHaveTextContent("01:15");
    expect(first).toHaveTextContent("2026-11-11 10:00:00");
    expect(first).toHaveTextContent("机器人挂断");
    // The table speaks outcomes: codes, API values and TaskIds wait in the details.
    expect(first).not.toHaveTextContent("200000");
    expect(first).not.toHaveTextContent("接口原值");
    expect(first).not.toHaveTextContent("task-0001");
    expect(table.querySelector("thead")).not.toHaveTextContent("TaskId");
    expect(table.querySelector("thead")).toHaveTextContent("姓名金额");
    // Server-side paging: one page of 50, never everyone.
    expect(named(calls, "results_page")).toEqual([
      { id: 7, offset: 0, limit: 50, outcome: null, search: null },
    ]);
    expect(named(calls, "refresh_results")).toHaveLength(0);
  });

  it("speaks English when the app does, labels included", async () => {
    await i18n.changeLanguage("en");
    backend(undefined, () => overview({ lastFetchedAtMs: Date.UTC(2026, 10, 11, 4), pending: 0 }));
    renderInWizard(<ResultsView campaignId={7} />, {}, "en");
    const view = await shown();
    expect(view).toHaveTextContent("Call results");
    expect(within(view).getByTestId("results-last-refreshed")).toHaveTextContent(
      "Last refreshed: ",
    );
    expect(within(view).getByTestId("results-pending")).toHaveTextContent(
      "Everyone has a final result",
    );
    expect(screen.getByTestId("results-count-answered")).toHaveTextContent("Answered3");
    expect(within(screen.getByTestId("results-chart")).getAllByRole("listitem")[1]).toHaveAttribute(
      "aria-label",
      "No answer 1",
    );
    const table = screen.getByTestId("results-table");
    expect(table).toHaveTextContent("Duration");
    expect(table).toHaveTextContent("Robot hung up");
    expect(table).not.toHaveTextContent("Status code");
    expect(screen.getByTestId("results-refresh")).toHaveTextContent("Refresh results");
    await i18n.changeLanguage("zh-CN");
  });

  it("filters by outcome through results_page, from a count card and back", async () => {
    await i18n.changeLanguage("zh-CN");
    const calls = backend((cmd, args) =>
      cmd === "results_page"
        ? {
            total: args.outcome === "noAnswer" ? 1 : 120,
            offset: args.offset,
            people: args.outcome === "noAnswer" ? [people[1]] : people,
          }
        : undefined,
    );
    renderInWizard(<ResultsView campaignId={7} />);
    await shown();
    // 120 people: page 2 asks for the next 50 only.
    await userEvent.click(screen.getByTitle("2"));
    await waitFor(() =>
      expect(named(calls, "results_page")).toContainEqual({
        id: 7,
        offset: 50,
        limit: 50,
        outcome: null,
        search: null,
      }),
    );
    await userEvent.click(screen.getByTestId("results-count-noAnswer"));
    await waitFor(() =>
      expect(named(calls, "results_page").at(-1)).toEqual({
        id: 7,
        offset: 0,
        limit: 50,
        outcome: "noAnswer",
        search: null,
      }),
    );
    const table = screen.getByTestId("results-table");
    await waitFor(() => expect(table.querySelectorAll("tbody tr.ant-table-row")).toHaveLength(1));
    expect(table).toHaveTextContent("13800138001");
    expect(screen.getByTestId("results-count-noAnswer")).toHaveAttribute("aria-pressed", "true");
    // Clicking the same card again shows everyone.
    await userEvent.click(screen.getByTestId("results-count-noAnswer"));
    await waitFor(() => expect(named(calls, "results_page").at(-1)?.outcome).toBeNull());
  });

  it("shows refresh progress from events, cancels, then the summary and the fallback note", async () => {
    await i18n.changeLanguage("zh-CN");
    let finish: (r: RefreshReport) => void = () => undefined;
    const calls = backend((cmd) => {
      if (cmd === "refresh_results") return new Promise<RefreshReport>((r) => (finish = r));
      if (cmd === "cancel_refresh") return null;
      return undefined;
    });
    renderInWizard(<ResultsView campaignId={7} />);
    await shown();
    await userEvent.click(screen.getByTestId("results-refresh"));
    const progress = await screen.findByTestId("results-refresh-progress");
    const send = (p: Partial<RefreshProgress>) =>
      act(() =>
        emitEvent("resultsProgress", {
          campaignId: 7,
          done: 0,
          total: 10,
          requests: 0,
          mode: "taskCallList",
          ...p,
        }),
      );
    await send({ done: 3, requests: 2 });
    await waitFor(() => expect(progress).toHaveTextContent("3 / 10"));
    expect(progress).toHaveTextContent("已发出 2 次查询");
    expect(progress).toHaveTextContent("按任务批量查询");
    // Another campaign's progress is not ours.
    await send({ campaignId: 8, done: 9 });
    expect(progress).toHaveTextContent("3 / 10");
    expect(screen.queryByTestId("results-refresh")).not.toBeInTheDocument();

    await userEvent.click(screen.getByTestId("results-cancel-refresh"));
    expect(named(calls, "cancel_refresh")).toEqual([{ id: 7 }]);

    const degraded: UserError = {
      code: "aliyun.isv.INVALID_PARAMETERS",
      message: { zhCn: "任务通话列表不接受这个任务", en: "The task list refused this task" },
      hint: { zhCn: "已自动改为逐个查询", en: "Switched automatically" },
    };
    const failure: UserError = {
      code: "network.timeout",
      message: { zhCn: "网络超时", en: "Network timeout" },
      hint: { zhCn: "请检查网络后重试", en: "Check the network and retry" },
    };
    await act(async () =>
      finish(
        report({
          degraded,
          failures: [{ batchIndex: 0, number: "13800138005", error: failure }],
          failureCount: 1,
        }),
      ),
    );
    const summary = await screen.findByTestId("results-refresh-report");
    expect(summary).toHaveTextContent("查到 2 人的结果,1 人还没有结果");
    expect(summary).toHaveTextContent("13800138005:网络超时 请检查网络后重试");
    const note = screen.getByTestId("results-degraded");
    expect(note).toHaveTextContent("已改为逐个号码查询");
    expect(note).toHaveTextContent("任务通话列表不接受这个任务");
    expect(screen.queryByTestId("results-refresh-progress")).not.toBeInTheDocument();
    // What was stored is read again.
    await waitFor(() => expect(named(calls, "results_overview")).toHaveLength(2));
    expect(named(calls, "refresh_results")).toEqual([{ id: 7 }]);
  });

  it("shows a failed refresh as message and hint", async () => {
    await i18n.changeLanguage("zh-CN");
    backend((cmd) => {
      if (cmd === "refresh_results")
        return Promise.reject({
          code: "aliyun.forbidden",
          message: { zhCn: "这个账号没有查询权限", en: "No permission to query" },
          hint: { zhCn: "请在 RAM 控制台授权", en: "Grant it in the RAM console" },
        });
      return undefined;
    });
    renderInWizard(<ResultsView campaignId={7} />);
    await shown();
    await userEvent.click(screen.getByTestId("results-refresh"));
    const alert = await screen.findByTestId("results-refresh-error");
    expect(alert).toHaveTextContent("这个账号没有查询权限");
    expect(alert).toHaveTextContent("请在 RAM 控制台授权");
    expect(screen.getByTestId("results-refresh")).toBeEnabled();
  });

  it("exports: asks where to save, then writes there", async () => {
    await i18n.changeLanguage("zh-CN");
    const calls = backend((cmd) => {
      if (cmd === "plugin:dialog|save") return "/home/ann/外呼结果.xlsx";
      if (cmd === "export_results") return 6;
      return undefined;
    });
    renderInWizard(<ResultsView campaignId={7} />);
    await shown();
    await userEvent.click(screen.getByTestId("results-export"));
    expect(
      await screen.findByText("已导出 6 人的结果到 /home/ann/外呼结果.xlsx"),
    ).toBeInTheDocument();
    const order = calls
      .map((c) => c.cmd)
      .filter((c) => c === "plugin:dialog|save" || c === "export_results");
    expect(order).toEqual(["plugin:dialog|save", "export_results"]);
    expect(named(calls, "plugin:dialog|save")[0]).toMatchObject({
      options: { defaultPath: "外呼结果-双十一回访.xlsx" },
    });
    expect(named(calls, "export_results")).toEqual([{ id: 7, path: "/home/ann/外呼结果.xlsx" }]);
  });

  it("does not export when the save dialog is cancelled", async () => {
    await i18n.changeLanguage("zh-CN");
    const calls = backend((cmd) => (cmd === "plugin:dialog|save" ? null : undefined));
    renderInWizard(<ResultsView campaignId={7} />);
    await shown();
    await userEvent.click(screen.getByTestId("results-export"));
    await waitFor(() => expect(named(calls, "plugin:dialog|save")).toHaveLength(1));
    expect(named(calls, "export_results")).toHaveLength(0);
  });

  it("explains a task control and calls it only after OK, then shows the result", async () => {
    await i18n.changeLanguage("zh-CN");
    const calls = backend((cmd, args) => {
      if (cmd === "explain_task_control") return { ...stopExplanation, control: args.control };
      if (cmd === "control_campaign_task")
        return { control: args.control, taskId: args.taskId, done: true };
      return undefined;
    });
    renderInWizard(<ResultsView campaignId={7} />);
    await shown();
    await userEvent.click(screen.getByText("任务管理"));
    const tasks = await screen.findByTestId("results-tasks");
    // Only the accepted batch has a TaskId to control.
    const ids = await within(tasks).findAllByTestId("task-id");
    expect(ids.map((e) => e.textContent)).toEqual(["task-0001"]);

    // First time: look, then back out.
    await userEvent.click(within(tasks).getByTestId("task-control"));
    await userEvent.click(await screen.findByTestId("control-stop"));
    let effect = await screen.findByTestId("control-effect");
    expect(effect).toHaveTextContent("还没拨打的人暂时不会被拨打,之后可以继续");
    // In bold: the part a marketer must not miss.
    expect(effect.querySelector("strong")).toHaveTextContent("还没拨打的人暂时不会被拨打");
    expect(screen.getByTestId("control-explanation")).toHaveTextContent("任务正在拨打时");
    expect(screen.getByTestId("control-explanation")).toHaveTextContent("之后还可以继续这个任务");
    expect(named(calls, "explain_task_control")).toEqual([{ control: "stop" }]);
    await userEvent.click(screen.getByRole("button", { name: "先不做" }));
    await waitFor(() => expect(screen.queryByTestId("control-effect")).not.toBeInTheDocument());
    expect(named(calls, "control_campaign_task")).toHaveLength(0);

    // Second time: OK.
    await userEvent.click(within(tasks).getByTestId("task-control"));
    await userEvent.click(await screen.findByTestId("control-stop"));
    effect = await screen.findByTestId("control-effect");
    expect(named(calls, "control_campaign_task")).toHaveLength(0);
    await userEvent.click(screen.getByTestId("control-confirm-ok"));
    await waitFor(() =>
      expect(named(calls, "control_campaign_task")).toEqual([
        { control: "stop", taskId: "task-0001" },
      ]),
    );
    expect(await screen.findByTestId("control-result")).toHaveTextContent(
      "已完成“停止任务”:task-0001",
    );
  });

  it("shows a refused task control as message and hint", async () => {
    await i18n.changeLanguage("en");
    backend((cmd) => {
      if (cmd === "explain_task_control") return stopExplanation;
      if (cmd === "control_campaign_task")
        return Promise.reject({
          code: "task_control.unsupported",
          message: { zhCn: "接口不支持这个任务", en: "The API does not support this task" },
          hint: { zhCn: "请到控制台操作", en: "Use the Alibaba Cloud console" },
        });
      return undefined;
    });
    renderInWizard(<ResultsView campaignId={7} />, {}, "en");
    await shown();
    await userEvent.click(screen.getByText("Tasks"));
    const tasks = await screen.findByTestId("results-tasks");
    await userEvent.click(await within(tasks).findByTestId("task-control"));
    await userEvent.click(await screen.findByTestId("control-stop"));
    expect(await screen.findByTestId("control-effect")).toHaveTextContent(
      "People not called yet are held back",
    );
    await userEvent.click(screen.getByTestId("control-confirm-ok"));
    const result = await screen.findByTestId("control-result");
    expect(result).toHaveTextContent("The API does not support this task");
    expect(result).toHaveTextContent("Use the Alibaba Cloud console");
    await i18n.changeLanguage("zh-CN");
  });

  it("offers the online link in the details only while it is valid and nothing is saved", async () => {
    await i18n.changeLanguage("zh-CN");
    const calls = backend((cmd) => (cmd === "open_recording" ? null : undefined));
    renderInWizard(<ResultsView campaignId={7} />);
    await shown();
    const toggles = screen.getAllByTestId("person-details-toggle");
    // Nothing saved yet: the table says so instead of offering to play.
    expect(screen.queryByTestId("play-recording")).not.toBeInTheDocument();
    expect(screen.getAllByTestId("recording-state")[0]).toHaveTextContent("未保存");
    expect(screen.getAllByTestId("recording-state")[1]).toHaveTextContent("没有录音");
    fireEvent.click(toggles[2] as HTMLElement);
    const expired = await screen.findByTestId("person-details");
    expect(within(expired).getByTestId("recording-not-saved")).toHaveTextContent(
      "录音还没有保存到本机",
    );
    expect(within(expired).queryByTestId("open-recording")).not.toBeInTheDocument();
    fireEvent.click(toggles[2] as HTMLElement);
    fireEvent.click(toggles[0] as HTMLElement);
    // Only the first person's link is valid.
    fireEvent.click(await screen.findByTestId("open-recording"));
    await waitFor(() =>
      expect(named(calls, "open_recording")).toEqual([{ id: 7, batchIndex: 0, position: 0 }]),
    );
  });

  it("shows why the results could not be read, and tries again", async () => {
    await i18n.changeLanguage("zh-CN");
    let broken = true;
    const calls = backend((cmd) =>
      cmd === "results_overview" && broken
        ? Promise.reject({
            code: "journal.failed",
            message: { zhCn: "发送记录被占用", en: "The journal is locked" },
            hint: { zhCn: "请关闭另一个窗口后重试", en: "Close the other window and retry" },
          })
        : undefined,
    );
    renderInWizard(<ResultsView campaignId={7} />);
    const error = await screen.findByTestId("results-error");
    expect(error).toHaveTextContent("发送记录被占用");
    expect(error).toHaveTextContent("请关闭另一个窗口后重试");
    broken = false;
    await userEvent.click(within(error).getByRole("button"));
    await shown();
    expect(named(calls, "results_overview")).toHaveLength(2);
  });

  it("shows an empty state for a campaign with nobody in it", async () => {
    await i18n.changeLanguage("zh-CN");
    const calls = backend(undefined, () => overview({ people: 0, pending: 0, counts: counts({}) }));
    renderInWizard(<ResultsView campaignId={7} />);
    expect(await screen.findByText("这个活动还没有要拨打的号码。")).toBeInTheDocument();
    expect(screen.getByTestId("results-export")).toBeDisabled();
    expect(named(calls, "results_page")).toHaveLength(0);
  });

  it("refreshes on its own while people are pending, one run at a time, and stops on unmount", async () => {
    await i18n.changeLanguage("zh-CN");
    let finish: (r: RefreshReport) => void = () => undefined;
    const calls = backend((cmd) =>
      cmd === "refresh_results" ? new Promise<RefreshReport>((r) => (finish = r)) : undefined,
    );
    const { unmount } = renderInWizard(<ResultsView campaignId={7} autoRefreshMs={20} />);
    await shown();
    await waitFor(() => expect(named(calls, "refresh_results")).toHaveLength(1));
    // Many ticks pass while the first run is still going: none starts another.
    await act(() => new Promise((r) => setTimeout(r, 200)));
    expect(named(calls, "refresh_results")).toHaveLength(1);
    unmount();
    await act(async () => finish(report()));
    await act(() => new Promise((r) => setTimeout(r, 200)));
    expect(named(calls, "refresh_results")).toHaveLength(1);
  });

  it("does not refresh on its own when nobody is pending", async () => {
    await i18n.changeLanguage("zh-CN");
    const calls = backend(undefined, () =>
      overview({ pending: 0, counts: counts({ answered: 6 }) }),
    );
    renderInWizard(<ResultsView campaignId={7} autoRefreshMs={20} />);
    await shown();
    await act(() => new Promise((r) => setTimeout(r, 200)));
    expect(named(calls, "refresh_results")).toHaveLength(0);
  });
});

describe("results helpers", () => {
  it("formats durations as mm:ss and file names safely", () => {
    expect(formatDuration(75)).toBe("01:15");
    expect(formatDuration(0)).toBe("00:00");
    expect(formatDuration(3725)).toBe("62:05");
    expect(formatDuration(null)).toBe("—");
    expect(safeFileName('双十一/回访:"A"')).toBe("双十一_回访__A_");
    expect(safeFileName("   ")).toBe("campaign");
  });

  it("has the same strings and placeholders in both languages", () => {
    // TypeScript checks the shape; the placeholders inside each string it cannot.
    const leaves = (o: object, path = ""): Array<[string, string]> =>
      Object.entries(o).flatMap(([k, v]) =>
        typeof v === "object" && v !== null
          ? leaves(v, `${path}${k}.`)
          : [
              [
                `${path}${k}`,
                [...String(v).matchAll(/\{\{(\w+)\}\}/g)]
                  .map((m) => m[1])
                  .sort()
                  .join(","),
              ],
            ],
      );
    const zh = leaves(resources["zh-CN"].translation);
    expect(zh.some(([k]) => k.startsWith("resultsView."))).toBe(true);
    expect(leaves(resources.en.translation).sort()).toEqual(zh.sort());
  });
});
