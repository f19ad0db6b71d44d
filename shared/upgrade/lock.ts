import { type AttributeValue, ConditionalCheckFailedException, DeleteItemCommand, type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { type ClusterRef, normalizedCluster, OWN_ACCOUNT } from './cluster-ref.ts';
import type { UpgradeDeps } from './clients.ts';
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

/**
 * How long a lock whose `expiresAt` is unusable (missing, or not a number: an item edited by hand) still
 * holds, counted from its `acquiredAt`: the longest window (24 h, the schema's windowMinutes maximum) plus
 * the grace a stage may run past its close (begin.ts). A lock that cannot be dated at all holds no more.
 */
export const MAX_LOCK_HOLD_MS = 24 * 3600_000 + 6 * 3600_000;

/** What acquireLock found: a lock it replaced that had no usable expiry, said so (logged by the caller). */
export interface AcquiredLock {
  replacedInvalid?: string;
}

function invalidExpiry(item: Record<string, AttributeValue> | undefined): boolean {
  return item !== undefined && (item.expiresAt?.N === undefined || !Number.isFinite(Number(item.expiresAt.N)));
}

export async function acquireLock(dynamodb: DynamoDBClient, lock: UpgradeLock, options: { now: Date; expiresAt: Date; window: string }): Promise<AcquiredLock> {
  const nowSeconds = Math.floor(options.now.getTime() / 1000);
  try {
    const written = await dynamodb.send(
      new PutItemCommand({
        TableName: lock.table,
        Item: { lockId: { S: lock.key }, owner: { S: lock.owner }, window: { S: options.window }, acquiredAt: { S: options.now.toISOString() }, expiresAt: { N: String(Math.floor(options.expiresAt.getTime() / 1000)) } },
        // Free, or ours, or expired. An expiresAt that is not a number compares with nothing (a string
        // compared with :now is false), so it is judged by its acquiredAt: held only while that is an ISO
        // time within the last MAX_LOCK_HOLD_MS (the string range excludes garbage and missing values).
        ConditionExpression:
          'attribute_not_exists(lockId) OR #owner = :owner OR (attribute_type(expiresAt, :number) AND expiresAt < :now) ' +
          'OR (NOT attribute_type(expiresAt, :number) AND NOT (attribute_type(acquiredAt, :string) AND acquiredAt BETWEEN :oldest AND :newest))',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: {
          ':now': { N: String(nowSeconds) },
          ':owner': { S: lock.owner },
          ':number': { S: 'N' },
          ':string': { S: 'S' },
          ':oldest': { S: new Date(options.now.getTime() - MAX_LOCK_HOLD_MS).toISOString() },
          ':newest': { S: options.now.toISOString() },
        },
        ReturnValues: 'ALL_OLD',
      }),
    );
    const old = written.Attributes;
    if (old && old.owner?.S !== lock.owner && invalidExpiry(old)) {
      return { replacedInvalid: `the lock of ${lock.key} held by ${old.owner?.S ?? 'unknown'} had no usable expiresAt (${old.expiresAt ? JSON.stringify(old.expiresAt) : 'missing'}), acquired ${old.acquiredAt?.S ?? 'at an unknown time'}: treated as expired ${MAX_LOCK_HOLD_MS / 3600_000} h after it was taken` };
    }
    return {};
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const holder = (await dynamodb.send(new GetItemCommand({ TableName: lock.table, Key: { lockId: { S: lock.key } }, ConsistentRead: true }))).Item;
    const invalid = invalidExpiry(holder) ? `; its expiresAt is missing or not a number, so it is held until ${MAX_LOCK_HOLD_MS / 3600_000} h after ${holder?.acquiredAt?.S ?? '?'}` : '';
    throw new UpgradeLockedError(`another upgrade of ${lock.key} is running (${holder?.owner?.S ?? 'unknown'}, window ${holder?.window?.S ?? '?'}${invalid}); this start was refused`, { cause: error });
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

/** The upgrade table: the clusters' locks, and the approval requests waiting for an answer (approval/store.ts). */
export function upgradeTableName(deps: Pick<UpgradeDeps, 'env'>): string {
  const table = deps.env.UPGRADE_LOCK_TABLE;
  if (!table) throw new Error('UPGRADE_LOCK_TABLE is not set (serverless/upgrade.functions.yml sets it)');
  return table;
}

/** `account/region/cluster`, with the own account always spelled `self` (the key locks taken before this rule used). */
export function lockKey(cluster: ClusterRef, ownAccountId: string | undefined): string {
  const normalized = normalizedCluster(cluster, ownAccountId);
  return `${normalized.accountId ?? OWN_ACCOUNT}/${normalized.region}/${normalized.name}`;
}

export function lockOf(deps: UpgradeDeps, cluster: ClusterRef, owner: string): UpgradeLock {
  return { table: upgradeTableName(deps), key: lockKey(cluster, deps.clients.ownAccountId), owner };
}
