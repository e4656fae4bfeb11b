import { useEffect, useState } from "react";
import {
  Alert,
  App,
  Button,
  Dropdown,
  Empty,
  Space,
  Spin,
  Table,
  Typography,
  type ButtonProps,
} from "antd";
import { DownOutlined } from "@ant-design/icons";
import {
  commands,
  type BatchOverview,
  type ControlExplanation,
  type Lang,
  type TaskControl,
} from "../bindings";
import { call, toIpcError, type IpcError } from "../api/errors";
import { ErrorAlert } from "./ErrorAlert";
import { useTranslation } from "react-i18next";
import { langOf, loc } from "../i18n/localized";

const CONTROLS: TaskControl[] = ["cancelScheduled", "stop", "terminate"];

type Outcome =
  | { kind: "done"; message: string }
  | { kind: "unconfirmed"; message: string }
  | { kind: "error"; error: IpcError };

function Explanation({ e, lang }: { e: ControlExplanation; lang: Lang }) {
  const { t } = useTranslation();
  return (
    <div data-testid="control-explanation">
      <Typography.Paragraph>
        {t("resultsView.appliesTo")}
        {loc(e.appliesTo, lang)}
      </Typography.Paragraph>
      <Typography.Paragraph>
        {t("resultsView.effectOnUncalled")}
        <Typography.Text strong data-testid="control-effect">
          {loc(e.effectOnUncalled, lang)}
        </Typography.Text>
      </Typography.Paragraph>
      <Typography.Paragraph type={e.reversible ? "secondary" : "danger"}>
        {e.reversible ? t("resultsView.reversible") : t("resultsView.irreversible")}
      </Typography.Paragraph>
    </div>
  );
}

/**
 * The campaign's accepted batches, one TaskId each, with cancel / stop / terminate. Each
 * action first shows what it means (from Rust's explanation) and runs only after OK.
 */
export function TaskControls({ campaignId, reloadKey }: { campaignId: number; reloadKey: number }) {
  const { t, i18n } = useTranslation();
  const lang = langOf(i18n.language);
  const { modal } = App.useApp();
  const [loaded, setLoaded] = useState<{
    key: string;
    batches: BatchOverview[] | null;
    error: IpcError | null;
  } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const key = `${campaignId}:${reloadKey}`;

  useEffect(() => {
    let cancelled = false;
    call(() => commands.campaignBatches(campaignId)).then(
      (batches) => !cancelled && setLoaded({ key, batches, error: null }),
      (error: IpcError) => !cancelled && setLoaded({ key, batches: null, error }),
    );
    return () => {
      cancelled = true;
    };
  }, [campaignId, key]);

  const run = async (control: TaskControl, taskId: string, title: string) => {
    setBusy(taskId);
    try {
      const result = await call(() => commands.controlCampaignTask(control, taskId));
      setOutcome(
        result.done
          ? { kind: "done", message: t("resultsView.controlDone", { title, taskId }) }
          : {
              kind: "unconfirmed",
              message: t("resultsView.controlNotConfirmed", { title, taskId }),
            },
      );
    } catch (thrown) {
      setOutcome({ kind: "error", error: toIpcError(thrown) });
    } finally {
      setBusy(null);
    }
  };

  const ask = async (control: TaskControl, taskId: string) => {
    setBusy(taskId);
    let e: ControlExplanation;
    try {
      e = await call(() => commands.explainTaskControl(control));
    } catch (thrown) {
      setOutcome({ kind: "error", error: toIpcError(thrown) });
      setBusy(null);
      return;
    }
    setBusy(null);
    const title = loc(e.title, lang);
    modal.confirm({
      title: `${title}:${taskId}`,
      content: <Explanation e={e} lang={lang} />,
      okText: t("resultsView.confirmOk"),
      cancelText: t("resultsView.confirmCancel"),
      okButtonProps: { danger: true, "data-testid": "control-confirm-ok" } as ButtonProps,
      width: 520,
      onOk: () => run(control, taskId, title),
    });
  };

  const batches = loaded?.key === key ? loaded.batches : null;
  const error = loaded?.key === key ? loaded.error : null;
  const tasks = (batches ?? []).filter(
    (b): b is BatchOverview & { taskId: string } => b.taskId !== null,
  );

  return (
    <div data-testid="results-tasks">
      <Typography.Paragraph type="secondary">{t("resultsView.tasksHelp")}</Typography.Paragraph>
      {outcome && <ControlOutcome outcome={outcome} lang={lang} onClose={() => setOutcome(null)} />}
      {error ? (
        <ErrorAlert error={error} lang={lang} />
      ) : batches === null ? (
        <Spin />
      ) : tasks.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("resultsView.tasksEmpty")} />
      ) : (
        <Table<BatchOverview & { taskId: string }>
          size="small"
          rowKey="index"
          dataSource={tasks}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          columns={[
            {
              title: "#",
              key: "index",
              render: (_, b) => t("resultsView.batch", { n: b.index + 1 }),
            },
            {
              title: t("resultsView.col.taskId"),
              key: "taskId",
              render: (_, b) => (
                <Typography.Text copyable data-testid="task-id">
                  {b.taskId}
                </Typography.Text>
              ),
            },
            {
              title: "",
              key: "people",
              render: (_, b) => t("resultsView.batchPeople", { n: b.people }),
            },
            {
              title: t("resultsView.control"),
              key: "control",
              render: (_, b) => (
                <Dropdown
                  trigger={["click"]}
                  menu={{
                    items: CONTROLS.map((c) => ({
                      key: c,
                      label: (
                        <span data-testid={`control-${c}`}>{t(`resultsView.controls.${c}`)}</span>
                      ),
                      danger: c === "terminate",
                    })),
                    onClick: ({ key: control }) => void ask(control as TaskControl, b.taskId),
                  }}
                >
                  <Button size="small" loading={busy === b.taskId} data-testid="task-control">
                    <Space size={4}>
                      {t("resultsView.control")}
                      <DownOutlined />
                    </Space>
                  </Button>
                </Dropdown>
              ),
            },
          ]}
        />
      )}
    </div>
  );
}

function ControlOutcome({
  outcome,
  lang,
  onClose,
}: {
  outcome: Outcome;
  lang: Lang;
  onClose: () => void;
}) {
  if (outcome.kind === "error") {
    return (
      <ErrorAlert error={outcome.error} lang={lang} onClose={onClose} testId="control-result" />
    );
  }
  return (
    <Alert
      type={outcome.kind === "done" ? "success" : "warning"}
      showIcon
      closable={{ onClose }}
      style={{ marginBottom: 12 }}
      data-testid="control-result"
      title={outcome.message}
    />
  );
}
