import type { ReactNode } from "react";
import { Space } from "antd";

/** Excel's column letters for a 0-based index (0 → A, 27 → AB). */
export function columnLetter(index: number): string {
  let n = index + 1;
  let out = "";
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** The Back / Next bar at the bottom of every step. */
export function StepFooter({ left, right }: { left?: ReactNode; right?: ReactNode }) {
  return (
    <div className="step-footer">
      <div>
        <Space>{left}</Space>
      </div>
      <div>
        <Space>{right}</Space>
      </div>
    </div>
  );
}
