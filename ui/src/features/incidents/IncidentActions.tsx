import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { ActionItem, Incident, IncidentAction, IncidentState } from '../../bindings';
import { ErrorBanner } from '../../components/ui/ErrorBanner';
import { plural, shortTime } from '../../lib/format';
import { actOnIncident, dismissAction, incidentActions, toIpcError } from '../../lib/ipc';

export const actionKeys = {
  all: ['incident-actions'] as const,
  of: (incidentId: string) => ['incident-actions', incidentId] as const,
};

type Name = IncidentAction['action'];

/** The state an action leads to from `from`, as the platform's state machine has it; null: refused. */
export function stateAfter(from: IncidentState, action: IncidentAction): IncidentState | null {
  switch (action.action) {
    case 'comment':
      return from;
    case 'acknowledge':
      return from === 'open' || from === 'reopened' ? 'acknowledged' : null;
    case 'assign':
      return from === 'resolved' ? null : 'assigned';
    case 'resolve':
      return from === 'acknowledged' || from === 'assigned' ? 'resolved' : null;
    case 'reopen':
      return from === 'resolved' ? 'reopened' : null;
  }
}

/** The incident's state once the queued actions are carried out: what the next action is taken on. */
export function expectedState(incident: Incident, queued: ActionItem[]): IncidentState {
  let state = incident.state;
  for (const item of queued) state = stateAfter(state, item.action) ?? state;
  return state;
}

const VERBS: Record<Name, string> = {
  acknowledge: 'Acknowledge',
  assign: 'Assign',
  comment: 'Comment',
  resolve: 'Resolve',
  reopen: 'Reopen',
};

/** What the user wrote with an action, to show it back and to write it again. */
function typed(action: IncidentAction): string {
  switch (action.action) {
    case 'acknowledge':
      return action.comment ?? '';
    case 'assign':
      return action.assignee + (action.comment ? `: ${action.comment}` : '');
    case 'comment':
      return action.text;
    case 'resolve':
    case 'reopen':
      return action.comment;
  }
}

/**
 * What a steward does to an incident: acknowledge, assign, comment, resolve (saying what was found)
 * and reopen (saying why). Each action is queued in the outbox with its own idempotency key, so it is
 * taken offline as well; the sync delivers it. What waits is listed; an action that met a changed
 * incident is shown with the incident's state now and what was written, which can be written again.
 */
export function IncidentActions({ incident, user }: { incident: Incident; user?: string }) {
  const queryClient = useQueryClient();
  const actions = useQuery({ queryKey: actionKeys.of(incident.id), queryFn: () => incidentActions(incident.id) });
  const queued = (actions.data ?? []).filter((a) => a.state === 'queued');
  const answered = (actions.data ?? []).filter((a) => a.state === 'conflict' || a.state === 'refused');
  const state = expectedState(incident, queued);
  const [fields, setFields] = useState({ assignee: user ?? '', comment: '', resolution: '', reopen: '' });
  const ids = { assignee: useId(), comment: useId(), resolution: useId(), reopen: useId() };
  const set = (key: keyof typeof fields) => (value: string) => setFields((f) => ({ ...f, [key]: value }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: actionKeys.of(incident.id) });

  const act = useMutation({
    mutationFn: (action: IncidentAction) => actOnIncident(incident.id, action),
    onSuccess: (_item, action) => {
      // Only once it is queued is what was typed let go.
      if (action.action === 'comment') set('comment')('');
      if (action.action === 'resolve') set('resolution')('');
      if (action.action === 'reopen') set('reopen')('');
      void refresh();
    },
  });
  const dismiss = useMutation({ mutationFn: (id: string) => dismissAction(id), onSuccess: () => void refresh() });
  const may = (action: IncidentAction) => stateAfter(state, action) !== null;
  /**
   * Puts what was written with an answered action back into its field, or into the comment when the
   * incident no longer takes that action (a resolution for an incident resolved meanwhile).
   */
  const again = (item: ActionItem) => {
    const a = item.action;
    const text = typed(a);
    if (a.action === 'assign' && may(a)) set('assignee')(a.assignee);
    else if (a.action === 'resolve' && may(a)) set('resolution')(a.comment);
    else if (a.action === 'reopen' && may(a)) set('reopen')(a.comment);
    else if (text) set('comment')(text);
    dismiss.mutate(item.id);
  };
  const busy = act.isPending;

  return (
    <section className="incident-actions" aria-labelledby="incident-actions-heading">
      <h3 id="incident-actions-heading">Work the incident</h3>
      {act.isError ? (
        <ErrorBanner
          title="The action was not queued."
          error={toIpcError(act.error)}
          onDismiss={() => act.reset()}
        />
      ) : null}
      {answered.map((item) => (
        <div
          key={item.id}
          className="banner banner-error"
          role="alert"
          data-testid="action-conflict"
          data-state={item.state}
        >
          <div className="banner-text">
            <strong>
              {item.state === 'conflict'
                ? `Your ${item.action.action} met a change: the incident is ${item.currentState ?? 'changed'} now.`
                : `The platform refused your ${item.action.action}.`}
            </strong>
            <span>{item.message}</span>
            {typed(item.action) ? (
              <span>
                You wrote: <q data-testid="action-typed">{typed(item.action)}</q>
              </span>
            ) : null}
          </div>
          <div className="banner-actions">
            <button type="button" className="btn btn-small" onClick={() => again(item)}>
              Write it again
            </button>
            <button type="button" className="btn btn-small btn-ghost" onClick={() => dismiss.mutate(item.id)}>
              Dismiss
            </button>
          </div>
        </div>
      ))}
      {queued.length > 0 ? (
        <div className="queued-actions" role="status" data-testid="queued-actions">
          <p>
            {plural(queued.length, 'action')} waiting for the platform; the sync sends{' '}
            {queued.length === 1 ? 'it' : 'them'} when it answers.
          </p>
          <ul>
            {queued.map((item) => (
              <li key={item.id} data-action={item.action.action}>
                {VERBS[item.action.action]} {typed(item.action) ? <q>{typed(item.action)}</q> : null}{' '}
                <span className="muted">
                  taken {shortTime(item.queuedAt)}
                  {item.attempts > 0 ? `, ${plural(item.attempts, 'try', 'tries')}` : ''}
                </span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className="action-grid">
        {may({ action: 'acknowledge' }) ? (
          <div className="action-row">
            <button
              type="button"
              className="btn btn-primary"
              disabled={busy}
              onClick={() => act.mutate({ action: 'acknowledge' })}
            >
              Acknowledge
            </button>
            <span className="muted">Tell the domain a steward is looking.</span>
          </div>
        ) : null}
        {may({ action: 'assign', assignee: 'x' }) ? (
          <div className="action-row">
            <label htmlFor={ids.assignee}>Assignee</label>
            <input
              id={ids.assignee}
              className="form-control"
              value={fields.assignee}
              autoComplete="off"
              onChange={(e) => set('assignee')(e.target.value)}
              aria-describedby={`${ids.assignee}-hint`}
            />
            <button
              type="button"
              className="btn"
              disabled={busy || !fields.assignee.trim()}
              onClick={() => act.mutate({ action: 'assign', assignee: fields.assignee.trim() })}
            >
              Assign
            </button>
            <span className="muted" id={`${ids.assignee}-hint`}>
              A steward or owner of {incident.domain}.
            </span>
          </div>
        ) : null}
        <TextAction
          id={ids.comment}
          label="Your comment"
          value={fields.comment}
          onChange={set('comment')}
          button="Comment"
          disabled={busy}
          onAct={() => act.mutate({ action: 'comment', text: fields.comment })}
        />
        {may({ action: 'resolve', comment: 'x' }) ? (
          <TextAction
            id={ids.resolution}
            label="What was found and done"
            value={fields.resolution}
            onChange={set('resolution')}
            button="Resolve"
            primary
            disabled={busy}
            onAct={() => act.mutate({ action: 'resolve', comment: fields.resolution })}
          />
        ) : null}
        {may({ action: 'reopen', comment: 'x' }) ? (
          <TextAction
            id={ids.reopen}
            label="Why it is not over"
            value={fields.reopen}
            onChange={set('reopen')}
            button="Reopen"
            disabled={busy}
            onAct={() => act.mutate({ action: 'reopen', comment: fields.reopen })}
          />
        ) : null}
      </div>
      {state !== incident.state ? (
        <p className="muted" data-testid="expected-state">
          Once the queued actions are delivered, the incident will be {state}.
        </p>
      ) : null}
    </section>
  );
}

/** An action that says something: its field, and its button (usable once something is written). */
function TextAction({
  id,
  label,
  value,
  onChange,
  button,
  primary = false,
  disabled,
  onAct,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  button: string;
  primary?: boolean;
  disabled: boolean;
  onAct: () => void;
}) {
  return (
    <div className="action-row">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} className="form-control" rows={2} value={value} onChange={(e) => onChange(e.target.value)} />
      <button
        type="button"
        className={primary ? 'btn btn-primary' : 'btn'}
        disabled={disabled || !value.trim()}
        onClick={onAct}
      >
        {button}
      </button>
    </div>
  );
}
