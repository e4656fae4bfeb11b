import { describe, expect, it } from "vitest";
import dayjs from "dayjs";
import { chinaWallToMs, describeTime, msToChinaWall } from "./time";

// 2026-12-07 02:00 UTC = 10:00 in Shanghai.
const AT = 1_796_608_800_000;

describe("China time", () => {
  it("reads picker fields as China time and shows them back", () => {
    const wall = dayjs("2026-12-07 10:00");
    expect(chinaWallToMs(wall)).toBe(AT);
    expect(msToChinaWall(AT).format("YYYY-MM-DD HH:mm")).toBe("2026-12-07 10:00");
  });

  it("names the zone, and the computer's time when it differs", () => {
    const zh = describeTime(AT, "zh-CN");
    expect(zh.startsWith("2026-12-07 10:00 北京时间")).toBe(true);
    const en = describeTime(AT, "en");
    expect(en.startsWith("2026-12-07 10:00 China time")).toBe(true);
    if (dayjs(AT).utcOffset() !== 480) {
      expect(zh).toContain("本机时间");
      expect(en).toContain("on this computer");
    }
  });
});
