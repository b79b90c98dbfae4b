/**
 * The map first, the panels after (issue 10): a new analysis (the first one, an AMI, groups or year
 * change) goes to the map at once, and to the panels — legend, summary, table, export, selection —
 * only once the map has drawn it and gone idle. Rendered together, the panels' work (the export
 * table's rows, the selection rule's records, names, legend counts: 0.2–0.4 s at 10,000 tracts,
 * about 3 s at 85,000) ran before the map's frame and doubled a repaint, or delayed the first map.
 */
import type { Map as MapLibre } from 'maplibre-gl';
import { startTransition, useEffect, useRef, useState } from 'react';
import { mapWillDraw } from '../map/mapFrames';

/**
 * Longest wait for the map (a hidden tab draws nothing, a pan keeps loading tiles): then the panels
 * follow anyway. Long enough for the first map of a national bundle (its tiles load for seconds).
 */
const MAX_WAIT_MS = 10_000;

/**
 * Panels that lag the map, counted, so that a test build can report "idle" only when the panels
 * show what the map shows (App's test hooks): `pending` values held back, and what to run when none is.
 */
export interface PanelLag {
  pending: number;
  onCaughtUp: (() => void)[];
}

export function newPanelLag(): PanelLag {
  return { pending: 0, onCaughtUp: [] };
}

/** Count one more thing the panels lag behind; the function returned (to call once) says they caught up. */
export function holdPanels(lag: PanelLag): () => void {
  lag.pending++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    lag.pending--;
    if (lag.pending === 0) for (const f of lag.onCaughtUp.splice(0)) f();
  };
}

/**
 * `value` as the panels should show it: the previous value until the map has gone idle after `value`
 * changed, i.e. drew it (then a transition render brings the panels up to date). With no map, at once.
 */
export function useAfterMapFrame<T>(value: T, map: () => MapLibre | null | undefined, lag: PanelLag): T {
  const [shown, setShown] = useState(value);
  const held = useRef<(() => void) | null>(null);
  useEffect(() => {
    if (Object.is(shown, value)) {
      held.current?.();
      held.current = null;
      return;
    }
    held.current ??= holdPanels(lag);
    const m = map();
    let done = false;
    const show = () => {
      if (done) return;
      done = true;
      startTransition(() => setShown(() => value));
    };
    if (!m) {
      show();
      return;
    }
    // 'idle': the frame with the new figures is drawn and no tile is loading; the panels' render goes after that task.
    const onIdle = () => window.setTimeout(show, 0);
    // Once the map has been given the value (its paint goes after a promise): a map with nothing to
    // draw sends no idle, and no frame is drawn only to get one (issue 8).
    const wait = window.setTimeout(() => (mapWillDraw(m) ? m.once('idle', onIdle) : show()), 0);
    const timer = window.setTimeout(show, MAX_WAIT_MS);
    return () => {
      done = true;
      window.clearTimeout(wait);
      m.off('idle', onIdle);
      window.clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value, shown]);
  return shown;
}
