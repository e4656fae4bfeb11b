import { useEffect, useState } from "react";
import {
  Alert,
  App,
  Button,
  Descriptions,
  Divider,
  Drawer,
  Form,
  Input,
  InputNumber,
  List,
  Popconfirm,
  Segmented,
  Select,
  Space,
  Switch,
  Tag,
  Typography,
} from "antd";
import { FolderOpenOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import {
  commands,
  type AppInfo,
  type Lang,
  type RecordingsUsage,
  type Settings,
} from "../bindings";
import { formatBytes } from "../results/callTime";
import { call, type IpcError } from "../api/errors";
import { useShowError } from "../api/feedback";
import { useSession } from "../state/session";
import { ProfileForm } from "./ProfileForm";
import { useAnnounceVerified } from "./useAnnounceVerified";
import { CheckForUpdates } from "./Updates";
import {
  CallingRulesFields,
  fromDraft,
  toDraft,
  type CallingDraft,
} from "../compliance/CallingRulesFields";

/** The settings form's values: the calling rules are edited as a draft (ranges as rows). */
type SettingsForm = Omit<Settings, "calling"> & { calling: CallingDraft };

const DEFAULT_ENDPOINT = "https://dyvmsapi.aliyuncs.com";

/** Retention choices in days; 0 stands for "keep forever" (`null` in the settings). */
const KEEP_DAYS = [0, 30, 90, 180, 365, 730];

interface Props {
  open: boolean;
  onClose: () => void;
  onLangChange: (lang: Lang) => void;
}

/** App settings, AccessKey profiles and where the app keeps its files. */
export function SettingsDrawer({ open, onClose, onLangChange }: Props) {
  const { t } = useTranslation();
  const { lang, settings, setSettings, profiles, setProfiles, demo, limits } = useSession();
  const { message } = App.useApp();
  const announceVerified = useAnnounceVerified();
  const showError = useShowError();
  const [form] = Form.useForm<SettingsForm>();
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [usage, setUsage] = useState<RecordingsUsage | null>(null);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<IpcError | null>(null);
  const [busyProfile, setBusyProfile] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [openingLogs, setOpeningLogs] = useState(false);

  // Rust opens its own log folder; the web view never hands it a path.
  const openLogs = async () => {
    setOpeningLogs(true);
    try {
      await call(() => commands.openLogFolder());
    } catch (err) {
      showError(err);
    } finally {
      setOpeningLogs(false);
    }
  };

  useEffect(() => {
    if (!open) return;
    if (settings) form.setFieldsValue({ ...settings, calling: toDraft(settings.calling) });
    call(() => commands.appInfo()).then(setInfo, () => setInfo(null));
    call(() => commands.recordingsUsage(null)).then(setUsage, () => setUsage(null));
  }, [open, settings, form]);

  const save = async (values: SettingsForm) => {
    if (!settings) return;
    setSaving(true);
    setSaveError(null);
    try {
      const saved = await call(() =>
        commands.saveSettings({
          ...settings,
          ...values,
          endpoint: values.endpoint.trim(),
          calling: fromDraft(values.calling),
        }),
      );
      setSettings(saved);
      if (saved.lang !== lang) onLangChange(saved.lang);
      void message.success(t("settings.saved"));
    } catch (err) {
      setSaveError(err as IpcError);
    } finally {
      setSaving(false);
    }
  };

  const profileAction = async (name: string, action: "verify" | "remove" | "default") => {
    setBusyProfile(`${action}:${name}`);
    try {
      if (action === "verify") {
        announceVerified(name, await call(() => commands.verifyProfile(name)));
      } else if (action === "remove") {
        setProfiles(await call(() => commands.removeProfile(name)));
      } else {
        setProfiles(await call(() => commands.setDefaultProfile(name)));
      }
      if (action !== "verify") setSettings(await call(() => commands.getSettings()));
    } catch (err) {
      showError(err);
    } finally {
      setBusyProfile(null);
    }
  };

  return (
    <Drawer
      open={open}
      onClose={() => {
        setSaveError(null);
        onClose();
      }}
      title={t("settings.title")}
      size={560}
      destroyOnHidden
      data-testid="settings-drawer"
    >
      <Typography.Title level={5}>{t("settings.sending")}</Typography.Title>
      {demo?.active && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={t("settings.demoEndpoint", { endpoint: demo.endpoint ?? "" })}
        />
      )}
      <Form<SettingsForm> form={form} layout="vertical" onFinish={(v) => void save(v)}>
        <Form.Item
          name="endpoint"
          label={t("settings.endpoint")}
          extra={t("settings.endpointHelp", { endpoint: DEFAULT_ENDPOINT })}
        >
          <Input data-testid="settings-endpoint" spellCheck={false} />
        </Form.Item>
        <Space size="large" wrap>
          <Form.Item name="batchSize" label={t("settings.batchSize")}>
            <InputNumber min={1} max={limits?.maxBatchSize} data-testid="settings-batch-size" />
          </Form.Item>
          <Form.Item name="qps" label={t("settings.qps")}>
            <InputNumber min={1} max={limits?.maxQps} />
          </Form.Item>
          <Form.Item name="concurrency" label={t("settings.concurrency")}>
            <InputNumber min={1} max={limits?.maxConcurrency} />
          </Form.Item>
        </Space>
        <Form.Item
          name="mobileOnly"
          label={t("settings.mobileOnly")}
          extra={t("settings.mobileOnlyHelp")}
          valuePropName="checked"
        >
          <Switch />
        </Form.Item>
        <Form.Item
          name="checkUpdates"
          label={t("updates.checkAtStart")}
          extra={t("updates.checkAtStartHelp")}
          valuePropName="checked"
        >
          <Switch data-testid="settings-check-updates" />
        </Form.Item>
        <Form.Item name="lang" label={t("settings.lang")}>
          <Segmented<Lang>
            options={[
              { label: "中文", value: "zh-CN" },
              { label: "English", value: "en" },
            ]}
          />
        </Form.Item>
        <Form.Item
          name="recordingKeepDays"
          label={t("resultsView.evidence.retention")}
          extra={
            <>
              <div>{t("resultsView.evidence.retentionHelp")}</div>
              {usage && (
                <div data-testid="settings-recordings-usage">
                  {t("resultsView.evidence.usage", {
                    files: usage.files,
                    size: formatBytes(usage.bytes),
                  })}
                </div>
              )}
            </>
          }
          getValueProps={(v: number | null) => ({ value: v ?? 0 })}
          normalize={(v: number) => (v === 0 ? null : v)}
        >
          <Select
            style={{ width: 200 }}
            data-testid="settings-recording-keep-days"
            options={KEEP_DAYS.map((n) => ({
              value: n,
              label:
                n === 0
                  ? t("resultsView.evidence.keepForever")
                  : t("resultsView.evidence.keepDays", { n }),
            }))}
          />
        </Form.Item>
        <Divider />
        <Typography.Title level={5}>{t("calling.title")}</Typography.Title>
        <CallingRulesFields />
        {saveError && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 16 }}
            title={saveError.text(lang).message}
            description={saveError.text(lang).hint}
            data-testid="settings-error"
          />
        )}
        <Button type="primary" htmlType="submit" loading={saving} data-testid="settings-save">
          {t("settings.save")}
        </Button>
      </Form>

      <Divider />
      <Typography.Title level={5}>{t("settings.profiles")}</Typography.Title>
      <List
        bordered
        locale={{ emptyText: t("settings.noProfiles") }}
        dataSource={profiles ?? []}
        data-testid="profile-list"
        renderItem={(p) => (
          <List.Item
            actions={[
              <Button
                key="verify"
                size="small"
                loading={busyProfile === `verify:${p.name}`}
                onClick={() => void profileAction(p.name, "verify")}
              >
                {t("settings.verify")}
              </Button>,
              <Button
                key="default"
                size="small"
                disabled={p.isDefault}
                loading={busyProfile === `default:${p.name}`}
                onClick={() => void profileAction(p.name, "default")}
              >
                {t("settings.makeDefault")}
              </Button>,
              <Popconfirm
                key="remove"
                title={t("settings.removeConfirm", { name: p.name })}
                onConfirm={() => void profileAction(p.name, "remove")}
              >
                <Button size="small" danger loading={busyProfile === `remove:${p.name}`}>
                  {t("settings.remove")}
                </Button>
              </Popconfirm>,
            ]}
          >
            <List.Item.Meta
              title={
                <Space>
                  {p.name}
                  {p.isDefault && <Tag color="blue">{t("settings.default")}</Tag>}
                </Space>
              }
              description={p.maskedAccessKeyId}
            />
          </List.Item>
        )}
      />
      <div style={{ marginTop: 16 }}>
        {adding ? (
          <ProfileForm onAdded={() => setAdding(false)} />
        ) : (
          <Button onClick={() => setAdding(true)} data-testid="settings-add-profile">
            {t("settings.addProfile")}
          </Button>
        )}
      </div>

      <Divider />
      <Typography.Title level={5}>{t("updates.settingsTitle")}</Typography.Title>
      <CheckForUpdates currentVersion={info?.version ?? null} />

      <Divider />
      <Typography.Title level={5}>{t("settings.folders")}</Typography.Title>
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={t("about.dataDir")}>
          <Typography.Text copyable data-testid="settings-data-dir">
            {info?.dataDir ?? "…"}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t("about.logDir")}>
          <Typography.Text copyable>{info?.logDir ?? "…"}</Typography.Text>
        </Descriptions.Item>
      </Descriptions>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
        {t("settings.foldersHelp")}
      </Typography.Paragraph>
      <Button
        icon={<FolderOpenOutlined />}
        loading={openingLogs}
        onClick={() => void openLogs()}
        data-testid="open-log-folder"
      >
        {t("settings.openLogs")}
      </Button>
    </Drawer>
  );
}
