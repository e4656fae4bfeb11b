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

/**
 * `2026-12-07 10:00 北京时间（本机时间 03:00）`: China time with the zone named, plus this
 * computer's time where it differs (the same words as the CLI's).
 */
export function describeTime(ms: number, lang: "zh-CN" | "en"): string {
  const china = dayjs(ms).tz(CHINA_TZ);
  const text = china.format(FORMAT);
  if (!localDiffersFromChina(ms)) return i18n.t("time.china", { lng: lang, time: text });
  const here = dayjs(ms);
  const shown =
    here.format("YYYY-MM-DD") === china.format("YYYY-MM-DD")
      ? here.format("HH:mm")
      : here.format(FORMAT);
  return i18n.t("time.chinaAndHere", { lng: lang, time: text, here: shown });
}
