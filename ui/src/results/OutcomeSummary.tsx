import { Card, Empty, Statistic, Typography } from "antd";
import type { CallOutcome, OutcomeCount } from "../bindings";
import { useTranslation } from "react-i18next";
import { langOf, loc } from "../i18n/localized";
import { OUTCOME_STYLE } from "./outcome";

// The outcomes a marketer asks about first keep a card even at zero; the rest appear
// only when someone has them, so the row stays short.
const ALWAYS_SHOWN: ReadonlySet<CallOutcome> = new Set([
  "answered",
  "noAnswer",
  "busy",
  "poweredOff",
  "invalidNumber",
  "pending",
]);

/** One clickable card per outcome: clicking filters the table (again: shows everyone). */
export function OutcomeCards({
  counts,
  selected,
  onSelect,
}: {
  counts: OutcomeCount[];
  selected: CallOutcome | null;
  onSelect: (outcome: CallOutcome | null) => void;
}) {
  const { i18n } = useTranslation();
  const lang = langOf(i18n.language);
  const shown = counts.filter((c) => c.count > 0 || ALWAYS_SHOWN.has(c.outcome));
  return (
    // Cards as wide as their label needs (never a word broken over two lines), as many a row
    // as fit.
    <div
      data-testid="results-counts"
      style={{
        display: "grid",
        gridTemplateColumns: "repeat(auto-fill, minmax(128px, 1fr))",
        gap: 12,
      }}
    >
      {shown.map((c) => {
        const active = selected === c.outcome;
        return (
          <div key={c.outcome}>
            <Card
              size="small"
              hoverable
              role="button"
              aria-pressed={active}
              data-testid={`results-count-${c.outcome}`}
              onClick={() => onSelect(active ? null : c.outcome)}
              style={{
                borderColor: active ? OUTCOME_STYLE[c.outcome].bar : undefined,
                borderTop: `3px solid ${OUTCOME_STYLE[c.outcome].bar}`,
              }}
            >
              <Statistic
                title={<span style={{ whiteSpace: "nowrap" }}>{loc(c.label, lang)}</span>}
                value={c.count}
              />
            </Card>
          </div>
        );
      })}
    </div>
  );
}

/** A horizontal bar per outcome someone has, as a share of everyone in the campaign. */
export function OutcomeChart({ counts }: { counts: OutcomeCount[] }) {
  const { t, i18n } = useTranslation();
  const lang = langOf(i18n.language);
  const total = counts.reduce((sum, c) => sum + c.count, 0);
  const bars = counts.filter((c) => c.count > 0);
  if (total === 0) {
    return (
      <div data-testid="results-chart">
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("resultsView.chartEmpty")} />
      </div>
    );
  }
  const widest = Math.max(...bars.map((c) => c.count));
  return (
    <div data-testid="results-chart" role="list" aria-label={t("resultsView.chartTitle")}>
      {bars.map((c) => {
        const share = (c.count / total) * 100;
        const label = loc(c.label, lang);
        return (
          <div
            key={c.outcome}
            role="listitem"
            data-testid={`results-bar-${c.outcome}`}
            aria-label={`${label} ${c.count}`}
            style={{ display: "flex", alignItems: "center", gap: 8, marginBottom: 6 }}
          >
            <Typography.Text style={{ width: 96, flex: "none" }} ellipsis={{ tooltip: label }}>
              {label}
            </Typography.Text>
            <div style={{ flex: 1, background: "rgba(0,0,0,0.04)", borderRadius: 4, height: 18 }}>
              <div
                style={{
                  // Scaled to the biggest bar so small outcomes stay visible.
                  width: `${Math.max((c.count / widest) * 100, 1)}%`,
                  height: "100%",
                  borderRadius: 4,
                  background: OUTCOME_STYLE[c.outcome].bar,
                }}
              />
            </div>
            <Typography.Text style={{ width: 110, flex: "none", textAlign: "right" }}>
              {c.count} ·{" "}
              {t("resultsView.percent", { p: share < 10 ? share.toFixed(1) : share.toFixed(0) })}
            </Typography.Text>
          </div>
        );
      })}
    </div>
  );
}
