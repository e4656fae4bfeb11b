import { useEffect, useState } from "react";
import {
  Alert,
  App as AntApp,
  Button,
  ConfigProvider,
  Layout,
  Segmented,
  Spin,
  Steps,
  Typography,
} from "antd";
import { InfoCircleOutlined, SettingOutlined, StopOutlined } from "@ant-design/icons";
import zhCN from "antd/locale/zh_CN";
import enUS from "antd/locale/en_US";
import { useTranslation } from "react-i18next";
import { commands, type Lang } from "./bindings";
import { setLang, storedLang } from "./i18n";
import { call } from "./api/errors";
import { AboutModal } from "./components/AboutModal";
import { ConnectionPanel } from "./components/ConnectionPanel";
import { DemoBanner } from "./components/DemoBanner";
import { SettingsDrawer } from "./components/SettingsDrawer";
import { StartupChecks } from "./components/StartupChecks";
import { ExpiringReminder } from "./results/ExpiringReminder";
import { StartupUpdateCheck } from "./components/Updates";
import { DncPage } from "./compliance/DncPage";
import { STEP_KEYS, StepPage } from "./steps";
import { SessionProvider, useSession } from "./state/session";
import { reachableSteps, useWizard, WizardProvider, type WizardState } from "./state/wizard";
import { theme } from "./theme";

function Shell({ onLangChange }: { onLangChange: (lang: Lang) => void }) {
  const { t } = useTranslation();
  const { lang, demo, profiles, settings, setSettings, loaded, loadError, refresh } = useSession();
  const { state, dispatch } = useWizard();
  const [aboutOpen, setAboutOpen] = useState(false);
  const [settingsOpen, setSettingsOpen] = useState(false);
  // The do-not-call page sits outside the wizard, which keeps its state meanwhile. It is
  // open for the wizard position it was opened at: whatever moves the wizard (resuming a
  // campaign at start-up, a recall) shows the wizard again.
  const wizardAt = `${state.step}:${state.campaignId ?? ""}`;
  const [dncAt, setDncAt] = useState<string | null>(null);
  const page = dncAt === wizardAt ? "dnc" : "wizard";
  const setPage = (next: "wizard" | "dnc") => setDncAt(next === "dnc" ? wizardAt : null);
  const reachable = reachableSteps(state);
  const needsConnection =
    loaded && !loadError && !demo?.active && profiles !== null && profiles.length === 0;

  const changeLang = (next: Lang) => {
    onLangChange(next);
    // Rust's own texts (CLI, logs) follow the same choice; a failure here is harmless.
    if (settings && settings.lang !== next) {
      call(() => commands.saveSettings({ ...settings, lang: next })).then(setSettings, () => {});
    }
  };

  let content;
  if (!loaded) {
    content = (
      <Spin description={t("app.loading")}>
        <div style={{ height: 200 }} />
      </Spin>
    );
  } else if (loadError) {
    content = (
      <Alert
        type="error"
        showIcon
        title={loadError.text(lang).message}
        description={loadError.text(lang).hint}
        action={<Button onClick={() => void refresh()}>{t("common.retry")}</Button>}
        data-testid="load-error"
      />
    );
  } else if (needsConnection) {
    content = <ConnectionPanel />;
  } else if (page === "dnc") {
    content = <DncPage />;
  } else {
    content = <StepPage step={state.step} />;
  }
  const onDnc = page === "dnc" && !needsConnection;

  return (
    <Layout style={{ minHeight: "100vh" }}>
      <Layout.Sider width={200} theme="light" className="app-sider">
        <div className="app-brand">
          <img src="/icon.png" alt="" width={28} height={28} />
          <div>
            <div className="app-brand-title">{t("app.title")}</div>
            <div className="app-brand-subtitle">{t("app.subtitle")}</div>
          </div>
        </div>
        <Steps
          orientation="vertical"
          size="small"
          current={onDnc ? -1 : STEP_KEYS.indexOf(state.step)}
          onChange={(index) => {
            const key = STEP_KEYS[index];
            if (key && reachable.has(key)) {
              setPage("wizard");
              dispatch({ type: "goto", step: key });
            }
          }}
          items={STEP_KEYS.map((key) => ({
            title: t(`steps.${key}`),
            disabled: !reachable.has(key),
          }))}
          className="app-steps"
          data-testid="wizard-steps"
        />
        <div className="app-nav-extra">
          <Button
            type={onDnc ? "primary" : "text"}
            ghost={onDnc}
            block
            icon={<StopOutlined />}
            onClick={() => setPage(onDnc ? "wizard" : "dnc")}
            disabled={needsConnection}
            data-testid="nav-dnc"
          >
            {t("dnc.nav")}
          </Button>
        </div>
      </Layout.Sider>
      <Layout>
        <Layout.Header className="app-header">
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="page-title">
            {needsConnection
              ? t("connect.title")
              : onDnc
                ? t("dnc.title")
                : t(`steps.${state.step}`)}
          </Typography.Title>
          <div className="app-header-actions">
            <Segmented<Lang>
              aria-label={t("app.language")}
              value={lang}
              onChange={changeLang}
              options={[
                { label: "中文", value: "zh-CN" },
                { label: "English", value: "en" },
              ]}
              data-testid="language-switch"
            />
            <Button
              icon={<SettingOutlined />}
              onClick={() => setSettingsOpen(true)}
              data-testid="open-settings"
            >
              {t("app.settings")}
            </Button>
            <Button
              icon={<InfoCircleOutlined />}
              onClick={() => setAboutOpen(true)}
              data-testid="about-button"
            >
              {t("app.about")}
            </Button>
          </div>
        </Layout.Header>
        <DemoBanner />
        <Layout.Content className="app-content">
          {/* The results view shows its own campaign's reminder. */}
          {state.step !== "results" && <ExpiringReminder />}
          <Typography.Paragraph type="secondary" className="step-help">
            {needsConnection || onDnc ? null : t(`stepHelp.${state.step}`)}
          </Typography.Paragraph>
          {content}
        </Layout.Content>
      </Layout>
      <AboutModal open={aboutOpen} onClose={() => setAboutOpen(false)} lang={lang} />
      <SettingsDrawer
        open={settingsOpen}
        onClose={() => setSettingsOpen(false)}
        onLangChange={changeLang}
      />
      <StartupChecks />
      <StartupUpdateCheck />
    </Layout>
  );
}

/** Set once the first render was reported (StrictMode runs effects twice in development). */
let readyReported = false;

export default function App({ initialWizard }: { initialWizard?: WizardState }) {
  const [lang, setLangState] = useState<Lang>(storedLang);

  // Rust logs the time from start-up to the first render (the first-paint figure).
  useEffect(() => {
    if (readyReported) return;
    readyReported = true;
    commands.uiReady().catch(() => undefined);
  }, []);

  const changeLang = (next: Lang) => {
    setLang(next);
    setLangState(next);
  };

  return (
    <ConfigProvider locale={lang === "en" ? enUS : zhCN} theme={theme}>
      <AntApp>
        <SessionProvider lang={lang}>
          <WizardProvider initial={initialWizard}>
            <Shell onLangChange={changeLang} />
          </WizardProvider>
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}
