import { useEffect, useState } from "react";
import { App, Button, Input, Modal, Popconfirm, Select, Space, Typography } from "antd";
import { DeleteOutlined, SaveOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { commands, type TaskTemplate, type TaskTemplates } from "../bindings";
import { call, type IpcError } from "../api/errors";
import { useShowError } from "../api/feedback";
import { useSession } from "../state/session";

const LAST_USED = "\u0000lastUsed";

/** A template from what the form holds (the name and the schedule are per campaign). */
export function templateOf(values: {
  dialogId?: string;
  callerNumbers?: string[];
  corpName?: string;
  isSelfLine?: boolean;
  earlyMediaAsr?: boolean;
}): TaskTemplate {
  const corp = (values.corpName ?? "").trim();
  return {
    dialogId: (values.dialogId ?? "").trim(),
    callerNumbers: (values.callerNumbers ?? []).map((n) => n.trim()).filter((n) => n.length > 0),
    corpName: corp.length > 0 ? corp : null,
    isSelfLine: values.isSelfLine ?? false,
    earlyMediaAsr: values.earlyMediaAsr ?? false,
  };
}

interface Props {
  /** Applies a template to the form. */
  onApply: (template: TaskTemplate) => void;
  /** The form's current values, to save as a template. */
  current: () => TaskTemplate;
  /** Called once with the last used settings when the form starts empty. */
  onLastUsed?: (template: TaskTemplate) => void;
}

/** The template picker and "保存为模板" of the task step. */
export function TaskTemplatesBar({ onApply, current, onLastUsed }: Props) {
  const { t } = useTranslation();
  const { lang } = useSession();
  const { message } = App.useApp();
  const showError = useShowError();
  const [templates, setTemplates] = useState<TaskTemplates | null>(null);
  const [picked, setPicked] = useState<string | null>(null);
  const [saving, setSaving] = useState<{ name: string; error: IpcError | null } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let cancelled = false;
    call(() => commands.taskTemplates()).then(
      (list) => {
        if (cancelled) return;
        setTemplates(list);
        if (list.lastUsed && onLastUsed) onLastUsed(list.lastUsed);
      },
      // Templates are a convenience: without them the form works as before.
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
    // Once per visit of the step.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const names = Object.keys(templates?.named ?? {}).sort();
  const options = [
    ...(templates?.lastUsed ? [{ value: LAST_USED, label: t("templates.lastUsed") }] : []),
    ...names.map((n) => ({ value: n, label: n })),
  ];

  const pick = (value: string) => {
    setPicked(value);
    const template = value === LAST_USED ? templates?.lastUsed : templates?.named[value];
    if (template) onApply(template);
  };

  const save = async () => {
    if (!saving) return;
    setBusy(true);
    try {
      const name = saving.name.trim();
      const next = await call(() => commands.saveTaskTemplate(name, current()));
      setTemplates(next);
      setPicked(name);
      setSaving(null);
      void message.success(t("templates.saved", { name }));
    } catch (err) {
      setSaving((s) => (s ? { ...s, error: err as IpcError } : s));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (name: string) => {
    try {
      setTemplates(await call(() => commands.removeTaskTemplate(name)));
      setPicked(null);
    } catch (err) {
      showError(err);
    }
  };

  return (
    <Space wrap style={{ marginBottom: 16 }} data-testid="task-templates">
      <Typography.Text>{t("templates.label")}</Typography.Text>
      <Select
        style={{ minWidth: 220 }}
        placeholder={options.length > 0 ? t("templates.pick") : t("templates.none")}
        disabled={options.length === 0}
        value={picked}
        onChange={pick}
        options={options}
        aria-label={t("templates.label")}
        data-testid="template-picker"
      />
      {picked !== null && picked !== LAST_USED && (
        <Popconfirm
          title={t("templates.removeConfirm", { name: picked })}
          onConfirm={() => void remove(picked)}
          okText={t("templates.remove")}
          cancelText={t("common.cancel")}
        >
          <Button icon={<DeleteOutlined />} aria-label={t("templates.remove")} />
        </Popconfirm>
      )}
      <Button
        icon={<SaveOutlined />}
        onClick={() => setSaving({ name: "", error: null })}
        data-testid="template-save"
      >
        {t("templates.saveAs")}
      </Button>
      <Modal
        open={saving !== null}
        title={t("templates.saveTitle")}
        okText={t("common.save")}
        cancelText={t("common.cancel")}
        confirmLoading={busy}
        okButtonProps={{ disabled: !saving?.name.trim() }}
        onOk={() => void save()}
        onCancel={() => setSaving(null)}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t("templates.saveHelp")}</Typography.Paragraph>
        <Input
          autoFocus
          value={saving?.name ?? ""}
          onChange={(e) => setSaving((s) => (s ? { name: e.target.value, error: null } : s))}
          onPressEnter={() => void save()}
          placeholder={t("templates.namePlaceholder")}
          status={saving?.error ? "error" : undefined}
          maxLength={40}
          data-testid="template-name"
        />
        {saving?.error && (
          <Typography.Text type="danger" data-testid="template-error">
            {saving.error.text(lang).message} {saving.error.text(lang).hint}
          </Typography.Text>
        )}
      </Modal>
    </Space>
  );
}
