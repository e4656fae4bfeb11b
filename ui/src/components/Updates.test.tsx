import { describe, expect, it } from "vitest";
import { act, screen, waitFor } from "@testing-library/react";
import userEventLib from "@testing-library/user-event";
import i18n from "../i18n";
import type { UpdateInfo, UserError } from "../bindings";
import { mockCommands, renderInWizard } from "../test-utils";
import { CheckForUpdates, StartupUpdateCheck } from "./Updates";

const userEvent = userEventLib.setup({ delay: null });

const update: UpdateInfo = {
  version: "0.2.0",
  currentVersion: "0.1.0",
  notes: "新增:AccessKey 获取指南\n修复:导入 GBK 表格",
  date: "2027-01-15 8:00:00.0 +00:00:00",
};

const busy: UserError = {
  code: "update.busy_sending",
  message: { zhCn: "正在发送外呼,现在不能安装更新。", en: "A campaign is sending." },
  hint: { zhCn: "请等发送完成(或取消发送)后再安装。", en: "Wait until sending has finished." },
};

describe("updates", () => {
  it("offers a new version at start with its notes and installs only after the click", async () => {
    await i18n.changeLanguage("zh-CN");
    const calls = mockCommands((cmd) => {
      if (cmd === "check_update_at_start") return update;
      if (cmd === "install_update") throw busy;
      throw new Error(`unexpected ${cmd}`);
    });
    renderInWizard(<StartupUpdateCheck />);
    const dialog = await screen.findByTestId("update-dialog");
    expect(dialog).toHaveTextContent("发现新版本 0.2.0");
    expect(dialog).toHaveTextContent("当前版本 0.1.0");
    expect(screen.getByTestId("update-notes").textContent).toBe(update.notes);
    expect(calls.filter((c) => c.cmd === "install_update")).toHaveLength(0);

    // Rust refuses while a campaign is sending: the reason shows and the dialog stays.
    await userEvent.click(screen.getByTestId("update-install"));
    expect(await screen.findByTestId("update-error")).toHaveTextContent(
      "正在发送外呼,现在不能安装更新。",
    );
    expect(screen.getByTestId("update-error")).toHaveTextContent("请等发送完成");
    expect(calls.filter((c) => c.cmd === "install_update")).toHaveLength(1);
    expect(calls.filter((c) => c.cmd === "check_update_at_start")).toHaveLength(1);
  });

  it("closes on Later without installing", async () => {
    await i18n.changeLanguage("zh-CN");
    const calls = mockCommands((cmd) => {
      if (cmd === "check_update_at_start") return { ...update, notes: null };
      throw new Error(`unexpected ${cmd}`);
    });
    renderInWizard(<StartupUpdateCheck />);
    expect(await screen.findByTestId("update-notes")).toHaveTextContent("这个版本没有附更新说明。");
    await userEvent.click(screen.getByTestId("update-later"));
    await waitFor(() => expect(screen.queryByTestId("update-notes")).toBeNull());
    expect(calls.map((c) => c.cmd)).not.toContain("install_update");
  });

  it("says nothing at start when there is no update or the check fails", async () => {
    await i18n.changeLanguage("zh-CN");
    const calls = mockCommands((cmd) => {
      if (cmd === "check_update_at_start") throw new Error("offline");
      throw new Error(`unexpected ${cmd}`);
    });
    renderInWizard(<StartupUpdateCheck />);
    await waitFor(() =>
      expect(calls.filter((c) => c.cmd === "check_update_at_start")).toHaveLength(1),
    );
    await act(() => new Promise((r) => setTimeout(r, 50)));
    expect(screen.queryByTestId("update-dialog")).toBeNull();
    expect(document.body.textContent).not.toContain("offline");
  });

  it("the settings button gives a plain result, failures included", async () => {
    await i18n.changeLanguage("zh-CN");
    let answer: "none" | "fail" | "found" = "none";
    mockCommands((cmd) => {
      if (cmd === "check_update") {
        if (answer === "none") return null;
        if (answer === "found") return update;
        throw {
          code: "update.check_failed",
          message: { zhCn: "暂时无法检查更新。", en: "Could not check for updates right now." },
          hint: { zhCn: "可能是没有联网,或者还没有发布新版本。", en: "Offline?" },
        } satisfies UserError;
      }
      throw new Error(`unexpected ${cmd}`);
    });
    renderInWizard(<CheckForUpdates currentVersion="0.1.0" />);
    const button = screen.getByTestId("update-check");
    const result = screen.getByTestId("update-result");
    // Each check waits until the previous one has finished (a busy button ignores clicks).
    const check = async (expected: string) => {
      await waitFor(() => expect(button).not.toHaveClass("ant-btn-loading"));
      await userEvent.click(button);
      await waitFor(() => expect(result).toHaveTextContent(expected), { timeout: 5000 });
    };
    await check("已是最新版本(0.1.0)");

    answer = "fail";
    await check("暂时无法检查更新。");
    expect(result).toHaveTextContent("还没有发布新版本");
    expect(result).not.toHaveTextContent("已是最新版本");

    answer = "found";
    await check("发现新版本 0.2.0");
    expect(await screen.findByTestId("update-dialog")).toHaveTextContent("发现新版本 0.2.0");
  });
});
