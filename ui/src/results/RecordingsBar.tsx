import { useEffect, useState } from "react";
import { App, Button, Space, Typography } from "antd";
import { DeleteOutlined, FolderOpenOutlined, LoadingOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { commands, onEvent, type RecordingsUsage } from "../bindings";
import { call, toIpcError } from "../api/errors";
import { langOf } from "../i18n/localized";
import { formatBytes } from "./callTime";

/**
 * The campaign's saved recordings: how many and how much disk, whether they are being saved
 * now (the `recordings-archive` events), the folder, and deleting them (asked first).
 * `onChanged` runs when a save finishes or recordings were deleted, so the view reloads.
 */
export function RecordingsBar({
  campaignId,
  usage,
  archiving,
  onChanged,
}: {
  campaignId: number;
  usage: RecordingsUsage;
  archiving: boolean;
  onChanged: () => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = langOf(i18n.language);
  const { message, modal, notification } = App.useApp();
  // The events know better than the last overview once one has arrived.
  const [live, setLive] = useState<{ running: boolean; done: number; total: number } | null>(null);
  const running = live?.running ?? archiving;
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let disposed = false;
    let unlisten: (() => void) | null = null;
    onEvent("recordingsArchive", (e) => {
      if (e.campaignId !== campaignId) return;
      setLive({ running: !e.finished, done: e.done, total: e.total });
      if (!e.finished) return;
      if (e.report && e.report.archived > 0) {
        void message.success(t("resultsView.evidence.archived", { n: e.report.archived }));
      }
      if (e.report && e.report.failed.length > 0) {
        void message.warning(
          t("resultsView.evidence.archiveFailed", { n: e.report.failed.length }),
        );
      }
      onChanged();
    }).then(
      (fn) => (disposed ? fn() : (unlisten = fn)),
      () => undefined,
    );
    return () => {
      disposed = true;
      unlisten?.();
    };
  }, [campaignId, message, onChanged, t]);

  const showFailure = (thrown: unknown) => {
    const shown = toIpcError(thrown).text(lang);
    notification.error({ title: shown.message, description: shown.hint, duration: 8 });
  };

  const openFolder = async () => {
    try {
      await call(() => commands.openRecordingsFolder(campaignId));
    } catch (thrown) {
      showFailure(thrown);
    }
  };

  const confirmDelete = () => {
    modal.confirm({
      title: t("resultsView.evidence.deleteConfirmTitle"),
      content: t("resultsView.evidence.deleteConfirmBody", {
        files: usage.files,
        size: formatBytes(usage.bytes),
      }),
      okText: t("resultsView.evidence.deleteOk"),
      okButtonProps: { danger: true },
      cancelText: t("resultsView.evidence.deleteCancel"),
      onOk: async () => {
        setBusy(true);
        try {
          const done = await call(() => commands.deleteCampaignRecordings(campaignId));
          void message.success(
            t("resultsView.evidence.deleted", { files: done.files, size: formatBytes(done.bytes) }),
          );
          onChanged();
        } catch (thrown) {
          showFailure(thrown);
        } finally {
          setBusy(false);
        }
      },
    });
  };

  return (
    <Space wrap size="middle" style={{ marginBottom: 12 }} data-testid="recordings-bar">
      <Typography.Text data-testid="recordings-usage">
        {usage.files > 0
          ? t("resultsView.evidence.saved", { files: usage.files, size: formatBytes(usage.bytes) })
          : t("resultsView.evidence.noneSaved")}
      </Typography.Text>
      {running && (
        <Typography.Text type="secondary" data-testid="recordings-archiving">
          <LoadingOutlined /> {t("resultsView.evidence.archiving")}
          {live && live.total > 0 ? ` ${live.done} / ${live.total}` : ""}
        </Typography.Text>
      )}
      <Button
        size="small"
        icon={<FolderOpenOutlined />}
        onClick={() => void openFolder()}
        data-testid="recordings-open-folder"
      >
        {t("resultsView.evidence.openFolder")}
      </Button>
      <Button
        size="small"
        danger
        icon={<DeleteOutlined />}
        disabled={usage.files === 0 || running}
        loading={busy}
        onClick={confirmDelete}
        data-testid="recordings-delete"
      >
        {t("resultsView.evidence.deleteRecordings")}
      </Button>
    </Space>
  );
}
