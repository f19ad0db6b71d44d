import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface LocalDynamoDb {
  /** http://127.0.0.1:PORT */
  endpoint: string;
  close(): Promise<void>;
}

/**
 * DynamoDB for the sandbox and tests: dynalite (DynamoDB's API over LevelDB, in memory) on a loopback port.
 * Locks and Powertools idempotency rely on condition expressions; dynalite evaluates them as DynamoDB does,
 * which no hand-written imitation would. Tables are created and become ACTIVE at once.
 */
export async function startDynalite(): Promise<LocalDynamoDb> {
  const dynalite = require('dynalite') as (options: Record<string, number>) => Server;
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
