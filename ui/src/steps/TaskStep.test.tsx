import { describe, expect, it } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEventLib from "@testing-library/user-event";
import i18n from "../i18n";
import type { RequestProblem, TaskSettings } from "../bindings";
import { mockCommands, renderInWizard, type Call } from "../test-utils";
import { TaskStep } from "./TaskStep";
import { emptyTask, useWizard } from "../state/wizard";

function StepProbe() {
  const { state } = useWizard();
  return <span data-testid="probe">{state.step}</span>;
}

const problem = (field: string, zhCn: string): RequestProblem => ({
  code: `${field}.bad`,
  field,
  message: { zhCn, en: `${field} is wrong` },
});

/** A validator standing in for Rust's: the rules live there, the UI only shows them. */
function rustRules(task: TaskSettings): RequestProblem[] {
  const out: RequestProblem[] = [];
  if (!task.dialogId) out.push(problem("DialogId", "请填写机器人话术 ID"));
  if (task.callerNumbers.length === 0) out.push(problem("CalledShowNumber", "请填写主叫号码"));
  if (!task.isSelfLine && !task.corpName) out.push(problem("CorpName", "请填写公司名称"));
  if ([...task.taskName].length > 30) out.push(problem("TaskName", "任务名称最多 30 个字"));
  if (!task.taskName) out.push(problem("TaskName", "请填写任务名称"));
  if (task.earlyMediaAsr) out.push(problem("Somewhere", "其他字段的问题"));
  return out;
}

function setup() {
  const calls = mockCommands((cmd, args) => {
    if (cmd === "list_robots") return [];
    if (cmd === "validate_task") return rustRules(args.task as TaskSettings);
    throw new Error(`unexpected ${cmd}`);
  });
  return calls;
}

const lastTask = (calls: Call[]) =>
  calls.filter((c) => c.cmd === "validate_task").at(-1)?.args.task as TaskSettings | undefined;

const userEvent = userEventLib.setup({ delay: null });

describe("task settings form", () => {
  it("puts each RequestProblem from Rust under the field it names", async () => {
    await i18n.changeLanguage("zh-CN");
    const calls = setup();
    renderInWizard(<TaskStep />, { step: "settings" });
    // Nothing is red before the user touched anything.
    expect(screen.queryByText("请填写公司名称")).not.toBeInTheDocument();
    await userEvent.click(screen.getByTestId("to-preview"));

    const form = screen.getByTestId("task-form");
    const itemOf = (testId: string) =>
      within(form).getByTestId(testId).closest(".ant-form-item") as HTMLElement;
    await waitFor(() => expect(itemOf("task-corp-name")).toHaveTextContent("请填写公司名称"));
    expect(itemOf("task-dialog-id")).toHaveTextContent("请填写机器人话术 ID");
    expect(itemOf("task-name")).toHaveTextContent("请填写任务名称");
    expect(itemOf("task-callers")).toHaveTextContent("请填写主叫号码");
    expect(calls.some((c) => c.cmd === "validate_task")).toBe(true);

    // Fixing a field clears its message once Rust agrees.
    await userEvent.type(screen.getByTestId("task-corp-name"), "杭州示例科技有限公司");
    await waitFor(() => expect(itemOf("task-corp-name")).not.toHaveTextContent("请填写公司名称"));
    expect(lastTask(calls)?.corpName).toBe("杭州示例科技有限公司");

    // Own line: company name becomes optional, by Rust's rule, not a TS copy of it.
    await userEvent.clear(screen.getByTestId("task-corp-name"));
    await userEvent.click(screen.getByTestId("task-self-line"));
    await waitFor(() => expect(lastTask(calls)?.isSelfLine).toBe(true));
    expect(lastTask(calls)?.corpName).toBeNull();
    expect(itemOf("task-corp-name")).not.toHaveTextContent("请填写公司名称");
  });

  it("shows a problem about a field the form has no place for in a general alert", async () => {
    await i18n.changeLanguage("zh-CN");
    setup();
    renderInWizard(<TaskStep />, { step: "settings" });
    await userEvent.click(screen.getByTestId("task-early-media"));
    await userEvent.click(screen.getByTestId("to-preview"));
    expect(await screen.findByTestId("task-other-problems")).toHaveTextContent("其他字段的问题");
  });

  it("counts the task name in characters, not UTF-16 units", async () => {
    await i18n.changeLanguage("zh-CN");
    const calls = setup();
    renderInWizard(<TaskStep />, { step: "settings" });
    await userEvent.type(screen.getByTestId("task-name"), "双十一😀回访🎉");
    const item = screen.getByTestId("task-name").closest(".ant-input-affix-wrapper") as HTMLElement;
    // 7 characters; "😀" and "🎉" are two UTF-16 units each, which would read 9.
    expect(item).toHaveTextContent("7 / 30");
    await userEvent.type(
      screen.getByTestId("task-name"),
      "一二三四五六七八九十一二三四五六七八九十一二三四",
    );
    expect(item).toHaveTextContent("31 / 30");
    await waitFor(() =>
      expect(
        screen.getByTestId("task-name").closest(".ant-form-item") as HTMLElement,
      ).toHaveTextContent("任务名称最多 30 个字"),
    );
    expect([...(lastTask(calls)?.taskName ?? "")]).toHaveLength(31);
  });

  it("takes caller numbers as tags, several at once when pasted with commas", async () => {
    await i18n.changeLanguage("zh-CN");
    const calls = setup();
    renderInWizard(<TaskStep />, { step: "settings" });
    const select = screen.getByTestId("task-callers");
    const input = within(select.closest(".ant-select") ?? select).getByRole("combobox");
    // (Enter also works in a browser, see e2e; jsdom's Select has no active option to pick.)
    await userEvent.type(input, "057188880000,");
    await waitFor(() => expect(lastTask(calls)?.callerNumbers).toEqual(["057188880000"]));
    await userEvent.click(input);
    await userEvent.paste("01088886666,02166668888");
    await waitFor(() =>
      expect(lastTask(calls)?.callerNumbers).toEqual([
        "057188880000",
        "01088886666",
        "02166668888",
      ]),
    );
    expect(screen.getByText("02166668888")).toBeInTheDocument();
  });

  it("prefills the demo robot and keeps what was typed when coming back", async () => {
    await i18n.changeLanguage("zh-CN");
    mockCommands(
      (cmd) => {
        if (cmd === "list_robots") return [];
        if (cmd === "validate_task") return [];
        throw new Error(`unexpected ${cmd}`);
      },
      { demo: { active: true, endpoint: "http://127.0.0.1:4000", dialogId: "demo-robot-001" } },
    );
    renderInWizard(<TaskStep />, {
      step: "settings",
      task: { ...emptyTask, taskName: "回访" },
    });
    expect(screen.getByTestId("task-name")).toHaveValue("回访");
  });

  it("lists robots with core's words for their review state and names the one picked", async () => {
    await i18n.changeLanguage("zh-CN");
    const robot = (id: string, robotName: string, auditStatus: string) => ({
      id,
      robotName,
      robotType: null,
      auditStatus,
      gmtCreate: null,
      gmtModified: null,
      partnerId: null,
      asrId: null,
      asrType: null,
      remark: null,
    });
    mockCommands((cmd, args) => {
      if (cmd === "list_robots")
        return [
          {
            robot: robot("r-1", "双十一回访", "AUDITING"),
            audit: {
              callable: false,
              label: { zhCn: "审核中", en: "Under review" },
              advice: { zhCn: "阿里云正在审核这个话术,通过后才能外呼", en: "" },
            },
          },
          {
            robot: robot("r-2", "会员关怀", "AUDITPASS"),
            audit: {
              callable: true,
              label: { zhCn: "已通过审核", en: "Approved" },
              advice: { zhCn: "可以用来外呼", en: "" },
            },
          },
        ];
      if (cmd === "validate_task") return rustRules(args.task as TaskSettings);
      throw new Error(`unexpected ${cmd}`);
    });
    renderInWizard(<TaskStep />, { step: "settings" });
    await userEvent.click(screen.getByTestId("task-dialog-id"));
    expect(await screen.findByText("审核中")).toBeInTheDocument();
    expect(screen.getByText("阿里云正在审核这个话术,通过后才能外呼")).toBeInTheDocument();
    expect(screen.queryByText(/AUDIT/)).toBeNull();
    await userEvent.click(screen.getByText("会员关怀"));
    expect(await screen.findByTestId("task-robot-picked")).toHaveTextContent(
      "已选择机器人“会员关怀”(已通过审核)",
    );
    // Own line and early media each say in one line what they are for.
    expect(screen.getByText(/只有您在阿里云接入了自己公司的电话线路时才打开/)).toBeInTheDocument();
    expect(screen.getByText(/不把它们算成接通/)).toBeInTheDocument();
  });

  it("reads and shows the schedule in China time, with the local time, when the computer is elsewhere", async () => {
    await i18n.changeLanguage("zh-CN");
    const before = process.env.TZ;
    const at = Date.UTC(2026, 11, 1, 2, 0); // 10:00 in Beijing, 03:00 in Berlin
    try {
      process.env.TZ = "Europe/Berlin";
      const calls = setup();
      renderInWizard(<TaskStep />, {
        step: "settings",
        task: { ...emptyTask, scheduleMode: "later", scheduleTimeMs: at },
      });
      expect(await screen.findByTestId("china-time")).toHaveTextContent(
        "即 2026-12-01 10:00 北京时间（本机时间 03:00）",
      );
      // The picker itself shows China time.
      expect(screen.getByDisplayValue("2026-12-01 10:00")).toBeInTheDocument();
      await userEvent.click(screen.getByTestId("to-preview"));
      await waitFor(() => expect(lastTask(calls)?.scheduleTimeMs).toBe(at));
    } finally {
      process.env.TZ = before;
    }
  });

  it("does not repeat the time when the computer is on China time already", async () => {
    await i18n.changeLanguage("zh-CN");
    const before = process.env.TZ;
    try {
      process.env.TZ = "Asia/Shanghai";
      setup();
      renderInWizard(<TaskStep />, {
        step: "settings",
        task: { ...emptyTask, scheduleMode: "later", scheduleTimeMs: Date.UTC(2026, 11, 1, 2, 0) },
      });
      expect(await screen.findByTestId("task-schedule-time")).toBeInTheDocument();
      // The picker shows China time, which is the local time here; nothing else is needed.
      expect(screen.getByText("只能选择将来的时间。")).toBeInTheDocument();
      expect(screen.queryByTestId("china-time")).not.toBeInTheDocument();
    } finally {
      process.env.TZ = before;
    }
  });

  it("never turns 'schedule' without a time into 'call now'", async () => {
    await i18n.changeLanguage("zh-CN");
    mockCommands((cmd) => {
      if (cmd === "list_robots") return [];
      if (cmd === "validate_task") return [];
      throw new Error(`unexpected ${cmd}`);
    });
    renderInWizard(
      <>
        <TaskStep />
        <StepProbe />
      </>,
      { step: "settings", task: { ...emptyTask, scheduleMode: "later", scheduleTimeMs: null } },
    );
    await userEvent.click(await screen.findByTestId("to-preview"));
    expect(await screen.findByText("请选择开始呼叫的时间,或改为“立即呼叫”")).toBeInTheDocument();
  });
});
