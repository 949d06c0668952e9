import { useModalDialog } from './use-modal-dialog';

export interface ConfirmRequest {
  title: string;
  message: string;
  details: string[];
  confirmLabel: string;
  onConfirm(): void;
  onCancel(): void;
}

/** A modal confirmation: Enter confirms (the button has the focus), Esc cancels. */
export function ConfirmDialog({ request }: { request: ConfirmRequest | null }) {
  // The confirming button takes the focus, so Enter confirms (showModal would pick the first button).
  const ref = useModalDialog(request !== null, 'button[type="submit"]');
  return (
    <dialog
      ref={ref}
      className="confirm-dialog"
      aria-labelledby="confirm-title"
      onCancel={(e) => {
        e.preventDefault();
        request?.onCancel();
      }}
    >
      {request && (
        <form
          method="dialog"
          onSubmit={(e) => {
            e.preventDefault();
            request.onConfirm();
          }}
        >
          <h2 id="confirm-title">{request.title}</h2>
          <p>{request.message}</p>
          {request.details.length > 0 && (
            <ul>
              {request.details.map((d) => (
                <li key={d}>{d}</li>
              ))}
            </ul>
          )}
          <p className="hint">元に戻す（Ctrl+Z）で取り消せます。</p>
          <div className="buttons">
            <button type="button" onClick={() => request.onCancel()}>
              キャンセル
            </button>
            <button type="submit" className="danger">
              {request.confirmLabel}
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}
