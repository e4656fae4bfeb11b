import type { Lang } from "../bindings";
import { describeTime } from "../time";

/**
 * A call's time on the one clock (China time named, this computer's time beside it where it
 * differs; the CLI's words); the API's own text only when it did not read as a time.
 */
export function callTimeText(ms: number | undefined, raw: string | null, lang: Lang): string {
  if (ms !== undefined) return describeTime(ms, lang);
  return raw ?? "—";
}

/** `10:00:01` out of a turn's `2026-12-07 10:00:01` (China time, as the API writes it). */
export function turnClock(time: string | null): string {
  if (time === null) return "";
  const parts = time.trim().split(" ");
  return parts[1] ?? parts[0] ?? "";
}

/** Bytes as a short size: `512 B`, `3.4 KB`, `12.0 MB`, `1.20 GB`. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 1024) return `${Math.max(0, Math.round(bytes || 0))} B`;
  const kb = bytes / 1024;
  if (kb < 1024) return `${kb.toFixed(1)} KB`;
  const mb = kb / 1024;
  if (mb < 1024) return `${mb.toFixed(1)} MB`;
  return `${(mb / 1024).toFixed(2)} GB`;
}
