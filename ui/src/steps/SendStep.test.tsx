import { describe, expect, it } from "vitest";
import { act, screen, waitFor } from "@testing-library/react";
import userEventLib from "@testing-library/user-event";
import i18n from "../i18n";
import type {
  BatchOverview,
  CampaignError,
  CampaignSummary,
  EngineEvent,
  PlanPreview,
  UserError,
} from "../bindings";
import {
  contactSummary,
  emitEvent,
  mockCommands,
  noResumeNeeds,
  renderInWizard,
} from "../test-utils";
import { emptyTask } from "../state/wizard";
import { SendStep } from "./SendStep";

const userEvent = userEventLib.setup({ delay: null });

const task = {
  ...emptyTask,
  dialogId: "demo-robot-001",
  callerNumbers: ["057188880000"],
  corpName: "杭州示例科技有限公司",
  taskName: "双十一回访",
};

const plan: PlanPreview = {
  people: 2345,
  batches: 3,
  skippedRows: 12,
  endpoint: "https://dyvmsapi.aliyuncs.com",
  demo: false,
  firstBatch: [
    { name: "DialogId", value: "demo-robot-001" },
    { name: "TtsParam", value: '[{"number":"13800138000","name":"张三"}]' },
  ],
};

function campaign(over: Partial<CampaignSummary> = {}): CampaignSummary {
  return {
    id: 7,
    createdAtMs: 1_795_000_000_000,
    updatedAtMs: 1_795_000_000_000,
    sourceName: "客户名单.xlsx",
    sourceSha256: "ab12",
    taskName: "双十一回访",
    dialogId: "demo-robot-001",
    profile: "default",
    endpoint: "https://dyvmsapi.aliyuncs.com",
    state: "running",
    reason: null,
    totalNumbers: 2345,
    sentNumbers: 0,
    batches: { planned: 3, sending: 0, sent: 0, rejected: 0, unknown: 0, cancelled: 0 },
    busy: false,
    ...over,
  };
}

function batch(index: number, over: Partial<BatchOverview> = {}): BatchOverview {
  return {
    campaignId: 7,
    index,
    taskName: `双十一回访 (${index + 1}/3)`,
    people: index === 2 ? 345 : 1000,
    state: "planned",
    attempts: 0,
    retryable: false,
    taskId: null,
    errorCode: null,
    problem: null,
    decision: null,
    updatedAtMs: 0,
    ...over,
  };
}

const outsideHours: UserError = {
  code: "campaign.outside_calling_hours",
  message: {
    zhCn: "预约时间 2026-12-07 03:00 北京时间不在可呼叫时段内",
    en: "The scheduled time 2026-12-07 03:00 China time is outside the calling hours",
  },
  hint: {
    zhCn: "最早可以预约 2026-12-07 09:00 北京时间。",
    en: "The earliest allowed time is 2026-12-07 09:00 China time.",
  },
};

describe("preview and confirm", () => {
  it("names the number of people and sends once, after the confirmation", async () => {
    await i18n.changeLanguage("zh-CN");
    let starts = 0;
    const calls = mockCommands(
      (cmd) => {
        if (cmd === "preview_plan") return plan;
        if (cmd === "list_robots")
          return [
            {
              robot: { id: "demo-robot-001", robotName: "双十一回访机器人" },
              audit: { callable: true, label: { zhCn: "", en: "" }, advice: { zhCn: "", en: "" } },
            },
          ];
        if (cmd === "contact_page")
          return {
            total: 1,
            offset: 0,
            rows: [
              {
                row: 3,
                original: "13800138000",
                number: "13800138000",
                status: "valid",
                values: ["张三"],
              },
            ],
          };
        if (cmd === "start_campaign") {
          starts += 1;
          return campaign();
        }
        if (cmd === "list_campaigns") return [campaign()];
        if (cmd === "campaign_batches") return [batch(0), batch(1), batch(2)];
        throw new Error(`unexpected ${cmd}`);
      },
      { events: true },
    );
    renderInWizard(<SendStep />, {
      step: "send",
      task,
      summary: contactSummary({
        variables: [{ name: "name", column: { index: 0, letter: "A", header: "姓名" } }],
      }),
    });
    expect(await screen.findByTestId("preview-people")).toHaveTextContent("2,345");
    expect(screen.getByTestId("preview-batches")).toHaveTextContent("3");
    // In words first: who, which robot, when, what each person hears; no API names.
    const summary = screen.getByTestId("preview-summary");
    expect(summary).toHaveTextContent("2345 人,来自“客户名单.xlsx”的“客户名单”表 (分 3 批提交)");
    expect(await screen.findByTestId("preview-robot")).toHaveTextContent(
      "双十一回访机器人(话术 ID demo-robot-001)",
    );
    expect(summary).toHaveTextContent("057188880000");
    expect(summary).toHaveTextContent("确认后马上开始");
    expect(await screen.findByText(/name 读作“张三”/)).toBeInTheDocument();
    expect(screen.getByTestId("step-send")).not.toHaveTextContent(/TtsParam|CalledNumber|https?:/);
    // The exact request is one switch away; TtsParam is shown pretty-printed.
    await userEvent.click(screen.getByTestId("preview-show-request"));
    expect(screen.getByTestId("preview-params")).toHaveTextContent('"name": "张三"');
    expect(screen.getByTestId("preview-endpoint")).toHaveTextContent(
      "https://dyvmsapi.aliyuncs.com",
    );

    await userEvent.click(screen.getByTestId("send-button"));
    expect(await screen.findByTestId("confirm-text")).toHaveTextContent(
      "将呼叫 2345 人,确定发送吗?",
    );
    expect(starts).toBe(0);
    await userEvent.click(screen.getByTestId("confirm-send"));

    expect(await screen.findByTestId("send-state")).toHaveTextContent("发送中");
    // One language, and the batch counts say they count batches (the line above counts people).
    expect(screen.getByTestId("send-state")).not.toHaveTextContent("running");
    expect(screen.getByTestId("batch-counts-title")).toHaveTextContent("按批次统计(共 3 批)");
    expect(screen.getByText("已提交(批)")).toBeInTheDocument();
    expect(await screen.findByText("阿里云任务 ID")).toBeInTheDocument();
    const startArgs = calls.filter((c) => c.cmd === "start_campaign").map((c) => c.args);
    expect(startArgs).toEqual([
      {
        task: {
          dialogId: "demo-robot-001",
          callerNumbers: ["057188880000"],
          corpName: "杭州示例科技有限公司",
          isSelfLine: false,
          earlyMediaAsr: false,
          scheduleTimeMs: null,
          taskName: "双十一回访",
        },
      },
    ]);
    expect(starts).toBe(1);
  });

  it("shows why Rust refused to send (outside the calling hours) and sends nothing more", async () => {
    await i18n.changeLanguage("zh-CN");
    const calls = mockCommands((cmd) => {
      if (cmd === "preview_plan") return plan;
      if (cmd === "start_campaign") throw outsideHours;
      throw new Error(`unexpected ${cmd}`);
    });
    renderInWizard(<SendStep />, { step: "send", task });
    await userEvent.click(await screen.findByTestId("send-button"));
    await userEvent.click(await screen.findByTestId("confirm-send"));
    expect(
      await screen.findByText("预约时间 2026-12-07 03:00 北京时间不在可呼叫时段内"),
    ).toBeInTheDocument();
    expect(screen.getByText("最早可以预约 2026-12-07 09:00 北京时间。")).toBeInTheDocument();
    expect(calls.filter((c) => c.cmd === "start_campaign")).toHaveLength(1);
    expect(screen.queryByTestId("send-state")).not.toBeInTheDocument();
  });
});

describe("waiting for the calling hours", () => {
  it("shows 等待可呼叫时段 with the start time, not an error", async () => {
    await i18n.changeLanguage("zh-CN");
    mockCommands(
      (cmd) => {
        if (cmd === "list_campaigns") {
          return [
            campaign({
              reason: {
                code: "campaign.waiting_for_hours",
                message: {
                  zhCn: "现在不在可呼叫时段内,将于 2026-12-05 09:00 北京时间开始发送",
                  en: "Outside the calling hours: sending starts 2026-12-05 09:00 China time",
                },
                hint: {
                  zhCn: "可以保持应用打开;也可以在设置的“呼叫规则”中修改时段。",
                  en: "Keep the app open, or change the hours under Calling rules in Settings.",
                },
              },
            }),
          ];
        }
        if (cmd === "campaign_batches") return [batch(0), batch(1), batch(2)];
        throw new Error(`unexpected ${cmd}`);
      },
      { events: true },
    );
    renderInWizard(<SendStep />, { step: "send", campaignId: 7 });
    const waiting = await screen.findByTestId("send-waiting");
    expect(waiting).toHaveTextContent("等待可呼叫时段");
    expect(waiting).toHaveTextContent("将于 2026-12-05 09:00 北京时间开始发送");
    expect(screen.getByTestId("send-state")).toHaveTextContent("发送中");
    expect(screen.queryByTestId("send-reason")).not.toBeInTheDocument();
    expect(screen.queryByTestId("send-run-error")).not.toBeInTheDocument();
  });
});

describe("progress", () => {
  it("follows the engine's events: retries explained, TaskIds, progress and ETA", async () => {
    await i18n.changeLanguage("zh-CN");
    let journal = campaign();
    mockCommands(
      (cmd) => {
        if (cmd === "list_campaigns") return [journal];
        if (cmd === "campaign_batches") return [batch(0), batch(1), batch(2)];
        throw new Error(`unexpected ${cmd}`);
      },
      { events: true },
    );
    renderInWizard(<SendStep />, { step: "send", campaignId: 7 });
    expect(await screen.findByTestId("send-state")).toHaveTextContent("发送中");
    const send = async (e: EngineEvent) => act(() => emitEvent("campaign", e));
    // An event for another campaign is ignored.
    await send({ type: "campaign", campaignId: 99, state: "stopped", reason: null });
    await send({
      type: "retrying",
      campaignId: 7,
      index: 2,
      attempt: 1,
      delayMs: 5000,
      code: "Throttling.User",
      kind: "throttled",
    });
    expect(await screen.findByTestId("retry-notice")).toHaveTextContent(
      "第 3 批被限流,5 秒后自动重试",
    );
    await send({
      type: "batch",
      campaignId: 7,
      index: 0,
      state: "sent",
      attempt: 1,
      numberCount: 1000,
      taskId: "task-0001",
      errorCode: null,
      problem: null,
    });
    await send({
      type: "progress",
      campaignId: 7,
      counts: { planned: 2, sending: 0, sent: 1, rejected: 0, unknown: 0, cancelled: 0 },
      sentNumbers: 1000,
      totalNumbers: 2345,
      etaSeconds: 150,
    });
    // Events reach the page together, a few times a second.
    await waitFor(() =>
      expect(screen.getByTestId("send-progress")).toHaveTextContent("1000 / 2345"),
    );
    expect(screen.getByTestId("send-eta")).toHaveTextContent("预计还需约 3 分钟");
    expect(screen.getAllByTestId("batch-task-id")[0]).toHaveTextContent("task-0001");
    expect(screen.getByTestId("send-state")).toHaveTextContent("发送中");
    // Paused: the retry notice goes, the state says so.
    journal = campaign({ state: "paused", sentNumbers: 1000 });
    await send({ type: "campaign", campaignId: 7, state: "paused", reason: null });
    await waitFor(() => expect(screen.getByTestId("send-state")).toHaveTextContent("已暂停"));
    await waitFor(() => expect(screen.queryByTestId("retry-notice")).not.toBeInTheDocument());
    expect(screen.getByTestId("resume-button")).toBeInTheDocument();
  });

  it("shows a run failure for this campaign only, with its hint", async () => {
    await i18n.changeLanguage("zh-CN");
    mockCommands(
      (cmd) => {
        if (cmd === "list_campaigns") return [campaign({ state: "stopped" })];
        if (cmd === "campaign_batches") return [batch(0)];
        throw new Error(`unexpected ${cmd}`);
      },
      { events: true },
    );
    renderInWizard(<SendStep />, { step: "send", campaignId: 7 });
    await screen.findByTestId("send-state");
    const error = (zhCn: string): CampaignError => ({
      campaignId: 0,
      error: {
        code: "journal.failed",
        message: { zhCn, en: zhCn },
        hint: { zhCn: "请重试", en: "Retry" },
      },
    });
    await act(() => emitEvent("campaignError", { ...error("别的活动出错了"), campaignId: 99 }));
    expect(screen.queryByTestId("send-run-error")).not.toBeInTheDocument();
    await act(() => emitEvent("campaignError", { ...error("发送记录被占用"), campaignId: 7 }));
    const alert = await screen.findByTestId("send-run-error");
    expect(alert).toHaveTextContent("发送记录被占用");
    expect(alert).toHaveTextContent("请重试");
  });

  it("presents unknown batches as a decision, and resending resumes the campaign", async () => {
    await i18n.changeLanguage("zh-CN");
    const timeout: UserError = {
      code: "network.timeout.outcome_unknown",
      message: { zhCn: "提交时网络超时", en: "Timed out while submitting" },
      hint: { zhCn: "请先在控制台确认", en: "Check the console first" },
    };
    const calls = mockCommands(
      (cmd) => {
        if (cmd === "list_campaigns")
          return [
            campaign({
              state: "stopped",
              sentNumbers: 1345,
              batches: { planned: 0, sending: 0, sent: 2, rejected: 0, unknown: 1, cancelled: 0 },
            }),
          ];
        if (cmd === "campaign_batches")
          return [
            batch(0, { state: "sent", taskId: "t-1" }),
            batch(1, { state: "unknown", problem: timeout, attempts: 1 }),
            batch(2, { state: "sent", taskId: "t-3" }),
          ];
        if (cmd === "decide_unknown") return 1;
        if (cmd === "resume_needs") return noResumeNeeds;
        if (cmd === "resume_campaign") return null;
        throw new Error(`unexpected ${cmd}`);
      },
      { events: true },
    );
    renderInWizard(<SendStep />, { step: "send", campaignId: 7 });
    const card = await screen.findByTestId("unknown-decision");
    expect(card).toHaveTextContent("有 1 批(1000 人)不确定是否已提交成功");
    expect(card).toHaveTextContent("请求可能已经到达阿里云");
    // No plain "resume" while a decision is pending.
    expect(screen.queryByTestId("resume-button")).not.toBeInTheDocument();

    await userEvent.click(screen.getByTestId("unknown-resend"));
    expect(
      await screen.findByText("如果之前的请求其实已经到达,这些人会接到两次电话。"),
    ).toBeInTheDocument();
    expect(calls.some((c) => c.cmd === "decide_unknown")).toBe(false);
    await userEvent.click(screen.getByTestId("confirm-decision"));
    await waitFor(() => expect(calls.some((c) => c.cmd === "resume_campaign")).toBe(true));
    const order = calls
      .filter((c) => c.cmd === "decide_unknown" || c.cmd === "resume_campaign")
      .map((c) => [c.cmd, c.args]);
    expect(order).toEqual([
      ["decide_unknown", { id: 7, index: null, resend: true }],
      ["resume_campaign", { id: 7, choices: null }],
    ]);
  });

  it("marks unknown batches as sent without resuming", async () => {
    await i18n.changeLanguage("zh-CN");
    const calls = mockCommands(
      (cmd) => {
        if (cmd === "list_campaigns") return [campaign({ state: "stopped" })];
        if (cmd === "campaign_batches") return [batch(0, { state: "unknown" })];
        if (cmd === "decide_unknown") return 1;
        throw new Error(`unexpected ${cmd}`);
      },
      { events: true },
    );
    renderInWizard(<SendStep />, { step: "send", campaignId: 7 });
    await userEvent.click(await screen.findByTestId("unknown-mark-sent"));
    await userEvent.click(await screen.findByTestId("confirm-decision"));
    await waitFor(() => expect(calls.some((c) => c.cmd === "decide_unknown")).toBe(true));
    expect(calls.find((c) => c.cmd === "decide_unknown")?.args).toEqual({
      id: 7,
      index: null,
      resend: false,
    });
    expect(calls.some((c) => c.cmd === "resume_campaign")).toBe(false);
  });

  it("cancels only after a confirmation that says what happens to the rest", async () => {
    await i18n.changeLanguage("zh-CN");
    const calls = mockCommands(
      (cmd) => {
        if (cmd === "list_campaigns") return [campaign()];
        if (cmd === "campaign_batches") return [batch(0)];
        if (cmd === "cancel_campaign") return null;
        throw new Error(`unexpected ${cmd}`);
      },
      { events: true },
    );
    renderInWizard(<SendStep />, { step: "send", campaignId: 7 });
    await userEvent.click(await screen.findByTestId("cancel-button"));
    expect(
      await screen.findByText(/正在提交的批次会完成提交,其余还没提交的批次都不会再发送/),
    ).toBeInTheDocument();
    expect(calls.some((c) => c.cmd === "cancel_campaign")).toBe(false);
    await userEvent.click(screen.getByTestId("confirm-cancel"));
    await waitFor(() =>
      expect(calls.filter((c) => c.cmd === "cancel_campaign").map((c) => c.args)).toEqual([
        { id: 7 },
      ]),
    );
  });
});
