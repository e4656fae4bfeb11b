import { useState } from "react";
import { Alert, App, Button, type ButtonProps } from "antd";
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
  const { modal } = App.useApp();
  const [stopping, setStopping] = useState(false);
  if (!demo?.active) return null;

  const doStop = async () => {
    setStopping(true);
    try {
      setDemo(await call(() => commands.stopDemo()));
    } catch (err) {
      showError(err);
    } finally {
      setStopping(false);
    }
  };

  // Leaving the demo stops the simulator: a demo campaign still sending would fail.
  const stop = async () => {
    let sending = false;
    try {
      sending = await call(() => commands.sendingNow());
    } catch {
      sending = false;
    }
    if (!sending) return doStop();
    modal.confirm({
      title: t("demo.stopWhileSending"),
      content: t("demo.stopWhileSendingHint"),
      okText: t("demo.stop"),
      okButtonProps: { danger: true, ...({ "data-testid": "confirm-stop-demo" } as ButtonProps) },
      cancelText: t("common.cancel"),
      onOk: doStop,
    });
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
        <Button size="small" onClick={() => void stop()} loading={stopping} data-testid="stop-demo">
          {t("demo.stop")}
        </Button>
      }
    />
  );
}
