import { useId, useState } from 'react';
import { useNavigate } from 'react-router';
import { ErrorBanner } from '../../components/ui/ErrorBanner';
import { toIpcError, unprovisionProduct } from '../../lib/ipc';
import type { IpcError } from '../../lib/ipc';
import { jobPath } from '../../lib/paths';
import { newUuid } from '../product-form/rjsf/dataProductUi';

/**
 * Unprovisioning a product the user owns: asked for by name (typed in full, as a destructive action
 * deserves), then started once (one idempotency key per confirmation) and followed on its job's page.
 */
export function Unprovision({ id, name }: { id: string; name: string }) {
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const [key] = useState(newUuid);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const inputId = useId();

  if (!open) {
    return (
      <button
        type="button"
        className="btn btn-small btn-ghost btn-danger"
        aria-label={`Unprovision ${name}`}
        onClick={() => setOpen(true)}
      >
        Unprovision
      </button>
    );
  }
  const confirmed = typed === name;
  return (
    <div className="unprovision-confirm" role="group" aria-label={`Confirm unprovisioning ${name}`}>
      <p>
        This destroys the ports of <strong>{name}</strong> and removes it from the catalog. Type its name to confirm.
      </p>
      <input
        id={inputId}
        className="form-control"
        aria-label="Type the product's name to confirm"
        value={typed}
        autoFocus
        onChange={(e) => setTyped(e.target.value)}
      />
      {error ? <ErrorBanner title="The product could not be unprovisioned." error={error} /> : null}
      <div className="editor-actions">
        <button
          type="button"
          className="btn btn-small btn-danger"
          disabled={!confirmed || busy}
          onClick={() => {
            setBusy(true);
            setError(null);
            unprovisionProduct(id, key).then(
              (job) => void navigate(jobPath(job.id)),
              (e: unknown) => {
                setError(toIpcError(e));
                setBusy(false);
              },
            );
          }}
        >
          Unprovision {name}
        </button>
        <button
          type="button"
          className="btn btn-small btn-ghost"
          onClick={() => {
            setOpen(false);
            setTyped('');
          }}
        >
          Keep it
        </button>
      </div>
    </div>
  );
}
