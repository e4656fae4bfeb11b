import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import zhCN from "./zh-CN";
import en from "./en";
import type { Lang } from "../bindings";

export const resources = {
  "zh-CN": { translation: zhCN },
  en: { translation: en },
} as const;

const STORAGE_KEY = "smartdial.lang";

/** The remembered language, Chinese unless the user chose English. */
export function storedLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === "en" ? "en" : "zh-CN";
  } catch {
    return "zh-CN";
  }
}

export function setLang(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Private mode or a locked profile: the choice lasts for this session only.
  }
  dayjs.locale(lang === "en" ? "en" : "zh-cn");
  document.documentElement.lang = lang;
  void i18n.changeLanguage(lang);
}

const initial = storedLang();
dayjs.locale(initial === "en" ? "en" : "zh-cn");

void i18n.use(initReactI18next).init({
  resources,
  lng: initial,
  fallbackLng: "zh-CN",
  interpolation: { escapeValue: false },
  returnNull: false,
});

export default i18n;
