import type { Page } from "@playwright/test";

type Handler = (cmd: string, args: unknown) => unknown;

/**
 * Installs Tauri's IPC mock in the page before the app runs. `handlerSource` is the body of
 * a function `(cmd, args) => result`, evaluated in the page.
 */
export async function mockTauri(page: Page, handler: Handler): Promise<void> {
  await page.addInitScript((source: string) => {
    const w = window as unknown as { __mocksReady: Promise<void> };
    // A runtime URL served by the Vite dev server; kept in a variable so TypeScript does
    // not try to resolve it at build time.
    const mocksUrl = "/node_modules/@tauri-apps/api/mocks.js";
    w.__mocksReady = import(/* @vite-ignore */ mocksUrl).then((m) => {
      const fn = new Function(`return (${source})`)() as Handler;
      m.mockIPC((cmd: string, args: unknown) => fn(cmd, args));
    });
  }, handler.toString());
}

export async function openApp(page: Page): Promise<void> {
  await page.goto("/");
  await page.evaluate(() => (window as unknown as { __mocksReady: Promise<void> }).__mocksReady);
}
