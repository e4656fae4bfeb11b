import { Button, Checkbox, Form, Input, InputNumber, Space, Typography } from "antd";
import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import type { CallingRules } from "../bindings";

/** One calling window as the form edits it ("09:00" to "12:00", China time). */
export interface RangeDraft {
  start: string;
  end: string;
}

/** The calling rules as the settings form holds them: the ranges as a list of rows. */
export interface CallingDraft {
  days: number[];
  ranges: RangeDraft[];
  maxAnsweredPerDay: number;
  maxAttemptsPerDay: number;
  stopMarginMinutes: number;
}

/** "09:00-12:00,14:00-21:00" → rows; Rust wrote it, so it is well formed. */
export function rangesToDraft(ranges: string): RangeDraft[] {
  return ranges
    .split(",")
    .map((r) => r.trim())
    .filter((r) => r.length > 0)
    .map((r) => {
      const [start = "", end = ""] = r.split("-").map((p) => p.trim());
      return { start, end };
    });
}

/** Rows → the text Rust parses and checks (bad times come back as `settings.bad_value`). */
export function draftToRanges(ranges: RangeDraft[]): string {
  return ranges
    .filter((r) => r.start.trim() !== "" || r.end.trim() !== "")
    .map((r) => `${r.start.trim()}-${r.end.trim()}`)
    .join(",");
}

export function toDraft(rules: CallingRules): CallingDraft {
  return {
    days: rules.hours.days,
    ranges: rangesToDraft(rules.hours.ranges),
    maxAnsweredPerDay: rules.maxAnsweredPerDay,
    maxAttemptsPerDay: rules.maxAttemptsPerDay,
    stopMarginMinutes: rules.stopMarginMinutes,
  };
}

export function fromDraft(draft: CallingDraft): CallingRules {
  return {
    hours: { days: [...draft.days].sort((a, b) => a - b), ranges: draftToRanges(draft.ranges) },
    maxAnsweredPerDay: draft.maxAnsweredPerDay,
    maxAttemptsPerDay: draft.maxAttemptsPerDay,
    stopMarginMinutes: draft.stopMarginMinutes,
  };
}

const DAYS = [1, 2, 3, 4, 5, 6, 7] as const;
const CLOCK = /^([01]?\d|2[0-4]):[0-5]\d$/;

/** The "呼叫规则" part of the settings form, under the field name `calling`. */
export function CallingRulesFields() {
  const { t } = useTranslation();
  return (
    <div data-testid="calling-rules">
      <Typography.Paragraph type="secondary">{t("calling.intro")}</Typography.Paragraph>
      <Form.Item
        name={["calling", "days"]}
        label={t("calling.days")}
        rules={[{ type: "array", min: 1, message: t("calling.daysRequired") }]}
      >
        <Checkbox.Group
          options={DAYS.map((d) => ({ label: t(`calling.day.d${d}`), value: d }))}
          data-testid="calling-days"
        />
      </Form.Item>
      <Form.Item label={t("calling.ranges")} extra={t("calling.rangesHelp")} required>
        <Form.List name={["calling", "ranges"]}>
          {(fields, { add, remove }) => (
            <Space orientation="vertical" style={{ width: "100%" }} data-testid="calling-ranges">
              {fields.map((field, i) => (
                <Space key={field.key} align="baseline" data-testid="calling-range">
                  <Form.Item
                    name={[field.name, "start"]}
                    noStyle
                    rules={[{ pattern: CLOCK, message: t("calling.badClock") }]}
                  >
                    <Input
                      style={{ width: 90 }}
                      placeholder="09:00"
                      aria-label={t("calling.rangeStart", { n: i + 1 })}
                      data-testid="range-start"
                    />
                  </Form.Item>
                  <span>–</span>
                  <Form.Item
                    name={[field.name, "end"]}
                    noStyle
                    rules={[{ pattern: CLOCK, message: t("calling.badClock") }]}
                  >
                    <Input
                      style={{ width: 90 }}
                      placeholder="21:00"
                      aria-label={t("calling.rangeEnd", { n: i + 1 })}
                      data-testid="range-end"
                    />
                  </Form.Item>
                  <Button
                    type="text"
                    icon={<DeleteOutlined />}
                    disabled={fields.length <= 1}
                    onClick={() => remove(field.name)}
                    aria-label={t("calling.removeRange")}
                    data-testid="range-remove"
                  />
                </Space>
              ))}
              <Button
                icon={<PlusOutlined />}
                onClick={() => add({ start: "", end: "" })}
                data-testid="range-add"
              >
                {t("calling.addRange")}
              </Button>
            </Space>
          )}
        </Form.List>
      </Form.Item>
      <Space size="large" wrap>
        <Form.Item
          name={["calling", "maxAnsweredPerDay"]}
          label={t("calling.maxAnswered")}
          tooltip={t("calling.maxAnsweredHelp")}
        >
          <InputNumber min={1} max={20} data-testid="calling-max-answered" />
        </Form.Item>
        <Form.Item
          name={["calling", "maxAttemptsPerDay"]}
          label={t("calling.maxAttempts")}
          tooltip={t("calling.maxAttemptsHelp")}
        >
          <InputNumber min={1} max={20} data-testid="calling-max-attempts" />
        </Form.Item>
        <Form.Item
          name={["calling", "stopMarginMinutes"]}
          label={t("calling.stopMargin")}
          tooltip={t("calling.stopMarginHelp")}
        >
          <InputNumber min={0} max={180} data-testid="calling-stop-margin" />
        </Form.Item>
      </Space>
    </div>
  );
}
