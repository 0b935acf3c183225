/* eslint-disable */
/**
 * Generated, do not edit; run `npm --prefix ui run gen:types`.
 * Source: schemas/action-item.schema.json
 */

/**
 * What a user does to an incident: the platform's actions, as the desktop's outbox keeps them until
 * they are delivered. Stewards of the incident's domain acknowledge, assign, resolve and reopen; they
 * and the domain's owners comment.
 *
 * This interface was referenced by `ActionItem`'s JSON-Schema
 * via the `definition` "IncidentAction".
 */
export type IncidentAction =
  | {
      action: 'acknowledge';
      comment?: string;
    }
  | {
      action: 'assign';
      assignee: string;
      comment?: string;
    }
  | {
      action: 'comment';
      text: string;
    }
  | {
      action: 'resolve';
      comment: string;
    }
  | {
      action: 'reopen';
      comment: string;
    };
/**
 * Where an action on the platform is, in the desktop's outbox.
 *
 * This interface was referenced by `ActionItem`'s JSON-Schema
 * via the `definition` "ActionState".
 */
export type ActionState = 'queued' | 'delivered' | 'conflict' | 'refused';
/**
 * Where an incident is: `open → acknowledged → assigned → resolved`, and `reopened` when its
 * check fails again after it was resolved (a reopened incident is acknowledged, assigned and
 * resolved as an open one is). Assigning also works straight from `open` or `reopened`.
 *
 * This interface was referenced by `ActionItem`'s JSON-Schema
 * via the `definition` "IncidentState".
 */
export type IncidentState = 'open' | 'acknowledged' | 'assigned' | 'resolved' | 'reopened';

/**
 * An action on an incident, queued in the outbox with its own idempotency key (fixed when the user
 * took it, so a send repeated after a crash is carried out once).
 */
export interface ActionItem {
  id: string;
  /**
   * The profile (platform) it goes to.
   */
  profile: string;
  incidentId: string;
  action: IncidentAction;
  idempotencyKey: string;
  state: ActionState;
  /**
   * Sends tried so far.
   */
  attempts: number;
  queuedAt: string;
  updatedAt: string;
  /**
   * Why it was refused or met a conflict, or why the last send did not get through.
   */
  message?: string;
  /**
   * The incident's state the platform reported with a conflict.
   */
  currentState?: IncidentState;
}
