import http from 'node:http';
import https from 'node:https';
import { createRequire } from 'node:module';
import path from 'node:path';

type BlueprintHandler = (input: unknown, context: { succeed: (value: unknown) => void; fail: (error: unknown) => void }) => void;

/**
 * The AWS OpenSearch blueprint (npm serverless-es-logs, templates/code/logsToEs.js) run as it is, from
 * node_modules: its HTTPS request to the domain is redirected to the loopback sink over HTTP, and its
 * console output is silenced. Everything else (gunzip, transform, SigV4, _bulk body) is its own code.
 */
export function benchBlueprint(repoRoot: string, sinkPort: number): { run: (event: unknown) => Promise<void> } {
  // The blueprint calls https.request(params, callback) with params.host set to ES_ENDPOINT. This runs in a
  // process of the bench's own (subject-process.ts): nothing else there needs the real one.
  const keepAlive = new http.Agent({ keepAlive: true });
  (https as { request: unknown }).request = (params: http.RequestOptions, callback: (response: http.IncomingMessage) => void) =>
    http.request({ ...params, host: '127.0.0.1', port: sinkPort, agent: keepAlive }, callback);
  Object.assign(process.env, {
    ES_ENDPOINT: 'search-bench-abcdefghijklmnop.eu-west-1.es.amazonaws.com',
    ES_INDEX_PREFIX: 'eks',
    ES_INDEX_DATE_SEPARATOR: '.',
    AWS_SESSION_TOKEN: process.env.AWS_SESSION_TOKEN ?? 'bench-session-token',
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'AKIABENCHBENCHBENCH0',
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'bench-secret',
  });
  const require = createRequire(path.join(repoRoot, 'package.json'));
  const modulePath = require.resolve('serverless-es-logs/templates/code/logsToEs.js');
  delete require.cache[modulePath];
  const blueprint = require(modulePath) as { handler: BlueprintHandler };
  const run = (event: unknown) =>
    new Promise<void>((resolve, reject) => {
      const log = console.log;
      console.log = () => undefined;
      blueprint.handler(event, {
        succeed: () => {
          console.log = log;
          resolve();
        },
        fail: (error) => {
          console.log = log;
          reject(new Error(`the blueprint failed: ${String(error)}`));
        },
      });
    });
  return { run };
}
