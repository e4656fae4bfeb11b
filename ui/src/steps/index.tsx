import { STEP_KEYS, type StepKey } from "../state/wizard";
import { ImportStep } from "./ImportStep";
import { MapStep } from "./MapStep";
import { ReviewStep } from "./ReviewStep";
import { TaskStep } from "./TaskStep";
import { SendStep } from "./SendStep";
import { ResultsStep } from "./ResultsStep";

export { STEP_KEYS, type StepKey };

/** The page of one wizard step. */
export function StepPage({ step }: { step: StepKey }) {
  switch (step) {
    case "import":
      return <ImportStep />;
    case "map":
      return <MapStep />;
    case "review":
      return <ReviewStep />;
    case "settings":
      return <TaskStep />;
    case "send":
      return <SendStep />;
    case "results":
      return <ResultsStep />;
  }
}
