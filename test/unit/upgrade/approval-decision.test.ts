import { describe, expect, it } from '@jest/globals';
import type { BlockActions } from '../../../shared/notify/slack-interaction.ts';
import { ABORT_ACTION, APPROVE_ACTION, decideClick, refusalOf } from '../../../shared/upgrade/approval/decision.ts';

function click(actionId: string, value: string | undefined, user = 'U1'): BlockActions {
  return { type: 'block_actions', user: { id: user }, actions: [{ action_id: actionId, ...(value === undefined ? {} : { value }) }] } as BlockActions;
}

describe('decideClick', () => {
  it('reads Approve and Abort of a listed approver as an answer to the approval id the button carries', () => {
    expect(decideClick(click(APPROVE_ACTION, 'a-1'), ['U1'])).toEqual({ kind: 'answer', approvalId: 'a-1', approve: true, user: 'U1' });
    expect(decideClick(click(ABORT_ACTION, 'a-1'), ['U1'])).toEqual({ kind: 'answer', approvalId: 'a-1', approve: false, user: 'U1' });
  });

  it('fails closed: nobody may answer without approvers, anyone only when said so', () => {
    expect(decideClick(click(APPROVE_ACTION, 'a-1'), undefined)).toEqual({ kind: 'not-an-approver', user: 'U1' });
    expect(decideClick(click(APPROVE_ACTION, 'a-1'), [])).toEqual({ kind: 'not-an-approver', user: 'U1' });
    expect(decideClick(click(APPROVE_ACTION, 'a-1', 'U2'), ['U1'])).toEqual({ kind: 'not-an-approver', user: 'U2' });
    expect(decideClick(click(APPROVE_ACTION, 'a-1', 'U2'), 'anyone')).toEqual({ kind: 'answer', approvalId: 'a-1', approve: true, user: 'U2' });
  });

  it('ignores other buttons and a button without an approval id', () => {
    expect(decideClick(click('something_else', 'a-1'), 'anyone')).toEqual({ kind: 'ignored' });
    expect(decideClick(click(APPROVE_ACTION, undefined), 'anyone')).toEqual({ kind: 'ignored' });
    expect(decideClick(click(APPROVE_ACTION, ''), 'anyone')).toEqual({ kind: 'ignored' });
  });
});

describe('refusalOf', () => {
  it('tells an unknown request, one answered before, and one past its deadline apart', () => {
    expect(refusalOf(undefined)).toBe('unknown-approval');
    expect(refusalOf({ waiting: false })).toBe('unknown-approval');
    expect(refusalOf({ waiting: true, decision: 'approved', decidedBy: 'U1' })).toBe('already-answered');
    expect(refusalOf({ waiting: true })).toBe('expired');
  });
});
