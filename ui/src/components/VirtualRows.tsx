import { useEffect, useRef, useState, type ReactNode } from "react";

interface Props {
  total: number;
  rowHeight: number;
  height: number;
  /** How many rows to render above and below the visible ones. */
  overscan?: number;
  /** Called with the visible (overscanned) range whenever it changes. */
  onRange: (start: number, end: number) => void;
  renderRow: (index: number) => ReactNode;
  testId?: string;
}

/**
 * A fixed-row-height virtual list: only the rows in view exist in the DOM, so 100k rows
 * scroll like 30. The rows themselves are fetched page by page by the caller (`onRange`).
 */
export function VirtualRows({
  total,
  rowHeight,
  height,
  overscan = 10,
  onRange,
  renderRow,
  testId,
}: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const visible = Math.ceil(height / rowHeight);
  const start = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const end = Math.min(total, Math.floor(scrollTop / rowHeight) + visible + overscan);

  useEffect(() => {
    onRange(start, end);
  }, [start, end, onRange]);

  // A shorter list (filter switched on) may leave the old scroll position past its end.
  useEffect(() => {
    const el = ref.current;
    if (el && el.scrollTop > total * rowHeight) {
      el.scrollTop = 0;
      setScrollTop(0);
    }
  }, [total, rowHeight]);

  const rows: ReactNode[] = [];
  for (let i = start; i < end; i++) {
    rows.push(
      <div
        key={i}
        className="vrow"
        style={{ position: "absolute", top: i * rowHeight, height: rowHeight, left: 0, right: 0 }}
      >
        {renderRow(i)}
      </div>,
    );
  }

  return (
    <div
      ref={ref}
      className="vrows"
      style={{ height, overflowY: "auto", position: "relative" }}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      data-testid={testId}
    >
      <div style={{ height: total * rowHeight, position: "relative" }}>{rows}</div>
    </div>
  );
}
