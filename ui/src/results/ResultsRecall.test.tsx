import { describe, expect, it } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import i18n from "../i18n";
import { renderInWizard } from "../test-utils";
import { ResultsView } from "./ResultsView";
import {
  userEvent,
  label,
  campaign,
  overview,
  report,
  backend,
  named,
  shown,
} from "./resultsFixtures";

describe("do-not-call and recall from the results", () => {
  it("adds the selected people to the do-not-call list, with a reason, as coming from results", async () => {
    await i18n.changeLanguage("zh-CN");
    const calls = backend((cmd) =>
      cmd === "dnc_add"
        ? { changed: 2, unchanged: 0, notNumbers: [], notNumberCount: 0 }
        : undefined,
    );
    renderInWizard(<ResultsView campaignId={7} />);
    await shown();
    expect(screen.getByTestId("results-add-dnc")).toBeDisabled();
    const boxes = within(screen.getByTestId("results-table")).getAllByRole("checkbox");
    // boxes[0] is "select all".
    fireEvent.click(boxes[1]!);
    fireEvent.click(boxes[2]!);
    expect(screen.getByTestId("results-add-dnc")).toHaveTextContent("加入免打扰(2)");
    await userEvent.click(screen.getByTestId("results-add-dnc"));
    await userEvent.type(await screen.findByTestId("results-dnc-reason"), "客户要求不再来电");
    expect(named(calls, "dnc_add")).toHaveLength(0);
    await userEvent.click(screen.getByTestId("results-dnc-ok"));
    await waitFor(() => expect(named(calls, "dnc_add")).toHaveLength(1));
    expect(named(calls, "dnc_add")[0]).toEqual({
      numbers: ["13800138000", "13800138001"],
      reason: "客户要求不再来电",
      fromResults: true,
    });
    expect(await screen.findByText("新加入 2 个号码,0 个已在名单上。")).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId("results-add-dnc")).toBeDisabled());
  });

  it("refreshes stale results first, offers the outcomes (never-recalled ones explained), then hands the prepared recall on", async () => {
    await i18n.changeLanguage("zh-CN");
    const recallOutcomes = (fresh: boolean) => ({
      campaign,
      needsRefresh: !fresh,
      outcomes: [
        { outcome: "answered", label: label("answered"), count: 3, chosen: false, allowed: false },
        { outcome: "noAnswer", label: label("noAnswer"), count: 1, chosen: true, allowed: true },
        { outcome: "busy", label: label("busy"), count: 0, chosen: true, allowed: true },
        {
          outcome: "poweredOff",
          label: label("poweredOff"),
          count: 2,
          chosen: true,
          allowed: true,
        },
        { outcome: "rejected", label: label("rejected"), count: 1, chosen: false, allowed: true },
        {
          outcome: "invalidNumber",
          label: label("invalidNumber"),
          count: 1,
          chosen: false,
          allowed: false,
        },
      ],
    });
    let refreshed = false;
    const prepared = {
      summary: { rows: 3, sendable: 3 },
      task: { taskName: "双十一回访 重呼1" },
    };
    const calls = backend((cmd) => {
      if (cmd === "recall_options") return recallOutcomes(refreshed);
      if (cmd === "refresh_results") {
        refreshed = true;
        return report();
      }
      if (cmd === "prepare_recall") return prepared;
      return undefined;
    });
    const handed: unknown[] = [];
    renderInWizard(
      <ResultsView campaignId={7} onRecall={(source, p) => handed.push([source, p])} />,
    );
    await shown();
    await userEvent.click(screen.getByTestId("results-recall"));
    const dialog = await screen.findByTestId("recall-dialog");
    // Stale results were refreshed before the choice was offered.
    expect(named(calls, "refresh_results")).toEqual([{ id: 7 }]);
    expect(named(calls, "recall_options")).toHaveLength(2);
    expect(dialog).toHaveTextContent("已先刷新结果");
    const box = (o: string) => screen.getByTestId(`recall-outcome-${o}`);
    expect(box("noAnswer")).toBeChecked();
    expect(box("poweredOff")).toBeChecked();
    expect(box("rejected")).not.toBeChecked();
    // Nobody was busy: nothing to choose there.
    expect(box("busy")).toBeDisabled();
    expect(box("busy")).not.toBeChecked();
    const never = screen.getByTestId("recall-never");
    expect(never).toHaveTextContent("已接听");
    expect(never).toHaveTextContent("已经接通过");
    expect(never).toHaveTextContent("空号或停机,再打也打不通");
    expect(screen.getByTestId("recall-ok")).toHaveTextContent("检查 3 人");

    fireEvent.click(box("rejected"));
    expect(screen.getByTestId("recall-ok")).toHaveTextContent("检查 4 人");
    await userEvent.click(screen.getByTestId("recall-ok"));
    await waitFor(() => expect(handed).toHaveLength(1));
    expect(named(calls, "prepare_recall")).toEqual([
      { id: 7, outcomes: ["noAnswer", "poweredOff", "rejected"] },
    ]);
    expect(handed[0]).toEqual([{ id: 7, taskName: "双十一回访" }, prepared]);
  });

  it("offers no recall where nobody can act on it (the preview page)", async () => {
    await i18n.changeLanguage("zh-CN");
    backend();
    renderInWizard(<ResultsView campaignId={7} />);
    await shown();
    expect(screen.queryByTestId("results-recall")).not.toBeInTheDocument();
  });
});

describe("people withheld before sending", () => {
  it("says how many people were taken out because they joined the do-not-call list", async () => {
    await i18n.changeLanguage("zh-CN");
    backend(
      () => undefined,
      () => overview({ withheld: 2 }),
    );
    renderInWizard(<ResultsView campaignId={7} />);
    expect(await screen.findByTestId("results-withheld")).toHaveTextContent(
      "2 人在活动创建后加入了免打扰名单，发送前已去掉，没有拨打。",
    );
  });

  it("says nothing when nobody was withheld", async () => {
    await i18n.changeLanguage("zh-CN");
    backend();
    renderInWizard(<ResultsView campaignId={7} />);
    await screen.findAllByTestId("person-number");
    expect(screen.queryByTestId("results-withheld")).toBeNull();
  });
});
