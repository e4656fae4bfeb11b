import { describe, expect, it } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEventLib from "@testing-library/user-event";
import i18n from "../i18n";
import type { ContactRow, MappingProposal, SheetOverview, UserError } from "../bindings";
import { contactSummary, mockCommands, renderInWizard } from "../test-utils";
import { ImportStep } from "./ImportStep";
import { MapStep } from "./MapStep";

const userEvent = userEventLib.setup({ delay: null });

const overview: SheetOverview = {
  fileName: "客户名单.xlsx",
  sheets: [
    { name: "客户名单", hidden: false },
    { name: "旧数据", hidden: true },
  ],
  preview: {
    sheet: "客户名单",
    totalRows: 120_001,
    columns: 3,
    detectedHeaderRow: 2,
    rows: [
      { row: 1, cells: ["2026 客户回访", "", ""] },
      { row: 2, cells: ["姓名", "手机号", "金额"] },
      { row: 3, cells: ["张三", "13800138000", "100"] },
    ],
    notices: [
      {
        code: "sheet.merged_cells",
        message: { zhCn: "表格里有合并的单元格", en: "The sheet has merged cells" },
      },
    ],
  },
};

describe("import", () => {
  it("opens the file picked in the native dialog and preselects the detected header row", async () => {
    await i18n.changeLanguage("zh-CN");
    const calls = mockCommands((cmd) => {
      if (cmd === "plugin:dialog|open") return "/home/ann/客户名单.xlsx";
      if (cmd === "open_sheet") return overview;
      throw new Error(`unexpected ${cmd}`);
    });
    renderInWizard(<ImportStep />);
    expect(screen.getByTestId("to-map")).toBeDisabled();
    await userEvent.click(screen.getByTestId("import-choose"));
    expect(await screen.findByTestId("import-file-name")).toHaveTextContent("客户名单.xlsx");
    const dialog = calls.find((c) => c.cmd === "plugin:dialog|open");
    expect(dialog?.args).toMatchObject({
      options: {
        multiple: false,
        filters: [{ extensions: ["xlsx", "xlsm", "xlsb", "xls", "ods", "csv", "txt"] }],
      },
    });
    expect(calls.find((c) => c.cmd === "open_sheet")?.args).toEqual({
      path: "/home/ann/客户名单.xlsx",
    });
    expect(screen.getByTestId("import-header-row")).toHaveTextContent("第 2 行");
    expect(screen.getByTestId("import-total-rows")).toHaveTextContent("共 120001 行");
    expect(screen.getByText("表格里有合并的单元格")).toBeInTheDocument();
    expect(screen.getByTestId("to-map")).toBeEnabled();
  });

  it("shows which sheet core chose and why; a sheet without phones does not go on silently", async () => {
    await i18n.changeLanguage("zh-CN");
    const sheet = (name: string, phones: boolean): SheetOverview => ({
      fileName: "名单.xlsx",
      sheets: [
        { name: "说明", hidden: false },
        { name: "客户名单", hidden: false },
      ],
      preview: {
        sheet: name,
        totalRows: 2,
        columns: 2,
        detectedHeaderRow: 1,
        rows: [{ row: 1, cells: phones ? ["姓名", "手机号"] : ["请把客户填在第二张表", ""] }],
        notices: [
          phones
            ? {
                code: "sheet.chosen",
                message: { zhCn: `已选择“${name}”：这张表里有手机号`, en: "" },
              }
            : {
                code: "sheet.no_phone_column",
                message: { zhCn: `工作表“${name}”里没有找到手机号`, en: "" },
              },
        ],
      },
      choice: {
        sheet: name,
        reason: phones ? "active" : "named",
        hasPhoneColumn: phones,
        searched: 2,
      },
    });
    const calls = mockCommands((cmd, args) => {
      if (cmd === "open_sheet") return sheet("客户名单", true);
      if (cmd === "select_sheet") return sheet(args.sheet as string, args.sheet === "客户名单");
      throw new Error(`unexpected ${cmd}`);
    });
    renderInWizard(<ImportStep />);
    await userEvent.type(screen.getByTestId("import-path"), "/data/名单.xlsx");
    await userEvent.click(screen.getByTestId("import-open"));
    const chosen = await screen.findByTestId("import-notice-sheet.chosen");
    expect(chosen).toHaveTextContent("已选择“客户名单”：这张表里有手机号");
    expect(chosen).toHaveClass("ant-alert-success");
    expect(screen.queryByTestId("to-map-why")).toBeNull();

    // The user switches to the instructions sheet: Next says why and asks first.
    await userEvent.click(within(screen.getByTestId("import-sheet")).getByRole("combobox"));
    const options = await screen.findAllByText("说明");
    const option = options.find((o) => o.closest(".ant-select-item-option"));
    await userEvent.click(option ?? options[0]!);
    expect(await screen.findByTestId("to-map-why")).toHaveTextContent("这张表里没有找到手机号");
    await userEvent.click(screen.getByTestId("to-map"));
    expect(
      await screen.findByText(/请在上面的“工作表”里换成存放手机号的那张表/),
    ).toBeInTheDocument();
    // The notice points to the other sheet, one click away.
    await userEvent.click(screen.getByTestId("import-other-sheet"));
    expect(calls.filter((c) => c.cmd === "select_sheet").at(-1)?.args).toEqual({
      sheet: "客户名单",
    });
    await waitFor(() => expect(screen.queryByTestId("to-map-why")).toBeNull());
  });

  it("stops a long read with the cancel button, without an error", async () => {
    await i18n.changeLanguage("en");
    let stop: (e: UserError) => void = () => undefined;
    const calls = mockCommands((cmd) => {
      if (cmd === "open_sheet")
        return new Promise((_, reject) => {
          stop = reject;
        });
      if (cmd === "cancel_sheet_read") {
        stop({
          code: "sheet.cancelled",
          message: { zhCn: "已取消读取文件“big.xlsx”", en: "Reading big.xlsx was cancelled" },
          hint: { zhCn: "可以重新选择文件", en: "You can choose the file again" },
        });
        return null;
      }
      throw new Error(`unexpected ${cmd}`);
    });
    renderInWizard(<ImportStep />, {}, "en");
    expect(screen.queryByTestId("import-cancel")).toBeNull();
    await userEvent.type(screen.getByTestId("import-path"), "/data/big.xlsx");
    await userEvent.click(screen.getByTestId("import-open"));
    await userEvent.click(await screen.findByTestId("import-cancel"));
    await waitFor(() => expect(screen.queryByTestId("import-cancel")).toBeNull());
    expect(calls.some((c) => c.cmd === "cancel_sheet_read")).toBe(true);
    expect(screen.queryByText("Reading big.xlsx was cancelled")).toBeNull();
  });

  it("shows why a file cannot be opened, with what to do, in the current language", async () => {
    await i18n.changeLanguage("en");
    const failure: UserError = {
      code: "sheet.locked",
      message: { zhCn: "文件正被其他程序占用", en: "The file is open in another program" },
      hint: { zhCn: "请先关闭 Excel", en: "Close Excel first" },
    };
    mockCommands((cmd) => {
      if (cmd === "open_sheet") throw failure;
      throw new Error(`unexpected ${cmd}`);
    });
    renderInWizard(<ImportStep />, {}, "en");
    await userEvent.type(screen.getByTestId("import-path"), "C:\\data\\list.xlsx");
    await userEvent.click(screen.getByTestId("import-open"));
    expect(await screen.findByText("The file is open in another program")).toBeInTheDocument();
    expect(screen.getByText("Close Excel first")).toBeInTheDocument();
    expect(screen.getByTestId("to-map")).toBeDisabled();
    await i18n.changeLanguage("zh-CN");
  });
});

function contact(row: number, name: string, status: ContactRow["status"]): ContactRow {
  return {
    row,
    original: "x",
    number: status === "invalid" ? null : `1380013800${row}`,
    status,
    code: "phone.ok",
    message: { zhCn: "号码正确", en: "Fine" },
    duplicateOf: null,
    values: [name, "100"],
    problems: [],
  };
}

describe("map", () => {
  it("matches variables by Rust's proposal and previews what the first callable people get", async () => {
    await i18n.changeLanguage("zh-CN");
    const calls = mockCommands((cmd, args) => {
      // The rule is the core's (`sheet::variables`, tested there); the page shows its answer.
      if (cmd === "check_variable") {
        const name = (args.name as string).trim();
        if (!(args.existing as string[]).includes(name)) return name;
        throw {
          code: "variable.exists",
          message: { zhCn: `变量“${name}”已经添加过了`, en: `"${name}" is already there` },
          hint: { zhCn: "", en: "" },
        } satisfies UserError;
      }
      if (cmd === "propose_mapping") {
        const vars = args.variables as string[];
        const columns = [
          { index: 0, letter: "A", header: "姓名" },
          { index: 1, letter: "B", header: "手机号" },
          { index: 2, letter: "C", header: "金额" },
        ];
        const proposal: MappingProposal = {
          columns,
          suggestion: {
            phoneColumn: columns[1] ?? null,
            phoneHow: "alias",
            variables: vars.map((name) =>
              name === "name"
                ? { name, column: columns[0] ?? null, how: "saved" as const }
                : { name, column: null, how: null },
            ),
            signature: "x",
          },
        };
        return proposal;
      }
      if (cmd === "apply_mapping") return contactSummary();
      if (cmd === "contact_page")
        return {
          total: 5,
          offset: 0,
          rows: [
            contact(3, "张三", "valid"),
            contact(4, "坏号", "invalid"),
            contact(5, "李四", "fixed"),
            contact(6, "王五", "valid"),
            contact(7, "赵六", "valid"),
          ],
        };
      throw new Error(`unexpected ${cmd}`);
    });
    renderInWizard(<MapStep />, { step: "map", overview, headerRow: 2 });
    await userEvent.type(screen.getByTestId("variable-name"), "name{Enter}");
    await userEvent.type(screen.getByTestId("variable-name"), "amount");
    await userEvent.click(screen.getByTestId("variable-add"));
    // A repeated name is refused with a reason.
    await userEvent.type(screen.getByTestId("variable-name"), "name{Enter}");
    expect(await screen.findByText("变量“name”已经添加过了")).toBeInTheDocument();

    await waitFor(() =>
      expect(screen.getByTestId("variable-column-name")).toHaveTextContent("A · 姓名"),
    );
    expect(screen.getByText("沿用上次的选择")).toBeInTheDocument();
    expect(screen.getByTestId("phone-how")).toHaveTextContent("按常用叫法识别");
    // "amount" has no match yet: no preview and no Next until the user picks a column.
    expect(screen.getByTestId("apply-mapping")).toBeDisabled();
    expect(screen.getByText("没有找到对应的列,请手动选择")).toBeInTheDocument();

    const amount = screen.getByTestId("variable-column-amount");
    await userEvent.click(within(amount.closest(".ant-select") ?? amount).getByRole("combobox"));
    await userEvent.click(await screen.findByTitle("C · 金额"));
    await waitFor(() => expect(screen.getAllByTestId("map-preview-row")).toHaveLength(3), {
      timeout: 5000,
    });
    const preview = screen.getByTestId("map-preview");
    expect(preview).toHaveTextContent("name=张三, amount=100");
    expect(preview).toHaveTextContent("name=李四");
    expect(preview).not.toHaveTextContent("坏号");
    expect(calls.filter((c) => c.cmd === "apply_mapping").at(-1)?.args).toEqual({
      choice: {
        headerRow: 2,
        mapping: {
          phoneColumn: 1,
          variables: [
            { name: "name", column: 0 },
            { name: "amount", column: 2 },
          ],
        },
        allowEmptyVariables: false,
      },
    });
  });
});
