/**
 * Only the rows in view (and a screenful either side) in the DOM: a table of 85,000 tracts drew
 * 1.4 M nodes and took 72 s to render whole (issue 10). Rows have a fixed height (app.css); spacer
 * rows above and below keep the scrollbar true to the full length. Tables of up to
 * `WINDOW_ABOVE_ROWS` rows are rendered whole (they render in milliseconds and stay findable with
 * the browser's own search).
 */
import { useCallback, useEffect, useState, type RefObject } from 'react';

export const ROW_HEIGHT_PX = 24;
export const WINDOW_ABOVE_ROWS = 1000;
const OVERSCAN_ROWS = 30;

export interface RowWindow {
  readonly start: number;
  readonly end: number;
  readonly padTop: number;
  readonly padBottom: number;
}

/** The rows to render for the scroll position of `container`. */
export function useRowWindow(container: RefObject<HTMLElement | null>, rows: number): RowWindow {
  const [view, setView] = useState({ top: 0, height: 1200 });
  const measure = useCallback(() => {
    const el = container.current;
    if (el) setView((v) => (v.top === el.scrollTop && v.height === el.clientHeight ? v : { top: el.scrollTop, height: el.clientHeight }));
  }, [container]);
  useEffect(() => {
    const el = container.current;
    if (!el) return;
    measure();
    el.addEventListener('scroll', measure, { passive: true });
    window.addEventListener('resize', measure);
    return () => {
      el.removeEventListener('scroll', measure);
      window.removeEventListener('resize', measure);
    };
  }, [container, measure]);
  if (rows <= WINDOW_ABOVE_ROWS) return { start: 0, end: rows, padTop: 0, padBottom: 0 };
  const start = Math.max(0, Math.floor(view.top / ROW_HEIGHT_PX) - OVERSCAN_ROWS);
  const end = Math.min(rows, Math.ceil((view.top + view.height) / ROW_HEIGHT_PX) + OVERSCAN_ROWS);
  return { start, end, padTop: start * ROW_HEIGHT_PX, padBottom: (rows - end) * ROW_HEIGHT_PX };
}
