/** Modal dialog on the native <dialog> element (focus trap and Escape come from the browser). Closing it — Escape,
 * a button, or the page removing it — returns focus to the element that had it when the dialog opened (WCAG 2.4.3,
 * issue 26): the dialog leaves the DOM before the browser could do that itself. */
import { useEffect, useId, useRef, type ReactNode } from 'react';

interface ModalProps {
  title: string;
  onClose(): void;
  children: ReactNode;
}

export function Modal({ title, onClose, children }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      dialog?.close();
      // Back to the opener if it is still on the page and focus was not moved elsewhere on purpose.
      const lost = !document.activeElement || document.activeElement === document.body || (dialog?.contains(document.activeElement) ?? false);
      if (opener?.isConnected && lost) opener.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className="modal"
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}
