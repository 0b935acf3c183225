import { useOutletContext } from 'react-router';
import type { DataProduct } from '../../bindings';
import type { AcceptedOutcome } from '../wizard/RequestWizard';

/**
 * What the view showing the form beside it does when the form is done with. The form's routes are
 * children of that view, which hands this over as the outlet's context.
 */
export interface FormPanelHost {
  /** The outbox took the submit. */
  submitted: (document: DataProduct, outcome: AcceptedOutcome) => void;
  /** Cancel or Close; `saved` settles once the last changes are in the draft. */
  closed: (saved: Promise<void>) => void;
  /** The form was left another way (another view, Back); `saved` settles once its draft is saved. */
  abandoned: (saved: Promise<void>) => void;
}

export function useFormPanelHost(): FormPanelHost {
  return useOutletContext<FormPanelHost>();
}
