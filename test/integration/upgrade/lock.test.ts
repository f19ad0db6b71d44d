import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { createSandboxAws } from '../../../local/sandbox.ts';
import { type LocalDynamoDb, startDynalite } from '../../../local/dynamodb/dynalite.ts';
import { UpgradeLockedError } from '../../../shared/upgrade/errors.ts';
import { acquireLock } from '../../../shared/upgrade/lock.ts';
import { lockKey } from '../../../shared/upgrade/lock.ts';

let dynamodb: LocalDynamoDb;
let client: DynamoDBClient;
beforeAll(async () => {
  dynamodb = await startDynalite();
  const aws = createSandboxAws();
  aws.account.useLoopbackEndpoint('DynamoDBClient', dynamodb.endpoint);
  client = aws.clients.client(DynamoDBClient);
  await client.send(new CreateTableCommand({ TableName: 'locks', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'lockId', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'lockId', KeyType: 'HASH' }] }));
});
afterAll(async () => {
  await dynamodb.close();
});
const now = new Date('2026-03-02T09:00:00Z');
const options = { now, expiresAt: new Date(now.getTime() + 3600_000), window: now.toISOString() };

describe('the upgrade lock on real DynamoDB (dynalite)', () => {
  it('a scheduled start and a manual start naming the own account take one lock', async () => {
    const own = '123456789012';
    const scheduled = { table: 'locks', key: lockKey({ name: 'prod', region: 'eu-west-1' }, own), owner: 'scheduled' };
    const manual = { table: 'locks', key: lockKey({ name: 'prod', region: 'eu-west-1', accountId: own }, own), owner: 'manual' };
    await acquireLock(client, scheduled, options);
    await expect(acquireLock(client, manual, options)).rejects.toBeInstanceOf(UpgradeLockedError);
  });
  it.each([
    ['missing', {}],
    ['a string', { expiresAt: { S: 'never' } }],
  ])('a hand-edited lock with expiresAt %s is expired after the maximum hold', async (label, expiry) => {
    const key = `self/eu-west-1/edited-${label.replace(/ /g, '')}`;
    await client.send(new PutItemCommand({ TableName: 'locks', Item: { lockId: { S: key }, owner: { S: 'someone' }, acquiredAt: { S: new Date(now.getTime() - 3600_000).toISOString() }, ...expiry } }));
    await expect(acquireLock(client, { table: 'locks', key, owner: 'run' }, options)).rejects.toThrow(/not a number/);
    const later = new Date(now.getTime() + 31 * 3600_000);
    const taken = await acquireLock(client, { table: 'locks', key, owner: 'run' }, { ...options, now: later, expiresAt: new Date(later.getTime() + 3600_000) });
    expect(taken.replacedInvalid).toMatch(/no usable expiresAt/);
  });
});
