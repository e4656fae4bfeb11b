import {
  createContext,
  startTransition,
  useCallback,
  useContext,
  useMemo,
  useReducer,
  type Dispatch,
  type ReactNode,
} from "react";
import type {
  ColumnInfo,
  ContactSummary,
  MappingSuggestion,
  SheetOverview,
  TaskSettings,
} from "../bindings";

export const STEP_KEYS = ["import", "map", "review", "settings", "send", "results"] as const;
export type StepKey = (typeof STEP_KEYS)[number];

/** The task form as the user fills it; turned into `TaskSettings` for Rust. */
export interface TaskDraft {
  dialogId: string;
  callerNumbers: string[];
  corpName: string;
  isSelfLine: boolean;
  earlyMediaAsr: boolean;
  scheduleMode: "now" | "later";
  /** Unix milliseconds, only used when `scheduleMode` is "later". */
  scheduleTimeMs: number | null;
  taskName: string;
}

export const emptyTask: TaskDraft = {
  dialogId: "",
  callerNumbers: [],
  corpName: "",
  isSelfLine: false,
  earlyMediaAsr: false,
  scheduleMode: "now",
  scheduleTimeMs: null,
  taskName: "",
};

export function toTaskSettings(draft: TaskDraft): TaskSettings {
  const corp = draft.corpName.trim();
  return {
    dialogId: draft.dialogId.trim(),
    callerNumbers: draft.callerNumbers.map((n) => n.trim()).filter((n) => n.length > 0),
    corpName: corp.length > 0 ? corp : null,
    isSelfLine: draft.isSelfLine,
    earlyMediaAsr: draft.earlyMediaAsr,
    scheduleTimeMs: draft.scheduleMode === "later" ? draft.scheduleTimeMs : null,
    taskName: draft.taskName,
  };
}

/** The column choices on the Map page, kept so Back never loses them. */
export interface MappingDraft {
  phoneColumn: number | null;
  /** Variable name → 0-based column (null while unmatched). */
  columns: Record<string, number | null>;
  allowEmpty: boolean;
}

/** Everything the wizard has collected so far; it lives above the pages. */
export interface WizardState {
  step: StepKey;
  path: string;
  overview: SheetOverview | null;
  headerRow: number | null;
  variables: string[];
  mapping: MappingDraft;
  summary: ContactSummary | null;
  task: TaskDraft;
  /** Rust accepted `task` (Next on Task settings); any change to the task clears it. */
  taskChecked: boolean;
  /** The campaign started from this wizard (or resumed), shown on the Send page. */
  campaignId: number | null;
  /** The contacts are a recall (重呼) of this campaign's people, not a sheet. */
  recallOf: { id: number; taskName: string } | null;
}

export const initialWizard: WizardState = {
  step: "import",
  path: "",
  overview: null,
  headerRow: null,
  variables: [],
  mapping: { phoneColumn: null, columns: {}, allowEmpty: false },
  summary: null,
  task: emptyTask,
  taskChecked: false,
  campaignId: null,
  recallOf: null,
};

/** The task form from settings Rust hands over (a recall's, a template's). */
export function fromTaskSettings(task: TaskSettings, base: TaskDraft = emptyTask): TaskDraft {
  return {
    ...base,
    dialogId: task.dialogId,
    callerNumbers: task.callerNumbers,
    corpName: task.corpName ?? "",
    isSelfLine: task.isSelfLine,
    earlyMediaAsr: task.earlyMediaAsr,
    scheduleMode: task.scheduleTimeMs === null ? "now" : "later",
    scheduleTimeMs: task.scheduleTimeMs,
    taskName: task.taskName,
  };
}

export type WizardAction =
  | { type: "goto"; step: StepKey }
  | { type: "sheetOpened"; path: string; overview: SheetOverview }
  | { type: "sheetChanged"; overview: SheetOverview }
  | { type: "headerRow"; row: number }
  | { type: "variables"; variables: string[] }
  | { type: "mapping"; mapping: MappingDraft }
  | { type: "proposed"; columns: ColumnInfo[]; suggestion: MappingSuggestion }
  | { type: "summary"; summary: ContactSummary }
  | { type: "task"; task: TaskDraft }
  | { type: "taskChecked" }
  | { type: "campaign"; id: number | null }
  | {
      type: "recall";
      source: { id: number; taskName: string };
      summary: ContactSummary;
      task: TaskSettings;
    };

export function wizardReducer(state: WizardState, action: WizardAction): WizardState {
  switch (action.type) {
    case "goto":
      return { ...state, step: action.step };
    case "sheetOpened":
      // A new file invalidates the columns and the reviewed contacts, not the variables
      // or the task settings the user already typed.
      return {
        ...state,
        path: action.path,
        overview: action.overview,
        headerRow: action.overview.preview.detectedHeaderRow ?? 1,
        mapping: { ...state.mapping, phoneColumn: null, columns: {} },
        summary: null,
        recallOf: null,
      };
    case "sheetChanged":
      return {
        ...state,
        overview: action.overview,
        headerRow: action.overview.preview.detectedHeaderRow ?? 1,
        mapping: { ...state.mapping, phoneColumn: null, columns: {} },
        summary: null,
      };
    case "headerRow":
      if (action.row === state.headerRow) return state;
      return {
        ...state,
        headerRow: action.row,
        mapping: { ...state.mapping, phoneColumn: null, columns: {} },
        summary: null,
      };
    case "variables":
      return { ...state, variables: action.variables };
    case "mapping":
      return { ...state, mapping: action.mapping };
    case "proposed": {
      // Rust's guess fills what the user has not chosen; the user's own picks win.
      const valid = new Set(action.columns.map((c) => c.index));
      const keep = (c: number | null | undefined) =>
        c !== null && c !== undefined && valid.has(c) ? c : null;
      const current = state.mapping;
      const columns: Record<string, number | null> = {};
      for (const v of action.suggestion.variables) {
        columns[v.name] = keep(current.columns[v.name]) ?? v.column?.index ?? null;
      }
      return {
        ...state,
        mapping: {
          ...current,
          phoneColumn: keep(current.phoneColumn) ?? action.suggestion.phoneColumn?.index ?? null,
          columns,
        },
      };
    }
    case "summary":
      return { ...state, summary: action.summary };
    case "task":
      if (JSON.stringify(action.task) === JSON.stringify(state.task)) return state;
      return { ...state, task: action.task, taskChecked: false };
    case "taskChecked":
      return { ...state, taskChecked: true };
    case "campaign":
      return { ...state, campaignId: action.id };
    case "recall":
      // Rust holds the recall's people as the contact list now (the sheet is gone from the
      // session): the wizard forgets the sheet and goes through review and task as usual.
      return {
        ...state,
        step: "review",
        path: "",
        overview: null,
        headerRow: null,
        mapping: { ...state.mapping, phoneColumn: null, columns: {} },
        summary: action.summary,
        task: fromTaskSettings(action.task),
        taskChecked: false,
        campaignId: null,
        recallOf: action.source,
      };
  }
}

/** True while rows that would be rejected are still in the list. */
export function reviewBlocked(summary: ContactSummary | null): "invalid" | "empty" | null {
  if (!summary) return "empty";
  if (summary.sendable === 0) return "empty";
  // `blocking` counts every row Rust would refuse to call (bad number, empty or broken
  // variable) that the user has not excluded.
  if (summary.blocking > 0) return "invalid";
  return null;
}

/** The furthest step the user may open from the sidebar. */
export function reachableSteps(state: WizardState): Set<StepKey> {
  const steps = new Set<StepKey>(["import", "results"]);
  if (state.overview) steps.add("map");
  if (state.summary) steps.add("review");
  if (state.summary && reviewBlocked(state.summary) === null) {
    steps.add("settings");
    if (state.taskChecked) steps.add("send");
  }
  if (state.campaignId !== null) steps.add("send");
  return steps;
}

interface WizardContextValue {
  state: WizardState;
  dispatch: Dispatch<WizardAction>;
}

const WizardContext = createContext<WizardContextValue | null>(null);

// Actions that swap or fill a whole page. Rendering one can take longer than a frame in
// the web view (first use of a component, a big sheet's preview), so React renders them as
// a transition, in slices between frames, rather than freezing the window. Edits the user
// types stay urgent: a deferred controlled input would lag behind the keyboard.
const PAGE_ACTIONS: ReadonlySet<WizardAction["type"]> = new Set([
  "goto",
  "sheetOpened",
  "sheetChanged",
  "proposed",
  "summary",
  "campaign",
  "recall",
]);

export function WizardProvider({
  children,
  initial = initialWizard,
}: {
  children: ReactNode;
  initial?: WizardState;
}) {
  const [state, dispatchNow] = useReducer(wizardReducer, initial);
  const dispatch = useCallback((action: WizardAction) => {
    if (PAGE_ACTIONS.has(action.type)) startTransition(() => dispatchNow(action));
    else dispatchNow(action);
  }, []);
  const value = useMemo(() => ({ state, dispatch }), [state, dispatch]);
  return <WizardContext.Provider value={value}>{children}</WizardContext.Provider>;
}

export function useWizard(): WizardContextValue {
  const value = useContext(WizardContext);
  if (!value) throw new Error("useWizard outside WizardProvider");
  return value;
}
