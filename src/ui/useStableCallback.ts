/**
 * A function that keeps its identity across renders and always calls the latest `fn`: a handler
 * passed to a memoised panel (React.memo) that would otherwise be a new function each render, and
 * so render the panel again on every change of the app's state (a colour-by change, a hover).
 */
import { useCallback, useLayoutEffect, useRef } from 'react';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function useStableCallback<F extends (...args: any[]) => any>(fn: F): F {
  const latest = useRef(fn);
  useLayoutEffect(() => {
    latest.current = fn;
  });
  return useCallback(((...args) => latest.current(...args)) as F, []);
}
