import { useState } from "react";
import { App as AntApp, ConfigProvider, Layout, Segmented, Steps, Typography, Button } from "antd";
import { InfoCircleOutlined } from "@ant-design/icons";
import zhCN from "antd/locale/zh_CN";
import enUS from "antd/locale/en_US";
import { useTranslation } from "react-i18next";
import type { Lang } from "./bindings";
import { setLang, storedLang } from "./i18n";
import { AboutModal } from "./components/AboutModal";
import { STEP_KEYS, StepPage, type StepKey } from "./steps";
import { theme } from "./theme";

export default function App() {
  const { t } = useTranslation();
  const [lang, setLangState] = useState<Lang>(storedLang);
  const [step, setStep] = useState<StepKey>("import");
  const [aboutOpen, setAboutOpen] = useState(false);

  const changeLang = (next: Lang) => {
    setLang(next);
    setLangState(next);
  };

  return (
    <ConfigProvider locale={lang === "en" ? enUS : zhCN} theme={theme}>
      <AntApp>
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
              current={STEP_KEYS.indexOf(step)}
              onChange={(index) => setStep(STEP_KEYS[index] ?? "import")}
              items={STEP_KEYS.map((key) => ({ title: t(`steps.${key}`) }))}
              className="app-steps"
              data-testid="wizard-steps"
            />
          </Layout.Sider>
          <Layout>
            <Layout.Header className="app-header">
              <Typography.Title level={4} style={{ margin: 0 }}>
                {t(`steps.${step}`)}
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
                  icon={<InfoCircleOutlined />}
                  onClick={() => setAboutOpen(true)}
                  data-testid="about-button"
                >
                  {t("app.about")}
                </Button>
              </div>
            </Layout.Header>
            <Layout.Content className="app-content">
              <StepPage step={step} />
            </Layout.Content>
          </Layout>
        </Layout>
        <AboutModal open={aboutOpen} onClose={() => setAboutOpen(false)} lang={lang} />
      </AntApp>
    </ConfigProvider>
  );
}
