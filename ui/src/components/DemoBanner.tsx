import { useState } from "react";
import { Alert, Button } from "antd";
import { useTranslation } from "react-i18next";
import { commands } from "../bindings";
import { call } from "../api/errors";
import { useShowError } from "../api/feedback";
import { useSession } from "../state/session";

/** Shown on every page while the built-in simulator stands in for Alibaba Cloud. */
export function DemoBanner() {
  const { t } = useTranslation();
  const { demo, setDemo } = useSession();
  const showError = useShowError();
  const [stopping, setStopping] = useState(false);
  if (!demo?.active) return null;

  const stop = async () => {
    setStopping(true);
    try {
      setDemo(await call(() => commands.stopDemo()));
    } catch (err) {
      showError(err);
    } finally {
      setStopping(false);
    }
  };

  return (
    <Alert
      type="warning"
      showIcon
      banner
      className="demo-banner"
      data-testid="demo-banner"
      title={t("demo.banner")}
      description={t("demo.bannerHint")}
      action={
        <Button size="small" onClick={stop} loading={stopping} data-testid="stop-demo">
          {t("demo.stop")}
        </Button>
      }
    />
  );
}
