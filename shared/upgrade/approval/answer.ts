import { InvalidToken, SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient, TaskDoesNotExist, TaskTimedOut } from '@aws-sdk/client-sfn';
import type { Fetch } from '../../http/fetch.ts';
import { logger } from '../../middleware/observability.ts';
import { type Block, context, section, userMention } from '../../notify/blocks.ts';
import { type BlockActions, isSlackResponseUrl } from '../../notify/slack-interaction.ts';
import type { SecretReader } from '../../secrets/secret-reader.ts';
import { lockClient, type UpgradeDeps } from '../clients.ts';
import { upgradeTableName } from '../lock.ts';
import type { ApprovalAnswer } from '../run-state.ts';
import { ABORTED_ERROR, type AnswerOutcome, decideClick, refusalOf } from './decision.ts';
import { ApprovalStore } from './store.ts';
import { type FunctionUrlRequest, type FunctionUrlResponse, plain, verifiedInteraction } from './verify-request.ts';

export interface ApprovalAnswerDeps extends UpgradeDeps {
  fetch: Fetch;
  secrets: SecretReader;
}

const REFUSAL_TEXT: Record<ReturnType<typeof refusalOf>, string> = {
  'unknown-approval': 'eksops does not know this approval request (it may have been removed after it expired).',
  'already-answered': '',
  expired: 'This approval request timed out; the run was aborted. The next window asks again.',
};

/**
 * Handles one request to the upgradeApproval function URL: the request verified (verify-request.ts), the
 * click judged (decision.ts), the decision written once (store.ts), the task token answered with
 * SendTaskSuccess / SendTaskFailure. What follows the signature check is told to the person who clicked
 * through the interaction's response_url (ephemeral, or the original message replaced without its buttons
 * once decided).
 */
export async function answerApproval(request: FunctionUrlRequest, deps: ApprovalAnswerDeps): Promise<FunctionUrlResponse & { outcome?: AnswerOutcome }> {
  const settings = deps.config.upgrade.approvals;
  if (!settings) return plain(404, 'approvals are not configured (upgrade.approvals)');
  const verified = verifiedInteraction(request, await deps.secrets.read(settings.signingSecret), deps.clock.now());
  if ('refused' in verified) return verified.refused;
  const outcome = await carryOut(verified.interaction, deps);
  logger.info('approval answer', { user: verified.interaction.user.id, outcome });
  return { ...plain(200, ''), outcome };
}

async function carryOut(interaction: BlockActions, deps: ApprovalAnswerDeps): Promise<AnswerOutcome> {
  const reply = (text: string, blocks?: Block[]) => respond(interaction, deps.fetch, blocks ? { replace_original: true, text, blocks } : { response_type: 'ephemeral', replace_original: false, text });
  const click = decideClick(interaction, deps.config.upgrade.approvals?.approvers);
  if (click.kind === 'ignored') return 'ignored';
  if (click.kind === 'not-an-approver') {
    await reply('You are not one of the approvers of eksops upgrades (upgrade.approvals.approvers); nothing was changed.');
    return 'not-an-approver';
  }
  const { approvalId, approve, user } = click;
  const store = new ApprovalStore(lockClient(deps), upgradeTableName(deps));
  const now = deps.clock.now();
  if (!(await store.decide(approvalId, approve ? 'approved' : 'aborted', user, now))) {
    const record = await store.read(approvalId);
    const refusal = refusalOf(record);
    if (refusal === 'expired') logger.info('late answer', { deadline: record?.deadline, at: now.toISOString() });
    await reply(refusal === 'already-answered' ? `Already ${record?.decision} by ${userMention(record?.decidedBy ?? '')}; nothing was changed.` : REFUSAL_TEXT[refusal]);
    return refusal;
  }
  const record = await store.read(approvalId);
  const summary = record?.summary ?? 'the upgrade';
  const sfn = deps.clients.client(SFNClient);
  try {
    if (approve) {
      const answer: ApprovalAnswer = { decision: 'approved', by: user, at: now.toISOString() };
      await sfn.send(new SendTaskSuccessCommand({ taskToken: record?.taskToken ?? '', output: JSON.stringify(answer) }));
    } else {
      await sfn.send(new SendTaskFailureCommand({ taskToken: record?.taskToken ?? '', error: ABORTED_ERROR, cause: `aborted in Slack by ${user}` }));
    }
  } catch (error) {
    if (error instanceof TaskTimedOut || error instanceof TaskDoesNotExist || error instanceof InvalidToken) {
      await reply('This approval request is no longer waiting (it timed out, or the run ended); nothing was changed.');
      return 'expired';
    }
    await store.undecide(approvalId, user);
    throw error;
  }
  const verdict = approve ? `:white_check_mark: Approved by ${userMention(user)}` : `:no_entry: Aborted by ${userMention(user)}`;
  await reply(`${approve ? 'Approved' : 'Aborted'}: ${summary}`, [section(`${summary}.`), context([`${verdict} at ${now.toISOString().slice(11, 16)} UTC`])]);
  return approve ? 'approved' : 'aborted';
}

/** Posts to the interaction's response_url, Slack's hosts only; a failure to tell the user is logged, not thrown. */
async function respond(interaction: BlockActions, fetch: Fetch, message: Record<string, unknown>): Promise<void> {
  const url = interaction.response_url;
  if (!url || !isSlackResponseUrl(url)) {
    logger.warn('no Slack response_url to answer on', { responseUrl: url });
    return;
  }
  try {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(message), signal: AbortSignal.timeout(2500) });
    if (!response.ok) logger.warn('Slack refused the interaction response', { status: response.status });
  } catch (error) {
    logger.warn('could not answer on the response_url', { error });
  }
}
