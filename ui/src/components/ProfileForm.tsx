import { useState } from "react";
import { Alert, Button, Form, Input } from "antd";
import { useTranslation } from "react-i18next";
import { commands, type ProfileSummary } from "../bindings";
import { call, type IpcError } from "../api/errors";
import { useShowError } from "../api/feedback";
import { useSession } from "../state/session";
import { AccessKeyGuideLink, isPermissionError } from "./AccessKeyGuide";
import { useAnnounceVerified } from "./useAnnounceVerified";

interface Values {
  name: string;
  accessKeyId: string;
  accessKeySecret: string;
}

/**
 * Adds an AccessKey profile and verifies it. The secret goes straight to Rust (and from
 * there to the OS keychain); the field is emptied as soon as it was handed over and the
 * value is not kept anywhere in the web view.
 */
export function ProfileForm({
  onAdded,
  guideLink = true,
}: {
  onAdded?: (profile: ProfileSummary) => void;
  /** Show the "How to get an AccessKey" link (the first-run screen has its own). */
  guideLink?: boolean;
}) {
  const { t } = useTranslation();
  const announceVerified = useAnnounceVerified();
  const { lang, refresh } = useSession();
  const [form] = Form.useForm<Values>();
  const showError = useShowError();
  const [busy, setBusy] = useState<"saving" | "verifying" | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [verified, setVerified] = useState<{ name: string; robots: number } | null>(null);

  const submit = async () => {
    const values = form.getFieldsValue();
    // Drop the secret from the form before anything asynchronous happens.
    form.setFieldValue("accessKeySecret", "");
    setError(null);
    setVerified(null);
    setBusy("saving");
    let saved = false;
    try {
      const profile = await call(() =>
        commands.addProfile(values.name.trim(), values.accessKeyId.trim(), values.accessKeySecret),
      );
      saved = true;
      setBusy("verifying");
      const verified = await call(() => commands.verifyProfile(profile.name));
      setVerified({ name: profile.name, robots: verified.robots });
      // On first run this form goes away once the profile exists: say so where it lasts.
      announceVerified(profile.name, verified);
      await refresh();
      onAdded?.(profile);
    } catch (err) {
      setError(err as IpcError);
      // Saved but not verified: the first-run panel closes on refresh, so the failure also
      // goes to a notification that stays (the profile can be verified again in Settings).
      if (saved) showError(err);
      await refresh();
    } finally {
      setBusy(null);
    }
  };

  return (
    <Form<Values>
      form={form}
      layout="vertical"
      requiredMark
      initialValues={{ name: "default", accessKeyId: "", accessKeySecret: "" }}
      onFinish={() => void submit()}
      data-testid="profile-form"
    >
      {guideLink && (
        <div style={{ marginBottom: 8 }}>
          <AccessKeyGuideLink />
        </div>
      )}
      <Form.Item
        name="name"
        label={t("profile.name")}
        extra={t("profile.nameHelp")}
        rules={[{ required: true, whitespace: true, message: t("profile.nameRequired") }]}
      >
        <Input data-testid="profile-name" autoComplete="off" />
      </Form.Item>
      <Form.Item
        name="accessKeyId"
        label={t("profile.keyId")}
        rules={[{ required: true, whitespace: true, message: t("profile.keyIdRequired") }]}
      >
        <Input data-testid="profile-key-id" autoComplete="off" spellCheck={false} />
      </Form.Item>
      <Form.Item
        name="accessKeySecret"
        label={t("profile.secret")}
        extra={t("profile.secretHelp")}
        rules={[{ required: true, message: t("profile.secretRequired") }]}
      >
        <Input.Password data-testid="profile-secret" autoComplete="new-password" />
      </Form.Item>
      {error && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={error.text(lang).message}
          description={
            <>
              {error.text(lang).hint}
              {isPermissionError(error) && (
                <div data-testid="profile-permission-help">
                  {t("keyGuide.permissionHelp")} <AccessKeyGuideLink />
                </div>
              )}
            </>
          }
          data-testid="profile-error"
        />
      )}
      {verified && (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 16 }}
          title={t("profile.verified", { name: verified.name, count: verified.robots })}
          data-testid="profile-verified"
        />
      )}
      <Button type="primary" htmlType="submit" loading={busy !== null} data-testid="profile-submit">
        {busy === "verifying" ? t("profile.verifying") : t("profile.submit")}
      </Button>
    </Form>
  );
}
