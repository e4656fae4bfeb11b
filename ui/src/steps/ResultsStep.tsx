import { useCallback, useEffect, useState } from "react";
import { Alert, Button, Card, Empty, Space, Spin, Table, Tag, Typography } from "antd";
import { ReloadOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { commands, type BatchOverview, type CampaignSummary } from "../bindings";
import { call, type IpcError } from "../api/errors";
import { useShowError } from "../api/feedback";
import { useSession } from "../state/session";
import { describeTimeLines } from "../time";
import { useWizard } from "../state/wizard";
import { BatchTable } from "./send/BatchTable";
import { CAMPAIGN_COLOR } from "../stateColors";
import { awaitsDecision, useCampaignActions } from "../state/campaignActions";
import { ResultsView } from "../results/ResultsView";
import { useResumeCampaign } from "../components/ResumeDialog";

function Batches({ id }: { id: number }) {
  const { lang } = useSession();
  const [rows, setRows] = useState<BatchOverview[] | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  useEffect(() => {
    call(() => commands.campaignBatches(id)).then(setRows, setError);
  }, [id]);
  if (error) {
    return (
      <Alert
        type="error"
        showIcon
        title={error.text(lang).message}
        description={error.text(lang).hint}
      />
    );
  }
  if (!rows) return <Spin />;
  return <BatchTable batches={rows} />;
}

/** Step 6, results: every campaign in the journal, its batches with their TaskIds, and a campaign's call results. */
export function ResultsStep() {
  const { t } = useTranslation();
  const { lang } = useSession();
  const { dispatch } = useWizard();
  const showError = useShowError();
  const actionsOf = useCampaignActions();
  const [resumeCampaign, resumeDialog] = useResumeCampaign();
  const [campaigns, setCampaigns] = useState<CampaignSummary[] | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [loading, setLoading] = useState(true);
  const [resuming, setResuming] = useState<number | null>(null);
  const [resultsFor, setResultsFor] = useState<number | null>(null);

  const fetchCampaigns = useCallback(
    () =>
      call(() => commands.listCampaigns())
        .then(
          (list) => {
            setCampaigns(list);
            setError(null);
          },
          (err: IpcError) => setError(err),
        )
        .finally(() => setLoading(false)),
    [],
  );

  useEffect(() => {
    void fetchCampaigns();
  }, [fetchCampaigns]);

  const load = () => {
    setLoading(true);
    void fetchCampaigns();
  };

  const open = (id: number) => {
    dispatch({ type: "campaign", id });
    dispatch({ type: "goto", step: "send" });
  };

  const resume = async (c: CampaignSummary) => {
    setResuming(c.id);
    try {
      // Unknown batches need a decision first: the Send page shows it.
      if (!awaitsDecision(c) && !(await resumeCampaign(c.id))) return;
      open(c.id);
    } catch (err) {
      showError(err);
    } finally {
      setResuming(null);
    }
  };

  return (
    <Card
      data-testid="step-results"
      title={t("history.title")}
      extra={
        <Button icon={<ReloadOutlined />} onClick={() => void load()} loading={loading}>
          {t("history.refresh")}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t("history.help")}</Typography.Paragraph>
      {error && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={error.text(lang).message}
          description={error.text(lang).hint}
        />
      )}
      <Table<CampaignSummary>
        rowKey="id"
        loading={loading && campaigns === null}
        dataSource={campaigns ?? []}
        data-testid="history-table"
        scroll={{ x: "max-content" }}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        locale={{ emptyText: <Empty description={t("history.empty")} /> }}
        expandable={{ expandedRowRender: (c) => <Batches id={c.id} /> }}
        columns={[
          {
            title: t("history.col.created"),
            key: "created",
            width: 150,
            render: (_, c) => {
              // Two lines: the table stays within the window at 1280 px.
              const { china, here } = describeTimeLines(c.createdAtMs, lang);
              return (
                <span data-testid="history-created">
                  {china}
                  {here && (
                    <Typography.Text type="secondary" style={{ display: "block", fontSize: 12 }}>
                      {here}
                    </Typography.Text>
                  )}
                </span>
              );
            },
          },
          {
            title: t("history.col.taskName"),
            dataIndex: "taskName",
            ellipsis: { showTitle: true },
          },
          {
            title: t("history.col.source"),
            dataIndex: "sourceName",
            ellipsis: { showTitle: true },
          },
          {
            title: t("history.col.state"),
            key: "state",
            render: (_, c) => (
              <Space size={4}>
                <Tag color={CAMPAIGN_COLOR[c.state]} data-testid="history-state">
                  {t(`campaignState.${c.state}`)}
                </Tag>
                {c.busy && <Tag>{t("history.busy")}</Tag>}
              </Space>
            ),
          },
          {
            title: t("history.col.people"),
            key: "people",
            width: 110,
            render: (_, c) => `${c.sentNumbers} / ${c.totalNumbers}`,
          },
          {
            title: t("history.col.batches"),
            key: "batches",
            render: (_, c) => (
              <Space size={4} wrap>
                <Tag color="green">
                  {t("batchState.sent")} {c.batches.sent}
                </Tag>
                {c.batches.planned > 0 && (
                  <Tag>
                    {t("batchState.planned")} {c.batches.planned}
                  </Tag>
                )}
                {c.batches.rejected > 0 && (
                  <Tag color="red">
                    {t("batchState.rejected")} {c.batches.rejected}
                  </Tag>
                )}
                {c.batches.unknown > 0 && (
                  <Tag color="orange">
                    {t("batchState.unknown")} {c.batches.unknown}
                  </Tag>
                )}
                {c.batches.cancelled > 0 && (
                  <Tag>
                    {t("batchState.cancelled")} {c.batches.cancelled}
                  </Tag>
                )}
              </Space>
            ),
          },
          {
            title: t("history.col.actions"),
            key: "actions",
            width: 120,
            fixed: "right",
            render: (_, c) => (
              // Stacked: every action stays in the window without sideways scrolling.
              <Space orientation="vertical" size={4}>
                <Button size="small" onClick={() => open(c.id)} data-testid="history-open">
                  {t("history.open")}
                </Button>
                <Button
                  size="small"
                  onClick={() => setResultsFor(c.id)}
                  data-testid="history-results"
                >
                  {t("history.results")}
                </Button>
                {actionsOf(c.state, awaitsDecision(c)).unfinished && !c.busy && (
                  <Button
                    size="small"
                    type="primary"
                    loading={resuming === c.id}
                    onClick={() => void resume(c)}
                    data-testid="history-resume"
                  >
                    {t("history.resume")}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      {resultsFor !== null && (
        <div style={{ marginTop: 16 }}>
          {/* The key resets the outcome filter and page when another campaign is chosen. */}
          <ResultsView
            key={resultsFor}
            campaignId={resultsFor}
            onRecall={(source, prepared) =>
              dispatch({
                type: "recall",
                source,
                summary: prepared.summary,
                task: prepared.task,
              })
            }
          />
        </div>
      )}
      {resumeDialog}
    </Card>
  );
}
