import { App } from "antd";
import { useTranslation } from "react-i18next";
import type { ProfileVerified } from "../bindings";
import { langOf, loc } from "../i18n/localized";

/**
 * Tells the marketer a profile works and, when Alibaba Cloud refused the newer signature
 * and the profile now signs the older way, says so in Rust's plain words (it lasts longer:
 * it explains something that changed for good).
 */
export function useAnnounceVerified(): (name: string, verified: ProfileVerified) => void {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  return (name, verified) => {
    void message.success(t("profile.verified", { name, count: verified.robots }));
    if (verified.note) void message.info(loc(verified.note, langOf(i18n.language)), 10);
  };
}
