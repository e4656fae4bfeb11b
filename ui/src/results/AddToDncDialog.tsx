import { useState } from "react";
import { App, Input, Modal, Typography, type ButtonProps } from "antd";
import { useTranslation } from "react-i18next";
import { commands } from "../bindings";
import { call, toIpcError } from "../api/errors";
import { langOf } from "../i18n/localized";
import { DncChangeResult } from "../compliance/DncChangeResult";

/** "加入免打扰" for the people selected in a campaign's results, with an optional reason. */
export function AddToDncDialog({
  numbers,
  onClose,
}: {
  numbers: string[];
  onClose: (added: boolean) => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = langOf(i18n.language);
  const { message, modal, notification } = App.useApp();
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);

  const add = async () => {
    setBusy(true);
    try {
      const trimmed = reason.trim();
      const change = await call(() =>
        commands.dncAdd(numbers, trimmed.length > 0 ? trimmed : null, true),
      );
      if (change.notNumberCount > 0) {
        modal.warning({
          title: t("dnc.someNotNumbers"),
          content: <DncChangeResult change={change} kind="add" />,
        });
      } else {
        void message.success(
          t("dnc.added", { changed: change.changed, unchanged: change.unchanged }),
        );
      }
      onClose(true);
    } catch (thrown) {
      const shown = toIpcError(thrown).text(lang);
      notification.error({ title: shown.message, description: shown.hint, duration: 8 });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={t("resultsDnc.title", { count: numbers.length })}
      okText={t("resultsDnc.ok")}
      cancelText={t("common.cancel")}
      confirmLoading={busy}
      okButtonProps={{ ...({ "data-testid": "results-dnc-ok" } as ButtonProps) }}
      onOk={() => void add()}
      onCancel={() => onClose(false)}
    >
      <Typography.Paragraph>{t("resultsDnc.intro")}</Typography.Paragraph>
      <Input
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        placeholder={t("resultsDnc.reasonPlaceholder")}
        maxLength={200}
        aria-label={t("dnc.reason")}
        data-testid="results-dnc-reason"
      />
    </Modal>
  );
}
