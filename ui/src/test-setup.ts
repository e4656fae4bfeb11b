import "@testing-library/jest-dom/vitest";
import { afterEach, vi } from "vitest";
import { cleanup, configure } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";

// antd reads matchMedia for responsive layout; jsdom has none.
Object.defineProperty(window, "matchMedia", {
  writable: true,
  value: (query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => {},
    removeListener: () => {},
    addEventListener: () => {},
    removeEventListener: () => {},
    dispatchEvent: () => false,
  }),
});

// antd in jsdom is slow to type into; these are behaviour tests, not timing tests.
vi.setConfig({ testTimeout: 60_000 });
// `findBy…` waits 1 s by default: on a loaded 2-core machine a page fetched after a scroll
// can take longer to render (seen: the 100k-row review test), which is not a failure.
configure({ asyncUtilTimeout: 5_000 });

// antd's Select and virtual lists observe their size; jsdom has no ResizeObserver.
class NoResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
if (!("ResizeObserver" in window)) {
  Object.defineProperty(window, "ResizeObserver", { writable: true, value: NoResizeObserver });
  Object.defineProperty(globalThis, "ResizeObserver", { writable: true, value: NoResizeObserver });
}

afterEach(() => {
  cleanup();
  clearMocks();
  localStorage.clear();
});
