import dayjs from "dayjs";
import { CHINA_TZ } from "../time";

/** Splits what a marketer pasted (one per line, or commas, semicolons, 、) into entries. */
export function splitNumbers(text: string): string[] {
  return text
    .split(/[\n\r,，;；、\t]+/)
    .map((n) => n.trim())
    .filter((n) => n.length > 0);
}

/** `2026-12-04 10:23`, China time (the column header names the zone). */
export function chinaDateTime(ms: number): string {
  return dayjs(ms).tz(CHINA_TZ).format("YYYY-MM-DD HH:mm");
}
