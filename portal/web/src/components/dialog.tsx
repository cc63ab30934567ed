// Modal dialogs on the native <dialog> element: showModal() traps focus, Escape closes, focus returns to the
// opener, and the page behind is inert — what a hand-made overlay would have to re-implement.
import { useEffect, useRef, type FormEvent, type ReactNode } from 'react';
import { Button } from './ui';

export function Dialog({
  title,
  onClose,
  children,
  footer,
  onSubmit,
  wide,
}: {
  title: string;
  onClose(): void;
  children: ReactNode;
  footer?: ReactNode;
  /** Makes the dialog a form: Enter submits it. */
  onSubmit?(event: FormEvent<HTMLFormElement>): void;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement as HTMLElement | null;
    dialog.showModal();
    // showModal() focuses the first focusable element, the close button; a person wants the first field (React's
    // autoFocus does not write the attribute the dialog would honour), or else the main action.
    const first = dialog.querySelector<HTMLElement>(
      '.dialog-body input:not([readonly]), .dialog-body select, .dialog-body textarea, .dialog-footer .btn-primary',
    );
    first?.focus();
    const closed = () => closeRef.current();
    dialog.addEventListener('close', closed);
    return () => {
      dialog.removeEventListener('close', closed);
      if (dialog.open) dialog.close();
      opener?.focus?.();
    };
  }, []);
  const body = (
    <>
      <header className="dialog-header">
        <h2>{title}</h2>
        <button type="button" className="icon-btn" aria-label="Close" onClick={() => ref.current?.close()}>
          ×
        </button>
      </header>
      <div className="dialog-body">{children}</div>
      {footer ? <footer className="dialog-footer">{footer}</footer> : null}
    </>
  );
  return (
    <dialog ref={ref} className={wide ? 'dialog dialog-wide' : 'dialog'} aria-label={title}>
      {onSubmit ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            onSubmit(event);
          }}
        >
          {body}
        </form>
      ) : (
        body
      )}
    </dialog>
  );
}

/** Asks before something that cannot be undone; the confirming button names the action. */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  busy,
  onConfirm,
  onClose,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busy?: boolean;
  onConfirm(): void;
  onClose(): void;
}) {
  return (
    <Dialog
      title={title}
      onClose={onClose}
      onSubmit={onConfirm}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" tone="danger" busy={busy}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      {children}
    </Dialog>
  );
}
