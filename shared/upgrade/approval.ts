import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException, type DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { InvalidToken, SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient, TaskDoesNotExist, TaskTimedOut } from '@aws-sdk/client-sfn';
import type { Fetch } from '../http/fetch.ts';
import { logger } from '../middleware/observability.ts';
import { actions, type Block, button, context, header, mention, section, userMention } from '../notify/blocks.ts';
import { inlineCode } from '../notify/escape.ts';
import { type BlockActions, InvalidInteractionError, isSlackResponseUrl, parseInteraction, SlackSignatureError, verifySlackSignature } from '../notify/slack-interaction.ts';
import type { SecretReader } from '../secrets/secret-reader.ts';
import type { ApprovalAnswer, RunState } from './run-state.ts';
import { lockClient, type UpgradeDeps } from './clients.ts';
import { upgradeTableName } from './lock.ts';

/**
 * The approval gate: before the first stage, the state machine's AskApproval task (`.waitForTaskToken`)
 * calls {@link requestApproval}, which keeps the task token in the upgrade table under a random approval id
 * and posts Approve / Abort buttons carrying only that id. Slack sends the click to the upgradeApproval
 * function URL ({@link answerApproval}): the request's signature is verified, the user checked against the
 * configured approvers, the decision written once (a conditional update: a second click, or a second
 * approver, is told who answered first), and the token answered with SendTaskSuccess / SendTaskFailure.
 * Nobody answering before AskApproval's timeout aborts the run (the state machine's Catch).
 */

export const APPROVE_ACTION = 'eksops_upgrade_approve';
export const ABORT_ACTION = 'eksops_upgrade_abort';
/** The error SendTaskFailure reports for Abort, matched by the state machine and reported by Finish. */
export const ABORTED_ERROR = 'UpgradeAbortedError';
/** Approval items outlive their timeout by a day, then DynamoDB's TTL removes them. */
const RECORD_GRACE_SECONDS = 24 * 3600;

export interface ApprovalRequestEvent {
  run: RunState;
  taskToken: string;
}

export async function requestApproval(event: ApprovalRequestEvent, deps: UpgradeDeps): Promise<{ approvalId: string }> {
  const { run } = event;
  const table = upgradeTableName(deps);
  const approvalId = randomUUID();
  const now = deps.clock.now();
  const timeoutSeconds = run.approval.timeoutSeconds ?? run.approval.timeoutMinutes * 60;
  const deadline = new Date(now.getTime() + timeoutSeconds * 1000);
  await lockClient(deps).send(
    new PutItemCommand({
      TableName: table,
      Item: {
        lockId: { S: approvalKey(approvalId) },
        taskToken: { S: event.taskToken },
        cluster: { S: run.cluster.name },
        runId: { S: run.runId },
        summary: { S: approvalSummary(run) },
        requestedAt: { S: now.toISOString() },
        deadline: { S: deadline.toISOString() },
        expiresAt: { N: String(Math.floor(deadline.getTime() / 1000) + RECORD_GRACE_SECONDS) },
      },
      ConditionExpression: 'attribute_not_exists(lockId)',
    }),
  );
  const approvers = deps.config.upgrade.approvals?.approvers ?? [];
  await deps.notifier.send({
    capability: 'upgrade',
    blocks: [
      header(`Upgrade of ${run.cluster.name}: approval needed`),
      section(`${approvalSummary(run)}. Nothing changes until someone approves; no answer by ${deadline.toISOString().slice(11, 16)} UTC aborts this run.`),
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

/** A Lambda function URL request, the fields eksops reads (payload format 2.0). */
export interface FunctionUrlRequest {
  headers: Record<string, string | undefined>;
  body?: string | undefined;
  isBase64Encoded: boolean;
}

export interface FunctionUrlResponse {
  statusCode: number;
  headers?: Record<string, string>;
  body: string;
}

export interface ApprovalAnswerDeps extends UpgradeDeps {
  fetch: Fetch;
  secrets: SecretReader;
}

/** What happened to one click; the function URL answers Slack 200 for every outcome but a bad request. */
export type AnswerOutcome = 'approved' | 'aborted' | 'not-an-approver' | 'already-answered' | 'expired' | 'unknown-approval' | 'ignored';

/**
 * Handles one request to the function URL. Only a request Slack signed gets past the first check; what
 * follows is told to the person who clicked through the interaction's response_url (ephemeral, or the
 * original message replaced without its buttons once decided).
 */
export async function answerApproval(request: FunctionUrlRequest, deps: ApprovalAnswerDeps): Promise<FunctionUrlResponse & { outcome?: AnswerOutcome }> {
  const settings = deps.config.upgrade.approvals;
  if (!settings) return plain(404, 'approvals are not configured (upgrade.approvals)');
  const rawBody = request.isBase64Encoded ? Buffer.from(request.body ?? '', 'base64') : Buffer.from(request.body ?? '', 'utf8');
  try {
    verifySlackSignature({
      signingSecret: await deps.secrets.read(settings.signingSecret),
      timestamp: headerValue(request.headers, 'x-slack-request-timestamp'),
      signature: headerValue(request.headers, 'x-slack-signature'),
      rawBody,
      now: deps.clock.now(),
    });
  } catch (error) {
    if (!(error instanceof SlackSignatureError)) throw error;
    logger.warn('refused an unsigned or badly signed request', { reason: error.reason, detail: error.message });
    return plain(401, `refused: ${error.reason}`);
  }
  let interaction: BlockActions;
  try {
    interaction = parseInteraction(rawBody.toString('utf8'));
  } catch (error) {
    if (!(error instanceof InvalidInteractionError)) throw error;
    logger.warn('signed request is not a button click eksops understands', { detail: error.message });
    return plain(400, error.message);
  }
  const outcome = await decide(interaction, deps);
  logger.info('approval answer', { user: interaction.user.id, outcome });
  return { ...plain(200, ''), outcome };
}

async function decide(interaction: BlockActions, deps: ApprovalAnswerDeps): Promise<AnswerOutcome> {
  const action = interaction.actions.find((candidate) => candidate.action_id === APPROVE_ACTION || candidate.action_id === ABORT_ACTION);
  if (!action?.value) return 'ignored';
  const approve = action.action_id === APPROVE_ACTION;
  const user = interaction.user.id;
  const reply = (text: string, blocks?: Block[]) => respond(interaction, deps.fetch, blocks ? { replace_original: true, text, blocks } : { response_type: 'ephemeral', replace_original: false, text });

  // Fail closed: without approvals configured nobody may answer; `anyone` is said explicitly, never by omission.
  const approvers = deps.config.upgrade.approvals?.approvers ?? [];
  if (approvers !== 'anyone' && !approvers.includes(user)) {
    await reply('You are not one of the approvers of eksops upgrades (upgrade.approvals.approvers); nothing was changed.');
    return 'not-an-approver';
  }
  const table = upgradeTableName(deps);
  const dynamodb = lockClient(deps);
  const key = { lockId: { S: approvalKey(action.value) } };
  const now = deps.clock.now();
  try {
    await dynamodb.send(
      new UpdateItemCommand({
        TableName: table,
        Key: key,
        UpdateExpression: 'SET #decision = :decision, #decidedBy = :user, #decidedAt = :at',
        ConditionExpression: 'attribute_exists(#taskToken) AND attribute_not_exists(#decision) AND #deadline > :at',
        ExpressionAttributeNames: { '#decision': 'decision', '#decidedBy': 'decidedBy', '#decidedAt': 'decidedAt', '#taskToken': 'taskToken', '#deadline': 'deadline' },
        ExpressionAttributeValues: { ':decision': { S: approve ? 'approved' : 'aborted' }, ':user': { S: user }, ':at': { S: now.toISOString() } },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    return explainRefusal(dynamodb, table, key, now, reply);
  }
  const record = (await dynamodb.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;
  const taskToken = record?.taskToken?.S ?? '';
  const summary = record?.summary?.S ?? 'the upgrade';
  const sfn = deps.clients.client(SFNClient);
  try {
    if (approve) {
      const answer: ApprovalAnswer = { decision: 'approved', by: user, at: now.toISOString() };
      await sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(answer) }));
    } else {
      await sfn.send(new SendTaskFailureCommand({ taskToken, error: ABORTED_ERROR, cause: `aborted in Slack by ${user}` }));
    }
  } catch (error) {
    if (error instanceof TaskTimedOut || error instanceof TaskDoesNotExist || error instanceof InvalidToken) {
      await reply('This approval request is no longer waiting (it timed out, or the run ended); nothing was changed.');
      return 'expired';
    }
    // Not recorded as decided: the same click may be tried again.
    await dynamodb.send(new UpdateItemCommand({ TableName: table, Key: key, UpdateExpression: 'REMOVE #decision, #decidedBy, #decidedAt', ConditionExpression: '#decidedBy = :user', ExpressionAttributeNames: { '#decision': 'decision', '#decidedBy': 'decidedBy', '#decidedAt': 'decidedAt' }, ExpressionAttributeValues: { ':user': { S: user } } }));
    throw error;
  }
  const verdict = approve ? `:white_check_mark: Approved by ${userMention(user)}` : `:no_entry: Aborted by ${userMention(user)}`;
  await reply(`${approve ? 'Approved' : 'Aborted'}: ${summary}`, [section(`${summary}.`), context([`${verdict} at ${now.toISOString().slice(11, 16)} UTC`])]);
  return approve ? 'approved' : 'aborted';
}

async function explainRefusal(dynamodb: DynamoDBClient, table: string, key: Record<string, { S: string }>, now: Date, reply: (text: string) => Promise<void>): Promise<AnswerOutcome> {
  const record = (await dynamodb.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;
  if (!record?.taskToken) {
    await reply('eksops does not know this approval request (it may have been removed after it expired).');
    return 'unknown-approval';
  }
  if (record.decision?.S && record.decidedBy?.S) {
    await reply(`Already ${record.decision.S} by ${userMention(record.decidedBy.S)}; nothing was changed.`);
    return 'already-answered';
  }
  logger.info('late answer', { deadline: record.deadline?.S, at: now.toISOString() });
  await reply('This approval request timed out; the run was aborted. The next window asks again.');
  return 'expired';
}

function approvalSummary(run: RunState): string {
  const plan = run.approval.plan;
  // What this window does, which is what is approved: a later window asks again for the hops after it.
  const reaches = plan?.reaches ?? run.target;
  const versions = plan ? `${plan.from} → ${reaches}${reaches !== run.target ? ` in this window (target ${run.target})` : ''}` : `to ${run.target}`;
  const stages = plan ? `, ${plan.stages} stage${plan.stages === 1 ? '' : 's'}` : '';
  return `eksops is ready to upgrade ${inlineCode(run.cluster.name)} ${versions}${stages}; the window closes at ${run.window.closesAt.slice(11, 16)} UTC`;
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

function approvalKey(approvalId: string): string {
  return `approval/${approvalId}`;
}

function headerValue(headers: Record<string, string | undefined>, name: string): string | undefined {
  const found = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
  return found?.[1];
}

function plain(statusCode: number, body: string): FunctionUrlResponse {
  return { statusCode, headers: { 'content-type': 'text/plain; charset=utf-8' }, body };
}
