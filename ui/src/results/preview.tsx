// Test-only entry: the Vite dev server serves /src/results/preview.html, which mounts the
// results view alone so Playwright can exercise it before it is wired into the app. It is
// not part of the production build (vite build only takes index.html).
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App as AntApp, ConfigProvider } from "antd";
import zhCN from "antd/locale/zh_CN";
import enUS from "antd/locale/en_US";
import { setLang } from "../i18n";
import { theme } from "../theme";
import { ResultsView } from "./ResultsView";

const params = new URLSearchParams(window.location.search);
const lang = params.get("lang") === "en" ? "en" : "zh-CN";
const campaignId = Number(params.get("campaign") ?? "7");
setLang(lang);

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <ConfigProvider locale={lang === "en" ? enUS : zhCN} theme={theme}>
        <AntApp>
          <div style={{ padding: 24, background: "#f5f6f7", minHeight: "100vh" }}>
            <ResultsView campaignId={campaignId} />
          </div>
        </AntApp>
      </ConfigProvider>
    </StrictMode>,
  );
}
