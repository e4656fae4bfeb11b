import type { ThemeConfig } from "antd";
// Ant Design's stylesheet, prebuilt: with `zeroRuntime` no component generates and injects
// its CSS on first use, which cost a long frame at each step the first time in WebKitGTK.
// The theme's tokens still arrive at run time as CSS variables.
import "antd/dist/antd.css";
import "./app.css";

// Close to Alibaba Cloud's console family: light, blue primary, compact radii.
export const theme: ThemeConfig = {
  zeroRuntime: true,
  token: {
    colorPrimary: "#0064c8",
    borderRadius: 4,
    fontFamily:
      '-apple-system, BlinkMacSystemFont, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Segoe UI", Roboto, sans-serif',
  },
  components: {
    Layout: { headerBg: "#ffffff", siderBg: "#ffffff", bodyBg: "#f5f6f7", headerHeight: 56 },
  },
};
