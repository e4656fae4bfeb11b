import { useCallback, useRef, useState, type ReactNode } from "react";
import { DatePicker, InputNumber, Modal, Radio, Space, Typography } from "antd";
import type { Dayjs } from "dayjs";
import { useTranslation } from "react-i18next";
import { commands, type ResumeChoices, type ResumeNeeds } from "../bindings";
import { call } from "../api/errors";
import { useSession } from "../state/session";
import { chinaNowWall, chinaWallToMs, describeTime } from "../time";

type WhenChoice = "now" | "later" | "cancel";

interface Pending {
  id: number;
  needs: ResumeNeeds;
  done: (resumed: boolean) => void;
}

/**
 * Resuming a campaign, asking first what its situation needs (Rust says what: a schedule
 * that passed, a server that takes fewer numbers per request). Returns the function that
 * resumes and the dialog to render. The promise is true once the campaign was resumed or
 * its remaining batches cancelled, false when the marketer closed the dialog.
 */
export function useResumeCampaign(): [(id: number) => Promise<boolean>, ReactNode] {
  const { t } = useTranslation();
  const { lang } = useSession();
  const [pending, setPending] = useState<Pending | null>(null);
  const [when, setWhen] = useState<WhenChoice>("now");
  const [at, setAt] = useState<Dayjs | null>(null);
  // Asked only when the core suggests a smaller size, and then starts at that size.
  const [size, setSize] = useState<number>(1);
  const [busy, setBusy] = useState(false);
  const pendingRef = useRef<Pending | null>(null);

  const resume = useCallback(async (id: number): Promise<boolean> => {
    const needs = await call(() => commands.resumeNeeds(id));
    if (needs.schedulePassedAt === null && needs.suggestedBatchSize === null) {
      await call(() => commands.resumeCampaign(id, null));
      return true;
    }
    return new Promise<boolean>((done) => {
      setWhen("now");
      setAt(null);
      setSize(needs.suggestedBatchSize ?? 1);
      const next = { id, needs, done };
      pendingRef.current = next;
      setPending(next);
    });
  }, []);

  const close = (resumed: boolean) => {
    pendingRef.current?.done(resumed);
    pendingRef.current = null;
    setPending(null);
  };

  const confirm = async () => {
    if (!pending) return;
    setBusy(true);
    try {
      if (pending.needs.schedulePassedAt !== null && when === "cancel") {
        await call(() => commands.cancelUnsent(pending.id));
      } else {
        const choices: ResumeChoices = {
          unknown: null,
          reschedule:
            pending.needs.schedulePassedAt === null
              ? null
              : when === "later" && at
                ? { kind: "at", ms: chinaWallToMs(at) }
                : { kind: "now" },
          batchSize: pending.needs.suggestedBatchSize === null ? null : size,
        };
        await call(() => commands.resumeCampaign(pending.id, choices));
      }
      close(true);
    } catch (err) {
      // The caller shows why; the campaign stays as it was.
      pending.done(false);
      pendingRef.current = null;
      setPending(null);
      throw err;
    } finally {
      setBusy(false);
    }
  };

  const needs = pending?.needs;
  const dialog = (
    <Modal
      open={pending !== null}
      title={t("resumeChoice.title")}
      okText={when === "cancel" ? t("resumeChoice.okCancel") : t("resumeChoice.ok")}
      okButtonProps={{
        danger: when === "cancel",
        disabled: when === "later" && at === null,
        ...{ "data-testid": "resume-choice-ok" },
      }}
      cancelText={t("common.cancel")}
      confirmLoading={busy}
      onOk={() => void confirm().catch(() => undefined)}
      onCancel={() => close(false)}
      destroyOnHidden
    >
      {needs && needs.schedulePassedAt !== null && (
        <Space
          orientation="vertical"
          style={{ width: "100%" }}
          data-testid="resume-schedule-passed"
        >
          <Typography.Paragraph>
            {t("resumeChoice.schedulePassed", {
              time: describeTime(needs.schedulePassedAt, lang),
              batches: needs.unsentBatches,
              people: needs.unsentPeople,
            })}
          </Typography.Paragraph>
          <Radio.Group value={when} onChange={(e) => setWhen(e.target.value as WhenChoice)}>
            <Space orientation="vertical">
              <Radio value="now" data-testid="resume-now">
                {t("resumeChoice.now")}
              </Radio>
              <Radio value="later" data-testid="resume-later">
                {t("resumeChoice.later")}
              </Radio>
              {when === "later" && (
                <DatePicker
                  showTime={{ format: "HH:mm" }}
                  format="YYYY-MM-DD HH:mm"
                  value={at}
                  onChange={setAt}
                  placeholder={t("resumeChoice.pickTime")}
                  disabledDate={(d) => d.isBefore(chinaNowWall(), "day")}
                  data-testid="resume-time"
                />
              )}
              <Radio value="cancel" data-testid="resume-cancel-rest">
                {t("resumeChoice.cancel")}
              </Radio>
            </Space>
          </Radio.Group>
        </Space>
      )}
      {needs && needs.suggestedBatchSize !== null && when !== "cancel" && (
        <Typography.Paragraph data-testid="resume-callee-limit">
          {t("resumeChoice.calleeLimit", { people: needs.unsentPeople })}{" "}
          <InputNumber
            min={1}
            max={Math.max(1, needs.largestUnsent - 1)}
            value={size}
            onChange={(v) => setSize(v ?? 1)}
            data-testid="resume-batch-size"
          />{" "}
          {t("resumeChoice.calleeLimitUnit")}
        </Typography.Paragraph>
      )}
    </Modal>
  );
  return [resume, dialog];
}
