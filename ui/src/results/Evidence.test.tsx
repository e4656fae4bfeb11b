import { describe, expect, it } from "vitest";
import { act, screen, waitFor, within } from "@testing-library/react";
import userEventLib from "@testing-library/user-event";
import { mockConvertFileSrc } from "@tauri-apps/api/mocks";
import i18n from "../i18n";
import type { PersonResult, RecordingsUsage } from "../bindings";
import { emitEvent, mockCommands, renderInWizard, settings, type Call } from "../test-utils";
import { SettingsDrawer } from "../components/SettingsDrawer";
import { PersonDetails } from "./PersonDetails";
import { ExpiringReminder } from "./ExpiringReminder";
import { RecordingsBar } from "./RecordingsBar";
import { PeopleTable } from "./PeopleTable";
import { callTimeText, formatBytes, turnClock } from "./callTime";

const userEvent = userEventLib.setup({ delay: null });

const named = (calls: Call[], cmd: string) => calls.filter((c) => c.cmd === cmd).map((c) => c.args);

function person(over: Partial<PersonResult> = {}): PersonResult {
  return {
    campaignId: 7,
    batchIndex: 1,
    position: 4,
    taskId: "task-0002",
    number: "13800138004",
    sourceRow: 6,
    variables: [{ name: "姓名", value: "王芳" }],
    outcome: "answered",
    outcomeLabel: { zhCn: "已接听", en: "Answered" },
    statusCode: "200000",
    stateDesc: "用户接听",
    durationSecs: 42,
    hangupRaw: "1",
    hangup: "callee",
    dialogCount: 2,
    tags: [],
    callId: "call-4",
    callTime: "2026-11-11 10:00:00",
    endedAt: "2026-11-11 10:00:42",
    // 2026-11-11 10:00:00 China time.
    callTimeMs: Date.UTC(2026, 10, 11, 2, 0, 0),
    endedAtMs: Date.UTC(2026, 10, 11, 2, 0, 42),
    recordUrl: "https://oss.example.com/r.wav?Expires=1",
    recordExpiresAtMs: 1000,
    recordingAvailable: false,
    source: "callDetail",
    fetchedAtMs: Date.UTC(2026, 10, 11, 3),
    transcript: [
      { speaker: "robot", role: "robot", content: "您好,这里是回访", time: "2026-11-11 10:00:01" },
      { speaker: "customer", role: "user", content: "下周再说吧", time: "2026-11-11 10:00:05" },
    ],
    recordingPath: "recordings/7/13800138004-task-0002.wav",
    ...over,
  };
}

describe("call evidence", () => {
  it("shows the conversation, plays the saved file from the app's scheme and keeps the codes here", async () => {
    await i18n.changeLanguage("zh-CN");
    mockConvertFileSrc("linux");
    const calls = mockCommands((cmd) => (cmd === "open_recordings_folder" ? null : undefined));
    renderInWizard(<PersonDetails person={person()} />);
    const details = await screen.findByTestId("person-details");
    const turns = within(details).getByTestId("transcript");
    expect(within(turns).getByTestId("transcript-turn-robot")).toHaveTextContent(
      "机器人10:00:01您好,这里是回访",
    );
    expect(within(turns).getByTestId("transcript-turn-customer")).toHaveTextContent(
      "客户10:00:05下周再说吧",
    );
    const player = within(details).getByTestId("recording-player");
    // The person, never a path or the expiring link.
    expect(player).toHaveAttribute("data-source", "recording://localhost/7-1-4");
    expect(within(details).getByTestId("recording-length")).toHaveTextContent("计费时长 00:42");
    const codes = within(details).getByTestId("person-codes");
    expect(codes).toHaveTextContent("200000");
    expect(codes).toHaveTextContent("用户接听");
    expect(codes).toHaveTextContent("task-0002");
    expect(codes).toHaveTextContent("2026-11-11 10:00 北京时间");
    await userEvent.click(within(details).getByTestId("open-recordings-folder"));
    await waitFor(() => expect(named(calls, "open_recordings_folder")).toEqual([{ id: 7 }]));
  });

  it("says when nothing is saved or there is nothing to say", async () => {
    await i18n.changeLanguage("zh-CN");
    mockCommands(() => undefined);
    renderInWizard(
      <PersonDetails
        person={person({
          outcome: "noAnswer",
          recordingPath: null,
          transcript: [],
          taskId: null,
        })}
      />,
    );
    const details = await screen.findByTestId("person-details");
    expect(within(details).queryByTestId("recording-player")).not.toBeInTheDocument();
    expect(within(details).getByTestId("recording-not-saved")).toHaveTextContent("没有录音");
    expect(details).toHaveTextContent("没有通话内容");
  });

  it("asks the core for the search and starts again at page 1", async () => {
    await i18n.changeLanguage("zh-CN");
    const calls = mockCommands((cmd, args) =>
      cmd === "results_page" ? { total: 1, offset: args.offset, people: [person()] } : undefined,
    );
    const view = renderInWizard(
      <PeopleTable
        campaignId={7}
        outcome={null}
        variableNames={["姓名"]}
        hangupNote={{ zhCn: "", en: "" }}
        reloadKey={0}
      />,
    );
    await screen.findByTestId("person-number");
    view.rerender(
      <PeopleTable
        campaignId={7}
        outcome="answered"
        search=" 下周 "
        variableNames={["姓名"]}
        hangupNote={{ zhCn: "", en: "" }}
        reloadKey={0}
      />,
    );
    await waitFor(() =>
      expect(named(calls, "results_page").at(-1)).toEqual({
        id: 7,
        offset: 0,
        limit: 50,
        outcome: "answered",
        search: "下周",
      }),
    );
  });

  it("reminds about recordings about to be lost and saves them with one click", async () => {
    await i18n.changeLanguage("zh-CN");
    const calls = mockCommands(
      (cmd) => {
        if (cmd === "expiring_recordings")
          return [
            {
              campaignId: 7,
              taskName: "双十一回访",
              count: 3,
              firstExpiryMs: Date.UTC(2026, 10, 13, 2),
            },
            {
              campaignId: 9,
              taskName: "别的活动",
              count: 1,
              firstExpiryMs: Date.UTC(2026, 10, 13, 3),
            },
          ];
        if (cmd === "archive_campaign_recordings") return true;
        return undefined;
      },
      { events: true },
    );
    renderInWizard(<ExpiringReminder campaignId={7} />);
    const alert = await screen.findByTestId("recordings-expiring");
    // Only this campaign's on its results view.
    expect(screen.getAllByTestId("recordings-expiring")).toHaveLength(1);
    expect(alert).toHaveTextContent("有 3 个录音还没保存,链接将在 2026-11-13 10:00 北京时间");
    expect(alert).toHaveTextContent("双十一回访");
    await userEvent.click(within(alert).getByTestId("recordings-save-now"));
    await waitFor(() => expect(named(calls, "archive_campaign_recordings")).toEqual([{ id: 7 }]));
    // Asked again once the save finished.
    const before = named(calls, "expiring_recordings").length;
    await act(() =>
      emitEvent("recordingsArchive", {
        campaignId: 7,
        finished: true,
        done: 3,
        total: 3,
        report: null,
        error: null,
      }),
    );
    await waitFor(() => expect(named(calls, "expiring_recordings").length).toBeGreaterThan(before));
  });

  it("deletes a campaign's recordings only after the user confirms", async () => {
    await i18n.changeLanguage("zh-CN");
    const calls = mockCommands(
      (cmd) =>
        cmd === "delete_campaign_recordings" ? { files: 2, bytes: 2048, failed: 0 } : undefined,
      { events: true },
    );
    const usage: RecordingsUsage = { files: 2, bytes: 2048 };
    let changed = 0;
    renderInWizard(
      <RecordingsBar
        campaignId={7}
        usage={usage}
        archiving={false}
        onChanged={() => (changed += 1)}
      />,
    );
    expect(screen.getByTestId("recordings-usage")).toHaveTextContent("已保存 2 个录音,占用 2.0 KB");
    await userEvent.click(screen.getByTestId("recordings-delete"));
    expect((await screen.findAllByText("删除这个活动保存的全部录音?")).length).toBeGreaterThan(0);
    expect(screen.getAllByText(/将从本机删除 2 个录音文件/).length).toBeGreaterThan(0);
    await userEvent.click(screen.getAllByRole("button", { name: "先不删" }).at(-1) as HTMLElement);
    expect(named(calls, "delete_campaign_recordings")).toHaveLength(0);
    await userEvent.click(screen.getByTestId("recordings-delete"));
    await waitFor(() =>
      expect(screen.getAllByRole("button", { name: "删除录音" }).length).toBeGreaterThan(0),
    );
    await userEvent.click(
      screen.getAllByRole("button", { name: "删除录音" }).at(-1) as HTMLElement,
    );
    await waitFor(() => expect(named(calls, "delete_campaign_recordings")).toEqual([{ id: 7 }]));
    await waitFor(() => expect(changed).toBe(1));
    // A background save shows while it runs.
    await act(() =>
      emitEvent("recordingsArchive", {
        campaignId: 7,
        finished: false,
        done: 120,
        total: 1236,
        report: null,
        error: null,
      }),
    );
    expect(await screen.findByTestId("recordings-archiving")).toHaveTextContent(
      "正在后台保存录音… 120 / 1236",
    );
    expect(screen.getByTestId("recordings-delete")).toBeDisabled();
  });

  it("keeps recordings forever unless told, shows the disk used and saves the days", async () => {
    await i18n.changeLanguage("zh-CN");
    const calls = mockCommands((cmd, args) => {
      if (cmd === "app_info") return { version: "1", dataDir: "/d", logDir: "/l", os: "linux" };
      if (cmd === "recordings_usage") return { files: 3, bytes: 3 * 1024 * 1024 };
      if (cmd === "save_settings") return args.settings;
      return undefined;
    });
    renderInWizard(<SettingsDrawer open onClose={() => {}} onLangChange={() => {}} />);
    expect(await screen.findByTestId("settings-recordings-usage")).toHaveTextContent(
      "录音占用空间:3 个文件,3.0 MB",
    );
    // Every campaign's recordings.
    expect(named(calls, "recordings_usage")[0]).toEqual({ id: null });
    const keep = screen.getByTestId("settings-recording-keep-days");
    expect(keep).toHaveTextContent("永久保留");
    await userEvent.click(within(keep).getByRole("combobox"));
    await userEvent.click(await screen.findByText("保留 90 天"));
    await userEvent.click(screen.getByTestId("settings-save"));
    await waitFor(() => expect(named(calls, "save_settings")).toHaveLength(1));
    expect(named(calls, "save_settings")[0]).toEqual({
      settings: { ...settings, recordingKeepDays: 90 },
    });
  });

  it("writes call times on the one clock and sizes plainly", () => {
    const ms = Date.UTC(2026, 11, 7, 2, 0);
    expect(callTimeText(ms, "2026-12-07 10:00:00", "zh-CN")).toMatch(/^2026-12-07 10:00 北京时间/);
    expect(callTimeText(undefined, "2026.12.07 10:00", "zh-CN")).toBe("2026.12.07 10:00");
    expect(callTimeText(undefined, null, "en")).toBe("—");
    expect(turnClock("2026-12-07 10:00:01")).toBe("10:00:01");
    expect(turnClock("10:00:01")).toBe("10:00:01");
    expect(turnClock(null)).toBe("");
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(5 * 1024 * 1024)).toBe("5.0 MB");
  });
});
