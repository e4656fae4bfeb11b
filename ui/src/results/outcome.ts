import type { CallOutcome } from "../bindings";

/** How each outcome looks: an antd Tag preset and the bar colour in the chart. */
export const OUTCOME_STYLE: Record<CallOutcome, { tag: string; bar: string }> = {
  answered: { tag: "green", bar: "#52c41a" },
  noAnswer: { tag: "orange", bar: "#fa8c16" },
  busy: { tag: "gold", bar: "#faad14" },
  rejected: { tag: "volcano", bar: "#fa541c" },
  poweredOff: { tag: "purple", bar: "#722ed1" },
  invalidNumber: { tag: "red", bar: "#f5222d" },
  unreachable: { tag: "magenta", bar: "#eb2f96" },
  failed: { tag: "red", bar: "#a8071a" },
  pending: { tag: "blue", bar: "#1677ff" },
  notSent: { tag: "default", bar: "#8c8c8c" },
  untracked: { tag: "default", bar: "#bfbfbf" },
};

/** A call's duration as mm:ss (minutes keep counting past 59: a call is rarely an hour). */
export function formatDuration(secs: number | null): string {
  if (secs === null || !Number.isFinite(secs) || secs < 0) return "—";
  const whole = Math.round(secs);
  const minutes = Math.floor(whole / 60);
  const seconds = whole % 60;
  return `${String(minutes).padStart(2, "0")}:${String(seconds).padStart(2, "0")}`;
}

/** A task name made safe as a file name on Windows and macOS alike. */
export function safeFileName(name: string): string {
  const cleaned = name
    .replace(/[\\/:*?"<>|]/g, "_")
    .replace(/\s+/g, " ")
    .trim();
  return cleaned === "" ? "campaign" : cleaned.slice(0, 80);
}
