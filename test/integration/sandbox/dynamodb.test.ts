import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConditionalCheckFailedException, CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { createSandboxAws } from '../../../local/sandbox.ts';
import { type LocalDynamoDb, startDynalite } from '../../../local/dynamodb/dynalite.ts';

let dynamodb: LocalDynamoDb;
beforeAll(async () => {
  dynamodb = await startDynalite();
});
afterAll(async () => {
  await dynamodb.close();
});

describe('DynamoDB in the sandbox is dynalite on loopback, behind the same client factory', () => {
  it('evaluates condition expressions for real: a second lock holder is refused', async () => {
    const aws = createSandboxAws();
    aws.account.useLoopbackEndpoint('DynamoDBClient', dynamodb.endpoint);
    const client = aws.clients.client(DynamoDBClient);
    await client.send(new CreateTableCommand({ TableName: 'locks', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] }));
    const take = (owner: string, now: number) =>
      client.send(
        new PutItemCommand({
          TableName: 'locks',
          Item: { pk: { S: 'cluster/prod' }, owner: { S: owner }, expiresAt: { N: String(now + 3600) } },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': { N: String(now) } },
        }),
      );
    await take('first', 1000);
    await expect(take('second', 2000)).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    await take('third', 1000 + 3601);
    const { Item } = await client.send(new GetItemCommand({ TableName: 'locks', Key: { pk: { S: 'cluster/prod' } } }));
    expect(Item?.owner?.S).toBe('third');
    // The in-memory account saw none of it: DynamoDB calls go to dynalite.
    expect(aws.account.calls).toEqual([]);
  });
});
