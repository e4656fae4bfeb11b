import { describe, expect, it } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEventLib from "@testing-library/user-event";
import i18n from "../i18n";
import type { BatchOverview, CampaignSummary } from "../bindings";
import { mockCommands, noResumeNeeds, renderInWizard } from "../test-utils";
import { ResultsStep } from "./ResultsStep";
import { SendStep } from "./SendStep";
import { useWizard } from "../state/wizard";

const userEvent = userEventLib.setup({ delay: null });

function summary(id: number, over: Partial<CampaignSummary> = {}): CampaignSummary {
  return {
    id,
    createdAtMs: Date.UTC(2026, 10, 11, 2, 0),
    updatedAtMs: Date.UTC(2026, 10, 11, 2, 5),
    sourceName: `名单${id}.xlsx`,
    sourceSha256: "ab",
    taskName: `活动${id}`,
    dialogId: "demo-robot-001",
    profile: "default",
    endpoint: "https://dyvmsapi.aliyuncs.com",
    state: "finished",
    reason: null,
    totalNumbers: 1500,
    sentNumbers: 1500,
    batches: { planned: 0, sending: 0, sent: 2, rejected: 0, unknown: 0, cancelled: 0 },
    busy: false,
    ...over,
  };
}

const batch = (index: number, taskId: string | null): BatchOverview => ({
  campaignId: 1,
  index,
  taskName: `活动1 (${index + 1}/2)`,
  people: 1,
  state: taskId ? "sent" : "rejected",
  attempts: 1,
  retryable: false,
  taskId,
  errorCode: taskId ? null : "isv.OUT_OF_SERVICE",
  problem: taskId
    ? null
    : {
        code: "aliyun.isv.OUT_OF_SERVICE",
        message: { zhCn: "账户已停机", en: "The account is out of service" },
        hint: { zhCn: "请先充值", en: "Top up first" },
      },
  decision: null,
  updatedAtMs: 0,
});

/** History and Send side by side, switched by the wizard step, as in the app. */
function Pages() {
  const { state } = useWizard();
  return state.step === "send" ? <SendStep /> : <ResultsStep />;
}

describe("history", () => {
  it("lists campaigns and shows each batch's TaskId or problem when opened", async () => {
    await i18n.changeLanguage("zh-CN");
    const calls = mockCommands((cmd) => {
      if (cmd === "list_campaigns")
        return [summary(1), summary(2, { state: "paused", sentNumbers: 1000 })];
      if (cmd === "campaign_batches") return [batch(0, "task-aaa"), batch(1, null)];
      throw new Error(`unexpected ${cmd}`);
    });
    renderInWizard(<Pages />, { step: "results" });
    const table = await screen.findByTestId("history-table");
    await waitFor(() => expect(table).toHaveTextContent("活动1"));
    expect(table).toHaveTextContent("名单2.xlsx");
    expect(table).toHaveTextContent("已暂停");
    await userEvent.click(table.querySelectorAll(".ant-table-row-expand-icon")[0] as HTMLElement);
    const ids = await screen.findAllByTestId("batch-task-id");
    expect(ids[0]).toHaveTextContent("task-aaa");
    expect(screen.getByText("账户已停机")).toBeInTheDocument();
    expect(screen.getByText("请先充值")).toBeInTheDocument();
    expect(calls.filter((c) => c.cmd === "campaign_batches").map((c) => c.args)).toEqual([
      { id: 1 },
    ]);
  });

  it("shows when each campaign was created in China time, naming the zone, with the local time", async () => {
    await i18n.changeLanguage("zh-CN");
    const before = process.env.TZ;
    try {
      process.env.TZ = "Europe/Berlin";
      // 2026-12-07 02:00 UTC: 10:00 in Beijing, 03:00 in Berlin.
      mockCommands((cmd) => {
        if (cmd === "list_campaigns") return [summary(1, { createdAtMs: 1_796_608_800_000 })];
        throw new Error(`unexpected ${cmd}`);
      });
      renderInWizard(<Pages />, { step: "results" });
      const created = await screen.findByTestId("history-created");
      expect(created).toHaveTextContent("2026-12-07 10:00 北京时间");
      expect(created).toHaveTextContent("本机时间 03:00");
    } finally {
      process.env.TZ = before;
    }
  });

  it("resumes an unfinished campaign and opens its progress", async () => {
    await i18n.changeLanguage("zh-CN");
    const paused = summary(2, { state: "paused", sentNumbers: 1000 });
    const calls = mockCommands(
      (cmd) => {
        if (cmd === "list_campaigns") return [summary(1), paused];
        if (cmd === "campaign_batches") return [];
        if (cmd === "resume_needs") return noResumeNeeds;
        if (cmd === "resume_campaign") return null;
        throw new Error(`unexpected ${cmd}`);
      },
      { events: true },
    );
    renderInWizard(<Pages />, { step: "results" });
    const table = await screen.findByTestId("history-table");
    // Only the unfinished one offers to continue.
    const resume = await within(table).findAllByTestId("history-resume");
    expect(resume).toHaveLength(1);
    await userEvent.click(resume[0] as HTMLElement);
    expect(await screen.findByTestId("send-state")).toHaveTextContent("已暂停");
    expect(calls.filter((c) => c.cmd === "resume_campaign").map((c) => c.args)).toEqual([
      { id: 2, choices: null },
    ]);
  });

  it("follows the core's rule: a finished campaign with batches to decide is unfinished, and continuing leads to the decision", async () => {
    await i18n.changeLanguage("zh-CN");
    const undecided: BatchOverview = {
      ...batch(1, null),
      campaignId: 3,
      state: "unknown",
      errorCode: null,
      problem: {
        code: "network.timeout",
        message: { zhCn: "结果未知", en: "Outcome unknown" },
        hint: { zhCn: "请决定", en: "Decide" },
      },
    };
    const finishedWithUnknown = summary(3, {
      batches: { planned: 0, sending: 0, sent: 1, rejected: 0, unknown: 1, cancelled: 0 },
    });
    const calls = mockCommands((cmd) => {
      if (cmd === "list_campaigns")
        return [summary(1), finishedWithUnknown, summary(4, { state: "cancelled" })];
      if (cmd === "campaign_batches") return [batch(0, "task-aaa"), undecided];
      throw new Error(`unexpected ${cmd}`);
    });
    renderInWizard(<Pages />, { step: "results" });
    const table = await screen.findByTestId("history-table");
    const resume = await within(table).findAllByTestId("history-resume");
    expect(resume).toHaveLength(1);
    await userEvent.click(resume[0] as HTMLElement);
    // Nothing is resent behind the marketer's back: the Send page asks first.
    expect(await screen.findByTestId("unknown-decision")).toBeInTheDocument();
    expect(screen.queryByTestId("resume-button")).not.toBeInTheDocument();
    expect(screen.queryByTestId("cancel-button")).not.toBeInTheDocument();
    expect(calls.some((c) => c.cmd.startsWith("resume_"))).toBe(false);
  });

  it("asks what to do when the schedule passed, then resumes with the choice", async () => {
    await i18n.changeLanguage("zh-CN");
    const paused = summary(2, { state: "paused", sentNumbers: 1000 });
    const calls = mockCommands(
      (cmd) => {
        if (cmd === "list_campaigns") return [paused];
        if (cmd === "campaign_batches") return [];
        if (cmd === "resume_needs")
          return { ...noResumeNeeds, schedulePassedAt: Date.UTC(2026, 11, 1, 2, 0) };
        if (cmd === "resume_campaign") return null;
        throw new Error(`unexpected ${cmd}`);
      },
      { events: true },
    );
    renderInWizard(<Pages />, { step: "results" });
    const table = await screen.findByTestId("history-table");
    await userEvent.click(
      (await within(table).findAllByTestId("history-resume"))[0] as HTMLElement,
    );
    const question = await screen.findByTestId("resume-schedule-passed");
    expect(question).toHaveTextContent("2026-12-01 10:00 北京时间");
    expect(question).toHaveTextContent("1 批（1000 人）");
    // Nothing is sent until the marketer chooses.
    expect(calls.some((c) => c.cmd === "resume_campaign")).toBe(false);
    await userEvent.click(screen.getByTestId("resume-choice-ok"));
    expect(await screen.findByTestId("send-state")).toBeInTheDocument();
    expect(calls.filter((c) => c.cmd === "resume_campaign").map((c) => c.args)).toEqual([
      { id: 2, choices: { unknown: null, reschedule: { kind: "now" }, batchSize: null } },
    ]);
  });

  it("cancels the remaining batches when the marketer chooses so", async () => {
    await i18n.changeLanguage("zh-CN");
    const paused = summary(2, { state: "paused", sentNumbers: 1000 });
    const calls = mockCommands(
      (cmd) => {
        if (cmd === "list_campaigns") return [paused];
        if (cmd === "campaign_batches") return [];
        if (cmd === "resume_needs") return { ...noResumeNeeds, schedulePassedAt: 0 };
        if (cmd === "cancel_unsent") return { ...paused, state: "cancelled" };
        throw new Error(`unexpected ${cmd}`);
      },
      { events: true },
    );
    renderInWizard(<Pages />, { step: "results" });
    const table = await screen.findByTestId("history-table");
    await userEvent.click(
      (await within(table).findAllByTestId("history-resume"))[0] as HTMLElement,
    );
    await userEvent.click(await screen.findByTestId("resume-cancel-rest"));
    await userEvent.click(screen.getByTestId("resume-choice-ok"));
    await waitFor(() =>
      expect(calls.filter((c) => c.cmd === "cancel_unsent").map((c) => c.args)).toEqual([
        { id: 2 },
      ]),
    );
    expect(calls.some((c) => c.cmd === "resume_campaign")).toBe(false);
  });
});
