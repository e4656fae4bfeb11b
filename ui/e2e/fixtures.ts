import type { Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { events, type EventPayloads } from "../src/bindings";

/** The core's own `form_limits` answer, generated with the bindings. */
const formLimits: unknown = JSON.parse(
  readFileSync(new URL("../src/generated/form-limits.json", import.meta.url), "utf8"),
);

export type Handler = (cmd: string, args: Record<string, unknown>) => unknown;

/**
 * Installs a Tauri IPC stand-in in the page before any app code runs: commands go to
 * `handler` (serialised with `toString()`, so it must not close over test variables; keep
 * its state on `globalThis`), events work like `mockIPC(..., { shouldMockEvents: true })`,
 * and window/webview metadata exists so `getCurrentWindow()` works. It is installed
 * synchronously (unlike importing `@tauri-apps/api/mocks` from an init script), so the
 * app's first commands on mount cannot race it. Every command is recorded in
 * `window.__calls`.
 */
export async function mockTauri(page: Page, handler: Handler): Promise<void> {
  // The core's own `form_limits` answer (generated with the bindings), for the handler.
  await page.addInitScript((limits: unknown) => {
    (window as unknown as Record<string, unknown>).__formLimits = limits;
  }, formLimits);
  await page.addInitScript((source: string) => {
    type Cb = (data: unknown) => void;
    const w = window as unknown as Record<string, unknown>;
    const fn = new Function(`return (${source})`)() as Handler;
    const callbacks = new Map<number, Cb>();
    const listeners = new Map<string, number[]>();
    let next = 1;
    const calls: Array<{ cmd: string; args: unknown }> = [];
    const emit = (event: string, payload: unknown) => {
      for (const id of [...(listeners.get(event) ?? [])]) {
        callbacks.get(id)?.({ event, id, payload });
      }
    };
    w.__calls = calls;
    w.__emit = emit;
    w.__TAURI_EVENT_PLUGIN_INTERNALS__ = {
      unregisterListener: (_event: string, id: number) => callbacks.delete(id),
    };
    w.__TAURI_INTERNALS__ = {
      metadata: {
        currentWindow: { label: "main" },
        currentWebview: { windowLabel: "main", label: "main" },
      },
      transformCallback: (cb: Cb) => {
        const id = next++;
        callbacks.set(id, cb);
        return id;
      },
      unregisterCallback: (id: number) => callbacks.delete(id),
      invoke: async (cmd: string, args: Record<string, unknown> = {}) => {
        if (cmd === "plugin:event|listen") {
          const event = args.event as string;
          listeners.set(event, [...(listeners.get(event) ?? []), args.handler as number]);
          return args.handler;
        }
        if (cmd === "plugin:event|unlisten") {
          const event = args.event as string;
          listeners.set(
            event,
            (listeners.get(event) ?? []).filter((id) => id !== args.eventId),
          );
          return null;
        }
        if (cmd === "plugin:event|emit") {
          emit(args.event as string, args.payload);
          return null;
        }
        calls.push({ cmd, args });
        return fn(cmd, args);
      },
    };
  }, handler.toString());
}

export async function openApp(page: Page): Promise<void> {
  await page.goto("/");
}

/** Emits one of the app's events to the page's listeners, as Rust's `ipc::emit` would. */
export async function emitEvent<K extends keyof EventPayloads>(
  page: Page,
  event: K,
  payload: EventPayloads[K],
): Promise<void> {
  await page.evaluate(
    ([e, p]) => (window as unknown as { __emit: (e: string, p: unknown) => void }).__emit(e, p),
    [events[event], payload] as const,
  );
}

/** The commands the page invoked, in order. */
export async function calls(page: Page): Promise<Array<{ cmd: string; args: unknown }>> {
  return page.evaluate(
    () => (window as unknown as { __calls: Array<{ cmd: string; args: unknown }> }).__calls,
  );
}
