import { describe, expect, it } from "vitest";
import type { SheetOverview } from "../bindings";
import { contactSummary } from "../test-utils";
import {
  emptyTask,
  initialWizard,
  reachableSteps,
  toTaskSettings,
  wizardReducer,
  type WizardState,
} from "./wizard";

const overview = (detected: number | null): SheetOverview => ({
  fileName: "a.xlsx",
  sheets: [{ name: "S", hidden: false }],
  preview: {
    sheet: "S",
    totalRows: 3,
    columns: 2,
    detectedHeaderRow: detected,
    rows: [],
    notices: [],
  },
});

const worked: WizardState = {
  ...initialWizard,
  step: "review",
  path: "/a.xlsx",
  overview: overview(2),
  headerRow: 2,
  variables: ["name"],
  mapping: { phoneColumn: 1, columns: { name: 0 }, allowEmpty: true },
  summary: contactSummary({ invalid: 0 }),
  task: { ...emptyTask, taskName: "回访", corpName: "杭州示例" },
};

describe("wizard state", () => {
  it("keeps everything when moving between steps", () => {
    const back = wizardReducer(worked, { type: "goto", step: "import" });
    const forth = wizardReducer(back, { type: "goto", step: "review" });
    expect(forth).toEqual(worked);
  });

  it("a new file drops columns and reviewed contacts, not variables or task settings", () => {
    const next = wizardReducer(worked, {
      type: "sheetOpened",
      path: "/b.xlsx",
      overview: overview(null),
    });
    expect(next.headerRow).toBe(1);
    expect(next.mapping).toEqual({ phoneColumn: null, columns: {}, allowEmpty: true });
    expect(next.summary).toBeNull();
    expect(next.variables).toEqual(["name"]);
    expect(next.task).toEqual(worked.task);
  });

  it("choosing the same header row again changes nothing", () => {
    expect(wizardReducer(worked, { type: "headerRow", row: 2 })).toBe(worked);
    expect(wizardReducer(worked, { type: "headerRow", row: 3 }).summary).toBeNull();
  });

  it("fills Rust's suggestion only where the user has not chosen", () => {
    const cols = [
      { index: 0, letter: "A", header: "姓名" },
      { index: 1, letter: "B", header: "手机" },
      { index: 2, letter: "C", header: "称呼" },
    ];
    const next = wizardReducer(
      { ...worked, variables: ["name", "title"] },
      {
        type: "proposed",
        columns: cols,
        suggestion: {
          phoneColumn: cols[2] ?? null,
          phoneHow: "content",
          variables: [
            { name: "name", column: cols[2] ?? null, how: "alias" },
            { name: "title", column: cols[2] ?? null, how: "exact" },
          ],
          signature: "",
        },
      },
    );
    expect(next.mapping.phoneColumn).toBe(1);
    expect(next.mapping.columns).toEqual({ name: 0, title: 2 });
  });

  it("opens the later steps only once the earlier ones allow it", () => {
    expect([...reachableSteps(initialWizard)].sort()).toEqual(["import", "results"]);
    expect(reachableSteps(worked).has("settings")).toBe(true);
    // Send opens once Rust accepted the task, and closes again when the task changes.
    expect(reachableSteps(worked).has("send")).toBe(false);
    const checked = wizardReducer(worked, { type: "taskChecked" });
    expect(reachableSteps(checked).has("send")).toBe(true);
    expect(wizardReducer(checked, { type: "task", task: worked.task })).toBe(checked);
    const changed = wizardReducer(checked, {
      type: "task",
      task: { ...worked.task, taskName: "别的名字" },
    });
    expect(reachableSteps(changed).has("send")).toBe(false);
    const blocked = { ...worked, summary: contactSummary({ invalid: 2 }) };
    expect(reachableSteps(blocked).has("review")).toBe(true);
    expect(reachableSteps(blocked).has("settings")).toBe(false);
  });

  it("sends no company name when it is blank, and no time when calling now", () => {
    const task = toTaskSettings({
      ...emptyTask,
      corpName: "  ",
      callerNumbers: [" 0571 ", ""],
      scheduleMode: "now",
      scheduleTimeMs: 1_800_000_000_000,
    });
    expect(task.corpName).toBeNull();
    expect(task.callerNumbers).toEqual(["0571"]);
    expect(task.scheduleTimeMs).toBeNull();
  });
});

describe("recall into the wizard", () => {
  it("replaces the sheet with the recall's people and prefills the task, editable", () => {
    const before: WizardState = {
      ...initialWizard,
      step: "results",
      path: "/tmp/客户名单.xlsx",
      campaignId: 7,
      taskChecked: true,
    };
    const next = wizardReducer(before, {
      type: "recall",
      source: { id: 7, taskName: "双十二回访" },
      summary: contactSummary({ invalid: 0, duplicates: 0, doNotCall: 1 }),
      task: {
        dialogId: "robot-1",
        callerNumbers: ["05711234567"],
        corpName: null,
        isSelfLine: true,
        earlyMediaAsr: false,
        scheduleTimeMs: null,
        taskName: "双十二回访 重呼1",
      },
    });
    expect(next.step).toBe("review");
    expect(next.path).toBe("");
    expect(next.recallOf).toEqual({ id: 7, taskName: "双十二回访" });
    expect(next.campaignId).toBeNull();
    expect(next.taskChecked).toBe(false);
    expect(next.task).toEqual({
      dialogId: "robot-1",
      callerNumbers: ["05711234567"],
      corpName: "",
      isSelfLine: true,
      earlyMediaAsr: false,
      scheduleMode: "now",
      scheduleTimeMs: null,
      taskName: "双十二回访 重呼1",
    });
    expect(reachableSteps(next).has("settings")).toBe(true);
    // Opening a sheet afterwards is an ordinary campaign again.
    const sheet = wizardReducer(next, {
      type: "sheetOpened",
      path: "/tmp/b.xlsx",
      overview: overview(1),
    });
    expect(sheet.recallOf).toBeNull();
  });
});
