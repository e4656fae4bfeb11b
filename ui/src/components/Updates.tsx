import { useEffect, useRef, useState } from "react";
import { Alert, Button, Modal, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { commands, type UpdateInfo } from "../bindings";
import { call, type IpcError } from "../api/errors";
import { useSession } from "../state/session";

/**
 * "发现新版本 x.y.z" with the release notes. Installs only when the user clicks Install;
 * Rust refuses while a campaign is sending, and that refusal is shown here.
 */
export function UpdateDialog({ info, onClose }: { info: UpdateInfo | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { lang } = useSession();
  const [installing, setInstalling] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);

  const install = async () => {
    setInstalling(true);
    setError(null);
    try {
      // On success the app restarts and this never returns.
      await call(() => commands.installUpdate());
    } catch (err) {
      setError(err as IpcError);
    } finally {
      setInstalling(false);
    }
  };

  const close = () => {
    setError(null);
    onClose();
  };

  // Unmounted when closed: a stale version must never linger in a closing dialog.
  if (!info) return null;
  return (
    <Modal
      open
      onCancel={installing ? undefined : close}
      closable={!installing}
      maskClosable={false}
      title={t("updates.foundTitle", { version: info.version })}
      footer={
        <Space>
          <Button onClick={close} disabled={installing} data-testid="update-later">
            {t("updates.later")}
          </Button>
          <Button
            type="primary"
            loading={installing}
            onClick={() => void install()}
            data-testid="update-install"
          >
            {installing ? t("updates.installing") : t("updates.install")}
          </Button>
        </Space>
      }
      data-testid="update-dialog"
    >
      <Typography.Paragraph type="secondary">
        {t("updates.current", { version: info.currentVersion })}
      </Typography.Paragraph>
      <Typography.Title level={5}>{t("updates.notes")}</Typography.Title>
      <Typography.Paragraph style={{ whiteSpace: "pre-wrap" }} data-testid="update-notes">
        {info.notes?.trim() ? info.notes : t("updates.noNotes")}
      </Typography.Paragraph>
      <Typography.Paragraph type="secondary">{t("updates.installHint")}</Typography.Paragraph>
      {error && (
        <Alert
          type="error"
          showIcon
          title={error.text(lang).message}
          description={error.text(lang).hint}
          data-testid="update-error"
        />
      )}
    </Modal>
  );
}

/**
 * The check when the window opens. Rust decides whether to check (the settings switch) and
 * swallows failures (offline, no release yet): nothing shows unless there is a new version.
 */
export function StartupUpdateCheck() {
  const { loaded } = useSession();
  const [info, setInfo] = useState<UpdateInfo | null>(null);
  const checked = useRef(false);

  useEffect(() => {
    if (!loaded || checked.current) return;
    checked.current = true;
    commands.checkUpdateAtStart().then(
      (found) => setInfo(found),
      () => undefined,
    );
  }, [loaded]);

  return <UpdateDialog info={info} onClose={() => setInfo(null)} />;
}

/** The settings page's "检查更新" button with a plain result, errors included. */
export function CheckForUpdates({ currentVersion }: { currentVersion: string | null }) {
  const { t } = useTranslation();
  const { lang } = useSession();
  const [checking, setChecking] = useState(false);
  const [result, setResult] = useState<
    | { kind: "none" }
    | { kind: "found"; info: UpdateInfo }
    | { kind: "error"; error: IpcError }
    | null
  >(null);
  const [dialog, setDialog] = useState<UpdateInfo | null>(null);

  const check = async () => {
    setChecking(true);
    setResult(null);
    try {
      const found = await call(() => commands.checkUpdate());
      setResult(found ? { kind: "found", info: found } : { kind: "none" });
      if (found) setDialog(found);
    } catch (err) {
      setResult({ kind: "error", error: err as IpcError });
    } finally {
      setChecking(false);
    }
  };

  return (
    <div>
      <Button loading={checking} onClick={() => void check()} data-testid="update-check">
        {t("updates.check")}
      </Button>
      <div style={{ marginTop: 8 }} data-testid="update-result">
        {result?.kind === "none" && (
          <Typography.Text type="success">
            {t("updates.upToDate", { version: currentVersion ?? "" })}
          </Typography.Text>
        )}
        {result?.kind === "found" && (
          <Space>
            <Typography.Text strong>
              {t("updates.found", { version: result.info.version })}
            </Typography.Text>
            <Button size="small" type="link" onClick={() => setDialog(result.info)}>
              {t("updates.show")}
            </Button>
          </Space>
        )}
        {result?.kind === "error" && (
          <Alert
            type="warning"
            showIcon
            title={result.error.text(lang).message}
            description={result.error.text(lang).hint}
          />
        )}
      </div>
      <UpdateDialog info={dialog} onClose={() => setDialog(null)} />
    </div>
  );
}
