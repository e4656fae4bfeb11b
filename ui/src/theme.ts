import type { ThemeConfig } from "antd";
import "./app.css";

// Close to Alibaba Cloud's console family: light, blue primary, compact radii.
export const theme: ThemeConfig = {
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
