import { useCallback, useEffect, useRef, useState } from "react";
import { commands, onEvent, type RefreshProgress, type RefreshReport } from "../bindings";
import { call, toIpcError, type IpcError } from "../api/errors";

/** Two minutes: results trickle in over the day; the quota is shared with sending. */
export const AUTO_REFRESH_MS = 120_000;

export interface RefreshState {
  running: boolean;
  /** The latest progress event of the current run (null until the first arrives). */
  progress: RefreshProgress | null;
  /** The last finished run's report. */
  report: RefreshReport | null;
  /** Why the last run failed. */
  error: IpcError | null;
  cancelling: boolean;
  refresh: () => Promise<void>;
  cancel: () => Promise<void>;
}

/**
 * Refreshing one campaign's results: progress from `results-progress` events, one run at a
 * time (a tick of the timer while a run is going is skipped), and `onFinished` after every
 * run so the view reloads what was stored. While `autoRefresh` is true the hook refreshes
 * every `intervalMs`; the timer stops on unmount or when `autoRefresh` turns false.
 */
export function useRefresh(
  campaignId: number,
  onFinished: () => void,
  autoRefresh: boolean,
  intervalMs: number = AUTO_REFRESH_MS,
): RefreshState {
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<RefreshProgress | null>(null);
  const [report, setReport] = useState<RefreshReport | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const runningRef = useRef(false);
  const mounted = useRef(true);
  const finished = useRef(onFinished);

  useEffect(() => {
    finished.current = onFinished;
  }, [onFinished]);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  useEffect(() => {
    let disposed = false;
    let unlisten: (() => void) | null = null;
    onEvent("resultsProgress", (progress) => {
      // Only while a run started here is going: a late event must not bring back a bar.
      if (progress.campaignId === campaignId && runningRef.current) setProgress(progress);
    }).then(
      (fn) => (disposed ? fn() : (unlisten = fn)),
      () => undefined,
    );
    return () => {
      disposed = true;
      unlisten?.();
    };
  }, [campaignId]);

  const run = useCallback(
    async (automatic: boolean) => {
      if (runningRef.current) return;
      runningRef.current = true;
      setRunning(true);
      setProgress(null);
      setError(null);
      try {
        const done = await call(() => commands.refreshResults(campaignId));
        if (mounted.current) setReport(done);
      } catch (thrown) {
        const err = toIpcError(thrown);
        // A timer tick that meets a run started elsewhere is not worth an alarm.
        if (mounted.current && !(automatic && err.code === "results.refreshing")) setError(err);
      } finally {
        runningRef.current = false;
        if (mounted.current) {
          setRunning(false);
          setCancelling(false);
          setProgress(null);
          finished.current();
        }
      }
    },
    [campaignId],
  );

  useEffect(() => {
    if (!autoRefresh) return;
    const timer = window.setInterval(() => void run(true), intervalMs);
    return () => window.clearInterval(timer);
  }, [autoRefresh, intervalMs, run]);

  const refresh = useCallback(() => run(false), [run]);

  const cancel = useCallback(async () => {
    setCancelling(true);
    try {
      await call(() => commands.cancelRefresh(campaignId));
    } catch (thrown) {
      if (mounted.current) {
        setError(toIpcError(thrown));
        setCancelling(false);
      }
    }
  }, [campaignId]);

  return { running, progress, report, error, cancelling, refresh, cancel };
}
