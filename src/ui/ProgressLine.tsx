/**
 * The progress line: what the app is busy with — loading, the change view (`busy`, held by the app)
 * or work in the background after the map is drawn (`showWork`, the analysis jobs). The line appears
 * 0.3 s after it is put up (app.css), so shorter work never shows (issue 8: progress for every wait
 * over ~300 ms). Background steps update this line alone: 170 progress steps of an 85,000-tract
 * uncertainty sample must not re-render the whole app.
 */
import { memo, useSyncExternalStore } from 'react';

const work = new Map<string, string>();
const listeners = new Set<() => void>();
let latest: string | null = null;

/** Show (or, with null, clear) the step of one piece of background work, under its own key. */
export function showWork(key: string, text: string | null): void {
  if (text === null) work.delete(key);
  else work.set(key, text);
  const next = work.size ? [...work.values()].join(' · ') : null;
  if (next === latest) return;
  latest = next;
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export const ProgressLine = memo(function ProgressLine({ busy }: { busy: string | null }) {
  const background = useSyncExternalStore(subscribe, () => latest);
  const text = busy ?? background;
  if (!text) return null;
  return (
    <div className="progress-line" role="status" data-testid="progress">
      <progress aria-label={text} />
      <span>{text}</span>
    </div>
  );
});
