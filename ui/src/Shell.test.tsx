import { describe, expect, it } from "vitest";
import { act, render, screen, waitFor } from "@testing-library/react";
import userEventLib from "@testing-library/user-event";
import { mockIPC, mockWindows } from "@tauri-apps/api/mocks";
import type { InvokeArgs } from "@tauri-apps/api/core";
import { emit } from "@tauri-apps/api/event";
import App from "./App";
import i18n from "./i18n";
import type { CampaignSummary, DemoStatus, ProfileSummary, Settings } from "./bindings";
import { noResumeNeeds, settings as defaultSettings, type Call } from "./test-utils";

const userEvent = userEventLib.setup({ delay: null });

const demoOn: DemoStatus = {
  active: true,
  endpoint: "http://127.0.0.1:47100",
  dialogId: "demo-robot-001",
};
const profile: ProfileSummary = {
  name: "default",
  maskedAccessKeyId: "LTAI****abcd",
  createdAt: "2026-11-25T10:00:00Z",
  isDefault: true,
  signature: "v3",
};

const unfinished: CampaignSummary = {
  id: 3,
  createdAtMs: 1_795_000_000_000,
  updatedAtMs: 1_795_000_000_000,
  sourceName: "客户名单.xlsx",
  sourceSha256: "ab12",
  taskName: "双十一回访",
  dialogId: "demo-robot-001",
  profile: "default",
  endpoint: "https://dyvmsapi.aliyuncs.com",
  state: "paused",
  reason: null,
  totalNumbers: 2000,
  sentNumbers: 1000,
  batches: { planned: 1, sending: 0, sent: 1, rejected: 0, unknown: 0, cancelled: 0 },
  busy: false,
};

interface World {
  demo?: DemoStatus;
  profiles?: ProfileSummary[];
  unfinished?: CampaignSummary | null;
  sending?: boolean;
}

function backend(world: World, calls: Call[]) {
  let demo = world.demo ?? { active: false, endpoint: null, dialogId: null };
  let settings: Settings = defaultSettings;
  return (cmd: string, payload?: InvokeArgs) => {
    const args = (payload ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args });
    switch (cmd) {
      case "demo_status":
        return demo;
      case "start_demo":
        demo = demoOn;
        return demo;
      case "stop_demo":
        demo = { active: false, endpoint: null, dialogId: null };
        return demo;
      case "list_profiles":
        return world.profiles ?? [];
      case "get_settings":
        return settings;
      case "save_settings":
        settings = args.settings as Settings;
        return settings;
      case "unfinished_campaign":
        return world.unfinished ?? null;
      case "sending_now":
        return world.sending ?? false;
      case "resume_needs":
        return noResumeNeeds;
      case "resume_campaign":
        return null;
      case "list_campaigns":
        return world.unfinished ? [world.unfinished] : [];
      case "campaign_batches":
        return [];
      case "app_info":
        return { version: "0.1.0", dataDir: "/data/smartdial", logDir: "/logs", os: "linux" };
      case "plugin:window|destroy":
      case "open_log_folder":
        return null;
      default:
        throw new Error(`unexpected ${cmd}`);
    }
  };
}

function start(world: World): Call[] {
  const calls: Call[] = [];
  mockIPC(backend(world, calls), { shouldMockEvents: true });
  mockWindows("main");
  render(<App />);
  return calls;
}

describe("first run and demo mode", () => {
  it("offers AccessKey or demo when there is no profile, and the demo banner follows", async () => {
    await i18n.changeLanguage("zh-CN");
    const calls = start({});
    expect(await screen.findByTestId("connection-panel")).toBeInTheDocument();
    expect(screen.queryByTestId("demo-banner")).not.toBeInTheDocument();
    await userEvent.click(screen.getByTestId("try-demo"));
    expect(await screen.findByTestId("demo-banner")).toHaveTextContent("演示模式:不会真的拨打电话");
    expect(screen.queryByTestId("connection-panel")).not.toBeInTheDocument();
    expect(screen.getByTestId("step-import")).toBeInTheDocument();
    expect(calls.filter((c) => c.cmd === "start_demo")).toHaveLength(1);
  });

  it("goes straight to the wizard with a profile, without a demo banner", async () => {
    await i18n.changeLanguage("zh-CN");
    start({ profiles: [profile] });
    expect(await screen.findByTestId("step-import")).toBeInTheDocument();
    expect(screen.queryByTestId("connection-panel")).not.toBeInTheDocument();
    expect(screen.queryByTestId("demo-banner")).not.toBeInTheDocument();
  });
});

describe("leaving demo mode", () => {
  it("asks first while a demo campaign is sending, then shows the connection panel", async () => {
    await i18n.changeLanguage("zh-CN");
    const calls = start({ demo: demoOn, sending: true });
    await userEvent.click(await screen.findByTestId("stop-demo"));
    expect(
      (await screen.findAllByText("演示外呼还在发送,确定退出演示模式吗?")).length,
    ).toBeGreaterThan(0);
    expect(calls.some((c) => c.cmd === "stop_demo")).toBe(false);
    await userEvent.click(screen.getByTestId("confirm-stop-demo"));
    expect(await screen.findByTestId("connection-panel")).toBeInTheDocument();
    expect(screen.queryByTestId("demo-banner")).not.toBeInTheDocument();
    expect(calls.filter((c) => c.cmd === "stop_demo")).toHaveLength(1);
  });
});

describe("settings drawer", () => {
  it("shows the saved settings and saves changes through Rust", async () => {
    await i18n.changeLanguage("zh-CN");
    const calls = start({ profiles: [profile] });
    await screen.findByTestId("step-import");
    await userEvent.click(screen.getByTestId("open-settings"));
    const batch = await screen.findByTestId("settings-batch-size");
    await waitFor(() => expect(batch).toHaveValue("1000"));
    expect(screen.getByTestId("settings-endpoint")).toHaveValue("https://dyvmsapi.aliyuncs.com");
    expect(await screen.findByTestId("settings-data-dir")).toHaveTextContent("/data/smartdial");
    expect(screen.getByTestId("profile-list")).toHaveTextContent("LTAI****abcd");
    await userEvent.clear(batch);
    await userEvent.type(batch, "500");
    await userEvent.click(screen.getByTestId("settings-save"));
    await waitFor(() => expect(calls.some((c) => c.cmd === "save_settings")).toBe(true));
    expect(calls.find((c) => c.cmd === "save_settings")?.args).toEqual({
      settings: { ...defaultSettings, batchSize: 500 },
    });
    await userEvent.click(screen.getByTestId("open-log-folder"));
    await waitFor(() =>
      expect(calls.filter((c) => c.cmd === "open_log_folder").map((c) => c.args)).toEqual([{}]),
    );
  });
});

describe("start-up and closing", () => {
  it("offers to resume an unfinished campaign and opens it on the Send page", async () => {
    await i18n.changeLanguage("zh-CN");
    const calls = start({ profiles: [profile], unfinished });
    await userEvent.click(await screen.findByTestId("resume-offer"));
    await waitFor(() =>
      expect(calls.filter((c) => c.cmd === "resume_campaign").map((c) => c.args)).toEqual([
        { id: 3, choices: null },
      ]),
    );
    expect(await screen.findByTestId("send-state")).toBeInTheDocument();
  });

  it("asks before closing while a campaign is sending", async () => {
    await i18n.changeLanguage("zh-CN");
    const calls = start({ profiles: [profile], sending: true });
    await screen.findByTestId("step-import");
    await act(() => emit("tauri://close-requested"));
    expect((await screen.findAllByText("正在发送,确定要关闭吗?")).length).toBeGreaterThan(0);
    // One close handler, one question.
    expect(calls.filter((c) => c.cmd === "sending_now")).toHaveLength(1);
    expect(calls.some((c) => c.cmd === "plugin:window|destroy")).toBe(false);
    await userEvent.click(screen.getByRole("button", { name: "关闭窗口" }));
    await waitFor(() => expect(calls.some((c) => c.cmd === "plugin:window|destroy")).toBe(true));
  });

  it("closes at once when nothing is sending", async () => {
    await i18n.changeLanguage("zh-CN");
    const calls = start({ profiles: [profile], sending: false });
    await screen.findByTestId("step-import");
    await act(() => emit("tauri://close-requested"));
    await waitFor(() => expect(calls.some((c) => c.cmd === "plugin:window|destroy")).toBe(true));
    expect(screen.queryByText("正在发送,确定要关闭吗?")).not.toBeInTheDocument();
  });
});
