import { startTransition, useCallback, useEffect, useRef, useState } from "react";
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Modal,
  Progress,
  Result,
  Row,
  Space,
  Spin,
  Statistic,
  Skeleton,
  Table,
  Tag,
  Typography,
  type ButtonProps,
} from "antd";
import { ExclamationCircleOutlined, SendOutlined } from "@ant-design/icons";
import { listen } from "@tauri-apps/api/event";
import { useTranslation } from "react-i18next";
import {
  commands,
  events,
  type BatchCounts,
  type BatchOverview,
  type BatchState,
  type CampaignError,
  type CampaignState,
  type CampaignSummary,
  type EngineEvent,
  type PlanPreview,
  type RetryNotice,
  type UserError,
  type WireParam,
} from "../bindings";
import { call, IpcError, toIpcError } from "../api/errors";
import { useShowError } from "../api/feedback";
import { useSession } from "../state/session";
import { toTaskSettings, useWizard } from "../state/wizard";
import { StepFooter } from "./common";
import { useResumeCampaign } from "../components/ResumeDialog";
import { describeTime } from "../time";

export const BATCH_COLOR: Record<BatchState, string> = {
  planned: "default",
  sending: "processing",
  sent: "green",
  rejected: "red",
  unknown: "orange",
  cancelled: "default",
};

export const CAMPAIGN_COLOR: Record<CampaignState, string> = {
  ready: "default",
  running: "processing",
  paused: "warning",
  stopped: "error",
  cancelled: "default",
  finished: "success",
};

const testId = (id: string) => ({ "data-testid": id }) as ButtonProps;

/** Step 5: preview and confirm, then the campaign's progress. */
export function SendStep() {
  const { state } = useWizard();
  return state.campaignId === null ? (
    <SendPreview />
  ) : (
    <CampaignProgress key={state.campaignId} id={state.campaignId} />
  );
}

function ParamValue({ param }: { param: WireParam }) {
  let pretty: string | null = null;
  if (param.name === "TtsParam" || param.name === "TtsParamHead") {
    try {
      pretty = JSON.stringify(JSON.parse(param.value), null, 2);
    } catch {
      // Not JSON after all: show it as it is.
    }
  }
  return pretty !== null ? (
    <pre className="param-json">{pretty}</pre>
  ) : (
    <span className="param-value">{param.value}</span>
  );
}

function SendPreview() {
  const { t } = useTranslation();
  const { lang } = useSession();
  const { state, dispatch } = useWizard();
  const { modal } = App.useApp();
  const showError = useShowError();
  // The plan for one exact task (by its JSON): loading while the key differs.
  const [result, setResult] = useState<{
    key: string;
    plan: PlanPreview | null;
    error: IpcError | null;
  } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [sending, setSending] = useState(false);
  const task = toTaskSettings(state.task);
  const taskKey = JSON.stringify(task);

  useEffect(() => {
    let cancelled = false;
    call(() => commands.previewPlan(JSON.parse(taskKey))).then(
      (plan) => {
        if (!cancelled) setResult({ key: taskKey, plan, error: null });
      },
      (error: IpcError) => {
        if (!cancelled) setResult({ key: taskKey, plan: null, error });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [taskKey]);
  const loading = result?.key !== taskKey;
  const plan = result?.plan ?? null;
  const error = result?.error ?? null;

  const started = (summary: CampaignSummary) => {
    dispatch({ type: "campaign", id: summary.id });
  };

  const start = async () => {
    setSending(true);
    try {
      started(await call(() => commands.startCampaign(task, false)));
      setConfirming(false);
    } catch (err) {
      const e = toIpcError(err);
      setConfirming(false);
      if (e.code === "campaign.duplicate") {
        const text = e.text(lang);
        modal.confirm({
          title: text.message,
          content: text.hint,
          icon: <ExclamationCircleOutlined />,
          okText: t("send.duplicateOk"),
          okButtonProps: { danger: true, ...testId("confirm-duplicate") },
          cancelText: t("common.cancel"),
          onOk: async () => {
            try {
              started(await call(() => commands.startCampaign(task, true)));
            } catch (again) {
              showError(again);
            }
          },
        });
      } else {
        showError(e);
      }
    } finally {
      setSending(false);
    }
  };

  if (loading) {
    return (
      <Card data-testid="step-send">
        <Spin description={t("send.planning")}>
          <div style={{ height: 160 }} />
        </Spin>
      </Card>
    );
  }
  if (error || !plan) {
    return (
      <Space orientation="vertical" size="large" style={{ width: "100%" }} data-testid="step-send">
        <Alert
          type="error"
          showIcon
          title={error?.text(lang).message ?? t("errors.unexpected")}
          description={error?.text(lang).hint}
          data-testid="preview-error"
        />
        <StepFooter
          left={
            <Button size="large" onClick={() => dispatch({ type: "goto", step: "settings" })}>
              {t("common.back")}
            </Button>
          }
        />
      </Space>
    );
  }

  return (
    <Space orientation="vertical" size="large" style={{ width: "100%" }} data-testid="step-send">
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t("send.people")} value={plan.people} data-testid="preview-people" />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic
              title={t("send.batches")}
              value={plan.batches}
              data-testid="preview-batches"
            />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic
              title={t("send.skipped")}
              value={plan.skippedRows}
              data-testid="preview-skipped"
            />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic
              title={t("send.endpoint")}
              value={plan.demo ? t("send.demoEndpoint") : t("send.realEndpoint")}
              styles={{ content: { fontSize: 18, color: plan.demo ? "#d46b08" : undefined } }}
            />
            <Typography.Text type="secondary" className="param-value">
              {plan.endpoint}
            </Typography.Text>
          </Card>
        </Col>
      </Row>
      <Typography.Paragraph>
        {t("send.explain", { people: plan.people, batches: plan.batches })}
      </Typography.Paragraph>
      <Card title={t("send.firstBatch")}>
        <Typography.Paragraph type="secondary">{t("send.firstBatchHelp")}</Typography.Paragraph>
        <Descriptions
          column={1}
          bordered
          size="small"
          styles={{ label: { width: 200, whiteSpace: "nowrap" } }}
          data-testid="preview-params"
          items={plan.firstBatch.map((p) => ({
            key: p.name,
            label: (
              <span>
                {t(`send.param.${p.name}` as "send.param.DialogId", { defaultValue: p.name })}
                <Typography.Text type="secondary" style={{ display: "block", fontSize: 12 }}>
                  {p.name}
                </Typography.Text>
              </span>
            ),
            children: <ParamValue param={p} />,
          }))}
        />
      </Card>
      <StepFooter
        left={
          <Button size="large" onClick={() => dispatch({ type: "goto", step: "settings" })}>
            {t("common.back")}
          </Button>
        }
        right={
          <Button
            type="primary"
            size="large"
            icon={<SendOutlined />}
            disabled={plan.people === 0}
            onClick={() => setConfirming(true)}
            data-testid="send-button"
          >
            {t("send.send")}
          </Button>
        }
      />
      <Modal
        open={confirming}
        title={t("send.confirmTitle")}
        onCancel={() => setConfirming(false)}
        onOk={() => void start()}
        okText={t("send.confirmOk")}
        cancelText={t("common.cancel")}
        confirmLoading={sending}
        okButtonProps={testId("confirm-send")}
        destroyOnHidden
      >
        <Typography.Paragraph strong style={{ fontSize: 16 }} data-testid="confirm-text">
          {t("send.confirmText", { count: plan.people })}
        </Typography.Paragraph>
        <Typography.Paragraph type="secondary">
          {t("send.confirmDetail", { batches: plan.batches, task: task.taskName })}
        </Typography.Paragraph>
        {plan.demo && <Alert type="warning" showIcon title={t("demo.banner")} />}
        {task.scheduleTimeMs !== null && (
          <Typography.Paragraph>
            {t("send.confirmScheduled", {
              time: describeTime(task.scheduleTimeMs, lang),
            })}
          </Typography.Paragraph>
        )}
      </Modal>
    </Space>
  );
}

interface Live {
  summary: CampaignSummary | null;
  batches: BatchOverview[];
  etaSeconds: number | null;
  retries: Map<number, RetryNotice & { at: number }>;
  runError: UserError | null;
}

function applyEvent(live: Live, event: EngineEvent): Live {
  const s = live.summary;
  switch (event.type) {
    case "started":
    case "progress":
      return {
        ...live,
        etaSeconds: event.etaSeconds,
        summary: s
          ? {
              ...s,
              batches: event.counts,
              sentNumbers: event.sentNumbers,
              totalNumbers: event.totalNumbers,
              state: event.type === "started" ? "running" : s.state,
            }
          : s,
      };
    case "batch": {
      const retries = new Map(live.retries);
      if (event.state !== "sending") retries.delete(event.index);
      return {
        ...live,
        retries,
        batches: live.batches.map((b) =>
          b.index === event.index
            ? {
                ...b,
                state: event.state,
                attempts: Math.max(b.attempts, event.attempt),
                taskId: event.taskId ?? b.taskId,
                errorCode: event.errorCode,
                problem: event.problem,
              }
            : b,
        ),
      };
    }
    case "retrying": {
      const retries = new Map(live.retries);
      retries.set(event.index, { ...event, at: Date.now() });
      return { ...live, retries };
    }
    case "campaign":
      return {
        ...live,
        // A pending retry will not happen once the run is no longer running.
        retries: event.state === "running" ? live.retries : new Map(),
        summary: s ? { ...s, state: event.state, reason: event.reason } : s,
      };
  }
}

/** How long engine events are gathered before the page shows them. */
const EVENT_FLUSH_MS = 100;

const emptyCounts: BatchCounts = {
  planned: 0,
  sending: 0,
  sent: 0,
  rejected: 0,
  unknown: 0,
  cancelled: 0,
};

/** The live view of one campaign: events from Rust on top of what the journal says. */
export function CampaignProgress({ id }: { id: number }) {
  const { t } = useTranslation();
  const { lang, loc } = useSession();
  const { dispatch } = useWizard();
  const { modal } = App.useApp();
  const showError = useShowError();
  const [resumeCampaign, resumeDialog] = useResumeCampaign();
  const [live, setLive] = useState<Live>({
    summary: null,
    batches: [],
    etaSeconds: null,
    retries: new Map(),
    runError: null,
  });
  const [loadError, setLoadError] = useState<IpcError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const reloadSeq = useRef(0);
  // The batch list is the heaviest part of the page: it is drawn in the frame after the
  // progress, so opening a big campaign never holds the window for both at once.
  const [listShown, setListShown] = useState(false);
  const hasSummary = live.summary !== null;
  useEffect(() => {
    if (!hasSummary || listShown) return;
    const timer = setTimeout(() => startTransition(() => setListShown(true)), 0);
    return () => clearTimeout(timer);
  }, [hasSummary, listShown]);

  const reload = useCallback(async () => {
    const seq = ++reloadSeq.current;
    try {
      const [all, batches] = await Promise.all([
        call(() => commands.listCampaigns()),
        call(() => commands.campaignBatches(id)),
      ]);
      if (seq !== reloadSeq.current) return;
      const summary = all.find((c) => c.id === id) ?? null;
      // A campaign's first full render (every batch) is a transition like its events.
      startTransition(() => setLive((l) => ({ ...l, summary, batches })));
      setLoadError(null);
    } catch (err) {
      if (seq === reloadSeq.current) setLoadError(toIpcError(err));
    }
  }, [id]);

  // Listen first, then read the journal, so nothing between the two is missed.
  useEffect(() => {
    let disposed = false;
    const unlisteners: Array<() => void> = [];
    // A big campaign sends several events a batch, dozens a second: each one re-rendering
    // the page made the window stutter. They are applied together, a few times a second,
    // as a transition React can interrupt for input.
    let pending: EngineEvent[] = [];
    let flushTimer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      flushTimer = undefined;
      const batch = pending;
      pending = [];
      if (disposed) return;
      startTransition(() => setLive((l) => batch.reduce(applyEvent, l)));
      // The journal is read after the events it follows, so older events never land on
      // top of what it says once the run has stopped.
      if (batch.some((e) => e.type === "campaign" && e.state !== "running")) void reload();
    };
    // Unlistening is asynchronous in Tauri 2 and fails once the IPC is gone (the window
    // closing, a test's teardown): there is nothing left to stop then, so it is not an error.
    const stop = (fn: () => void) =>
      void Promise.resolve()
        .then(fn)
        .catch(() => undefined);
    const keep = (p: Promise<() => void>) =>
      p.then(
        (fn) => (disposed ? stop(fn) : unlisteners.push(fn)),
        () => undefined,
      );
    const subscribed = Promise.all([
      keep(
        listen<EngineEvent>(events.campaign, (e) => {
          if (e.payload.campaignId !== id) return;
          pending.push(e.payload);
          flushTimer ??= setTimeout(flush, EVENT_FLUSH_MS);
        }),
      ),
      keep(
        listen<CampaignError>(events.campaignError, (e) => {
          if (e.payload.campaignId !== id) return;
          setLive((l) => ({ ...l, runError: e.payload.error }));
          void reload();
        }),
      ),
    ]);
    void subscribed.then(() => {
      if (!disposed) void reload();
    });
    return () => {
      disposed = true;
      clearTimeout(flushTimer);
      unlisteners.forEach(stop);
    };
  }, [id, reload]);

  const act = async (name: string, run: () => Promise<unknown>) => {
    setBusy(name);
    try {
      await run();
      setLive((l) => ({ ...l, runError: null }));
    } catch (err) {
      showError(err);
    } finally {
      setBusy(null);
      void reload();
    }
  };

  const { summary, batches, etaSeconds, retries, runError } = live;
  if (!summary) {
    return (
      <Card data-testid="step-send">
        {loadError ? (
          <Alert
            type="error"
            showIcon
            title={loadError.text(lang).message}
            description={loadError.text(lang).hint}
          />
        ) : (
          <Spin description={t("send.loadingCampaign")}>
            <div style={{ height: 160 }} />
          </Spin>
        )}
      </Card>
    );
  }

  const counts = summary.batches ?? emptyCounts;
  const percent =
    summary.totalNumbers > 0 ? Math.floor((summary.sentNumbers / summary.totalNumbers) * 100) : 0;
  const st = summary.state;
  const undecided = batches.filter((b) => b.state === "unknown" && b.decision === null);
  const unknownPeople = undecided.reduce((n, b) => n + b.people, 0);
  const canPause = st === "running";
  const canResume =
    (st === "paused" || st === "stopped" || st === "ready") && undecided.length === 0;
  const canCancel = st === "running" || st === "paused" || st === "ready" || st === "stopped";

  const cancel = () =>
    modal.confirm({
      title: t("send.cancelTitle"),
      content: t("send.cancelContent"),
      okText: t("send.cancelOk"),
      okButtonProps: { danger: true, ...testId("confirm-cancel") },
      cancelText: t("send.keepSending"),
      onOk: () => act("cancel", () => call(() => commands.cancelCampaign(id))),
    });

  const decide = (index: number | null, resend: boolean) =>
    modal.confirm({
      title: resend ? t("send.unknown.resendTitle") : t("send.unknown.markTitle"),
      content: resend ? t("send.unknown.resendContent") : t("send.unknown.markContent"),
      okText: resend ? t("send.unknown.resend") : t("send.unknown.markSent"),
      okButtonProps: { danger: resend, ...testId("confirm-decision") },
      cancelText: t("common.cancel"),
      onOk: () =>
        act(resend ? "resend" : "mark", async () => {
          await call(() => commands.decideUnknown(id, index, resend));
          if (resend) await resumeCampaign(id);
        }),
    });

  const eta =
    etaSeconds === null || st !== "running"
      ? null
      : etaSeconds < 60
        ? t("send.etaSeconds", { count: Math.max(1, Math.round(etaSeconds)) })
        : t("send.etaMinutes", { count: Math.round(etaSeconds / 60) });

  const retryText = (r: RetryNotice) => {
    const limited = r.kind === "throttled";
    return t(limited ? "send.retryLimited" : "send.retryFailed", {
      batch: r.index + 1,
      seconds: Math.max(1, Math.round(r.delayMs / 1000)),
      attempt: r.attempt,
      code: r.code,
    });
  };

  return (
    <Space orientation="vertical" size="large" style={{ width: "100%" }} data-testid="step-send">
      <Card>
        <Space orientation="vertical" style={{ width: "100%" }} size="middle">
          <Space wrap style={{ justifyContent: "space-between", width: "100%" }}>
            <Space>
              <Typography.Title level={4} style={{ margin: 0 }}>
                {summary.taskName}
              </Typography.Title>
              <Tag color={CAMPAIGN_COLOR[st]} data-testid="send-state" data-state={st}>
                {t(`campaignState.${st}`)} ({st})
              </Tag>
            </Space>
            <Space>
              {canPause && (
                <Button
                  loading={busy === "pause"}
                  onClick={() => void act("pause", () => call(() => commands.pauseCampaign(id)))}
                  data-testid="pause-button"
                >
                  {t("send.pause")}
                </Button>
              )}
              {canResume && (
                <Button
                  type="primary"
                  loading={busy === "resume"}
                  onClick={() => void act("resume", () => resumeCampaign(id))}
                  data-testid="resume-button"
                >
                  {t("send.resume")}
                </Button>
              )}
              {canCancel && (
                <Button
                  danger
                  loading={busy === "cancel"}
                  onClick={cancel}
                  data-testid="cancel-button"
                >
                  {t("send.cancel")}
                </Button>
              )}
            </Space>
          </Space>
          <Progress
            percent={percent}
            status={st === "running" ? "active" : st === "finished" ? "success" : "normal"}
            data-testid="send-progress"
            format={() => `${summary.sentNumbers} / ${summary.totalNumbers}`}
          />
          <Typography.Text type="secondary" data-testid="send-eta">
            {t("send.sentOf", { sent: summary.sentNumbers, total: summary.totalNumbers })}
            {eta && ` · ${eta}`}
          </Typography.Text>
          <Row gutter={[12, 12]}>
            {(Object.keys(emptyCounts) as BatchState[]).map((k) => (
              <Col key={k} xs={8} md={4}>
                <Statistic
                  title={t(`batchState.${k}`)}
                  value={counts[k]}
                  data-testid={`batches-${k}`}
                />
              </Col>
            ))}
          </Row>
        </Space>
      </Card>

      {[...retries.values()].map((r) => (
        <Alert key={r.index} type="info" showIcon data-testid="retry-notice" title={retryText(r)} />
      ))}
      {summary.reason && st !== "running" && (
        <Alert
          type={st === "stopped" ? "error" : "warning"}
          showIcon
          title={loc(summary.reason.message)}
          description={loc(summary.reason.hint)}
          data-testid="send-reason"
        />
      )}
      {runError && (
        <Alert
          type="error"
          showIcon
          closable
          title={loc(runError.message)}
          description={loc(runError.hint)}
          data-testid="send-run-error"
        />
      )}

      {undecided.length > 0 && (
        <Card className="decision-card" data-testid="unknown-decision">
          <Space orientation="vertical" size="middle" style={{ width: "100%" }}>
            <Typography.Title level={5} style={{ margin: 0 }}>
              <ExclamationCircleOutlined style={{ color: "#d46b08" }} />{" "}
              {t("send.unknown.title", { batches: undecided.length, people: unknownPeople })}
            </Typography.Title>
            <Typography.Paragraph style={{ margin: 0 }}>
              {t("send.unknown.what")}
            </Typography.Paragraph>
            <Typography.Paragraph style={{ margin: 0 }} strong>
              {t("send.unknown.advice")}
            </Typography.Paragraph>
            <Space wrap>
              <Button
                danger
                loading={busy === "resend"}
                onClick={() => decide(null, true)}
                data-testid="unknown-resend"
              >
                {t("send.unknown.resendButton")}
              </Button>
              <Button
                type="primary"
                loading={busy === "mark"}
                onClick={() => decide(null, false)}
                data-testid="unknown-mark-sent"
              >
                {t("send.unknown.markSent")}
              </Button>
            </Space>
          </Space>
        </Card>
      )}

      {st === "finished" && (
        <Result
          status="success"
          title={t("send.finishedTitle")}
          subTitle={t("send.finishedText", {
            sent: summary.sentNumbers,
            total: summary.totalNumbers,
            batches: counts.sent,
          })}
          data-testid="send-finished"
          extra={[
            <Button
              key="history"
              type="primary"
              onClick={() => dispatch({ type: "goto", step: "results" })}
              data-testid="to-history"
            >
              {t("send.toHistory")}
            </Button>,
            <Button
              key="new"
              onClick={() => {
                dispatch({ type: "campaign", id: null });
                dispatch({ type: "goto", step: "import" });
              }}
            >
              {t("send.newCampaign")}
            </Button>,
          ]}
        />
      )}
      {st === "cancelled" && (
        <Result
          status="info"
          title={t("send.cancelledTitle")}
          subTitle={t("send.finishedText", {
            sent: summary.sentNumbers,
            total: summary.totalNumbers,
            batches: counts.sent,
          })}
          extra={
            <Button type="primary" onClick={() => dispatch({ type: "goto", step: "results" })}>
              {t("send.toHistory")}
            </Button>
          }
        />
      )}

      <Card title={t("send.batchList")}>
        {listShown ? (
          <BatchTable batches={batches} retries={retries} onDecide={decide} />
        ) : (
          <Skeleton active paragraph={{ rows: 4 }} />
        )}
      </Card>
      {resumeDialog}
    </Space>
  );
}

export function BatchTable({
  batches,
  retries,
  onDecide,
}: {
  batches: BatchOverview[];
  retries?: Map<number, RetryNotice>;
  onDecide?: (index: number, resend: boolean) => void;
}) {
  const { t } = useTranslation();
  const { loc } = useSession();
  return (
    // Scrolls sideways in its box rather than with the table's `scroll.x`, which measures
    // every column with a forced layout each time the page opens.
    <div className="table-scroll">
      <Table<BatchOverview>
        size="small"
        rowKey="index"
        dataSource={batches}
        pagination={batches.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        locale={{ emptyText: <Empty description={t("send.noBatches")} /> }}
        data-testid="batch-table"
        columns={[
          { title: "#", key: "index", width: 56, render: (_, b) => b.index + 1 },
          { title: t("send.col.taskName"), dataIndex: "taskName" },
          {
            title: t("send.col.numbers"),
            key: "numbers",
            render: (_, b) => b.people,
          },
          {
            title: t("send.col.state"),
            key: "state",
            render: (_, b) => (
              <Space size={4}>
                <Tag color={BATCH_COLOR[b.state]} data-testid="batch-state">
                  {t(`batchState.${b.state}`)}
                </Tag>
                {retries?.has(b.index) && <Tag color="blue">{t("send.retrying")}</Tag>}
                {b.decision && (
                  <Tag>
                    {b.decision === "resent" ? t("send.decisionResent") : t("send.decisionMarked")}
                  </Tag>
                )}
              </Space>
            ),
          },
          {
            title: "TaskId",
            key: "taskId",
            render: (_, b) => (
              <Typography.Text copyable={!!b.taskId} data-testid="batch-task-id">
                {b.taskId ?? "—"}
              </Typography.Text>
            ),
          },
          { title: t("send.col.attempts"), dataIndex: "attempts", width: 80 },
          {
            title: t("send.col.problem"),
            key: "problem",
            render: (_, b) =>
              b.problem ? (
                <Space orientation="vertical" size={0}>
                  <Typography.Text type="danger">{loc(b.problem.message)}</Typography.Text>
                  <Typography.Text type="secondary">{loc(b.problem.hint)}</Typography.Text>
                  {b.state === "unknown" && b.decision === null && onDecide && (
                    <Space size={4}>
                      <Button size="small" danger onClick={() => onDecide(b.index, true)}>
                        {t("send.unknown.resend")}
                      </Button>
                      <Button size="small" onClick={() => onDecide(b.index, false)}>
                        {t("send.unknown.markSent")}
                      </Button>
                    </Space>
                  )}
                </Space>
              ) : (
                "—"
              ),
          },
        ]}
      />
    </div>
  );
}
