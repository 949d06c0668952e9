import { useEffect, useRef } from 'react';

/**
 * Keeps a native <dialog> shown as a modal while `open` is true and closed otherwise.
 * Returns the ref to put on the <dialog>. `focusSelector` names the element that takes the
 * focus on opening (showModal alone would focus the first focusable element).
 */
export function useModalDialog(open: boolean, focusSelector?: string) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      d.showModal();
      if (focusSelector) d.querySelector<HTMLElement>(focusSelector)?.focus();
    }
    if (!open && d.open) d.close();
  }, [open, focusSelector]);
  return ref;
}
