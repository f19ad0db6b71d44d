import { ConditionalCheckFailedException, type DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { StoredApprovalView } from './decision.ts';

/**
 * Approval requests in the upgrade table (the clusters' locks live there too): the task token under a
 * random approval id, and the decision written once with a conditional update, so a second click or a
 * second approver is refused by DynamoDB itself.
 */

/** Approval items outlive their timeout by a day, then DynamoDB's TTL removes them. */
const RECORD_GRACE_SECONDS = 24 * 3600;

export interface ApprovalRecord {
  approvalId: string;
  taskToken: string;
  cluster: string;
  runId: string;
  summary: string;
  requestedAt: Date;
  deadline: Date;
}

export interface StoredApproval extends StoredApprovalView {
  taskToken?: string | undefined;
  summary?: string | undefined;
  deadline?: string | undefined;
}

export class ApprovalStore {
  constructor(
    private readonly dynamodb: DynamoDBClient,
    private readonly table: string,
  ) {}

  async put(record: ApprovalRecord): Promise<void> {
    await this.dynamodb.send(
      new PutItemCommand({
        TableName: this.table,
        Item: {
          ...key(record.approvalId),
          taskToken: { S: record.taskToken },
          cluster: { S: record.cluster },
          runId: { S: record.runId },
          summary: { S: record.summary },
          requestedAt: { S: record.requestedAt.toISOString() },
          deadline: { S: record.deadline.toISOString() },
          expiresAt: { N: String(Math.floor(record.deadline.getTime() / 1000) + RECORD_GRACE_SECONDS) },
        },
        ConditionExpression: 'attribute_not_exists(lockId)',
      }),
    );
  }

  /** Writes the decision if the request is still waiting, undecided and before its deadline; false when refused. */
  async decide(approvalId: string, decision: 'approved' | 'aborted', user: string, at: Date): Promise<boolean> {
    try {
      await this.dynamodb.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: key(approvalId),
          UpdateExpression: 'SET #decision = :decision, #decidedBy = :user, #decidedAt = :at',
          ConditionExpression: 'attribute_exists(#taskToken) AND attribute_not_exists(#decision) AND #deadline > :at',
          ExpressionAttributeNames: { '#decision': 'decision', '#decidedBy': 'decidedBy', '#decidedAt': 'decidedAt', '#taskToken': 'taskToken', '#deadline': 'deadline' },
          ExpressionAttributeValues: { ':decision': { S: decision }, ':user': { S: user }, ':at': { S: at.toISOString() } },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Takes back this user's decision (the task token could not be answered), so the same click may be tried again. */
  async undecide(approvalId: string, user: string): Promise<void> {
    await this.dynamodb.send(
      new UpdateItemCommand({
        TableName: this.table,
        Key: key(approvalId),
        UpdateExpression: 'REMOVE #decision, #decidedBy, #decidedAt',
        ConditionExpression: '#decidedBy = :user',
        ExpressionAttributeNames: { '#decision': 'decision', '#decidedBy': 'decidedBy', '#decidedAt': 'decidedAt' },
        ExpressionAttributeValues: { ':user': { S: user } },
      }),
    );
  }

  async read(approvalId: string): Promise<StoredApproval | undefined> {
    const item = (await this.dynamodb.send(new GetItemCommand({ TableName: this.table, Key: key(approvalId), ConsistentRead: true }))).Item;
    if (!item) return undefined;
    return { waiting: item.taskToken?.S !== undefined, taskToken: item.taskToken?.S, summary: item.summary?.S, deadline: item.deadline?.S, decision: item.decision?.S, decidedBy: item.decidedBy?.S };
  }
}

function key(approvalId: string): { lockId: { S: string } } {
  return { lockId: { S: `approval/${approvalId}` } };
}
