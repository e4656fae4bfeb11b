import type { Lang, Localized } from "../bindings";

// The core's texts arrive as `{ zhCn, en }` pairs; the app's own are in the i18next
// dictionaries. These two helpers are the only place the app picks a language by hand.

/** The half of a core `Localized` pair for `lang`. */
export function loc(text: Localized, lang: Lang): string {
  return lang === "en" ? text.en : text.zhCn;
}

/** The app's language from i18next's current one: Chinese unless English. */
export function langOf(language: string | undefined): Lang {
  return language?.toLowerCase().startsWith("en") ? "en" : "zh-CN";
}
