import { useCallback, useEffect, useState } from "react";
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Collapse,
  Empty,
  Input,
  Progress,
  Row,
  Select,
  Space,
  Spin,
  Tag,
  Typography,
} from "antd";
import {
  DownloadOutlined,
  PhoneOutlined,
  ReloadOutlined,
  StopOutlined,
  SyncOutlined,
} from "@ant-design/icons";
import { save } from "@tauri-apps/plugin-dialog";
import {
  commands,
  type CallOutcome,
  type Lang,
  type RecallOptions,
  type RecallPrepared,
  type RefreshReport,
  type ResultsOverview,
} from "../bindings";
import { call, toIpcError, type IpcError } from "../api/errors";
import { ErrorAlert } from "./ErrorAlert";
import { useTranslation } from "react-i18next";
import { langOf, loc } from "../i18n/localized";
import { safeFileName } from "./outcome";
import { CAMPAIGN_COLOR } from "../stateColors";
import { OutcomeCards, OutcomeChart } from "./OutcomeSummary";
import { PeopleTable } from "./PeopleTable";
import { TaskControls } from "./TaskControls";
import { AUTO_REFRESH_MS, useRefresh } from "./useRefresh";
import { describeTime } from "../time";
import { RecallDialog } from "./RecallDialog";
import { AddToDncDialog } from "./AddToDncDialog";
import { ExpiringReminder } from "./ExpiringReminder";
import { RecordingsBar } from "./RecordingsBar";

/** Failures listed under a refresh report; the rest are counted. */
const FAILURES_SHOWN = 5;

export interface ResultsViewProps {
  campaignId: number;
  /** How often to refresh while anyone is still pending (tests shorten it). */
  autoRefreshMs?: number;
  /**
   * "重呼未接通的人" is offered when given: called with the recall Rust prepared (its people
   * are the contact list now), for the wizard to review and send.
   */
  onRecall?: (source: { id: number; taskName: string }, prepared: RecallPrepared) => void;
}

/**
 * One campaign's results: counts and a chart by outcome, a filterable page-by-page table of
 * people, refresh (on demand, and every 2 minutes while anyone is pending), export to .xlsx
 * and task control. Needs antd's `<App>` and i18next around it; nothing else.
 */
export function ResultsView({
  campaignId,
  autoRefreshMs = AUTO_REFRESH_MS,
  onRecall,
}: ResultsViewProps) {
  const { t, i18n } = useTranslation();
  const lang = langOf(i18n.language);
  const { message, notification } = App.useApp();
  const [reloadKey, setReloadKey] = useState(0);
  const [loaded, setLoaded] = useState<{
    key: string;
    overview: ResultsOverview | null;
    error: IpcError | null;
  } | null>(null);
  const [outcome, setOutcome] = useState<CallOutcome | null>(null);
  const [search, setSearch] = useState("");
  const [exporting, setExporting] = useState(false);
  const [selected, setSelected] = useState<Map<string, string>>(() => new Map());
  const [dncOpen, setDncOpen] = useState(false);
  const [recall, setRecall] = useState<{
    options: RecallOptions;
    refreshNote: string | null;
  } | null>(null);
  const [recallBusy, setRecallBusy] = useState<"options" | "prepare" | null>(null);
  const key = `${campaignId}:${reloadKey}`;

  useEffect(() => {
    let cancelled = false;
    call(() => commands.resultsOverview(campaignId)).then(
      (overview) => !cancelled && setLoaded({ key, overview, error: null }),
      (error: IpcError) =>
        // Keep what was shown; the error explains why it did not update.
        !cancelled && setLoaded((prev) => ({ key, overview: prev?.overview ?? null, error })),
    );
    return () => {
      cancelled = true;
    };
  }, [campaignId, key]);

  const reload = useCallback(() => setReloadKey((k) => k + 1), []);
  const overview = loaded?.overview ?? null;
  const overviewError = loaded?.key === key ? loaded.error : null;
  const pending = overview?.pending ?? 0;
  const refresh = useRefresh(campaignId, reload, pending > 0, autoRefreshMs);

  const showFailure = (thrown: unknown) => {
    const shown = toIpcError(thrown).text(lang);
    notification.error({ title: shown.message, description: shown.hint, duration: 8 });
  };

  /** Fresh results first when they are stale (the core says), then the outcome choice. */
  const startRecall = async () => {
    setRecallBusy("options");
    try {
      let options = await call(() => commands.recallOptions(campaignId));
      let refreshNote: string | null = null;
      if (options.needsRefresh) {
        await refresh.refresh();
        options = await call(() => commands.recallOptions(campaignId));
        refreshNote = options.needsRefresh ? t("recall.stillStale") : t("recall.refreshed");
      }
      setRecall({ options, refreshNote });
    } catch (thrown) {
      showFailure(thrown);
    } finally {
      setRecallBusy(null);
    }
  };

  const prepareRecall = async (outcomes: CallOutcome[]) => {
    if (!recall || !onRecall) return;
    setRecallBusy("prepare");
    try {
      const prepared = await call(() => commands.prepareRecall(campaignId, outcomes));
      setRecall(null);
      onRecall({ id: campaignId, taskName: recall.options.campaign.taskName }, prepared);
    } catch (thrown) {
      showFailure(thrown);
    } finally {
      setRecallBusy(null);
    }
  };

  const exportReport = async () => {
    if (!overview) return;
    try {
      const target = await save({
        defaultPath: t("resultsView.exportFile", {
          taskName: safeFileName(overview.campaign.taskName),
        }),
        filters: [{ name: "Excel", extensions: ["xlsx"] }],
      });
      if (!target) return;
      setExporting(true);
      const count = await call(() => commands.exportResults(campaignId, target));
      void message.success(t("resultsView.exported", { n: count, path: target }));
    } catch (thrown) {
      const shown = toIpcError(thrown).text(lang);
      notification.error({ title: shown.message, description: shown.hint, duration: 8 });
    } finally {
      setExporting(false);
    }
  };

  if (!overview) {
    return (
      <Card data-testid="results-view" title={t("resultsView.title")}>
        {overviewError ? (
          <ErrorAlert
            error={overviewError}
            lang={lang}
            testId="results-error"
            action={
              <Button size="small" onClick={reload}>
                {t("resultsView.retry")}
              </Button>
            }
          />
        ) : (
          <Spin description={t("resultsView.loading")} data-testid="results-loading">
            <div style={{ minHeight: 120 }} />
          </Spin>
        )}
      </Card>
    );
  }

  const { campaign } = overview;
  const selectOutcome = (next: CallOutcome | null) => setOutcome(next);

  return (
    <Card
      data-testid="results-view"
      title={
        <Space wrap>
          <span>{t("resultsView.title")}</span>
          <Typography.Text strong data-testid="results-task-name">
            {campaign.taskName}
          </Typography.Text>
          <Tag color={CAMPAIGN_COLOR[campaign.state]} data-testid="results-campaign-state">
            {t(`campaignState.${campaign.state}`)}
          </Tag>
        </Space>
      }
      extra={
        <Space wrap>
          {refresh.running ? (
            <Button
              icon={<StopOutlined />}
              loading={refresh.cancelling}
              onClick={() => void refresh.cancel()}
              data-testid="results-cancel-refresh"
            >
              {t("resultsView.cancelRefresh")}
            </Button>
          ) : (
            <Button
              type="primary"
              icon={<ReloadOutlined />}
              onClick={() => void refresh.refresh()}
              data-testid="results-refresh"
            >
              {t("resultsView.refresh")}
            </Button>
          )}
          {onRecall && (
            <Button
              icon={<PhoneOutlined />}
              loading={recallBusy === "options"}
              disabled={overview.people === 0 || refresh.running}
              onClick={() => void startRecall()}
              data-testid="results-recall"
            >
              {t("recall.button")}
            </Button>
          )}
          <Button
            icon={<DownloadOutlined />}
            loading={exporting}
            disabled={overview.people === 0}
            onClick={() => void exportReport()}
            data-testid="results-export"
          >
            {t("resultsView.export")}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t("resultsView.help")}</Typography.Paragraph>
      <Space wrap size="large" style={{ marginBottom: 12 }} data-testid="results-status">
        <span data-testid="results-last-refreshed">
          {overview.lastFetchedAtMs === null
            ? t("resultsView.neverRefreshed")
            : t("resultsView.lastRefreshed", {
                time: describeTime(overview.lastFetchedAtMs, lang),
              })}
        </span>
        <span>{t("resultsView.people", { n: overview.people })}</span>
        <span data-testid="results-pending">
          {pending > 0 ? t("resultsView.pending", { n: pending }) : t("resultsView.noPending")}
        </span>
        {pending > 0 && (
          <Typography.Text type="secondary">
            <SyncOutlined /> {t("resultsView.autoRefresh")}
          </Typography.Text>
        )}
      </Space>

      {refresh.running && (
        <div data-testid="results-refresh-progress" style={{ marginBottom: 12 }}>
          <Typography.Text>{t("resultsView.refreshing")}</Typography.Text>
          <Progress
            percent={
              refresh.progress && refresh.progress.total > 0
                ? Math.floor((refresh.progress.done / refresh.progress.total) * 100)
                : 0
            }
            status="active"
            format={() =>
              refresh.progress ? `${refresh.progress.done} / ${refresh.progress.total}` : ""
            }
          />
          {refresh.progress && (
            <Typography.Text type="secondary">
              {t("resultsView.requests", { n: refresh.progress.requests })} ·{" "}
              {t(`resultsView.mode.${refresh.progress.mode}`)}
            </Typography.Text>
          )}
        </div>
      )}
      {!refresh.running && refresh.report && <RefreshSummary report={refresh.report} lang={lang} />}
      {refresh.error && (
        <ErrorAlert error={refresh.error} lang={lang} testId="results-refresh-error" />
      )}
      {overviewError && <ErrorAlert error={overviewError} lang={lang} testId="results-error" />}
      <ExpiringReminder campaignId={campaignId} />

      {overview.people === 0 ? (
        <Empty description={t("resultsView.noPeople")} />
      ) : (
        <>
          <RecordingsBar
            campaignId={campaignId}
            usage={overview.recordings}
            archiving={overview.archiving}
            onChanged={reload}
          />
          {overview.withheld > 0 && (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 12 }}
              data-testid="results-withheld"
              title={t("resultsView.withheld", { count: overview.withheld })}
            />
          )}
          <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
            <Col xs={24} xxl={14}>
              <Typography.Title level={5}>{t("resultsView.countsTitle")}</Typography.Title>
              <OutcomeCards counts={overview.counts} selected={outcome} onSelect={selectOutcome} />
            </Col>
            <Col xs={24} xxl={10}>
              <Typography.Title level={5}>{t("resultsView.chartTitle")}</Typography.Title>
              <OutcomeChart counts={overview.counts} />
            </Col>
          </Row>

          <Space wrap style={{ marginBottom: 12 }}>
            <Typography.Title level={5} style={{ margin: 0 }}>
              {t("resultsView.tableTitle")}
            </Typography.Title>
            <Select<CallOutcome | "all">
              style={{ minWidth: 180 }}
              aria-label={t("resultsView.filter")}
              data-testid="results-filter"
              value={outcome ?? "all"}
              onChange={(v) => selectOutcome(v === "all" ? null : v)}
              options={[
                { value: "all", label: `${t("resultsView.allOutcomes")} (${overview.people})` },
                ...overview.counts
                  .filter((c) => c.count > 0 || c.outcome === outcome)
                  .map((c) => ({ value: c.outcome, label: `${loc(c.label, lang)} (${c.count})` })),
              ]}
            />
            {outcome !== null && (
              <Button type="link" onClick={() => selectOutcome(null)}>
                {t("resultsView.clearFilter")}
              </Button>
            )}
            <Input.Search
              allowClear
              style={{ width: 260 }}
              placeholder={t("resultsView.evidence.search")}
              aria-label={t("resultsView.evidence.search")}
              data-testid="results-search"
              onSearch={(v) => setSearch(v)}
            />
            <Button
              icon={<StopOutlined />}
              disabled={selected.size === 0}
              onClick={() => setDncOpen(true)}
              data-testid="results-add-dnc"
            >
              {t("resultsDnc.button", { count: selected.size })}
            </Button>
            {selected.size > 0 && (
              <Button type="link" onClick={() => setSelected(new Map())}>
                {t("resultsDnc.clearSelection")}
              </Button>
            )}
          </Space>
          <PeopleTable
            campaignId={campaignId}
            outcome={outcome}
            search={search}
            variableNames={overview.variableNames}
            hangupNote={overview.hangupNote}
            reloadKey={reloadKey}
            selected={selected}
            onSelect={setSelected}
          />

          <Collapse
            style={{ marginTop: 16 }}
            items={[
              {
                key: "tasks",
                label: t("resultsView.tasksTitle"),
                children: <TaskControls campaignId={campaignId} reloadKey={reloadKey} />,
              },
            ]}
          />
        </>
      )}
      {recall && (
        <RecallDialog
          options={recall.options}
          refreshNote={recall.refreshNote}
          busy={recallBusy === "prepare"}
          onCancel={() => setRecall(null)}
          onConfirm={(chosen) => void prepareRecall(chosen)}
        />
      )}
      {dncOpen && (
        <AddToDncDialog
          numbers={[...new Set(selected.values())]}
          onClose={(added) => {
            setDncOpen(false);
            if (added) setSelected(new Map());
          }}
        />
      )}
    </Card>
  );
}

function RefreshSummary({ report, lang }: { report: RefreshReport; lang: Lang }) {
  const { t } = useTranslation();
  const more = report.failureCount - Math.min(report.failures.length, FAILURES_SHOWN);
  return (
    <>
      <Alert
        type={report.failureCount > 0 ? "warning" : report.cancelled ? "info" : "success"}
        showIcon
        closable
        style={{ marginBottom: 12 }}
        data-testid="results-refresh-report"
        title={
          report.cancelled
            ? t("resultsView.refreshCancelled", { found: report.found })
            : t("resultsView.refreshDone", {
                found: report.found,
                stillPending: report.stillPending,
              })
        }
        description={
          <>
            <div>
              {t("resultsView.refreshSkipped", {
                final: report.skippedFinal,
                notDue: report.notDue,
                notSent: report.notSent,
              })}{" "}
              {t("resultsView.requests", { n: report.requests })}
            </div>
            {report.failureCount > 0 && (
              <div data-testid="results-refresh-failures">
                <div>{t("resultsView.failures", { n: report.failureCount })}</div>
                <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                  {report.failures.slice(0, FAILURES_SHOWN).map((f) => {
                    const shown = toIpcError(f.error).text(lang);
                    return (
                      <li key={`${f.batchIndex}:${f.number}`}>
                        {f.number}:{shown.message} {shown.hint}
                      </li>
                    );
                  })}
                </ul>
                {more > 0 && <div>{t("resultsView.moreFailures", { n: more })}</div>}
              </div>
            )}
          </>
        }
      />
      {report.degraded && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="results-degraded"
          title={t("resultsView.degradedTitle")}
          description={
            <>
              <div>{t("resultsView.degradedBody")}</div>
              <Typography.Text type="secondary">
                {loc(report.degraded.message, lang)} {loc(report.degraded.hint, lang)}
              </Typography.Text>
            </>
          }
        />
      )}
    </>
  );
}
