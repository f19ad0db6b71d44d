import { ConditionalCheckFailedException, DeleteItemCommand, type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { UpgradeLockedError } from './errors.ts';

/**
 * One upgrade per cluster at a time: a DynamoDB item per cluster, written only if absent, expired, or
 * already ours (a retried task of the same execution). The expiry frees the cluster if a run dies without
 * releasing it; the table's TTL attribute is `expiresAt` (epoch seconds) so DynamoDB also removes it.
 */
export interface UpgradeLock {
  table: string;
  /** `account/region/cluster`. */
  key: string;
  owner: string;
}

export async function acquireLock(dynamodb: DynamoDBClient, lock: UpgradeLock, options: { now: Date; expiresAt: Date; window: string }): Promise<void> {
  try {
    await dynamodb.send(
      new PutItemCommand({
        TableName: lock.table,
        Item: { lockId: { S: lock.key }, owner: { S: lock.owner }, window: { S: options.window }, acquiredAt: { S: options.now.toISOString() }, expiresAt: { N: String(Math.floor(options.expiresAt.getTime() / 1000)) } },
        ConditionExpression: 'attribute_not_exists(lockId) OR expiresAt < :now OR #owner = :owner',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':now': { N: String(Math.floor(options.now.getTime() / 1000)) }, ':owner': { S: lock.owner } },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const holder = (await dynamodb.send(new GetItemCommand({ TableName: lock.table, Key: { lockId: { S: lock.key } }, ConsistentRead: true }))).Item;
    throw new UpgradeLockedError(`another upgrade of ${lock.key} is running (${holder?.owner?.S ?? 'unknown'}, window ${holder?.window?.S ?? '?'}); this start was refused`, { cause: error });
  }
}

/** Releases the lock if this run still holds it; someone else's lock is left alone. */
export async function releaseLock(dynamodb: DynamoDBClient, lock: UpgradeLock): Promise<boolean> {
  try {
    await dynamodb.send(
      new DeleteItemCommand({
        TableName: lock.table,
        Key: { lockId: { S: lock.key } },
        ConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':owner': { S: lock.owner } },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
