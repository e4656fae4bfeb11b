import type { BatchState, CampaignState } from "./bindings";

/** The tag colour of each batch state. */
export const BATCH_COLOR: Record<BatchState, string> = {
  planned: "default",
  sending: "processing",
  sent: "green",
  rejected: "red",
  unknown: "orange",
  cancelled: "default",
};

/** The tag colour of each campaign state. */
export const CAMPAIGN_COLOR: Record<CampaignState, string> = {
  ready: "default",
  running: "processing",
  paused: "warning",
  stopped: "error",
  cancelled: "default",
  finished: "success",
};
