import { useEffect, useState } from "react";
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Modal,
  Row,
  Space,
  Spin,
  Statistic,
  Switch,
  Typography,
  type ButtonProps,
} from "antd";
import { SendOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import {
  commands,
  type CampaignSummary,
  type ContactRow,
  type PlanPreview,
  type RobotChoice,
  type WireParam,
} from "../../bindings";
import { call, IpcError } from "../../api/errors";
import { useShowError } from "../../api/feedback";
import { useSession } from "../../state/session";
import { toTaskSettings, useWizard } from "../../state/wizard";
import { StepFooter } from "../common";
import { describeTime } from "../../time";

const testId = (id: string) => ({ "data-testid": id }) as ButtonProps;

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

/** What sending this task would do (people, batches, the first request), then the confirmation. */
export function SendPreview() {
  const { t } = useTranslation();
  const { lang } = useSession();
  const { state, dispatch } = useWizard();
  const showError = useShowError();
  // The plan for one exact task (by its JSON): loading while the key differs.
  const [result, setResult] = useState<{
    key: string;
    plan: PlanPreview | null;
    error: IpcError | null;
  } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [showRequest, setShowRequest] = useState(false);
  // For the summary in words: the robot's name and the first people with their values.
  // Either may be missing (no connection, a recall): the summary then says less.
  const [robots, setRobots] = useState<RobotChoice[]>([]);
  const [sample, setSample] = useState<ContactRow[]>([]);
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
  useEffect(() => {
    let cancelled = false;
    call(() => commands.listRobots()).then(
      (list) => {
        if (!cancelled) setRobots(list);
      },
      () => undefined,
    );
    call(() => commands.contactPage(0, 50, false)).then(
      (page) => {
        if (cancelled) return;
        const callable = page.rows.filter((r) => r.status === "valid" || r.status === "fixed");
        setSample(callable.slice(0, 3));
      },
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, []);
  const loading = result?.key !== taskKey;
  const plan = result?.plan ?? null;
  const error = result?.error ?? null;

  const robotName = robots.find((r) => r.robot.id === task.dialogId)?.robot.robotName ?? null;
  const variables = state.summary?.variables.map((v) => v.name) ?? [];

  const started = (summary: CampaignSummary) => {
    dispatch({ type: "campaign", id: summary.id });
  };

  const start = async () => {
    setSending(true);
    try {
      // `false`: the 24-hour duplicate guard is gone (per-number limits replace it).
      started(await call(() => commands.startCampaign(task)));
      setConfirming(false);
    } catch (err) {
      // The list, the limits and the calling hours are checked by Rust when sending:
      // their refusals (outside the hours, called meanwhile) say what to do.
      setConfirming(false);
      showError(err);
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
          </Card>
        </Col>
      </Row>
      <Card title={t("send.summaryTitle")} data-testid="preview-summary">
        <Descriptions
          column={1}
          size="small"
          styles={{ label: { width: 160 } }}
          items={[
            {
              key: "who",
              label: t("send.who"),
              children: (
                <span data-testid="preview-who">
                  {state.summary
                    ? t("send.whoFrom", {
                        count: plan.people,
                        file: state.summary.file,
                        sheet: state.summary.sheet,
                      })
                    : t("send.whoCount", { count: plan.people })}
                  {plan.batches > 1 && ` ${t("send.inBatches", { batches: plan.batches })}`}
                </span>
              ),
            },
            {
              key: "robot",
              label: t("send.robot"),
              children: (
                <span data-testid="preview-robot">
                  {robotName
                    ? t("send.robotNamed", { name: robotName, id: task.dialogId })
                    : task.dialogId}
                </span>
              ),
            },
            {
              key: "callers",
              label: t("send.callers"),
              children: task.callerNumbers.join(t("common.listSeparator")),
            },
            {
              key: "when",
              label: t("send.when"),
              children: (
                <span data-testid="preview-when">
                  {task.scheduleTimeMs !== null
                    ? describeTime(task.scheduleTimeMs, lang)
                    : t("send.whenNow")}
                </span>
              ),
            },
            {
              key: "where",
              label: t("send.endpoint"),
              children: plan.demo ? t("send.demoEndpointLong") : t("send.realEndpoint"),
            },
            {
              key: "hears",
              label: t("send.hears"),
              children: (
                <div data-testid="preview-hears">
                  {variables.length === 0 ? (
                    t("send.hearsSame")
                  ) : (
                    <>
                      <Typography.Text type="secondary">{t("send.hearsHelp")}</Typography.Text>
                      {sample.map((r) => (
                        <div key={r.row}>
                          <Typography.Text strong>{r.number ?? r.original}</Typography.Text>
                          {t("common.colon")}
                          {variables
                            .map((v, i) =>
                              t("send.hearsValue", { name: v, value: r.values[i] ?? "" }),
                            )
                            .join(t("common.listSeparator"))}
                        </div>
                      ))}
                    </>
                  )}
                </div>
              ),
            },
          ]}
        />
      </Card>
      <Space>
        <Switch
          checked={showRequest}
          onChange={setShowRequest}
          data-testid="preview-show-request"
          aria-label={t("send.showRequest")}
        />
        <span>{t("send.showRequest")}</span>
      </Space>
      {showRequest && (
        <Card title={t("send.firstBatch")}>
          <Typography.Paragraph type="secondary">
            {t("send.explain", { people: plan.people, batches: plan.batches })}
          </Typography.Paragraph>
          <Typography.Paragraph type="secondary" data-testid="preview-endpoint">
            {t("send.endpointUrl", { url: plan.endpoint })}
          </Typography.Paragraph>
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
      )}
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
