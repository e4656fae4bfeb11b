import { describe, expect, it } from "vitest";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { mockIPC } from "@tauri-apps/api/mocks";
import App from "./App";
import i18n from "./i18n";
import type { AppInfo, UserError } from "./bindings";

const info: AppInfo = {
  version: "0.1.0",
  dataDir: "/home/ann/.local/share/smartdial",
  logDir: "/home/ann/.local/state/smartdial/logs",
  os: "linux",
};

describe("app frame", () => {
  it("shows the six wizard steps in Chinese by default", async () => {
    await i18n.changeLanguage("zh-CN");
    render(<App />);
    const steps = screen.getByTestId("wizard-steps");
    for (const title of ["导入", "对应列", "检查", "任务设置", "发送", "结果"]) {
      expect(within(steps).getByText(title)).toBeInTheDocument();
    }
  });

  it("switches to English and remembers the choice", async () => {
    await i18n.changeLanguage("zh-CN");
    render(<App />);
    await userEvent.click(screen.getByText("English"));
    expect(
      within(screen.getByTestId("wizard-steps")).getByText("Task settings"),
    ).toBeInTheDocument();
    expect(localStorage.getItem("smartdial.lang")).toBe("en");
  });

  it("asks Rust for the app info and shows the folders", async () => {
    await i18n.changeLanguage("zh-CN");
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      if (cmd === "app_info") return info;
      if (cmd === "demo_status") return { active: false, endpoint: null, dialogId: null };
      if (cmd === "list_profiles") return [];
      if (cmd === "get_settings") return null;
      throw new Error(`unexpected command ${cmd}`);
    });
    render(<App />);
    await userEvent.click(screen.getByTestId("about-button"));
    expect(await screen.findByTestId("about-data-dir")).toHaveTextContent(info.dataDir);
    expect(screen.getByTestId("about-version")).toHaveTextContent("0.1.0");
    // The session's first load happens on its own; the About box asks once.
    expect(calls.filter((c) => c === "app_info")).toEqual(["app_info"]);
  });

  it("shows a command failure as a friendly message with its hint", async () => {
    await i18n.changeLanguage("zh-CN");
    const failure: UserError = {
      code: "settings.unreadable",
      message: { zhCn: "无法读取数据文件夹", en: "The data folder cannot be read" },
      hint: { zhCn: "请检查文件夹权限", en: "Check the folder's permissions" },
    };
    mockIPC(() => {
      throw failure;
    });
    render(<App />);
    await userEvent.click(screen.getByTestId("about-button"));
    const alert = await screen.findByTestId("about-error");
    expect(alert).toHaveTextContent("无法读取数据文件夹");
    expect(alert).toHaveTextContent("请检查文件夹权限");
  });
});
