import { useState } from "react";
import { Alert, Checkbox, Modal, Space, Tag, Typography, type ButtonProps } from "antd";
import { useTranslation } from "react-i18next";
import type { CallOutcome, RecallOptions } from "../bindings";
import { langOf, loc } from "../i18n/localized";

/** Why people with an outcome are never part of a recall (the core's `may_recall`). */
const NEVER: Partial<Record<CallOutcome, string>> = {
  answered: "answered",
  invalidNumber: "invalidNumber",
  pending: "pending",
  notSent: "notSent",
  untracked: "untracked",
};

interface Props {
  options: RecallOptions;
  /** The results were refreshed just before (or could not be: say so). */
  refreshNote: string | null;
  busy: boolean;
  onCancel: () => void;
  onConfirm: (outcomes: CallOutcome[]) => void;
}

/** Which outcomes to call again: the core's default choice, the rest explained. */
export function RecallDialog({ options, refreshNote, busy, onCancel, onConfirm }: Props) {
  const { t, i18n } = useTranslation();
  const lang = langOf(i18n.language);
  const [chosen, setChosen] = useState<CallOutcome[]>(() =>
    // An outcome nobody had is shown (so the marketer sees it would be recalled) but not
    // ticked: there is no one to choose.
    options.outcomes.filter((o) => o.allowed && o.chosen && o.count > 0).map((o) => o.outcome),
  );
  const people = options.outcomes
    .filter((o) => chosen.includes(o.outcome))
    .reduce((n, o) => n + o.count, 0);
  const never = options.outcomes.filter((o) => !o.allowed && o.count > 0);

  return (
    <Modal
      open
      title={t("recall.title", { name: options.campaign.taskName })}
      okText={t("recall.ok", { count: people })}
      cancelText={t("common.cancel")}
      okButtonProps={{
        disabled: people === 0,
        ...({ "data-testid": "recall-ok" } as ButtonProps),
      }}
      confirmLoading={busy}
      onCancel={onCancel}
      onOk={() => onConfirm(chosen)}
      data-testid="recall-dialog"
    >
      <Space orientation="vertical" style={{ width: "100%" }}>
        {refreshNote && <Alert type="info" showIcon title={refreshNote} />}
        <Typography.Paragraph>{t("recall.intro")}</Typography.Paragraph>
        <Checkbox.Group
          value={chosen}
          onChange={(v) => setChosen(v as CallOutcome[])}
          style={{ display: "flex", flexDirection: "column", gap: 8 }}
        >
          {options.outcomes
            .filter((o) => o.allowed)
            .map((o) => (
              <Checkbox
                key={o.outcome}
                value={o.outcome}
                disabled={o.count === 0}
                data-testid={`recall-outcome-${o.outcome}`}
              >
                {loc(o.label, lang)} <Tag>{o.count}</Tag>
                {o.outcome === "rejected" && (
                  <Typography.Text type="secondary">{t("recall.rejectedNote")}</Typography.Text>
                )}
              </Checkbox>
            ))}
        </Checkbox.Group>
        {never.length > 0 && (
          <div data-testid="recall-never">
            <Typography.Text strong>{t("recall.neverTitle")}</Typography.Text>
            <ul style={{ margin: "4px 0 0", paddingInlineStart: 20 }}>
              {never.map((o) => (
                <li key={o.outcome}>
                  <Checkbox checked={false} disabled>
                    {loc(o.label, lang)} <Tag>{o.count}</Tag>
                  </Checkbox>
                  <Typography.Text type="secondary">
                    {t(`recall.never.${NEVER[o.outcome] ?? "other"}` as "recall.never.other")}
                  </Typography.Text>
                </li>
              ))}
            </ul>
          </div>
        )}
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {t("recall.screenNote")}
        </Typography.Paragraph>
      </Space>
    </Modal>
  );
}
