import { useWizard } from "../state/wizard";
import { CampaignProgress } from "./send/CampaignProgress";
import { SendPreview } from "./send/SendPreview";

/** Step 5: preview and confirm, then the campaign's progress. */
export function SendStep() {
  const { state } = useWizard();
  return state.campaignId === null ? (
    <SendPreview />
  ) : (
    <CampaignProgress key={state.campaignId} id={state.campaignId} />
  );
}
