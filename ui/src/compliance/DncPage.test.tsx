import { beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEventLib from "@testing-library/user-event";
import i18n from "../i18n";
import type { DncEntry } from "../bindings";
import { mockCommands, renderInWizard } from "../test-utils";
import { DncPage, DNC_PAGE_SIZE } from "./DncPage";
import { splitNumbers } from "./dncText";

const dialog = vi.hoisted(() => ({ open: vi.fn(), save: vi.fn() }));
vi.mock("@tauri-apps/plugin-dialog", () => dialog);

const userEvent = userEventLib.setup({ delay: null });

function entry(n: number, over: Partial<DncEntry> = {}): DncEntry {
  return {
    number: `138${String(n).padStart(8, "0")}`,
    reason: null,
    // 2026-12-04 02:23 UTC = 10:23 China time.
    addedAtMs: Date.UTC(2026, 11, 4, 2, 23),
    source: "manual",
    ...over,
  };
}

beforeEach(() => {
  dialog.open.mockReset();
  dialog.save.mockReset();
});

describe("splitting pasted numbers", () => {
  it("accepts lines, commas (also full-width) and 、", () => {
    expect(splitNumbers("138 0013 8000\n+86 139-0000-0001，13700000002、 \n")).toEqual([
      "138 0013 8000",
      "+86 139-0000-0001",
      "13700000002",
    ]);
  });
});

describe("do-not-call page", () => {
  it("lists pages, searches, adds with a reason, removes the selected after confirming", async () => {
    await i18n.changeLanguage("zh-CN");
    const calls = mockCommands((cmd, args) => {
      if (cmd === "dnc_list") {
        if (args.search === "拒绝") {
          return { total: 1, entries: [entry(7, { reason: "拒绝来电", source: "results" })] };
        }
        const offset = args.offset as number;
        return {
          total: 120,
          entries: Array.from({ length: Math.min(DNC_PAGE_SIZE, 120 - offset) }, (_, i) =>
            entry(offset + i),
          ),
        };
      }
      if (cmd === "dnc_add") {
        return {
          changed: 1,
          unchanged: 0,
          notNumbers: [{ text: "hello", message: { zhCn: "不是电话号码", en: "Not a number" } }],
          notNumberCount: 1,
        };
      }
      if (cmd === "dnc_remove")
        return { changed: 2, unchanged: 0, notNumbers: [], notNumberCount: 0 };
      throw new Error(`unexpected ${cmd}`);
    });
    renderInWizard(<DncPage />);
    const table = await screen.findByTestId("dnc-table");
    expect(await within(table).findByText("13800000000")).toBeInTheDocument();
    expect(within(table).getAllByText("2026-12-04 10:23")[0]).toBeInTheDocument();
    expect(screen.getByText("共 120 个号码")).toBeInTheDocument();
    // One read per page shown, not a read per render.
    await new Promise((r) => setTimeout(r, 300));
    expect(calls.filter((c) => c.cmd === "dnc_list")).toHaveLength(1);
    expect(calls.find((c) => c.cmd === "dnc_list")?.args).toEqual({
      search: null,
      offset: 0,
      limit: DNC_PAGE_SIZE,
    });

    // Page 3 asks for its own rows only.
    fireEvent.click(screen.getByTitle("3"));
    expect(await within(table).findByText("13800000100")).toBeInTheDocument();
    expect(calls.filter((c) => c.cmd === "dnc_list").at(-1)?.args.offset).toBe(100);

    await userEvent.type(screen.getByPlaceholderText("搜索号码或备注"), "拒绝{Enter}");
    expect(await within(table).findByText("拒绝来电")).toBeInTheDocument();
    expect(within(table).getByText("外呼结果")).toBeInTheDocument();
    expect(calls.filter((c) => c.cmd === "dnc_list").at(-1)?.args).toEqual({
      search: "拒绝",
      offset: 0,
      limit: DNC_PAGE_SIZE,
    });

    // Remove: nothing happens before the confirmation.
    await userEvent.clear(screen.getByPlaceholderText("搜索号码或备注"));
    await userEvent.type(screen.getByPlaceholderText("搜索号码或备注"), "{Enter}");
    await within(table).findByText("13800000000");
    const boxes = within(table).getAllByRole("checkbox");
    // antd's checkbox input takes no pointer events itself; its label does.
    fireEvent.click(boxes[1]!);
    fireEvent.click(boxes[2]!);
    await userEvent.click(screen.getByTestId("dnc-remove"));
    expect(calls.some((c) => c.cmd === "dnc_remove")).toBe(false);
    await userEvent.click(await screen.findByTestId("confirm-dnc-remove"));
    await waitFor(() => expect(calls.some((c) => c.cmd === "dnc_remove")).toBe(true));
    expect(calls.find((c) => c.cmd === "dnc_remove")?.args).toEqual({
      numbers: ["13800000000", "13800000001"],
    });
    // Add: pasted numbers are split; what is not a number is listed, not dropped silently.
    await userEvent.click(screen.getByTestId("dnc-add"));
    await userEvent.type(await screen.findByTestId("dnc-numbers"), "13800138000\nhello");
    await userEvent.type(screen.getByTestId("dnc-reason"), " 客户要求不再来电 ");
    await userEvent.click(screen.getByTestId("dnc-add-ok"));
    await waitFor(() => expect(calls.some((c) => c.cmd === "dnc_add")).toBe(true));
    expect(calls.find((c) => c.cmd === "dnc_add")?.args).toEqual({
      numbers: ["13800138000", "hello"],
      reason: "客户要求不再来电",
      fromResults: false,
    });
    expect(await screen.findByTestId("dnc-not-numbers")).toHaveTextContent("hello 不是电话号码");
  });

  it("imports a sheet chosen in the file dialog and exports to .xlsx", async () => {
    await i18n.changeLanguage("zh-CN");
    const calls = mockCommands((cmd) => {
      if (cmd === "dnc_list") return { total: 1, entries: [entry(1)] };
      if (cmd === "dnc_import")
        return { changed: 3, unchanged: 1, notNumbers: [], notNumberCount: 0 };
      if (cmd === "dnc_export") return 1;
      throw new Error(`unexpected ${cmd}`);
    });
    dialog.open.mockResolvedValue("/home/me/拒接名单.xlsx");
    dialog.save.mockResolvedValue("/home/me/免打扰名单.xlsx");
    renderInWizard(<DncPage />);
    await screen.findByText("13800000001");
    await userEvent.click(screen.getByTestId("dnc-import"));
    expect(await screen.findByText("新加入 3 个号码,1 个已在名单上。")).toBeInTheDocument();
    expect(calls.find((c) => c.cmd === "dnc_import")?.args).toEqual({
      path: "/home/me/拒接名单.xlsx",
      reason: null,
    });
    await userEvent.click(screen.getByTestId("dnc-export"));
    expect(
      await screen.findByText("已导出 1 个号码到 /home/me/免打扰名单.xlsx"),
    ).toBeInTheDocument();
    expect(calls.find((c) => c.cmd === "dnc_export")?.args).toEqual({
      path: "/home/me/免打扰名单.xlsx",
    });
  });
});
