import "i18next";
import type { Messages } from "./zh-CN";

// Typed keys: t("steps.import") compiles, t("steps.imprt") does not.
declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "translation";
    resources: { translation: Messages };
  }
}
