import type { BlockActions } from '../../notify/slack-interaction.ts';

/**
 * The approval gate's rules, pure: which click counts, who may answer, and what a refused answer means.
 * request.ts asks, store.ts keeps the record, answer.ts carries a click through them.
 */

export const APPROVE_ACTION = 'eksops_upgrade_approve';
export const ABORT_ACTION = 'eksops_upgrade_abort';
/** The error SendTaskFailure reports for Abort, matched by the state machine and reported by Finish. */
export const ABORTED_ERROR = 'UpgradeAbortedError';

/** What happened to one click; the function URL answers Slack 200 for every outcome but a bad request. */
export type AnswerOutcome = 'approved' | 'aborted' | 'not-an-approver' | 'already-answered' | 'expired' | 'unknown-approval' | 'ignored';

export type ClickDecision =
  | { kind: 'ignored' }
  | { kind: 'not-an-approver'; user: string }
  | { kind: 'answer'; approvalId: string; approve: boolean; user: string };

/**
 * What one signed click asks for. Fail closed: without approvers configured nobody may answer; `anyone` is
 * said explicitly, never by omission.
 */
export function decideClick(interaction: BlockActions, approvers: readonly string[] | 'anyone' | undefined): ClickDecision {
  const action = interaction.actions.find((candidate) => candidate.action_id === APPROVE_ACTION || candidate.action_id === ABORT_ACTION);
  if (!action?.value) return { kind: 'ignored' };
  const user = interaction.user.id;
  const allowed = approvers ?? [];
  if (allowed !== 'anyone' && !allowed.includes(user)) return { kind: 'not-an-approver', user };
  return { kind: 'answer', approvalId: action.value, approve: action.action_id === APPROVE_ACTION, user };
}

/** The stored request, as far as a refused answer needs it. */
export interface StoredApprovalView {
  waiting: boolean;
  decision?: string | undefined;
  decidedBy?: string | undefined;
}

/** Why the conditional write of a decision was refused: unknown, answered before, or past its deadline. */
export function refusalOf(record: StoredApprovalView | undefined): Extract<AnswerOutcome, 'unknown-approval' | 'already-answered' | 'expired'> {
  if (!record?.waiting) return 'unknown-approval';
  if (record.decision && record.decidedBy) return 'already-answered';
  return 'expired';
}
