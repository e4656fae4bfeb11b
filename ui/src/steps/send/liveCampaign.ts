import type {
  BatchCounts,
  BatchOverview,
  CampaignSummary,
  EngineEvent,
  RetryNotice,
  UserError,
} from "../../bindings";

/** One campaign as the Send page shows it: the journal's view with the run's events applied. */
export interface Live {
  summary: CampaignSummary | null;
  batches: BatchOverview[];
  etaSeconds: number | null;
  retries: Map<number, RetryNotice & { at: number }>;
  runError: UserError | null;
}

/** One engine event applied to the page's view of the campaign. */
export function applyEvent(live: Live, event: EngineEvent): Live {
  const s = live.summary;
  switch (event.type) {
    case "started":
    case "progress":
      return {
        ...live,
        etaSeconds: event.etaSeconds,
        summary: s
          ? {
              ...s,
              batches: event.counts,
              sentNumbers: event.sentNumbers,
              totalNumbers: event.totalNumbers,
              state: event.type === "started" ? "running" : s.state,
            }
          : s,
      };
    case "batch": {
      const retries = new Map(live.retries);
      if (event.state !== "sending") retries.delete(event.index);
      return {
        ...live,
        retries,
        batches: live.batches.map((b) =>
          b.index === event.index
            ? {
                ...b,
                state: event.state,
                attempts: Math.max(b.attempts, event.attempt),
                taskId: event.taskId ?? b.taskId,
                errorCode: event.errorCode,
                problem: event.problem,
              }
            : b,
        ),
      };
    }
    case "retrying": {
      const retries = new Map(live.retries);
      retries.set(event.index, { ...event, at: Date.now() });
      return { ...live, retries };
    }
    case "campaign":
      return {
        ...live,
        // A pending retry will not happen once the run is no longer running.
        retries: event.state === "running" ? live.retries : new Map(),
        summary: s ? { ...s, state: event.state, reason: event.reason } : s,
      };
  }
}

/** Every batch state at zero, in the order the page lists them. */
export const emptyCounts: BatchCounts = {
  planned: 0,
  sending: 0,
  sent: 0,
  rejected: 0,
  unknown: 0,
  cancelled: 0,
};
