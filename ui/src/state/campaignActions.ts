import { useCallback } from "react";
import type { CampaignActions, CampaignState, CampaignSummary } from "../bindings";
import { useSession } from "./session";

const NONE: CampaignActions = { pause: false, resume: false, cancel: false, unfinished: false };

/**
 * What the core allows for a campaign in `state` (pause, resume, cancel, unfinished): the
 * core's table looked up, never worked out here. Nothing is allowed until it is loaded.
 */
export function useCampaignActions() {
  const { limits } = useSession();
  const table = limits?.campaignActions;
  return useCallback(
    (state: CampaignState, awaitingDecision: boolean): CampaignActions =>
      table?.find((r) => r.state === state && r.awaitingDecision === awaitingDecision)?.actions ??
      NONE,
    [table],
  );
}

/** Batches whose outcome is unknown wait for a decision (resend or mark sent). */
export function awaitsDecision(c: CampaignSummary): boolean {
  return c.batches.unknown > 0;
}
