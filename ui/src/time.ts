import dayjs, { type Dayjs } from "dayjs";
import utc from "dayjs/plugin/utc";
import timezone from "dayjs/plugin/timezone";
import i18n from "./i18n";

dayjs.extend(utc);
dayjs.extend(timezone);

/** The calls happen in mainland China: every time a marketer sees or enters is China time. */
export const CHINA_TZ = "Asia/Shanghai";

const FORMAT = "YYYY-MM-DD HH:mm";

/** The picker shows wall-clock fields; SmartDial reads them as China time. */
export function chinaWallToMs(wall: Dayjs): number {
  return dayjs.tz(wall.format("YYYY-MM-DD HH:mm:ss"), CHINA_TZ).valueOf();
}

/** A picker value whose wall-clock fields are the China time of `ms`. */
export function msToChinaWall(ms: number): Dayjs {
  return dayjs(dayjs(ms).tz(CHINA_TZ).format("YYYY-MM-DD HH:mm:ss"));
}

/** Now, as a picker value in China time (to disable the past). */
export function chinaNowWall(): Dayjs {
  return msToChinaWall(Date.now());
}

/** Whether this computer's clock differs from China time at `ms`. */
export function localDiffersFromChina(ms: number): boolean {
  return dayjs(ms).utcOffset() !== dayjs(ms).tz(CHINA_TZ).utcOffset();
}

/** China time (`2026-12-07 10:00`) and, where this computer's clock differs, its time. */
function clocks(ms: number): { china: string; here: string | null } {
  const china = dayjs(ms).tz(CHINA_TZ);
  const text = china.format(FORMAT);
  if (!localDiffersFromChina(ms)) return { china: text, here: null };
  const here = dayjs(ms);
  const shown =
    here.format("YYYY-MM-DD") === china.format("YYYY-MM-DD")
      ? here.format("HH:mm")
      : here.format(FORMAT);
  return { china: text, here: shown };
}

/**
 * `2026-12-07 10:00 北京时间（本机时间 03:00）`: China time with the zone named, plus this
 * computer's time where it differs (the same words as the CLI's, core's `china_time`).
 */
export function describeTime(ms: number, lang: "zh-CN" | "en"): string {
  const { china, here } = clocks(ms);
  if (here === null) return i18n.t("time.china", { lng: lang, time: china });
  return i18n.t("time.chinaAndHere", { lng: lang, time: china, here });
}

/**
 * The same words on two lines, for narrow table columns: `2026-12-07 10:00 北京时间` and,
 * where it differs, `本机时间 03:00`.
 */
export function describeTimeLines(
  ms: number,
  lang: "zh-CN" | "en",
): { china: string; here: string | null } {
  const { china, here } = clocks(ms);
  return {
    china: i18n.t("time.china", { lng: lang, time: china }),
    here: here === null ? null : i18n.t("time.here", { lng: lang, here }),
  };
}
