import { expect } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEventLib from "@testing-library/user-event";
import type {
  BatchOverview,
  CallOutcome,
  CampaignSummary,
  ControlExplanation,
  OutcomeCount,
  PersonResult,
  RefreshReport,
  ResultsOverview,
} from "../bindings";
import { mockCommands, type Call } from "../test-utils";

// The results view's test fixtures: a campaign, its people and a backend answering the
// results commands, shared by the view's test files.
export const userEvent = userEventLib.setup({ delay: null });

export const LABELS: Record<CallOutcome, [string, string]> = {
  answered: ["已接听", "Answered"],
  noAnswer: ["无人接听", "No answer"],
  busy: ["占线", "Busy"],
  rejected: ["拒接", "Rejected"],
  poweredOff: ["关机", "Powered off"],
  invalidNumber: ["空号", "Invalid number"],
  unreachable: ["无法接通", "Unreachable"],
  failed: ["呼叫失败", "Failed"],
  pending: ["等待结果", "Pending"],
  notSent: ["未发出", "Not sent"],
  untracked: ["无法追踪", "Untracked"],
};

export const label = (o: CallOutcome) => ({ zhCn: LABELS[o][0], en: LABELS[o][1] });

export function counts(values: Partial<Record<CallOutcome, number>>): OutcomeCount[] {
  return (Object.keys(LABELS) as CallOutcome[]).map((outcome) => ({
    outcome,
    label: label(outcome),
    count: values[outcome] ?? 0,
  }));
}

export const campaign: CampaignSummary = {
  id: 7,
  createdAtMs: Date.UTC(2026, 10, 11, 2, 0),
  updatedAtMs: Date.UTC(2026, 10, 11, 2, 5),
  sourceName: "客户名单.xlsx",
  sourceSha256: "ab",
  taskName: "双十一回访",
  dialogId: "demo-robot-001",
  profile: "default",
  endpoint: "https://dyvmsapi.aliyuncs.com",
  state: "finished",
  reason: null,
  totalNumbers: 6,
  sentNumbers: 6,
  batches: { planned: 0, sending: 0, sent: 2, rejected: 0, unknown: 0, cancelled: 0 },
  busy: false,
};

export function overview(over: Partial<ResultsOverview> = {}): ResultsOverview {
  return {
    campaign,
    counts: counts({ answered: 3, noAnswer: 1, busy: 0, poweredOff: 1, pending: 1 }),
    variableNames: ["姓名", "金额"],
    people: 6,
    pending: 1,
    lastFetchedAtMs: null,
    recordings: { files: 1, bytes: 48_000 },
    archiving: false,
    withheld: 0,
    hangupNote: {
      zhCn: "文档对挂断方的说明前后矛盾",
      en: "The docs contradict themselves on who hung up",
    },
    ...over,
  };
}

export function person(position: number, over: Partial<PersonResult> = {}): PersonResult {
  return {
    campaignId: 7,
    batchIndex: 0,
    position,
    taskId: "task-0001",
    number: `1380013800${position}`,
    sourceRow: position + 2,
    variables: [
      { name: "姓名", value: `客户${position}` },
      { name: "金额", value: `${(position + 1) * 100}` },
    ],
    outcome: "answered",
    outcomeLabel: label("answered"),
    statusCode: "200000",
    stateDesc: "用户接听",
    durationSecs: 75,
    hangupRaw: "1",
    hangup: "robot",
    dialogCount: 4,
    tags: [],
    callId: `call-${position}`,
    callTime: "2026-11-11 10:00:00",
    endedAt: "2026-11-11 10:01:15",
    recordUrl: "https://oss.example.com/rec.wav",
    recordExpiresAtMs: Date.UTC(2026, 10, 13),
    recordingAvailable: true,
    source: "callDetail",
    fetchedAtMs: Date.UTC(2026, 10, 11, 3),
    transcript: [],
    recordingPath: null,
    ...over,
  };
}

export const people = [
  person(0),
  person(1, {
    outcome: "noAnswer",
    outcomeLabel: label("noAnswer"),
    statusCode: "200005",
    durationSecs: null,
    hangupRaw: null,
    hangup: "unknown",
    dialogCount: null,
    recordUrl: null,
    recordExpiresAtMs: null,
    recordingAvailable: false,
  }),
  // Answered two days ago: the link has expired.
  person(2, { recordingAvailable: false, recordExpiresAtMs: Date.UTC(2026, 10, 9) }),
];

export function report(over: Partial<RefreshReport> = {}): RefreshReport {
  return {
    campaignId: 7,
    checked: 3,
    found: 2,
    stillPending: 1,
    skippedFinal: 3,
    notSent: 0,
    notDue: 0,
    requests: 5,
    mode: "perCallee",
    degraded: null,
    failures: [],
    failureCount: 0,
    cancelled: false,
    finishedAtMs: Date.UTC(2026, 10, 11, 4),
    ...over,
  };
}

export const batch = (index: number, taskId: string | null): BatchOverview => ({
  campaignId: 7,
  index,
  taskName: `双十一回访 (${index + 1}/2)`,
  people: 2,
  state: taskId ? "sent" : "rejected",
  attempts: 1,
  retryable: false,
  taskId,
  errorCode: null,
  problem: null,
  decision: null,
  updatedAtMs: 0,
});

export const stopExplanation: ControlExplanation = {
  control: "stop",
  action: "StopRobotTask",
  title: { zhCn: "停止任务", en: "Stop the task" },
  appliesTo: { zhCn: "任务正在拨打时", en: "While the task is calling" },
  effectOnUncalled: {
    zhCn: "还没拨打的人暂时不会被拨打,之后可以继续",
    en: "People not called yet are held back; the task can be continued",
  },
  reversible: true,
};

export type Handler = (cmd: string, args: Record<string, unknown>) => unknown;

/** The results commands with sensible answers; `extra` answers (or overrides) the rest. */
export function backend(
  extra: Handler = () => undefined,
  ov: () => ResultsOverview = overview,
): Call[] {
  return mockCommands(
    (cmd, args) => {
      const answer = extra(cmd, args);
      if (answer !== undefined) return answer;
      if (cmd === "results_overview") return ov();
      if (cmd === "results_page") return { total: people.length, offset: args.offset, people };
      if (cmd === "campaign_batches") return [batch(0, "task-0001"), batch(1, null)];
      if (cmd === "expiring_recordings") return [];
      throw new Error(`unexpected ${cmd}`);
    },
    { events: true },
  );
}

export const named = (calls: Call[], cmd: string) =>
  calls.filter((c) => c.cmd === cmd).map((c) => c.args);

export async function shown() {
  const view = await screen.findByTestId("results-view");
  await within(view).findAllByTestId("person-number");
  // The page has arrived (a spinning table takes no clicks).
  await waitFor(() =>
    expect(view.querySelector("[data-testid=results-table] .ant-spin-spinning")).toBeNull(),
  );
  return view;
}
