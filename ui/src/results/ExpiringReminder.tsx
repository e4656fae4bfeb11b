import { useCallback, useEffect, useState } from "react";
import { Alert, App, Button, Space } from "antd";
import { SaveOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { commands, onEvent, type ExpiringRecordings } from "../bindings";
import { call, toIpcError } from "../api/errors";
import { langOf } from "../i18n/localized";
import { describeTime } from "../time";

/**
 * Recordings about to be lost: answered calls whose recording was not saved and whose link
 * expires within six hours (the core's list), with one action to save them now. Shown at
 * start for every campaign and on a results view for its own.
 */
export function ExpiringReminder({ campaignId }: { campaignId?: number }) {
  const { t, i18n } = useTranslation();
  const lang = langOf(i18n.language);
  const { message, notification } = App.useApp();
  const [list, setList] = useState<ExpiringRecordings[]>([]);
  const [started, setStarted] = useState<ReadonlySet<number>>(new Set());

  const load = useCallback(() => {
    call(() => commands.expiringRecordings()).then(
      (all) => {
        const known = Array.isArray(all) ? all : [];
        setList(
          campaignId === undefined ? known : known.filter((e) => e.campaignId === campaignId),
        );
      },
      // A reminder that cannot be read is not worth an error of its own.
      () => setList([]),
    );
  }, [campaignId]);

  useEffect(() => {
    load();
    let disposed = false;
    let unlisten: (() => void) | null = null;
    onEvent("recordingsArchive", (e) => {
      if (e.finished) {
        setStarted((s) => {
          const next = new Set(s);
          next.delete(e.campaignId);
          return next;
        });
        load();
      }
    }).then(
      (fn) => (disposed ? fn() : (unlisten = fn)),
      () => undefined,
    );
    return () => {
      disposed = true;
      unlisten?.();
    };
  }, [load]);

  const saveNow = async (id: number) => {
    try {
      await call(() => commands.archiveCampaignRecordings(id));
      setStarted((s) => new Set(s).add(id));
      void message.info(t("resultsView.evidence.saveStarted"));
    } catch (thrown) {
      const shown = toIpcError(thrown).text(lang);
      notification.error({ title: shown.message, description: shown.hint, duration: 8 });
    }
  };

  if (list.length === 0) return null;
  return (
    <Space orientation="vertical" style={{ width: "100%", marginBottom: 12 }}>
      {list.map((e) => (
        <Alert
          key={e.campaignId}
          type="warning"
          showIcon
          data-testid="recordings-expiring"
          title={t("resultsView.evidence.expiringTitle", {
            count: e.count,
            time: describeTime(e.firstExpiryMs, lang),
          })}
          description={t("resultsView.evidence.expiringBody", { taskName: e.taskName })}
          action={
            <Button
              size="small"
              type="primary"
              icon={<SaveOutlined />}
              loading={started.has(e.campaignId)}
              onClick={() => void saveNow(e.campaignId)}
              data-testid="recordings-save-now"
            >
              {t("resultsView.evidence.saveNow")}
            </Button>
          }
        />
      ))}
    </Space>
  );
}
