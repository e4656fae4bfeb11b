import { startTransition, useCallback, useEffect, useRef, useState } from "react";
import { commands, onEvent, type EngineEvent } from "../../bindings";
import { call, IpcError, toIpcError } from "../../api/errors";
import { applyEvent, type Live } from "./liveCampaign";

/** How long engine events are gathered before the page shows them. */
const EVENT_FLUSH_MS = 100;

export interface LiveCampaign {
  live: Live;
  setLive: (update: (live: Live) => Live) => void;
  loadError: IpcError | null;
  /** Reads the campaign and its batches from the journal again. */
  reload: () => Promise<void>;
}

/**
 * One campaign as it changes: the journal's view, with the run's events applied on top.
 * It listens first and reads the journal after, so nothing between the two is missed.
 */
export function useLiveCampaign(id: number): LiveCampaign {
  const [live, setLive] = useState<Live>({
    summary: null,
    batches: [],
    etaSeconds: null,
    retries: new Map(),
    runError: null,
  });
  const [loadError, setLoadError] = useState<IpcError | null>(null);
  const reloadSeq = useRef(0);

  const reload = useCallback(async () => {
    const seq = ++reloadSeq.current;
    try {
      const [all, batches] = await Promise.all([
        call(() => commands.listCampaigns()),
        call(() => commands.campaignBatches(id)),
      ]);
      if (seq !== reloadSeq.current) return;
      const summary = all.find((c) => c.id === id) ?? null;
      // A campaign's first full render (every batch) is a transition like its events.
      startTransition(() => setLive((l) => ({ ...l, summary, batches })));
      setLoadError(null);
    } catch (err) {
      if (seq === reloadSeq.current) setLoadError(toIpcError(err));
    }
  }, [id]);

  useEffect(() => {
    let disposed = false;
    const unlisteners: Array<() => void> = [];
    // A big campaign sends several events a batch, dozens a second: each one re-rendering
    // the page made the window stutter. They are applied together, a few times a second,
    // as a transition React can interrupt for input.
    let pending: EngineEvent[] = [];
    let flushTimer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      flushTimer = undefined;
      const batch = pending;
      pending = [];
      if (disposed) return;
      startTransition(() => setLive((l) => batch.reduce(applyEvent, l)));
      // The journal is read after the events it follows, so older events never land on
      // top of what it says once the run has stopped.
      if (batch.some((e) => e.type === "campaign" && e.state !== "running")) void reload();
    };
    // Unlistening is asynchronous in Tauri 2 and fails once the IPC is gone (the window
    // closing, a test's teardown): there is nothing left to stop then, so it is not an error.
    const stop = (fn: () => void) =>
      void Promise.resolve()
        .then(fn)
        .catch(() => undefined);
    const keep = (p: Promise<() => void>) =>
      p.then(
        (fn) => (disposed ? stop(fn) : unlisteners.push(fn)),
        () => undefined,
      );
    const subscribed = Promise.all([
      keep(
        onEvent("campaign", (event) => {
          if (event.campaignId !== id) return;
          pending.push(event);
          flushTimer ??= setTimeout(flush, EVENT_FLUSH_MS);
        }),
      ),
      keep(
        onEvent("campaignError", (failure) => {
          if (failure.campaignId !== id) return;
          setLive((l) => ({ ...l, runError: failure.error }));
          void reload();
        }),
      ),
    ]);
    void subscribed.then(() => {
      if (!disposed) void reload();
    });
    return () => {
      disposed = true;
      clearTimeout(flushTimer);
      unlisteners.forEach(stop);
    };
  }, [id, reload]);

  return { live, setLive, loadError, reload };
}
