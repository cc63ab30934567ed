// What every form and confirmation in the portal does: run one management-API call, show it busy, keep its error
// for ErrorNotice. Plus the dialogs built on it: a form dialog, a confirmation, a secret shown once.
import { useState, type ReactNode } from 'react';
import { ConfirmDialog, Dialog } from './dialog';
import { SecretReveal } from './secret-reveal';
import { useToast } from './toasts';
import { Button, ErrorNotice } from './ui';

export interface Action<A extends unknown[]> {
  busy: boolean;
  error: Error | undefined;
  perform(...args: A): Promise<void>;
}

/**
 * Which dialog of a list is open (`kind` plus the row it is about), and a close that reloads the list, since the
 * dialog may have changed it.
 */
export function useDialog<D>(reload: () => void): {
  dialog: D | undefined;
  open(dialog: D): void;
  close(): void;
} {
  const [dialog, setDialog] = useState<D>();
  return {
    dialog,
    open: setDialog,
    close: () => {
      setDialog(undefined);
      reload();
    },
  };
}

export function useAction<A extends unknown[]>(run: (...args: A) => Promise<void>): Action<A> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  return {
    busy,
    error,
    async perform(...args) {
      setBusy(true);
      setError(undefined);
      try {
        await run(...args);
      } catch (e) {
        setError(e instanceof Error ? e : new Error(String(e)));
      } finally {
        setBusy(false);
      }
    },
  };
}

/** A dialog holding a form: Enter submits, the footer has Cancel and the action, the error shows on top. */
export function FormDialog({
  title,
  submitLabel,
  action,
  disabled,
  wide,
  onClose,
  children,
}: {
  title: string;
  submitLabel: string;
  action: Action<[]>;
  disabled?: boolean;
  wide?: boolean;
  onClose(): void;
  children: ReactNode;
}) {
  return (
    <Dialog
      title={title}
      onClose={onClose}
      onSubmit={() => void action.perform()}
      wide={wide}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" tone="primary" busy={action.busy} disabled={disabled}>
            {submitLabel}
          </Button>
        </>
      }
    >
      <ErrorNotice error={action.error} />
      {children}
    </Dialog>
  );
}

/** Asks, runs `run`, says `done` in a toast and closes; an error stays in the dialog. */
export function ConfirmAction({
  title,
  confirmLabel,
  done,
  run,
  onClose,
  children,
}: {
  title: string;
  confirmLabel: string;
  done: string;
  run(): Promise<unknown>;
  onClose(): void;
  children: ReactNode;
}) {
  const toast = useToast();
  const action = useAction(async () => {
    await run();
    toast(done);
    onClose();
  });
  return (
    <ConfirmDialog
      title={title}
      confirmLabel={confirmLabel}
      busy={action.busy}
      onConfirm={() => void action.perform()}
      onClose={onClose}
    >
      <ErrorNotice error={action.error} />
      {children}
    </ConfirmDialog>
  );
}

/** Secrets right after they were made, each with a copy button, and a Done button. */
export function SecretsDialog({
  title,
  secrets,
  onClose,
  children,
}: {
  title: string;
  secrets: ReadonlyArray<{ label: string; value: string; testId?: string }>;
  onClose(): void;
  children?: ReactNode;
}) {
  return (
    <Dialog
      title={title}
      onClose={onClose}
      footer={
        <Button tone="primary" onClick={onClose}>
          Done
        </Button>
      }
    >
      {secrets.map((s) => (
        <SecretReveal
          key={s.label}
          label={s.label}
          secret={s.value}
          {...(s.testId ? { testId: s.testId } : {})}
        />
      ))}
      {children}
    </Dialog>
  );
}
