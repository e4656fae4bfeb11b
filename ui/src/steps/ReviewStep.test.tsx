import { describe, expect, it } from "vitest";
import { fireEvent, screen, waitFor } from "@testing-library/react";
import userEventLib from "@testing-library/user-event";
import i18n from "../i18n";
import type { ContactPage, ContactRow, ContactSummary } from "../bindings";
import { contactSummary, mockCommands, renderInWizard } from "../test-utils";
import { reviewBlocked } from "../state/wizard";
import { PAGE_SIZE, ROW_HEIGHT, ReviewStep } from "./ReviewStep";

const userEvent = userEventLib.setup({ delay: null });

function row(n: number, status: ContactRow["status"] = "valid"): ContactRow {
  const number = `139${String(n).padStart(8, "0")}`;
  return {
    row: n,
    original: status === "invalid" ? "12345" : number,
    number: status === "invalid" ? null : number,
    status,
    code: status === "invalid" ? "phone.too_short" : "phone.ok",
    message:
      status === "invalid"
        ? { zhCn: "号码位数不够(手机号是 11 位)", en: "Too few digits" }
        : { zhCn: "号码正确", en: "Number is fine" },
    duplicateOf: null,
    values: [],
    problems: [],
  };
}

describe("review blocking", () => {
  it("blocks while invalid rows remain or nobody is left to call", () => {
    expect(reviewBlocked(null)).toBe("empty");
    expect(reviewBlocked(contactSummary({ invalid: 2 }))).toBe("invalid");
    expect(reviewBlocked(contactSummary({ invalid: 0, sendable: 0, valid: 0 }))).toBe("empty");
    // Duplicates and excluded rows are not called, and do not block.
    expect(reviewBlocked(contactSummary({ invalid: 0, duplicates: 3, excluded: 2 }))).toBeNull();
  });

  it("keeps Next disabled until the user excludes the rows with problems", async () => {
    await i18n.changeLanguage("zh-CN");
    let summary: ContactSummary = contactSummary({ invalid: 1, valid: 3, sendable: 3 });
    const calls = mockCommands((cmd) => {
      if (cmd === "contact_page") {
        const page: ContactPage = {
          total: 4,
          offset: 0,
          rows: [row(2), row(3), row(4), row(5, "invalid")],
        };
        return page;
      }
      if (cmd === "exclude_blocking_rows") {
        summary = { ...summary, invalid: 0, blocking: 0, excluded: 1 };
        return summary;
      }
      throw new Error(`unexpected ${cmd}`);
    });
    renderInWizard(<ReviewStep />, { step: "review", summary });
    expect(screen.getByTestId("to-settings")).toBeDisabled();
    expect(screen.getByTestId("review-blocked")).toHaveTextContent("还有 1 行号码有问题");
    expect(await screen.findByText("号码位数不够(手机号是 11 位)")).toBeInTheDocument();

    await userEvent.click(screen.getByTestId("exclude-blocking"));
    // Nothing happens without the confirmation.
    expect(calls.some((c) => c.cmd === "exclude_blocking_rows")).toBe(false);
    await userEvent.click(await screen.findByTestId("confirm-exclude-all"));
    await waitFor(() => expect(screen.getByTestId("to-settings")).toBeEnabled());
    expect(screen.queryByTestId("review-blocked")).not.toBeInTheDocument();
    expect(screen.getByTestId("count-excluded")).toHaveTextContent("1");
  });

  it("blocks when no number is left, with a different explanation", async () => {
    await i18n.changeLanguage("zh-CN");
    mockCommands((cmd) => {
      if (cmd === "contact_page") return { total: 0, offset: 0, rows: [] };
      throw new Error(`unexpected ${cmd}`);
    });
    renderInWizard(<ReviewStep />, {
      summary: contactSummary({ invalid: 0, valid: 0, sendable: 0, rows: 0, duplicates: 0 }),
    });
    expect(screen.getByTestId("to-settings")).toBeDisabled();
    expect(screen.getByTestId("review-blocked")).toHaveTextContent("没有可以呼叫的号码");
  });

  it("fixes a number inline through Rust and shows the new counts", async () => {
    await i18n.changeLanguage("zh-CN");
    let fixed = false;
    const calls = mockCommands((cmd, args) => {
      if (cmd === "contact_page") {
        return {
          total: 1,
          offset: 0,
          rows: [fixed ? { ...row(5), status: "fixed" } : row(5, "invalid")],
        };
      }
      if (cmd === "fix_number") {
        fixed = true;
        expect(args).toEqual({ row: 5, text: "13900000005" });
        return contactSummary({ invalid: 0, fixed: 1, sendable: 4 });
      }
      throw new Error(`unexpected ${cmd}`);
    });
    renderInWizard(<ReviewStep />, { summary: contactSummary({ invalid: 1 }) });
    await userEvent.click(await screen.findByTestId("fix-edit"));
    const input = screen.getByTestId("fix-input");
    await userEvent.clear(input);
    await userEvent.type(input, "13900000005{Enter}");
    await waitFor(() => expect(screen.getByTestId("to-settings")).toBeEnabled());
    expect(screen.getByTestId("count-fixed")).toHaveTextContent("1");
    expect(calls.filter((c) => c.cmd === "fix_number")).toHaveLength(1);
    expect(await screen.findByText("已修正")).toBeInTheDocument();
  });
});

describe("review table", () => {
  it("fetches only the pages in view, even for 100k rows", async () => {
    await i18n.changeLanguage("zh-CN");
    const TOTAL = 100_000;
    const calls = mockCommands((cmd, args) => {
      if (cmd === "contact_page") {
        const offset = args.offset as number;
        const limit = args.limit as number;
        const rows = Array.from({ length: Math.min(limit, TOTAL - offset) }, (_, i) =>
          row(offset + i + 2),
        );
        return { total: TOTAL, offset, rows };
      }
      throw new Error(`unexpected ${cmd}`);
    });
    renderInWizard(<ReviewStep />, {
      summary: contactSummary({ rows: TOTAL, valid: TOTAL, invalid: 0, sendable: TOTAL }),
    });
    // The number shows twice per row: as typed and as it will be called.
    expect(await screen.findAllByText("13900000002")).toHaveLength(2);
    const pages = () =>
      calls.filter((c) => c.cmd === "contact_page").map((c) => c.args.offset as number);
    expect(pages()).toEqual([0]);
    // Only the rows in view (plus a few) exist in the DOM.
    expect(screen.getAllByTestId("review-row").length).toBeLessThan(40);

    // Scroll to row 50 000: the page holding it is fetched, nothing in between.
    const list = screen.getByTestId("review-table");
    list.scrollTop = ROW_HEIGHT * 50_000;
    fireEvent.scroll(list);
    expect(await screen.findAllByText(`139${String(50_002).padStart(8, "0")}`)).toHaveLength(2);
    const fetched = pages();
    expect(fetched.length).toBeLessThanOrEqual(3);
    expect(fetched).toContain(Math.floor(50_000 / PAGE_SIZE) * PAGE_SIZE);
    for (const o of fetched) expect(o % PAGE_SIZE).toBe(0);
    expect(screen.getAllByTestId("review-row").length).toBeLessThan(40);
  });

  it("asks Rust for problem rows only when the filter is on", async () => {
    await i18n.changeLanguage("zh-CN");
    const calls = mockCommands((cmd, args) => {
      if (cmd === "contact_page") {
        return args.onlyProblems
          ? { total: 1, offset: 0, rows: [row(5, "invalid")] }
          : { total: 2, offset: 0, rows: [row(2), row(5, "invalid")] };
      }
      throw new Error(`unexpected ${cmd}`);
    });
    renderInWizard(<ReviewStep />, {
      summary: contactSummary({ invalid: 5, duplicates: 1, warnings: 1 }),
    });
    await waitFor(() => expect(screen.getAllByTestId("review-row")).toHaveLength(2));
    // The filter's count is more than the "有问题" card's: the label says what it holds.
    expect(screen.getByTestId("only-problems-count")).toHaveTextContent("7");
    expect(screen.getByTestId("count-invalid")).toHaveTextContent("5");
    expect(screen.getByTestId("only-problems-parts")).toHaveTextContent(
      "有问题 5、重复 1、提醒 1(如固定电话)",
    );
    await userEvent.click(screen.getByTestId("only-problems"));
    await waitFor(() => expect(screen.getAllByTestId("review-row")).toHaveLength(1));
    expect(calls.filter((c) => c.cmd === "contact_page").at(-1)?.args).toEqual({
      offset: 0,
      limit: PAGE_SIZE,
      onlyProblems: true,
    });
  });
});

describe("screened rows", () => {
  const dncRow: ContactRow = {
    ...row(3),
    status: "doNotCall",
    code: "screen.do_not_call",
    message: {
      zhCn: "在免打扰名单上(2026-12-01 10:00 北京时间加入):客户要求不再来电",
      en: "On the do-not-call list (added 2026-12-01 10:00 China time): asked not to be called",
    },
  };
  const limitRow: ContactRow = {
    ...row(4),
    status: "overLimit",
    code: "screen.answered_limit",
    message: {
      zhCn: "24 小时内最多接通 1 次:已于 12-04 10:23 北京时间在“双十二回访”中接通",
      en: "At most 1 answered call in 24 hours: answered 12-04 10:23 China time in 双十二回访",
    },
  };

  it("shows the do-not-call and limit counts, lists them from the card, with the whole reason and no actions", async () => {
    await i18n.changeLanguage("zh-CN");
    const calls = mockCommands((cmd, args) => {
      if (cmd === "contact_page") {
        return args.onlyProblems
          ? { total: 2, offset: 0, rows: [dncRow, limitRow] }
          : { total: 3, offset: 0, rows: [row(2), dncRow, limitRow] };
      }
      throw new Error(`unexpected ${cmd}`);
    });
    renderInWizard(<ReviewStep />, {
      summary: contactSummary({
        invalid: 0,
        duplicates: 0,
        doNotCall: 1,
        overLimit: 1,
        sendable: 1,
      }),
    });
    expect(screen.getByTestId("count-doNotCall")).toHaveTextContent("1");
    expect(screen.getByTestId("count-overLimit")).toHaveTextContent("1");
    expect(screen.getByTestId("review-screened")).toHaveTextContent(
      "1 人在免打扰名单上,1 人超过拨打上限",
    );
    // They do not block: they are simply not called.
    expect(screen.getByTestId("to-settings")).toBeEnabled();
    await waitFor(() => expect(screen.getAllByTestId("review-row")).toHaveLength(3));

    await userEvent.click(screen.getByTestId("card-doNotCall"));
    await waitFor(() => expect(screen.getAllByTestId("review-row")).toHaveLength(2));
    expect(calls.filter((c) => c.cmd === "contact_page").at(-1)?.args.onlyProblems).toBe(true);
    expect(screen.getByTestId("only-problems")).toBeChecked();

    const reasons = screen.getAllByTestId("screened-reason");
    expect(reasons[0]).toHaveTextContent(
      "在免打扰名单上(2026-12-01 10:00 北京时间加入):客户要求不再来电",
    );
    expect(reasons[1]).toHaveTextContent("已于 12-04 10:23 北京时间在“双十二回访”中接通");
    const rows = screen.getAllByTestId("review-row");
    expect(rows[0]).toHaveTextContent("免打扰");
    expect(rows[1]).toHaveTextContent("超过拨打上限");
    // Nothing to fix or include again.
    expect(screen.queryByTestId("fix-edit")).not.toBeInTheDocument();
    expect(screen.queryByTestId("exclude-toggle")).not.toBeInTheDocument();
  });
});
