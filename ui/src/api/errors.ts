import type { ErrorCode, Lang, Localized, UserError } from "../bindings";

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
    const pick = (l: Localized) => (lang === "en" ? l.en : l.zhCn);
    return { message: pick(this.localizedMessage), hint: pick(this.hint) };
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
  return new IpcError({
    code: "internal",
    message: { zhCn: `出现了意外错误:${detail}`, en: `Something unexpected went wrong: ${detail}` },
    hint: {
      zhCn: "请重试;如果问题反复出现,请把日志文件夹里的文件发给技术支持。",
      en: "Please try again; if it keeps happening, send the files in the log folder to support.",
    },
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
