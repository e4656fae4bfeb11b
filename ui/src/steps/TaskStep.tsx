import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import {
  Alert,
  AutoComplete,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  Radio,
  Select,
  Space,
  Switch,
  Tag,
  Typography,
} from "antd";
import { ReloadOutlined } from "@ant-design/icons";
import { type Dayjs } from "dayjs";
import { useTranslation } from "react-i18next";
import { commands, type RequestProblem, type RobotChoice, type TaskTemplate } from "../bindings";
import { call, type IpcError } from "../api/errors";
import { useShowError } from "../api/feedback";
import { useSession } from "../state/session";
import { toTaskSettings, useWizard, type TaskDraft } from "../state/wizard";
import { StepFooter } from "./common";
import { TaskTemplatesBar, templateOf } from "./TaskTemplates";
import {
  chinaNowWall,
  chinaWallToMs,
  describeTime,
  localDiffersFromChina,
  msToChinaWall,
} from "../time";

/** The form's shape: the draft, with the schedule as a Dayjs for the picker, whose
 * wall-clock fields are China time (where the calls happen), whatever this computer's zone. */
interface FormValues extends Omit<TaskDraft, "scheduleTimeMs"> {
  scheduleTime: Dayjs | null;
}

/** Wire names of `RequestProblem.field` → the form field that shows the problem. */
export const FIELD_OF: Record<string, keyof FormValues> = {
  DialogId: "dialogId",
  CalledShowNumber: "callerNumbers",
  CorpName: "corpName",
  TaskName: "taskName",
  ScheduleTime: "scheduleTime",
};

const FORM_FIELDS = Object.values(FIELD_OF);

export const countChars = (s: string) => [...s].length;

function toValues(draft: TaskDraft): FormValues {
  const { scheduleTimeMs, ...rest } = draft;
  return { ...rest, scheduleTime: scheduleTimeMs === null ? null : msToChinaWall(scheduleTimeMs) };
}

function toDraft(values: FormValues): TaskDraft {
  const { scheduleTime, ...rest } = values;
  return { ...rest, scheduleTimeMs: scheduleTime ? chinaWallToMs(scheduleTime) : null };
}

/** Step 4: the robot, the caller numbers, names and when to call. */
export function TaskStep() {
  const { t, i18n } = useTranslation();
  const { lang, loc, demo, limits } = useSession();
  const { state, dispatch } = useWizard();
  const showError = useShowError();
  const [form] = Form.useForm<FormValues>();
  const [robots, setRobots] = useState<RobotChoice[] | null>(null);
  const [robotsError, setRobotsError] = useState<IpcError | null>(null);
  const [robotsLoading, setRobotsLoading] = useState(true);
  const [otherProblems, setOtherProblems] = useState<RequestProblem[]>([]);
  const [checking, setChecking] = useState(false);
  // Fields the user has touched, and whether Next was pressed: only then are problems shown,
  // so an empty form does not greet the user with red text.
  const touched = useRef(new Set<string>());
  const [showAll, setShowAll] = useState(false);
  const timer = useRef<number | null>(null);
  const initial = useMemo(() => {
    const draft = state.task;
    if (!draft.dialogId && demo?.active && demo.dialogId) {
      return toValues({ ...draft, dialogId: demo.dialogId });
    }
    return toValues(draft);
    // Only the first render's draft seeds the form; afterwards the form is the source.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const isSelfLine = Form.useWatch("isSelfLine", form);
  const scheduleMode = Form.useWatch("scheduleMode", form);
  const scheduleTime = Form.useWatch("scheduleTime", form);
  const dialogId = Form.useWatch("dialogId", form);

  const fetchRobots = useCallback(
    () =>
      call(() => commands.listRobots())
        .then(
          (list) => {
            setRobots(list);
            setRobotsError(null);
          },
          (err: IpcError) => setRobotsError(err),
        )
        .finally(() => setRobotsLoading(false)),
    [],
  );

  useEffect(() => {
    void fetchRobots();
  }, [fetchRobots]);

  const loadRobots = () => {
    setRobotsLoading(true);
    void fetchRobots();
  };

  const tFor = useCallback(
    (lng: "zh-CN" | "en") => i18n.t("task.scheduleTimeRequired", { lng }),
    [i18n],
  );

  /** Asks Rust (the one source of the rules) and puts each problem under its field. */
  const validate = useCallback(
    async (all: boolean): Promise<RequestProblem[]> => {
      const draft = toDraft(form.getFieldsValue(true) as FormValues);
      const problems = await call(() => commands.validateTask(toTaskSettings(draft)));
      // The one rule Rust cannot check: "schedule" chosen but no time picked would go out
      // as "call now" (no ScheduleTime), which is not what the user asked for.
      if (draft.scheduleMode === "later" && draft.scheduleTimeMs === null) {
        problems.push({
          code: "schedule_time.missing",
          field: "ScheduleTime",
          message: { zhCn: tFor("zh-CN"), en: tFor("en") },
        });
      }
      const byField = new Map<string, string[]>();
      const other: RequestProblem[] = [];
      for (const p of problems) {
        const field = FIELD_OF[p.field];
        if (!field) {
          other.push(p);
          continue;
        }
        byField.set(field, [...(byField.get(field) ?? []), loc(p.message)]);
      }
      form.setFields(
        FORM_FIELDS.map((name) => ({
          name,
          errors: all || touched.current.has(name) ? (byField.get(name) ?? []) : [],
        })),
      );
      setOtherProblems(other);
      return problems;
    },
    [form, loc, tFor],
  );

  const schedule = useCallback(
    (all: boolean) => {
      if (timer.current !== null) window.clearTimeout(timer.current);
      timer.current = window.setTimeout(() => {
        timer.current = null;
        validate(all).catch(() => undefined);
      }, 300);
    },
    [validate],
  );

  useEffect(
    () => () => {
      if (timer.current !== null) window.clearTimeout(timer.current);
    },
    [],
  );

  // Messages follow the language switch.
  useEffect(() => {
    if (touched.current.size > 0 || showAll) schedule(showAll);
  }, [lang, schedule, showAll]);

  const onValuesChange = (changed: Partial<FormValues>, all: FormValues) => {
    for (const key of Object.keys(changed)) {
      touched.current.add(key);
      if (key === "scheduleMode") touched.current.add("scheduleTime");
      if (key === "isSelfLine") touched.current.add("corpName");
    }
    dispatch({ type: "task", task: toDraft(all) });
    schedule(showAll);
  };

  const next = async () => {
    setShowAll(true);
    setChecking(true);
    try {
      const problems = await validate(true);
      if (problems.length === 0) {
        dispatch({ type: "task", task: toDraft(form.getFieldsValue(true) as FormValues) });
        // A new preview, not the progress of a campaign started earlier (that one stays
        // in History).
        dispatch({ type: "campaign", id: null });
        dispatch({ type: "taskChecked" });
        dispatch({ type: "goto", step: "send" });
      }
    } catch (err) {
      showError(err);
    } finally {
      setChecking(false);
    }
  };

  // Keep the demo's robot in the draft too, so Back/Next preserves it.
  useEffect(() => {
    dispatch({ type: "task", task: toDraft(form.getFieldsValue(true) as FormValues) });
  }, [dispatch, form]);

  const applyTemplate = (tpl: TaskTemplate) => {
    form.setFieldsValue({
      dialogId: tpl.dialogId,
      callerNumbers: tpl.callerNumbers,
      corpName: tpl.corpName ?? "",
      isSelfLine: tpl.isSelfLine,
      earlyMediaAsr: tpl.earlyMediaAsr,
    });
    dispatch({ type: "task", task: toDraft(form.getFieldsValue(true) as FormValues) });
    schedule(showAll);
  };

  // A blank form starts from what the last campaign was sent with; a recall's or a
  // half-filled form is left as it is.
  const startedBlank = useRef(
    !state.task.dialogId && state.task.callerNumbers.length === 0 && !state.task.corpName,
  );
  const onLastUsed = (tpl: TaskTemplate) => {
    if (!startedBlank.current || touched.current.size > 0) return;
    startedBlank.current = false;
    applyTemplate(tpl);
  };

  // Core says what each review state means and what to do about it.
  const robotOptions = (robots ?? [])
    .filter(({ robot }) => robot.id)
    .map(({ robot, audit }) => ({
      value: robot.id ?? "",
      disabled: !audit.callable,
      label: (
        <div className="robot-option" data-testid="robot-option">
          <Space wrap size={[8, 0]}>
            <span>{robot.robotName ?? robot.id}</span>
            <Typography.Text type="secondary">{robot.id}</Typography.Text>
            <Tag color={audit.callable ? "green" : "orange"}>{loc(audit.label)}</Tag>
          </Space>
          {!audit.callable && (
            <Typography.Text type="secondary" className="robot-option-advice">
              {loc(audit.advice)}
            </Typography.Text>
          )}
        </div>
      ),
    }));
  const picked = robots?.find(({ robot }) => robot.id === (dialogId ?? "").trim());
  const scheduleMs = scheduleTime ? chinaWallToMs(scheduleTime) : null;

  return (
    <Space
      orientation="vertical"
      size="large"
      style={{ width: "100%" }}
      data-testid="step-settings"
    >
      <Card>
        <TaskTemplatesBar
          onApply={applyTemplate}
          onLastUsed={onLastUsed}
          current={() => templateOf(form.getFieldsValue(true) as FormValues)}
        />
        <Form<FormValues>
          form={form}
          layout="vertical"
          initialValues={initial}
          onValuesChange={onValuesChange}
          style={{ maxWidth: 720 }}
          data-testid="task-form"
        >
          <Form.Item
            name="dialogId"
            label={t("task.dialogId")}
            required
            extra={
              robotsError ? (
                t("task.robotsFailed", { message: robotsError.text(lang).message })
              ) : picked ? (
                <span data-testid="task-robot-picked">
                  {t("task.robotPicked", {
                    name: picked.robot.robotName ?? picked.robot.id,
                    state: loc(picked.audit.label),
                  })}
                  {!picked.audit.callable && ` ${loc(picked.audit.advice)}`}
                </span>
              ) : (
                t("task.dialogIdHelp")
              )
            }
          >
            <AutoComplete options={robotOptions} style={{ width: "100%" }}>
              <Input
                data-testid="task-dialog-id"
                placeholder={t("task.dialogIdPlaceholder")}
                spellCheck={false}
                suffix={
                  <Button
                    type="text"
                    size="small"
                    icon={<ReloadOutlined />}
                    loading={robotsLoading}
                    onClick={() => void loadRobots()}
                    aria-label={t("task.reloadRobots")}
                    title={t("task.reloadRobots")}
                  />
                }
              />
            </AutoComplete>
          </Form.Item>
          <Form.Item
            name="callerNumbers"
            label={t("task.callers")}
            required
            extra={t("task.callersHelp")}
          >
            <Select
              mode="tags"
              notFoundContent={null}
              tokenSeparators={[",", ",", " ", ";", ";", "\n"]}
              placeholder={t("task.callersPlaceholder")}
              data-testid="task-callers"
            />
          </Form.Item>
          <Form.Item
            name="isSelfLine"
            label={t("task.selfLine")}
            valuePropName="checked"
            extra={t("task.selfLineHelp")}
          >
            <Switch data-testid="task-self-line" />
          </Form.Item>
          <Form.Item
            name="corpName"
            label={t("task.corpName")}
            required={!isSelfLine}
            extra={isSelfLine ? t("task.corpNameOptional") : t("task.corpNameHelp")}
          >
            <Input data-testid="task-corp-name" />
          </Form.Item>
          <Form.Item
            name="taskName"
            label={t("task.taskName")}
            required
            extra={t("task.taskNameHelp")}
          >
            <Input
              count={{ show: true, max: limits?.maxTaskNameChars, strategy: countChars }}
              data-testid="task-name"
            />
          </Form.Item>
          <Form.Item
            name="earlyMediaAsr"
            label={t("task.earlyMedia")}
            valuePropName="checked"
            extra={t("task.earlyMediaHelp")}
          >
            <Switch data-testid="task-early-media" />
          </Form.Item>
          <Form.Item name="scheduleMode" label={t("task.schedule")}>
            <Radio.Group
              options={[
                { value: "now", label: t("task.now") },
                { value: "later", label: t("task.later") },
              ]}
              data-testid="task-schedule-mode"
            />
          </Form.Item>
          {scheduleMode === "later" && (
            <Form.Item
              name="scheduleTime"
              label={t("task.scheduleTime")}
              required
              extra={
                scheduleMs !== null && localDiffersFromChina(scheduleMs) ? (
                  <span data-testid="china-time">
                    {t("task.localTime", { time: describeTime(scheduleMs, lang) })}
                  </span>
                ) : (
                  t("task.scheduleHelp")
                )
              }
            >
              <DatePicker
                showTime={{ format: "HH:mm" }}
                format="YYYY-MM-DD HH:mm"
                disabledDate={(d) => d.isBefore(chinaNowWall(), "day")}
                data-testid="task-schedule-time"
              />
            </Form.Item>
          )}
        </Form>
        {otherProblems.length > 0 && (
          <Alert
            type="error"
            showIcon
            data-testid="task-other-problems"
            title={otherProblems.map((p) => loc(p.message)).join(t("common.listSeparator"))}
          />
        )}
      </Card>
      <StepFooter
        left={
          <Button size="large" onClick={() => dispatch({ type: "goto", step: "review" })}>
            {t("common.back")}
          </Button>
        }
        right={
          <Button
            type="primary"
            size="large"
            loading={checking}
            onClick={() => void next()}
            data-testid="to-preview"
          >
            {t("common.next")}
          </Button>
        }
      />
    </Space>
  );
}
