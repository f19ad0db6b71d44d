import { afterEach, describe, expect, it } from '@jest/globals';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { startSandbox, type Sandbox } from '../../../local/sandbox.ts';
import { approvalRequest, clusterVersions, pressButton, runUpgrade, seedUpgradeFleet, withUpgrades } from '../../../local/scenarios/upgrade-fleet.ts';
import { ABORT_ACTION, APPROVE_ACTION } from '../../../shared/upgrade/approval/decision.ts';

/**
 * The approval gate end to end: cluster-upgrade as deployed waits in AskApproval (`.waitForTaskToken`), the
 * approval request reaches the Slack sink with its buttons, and clicks reach upgradeApproval as Slack would
 * post them to the function URL (form-encoded, signed). The sandbox's approver is U0SANDBOXSRE
 * (local/sandbox.config.yml).
 */
const APPROVER = 'U0SANDBOXSRE';
let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function fleet(options: Parameters<typeof withUpgrades>[0] = {}): Promise<Sandbox> {
  sandbox = await startSandbox({ configure: withUpgrades({ durationMinutes: 600, approval: true, ...options }) });
  seedUpgradeFleet(sandbox, 'prod-eu', { nodegroups: 2 });
  return sandbox;
}

const eksChanges = (box: Sandbox) => box.aws.account.changes.filter((change) => change.service === 'eks');
const responses = (box: Sandbox, channel: string) => box.slack.messages.filter((message) => message.channel === channel).map((message) => message.body);
const lockItem = async (box: Sandbox) =>
  (await box.aws.clients.client(DynamoDBClient).send(new GetItemCommand({ TableName: 'eksops-dev-upgrade-locks', Key: { lockId: { S: 'self/eu-west-1/prod-eu' } }, ConsistentRead: true }))).Item;

describe('the approval gate', () => {
  it('changes nothing until an approver approves, then upgrades and says who approved', async () => {
    const box = await fleet();
    const running = runUpgrade(box, { cluster: 'prod-eu', targetVersion: '1.33' });
    const request = await approvalRequest(box);

    expect(request.body).toMatch(/Upgrade of prod-eu: approval needed/);
    expect(request.body).toMatch(/1\.32 → 1\.33, \d+ stages/);
    expect(request.body).toContain('<@U0SANDBOXSRE>');
    expect(box.slack.messages[0]?.body).toMatch(/plans to upgrade `prod-eu` once approved/);
    expect(eksChanges(box)).toEqual([]);

    box.aws.clock.advance(10 * 60_000);
    const answer = await pressButton(box, request, APPROVE_ACTION, APPROVER);
    const execution = await running;

    expect(answer.statusCode).toBe(200);
    expect(execution.status).toBe('SUCCEEDED');
    expect(clusterVersions(box, 'prod-eu').cluster).toBe('1.33');
    // The request's buttons are replaced by the decision, for everyone in the channel.
    const [replaced] = responses(box, 'response:replace_original');
    expect(replaced).toMatch(/Approved by <@U0SANDBOXSRE>/);
    expect(replaced).not.toContain(APPROVE_ACTION);
    // The approver is kept in the run; the first change came after the click.
    const firstChange = eksChanges(box)[0];
    expect(firstChange?.at.getTime()).toBeGreaterThanOrEqual(request.receivedAt.getTime() + 10 * 60_000);
    expect(box.slack.messages.at(-1)?.body).toMatch(/complete: 1\.33.*Approved by\*\\n<@U0SANDBOXSRE>/);
    expect(await lockItem(box)).toBeUndefined();
  });

  it('aborts before any change when an approver presses Abort', async () => {
    const box = await fleet();
    const running = runUpgrade(box, { cluster: 'prod-eu', targetVersion: '1.33' });
    const request = await approvalRequest(box);

    expect((await pressButton(box, request, ABORT_ACTION, APPROVER)).statusCode).toBe(200);
    const execution = await running;

    expect(execution).toMatchObject({ status: 'FAILED', error: 'UpgradeAborted' });
    expect(eksChanges(box)).toEqual([]);
    expect(box.slack.messages.map((message) => message.body).join('\n')).toMatch(/Upgrade of `prod-eu` aborted before any change: aborted in Slack by U0SANDBOXSRE/);
    expect(responses(box, 'response:replace_original')[0]).toMatch(/Aborted by <@U0SANDBOXSRE>/);
    expect(await lockItem(box)).toBeUndefined();
  });

  it('aborts when nobody answers before the timeout, and tells a late click it expired', async () => {
    const box = await fleet({ approvalTimeoutMinutes: 30 });
    const running = runUpgrade(box, { cluster: 'prod-eu', targetVersion: '1.33' });
    const request = await approvalRequest(box);

    expect(request.body).toMatch(/no answer by 09:30 UTC aborts this run/);
    box.aws.clock.advance(30 * 60_000);
    const execution = await running;

    expect(execution).toMatchObject({ status: 'FAILED', error: 'UpgradeAborted' });
    expect(box.slack.messages.map((message) => message.body).join('\n')).toMatch(/aborted before any change: Nobody answered the approval request before its timeout/);
    expect(eksChanges(box)).toEqual([]);

    expect((await pressButton(box, request, APPROVE_ACTION, APPROVER)).statusCode).toBe(200);
    expect(responses(box, 'response:ephemeral').at(-1)).toMatch(/timed out/);
    expect(eksChanges(box)).toEqual([]);
  });

  it('never waits longer than the window: a window closing in 20 minutes bounds a 60-minute timeout', async () => {
    const box = await fleet({ durationMinutes: 600, approvalTimeoutMinutes: 60 });
    const running = runUpgrade(box, { cluster: 'prod-eu', targetVersion: '1.33', windowMinutes: 20 });
    const request = await approvalRequest(box);

    expect(request.body).toMatch(/no answer by 09:20 UTC aborts this run/);
    box.aws.clock.advance(20 * 60_000);
    expect(await running).toMatchObject({ status: 'FAILED', error: 'UpgradeAborted' });
  });

  it('refuses a click from someone who is not an approver, and keeps waiting for one who is', async () => {
    const box = await fleet();
    const running = runUpgrade(box, { cluster: 'prod-eu', targetVersion: '1.33' });
    const request = await approvalRequest(box);

    expect((await pressButton(box, request, APPROVE_ACTION, 'U0INTRUDER1')).statusCode).toBe(200);
    expect(responses(box, 'response:ephemeral')).toEqual([expect.stringMatching(/not one of the approvers/)]);
    expect(eksChanges(box)).toEqual([]);

    await pressButton(box, request, APPROVE_ACTION, APPROVER);
    expect((await running).status).toBe('SUCCEEDED');
  });

  it('takes the first answer only: a second click is told who answered', async () => {
    const box = await fleet();
    const running = runUpgrade(box, { cluster: 'prod-eu', targetVersion: '1.33' });
    const request = await approvalRequest(box);

    await pressButton(box, request, ABORT_ACTION, APPROVER);
    await pressButton(box, request, APPROVE_ACTION, APPROVER);

    expect((await running).status).toBe('FAILED');
    expect(responses(box, 'response:ephemeral')).toEqual([expect.stringMatching(/Already aborted by <@U0SANDBOXSRE>/)]);
    expect(eksChanges(box)).toEqual([]);
  });

  it.each([
    ['signed with another secret', { signingSecret: 'not-the-signing-secret' }, 'mismatch'],
    ['replayed ten minutes later', { delaySeconds: 600 }, 'stale'],
    ['with a body changed after signing', { body: (form: string) => form.replace('U0SANDBOXSRE', 'U0INTRUDER1') }, 'mismatch'],
  ] as const)('refuses a request %s with 401, and the upgrade keeps waiting', async (_label, overrides, reason) => {
    const box = await fleet();
    const running = runUpgrade(box, { cluster: 'prod-eu', targetVersion: '1.33' });
    const request = await approvalRequest(box);

    const answer = await pressButton(box, request, APPROVE_ACTION, APPROVER, overrides);

    expect(answer).toMatchObject({ statusCode: 401, body: `refused: ${reason}` });
    expect(responses(box, 'response:replace_original')).toEqual([]);
    expect(eksChanges(box)).toEqual([]);
    // Still waiting: a genuine click goes through.
    await pressButton(box, request, APPROVE_ACTION, APPROVER);
    expect((await running).status).toBe('SUCCEEDED');
  });

  it('accepts a base64-encoded body (function URLs encode bodies they take for binary)', async () => {
    const box = await fleet();
    const running = runUpgrade(box, { cluster: 'prod-eu', targetVersion: '1.33' });
    const request = await approvalRequest(box);

    expect((await pressButton(box, request, APPROVE_ACTION, APPROVER, { base64: true })).statusCode).toBe(200);
    expect((await running).status).toBe('SUCCEEDED');
  });

  it.each([
    ['a payload that is not JSON', 'payload=%7Bnot-json', 'the payload is not JSON'],
    ['a form without a payload', 'token=abc', 'the body has no payload field'],
    ['another kind of interaction', `payload=${encodeURIComponent(JSON.stringify({ type: 'view_submission', user: { id: APPROVER } }))}`, 'not a block_actions payload: type'],
  ])('answers 400 to a signed request carrying %s, and changes nothing', async (_label, signedBody, reason) => {
    const box = await fleet();
    const running = runUpgrade(box, { cluster: 'prod-eu', targetVersion: '1.33' });
    const request = await approvalRequest(box);

    const answer = await pressButton(box, request, APPROVE_ACTION, APPROVER, { signedBody });

    expect(answer.statusCode).toBe(400);
    expect(answer.body).toContain(reason);
    expect(eksChanges(box)).toEqual([]);
    await pressButton(box, request, ABORT_ACTION, APPROVER);
    expect((await running).status).toBe('FAILED');
  });

  it('asks nothing when the cluster is already at its target', async () => {
    const box = await fleet();
    const execution = await runUpgrade(box, { cluster: 'prod-eu', targetVersion: '1.32' });
    expect(execution.status).toBe('SUCCEEDED');
    expect(box.slack.messages.some((message) => message.body.includes(APPROVE_ACTION))).toBe(false);
  });
});
