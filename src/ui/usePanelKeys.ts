import { useEffect, useRef } from 'react';

/**
 * A side panel's keyboard behaviour: Escape closes it, and its close button takes the focus each
 * time the panel shows another tract or area (`shown`), so a keyboard user lands in it.
 */
export function usePanelKeys(onClose: () => void, shown: unknown) {
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  useEffect(() => closeRef.current?.focus(), [shown]);
  return closeRef;
}
