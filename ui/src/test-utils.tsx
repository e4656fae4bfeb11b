import type { ReactNode } from "react";
import { render } from "@testing-library/react";
import { App as AntApp, ConfigProvider } from "antd";
import zhCN from "antd/locale/zh_CN";
import { mockIPC } from "@tauri-apps/api/mocks";
import type { InvokeArgs } from "@tauri-apps/api/core";
import { emit } from "@tauri-apps/api/event";
import { SessionProvider } from "./state/session";
import { initialWizard, WizardProvider, type WizardState } from "./state/wizard";
import generatedLimits from "./generated/form-limits.json";
import {
  events,
  type ContactSummary,
  type DemoStatus,
  type EventPayloads,
  type FormLimits,
  type Lang,
  type ResumeNeeds,
  type Settings,
} from "./bindings";

export const settings: Settings = {
  endpoint: "https://dyvmsapi.aliyuncs.com",
  batchSize: 1000,
  qps: 10,
  concurrency: 4,
  mobileOnly: false,
  lang: "zh-CN",
  defaultProfile: "default",
  checkUpdates: true,
  recordingKeepDays: null,
  calling: {
    hours: { days: [1, 2, 3, 4, 5, 6, 7], ranges: "09:00-12:00,14:00-21:00" },
    maxAnsweredPerDay: 1,
    maxAttemptsPerDay: 3,
    stopMarginMinutes: 30,
  },
};

/** The core's own answer to `form_limits` (generated with the bindings). */
export const limits = generatedLimits as FormLimits;

export const noDemo: DemoStatus = { active: false, endpoint: null, dialogId: null };

/** A campaign that can go on without asking anything. */
export const noResumeNeeds: ResumeNeeds = {
  schedulePassedAt: null,
  suggestedBatchSize: null,
  unsentBatches: 1,
  unsentPeople: 1000,
  largestUnsent: 1000,
};

export interface Call {
  cmd: string;
  args: Record<string, unknown>;
}

/**
 * Mocks Tauri's IPC: the session's own start-up commands are answered, everything else
 * goes to `handler`; every call is recorded.
 */
export function mockCommands(
  handler: (cmd: string, args: Record<string, unknown>) => unknown,
  options?: { events?: boolean; demo?: DemoStatus },
): Call[] {
  const calls: Call[] = [];
  mockIPC(
    (cmd: string, payload?: InvokeArgs) => {
      const args = (payload ?? {}) as Record<string, unknown>;
      calls.push({ cmd, args });
      if (cmd === "demo_status") return options?.demo ?? noDemo;
      if (cmd === "list_profiles") return [];
      if (cmd === "get_settings") return settings;
      if (cmd === "form_limits") return limits;
      return handler(cmd, args);
    },
    { shouldMockEvents: options?.events ?? false },
  );
  return calls;
}

export function renderInWizard(
  ui: ReactNode,
  wizard: Partial<WizardState> = {},
  lang: Lang = "zh-CN",
) {
  return render(
    <ConfigProvider locale={zhCN}>
      <AntApp>
        <SessionProvider lang={lang}>
          <WizardProvider initial={{ ...initialWizard, ...wizard }}>{ui}</WizardProvider>
        </SessionProvider>
      </AntApp>
    </ConfigProvider>,
  );
}

export function contactSummary(over: Partial<ContactSummary> = {}): ContactSummary {
  return {
    file: "客户名单.xlsx",
    sheet: "客户名单",
    headerRow: 1,
    phoneColumn: { index: 1, letter: "B", header: "手机号" },
    variables: [],
    rows: 5,
    valid: 3,
    fixed: 0,
    invalid: 1,
    duplicates: 1,
    excluded: 0,
    doNotCall: 0,
    overLimit: 0,
    landlines: 0,
    warnings: 0,
    blankRows: 0,
    sendable: 3,
    notices: [],
    ...over,
    // Today every blocking row is an invalid one; tests set `invalid` and get both.
    blocking: over.blocking ?? over.invalid ?? 1,
  };
}

/** Emits one of the app's events as the Rust side would, its payload type-checked. */
export function emitEvent<K extends keyof EventPayloads>(event: K, payload: EventPayloads[K]) {
  return emit(events[event], payload);
}
