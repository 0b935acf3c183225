/* eslint-disable */
/**
 * Generated, do not edit; run `npm --prefix ui run gen:types`.
 * Source: schemas/incident-action.schema.json
 */

/**
 * What a user does to an incident: the platform's actions, as the desktop's outbox keeps them until
 * they are delivered. Stewards of the incident's domain acknowledge, assign, resolve and reopen; they
 * and the domain's owners comment.
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
