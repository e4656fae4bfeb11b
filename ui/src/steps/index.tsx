import { Card, Typography } from "antd";
import { useTranslation } from "react-i18next";

export const STEP_KEYS = ["import", "map", "review", "settings", "send", "results"] as const;
export type StepKey = (typeof STEP_KEYS)[number];

/** The page of one wizard step. */
export function StepPage({ step }: { step: StepKey }) {
  const { t } = useTranslation();
  return (
    <Card data-testid={`step-${step}`}>
      <Typography.Paragraph>{t(`stepHelp.${step}`)}</Typography.Paragraph>
    </Card>
  );
}
