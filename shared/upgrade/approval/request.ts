import { randomUUID } from 'node:crypto';
import { logger } from '../../middleware/observability.ts';
import { actions, button, context, header, mention, section } from '../../notify/blocks.ts';
import { inlineCode } from '../../notify/escape.ts';
import { lockClient, type UpgradeDeps } from '../clients.ts';
import { upgradeTableName } from '../lock.ts';
import type { RunState } from '../run-state.ts';
import { ABORT_ACTION, APPROVE_ACTION } from './decision.ts';
import { ApprovalStore } from './store.ts';

/**
 * The approval gate asks: before the first stage, the state machine's AskApproval task
 * (`.waitForTaskToken`) keeps its task token in the upgrade table under a random approval id and posts
 * Approve / Abort buttons carrying only that id. answer.ts handles the click. Nobody answering before
 * AskApproval's timeout aborts the run (the state machine's Catch).
 */

export interface ApprovalRequestEvent {
  run: RunState;
  taskToken: string;
}

export async function requestApproval(event: ApprovalRequestEvent, deps: UpgradeDeps): Promise<{ approvalId: string }> {
  const { run } = event;
  const approvalId = randomUUID();
  const now = deps.clock.now();
  const timeoutSeconds = run.approval.timeoutSeconds ?? run.approval.timeoutMinutes * 60;
  const deadline = new Date(now.getTime() + timeoutSeconds * 1000);
  const summary = approvalSummary(run);
  await new ApprovalStore(lockClient(deps), upgradeTableName(deps)).put({ approvalId, taskToken: event.taskToken, cluster: run.cluster.name, runId: run.runId, summary, requestedAt: now, deadline });
  const approvers = deps.config.upgrade.approvals?.approvers ?? [];
  await deps.notifier.send({
    capability: 'upgrade',
    blocks: [
      header(`Upgrade of ${run.cluster.name}: approval needed`),
      section(`${summary}. Nothing changes until someone approves; no answer by ${deadline.toISOString().slice(11, 16)} UTC aborts this run.`),
      ...(approvers !== 'anyone' ? [context([`Only ${approvers.map(mention).join(', ')} can answer.`])] : []),
      actions(
        [
          button({ text: 'Approve', actionId: APPROVE_ACTION, value: approvalId, style: 'primary' }),
          button({ text: 'Abort', actionId: ABORT_ACTION, value: approvalId, style: 'danger', confirm: { title: 'Abort the upgrade?', text: `The upgrade of ${run.cluster.name} stops before any change; the next window asks again.`, confirm: 'Abort', deny: 'Keep waiting' } }),
        ],
        `eksops-approval-${approvalId}`,
      ),
    ],
  });
  logger.info('approval requested', { cluster: run.cluster.name, approvalId, deadline: deadline.toISOString() });
  return { approvalId };
}

function approvalSummary(run: RunState): string {
  const plan = run.approval.plan;
  // What this window does, which is what is approved: a later window asks again for the hops after it.
  const reaches = plan?.reaches ?? run.target;
  const versions = plan ? `${plan.from} → ${reaches}${reaches !== run.target ? ` in this window (target ${run.target})` : ''}` : `to ${run.target}`;
  const stages = plan ? `, ${plan.stages} stage${plan.stages === 1 ? '' : 's'}` : '';
  return `eksops is ready to upgrade ${inlineCode(run.cluster.name)} ${versions}${stages}; the window closes at ${run.window.closesAt.slice(11, 16)} UTC`;
}
