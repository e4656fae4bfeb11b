import { useEffect, useState } from "react";
import { Alert, App, Button, Modal, Space, Steps, Tag, Typography } from "antd";
import { CopyOutlined, ExportOutlined, QuestionCircleOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { commands, type RamConsolePage, type RamPolicy } from "../bindings";
import { call, type IpcError } from "../api/errors";
import { useShowError } from "../api/feedback";
import { useSession } from "../state/session";

/** Codes with which Alibaba Cloud says the RAM user lacks a permission (core `ram.rs`). */
const PERMISSION_CODES = [
  "aliyun.Forbidden.RAM",
  "aliyun.Forbidden.NoPermission",
  "aliyun.NoPermission",
  "aliyun.isp.RAM_PERMISSION_DENY",
];

export function isPermissionError(error: IpcError | null): boolean {
  return (
    !!error && PERMISSION_CODES.some((c) => error.code === c || error.code.startsWith(`${c}.`))
  );
}

/**
 * "How to get an AccessKey": create a RAM user (never the main account's key), give it the
 * least-privilege policy the core generates from the actions its client calls, and enter
 * the key. Console pages open through Rust, which only knows two fixed addresses.
 */
export function AccessKeyGuide({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowError();
  const [policy, setPolicy] = useState<RamPolicy | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const { lang } = useSession();

  useEffect(() => {
    if (!open || policy) return;
    call(() => commands.ramPolicy()).then(setPolicy, (err: IpcError) => setError(err));
  }, [open, policy]);

  const openConsole = async (page: RamConsolePage) => {
    try {
      await call(() => commands.openRamConsole(page));
    } catch (err) {
      showError(err);
    }
  };

  const copy = async () => {
    if (!policy) return;
    try {
      await navigator.clipboard.writeText(policy.document);
      void message.success(t("keyGuide.copied"));
    } catch {
      // No clipboard permission: the text stays selectable below.
    }
  };

  const name = policy?.name ?? "SmartDialOutboundCalls";
  return (
    <Modal
      open={open}
      onCancel={onClose}
      title={t("keyGuide.title")}
      width={760}
      style={{ top: 20 }}
      footer={
        <Button type="primary" onClick={onClose} data-testid="key-guide-close">
          {t("keyGuide.close")}
        </Button>
      }
      data-testid="key-guide"
    >
      <Alert type="warning" showIcon title={t("keyGuide.intro")} style={{ marginBottom: 16 }} />
      {error && (
        <Alert
          type="error"
          showIcon
          title={error.text(lang).message}
          description={error.text(lang).hint}
        />
      )}
      <Steps
        orientation="vertical"
        size="small"
        current={-1}
        items={[
          {
            title: t("keyGuide.step1Title"),
            content: (
              <Space orientation="vertical" style={{ width: "100%" }}>
                <Typography.Text>{t("keyGuide.step1")}</Typography.Text>
                <Space wrap>
                  <Button
                    size="small"
                    icon={<ExportOutlined />}
                    onClick={() => void openConsole("users")}
                    data-testid="key-guide-open-users"
                  >
                    {t("keyGuide.openUsers")}
                  </Button>
                  <Typography.Text type="secondary" copyable>
                    {policy?.usersUrl ?? ""}
                  </Typography.Text>
                </Space>
              </Space>
            ),
          },
          {
            title: t("keyGuide.step2Title"),
            content: (
              <Space orientation="vertical" style={{ width: "100%" }}>
                <Typography.Text>
                  {t("keyGuide.step2", { name, count: policy?.permissions.length ?? 0 })}
                </Typography.Text>
                <Space wrap>
                  <Button
                    size="small"
                    icon={<ExportOutlined />}
                    onClick={() => void openConsole("policies")}
                    data-testid="key-guide-open-policies"
                  >
                    {t("keyGuide.openPolicies")}
                  </Button>
                  <Button
                    size="small"
                    type="primary"
                    icon={<CopyOutlined />}
                    disabled={!policy}
                    onClick={() => void copy()}
                    data-testid="key-guide-copy"
                  >
                    {t("keyGuide.copy")}
                  </Button>
                </Space>
                <pre className="key-guide-policy" data-testid="key-guide-policy">
                  {policy?.document ?? t("keyGuide.loading")}
                </pre>
                {policy && (
                  <div data-testid="key-guide-permissions">
                    <Typography.Text type="secondary">
                      {t("keyGuide.permissions")}:{" "}
                    </Typography.Text>
                    {policy.permissions.map((p) => (
                      <Tag key={p}>{p}</Tag>
                    ))}
                  </div>
                )}
              </Space>
            ),
          },
          {
            title: t("keyGuide.step3Title"),
            content: <Typography.Text>{t("keyGuide.step3", { name })}</Typography.Text>,
          },
          {
            title: t("keyGuide.step4Title"),
            content: <Typography.Text>{t("keyGuide.step4")}</Typography.Text>,
          },
        ]}
      />
    </Modal>
  );
}

/** A link that opens the guide; used by the profile form and the first-run screen. */
export function AccessKeyGuideLink({ long = false }: { long?: boolean }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        type={long ? "default" : "link"}
        size={long ? "middle" : "small"}
        icon={<QuestionCircleOutlined />}
        onClick={() => setOpen(true)}
        style={long ? undefined : { paddingInline: 0 }}
        data-testid={long ? "key-guide-open-first-run" : "key-guide-open"}
      >
        {long ? t("keyGuide.openLong") : t("keyGuide.open")}
      </Button>
      <AccessKeyGuide open={open} onClose={() => setOpen(false)} />
    </>
  );
}
