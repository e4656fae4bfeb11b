import { describe, expect, it } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEventLib from "@testing-library/user-event";
import i18n from "../i18n";
import { SettingsDrawer } from "../components/SettingsDrawer";
import { mockCommands, renderInWizard, settings } from "../test-utils";
import { draftToRanges, rangesToDraft } from "./CallingRulesFields";

const userEvent = userEventLib.setup({ delay: null });

describe("calling ranges text", () => {
  it("round-trips Rust's text through editable rows", () => {
    expect(rangesToDraft("09:00-12:00,14:00-21:00")).toEqual([
      { start: "09:00", end: "12:00" },
      { start: "14:00", end: "21:00" },
    ]);
    expect(
      draftToRanges([
        { start: " 8:30", end: "24:00 " },
        { start: "", end: "" },
      ]),
    ).toBe("8:30-24:00");
  });
});

describe("calling rules in settings", () => {
  it("edits days, windows and limits, saves them with the other settings and shows Rust's rule errors", async () => {
    await i18n.changeLanguage("zh-CN");
    let refuse = false;
    const calls = mockCommands((cmd, args) => {
      if (cmd === "app_info") return { version: "1", dataDir: "/d", logDir: "/l", os: "linux" };
      if (cmd === "save_settings") {
        if (refuse) {
          throw {
            code: "settings.bad_value",
            message: { zhCn: "呼叫时段“25:00-26:00”不对", en: "Bad calling hours" },
            hint: { zhCn: "按 09:00-12:00 这样填写。", en: "Write e.g. 09:00-12:00." },
          };
        }
        return args.settings;
      }
      throw new Error(`unexpected ${cmd}`);
    });
    renderInWizard(<SettingsDrawer open onClose={() => {}} onLangChange={() => {}} />);
    const rules = await screen.findByTestId("calling-rules");
    expect(screen.getByText("呼叫规则")).toBeInTheDocument();
    await waitFor(() => expect(within(rules).getAllByTestId("calling-range")).toHaveLength(2));
    expect(within(rules).getAllByTestId("range-start")[1]).toHaveValue("14:00");

    // No calls on Sunday, the evening window ends at 20:00, one more window, tighter limits.
    await userEvent.click(within(rules).getByLabelText("周日"));
    const end2 = within(rules).getAllByTestId("range-end")[1]!;
    await userEvent.clear(end2);
    await userEvent.type(end2, "20:00");
    await userEvent.click(within(rules).getByTestId("range-add"));
    await userEvent.type(within(rules).getAllByTestId("range-start")[2]!, "07:00");
    await userEvent.type(within(rules).getAllByTestId("range-end")[2]!, "08:00");
    const attempts = within(rules).getByTestId("calling-max-attempts");
    await userEvent.clear(attempts);
    await userEvent.type(attempts, "2");
    await userEvent.click(screen.getByTestId("settings-save"));
    await waitFor(() => expect(calls.some((c) => c.cmd === "save_settings")).toBe(true));
    expect(calls.find((c) => c.cmd === "save_settings")?.args).toEqual({
      settings: {
        ...settings,
        calling: {
          hours: { days: [1, 2, 3, 4, 5, 6], ranges: "09:00-12:00,14:00-20:00,07:00-08:00" },
          maxAnsweredPerDay: 1,
          maxAttemptsPerDay: 2,
          stopMarginMinutes: 30,
        },
      },
    });

    // Rust's rule check speaks for itself, with what to write.
    refuse = true;
    await userEvent.click(screen.getByTestId("settings-save"));
    const error = await screen.findByTestId("settings-error");
    expect(error).toHaveTextContent("呼叫时段“25:00-26:00”不对");
    expect(error).toHaveTextContent("按 09:00-12:00 这样填写。");
  });
});
