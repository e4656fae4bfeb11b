import { Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { DncChange } from "../bindings";
import { langOf, loc } from "../i18n/localized";

/**
 * What an add or import did, including the texts that were not numbers (never silently
 * dropped). Shown in a static modal, outside the session's context: it reads i18next only.
 */
export function DncChangeResult({ change, kind }: { change: DncChange; kind: "add" | "remove" }) {
  const { t, i18n } = useTranslation();
  const lang = langOf(i18n.language);
  return (
    <div data-testid="dnc-change">
      <Typography.Paragraph>
        {kind === "add"
          ? t("dnc.added", { changed: change.changed, unchanged: change.unchanged })
          : t("dnc.removed", { changed: change.changed, unchanged: change.unchanged })}
      </Typography.Paragraph>
      {change.notNumberCount > 0 && (
        <>
          <Typography.Paragraph type="warning">
            {t("dnc.notNumbers", { count: change.notNumberCount })}
          </Typography.Paragraph>
          <ul data-testid="dnc-not-numbers">
            {change.notNumbers.map((n, i) => (
              <li key={i}>
                <Typography.Text code>{n.text || "—"}</Typography.Text> {loc(n.message, lang)}
              </li>
            ))}
          </ul>
          {change.notNumberCount > change.notNumbers.length && (
            <Typography.Text type="secondary">
              {t("dnc.notNumbersMore", { count: change.notNumberCount - change.notNumbers.length })}
            </Typography.Text>
          )}
        </>
      )}
    </div>
  );
}
