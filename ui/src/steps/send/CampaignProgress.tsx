import { startTransition, useEffect, useState } from "react";
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Progress,
  Result,
  Row,
  Space,
  Spin,
  Statistic,
  Skeleton,
  Tag,
  Typography,
  type ButtonProps,
} from "antd";
import { ClockCircleOutlined, ExclamationCircleOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { commands, type BatchState, type RetryNotice } from "../../bindings";
import { call } from "../../api/errors";
import { useShowError } from "../../api/feedback";
import { useSession } from "../../state/session";
import { useWizard } from "../../state/wizard";
import { useCampaignActions } from "../../state/campaignActions";
import { useResumeCampaign } from "../../components/ResumeDialog";
import { BatchTable } from "./BatchTable";
import { emptyCounts } from "./liveCampaign";
import { CAMPAIGN_COLOR } from "../../stateColors";
import { useLiveCampaign } from "./useLiveCampaign";
import { describeTime } from "../../time";

const testId = (id: string) => ({ "data-testid": id }) as ButtonProps;

/** The live view of one campaign: events from Rust on top of what the journal says. */
export function CampaignProgress({ id }: { id: number }) {
  const { t } = useTranslation();
  const { lang, loc } = useSession();
  const { dispatch } = useWizard();
  const { modal } = App.useApp();
  const showError = useShowError();
  const actionsOf = useCampaignActions();
  const [resumeCampaign, resumeDialog] = useResumeCampaign();
  const { live, setLive, loadError, reload } = useLiveCampaign(id);
  const [busy, setBusy] = useState<string | null>(null);
  // The batch list is the heaviest part of the page: it is drawn in the frame after the
  // progress, so opening a big campaign never holds the window for both at once.
  const [listShown, setListShown] = useState(false);
  const hasSummary = live.summary !== null;
  useEffect(() => {
    if (!hasSummary || listShown) return;
    const timer = setTimeout(() => startTransition(() => setListShown(true)), 0);
    return () => clearTimeout(timer);
  }, [hasSummary, listShown]);

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
  const undecided = batches.filter((b) => b.state === "unknown");
  const unknownPeople = undecided.reduce((n, b) => n + b.people, 0);
  const allowed = actionsOf(st, undecided.length > 0);

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
                {t(`campaignState.${st}`)}
              </Tag>
            </Space>
            <Space>
              {allowed.pause && (
                <Button
                  loading={busy === "pause"}
                  onClick={() => void act("pause", () => call(() => commands.pauseCampaign(id)))}
                  data-testid="pause-button"
                >
                  {t("send.pause")}
                </Button>
              )}
              {allowed.resume && (
                <Button
                  type="primary"
                  loading={busy === "resume"}
                  onClick={() => void act("resume", () => resumeCampaign(id))}
                  data-testid="resume-button"
                >
                  {t("send.resume")}
                </Button>
              )}
              {allowed.cancel && (
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
          <Typography.Text type="secondary" data-testid="send-created">
            {t("history.created", { time: describeTime(summary.createdAtMs, lang) })}
          </Typography.Text>
          <Typography.Text type="secondary" data-testid="send-eta">
            {t("send.sentOf", { sent: summary.sentNumbers, total: summary.totalNumbers })}
            {eta && ` · ${eta}`}
          </Typography.Text>
          {/* These count batches, not people: the line above counts people. */}
          <Typography.Text strong data-testid="batch-counts-title">
            {t("send.batchCounts", {
              count: Object.values(counts).reduce((n, c) => n + c, 0),
            })}
          </Typography.Text>
          <Row gutter={[12, 12]}>
            {(Object.keys(emptyCounts) as BatchState[]).map((k) => (
              <Col key={k} xs={8} md={4}>
                <Statistic
                  className="nowrap-title"
                  title={t("send.batchesIn", { state: t(`batchState.${k}`) })}
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
      {summary.reason &&
        st === "running" &&
        summary.reason.code === "campaign.waiting_for_hours" && (
          <Alert
            type="info"
            showIcon
            icon={<ClockCircleOutlined />}
            title={t("send.waitingForHours")}
            description={
              <>
                <div>{loc(summary.reason.message)}</div>
                <Typography.Text type="secondary">{loc(summary.reason.hint)}</Typography.Text>
              </>
            }
            data-testid="send-waiting"
          />
        )}
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
