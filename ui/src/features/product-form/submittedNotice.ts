import type { DataProduct } from '../../bindings';
import type { Notice } from '../../components/ui/notice';
import { plural } from '../../lib/format';
import type { AcceptedOutcome } from '../wizard/RequestWizard';

/** What to say once the outbox took a submit: sent, queued, or refused by the platform. */
export function submittedNotice(document: DataProduct, outcome: AcceptedOutcome): Notice {
  const item = outcome.outbox;
  const name = item.name.trim() || document.name?.trim() || 'The data product';
  const remarks = outcome.findings.length;
  const suffix = remarks > 0 ? ` ${plural(remarks, 'remark')} to review.` : '';
  switch (item.state) {
    case 'delivered':
      return { kind: 'success', text: `“${name}” was submitted.${suffix}` };
    case 'refused':
      return {
        kind: 'error',
        text: `“${name}” was refused: ${item.lastError ?? 'the platform gave no reason.'}`,
      };
    case 'queued':
    default:
      return {
        kind: 'info',
        text: `“${name}” is queued: it will be sent when the platform is reachable.${suffix}`,
      };
  }
}
