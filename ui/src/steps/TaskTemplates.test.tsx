import { describe, expect, it } from "vitest";
import { screen, waitFor } from "@testing-library/react";
import userEventLib from "@testing-library/user-event";
import i18n from "../i18n";
import type { TaskTemplate, TaskTemplates } from "../bindings";
import { mockCommands, renderInWizard } from "../test-utils";
import { emptyTask } from "../state/wizard";
import { TaskStep } from "./TaskStep";

const userEvent = userEventLib.setup({ delay: null });

const lastUsed: TaskTemplate = {
  dialogId: "robot-last",
  callerNumbers: ["057188880000"],
  corpName: "杭州示例科技有限公司",
  isSelfLine: false,
  earlyMediaAsr: true,
};
const reminder: TaskTemplate = {
  dialogId: "robot-reminder",
  callerNumbers: ["01088880000", "01088880001"],
  corpName: null,
  isSelfLine: true,
  earlyMediaAsr: false,
};

function setup(templates: TaskTemplates) {
  let current = templates;
  return mockCommands((cmd, args) => {
    if (cmd === "list_robots") return [];
    if (cmd === "validate_task") return [];
    if (cmd === "task_templates") return current;
    if (cmd === "save_task_template") {
      current = {
        ...current,
        named: { ...current.named, [args.name as string]: args.template as TaskTemplate },
      };
      return current;
    }
    throw new Error(`unexpected ${cmd}`);
  });
}

describe("task templates", () => {
  it("starts a blank form from the last used settings, keeps the task name to the user", async () => {
    await i18n.changeLanguage("zh-CN");
    setup({ lastUsed, named: {} });
    renderInWizard(<TaskStep />, { step: "settings" });
    await waitFor(() => expect(screen.getByTestId("task-dialog-id")).toHaveValue("robot-last"));
    expect(screen.getByTestId("task-corp-name")).toHaveValue("杭州示例科技有限公司");
    expect(screen.getByTestId("task-early-media")).toBeChecked();
    expect(screen.getByTestId("task-callers")).toHaveTextContent("057188880000");
    expect(screen.getByTestId("task-name")).toHaveValue("");
  });

  it("leaves a prefilled form (a recall's) as it is", async () => {
    await i18n.changeLanguage("zh-CN");
    const calls = setup({ lastUsed, named: {} });
    renderInWizard(<TaskStep />, {
      step: "settings",
      task: {
        ...emptyTask,
        dialogId: "robot-source",
        callerNumbers: ["02100000000"],
        corpName: "源公司",
        taskName: "双十二回访 重呼1",
      },
    });
    await waitFor(() => expect(calls.some((c) => c.cmd === "task_templates")).toBe(true));
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.getByTestId("task-dialog-id")).toHaveValue("robot-source");
    expect(screen.getByTestId("task-name")).toHaveValue("双十二回访 重呼1");
  });

  it("applies a picked template and saves the form as a new one", async () => {
    await i18n.changeLanguage("zh-CN");
    const calls = setup({ lastUsed: null, named: { 催缴提醒: reminder } });
    renderInWizard(<TaskStep />, { step: "settings" });
    await waitFor(() =>
      expect(screen.getByTestId("template-picker")).not.toHaveClass("ant-select-disabled"),
    );
    await userEvent.click(screen.getByRole("combobox", { name: "从模板开始" }));
    await userEvent.click(await screen.findByTitle("催缴提醒"));
    await waitFor(() => expect(screen.getByTestId("task-dialog-id")).toHaveValue("robot-reminder"));
    expect(screen.getByTestId("task-self-line")).toBeChecked();

    const corp = screen.getByTestId("task-corp-name");
    await userEvent.type(corp, "北京分公司");
    await userEvent.click(screen.getByTestId("template-save"));
    await userEvent.type(await screen.findByTestId("template-name"), " 北京催缴 {Enter}");
    await waitFor(() => expect(calls.some((c) => c.cmd === "save_task_template")).toBe(true));
    expect(calls.find((c) => c.cmd === "save_task_template")?.args).toEqual({
      name: "北京催缴",
      template: { ...reminder, corpName: "北京分公司" },
    });
    expect(await screen.findByText("已保存模板“北京催缴”")).toBeInTheDocument();
  });
});
