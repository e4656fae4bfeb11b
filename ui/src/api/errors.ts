import type { ErrorCode, Lang, Localized, UserError } from "../bindings";
import { loc } from "../i18n/localized";
import i18n from "../i18n";

/** A failure from a Rust command, always `{ code, message, hint }` across IPC. */
export class IpcError extends Error {
  readonly code: ErrorCode;
  readonly localizedMessage: Localized;
  readonly hint: Localized;

  constructor(error: UserError) {
    super(error.message.en);
    this.name = "IpcError";
    this.code = error.code;
    this.localizedMessage = error.message;
    this.hint = error.hint;
  }

  text(lang: Lang): { message: string; hint: string } {
    return { message: loc(this.localizedMessage, lang), hint: loc(this.hint, lang) };
  }
}

function isUserError(value: unknown): value is UserError {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === "string" && typeof v.message === "object" && typeof v.hint === "object";
}

/** Turns whatever a command threw into an IpcError; anything unexpected gets a generic code. */
export function toIpcError(thrown: unknown): IpcError {
  if (thrown instanceof IpcError) return thrown;
  if (isUserError(thrown)) return new IpcError(thrown);
  const detail = thrown instanceof Error ? thrown.message : String(thrown);
  // Shaped like the core's errors: both languages, so the page can switch after the fact.
  const both = (key: "errors.unexpectedDetail" | "errors.unexpectedHint") => ({
    zhCn: i18n.t(key, { lng: "zh-CN", detail }),
    en: i18n.t(key, { lng: "en", detail }),
  });
  return new IpcError({
    code: "internal",
    message: both("errors.unexpectedDetail"),
    hint: both("errors.unexpectedHint"),
  });
}

/** Runs a command and rethrows its failure as an IpcError. */
export async function call<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (thrown) {
    throw toIpcError(thrown);
  }
}
