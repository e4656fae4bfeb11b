import { useEffect, useState } from "react";
import { Alert, Descriptions, Modal, Spin } from "antd";
import { useTranslation } from "react-i18next";
import { commands, type AppInfo, type Lang } from "../bindings";
import { call, type IpcError } from "../api/errors";

interface Props {
  open: boolean;
  onClose: () => void;
  lang: Lang;
}

/** Version and folders, read from the Rust side each time it opens. */
export function AboutModal({ open, onClose, lang }: Props) {
  const { t } = useTranslation();
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [error, setError] = useState<IpcError | null>(null);

  useEffect(() => {
    if (!open) return;
    let cancelled = false;
    call(() => commands.appInfo()).then(
      (value) => {
        if (!cancelled) {
          setInfo(value);
          setError(null);
        }
      },
      (err: IpcError) => {
        if (!cancelled) setError(err);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [open]);

  return (
    <Modal
      open={open}
      title={t("about.title")}
      onCancel={onClose}
      onOk={onClose}
      okText={t("about.close")}
      cancelButtonProps={{ style: { display: "none" } }}
      destroyOnHidden
    >
      {error ? (
        <Alert
          type="error"
          showIcon
          title={error.text(lang).message}
          description={error.text(lang).hint}
          data-testid="about-error"
        />
      ) : info ? (
        <Descriptions column={1} size="small" bordered data-testid="about-info">
          <Descriptions.Item label={t("about.version")}>
            <span data-testid="about-version">{info.version}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t("about.dataDir")}>
            <span data-testid="about-data-dir">{info.dataDir}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t("about.logDir")}>
            <span data-testid="about-log-dir">{info.logDir}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t("about.os")}>{info.os}</Descriptions.Item>
        </Descriptions>
      ) : (
        <Spin description={t("about.loading")} />
      )}
    </Modal>
  );
}
